import type { Expr } from './emit.js';
import { assembleModule, compileExpr, F64, FunctionBuilder, I32, op, V128 } from './emit.js';

/**
 * WebAssembly versions of the hot forward-pass kernels (same formulas as the JS kernels in
 * ../clifford-kernels.ts, ../rotation-kernels.ts and ../pauli-kernels.ts). Amplitudes live in the
 * instance's memory as two arrays of f64 at byte offsets `re` and `im`; qubit q = bit q of the index.
 *
 * Pair kernels (one target bit, optionally one control bit) come in a scalar form and an f64x2 form
 * that handles the neighbouring indices k, k+1 together; the f64x2 form needs bit 0 to be neither
 * the target nor the control. Every kernel is generated from the templates below.
 */

/** The per-pair arithmetic of a single-qubit gate: new (r0, i0, r1, i1) from old ones and params p, q. */
type PairFormula = (v: { r0: number; i0: number; r1: number; i1: number; p: number; q: number }) => (Expr | null)[];

const mul = (a: Expr, b: Expr): Expr => ['*', a, b];
const add = (a: Expr, b: Expr): Expr => ['+', a, b];
const sub = (a: Expr, b: Expr): Expr => ['-', a, b];
const neg = (a: Expr): Expr => ['neg', a];

/** Params: p = cos(θ/2), q = sin(θ/2) for rotations; see each entry. `null` leaves a value unchanged. */
export const PAIR_FORMULAS = {
  rx: ({ r0, i0, r1, i1, p, q }) => [add(mul(p, r0), mul(q, i1)), sub(mul(p, i0), mul(q, r1)), add(mul(p, r1), mul(q, i0)), sub(mul(p, i1), mul(q, r0))],
  ry: ({ r0, i0, r1, i1, p, q }) => [sub(mul(p, r0), mul(q, r1)), sub(mul(p, i0), mul(q, i1)), add(mul(q, r0), mul(p, r1)), add(mul(q, i0), mul(p, i1))],
  rz: ({ r0, i0, r1, i1, p, q }) => [add(mul(p, r0), mul(q, i0)), sub(mul(p, i0), mul(q, r0)), sub(mul(p, r1), mul(q, i1)), add(mul(p, i1), mul(q, r1))],
  /** p = 1/√2 */
  h: ({ r0, i0, r1, i1, p }) => [mul(p, add(r0, r1)), mul(p, add(i0, i1)), mul(p, sub(r0, r1)), mul(p, sub(i0, i1))],
  x: ({ r0, i0, r1, i1 }) => [r1, i1, r0, i0],
  y: ({ r0, i0, r1, i1 }) => [i1, neg(r1), neg(i0), r0],
  z: ({ r1, i1 }) => [null, null, neg(r1), neg(i1)],
  /** diag(1, ±i) with p = ±1 */
  phaseI: ({ r1, i1, p }) => [null, null, neg(mul(p, i1)), mul(p, r1)],
  /** √X (q = +1) or its adjoint (q = −1), p = ½ */
  sx: ({ r0, i0, r1, i1, p, q }) => [
    mul(p, add(add(r0, r1), mul(q, sub(i1, i0)))),
    mul(p, add(add(i0, i1), mul(q, sub(r0, r1)))),
    mul(p, add(add(r0, r1), mul(q, sub(i0, i1)))),
    mul(p, add(add(i0, i1), mul(q, sub(r1, r0)))),
  ],
} satisfies Record<string, PairFormula>;

export type PairKernelName = keyof typeof PAIR_FORMULAS;
export const CONTROLLED_KERNELS = ['x', 'y', 'z'] as const satisfies readonly PairKernelName[];

export function pairKernelName(gate: PairKernelName, controlled: boolean, vector: boolean): string {
  return `${gate}_${controlled ? 'c' : 'u'}_${vector ? 'v' : 's'}`;
}

/**
 * (re, im, count, tstride, cstride, lowMask, highMask, p, q): for i in [0, count) (step 2 when
 * vectorized) k = i with a zero bit inserted at lowMask's position (−stride) and, when
 * controlled, another at highMask's, plus the control stride; the pair is (k, k + tstride).
 */
