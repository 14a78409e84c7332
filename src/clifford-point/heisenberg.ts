import { evaluateExpr } from '../ir/affine.js';
import { UserError } from '../ir/errors.js';
import { checkParams } from '../ir/parameters.js';
import type { InitialState } from '../ir/states.js';
import { ZERO_STATE, checkState, packBasisBits } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import { CLIFFORD_TABLES, SIGN_BIT } from '../pauli/clifford-tables.js';
import { basisExpectation, commutes, iGQSign, multiply, phaseCount, plusExpectation, popcount32, wordsFor } from '../pauli/packed.js';
import { packSparse } from '../pauli/sparse.js';
import { unitaryGates } from '../ir/circuit.js';
import { type CompactGates, OP_ROTATION as IR_ROTATION } from '../ir/compact.js';
import { CLIFFORD_GATE_NAMES, type SparsePauli } from '../ir/types.js';

/**
 * The one Heisenberg evaluation at Clifford points. When every rotation angle is a multiple of
 * π/2, each rotation is a Clifford conjugation: R_G(kπ/2) leaves strings commuting with G alone and
 * maps an anticommuting Q to cos(kπ/2)·Q + sin(kπ/2)·iGQ, i.e. −Q for k ≡ 2, ±iGQ for odd k
 * (mod 4). Every observable term then stays a single signed Pauli string, so the cost is
 * (terms × gates × words touched) at any register size.
 *
 * `rotateAtQuarterTurns` is that rule for one packed string; the frozen-circuit algebra
 * (frozen.ts) and the surrogate's tableau frame (surrogate/frame.ts) apply it. The batched program
 * below (`cliffordExpectation`) is its hot-loop form: it visits only the words a generator
 * touches and keeps every term in one typed array.
 */

/** Relative tolerance of "multiple of π/2". */
const CLIFFORD_TOLERANCE = 1e-12;

/** k mod 4 when angle = k·π/2 (within 1e−12 relative), else −1. */
export function quarterTurns(angle: number): number {
  const t = angle / (Math.PI / 2);
  const k = Math.round(t);
  if (Math.abs(t - k) > CLIFFORD_TOLERANCE * Math.max(1, Math.abs(k))) return -1;
  return ((k % 4) + 4) % 4;
}

/**
 * s ← i·G·s in place for anticommuting G and s (the result is Hermitian); returns its sign.
 * @internal
 */
export function timesIG(G: Uint32Array, go: number, s: Uint32Array, so: number, W: number): number {
  const e = multiply(G, go, s, so, s, so, W);
  // G·s = i^e·s', so i·G·s = i^(e+1)·s' with e+1 even for anticommuting strings.
  return (e + 1) % 4 === 0 ? 1 : -1;
}

/**
 * Heisenberg image R†·s·R of the packed string s (at so, 2W words) under the Clifford rotation
 * R = exp(−i·k·(π/2)·G/2), k ∈ {0, 1, 2, 3}, in place; returns the sign (+1 or −1) picked up.
 * @internal
 */
export function rotateAtQuarterTurns(
  G: Uint32Array, go: number, k: number, s: Uint32Array, so: number, W: number,
): number {
  if (k === 0 || commutes(G, go, s, so, W)) return 1;
  if (k === 2) return -1;
  return timesIG(G, go, s, so, W) * (k === 1 ? 1 : -1);
}

/** True when every rotation angle of the circuit at `params` is a multiple of π/2. */
export function isCliffordPoint(circuit: Circuit, params: ArrayLike<number>): boolean {
  checkParams(circuit, params);
  if (circuit.compact) return compactQuarterTurns(circuit.compact, params) !== null;
  for (const g of circuit.gates) {
    if (g.kind === 'rotation' && quarterTurns(evaluateExpr(g.angle, params)) < 0) return false;
  }
  return true;
}

