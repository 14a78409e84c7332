import { ResourceLimitError, UserError } from '../ir/errors.js';
import type { Circuit, Observable } from '../ir/types.js';
import { multiply } from '../pauli/packed.js';
import { PauliTable } from '../pauli/table.js';
import { overlapFunction } from './overlap.js';
import { NODE_COS, NODE_LEAF, NODE_SCALE, NODE_SIN, NODE_SUM, PathSurrogate } from './paths.js';
import { generatorWords, parity32, STEP_SYMBOLIC } from './program.js';
import { makeMeta, prepareBuild, type SurrogateBuildOptions } from './taylor-build.js';
import { Viability } from './viability.js';
import { PathDrops } from '../bounds/path-drops.js';
import { stepStructure } from './taylor-build.js';

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
    const op = new Uint8Array(n); op.set(this.op); this.op = op;
    const a = new Int32Array(n); a.set(this.a); this.a = a;
    const b = new Int32Array(n); b.set(this.b); this.b = b;
    const w = new Float64Array(n); w.set(this.w); this.w = w;
  }
}

/**
 * Builds the Pauli-path surrogate with the reference package's semantics per step (last gate
 * first): apply the gate to every term, merge equal strings (sum node, minimum sin counter), then
 * drop every term whose counter exceeds S. Coefficients stay symbolic as DAG nodes. Strings that
 * can never reach a non-zero overlap (blocking bits no remaining generator can clear) are dropped
 * early; that changes nothing.
 */
export function buildPathSurrogate(circuit: Circuit, observable: Observable, options: PathBuildOptions): PathSurrogate {
  const S = options.maxSins;
  if (!Number.isInteger(S) || S < 0 || S >= NO_BUDGET) throw new UserError(`--max-sins must be an integer in [0, ${NO_BUDGET - 1}], got ${S}`);
  const t0 = performance.now();
  const { program, center, state, maxTerms } = prepareBuild(circuit, observable, options);
  const { W, stride, numSteps, gens, genSigns, kind, fixedCos, fixedSin, form } = program;
  const viability = new Viability(program, state);
  const table = new PauliTable(W, Math.max(1024, observable.terms.length * 4), maxTerms);
  let node = new Int32Array(table.capacity).fill(-1);
  let sins = new Int32Array(table.capacity);
  table.onGrow = (cap) => {
    const n2 = new Int32Array(cap).fill(-1); n2.set(node); node = n2;
    const s2 = new Int32Array(cap); s2.set(sins); sins = s2;
  };
  const arena = new NodeArena();
  // [drop-recorder] Paths: each term cut for exceeding S sins is kept as a DAG node with the
  // step and its string's reach, so the a-posteriori bound can use its exact value.
  const drops = options.aposteriori === false ? null : { node: [] as number[], step: [] as number[], reach: [] as number[] };
  let dead = 0;
  const mergeInto = (a: Uint32Array, ao: number, nd: number, k: number): number => {
    const q = table.findOrInsert(a, ao);
    if (table.lastInserted || node[q]! < 0) {
      if (!table.lastInserted) dead--;
      node[q] = nd;
      sins[q] = k;
    } else {
      node[q] = arena.push(NODE_SUM, node[q]!, nd, 0);
      if (k < sins[q]!) sins[q] = k;
    }
    return q;
  };

  for (let j = 0; j < program.obsCoeffs.length; j++) {
    if (program.obsCoeffs[j] === 0 || viability.maxUse(program.obsKeys, j * stride, numSteps, NO_BUDGET) < 0) continue;
    mergeInto(program.obsKeys, j * stride, arena.push(NODE_LEAF, -1, -1, program.obsCoeffs[j]!), 0);
  }

  const gw = generatorWords(program);
  let anti = new Int32Array(1024);
  let snapNode = new Int32Array(1024);
  let snapSins = new Int32Array(1024);
  let touched = new Int32Array(1024);
  const gq = new Uint32Array(stride);
  let peak = table.size;
  for (let s = numSteps - 1; s >= 0; s--) {
    const go = s * stride;
    const symbolic = kind[s] === STEP_SYMBOLIC;
    let nAnti = 0;
    const keys = table.keys;
    const recheck = !viability.stable(s + 1);
    const w0 = gw.start[s]!;
    const w1 = gw.start[s + 1]!;
    for (let p = 0; p < table.size; p++) {
      if (node[p]! < 0) continue;
      const ko = p * stride;
      if (recheck && viability.maxUse(keys, ko, s + 1, NO_BUDGET) < 0) {
        node[p] = -1;
        dead++;
        continue;
      }
      let par = 0;
      for (let j = w0; j < w1; j++) {
        const k = gw.word[j]!;
        par ^= ((keys[ko + k]! & gw.z[j]!) ^ (keys[ko + W + k]! & gw.x[j]!)) >>> 0;
      }
      if (parity32(par) === 0) continue;
      if (nAnti === anti.length) {
        anti = grow(anti);
        snapNode = grow(snapNode);
        snapSins = grow(snapSins);
      }
      anti[nAnti] = p;
      snapNode[nAnti] = node[p]!;
      snapSins[nAnti++] = sins[p]!;
    }
    // Own (cos or fixed-cos) branch in place, then every sin branch merged with snapshot values.
    const g = form[s]!;
    for (let i = 0; i < nAnti; i++) {
      const p = anti[i]!;
      node[p] = symbolic ? arena.push(NODE_COS, node[p]!, g, 0) : arena.push(NODE_SCALE, node[p]!, -1, fixedCos[s]!);
    }
    let nTouched = 0;
    for (let i = 0; i < nAnti; i++) {
      const e = multiply(gens, go, table.keys, anti[i]! * stride, gq, 0, W);
      const sign = ((e + 1) & 3) === 0 ? genSigns[s]! : -genSigns[s]!;
      if (viability.maxUse(gq, 0, s, NO_BUDGET) < 0) continue;
      const nd = symbolic
        ? arena.push(NODE_SIN, snapNode[i]!, g, sign)
        : arena.push(NODE_SCALE, snapNode[i]!, -1, sign * fixedSin[s]!);
      const q = mergeInto(gq, 0, nd, snapSins[i]! + (symbolic ? 1 : 0));
      if (nTouched === touched.length) touched = grow(touched);
      touched[nTouched++] = q;
    }
    // Truncate after merging: counters above S.
    for (let i = 0; i < nTouched; i++) {
      const q = touched[i]!;
      if (node[q]! >= 0 && sins[q]! > S) {
        if (drops !== null) {
          const r = viability.requiredSins(table.keys, q * stride, s);
          if (r >= 0) {
            drops.node.push(node[q]!);
            drops.step.push(s);
            drops.reach.push(r);
          }
        }
        node[q] = -1;
        dead++;
      }
    }
    if (table.size > peak) peak = table.size;
    if (dead > 4096 && dead * 2 > table.size) {
      table.compact(
        (p) => node[p]! >= 0,
        (from, to) => {
          node[to] = node[from]!;
          sins[to] = sins[from]!;
        },
      );
      node.fill(-1, table.size);
      dead = 0;
    }
    options.onProgress?.(numSteps - s, numSteps, table.size - dead);
  }

  const overlap = overlapFunction(state, circuit.numQubits, W);
  const outNodes: number[] = [];
  const outWeights: number[] = [];
  let terms = 0;
  for (let p = 0; p < table.size; p++) {
    if (node[p]! < 0) continue;
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

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
