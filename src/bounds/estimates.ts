import { UserError } from '../ir/errors.js';
import { twoSidedNormalQuantile } from './angle-rows.js';

/**
 * Statistical error estimates (docs/bounds.md §6): at n sampled points, the error of a surrogate
 * against a reference (the exact simulator, or a surrogate of higher order whose own rigorous
 * bound is added). These ESTIMATE the error over the region; they never bound it, and every
 * report labels them so.
 *  - mean |error| with a two-sided Student-t confidence interval (Cornish–Fisher quantile);
 *  - the largest error seen, with the coverage statement it supports: with confidence 1 − α, at
 *    least a fraction α^{1/n} of the region (in the sampling measure) has error ≤ that maximum,
 *    since P(all n samples fall below the q-quantile) = q^n.
 */
export interface ErrorEstimate {
  readonly label: 'estimate (not a bound)';
  readonly samples: number;
  readonly confidence: number;
  readonly mean: number;
  readonly meanInterval: readonly [number, number];
  /** Root mean square error (the analogue of PauliPropagation.jl's MSE estimate). */
  readonly rms: number;
  readonly max: number;
  /** With the stated confidence, at least this fraction of the region has error ≤ max. */
  readonly maxCoversFraction: number;
}

/** Two-sided Student-t quantile t_{ν, 1−α/2}: Cornish–Fisher expansion around the normal one. */
export function studentQuantile(alpha: number, nu: number): number {
  const z = twoSidedNormalQuantile(alpha);
  if (!Number.isFinite(nu) || nu > 1e7) return z;
  const z3 = z ** 3, z5 = z ** 5, z7 = z ** 7;
  return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu ** 3);
}

/** The estimate from observed absolute errors. */
export function estimateFromErrors(errors: ArrayLike<number>, confidence = 0.95): ErrorEstimate {
  const n = errors.length;
  if (n < 2) throw new UserError(`an error estimate needs at least 2 samples, got ${n}`);
  if (!(confidence > 0 && confidence < 1)) throw new UserError(`the confidence must lie in (0, 1), got ${confidence}`);
  let sum = 0, sq = 0, max = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(errors[i] as number);
    sum += e;
    sq += e * e;
    if (e > max) max = e;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (Math.abs(errors[i] as number) - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const half = studentQuantile(1 - confidence, n - 1) * sd / Math.sqrt(n);
  return {
    label: 'estimate (not a bound)',
    samples: n,
    confidence,
    mean,
    meanInterval: [Math.max(0, mean - half), mean + half],
    rms: Math.sqrt(sq / n),
    max,
    maxCoversFraction: Math.pow(1 - confidence, 1 / n),
  };
}