// Flat program, one record of OP_STRIDE int32 per gate that acts, last gate first.
const OP_STRIDE = 6;
const OP_CLIFFORD1 = 1; // [op, word, bit, table]
const OP_CLIFFORD2 = 2; // [op, word0, bit0, word1, bit1, table]
const OP_ROTATION = 3; // [op, maskOffset, maskWords, k] masks: (word, gx, gz) triples

interface CliffordProgram {
  readonly ops: Int32Array;
  readonly numOps: number;
  /** (word, gx, gz) triples of rotation generators. */
  readonly masks: Uint32Array;
  readonly tables: readonly Uint8Array[];
}

/**
 * Quarter turns of each interned angle form of compact gates at `params` (each form evaluated
 * once), or null when one of them is not a multiple of π/2.
 */
function compactQuarterTurns(c: CompactGates, params: ArrayLike<number>): Int8Array | null {
  const k = new Int8Array(c.angles.length);
  for (let a = 0; a < c.angles.length; a++) {
    k[a] = quarterTurns(evaluateExpr(c.angles[a]!, params));
    if (k[a]! < 0) return null;
  }
  return k;
}

/** Appends the (word, gx, gz) triples of generator P to `masks` at `n`; returns [masks, n, count]. */
function pushMasks(qubits: readonly number[], letters: SparsePauli['letters'], masks: Uint32Array, nMasks: number): [Uint32Array, number, number] {
  // Its qubits are increasing, so words are too.
  let count = 0;
  for (let i = 0; i < qubits.length; i++) {
    const q = qubits[i]!, w = q >>> 5, bit = (1 << (q & 31)) >>> 0;
    if (count === 0 || masks[nMasks - 3] !== w) {
      if (nMasks + 3 > masks.length) {
        const bigger = new Uint32Array(masks.length * 2);
        bigger.set(masks);
        masks = bigger;
      }
      masks[nMasks] = w;
      masks[nMasks + 1] = 0;
      masks[nMasks + 2] = 0;
      nMasks += 3;
      count++;
    }
    const l = letters[i]!;
    if (l !== 'Z') masks[nMasks - 2] = masks[nMasks - 2]! | bit;
    if (l !== 'X') masks[nMasks - 1] = masks[nMasks - 1]! | bit;
  }
  return [masks, nMasks, count];
}

function compileCliffordProgram(circuit: Circuit, params: ArrayLike<number>): CliffordProgram {
  const ops = new Int32Array(circuit.gates.length * OP_STRIDE);
  // (word, gx, gz) triples in a typed array grown by doubling (no per-gate garbage).
  let masks: Uint32Array = new Uint32Array(3 * 1024);
  let nMasks = 0;
  const tables: Uint8Array[] = [];
  const tableId = new Map<Uint8Array, number>();
  const idOf = (t: Uint8Array) => {
    let id = tableId.get(t);
    if (id === undefined) {
      id = tables.length;
      tables.push(t);
      tableId.set(t, id);
    }
    return id;
  };
  let n = 0;
  const gates = unitaryGates(circuit, 'Clifford-point evaluation', 'noise channels at Clifford points are not supported yet');
  for (let gi = gates.length - 1; gi >= 0; gi--) {
    const g = gates[gi]!;
    const o = n * OP_STRIDE;
    if (g.kind === 'clifford') {
      const q0 = g.qubits[0]!, q1 = g.qubits[1];
      const t = idOf(CLIFFORD_TABLES[g.name].map);
      if (q1 === undefined) {
        ops[o] = OP_CLIFFORD1;
        ops[o + 1] = q0 >>> 5;
        ops[o + 2] = q0 & 31;
        ops[o + 3] = t;
      } else {
        ops[o] = OP_CLIFFORD2;
        ops[o + 1] = q0 >>> 5;
        ops[o + 2] = q0 & 31;
        ops[o + 3] = q1 >>> 5;
        ops[o + 4] = q1 & 31;
        ops[o + 5] = t;
      }
      n++;
      continue;
    }
    const angle = evaluateExpr(g.angle, params);
    const k = quarterTurns(angle);
    if (k < 0) {
      const where = g.source ? ` (${g.source.file}:${g.source.line})` : '';
      throw new UserError(`gate ${gi + 1}${where} has angle ${angle}, not a multiple of π/2: not a Clifford point`);
    }
    if (k === 0) continue;
    ops[o] = OP_ROTATION;
    ops[o + 1] = nMasks / 3;
    let count: number;
    [masks, nMasks, count] = pushMasks(g.pauli.qubits, g.pauli.letters, masks, nMasks);
    ops[o + 2] = count;
    ops[o + 3] = k;
    n++;
  }
  return { ops, numOps: n, masks: masks.subarray(0, nMasks), tables };
}