function pairKernel(gate: PairKernelName, controlled: boolean, vector: boolean): FunctionBuilder {
  const f = new FunctionBuilder(pairKernelName(gate, controlled, vector), [I32, I32, I32, I32, I32, I32, I32, F64, F64]);
  const [re, im, count, tstride, cstride, lowMask, highMask, pIn, qIn] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const i = f.local(I32), k = f.local(I32), kb = f.local(I32), jb = f.local(I32);
  const T = vector ? V128 : F64;
  const p = vector ? f.local(V128) : pIn, q = vector ? f.local(V128) : qIn;
  const r0 = f.local(T), i0 = f.local(T), r1 = f.local(T), i1 = f.local(T);
  const load = vector ? op.vLoad : op.f64Load, store = vector ? op.vStore : op.f64Store;
  if (vector) f.emit(op.get(pIn), op.vSplat, op.set(p), op.get(qIn), op.vSplat, op.set(q));
  const outs = PAIR_FORMULAS[gate]({ r0, i0, r1, i1, p, q });
  f.emit(op.i32(0), op.set(i), op.block, op.loop);
  f.emit(op.get(i), op.get(count), op.i32GeU, op.brIf(1));
  // k = i + (i & lowMask) [+ then (k & highMask) + cstride]
  f.emit(op.get(i), op.get(i), op.get(lowMask), op.i32And, op.i32Add, op.set(k));
  if (controlled) f.emit(op.get(k), op.get(k), op.get(highMask), op.i32And, op.i32Add, op.get(cstride), op.i32Add, op.set(k));
  f.emit(op.get(k), op.i32(3), op.i32Shl, op.set(kb));
  f.emit(op.get(k), op.get(tstride), op.i32Add, op.i32(3), op.i32Shl, op.set(jb));
  f.emit(op.get(re), op.get(kb), op.i32Add, load, op.set(r0));
  f.emit(op.get(im), op.get(kb), op.i32Add, load, op.set(i0));
  f.emit(op.get(re), op.get(jb), op.i32Add, load, op.set(r1));
  f.emit(op.get(im), op.get(jb), op.i32Add, load, op.set(i1));
  const targets = [[re, kb], [im, kb], [re, jb], [im, jb]] as const;
  outs.forEach((e, n) => {
    if (e === null) return;
    const [base, at] = targets[n]!;
    f.emit(op.get(base), op.get(at), op.i32Add, compileExpr(e, vector), store);
  });
  f.emit(op.get(i), op.i32(vector ? 2 : 1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  return f;
}

/**
 * (re, im, n, z, c, s): ψ_k ← (c − i·t_k) ψ_k with t_k = ±s by the parity of k & z — a Z-type
 * rotation of any weight. Vector form: lanes k, k+1 with their own signs.
 */
function diagonalKernel(vector: boolean): FunctionBuilder {
  const f = new FunctionBuilder(vector ? 'diag_v' : 'diag_s', [I32, I32, I32, I32, F64, F64]);
  const [re, im, n, z, c, s] = [0, 1, 2, 3, 4, 5];
  const k = f.local(I32), kb = f.local(I32), ns = f.local(F64);
  const sign = (kExpr: number[]) => [op.get(ns), op.get(s), ...kExpr, op.get(z), op.i32And, op.i32Popcnt, op.i32(1), op.i32And, op.select].flat();
  f.emit(op.get(s), op.f64Neg, op.set(ns));
  const T = vector ? V128 : F64;
  const cc = vector ? f.local(V128) : c;
  const t = f.local(T), r = f.local(T), m = f.local(T);
  if (vector) f.emit(op.get(c), op.vSplat, op.set(cc));
  f.emit(op.i32(0), op.set(k), op.block, op.loop);
  f.emit(op.get(k), op.get(n), op.i32GeU, op.brIf(1));
  f.emit(op.get(k), op.i32(3), op.i32Shl, op.set(kb));
  if (vector) {
    f.emit(sign(op.get(k)), op.vSplat, sign([...op.get(k), ...op.i32(1), ...op.i32Or]), op.vReplace(1), op.set(t));
  } else {
    f.emit(sign(op.get(k)), op.set(t));
  }
  const load = vector ? op.vLoad : op.f64Load, store = vector ? op.vStore : op.f64Store;
  f.emit(op.get(re), op.get(kb), op.i32Add, load, op.set(r));
  f.emit(op.get(im), op.get(kb), op.i32Add, load, op.set(m));
  f.emit(op.get(re), op.get(kb), op.i32Add, compileExpr(add(mul(cc, r), mul(t, m)), vector), store);
  f.emit(op.get(im), op.get(kb), op.i32Add, compileExpr(sub(mul(cc, m), mul(t, r)), vector), store);
  f.emit(op.get(k), op.i32(vector ? 2 : 1), op.i32Add, op.set(k), op.br(0), op.end, op.end);
  return f;
}

/**
 * (re, im, quarter, sa, sb, lowMask, highMask, c, s): exp(−iθ Z_a Z_b / 2) over quads
 * k, k+sa, k+sb, k+sa+sb (k with both bits clear): e^{−iθ/2} on even parity, e^{+iθ/2} on odd.
 * Vector form needs both bits ≥ 1.
 */
function zzKernel(vector: boolean): FunctionBuilder {
  const f = new FunctionBuilder(vector ? 'zz_v' : 'zz_s', [I32, I32, I32, I32, I32, I32, I32, F64, F64]);
  const [re, im, quarter, sa, sb, lowMask, highMask, cIn, sIn] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const i = f.local(I32), k = f.local(I32), b = f.local(I32);
  const T = vector ? V128 : F64;
  const c = vector ? f.local(V128) : cIn, s = vector ? f.local(V128) : sIn;
  const r = f.local(T), m = f.local(T);
  const load = vector ? op.vLoad : op.f64Load, store = vector ? op.vStore : op.f64Store;
  if (vector) f.emit(op.get(cIn), op.vSplat, op.set(c), op.get(sIn), op.vSplat, op.set(s));
  f.emit(op.i32(0), op.set(i), op.block, op.loop);
  f.emit(op.get(i), op.get(quarter), op.i32GeU, op.brIf(1));
  f.emit(op.get(i), op.get(i), op.get(lowMask), op.i32And, op.i32Add, op.set(k));
  f.emit(op.get(k), op.get(k), op.get(highMask), op.i32And, op.i32Add, op.set(k));
  const phase = (offset: number[], odd: boolean) => {
    f.emit(op.get(k), offset, op.i32(3), op.i32Shl, op.set(b));
    f.emit(op.get(re), op.get(b), op.i32Add, load, op.set(r), op.get(im), op.get(b), op.i32Add, load, op.set(m));
    f.emit(op.get(re), op.get(b), op.i32Add, compileExpr(odd ? sub(mul(c, r), mul(s, m)) : add(mul(c, r), mul(s, m)), vector), store);
    f.emit(op.get(im), op.get(b), op.i32Add, compileExpr(odd ? add(mul(c, m), mul(s, r)) : sub(mul(c, m), mul(s, r)), vector), store);
  };
  phase([], false);
  phase([...op.get(sa), ...op.i32Add], true);
  phase([...op.get(sb), ...op.i32Add], true);
  phase([...op.get(sa), ...op.i32Add, ...op.get(sb), ...op.i32Add], false);
  f.emit(op.get(i), op.i32(vector ? 2 : 1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  return f;
}

/**
 * (re, im, half, x, z, pivotMask, flip, c, A, B): general Pauli rotation over pairs (k, k ^ x),
 * ψ'_k = c ψ_k + σ_j (A + iB) ψ_j and ψ'_j = c ψ_j + σ_k (A + iB) ψ_k (see rotation-kernels.ts).
 */
function generalRotationKernel(): FunctionBuilder {
  const f = new FunctionBuilder('rot_general', [I32, I32, I32, I32, I32, I32, I32, F64, F64, F64]);
  const [re, im, half, x, z, pivotMask, flip, c, A, B] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const i = f.local(I32), k = f.local(I32), kb = f.local(I32), jb = f.local(I32), pk = f.local(I32);
  const sk = f.local(F64), sj = f.local(F64);
  const r0 = f.local(F64), i0 = f.local(F64), r1 = f.local(F64), i1 = f.local(F64);
  f.emit(op.i32(0), op.set(i), op.block, op.loop);
  f.emit(op.get(i), op.get(half), op.i32GeU, op.brIf(1));
  f.emit(op.get(i), op.get(i), op.get(pivotMask), op.i32And, op.i32Add, op.set(k));
  f.emit(op.get(k), op.i32(3), op.i32Shl, op.set(kb));
  f.emit(op.get(k), op.get(x), op.i32Xor, op.i32(3), op.i32Shl, op.set(jb));
  f.emit(op.get(k), op.get(z), op.i32And, op.i32Popcnt, op.i32(1), op.i32And, op.set(pk));
  f.emit(op.f64(-1), op.f64(1), op.get(pk), op.select, op.set(sk));
  f.emit(op.f64(-1), op.f64(1), op.get(pk), op.get(flip), op.i32Xor, op.select, op.set(sj));
  f.emit(op.get(re), op.get(kb), op.i32Add, op.f64Load, op.set(r0));
  f.emit(op.get(im), op.get(kb), op.i32Add, op.f64Load, op.set(i0));
  f.emit(op.get(re), op.get(jb), op.i32Add, op.f64Load, op.set(r1));
  f.emit(op.get(im), op.get(jb), op.i32Add, op.f64Load, op.set(i1));
  const st = (base: number, at: number, e: Expr) => f.emit(op.get(base), op.get(at), op.i32Add, compileExpr(e, false), op.f64Store);
  st(re, kb, add(mul(c, r0), mul(sj, sub(mul(A, r1), mul(B, i1)))));
  st(im, kb, add(mul(c, i0), mul(sj, add(mul(A, i1), mul(B, r1)))));
  st(re, jb, add(mul(c, r1), mul(sk, sub(mul(A, r0), mul(B, i0)))));
  st(im, jb, add(mul(c, i1), mul(sk, add(mul(A, i0), mul(B, r0)))));
  f.emit(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  return f;
}

/** (re, im, n, z) → Σ_k (−1)^popcount(k & z) |ψ_k|². */
function diagonalExpectationKernel(): FunctionBuilder {
  const f = new FunctionBuilder('exp_diag', [I32, I32, I32, I32], [F64]);
  const [re, im, n, z] = [0, 1, 2, 3];
  const k = f.local(I32), kb = f.local(I32), sum = f.local(F64), r = f.local(F64), m = f.local(F64), w = f.local(F64);
  f.emit(op.f64(0), op.set(sum), op.i32(0), op.set(k), op.block, op.loop);
  f.emit(op.get(k), op.get(n), op.i32GeU, op.brIf(1));
  f.emit(op.get(k), op.i32(3), op.i32Shl, op.set(kb));
  f.emit(op.get(re), op.get(kb), op.i32Add, op.f64Load, op.set(r));
  f.emit(op.get(im), op.get(kb), op.i32Add, op.f64Load, op.set(m));
  f.emit(compileExpr(add(mul(r, r), mul(m, m)), false), op.set(w));
  f.emit(op.get(w), op.get(w), op.f64Neg, op.get(k), op.get(z), op.i32And, op.i32Popcnt, op.i32(1), op.i32And, op.i32Eqz, op.select);
  f.emit(op.get(sum), op.f64Add, op.set(sum));
  f.emit(op.get(k), op.i32(1), op.i32Add, op.set(k), op.br(0), op.end, op.end);
  f.emit(op.get(sum));
  return f;
}

/** (re, im, half, x, z, pivotMask, ar, ai) → Σ_pairs σ_j (ar·Re w + ai·Im w), w = conj(ψ_k) ψ_j. */
function pairExpectationKernel(): FunctionBuilder {
  const f = new FunctionBuilder('exp_pairs', [I32, I32, I32, I32, I32, I32, F64, F64], [F64]);
  const [re, im, half, x, z, pivotMask, ar, ai] = [0, 1, 2, 3, 4, 5, 6, 7];
  const i = f.local(I32), k = f.local(I32), j = f.local(I32), kb = f.local(I32), jb = f.local(I32);
  const sum = f.local(F64), v = f.local(F64);
  const r0 = f.local(F64), i0 = f.local(F64), r1 = f.local(F64), i1 = f.local(F64);
  f.emit(op.f64(0), op.set(sum), op.i32(0), op.set(i), op.block, op.loop);
  f.emit(op.get(i), op.get(half), op.i32GeU, op.brIf(1));
  f.emit(op.get(i), op.get(i), op.get(pivotMask), op.i32And, op.i32Add, op.set(k));
  f.emit(op.get(k), op.get(x), op.i32Xor, op.set(j));
  f.emit(op.get(k), op.i32(3), op.i32Shl, op.set(kb), op.get(j), op.i32(3), op.i32Shl, op.set(jb));
  f.emit(op.get(re), op.get(kb), op.i32Add, op.f64Load, op.set(r0));
  f.emit(op.get(im), op.get(kb), op.i32Add, op.f64Load, op.set(i0));
  f.emit(op.get(re), op.get(jb), op.i32Add, op.f64Load, op.set(r1));
  f.emit(op.get(im), op.get(jb), op.i32Add, op.f64Load, op.set(i1));
  f.emit(compileExpr(add(mul(ar, add(mul(r0, r1), mul(i0, i1))), mul(ai, sub(mul(r0, i1), mul(i0, r1)))), false), op.set(v));
  f.emit(op.get(v), op.get(v), op.f64Neg, op.get(j), op.get(z), op.i32And, op.i32Popcnt, op.i32(1), op.i32And, op.i32Eqz, op.select);
  f.emit(op.get(sum), op.f64Add, op.set(sum));
  f.emit(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  f.emit(op.get(sum));
  return f;
}

/** The complete kernel module's bytes. */
export function buildKernelModule(): Uint8Array {
  const funcs: FunctionBuilder[] = [];
  for (const gate of Object.keys(PAIR_FORMULAS) as PairKernelName[]) {
    for (const vector of [false, true]) funcs.push(pairKernel(gate, false, vector));
  }
  for (const gate of CONTROLLED_KERNELS) for (const vector of [false, true]) funcs.push(pairKernel(gate, true, vector));
  funcs.push(zzKernel(false), zzKernel(true), diagonalKernel(false), diagonalKernel(true), generalRotationKernel(), diagonalExpectationKernel(), pairExpectationKernel());
  return assembleModule(funcs);
}
