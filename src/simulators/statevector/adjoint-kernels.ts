import type { PauliMask } from './pauli-mask.js';
import { highestBit } from './pauli-mask.js';
import { parity32 } from '../../pauli/packed.js';
import { I_POWER_IM, I_POWER_RE } from './rotation-kernels.js';

/**
 * One backward step of the adjoint method for a rotation exp(−iθP/2), fused into a single pass:
 * returns g = Im⟨λ|P|ψ⟩ from the amplitudes as they are (the point just after the gate), and
 * un-applies the rotation (angle −θ) from both ψ and λ. With C = ⟨ψ|O|ψ⟩ and λ = U_after†·O·ψ,
 * dC/dθ = 2·Re⟨λ|(−iP/2)|ψ⟩ = Im⟨λ|P|ψ⟩ = g.
 */
export function adjointRotationStep(
  mask: PauliMask, theta: number,
  pre: Float64Array, pim: Float64Array, lre: Float64Array, lim: Float64Array,
): number {
  const c = Math.cos(theta / 2);
  const s = -Math.sin(theta / 2); // inverse rotation
  const { x, z } = mask;
  if ((x & (x - 1)) === 0 && (z & (z - 1)) === 0 && (x | z) !== 0) {
    const q = 31 - Math.clz32(x | z);
    if (x === 0) return stepZ(q, c, s, pre, pim, lre, lim);
    if (z === 0) return stepX(q, c, s, pre, pim, lre, lim);
    if (z === x) return stepY(q, c, s, pre, pim, lre, lim);
  }
  if (x === 0) return stepDiagonal(z, c, s, pre, pim, lre, lim);
  return stepGeneral(mask, c, s, pre, pim, lre, lim);
}

function stepX(
  q: number, c: number, s: number, pre: Float64Array, pim: Float64Array, lre: Float64Array, lim: Float64Array,
): number {
  const st = 1 << q, hi = -st, half = pre.length >>> 1;
  let g = 0;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k + st;
    const r0 = pre[k], i0 = pim[k], r1 = pre[j], i1 = pim[j];
    const a0 = lre[k], b0 = lim[k], a1 = lre[j], b1 = lim[j];
    g += a0 * i1 - b0 * r1 + a1 * i0 - b1 * r0;
    pre[k] = c * r0 + s * i1;
    pim[k] = c * i0 - s * r1;
    pre[j] = c * r1 + s * i0;
    pim[j] = c * i1 - s * r0;
    lre[k] = c * a0 + s * b1;
    lim[k] = c * b0 - s * a1;
    lre[j] = c * a1 + s * b0;
    lim[j] = c * b1 - s * a0;
  }
  return g;
}

function stepY(
  q: number, c: number, s: number, pre: Float64Array, pim: Float64Array, lre: Float64Array, lim: Float64Array,
): number {
  const st = 1 << q, hi = -st, half = pre.length >>> 1;
  let g = 0;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k + st;
    const r0 = pre[k], i0 = pim[k], r1 = pre[j], i1 = pim[j];
    const a0 = lre[k], b0 = lim[k], a1 = lre[j], b1 = lim[j];
    // (Yψ)_0 = −iψ_1, (Yψ)_1 = iψ_0
    g += a1 * r0 + b1 * i0 - a0 * r1 - b0 * i1;
    pre[k] = c * r0 - s * r1;
    pim[k] = c * i0 - s * i1;
    pre[j] = s * r0 + c * r1;
    pim[j] = s * i0 + c * i1;
    lre[k] = c * a0 - s * a1;
    lim[k] = c * b0 - s * b1;
    lre[j] = s * a0 + c * a1;
    lim[j] = s * b0 + c * b1;
  }
  return g;
}

function stepZ(
  q: number, c: number, s: number, pre: Float64Array, pim: Float64Array, lre: Float64Array, lim: Float64Array,
): number {
  const st = 1 << q, hi = -st, half = pre.length >>> 1;
  let g = 0;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k + st;
    const r0 = pre[k], i0 = pim[k], r1 = pre[j], i1 = pim[j];
    const a0 = lre[k], b0 = lim[k], a1 = lre[j], b1 = lim[j];
    g += a0 * i0 - b0 * r0 - a1 * i1 + b1 * r1;
    pre[k] = c * r0 + s * i0;
    pim[k] = c * i0 - s * r0;
    pre[j] = c * r1 - s * i1;
    pim[j] = c * i1 + s * r1;
    lre[k] = c * a0 + s * b0;
    lim[k] = c * b0 - s * a0;
    lre[j] = c * a1 - s * b1;
    lim[j] = c * b1 + s * a1;
  }
  return g;
}

/** Z-type generator of any weight (also the identity, whose derivative is 0). */
function stepDiagonal(
  z: number, c: number, s: number, pre: Float64Array, pim: Float64Array, lre: Float64Array, lim: Float64Array,
): number {
  const n = pre.length;
  let g = 0;
  for (let k = 0; k < n; k++) {
    const odd = parity32(k & z);
    const r = pre[k], m = pim[k], a = lre[k], b = lim[k];
    const t = odd ? -s : s;
    g += odd ? b * r - a * m : a * m - b * r;
    pre[k] = c * r + t * m;
    pim[k] = c * m - t * r;
    lre[k] = c * a + t * b;
    lim[k] = c * b - t * a;
  }
  return g;
}

/** Generators with X/Y letters; formulas as in rotation-kernels.ts and pauli-kernels.ts. */
function stepGeneral(
  mask: PauliMask, c: number, s: number, pre: Float64Array, pim: Float64Array, lre: Float64Array, lim: Float64Array,
): number {
  const { x, z, numY } = mask;
  const w = (numY + 3) & 3;
  const A = s * I_POWER_RE[w]!, B = s * I_POWER_IM[w]!;
  const flip = numY & 1;
  const p = highestBit(x), hi = -p, half = pre.length >>> 1;
  let sr = 0, si = 0;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k ^ x;
    const pk = parity32(k & z);
    const sk = pk ? -1 : 1, sj = pk ^ flip ? -1 : 1;
    const r0 = pre[k], i0 = pim[k], r1 = pre[j], i1 = pim[j];
    const a0 = lre[k], b0 = lim[k], a1 = lre[j], b1 = lim[j];
    // S += σ_j conj(λ_k) ψ_j + σ_k conj(λ_j) ψ_k
    sr += sj * (a0 * r1 + b0 * i1) + sk * (a1 * r0 + b1 * i0);
    si += sj * (a0 * i1 - b0 * r1) + sk * (a1 * i0 - b1 * r0);
    pre[k] = c * r0 + sj * (A * r1 - B * i1);
    pim[k] = c * i0 + sj * (A * i1 + B * r1);
    pre[j] = c * r1 + sk * (A * r0 - B * i0);
    pim[j] = c * i1 + sk * (A * i0 + B * r0);
    lre[k] = c * a0 + sj * (A * a1 - B * b1);
    lim[k] = c * b0 + sj * (A * b1 + B * a1);
    lre[j] = c * a1 + sk * (A * a0 - B * b0);
    lim[j] = c * b1 + sk * (A * b0 + B * a0);
  }
  // Im(i^numY · S)
  const m = numY & 3;
  return I_POWER_RE[m]! * si + I_POWER_IM[m]! * sr;
}