/**
 * Exact ⟨ψ0|U†OU|ψ0⟩ when the circuit is Clifford at `params` (see isCliffordPoint; throws a
 * UserError naming the first non-Clifford angle otherwise). Any register size.
 *
 * @example
 * ```ts
 * const c = buildAnsatz('mhea', { qubits: 127, layers: 3 });
 * cliffordExpectation(c, new Float64Array(c.numParameters), parseObservableText('Z0 Z1')); // 1
 * ```
 */
export function cliffordExpectation(
  circuit: Circuit, params: ArrayLike<number>, observable: Observable, initialState: InitialState = ZERO_STATE,
  onProgress?: (done: number, total: number) => void,
): number {
  checkParams(circuit, params);
  checkState(initialState, circuit.numQubits);
  const n = circuit.numQubits;
  const W = wordsFor(n);
  const S = 2 * W;
  const T = observable.terms.length;
  const strings = new Uint32Array(T * S);
  const coeffs = new Float64Array(T);
  observable.terms.forEach((t, i) => {
    for (const q of t.pauli.qubits) {
      if (q >= n) throw new UserError(`observable '${observable.name}' acts on qubit ${q}, but the circuit has ${n} qubits`);
    }
    packSparse(t.pauli, strings, i * S, W);
    coeffs[i] = t.coeff;
  });
  if (circuit.compact) runCompactProgram(circuit.compact, params, strings, coeffs, T, W, onProgress);
  else runCliffordProgram(compileCliffordProgram(circuit, params), strings, coeffs, T, W, onProgress);
  const bits = initialState.kind === 'basis' ? packBasisBits(initialState.bits, W) : new Uint32Array(W);
  let value = 0;
  for (let i = 0; i < T; i++) {
    const o =
      initialState.kind === 'plus' ? plusExpectation(strings, i * S, W) : basisExpectation(strings, i * S, W, bits);
    value += o * coeffs[i]!;
  }
  return value;
}

/**
 * For `nearclifford simulate`: the exact expectation through the Clifford fast path when the
 * circuit is Clifford at `params`, or undefined when it is not (fall back to another engine).
 */
export function simulateViaClifford(
  circuit: Circuit, params: ArrayLike<number>, observable: Observable, initialState: InitialState = ZERO_STATE,
): number | undefined {
  if (!isCliffordPoint(circuit, params)) return undefined;
  return cliffordExpectation(circuit, params, observable, initialState);
}

/** Applies the program to T strings (stride 2W) in place, flipping coefficient signs. */
/** Operations between two progress reports: the callback's cost stays far below the work's. */
const PROGRESS_EVERY = 1 << 14;

function runCliffordProgram(
  prog: CliffordProgram, s: Uint32Array, coeffs: Float64Array, T: number, W: number,
  onProgress?: (done: number, total: number) => void,
): void {
  const { ops, masks, tables } = prog;
  for (let op = 0; op < prog.numOps; op++) {
    if (onProgress && (op & (PROGRESS_EVERY - 1)) === 0 && op > 0) onProgress(op, prog.numOps);
    const o = op * OP_STRIDE;
    const kind = ops[o]!;
    if (kind === OP_CLIFFORD1) applyClifford1(s, coeffs, T, W, ops[o + 1]!, ops[o + 2]!, tables[ops[o + 3]!]!);
    else if (kind === OP_CLIFFORD2) applyClifford2(s, coeffs, T, W, ops[o + 1]!, ops[o + 2]!, ops[o + 3]!, ops[o + 4]!, tables[ops[o + 5]!]!);
    else applyRotation(s, coeffs, T, W, masks, ops[o + 1]! * 3, ops[o + 2]!, ops[o + 3]!);
  }
}

