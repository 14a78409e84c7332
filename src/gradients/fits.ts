/**
 * Decay fits for gradient magnitudes versus qubit count N: exponential (ln y linear in N) against
 * polynomial (ln y linear in ln N), both by least squares in log space, and the barren-plateau
 * verdict that compares them.
 */

export interface LinearFit {
  /** y ≈ intercept + slope·x. */
  readonly slope: number;
  readonly intercept: number;
  /** Coefficient of determination in the fitted (log) space; NaN with fewer than 3 points. */
  readonly r2: number;
  readonly points: number;
}

/** Ordinary least squares of y on x. */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  const n = x.length;
  if (n !== y.length) throw new RangeError('x and y differ in length');
  if (n < 2) return { slope: NaN, intercept: NaN, r2: NaN, points: n };
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: NaN, intercept: NaN, r2: NaN, points: n };
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  // A constant y is fitted perfectly by slope 0.
  const r2 = n < 3 ? NaN : syy === 0 ? 1 : 1 - Math.max(0, syy - slope * sxy) / syy;
  return { slope, intercept, r2, points: n };
}

/** How a quantity decays with N: exponentially, polynomially, not at all, or undecided. */
export type DecayVerdict = 'exponential' | 'polynomial' | 'no-decay' | 'inconclusive' | 'vanishing' | 'insufficient-data';

/** Exponential and polynomial fits of a positive quantity versus N, with a verdict. */
export interface DecayAnalysis {
  /** ln y = a + b·N: y ∝ e^{bN}; `rate` = b. */
  readonly exponential: LinearFit & { readonly rate: number };
  /** ln y = a + p·ln N: y ∝ N^p; `exponent` = p. */
  readonly polynomial: LinearFit & { readonly exponent: number };
  /** Points with y ≤ 0 (left out of both fits). */
  readonly zeros: number;
  readonly verdict: DecayVerdict;
  /** One-line explanation of the verdict. */
  readonly explanation: string;
}

/** Fractional decay over the sampled range below which we call the curve flat. */
const FLAT_RATIO = 0.5;
/** Neither law explains the data when the better R² is below this. */
const MIN_R2 = 0.6;

/**
 * Fits both laws to (N, y) and decides:
 *  - 'vanishing': the largest N values have y = 0 exactly (gradients hit zero — a plateau);
 *  - 'no-decay': the better fit predicts y(N_max)/y(N_min) ≥ 1/2 (flat or rising);
 *  - 'inconclusive': a decay, but neither fit reaches R² = 0.6 (too noisy to tell the laws apart);
 *  - 'exponential' (barren plateau) when the exponential fit has the higher R², else 'polynomial'.
 * With fewer than 3 positive points the verdict is 'insufficient-data'.
 */
export function analyzeDecay(N: readonly number[], y: readonly number[]): DecayAnalysis {
  const xs: number[] = [];
  const ly: number[] = [];
  let zeros = 0;
  let maxPositiveN = -Infinity;
  let maxZeroN = -Infinity;
  N.forEach((n, i) => {
    const v = y[i]!;
    if (v > 0 && Number.isFinite(v)) {
      xs.push(n);
      ly.push(Math.log(v));
      maxPositiveN = Math.max(maxPositiveN, n);
    } else {
      zeros++;
      maxZeroN = Math.max(maxZeroN, n);
    }
  });
  const e = linearFit(xs, ly);
  const p = linearFit(xs.map((n) => Math.log(n)), ly);
  const exponential = { ...e, rate: e.slope };
  const polynomial = { ...p, exponent: p.slope };
  const base = { exponential, polynomial, zeros };
  if (zeros > 0 && maxZeroN > maxPositiveN) {
    return { ...base, verdict: 'vanishing', explanation: `gradients are exactly 0 from N = ${Math.min(...N.filter((_, i) => !(y[i]! > 0)))} on` };
  }
  if (xs.length < 3) return { ...base, verdict: 'insufficient-data', explanation: `${xs.length} positive point(s); a fit needs 3` };
  const nMin = Math.min(...xs), nMax = Math.max(...xs);
  const expBetter = e.r2 >= p.r2;
  const ratio = expBetter ? Math.exp(e.slope * (nMax - nMin)) : Math.pow(nMax / nMin, p.slope);
  const fmt = (v: number) => v.toFixed(3);
  if (ratio >= FLAT_RATIO) {
    return { ...base, verdict: 'no-decay', explanation: `fitted change over N = ${nMin}…${nMax} is ×${ratio.toPrecision(3)} (R² exp ${fmt(e.r2)}, poly ${fmt(p.r2)})` };
  }
  if (Math.max(e.r2, p.r2) < MIN_R2) {
    return { ...base, verdict: 'inconclusive', explanation: `decaying (×${ratio.toPrecision(3)}), but neither law fits (R² exp ${fmt(e.r2)}, poly ${fmt(p.r2)})` };
  }
  if (expBetter) {
    return { ...base, verdict: 'exponential', explanation: `y ∝ e^{${e.slope.toPrecision(3)}·N} fits better (R² ${fmt(e.r2)} vs ${fmt(p.r2)}): barren plateau` };
  }
  return { ...base, verdict: 'polynomial', explanation: `y ∝ N^${p.slope.toPrecision(3)} fits better (R² ${fmt(p.r2)} vs ${fmt(e.r2)}): no barren plateau` };
}
