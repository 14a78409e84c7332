import { CLIFFORD_GATES } from '../../ir/clifford-gates.js';
import type { CliffordName } from '../../ir/types.js';

/**
 * In-place kernels for the IR's Clifford gates on split re/im amplitude arrays (qubit q = bit q
 * of the index). Amplitude pairs are enumerated without branches: for a counter i over half the
 * indices, `i + (i & -s)` inserts a zero bit at the position of stride s.
 */

const R = Math.SQRT1_2;

export function applyClifford(name: CliffordName, qubits: readonly number[], re: Float64Array, im: Float64Array): void {
  const a = qubits[0]!;
  switch (name) {
    case 'h': return applyH(re, im, a);
    case 's': return applyPhaseI(re, im, a, 1);
    case 'sdg': return applyPhaseI(re, im, a, -1);
    case 'x': return applyX(re, im, a);
    case 'y': return applyY(re, im, a);
    case 'z': return applyZ(re, im, a);
    case 'sx': return applySX(re, im, a, 1);
    case 'sxdg': return applySX(re, im, a, -1);
    case 'cx': return applyCX(re, im, a, qubits[1]!);
    case 'cy': return applyCY(re, im, a, qubits[1]!);
    case 'cz': return applyCZ(re, im, a, qubits[1]!);
    case 'swap': return applySwap(re, im, a, qubits[1]!);
  }
}

/** The inverse gate's name (every IR Clifford's inverse is again an IR Clifford). */
export function inverseClifford(name: CliffordName): CliffordName {
  return CLIFFORD_GATES[name].inverse;
}

function applyH(re: Float64Array, im: Float64Array, q: number): void {
  const s = 1 << q, hi = -s, half = re.length >>> 1;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k + s;
    const r0 = re[k], i0 = im[k], r1 = re[j], i1 = im[j];
    re[k] = (r0 + r1) * R;
    im[k] = (i0 + i1) * R;
    re[j] = (r0 - r1) * R;
    im[j] = (i0 - i1) * R;
  }
}

/** diag(1, ±i): S for sign +1, S† for −1. */
function applyPhaseI(re: Float64Array, im: Float64Array, q: number, sign: number): void {
  const s = 1 << q, hi = -s, half = re.length >>> 1;
  for (let i = 0; i < half; i++) {
    const j = i + (i & hi) + s;
    const r = re[j];
    re[j] = -sign * im[j];
    im[j] = sign * r;
  }
}

function applyX(re: Float64Array, im: Float64Array, q: number): void {
  const s = 1 << q, hi = -s, half = re.length >>> 1;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k + s;
    const r = re[k], m = im[k];
    re[k] = re[j];
    im[k] = im[j];
    re[j] = r;
    im[j] = m;
  }
}

/** Y = [[0, −i], [i, 0]]. */
function applyY(re: Float64Array, im: Float64Array, q: number): void {
  const s = 1 << q, hi = -s, half = re.length >>> 1;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k + s;
    const r0 = re[k], i0 = im[k];
    re[k] = im[j];
    im[k] = -re[j];
    re[j] = -i0;
    im[j] = r0;
  }
}

function applyZ(re: Float64Array, im: Float64Array, q: number): void {
  const s = 1 << q, hi = -s, half = re.length >>> 1;
  for (let i = 0; i < half; i++) {
    const j = i + (i & hi) + s;
    re[j] = -re[j];
    im[j] = -im[j];
  }
}

/** √X = ½[[1+i, 1−i], [1−i, 1+i]] for sign +1; its adjoint (conjugate entries) for −1. */
function applySX(re: Float64Array, im: Float64Array, q: number, sign: number): void {
  const s = 1 << q, hi = -s, half = re.length >>> 1;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k + s;
    const r0 = re[k], i0 = im[k], r1 = re[j], i1 = im[j];
    // (1 ± i)a = (ar ∓ ai) + i(ai ± ar)
    re[k] = 0.5 * (r0 - sign * i0 + r1 + sign * i1);
    im[k] = 0.5 * (i0 + sign * r0 + i1 - sign * r1);
    re[j] = 0.5 * (r0 + sign * i0 + r1 - sign * i1);
    im[j] = 0.5 * (i0 - sign * r0 + i1 + sign * r1);
  }
}

/** Index with zero bits inserted at positions lo < hi (given as strides). */
function quarterLoopMasks(a: number, b: number): [number, number, number, number] {
  const sa = 1 << a, sb = 1 << b;
  const lo = Math.min(sa, sb), hi = Math.max(sa, sb);
  return [sa, sb, -lo, -hi];
}

function applyCX(re: Float64Array, im: Float64Array, c: number, t: number): void {
  const [sc, st, mlo, mhi] = quarterLoopMasks(c, t);
  const quarter = re.length >>> 2;
  for (let i = 0; i < quarter; i++) {
    let k = i + (i & mlo);
    k = k + (k & mhi) + sc;
    const j = k + st;
    const r = re[k], m = im[k];
    re[k] = re[j];
    im[k] = im[j];
    re[j] = r;
    im[j] = m;
  }
}

function applyCY(re: Float64Array, im: Float64Array, c: number, t: number): void {
  const [sc, st, mlo, mhi] = quarterLoopMasks(c, t);
  const quarter = re.length >>> 2;
  for (let i = 0; i < quarter; i++) {
    let k = i + (i & mlo);
    k = k + (k & mhi) + sc;
    const j = k + st;
    const r0 = re[k], i0 = im[k];
    re[k] = im[j];
    im[k] = -re[j];
    re[j] = -i0;
    im[j] = r0;
  }
}

function applyCZ(re: Float64Array, im: Float64Array, c: number, t: number): void {
  const [sc, st, mlo, mhi] = quarterLoopMasks(c, t);
  const quarter = re.length >>> 2;
  for (let i = 0; i < quarter; i++) {
    let k = i + (i & mlo);
    k = k + (k & mhi) + sc + st;
    re[k] = -re[k];
    im[k] = -im[k];
  }
}

function applySwap(re: Float64Array, im: Float64Array, a: number, b: number): void {
  const [sa, sb, mlo, mhi] = quarterLoopMasks(a, b);
  const quarter = re.length >>> 2;
  for (let i = 0; i < quarter; i++) {
    let k = i + (i & mlo);
    k = k + (k & mhi);
    const x = k + sa, y = k + sb;
    const r = re[x], m = im[x];
    re[x] = re[y];
    im[x] = im[y];
    re[y] = r;
    im[y] = m;
  }
}