/**
 * The program applied straight from compact gates (last to first), without compiling an op list:
 * the compact arrays already hold what a compiled op holds (opcode, qubits, angle form), so this
 * saves a pass and an array of 24 bytes per gate. Generator masks are built once per interned
 * generator; every non-Clifford angle is refused before anything runs, naming the gate the object
 * path (compileCliffordProgram) names.
 */
function runCompactProgram(
  c: CompactGates, params: ArrayLike<number>, s: Uint32Array, coeffs: Float64Array, T: number, W: number,
  onProgress?: (done: number, total: number) => void,
): void {
  if (c.firstChannel >= 0) {
    throw new UserError(
      `Clifford-point evaluation applies unitary gates only, but the circuit has noise channels (first: ${c.channels[c.angle[c.firstChannel]!]!.name}); ` +
        'noise channels at Clifford points are not supported yet',
      c.sourceAt(c.firstChannel),
    );
  }
  const { op, offsets, operands, angle } = c;
  const turns = new Int8Array(c.angles.length);
  let refused = false;
  for (let a = 0; a < c.angles.length; a++) {
    turns[a] = quarterTurns(evaluateExpr(c.angles[a]!, params));
    if (turns[a]! < 0) refused = true;
  }
  if (refused) {
    for (let gi = c.length - 1; gi >= 0; gi--) {
      if (op[gi] !== IR_ROTATION || turns[angle[gi]!]! >= 0) continue;
      const value = evaluateExpr(c.angles[angle[gi]!]!, params);
      const src = c.sourceAt(gi);
      const where = src ? ` (${src.file}:${src.line})` : '';
      throw new UserError(`gate ${gi + 1}${where} has angle ${value}, not a multiple of π/2: not a Clifford point`);
    }
  }
  const tables: Uint8Array[] = CLIFFORD_GATE_NAMES.map((name) => CLIFFORD_TABLES[name].map);
  // Generator id → its (word, gx, gz) triples at genOffset, genCount of them.
  let masks: Uint32Array = new Uint32Array(3 * 64);
  let nMasks = 0;
  const genOffset = new Int32Array(c.generators.length);
  const genCount = new Int32Array(c.generators.length);
  for (let g = 0; g < c.generators.length; g++) {
    const p = c.generators[g]!;
    genOffset[g] = nMasks;
    let count: number;
    [masks, nMasks, count] = pushMasks(p.qubits, p.letters, masks, nMasks);
    genCount[g] = count;
  }
  const total = c.length;
  for (let gi = total - 1; gi >= 0; gi--) {
    const done = total - 1 - gi;
    if (onProgress && (done & (PROGRESS_EVERY - 1)) === 0 && done > 0) onProgress(done, total);
    const code = op[gi]!;
    const from = offsets[gi]!;
    if (code < IR_ROTATION) {
      const q0 = operands[from]!;
      if (offsets[gi + 1]! - from === 1) applyClifford1(s, coeffs, T, W, q0 >>> 5, q0 & 31, tables[code]!);
      else {
        const q1 = operands[from + 1]!;
        applyClifford2(s, coeffs, T, W, q0 >>> 5, q0 & 31, q1 >>> 5, q1 & 31, tables[code]!);
      }
    } else if (code === IR_ROTATION) {
      const k = turns[angle[gi]!]!;
      if (k === 0) continue;
      const g = operands[from]!;
      applyRotation(s, coeffs, T, W, masks, genOffset[g]!, genCount[g]!, k);
    }
  }
}

