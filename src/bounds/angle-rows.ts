import type { AffineTerm } from '../ir/types.js';
import { angleMapStats, type AngleMapStats } from './order.js';

/**
 * The rows of A (gate-angle displacement per parameter displacement) as the bounds need them:
 * CSR arrays, structurally what surrogate/forms.ts's AngleForms holds (bounds/ imports ir/ only).
 */
export interface AngleRows {
  readonly numParameters: number;
  readonly offsets: Int32Array;
  readonly params: Int32Array;
  readonly coeffs: Float64Array;
}

export function rowCount(a: AngleRows): number {
  return a.offsets.length - 1;
}

/** |ℓ_g(δ)| for every row g into out. */
export function absRowValues(a: AngleRows, delta: ArrayLike<number>, out: Float64Array): void {
  const G = rowCount(a);
  for (let g = 0; g < G; g++) {
    let v = 0;
    for (let i = a.offsets[g]!; i < a.offsets[g + 1]!; i++) v += a.coeffs[i]! * (delta[a.params[i]!] as number);
    out[g] = Math.abs(v);
  }
}

/** ‖a_g‖₁ for every row: max |ℓ_g| over the hypercube |δ_k| ≤ 1. */
export function rowL1Norms(a: AngleRows): Float64Array {
  const G = rowCount(a);
  const out = new Float64Array(G);
  for (let g = 0; g < G; g++) for (let i = a.offsets[g]!; i < a.offsets[g + 1]!; i++) out[g]! += Math.abs(a.coeffs[i]!);
  return out;
}

/** Stats of the sub-map made of the given rows (for Gaussian quantiles of a light cone). */
export function subsetStats(a: AngleRows, rows: ArrayLike<number>): AngleMapStats {
  const list: AffineTerm[][] = [];
  for (let j = 0; j < rows.length; j++) {
    const g = rows[j] as number;
    const r: AffineTerm[] = [];
    for (let i = a.offsets[g]!; i < a.offsets[g + 1]!; i++) r.push({ param: a.params[i]!, coeff: a.coeffs[i]! });
    list.push(r);
  }
  return angleMapStats(a.numParameters, list);
}

/**
 * z with P(|N(0,1)| > z) ≤ p: the normal quantile at 1 − p/2 (Acklam's rational approximation,
 * relative error < 1.2e−9) inflated by 1e−8 so it never falls short.
 */
export function twoSidedNormalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tail probability must lie in (0, 1), got ${p}`);
  const q = p / 2; // upper tail
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let z: number;
  if (q < 0.02425) {
    const t = Math.sqrt(-2 * Math.log(q));
    z = (((((c[0]! * t + c[1]!) * t + c[2]!) * t + c[3]!) * t + c[4]!) * t + c[5]!) / ((((d[0]! * t + d[1]!) * t + d[2]!) * t + d[3]!) * t + 1);
  } else {
    const u = 0.5 - q;
    const r = u * u;
    z = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * u) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  return Math.abs(z) * (1 + 1e-8);
}
