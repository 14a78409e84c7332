import { ResourceLimitError, UserError } from '../ir/errors.js';
import type { Circuit, Observable } from '../ir/types.js';
import { allocateArray } from '../memory/limit.js';
import { makeStore, PropagationCore, type CoefficientKind, type CoreChannel, type CoreRotation } from '../propagation/core.js';
import { resolveTruncation } from '../propagation/options.js';
import type { PauliStore } from '../propagation/store.js';
import { overlapFunction } from './overlap.js';
import { NODE_COS, NODE_LEAF, NODE_SCALE, NODE_SIN, NODE_SUM, PathSurrogate } from './paths.js';
import { hasChannels, STEP_SYMBOLIC, type SurrogateProgram } from './program.js';
import { internObservable, makeMeta, prepareBuild, runSteps, stepStructure, hasFixedNonClifford, type SurrogateBuildOptions } from './taylor-build.js';
import { PathDrops } from '../bounds/path-drops.js';
import { Viability } from './viability.js';

/** Options of {@link buildPathSurrogate}: the sin-branch truncation and the common build options. */
export interface PathBuildOptions extends SurrogateBuildOptions {
  /** S: a term whose (minimum) number of sin branches at symbolic gates exceeds S is dropped. */
  maxSins: number;
}

const MAX_NODES = 1 << 28;
const NO_BUDGET = 1 << 14;

/** Growable node arrays of the path DAG. */
class NodeArena {
  op = new Uint8Array(1024);
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  w = new Float64Array(1024);
  size = 0;

  push(op: number, a: number, b: number, w: number): number {
    if (this.size === this.op.length) this.grow();
    const i = this.size++;
    this.op[i] = op;
    this.a[i] = a;
    this.b[i] = b;
    this.w[i] = w;
    return i;
  }

  private grow(): void {
    const n = this.op.length * 2;
    if (n > MAX_NODES) throw new ResourceLimitError(`the path surrogate needs more than ${MAX_NODES} DAG nodes (lower --max-sins)`);
    const what = 'path surrogate DAG', advice = 'lower --max-sins';
    const op = allocateArray(Uint8Array, n, what, advice); op.set(this.op); this.op = op;
    const a = allocateArray(Int32Array, n, what, advice); a.set(this.a); this.a = a;
    const b = allocateArray(Int32Array, n, what, advice); b.set(this.b); this.b = b;
    const w = allocateArray(Float64Array, n, what, advice); w.set(this.w); this.w = w;
  }
}

/**
 * Path coefficients: a coefficient is a node of the path DAG (NODE_COS / NODE_SIN of a symbolic
 * step's angle form, NODE_SCALE by a fixed step's cos r / sin r or a channel's factor, NODE_SUM
 * where strings merge, also amplitude damping's identity branch into a present string);
 * the sin counter is the core's (symbolic steps count, fixed ones do not). Strings that can
 * never reach a non-zero overlap (Viability) are dropped as soon as that is known; that changes
 * nothing in the result.
 */
class PathCoefficients implements CoefficientKind {
  readonly bytesPerEntry = 4;
  node: Int32Array = new Int32Array(0);
  private pending = -1;
  private readonly key: Uint32Array;
  /** The step being applied (or, during a recheck, the horizon): steps [0, step) remain. */
  step = 0;

  constructor(
    private readonly store: PauliStore,
    private readonly arena: NodeArena,
    private readonly program: SurrogateProgram,
    private readonly viability: Viability,
    /**
     * [drop-recorder] Paths: each term cut for exceeding S sins is kept as a DAG node with the
     * step and its string's reach, so the a-posteriori bound can use its exact value; null: off.
     */
    readonly drops: { node: number[]; step: number[]; reach: number[] } | null = null,
  ) {
    this.key = new Uint32Array(program.stride);
  }

  resize(cap: number, size: number): void {
    const n = allocateArray(Int32Array, cap, 'path surrogate nodes');
    n.set(this.node.subarray(0, size));
    this.node = n;
  }

  /** Own branch of step s: cos of the symbolic angle, or the fixed cos r. */
  private cosNode(nd: number, s: number): number {
    const { program, arena } = this;
    return program.kind[s] === STEP_SYMBOLIC ? arena.push(NODE_COS, nd, program.form[s]!, 0) : arena.push(NODE_SCALE, nd, -1, program.fixedCos[s]!);
  }