/** A one-qubit Clifford gate (table `map`) on bit b of word w of every string. */
function applyClifford1(s: Uint32Array, coeffs: Float64Array, T: number, W: number, w: number, b: number, map: Uint8Array): void {
  const S = 2 * W;
  const m = (1 << b) >>> 0;
  for (let t = 0; t < T; t++) {
    const xi = t * S + w, zi = xi + W;
    const x = s[xi]!, z = s[zi]!;
    const code = ((x >>> b) & 1) | (((z >>> b) & 1) << 1);
    if (code === 0) continue;
    const out = map[code]!;
    if (out & SIGN_BIT) coeffs[t] = -coeffs[t]!;
    s[xi] = (x & ~m) | ((out & 1) << b);
    s[zi] = (z & ~m) | (((out >>> 1) & 1) << b);
  }
}

/** A two-qubit Clifford gate (table `map`) on (w0, b0), (w1, b1) of every string. */
function applyClifford2(
  s: Uint32Array, coeffs: Float64Array, T: number, W: number, w0: number, b0: number, w1: number, b1: number, map: Uint8Array,
): void {
  const S = 2 * W;
  const m0 = (1 << b0) >>> 0, m1 = (1 << b1) >>> 0;
  for (let t = 0; t < T; t++) {
    const base = t * S;
    const x0 = s[base + w0]!, z0 = s[base + W + w0]!;
    const x1 = s[base + w1]!, z1 = s[base + W + w1]!;
    const code = ((x0 >>> b0) & 1) | (((z0 >>> b0) & 1) << 1) | (((x1 >>> b1) & 1) << 2) | (((z1 >>> b1) & 1) << 3);
    if (code === 0) continue;
    const out = map[code]!;
    if (out & SIGN_BIT) coeffs[t] = -coeffs[t]!;
    // Write qubit 0 first, then re-read the words for qubit 1 (they may share a word).
    s[base + w0] = (x0 & ~m0) | ((out & 1) << b0);
    s[base + W + w0] = (z0 & ~m0) | (((out >>> 1) & 1) << b0);
    s[base + w1] = (s[base + w1]! & ~m1) | (((out >>> 2) & 1) << b1);
    s[base + W + w1] = (s[base + W + w1]! & ~m1) | (((out >>> 3) & 1) << b1);
  }
}

/** The rotation by k quarter turns about the generator whose `count` (word, gx, gz) triples start at masks[mo]. */
function applyRotation(
  s: Uint32Array, coeffs: Float64Array, T: number, W: number, masks: Uint32Array, mo: number, count: number, k: number,
): void {
  const S = 2 * W;
  for (let t = 0; t < T; t++) {
    const base = t * S;
    let par = 0;
    for (let j = 0; j < count; j++) {
      const w = masks[mo + 3 * j]!;
      par ^= popcount32(((s[base + w]! & masks[mo + 3 * j + 2]!) ^ (s[base + W + w]! & masks[mo + 3 * j + 1]!)) >>> 0);
    }
    if ((par & 1) === 0) continue;
    if (k === 2) {
      coeffs[t] = -coeffs[t]!;
      continue;
    }
    // Q → sin(kπ/2)·iGQ; iGQ = ±Q' with the phase of G·Q (pauli/packed.ts phaseCount / iGQSign).
    let phase = 0;
    for (let j = 0; j < count; j++) {
      const w = masks[mo + 3 * j]!;
      const gx = masks[mo + 3 * j + 1]!, gz = masks[mo + 3 * j + 2]!;
      const x = s[base + w]!, z = s[base + W + w]!;
      phase += phaseCount(gx & ~gz, gx & gz, ~gx & gz, x, z);
      s[base + w] = x ^ gx;
      s[base + W + w] = z ^ gz;
    }
    const sign = iGQSign(phase) * (k === 3 ? -1 : 1);
    if (sign < 0) coeffs[t] = -coeffs[t]!;
  }
}
