import type { PauliMask } from './pauli-mask.js';
import { highestBit } from './pauli-mask.js';
import { parity32 } from '../../pauli/packed.js';
import { I_POWER_IM, I_POWER_RE } from './rotation-kernels.js';

/**
 * Read-only passes with a Pauli string P (mask conventions in pauli-mask.ts): expectation values,
 * matrix elements and λ += c·Pψ. None allocates a vector: P acts on the fly through the pairs
 * (k, k ^ x), since (Pψ)_k = i^numY · σ_{k^x} · ψ_{k^x} with σ_j = (−1)^popcount(j & z).
 */

/** ⟨ψ|P|ψ⟩ (real because P is Hermitian). */
export function pauliExpectation(mask: PauliMask, re: Float64Array, im: Float64Array): number {
  const { x, z, numY } = mask;
  const n = re.length;
  if (x === 0) {
    if (z === 0) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += re[k] * re[k] + im[k] * im[k];
      return sum;
    }
    if ((z & (z - 1)) === 0) {
      const st = z, hi = -st, half = n >>> 1;
      let sum = 0;
      for (let i = 0; i < half; i++) {
        const k = i + (i & hi), j = k + st;
        sum += re[k] * re[k] + im[k] * im[k] - re[j] * re[j] - im[j] * im[j];
      }
      return sum;
    }
    let plus = 0, minus = 0;
    for (let k = 0; k < n; k++) {
      const p = re[k] * re[k] + im[k] * im[k];
      if (parity32(k & z) === 0) plus += p;
      else minus += p;
    }
    return plus - minus;
  }
  // 2 Σ_pairs σ_{k'} Re(i^numY · conj(ψ_k) ψ_{k'}), Re(i^m w) = ar·Re w + ai·Im w.
  const m = numY & 3;
  const ar = I_POWER_RE[m]!, ai = -I_POWER_IM[m]!;
  const p = highestBit(x), hi = -p, half = n >>> 1;
  let sum = 0;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k ^ x;
    const r0 = re[k], i0 = im[k], r1 = re[j], i1 = im[j];
    const v = ar * (r0 * r1 + i0 * i1) + ai * (r0 * i1 - i0 * r1);
    if (parity32(j & z) === 0) sum += v;
    else sum -= v;
  }
  return 2 * sum;
}

/** ⟨φ|P|ψ⟩ as [re, im] written into `out`. */
export function pauliMatrixElement(
  mask: PauliMask, bre: Float64Array, bim: Float64Array, kre: Float64Array, kim: Float64Array, out: Float64Array,
): void {
  const { x, z, numY } = mask;
  const n = bre.length;
  let sr = 0, si = 0;
  if (x === 0) {
    for (let k = 0; k < n; k++) {
      const wr = bre[k] * kre[k] + bim[k] * kim[k];
      const wi = bre[k] * kim[k] - bim[k] * kre[k];
      if (parity32(k & z) === 0) {
        sr += wr;
        si += wi;
      } else {
        sr -= wr;
        si -= wi;
      }
    }
  } else {
    const p = highestBit(x), hi = -p, half = n >>> 1;
    const flip = numY & 1;
    for (let i = 0; i < half; i++) {
      const k = i + (i & hi), j = k ^ x;
      const pk = parity32(k & z);
      // σ_j conj(φ_k) ψ_j + σ_k conj(φ_j) ψ_k
      const sj = pk ^ flip ? -1 : 1, sk = pk ? -1 : 1;
      sr += sj * (bre[k] * kre[j] + bim[k] * kim[j]) + sk * (bre[j] * kre[k] + bim[j] * kim[k]);
      si += sj * (bre[k] * kim[j] - bim[k] * kre[j]) + sk * (bre[j] * kim[k] - bim[j] * kre[k]);
    }
  }
  // multiply by i^numY
  const m = numY & 3;
  const pr = I_POWER_RE[m]!, pi = I_POWER_IM[m]!;
  out[0] = pr * sr - pi * si;
  out[1] = pr * si + pi * sr;
}

/** λ += coeff · P ψ (λ and ψ distinct arrays). */
export function accumulatePauli(
  mask: PauliMask, coeff: number, pre: Float64Array, pim: Float64Array, lre: Float64Array, lim: Float64Array,
): void {
  const { x, z, numY } = mask;
  const n = pre.length;
  if (x === 0) {
    for (let k = 0; k < n; k++) {
      const t = parity32(k & z) === 0 ? coeff : -coeff;
      lre[k] += t * pre[k];
      lim[k] += t * pim[k];
    }
    return;
  }
  const m = numY & 3;
  const gr = coeff * I_POWER_RE[m]!, gi = coeff * I_POWER_IM[m]!;
  const flip = numY & 1;
  const p = highestBit(x), hi = -p, half = n >>> 1;
  for (let i = 0; i < half; i++) {
    const k = i + (i & hi), j = k ^ x;
    const pk = parity32(k & z);
    const sj = pk ^ flip ? -1 : 1, sk = pk ? -1 : 1;
    const r0 = pre[k], i0 = pim[k], r1 = pre[j], i1 = pim[j];
    lre[k] += sj * (gr * r1 - gi * i1);
    lim[k] += sj * (gr * i1 + gi * r1);
    lre[j] += sk * (gr * r0 - gi * i0);
    lim[j] += sk * (gr * i0 + gi * r0);
  }
}