  /** Sin branch of step s with the sign of iGQ (times the generator's sign). */
  private sinNode(nd: number, s: number, sign: number): number {
    const { program, arena } = this;
    const sg = sign * program.genSigns[s]!;
    return program.kind[s] === STEP_SYMBOLIC ? arena.push(NODE_SIN, nd, program.form[s]!, sg) : arena.push(NODE_SCALE, nd, -1, sg * program.fixedSin[s]!);
  }

  /** Whether entry e's string can still contribute with steps [0, s) remaining. */
  private viable(e: number, s: number): boolean {
    return this.viability.maxUse(this.store.keyArray, this.store.keyOffset(e), s, NO_BUDGET) >= 0;
  }

  /** [drop-recorder] Records node nd on the string at (keys, ko) as cut with steps [0, step) left. */
  private record(nd: number, keys: Uint32Array, ko: number): void {
    const d = this.drops!;
    const r = this.viability.requiredSins(keys, ko, this.step);
    // Unreachable strings (the viability drops) contribute exactly 0: nothing to record.
    if (r < 0 || nd < 0) return;
    d.node.push(nd);
    d.step.push(this.step);
    d.reach.push(r);
  }

  pair(e: number, p: number, g: CoreRotation, sign: number): number {
    const s = g.step;
    this.step = s;
    const { node, arena } = this;
    const ne = node[e]!, np = node[p]!;
    const okE = this.viable(e, s), okP = this.viable(p, s);
    if (okE) node[e] = arena.push(NODE_SUM, this.cosNode(ne, s), this.sinNode(np, s, -sign), 0);
    if (okP) node[p] = arena.push(NODE_SUM, this.cosNode(np, s), this.sinNode(ne, s, sign), 0);
    return (okE ? 0 : 1) | (okP ? 0 : 2);
  }

  split(e: number, g: CoreRotation, sign: number): number {
    const s = g.step;
    this.step = s;
    const nd = this.node[e]!;
    const okE = this.viable(e, s);
    if (okE) this.node[e] = this.cosNode(nd, s);
    this.store.readPartner(this.key, 0);
    const okNew = this.viability.maxUse(this.key, 0, s, NO_BUDGET) >= 0;
    this.pending = okNew ? this.sinNode(nd, s, sign) : -1;
    return (okE ? 0 : 1) | (okNew ? 0 : 2);
  }

  /** A channel's factor: a scale node (an exact zero drops the string: nothing is lost). */
  scale(e: number, f: number): number {
    if (f === 0) return 1;
    this.node[e] = this.arena.push(NODE_SCALE, this.node[e]!, -1, f);
    return 0;
  }

  /** Amplitude damping's identity branch merging into string t: a sum node with e's node scaled by f. */
  addScaled(t: number, e: number, f: number, ch: CoreChannel): number {
    this.step = ch.step;
    if (!this.viable(t, ch.step)) return 0;
    const { arena, node } = this;
    node[t] = arena.push(NODE_SUM, node[t]!, arena.push(NODE_SCALE, node[e]!, -1, f), 0);
    return 0;
  }

  /** The identity branch into an absent string (the store's partner scratch), held for placeSplit. */
  scaledSplit(e: number, f: number, ch: CoreChannel): number {
    this.step = ch.step;
    this.store.readPartner(this.key, 0);
    const ok = f !== 0 && this.viability.maxUse(this.key, 0, ch.step, NO_BUDGET) >= 0;
    this.pending = ok ? this.arena.push(NODE_SCALE, this.node[e]!, -1, f) : -1;
    return ok ? 0 : 2;
  }

  placeSplit(ne: number): void {
    this.node[ne] = this.pending;
  }
  discardSplit(): void {
    // [drop-recorder] A sin branch cut for exceeding S (this.key still holds its string).
    if (this.drops !== null && this.pending >= 0) this.record(this.pending, this.key, 0);
    this.pending = -1;
  }
  negate(): void {
    throw new Error('the surrogate program has no Clifford gates');
  }
  dropped(e: number): void {
    // [drop-recorder] An entry cut for exceeding S, with its node after the step.
    if (this.drops !== null) this.record(this.node[e]!, this.store.keyArray, this.store.keyOffset(e));
  }
  removed(e: number, moved: number): void {
    if (moved >= 0) this.node[e] = this.node[moved]!;
  }
  failsValue(): boolean {
    return false;
  }
}

/**
 * Builds the Pauli-path surrogate: the propagation core (propagation/core.ts) with path
 * coefficients, max_sins = S counted at symbolic steps, the reference package's semantics per
 * step (apply, merge: sum node and minimum sin counter, truncate).
 */
