import { parity32 } from '../../pauli/packed.js';
import type { PauliMask } from './pauli-mask.js';
import { highestBit } from './pauli-mask.js';

/**
 * exp(−iθP/2)|ψ⟩ = cos(θ/2)|ψ⟩ − i·sin(θ/2)·P|ψ⟩ in place, in one pass over amplitude pairs
 * (k, k ^ x), with fast paths for single-qubit X/Y/Z and two-qubit ZZ generators.
 * Conventions of the mask: see pauli-mask.ts.
 */
export function applyPauliRotation(mask: PauliMask, theta: number, re: Float64Array, im: Float64Array): void {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  const { x, z } = mask;
  if (x === 0) {
    if (z === 0) return rotDiagonal(re, im, 0, c, s); // identity generator: global phase only
    if ((z & (z - 1)) === 0) return rotZ(re, im, 31 - Math.clz32(z), c, s);
    const rest = z & (z - 1);
    if ((rest & (rest - 1)) === 0) return rotZZ(re, im, z & -z, rest, c, s);
    return rotDiagonal(re, im, z, c, s);
  }
  if ((x & (x - 1)) === 0) {
    const q = 31 - Math.clz32(x);
    if (z === 0) return rotX(re, im, q, c, s);
    if (z === x) return rotY(re, im, q, c, s);
  }
  return rotGeneral(re, im, mask, c, s);
}

/** i^m as (re, im). */
export const I_POWER_RE: readonly number[] = [1, 0, -1, 0];
export const I_POWER_IM: readonly number[] = [0, 1, 0, -1];

function rotX(re: Float64Array, im: Float64Array, q: number, c: number, s: number): void {
  const st = 1 << q, hi = -st, half = re.length >>> 1;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k + st;
    const r0 = re[k], i0 = im[k], r1 = re[j], i1 = im[j];
    re[k] = c * r0 + s * i1;
    im[k] = c * i0 - s * r1;
    re[j] = c * r1 + s * i0;
    im[j] = c * i1 - s * r0;
  }
}

function rotY(re: Float64Array, im: Float64Array, q: number, c: number, s: number): void {
  const st = 1 << q, hi = -st, half = re.length >>> 1;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k + st;
    const r0 = re[k], i0 = im[k], r1 = re[j], i1 = im[j];
    re[k] = c * r0 - s * r1;
    im[k] = c * i0 - s * i1;
    re[j] = s * r0 + c * r1;
    im[j] = s * i0 + c * i1;
  }
}

function rotZ(re: Float64Array, im: Float64Array, q: number, c: number, s: number): void {
  const st = 1 << q, hi = -st, half = re.length >>> 1;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k + st;
    const r0 = re[k], i0 = im[k], r1 = re[j], i1 = im[j];
    re[k] = c * r0 + s * i0;
    im[k] = c * i0 - s * r0;
    re[j] = c * r1 - s * i1;
    im[j] = c * i1 + s * r1;
  }
}

/** exp(−iθ Z_a Z_b / 2) with strides sa < sb: phase e^{∓iθ/2} on even/odd parity. */
function rotZZ(re: Float64Array, im: Float64Array, sa: number, sb: number, c: number, s: number): void {
  const ma = -sa, mb = -sb, quarter = re.length >>> 2;
  for (let i = 0; i < quarter; i++) {
    let k = i + (i & ma);
    k = k + (k & mb);
    const k1 = k + sa, k2 = k + sb, k3 = k1 + sb;
    let r = re[k], m = im[k];
    re[k] = c * r + s * m;
    im[k] = c * m - s * r;
    r = re[k3];
    m = im[k3];
    re[k3] = c * r + s * m;
    im[k3] = c * m - s * r;
    r = re[k1];
    m = im[k1];
    re[k1] = c * r - s * m;
    im[k1] = c * m + s * r;
    r = re[k2];
    m = im[k2];
    re[k2] = c * r - s * m;
    im[k2] = c * m + s * r;
  }
}

/** Z-type generator of any weight: ψ_k ← (c − i·s·σ_k) ψ_k with σ_k = (−1)^popcount(k & z). */
function rotDiagonal(re: Float64Array, im: Float64Array, z: number, c: number, s: number): void {
  const n = re.length;
  for (let k = 0; k < n; k++) {
    const t = parity32(k & z) === 0 ? s : -s;
    const r = re[k], m = im[k];
    re[k] = c * r + t * m;
    im[k] = c * m - t * r;
  }
}

/**
 * Generator with X/Y letters: for each pair (k, k' = k ^ x) with the pivot bit of k clear,
 * ψ'_k = c ψ_k + s σ_{k'} ω ψ_{k'} and ψ'_{k'} = c ψ_{k'} + s σ_k ω ψ_k, where ω = −i·i^numY and
 * σ_j = (−1)^popcount(j & z); σ_{k'} = σ_k·(−1)^numY because x & z marks the Y letters.
 */
function rotGeneral(re: Float64Array, im: Float64Array, mask: PauliMask, c: number, s: number): void {
  const { x, z, numY } = mask;
  const w = (numY + 3) & 3;
  const A = s * I_POWER_RE[w]!, B = s * I_POWER_IM[w]!;
  const flipSign = numY & 1 ? -1 : 1;
  const p = highestBit(x), hi = -p, half = re.length >>> 1;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k ^ x;
    const sk = parity32(k & z) === 0 ? 1 : -1;
    const sj = sk * flipSign;
    const r0 = re[k], i0 = im[k], r1 = re[j], i1 = im[j];
    re[k] = c * r0 + sj * (A * r1 - B * i1);
    im[k] = c * i0 + sj * (A * i1 + B * r1);
    re[j] = c * r1 + sk * (A * r0 - B * i0);
    im[j] = c * i1 + sk * (A * i0 + B * r0);
  }
}