export function buildPathSurrogate(circuit: Circuit, observable: Observable, options: PathBuildOptions): PathSurrogate {
  const S = options.maxSins;
  if (!Number.isInteger(S) || S < 0 || S >= NO_BUDGET) throw new UserError(`--max-sins must be an integer in [0, ${NO_BUDGET - 1}], got ${S}`);
  const t0 = performance.now();
  const { program, center, state, maxTerms } = prepareBuild(circuit, observable, options);
  const { W, stride, numSteps } = program;
  const viability = new Viability(program, state);
  const store = makeStore(circuit.numQubits, Math.min(maxTerms, Math.max(1024, observable.terms.length * 4)));
  const arena = new NodeArena();
  // No certificate with fixed non-Clifford steps (issue 14, known gap) or noise channels: see
  // buildTaylorSurrogate.
  const drops = options.aposteriori === false || hasFixedNonClifford(program) || hasChannels(program) ? null : { node: [] as number[], step: [] as number[], reach: [] as number[] };
  const kind = new PathCoefficients(store, arena, program, viability, drops);
  const core = new PropagationCore(store, kind, resolveTruncation({ maxSins: S, minAbs: 0 }), maxTerms);

  for (let j = 0; j < program.obsCoeffs.length; j++) {
    if (program.obsCoeffs[j] === 0 || viability.maxUse(program.obsKeys, j * stride, numSteps, NO_BUDGET) < 0) continue;
    const leaf = arena.push(NODE_LEAF, -1, -1, program.obsCoeffs[j]!);
    const e = internObservable(core, program.obsKeys, j * stride, maxTerms);
    kind.node[e] = core.inserted ? leaf : arena.push(NODE_SUM, kind.node[e]!, leaf, 0);
  }
  core.peak = core.size;
  runSteps(core, program, options, maxTerms, (s) => {
    // Thresholds moved: drop strings that can no longer contribute.
    const keys = store.keyArray;
    kind.step = s;
    for (let e = 0; e < store.size; e++) {
      if (viability.maxUse(keys, store.keyOffset(e), s, NO_BUDGET) < 0) core.drop(e);
    }
  }, viability);

  const table = { size: store.size, keys: new Uint32Array(store.size * stride) };
  for (let e = 0; e < store.size; e++) store.read(e, table.keys, e * stride);
  const node = kind.node;
  const peak = core.peak;
  const overlap = overlapFunction(state, circuit.numQubits, W);
  const outNodes: number[] = [];
  const outWeights: number[] = [];
  let terms = 0;
  for (let p = 0; p < table.size; p++) {
    terms++;
    const o = overlap(table.keys, p * stride);
    if (o !== 0) {
      outNodes.push(node[p]!);
      outWeights.push(o);
    }
  }
  // Keep only the nodes the outputs reach, renumbered in the same (topological) order.
  const n = arena.size;
  const reach = new Uint8Array(n);
  for (const o of outNodes) reach[o] = 1;
  if (drops !== null) for (const o of drops.node) reach[o] = 1;
  for (let i = n - 1; i >= 0; i--) {
    if (!reach[i]) continue;
    const k = arena.op[i]!;
    if (k !== NODE_LEAF) reach[arena.a[i]!] = 1;
    if (k === NODE_SUM) reach[arena.b[i]!] = 1;
  }
  const remap = new Int32Array(n).fill(-1);
  let m = 0;
  for (let i = 0; i < n; i++) if (reach[i]) remap[i] = m++;
  const op = new Uint8Array(m);
  const a = new Int32Array(m);
  const b = new Int32Array(m);
  const w = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const j = remap[i]!;
    if (j < 0) continue;
    const k = arena.op[i]!;
    op[j] = k;
    a[j] = k === NODE_LEAF ? -1 : remap[arena.a[i]!]!;
    b[j] = k === NODE_SUM ? remap[arena.b[i]!]! : k === NODE_COS || k === NODE_SIN ? arena.b[i]! : -1;
    w[j] = arena.w[i]!;
  }
  const seconds = (performance.now() - t0) / 1000;
  const meta = makeMeta(circuit, observable, program, center, state, terms, peak, seconds);
  return new PathSurrogate(
    meta, S, program.fixedGain, op, a, b, w, Int32Array.from(outNodes, (o) => remap[o]!), Float64Array.from(outWeights),
    drops === null ? undefined : PathDrops.fromSteps(stepStructure(program), Int32Array.from(drops.node, (o) => remap[o]!), Int32Array.from(drops.step), Int32Array.from(drops.reach)),
  );
}
