/**
 * Decay fits for gradient magnitudes versus qubit count N: exponential (ln y linear in N) against
 * polynomial (ln y linear in ln N), both by least squares in log space, and the barren-plateau
 * verdict that compares them.
 *
 * `analyzeDecay` is the older point-estimate comparison by R² (kept for the figure-level summaries
 * that have only one value per size); verdicts with uncertainty come from `decayVerdict`.
 */
import { createRng } from '../random/rng.js';
import { percentileInterval } from './statistics.js';

/** Least-squares line y = intercept + slope·x with its coefficient of determination. */
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

// ---------------------------------------------------------------------------------------------
// Barren-plateau verdicts with uncertainty (docs/science.md §7).
// ---------------------------------------------------------------------------------------------

/** Per-sample values (e.g. ‖∇C‖ per seed) at one size N. */
export interface SizeSamples {
  readonly N: number;
  readonly values: ArrayLike<number>;
}

/** The three answers a decay fit can give; `inconclusive` carries its reason in the fit. */
export type BarrenPlateauVerdict = 'barren-plateau' | 'no-barren-plateau' | 'inconclusive';

/** Knobs of {@link decayVerdict}: bootstrap seed and size, confidence level, minimum data, decision thresholds. */
export interface VerdictOptions {
  /** Seed of the bootstrap (default 0): the same data and seed give the same interval. */
  readonly seed?: number;
  /** Bootstrap replicates (default 1000). */
  readonly resamples?: number;
  /** Confidence level of the intervals and of the bootstrap model test (default 0.95). */
  readonly level?: number;
  /** Fewest sizes for any verdict but inconclusive (default 5). */
  readonly minSizes?: number;
  /** Fewest positive samples per size (default 10). */
  readonly minSamples?: number;
  /** |rate| per qubit below which a curve whose interval lies inside ±flatRate counts as flat (default 0.05). */
  readonly flatRate?: number;
  /** ΔBIC needed to prefer one law (default 6, "strong" evidence). */
  readonly decisive?: number;
}

/** Exponential versus polynomial decay: information criteria and the bootstrap win fraction. */
export interface ModelComparison {
  /** Gaussian likelihood of ln y per sample under each law (3 parameters each: a, slope, noise). */
  readonly name: 'BIC on log-values';
  readonly bicExponential: number;
  readonly bicPolynomial: number;
  /** BIC_poly − BIC_exp: positive favours the exponential law. */
  readonly deltaBic: number;
  /** Same difference by AIC (equal to ΔBIC here: both laws have the same parameter count). */
  readonly deltaAic: number;
  /** Fraction of bootstrap replicates in which the exponential law has the smaller BIC. */
  readonly exponentialPreferred: number;
  /** ΔBIC threshold used for a decision. */
  readonly threshold: number;
}

/** The verdict on one decay curve with its rate, exponent, intervals, the model comparison and the data it rests on. */
export interface DecayFit {
  readonly verdict: BarrenPlateauVerdict;
  /** One line: why this verdict (numbers included). */
  readonly reason: string;
  /** Decay rate per qubit of the geometric-mean curve: y ∝ e^{−rate·N} (positive = decay). */
  readonly rate: number;
  readonly rateCi: [number, number];
  /** Polynomial decay exponent: y ∝ N^{−exponent}. */
  readonly exponent: number;
  readonly exponentCi: [number, number];
  readonly criterion: ModelComparison;
  readonly sizes: number;
  /** Smallest number of positive samples at one size. */
  readonly minSamples: number;
  /** Samples ≤ 0 (no logarithm; left out of the fits). */
  readonly zeros: number;
  readonly level: number;
  readonly resamples: number;
}

interface LogFit {
  slopeExp: number;
  slopePoly: number;
  rssExp: number;
  rssPoly: number;
}

/** OLS of ln y on N and on ln N over all (x, ln y) pairs; returns both slopes and residual sums. */
function fitBoth(x: Float64Array, lx: Float64Array, ly: Float64Array, idx: Int32Array | null): LogFit {
  const n = idx ? idx.length : ly.length;
  let mx = 0, ml = 0, my = 0;
  for (let t = 0; t < n; t++) {
    const i = idx ? idx[t]! : t;
    mx += x[i]!;
    ml += lx[i]!;
    my += ly[i]!;
  }
  mx /= n;
  ml /= n;
  my /= n;
  let sxx = 0, sxy = 0, sll = 0, sly = 0, syy = 0;
  for (let t = 0; t < n; t++) {
    const i = idx ? idx[t]! : t;
    const dx = x[i]! - mx, dl = lx[i]! - ml, dy = ly[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    sll += dl * dl;
    sly += dl * dy;
    syy += dy * dy;
  }
  const slopeExp = sxx > 0 ? sxy / sxx : NaN;
  const slopePoly = sll > 0 ? sly / sll : NaN;
  return {
    slopeExp,
    slopePoly,
    rssExp: Math.max(0, syy - slopeExp * sxy),
    rssPoly: Math.max(0, syy - slopePoly * sly),
  };
}

/** BIC of a 3-parameter Gaussian model with residual sum `rss` over n points (MLE noise). */
function bic(rss: number, n: number): number {
  // A perfect fit has no finite likelihood; floor the noise far below any real spread.
  const s2 = Math.max(rss / n, 1e-300);
  return n * (Math.log(2 * Math.PI * s2) + 1) + 3 * Math.log(n);
}

function aic(rss: number, n: number): number {
  const s2 = Math.max(rss / n, 1e-300);
  return n * (Math.log(2 * Math.PI * s2) + 1) + 6;
}

/**
 * The barren-plateau verdict for per-sample values versus N, as a pure function.
 *
 * Both laws are fitted to ln y of every positive sample (not to a per-size mean: the arithmetic mean
 * of heavy-tailed norms is carried by a few seeds, the log is not), so the fitted curve is the
 * geometric mean. Uncertainty: a seeded bootstrap over samples within each size gives percentile
 * intervals for the exponential rate and the polynomial exponent, and the fraction of resamples in
 * which each law wins. Decision, in this order:
 *  1. fewer than `minSizes` sizes or `minSamples` positive samples at some size → inconclusive;
 *  2. a majority of exact zeros at the largest size → barren-plateau (gradients vanish); at a
 *     smaller size only → inconclusive (the log fit is undefined there);
 *  3. rate interval inside ±flatRate → no-barren-plateau (flat); entirely below 0 → no-barren-plateau
 *     (growing); containing 0 otherwise → inconclusive;
 *  4. decaying: ΔBIC ≥ threshold for the exponential law and it wins in ≥ level of the resamples →
 *     barren-plateau; the same for the polynomial law → no-barren-plateau; else inconclusive (tie).
 */
export function decayVerdict(points: readonly SizeSamples[], options: VerdictOptions = {}): DecayFit {
  const level = options.level ?? 0.95;
  const resamples = options.resamples ?? 1000;
  const minSizes = options.minSizes ?? 5;
  const minSamplesNeeded = options.minSamples ?? 10;
  const flatRate = options.flatRate ?? 0.05;
  const threshold = options.decisive ?? 6;
  const sorted = points.slice().sort((a, b) => a.N - b.N);
  // Positive samples in flat arrays; `groups` keeps each size's index range for the bootstrap.
  const xs: number[] = [], ls: number[] = [], ys: number[] = [];
  const groups: { N: number; from: number; count: number; zeros: number; total: number }[] = [];
  for (const p of sorted) {
    const from = ys.length;
    let zeros = 0;
    for (let i = 0; i < p.values.length; i++) {
      const v = p.values[i] as number;
      if (v > 0 && Number.isFinite(v)) {
        xs.push(p.N);
        ls.push(Math.log(p.N));
        ys.push(Math.log(v));
      } else zeros++;
    }
    groups.push({ N: p.N, from, count: ys.length - from, zeros, total: p.values.length });
  }
  const x = Float64Array.from(xs), lx = Float64Array.from(ls), ly = Float64Array.from(ys);
  const n = ly.length;
  const zeros = groups.reduce((s, g) => s + g.zeros, 0);
  const minSamples = groups.length ? Math.min(...groups.map((g) => g.count)) : 0;
  const nan: [number, number] = [NaN, NaN];
  const usable = groups.filter((g) => g.count >= 2).length >= 3;
  const point = usable ? fitBoth(x, lx, ly, null) : { slopeExp: NaN, slopePoly: NaN, rssExp: NaN, rssPoly: NaN };
  // Bootstrap: resample within each size (the design — which sizes were run — is fixed).
  const rates = new Float64Array(usable ? resamples : 0);
  const exps = new Float64Array(usable ? resamples : 0);
  let expWins = 0;
  if (usable) {
    const rng = createRng(options.seed ?? 0);
    const idx = new Int32Array(n);
    for (let b = 0; b < resamples; b++) {
      let t = 0;
      for (const g of groups) for (let k = 0; k < g.count; k++) idx[t++] = g.from + rng.int(g.count);
      const f = fitBoth(x, lx, ly, idx);
      rates[b] = -f.slopeExp;
      exps[b] = -f.slopePoly;
      if (f.rssExp < f.rssPoly) expWins++;
    }
  }
  const rateCi = usable ? percentileInterval(rates, level) : nan;
  const exponentCi = usable ? percentileInterval(exps, level) : nan;
  const bicE = usable ? bic(point.rssExp, n) : NaN;
  const bicP = usable ? bic(point.rssPoly, n) : NaN;
  const criterion: ModelComparison = {
    name: 'BIC on log-values',
    bicExponential: bicE,
    bicPolynomial: bicP,
    deltaBic: bicP - bicE,
    deltaAic: usable ? aic(point.rssPoly, n) - aic(point.rssExp, n) : NaN,
    exponentialPreferred: usable ? expWins / resamples : NaN,
    threshold,
  };
  const rate = -point.slopeExp;
  const exponent = -point.slopePoly;
  const base = { rate, rateCi, exponent, exponentCi, criterion, sizes: groups.length, minSamples, zeros, level, resamples };
  const f3 = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : 'n/a');
  const ci = (c: [number, number]) => `[${f3(c[0])}, ${f3(c[1])}]`;
  const pct = `${Math.round(level * 100)}%`;
  const done = (verdict: BarrenPlateauVerdict, reason: string): DecayFit => ({ verdict, reason, ...base });

  if (groups.length < minSizes) return done('inconclusive', `only ${groups.length} size(s); a verdict needs at least ${minSizes}`);
  const largest = groups[groups.length - 1]!;
  if (largest.zeros * 2 > largest.total) {
    const from = groups.find((_, i) => groups.slice(i).every((h) => h.zeros * 2 > h.total))!.N;
    return done('barren-plateau', `gradients are exactly 0 in most samples from N = ${from} on`);
  }
  const zeroHeavy = groups.find((g) => g.zeros * 2 > g.total);
  if (zeroHeavy) return done('inconclusive', `most samples are exactly 0 at N = ${zeroHeavy.N} but not at N = ${largest.N}; no log-scale fit`);
  const thin = groups.find((g) => g.count < minSamplesNeeded);
  if (thin) return done('inconclusive', `only ${thin.count} positive sample(s) at N = ${thin.N}; a verdict needs at least ${minSamplesNeeded} per size`);
  const rateText = `rate ${f3(rate)}/qubit, ${pct} CI ${ci(rateCi)}`;
  if (rateCi[0] > -flatRate && rateCi[1] < flatRate) return done('no-barren-plateau', `flat: ${rateText} lies within ±${flatRate}/qubit`);
  if (rateCi[1] < 0) return done('no-barren-plateau', `grows with N: ${rateText}`);
  if (rateCi[0] <= 0) return done('inconclusive', `no significant decay: ${rateText} contains 0`);
  const dText = `ΔBIC ${f3(criterion.deltaBic)}, exponential wins ${Math.round(criterion.exponentialPreferred * 100)}% of ${resamples} resamples`;
  if (criterion.deltaBic >= threshold && criterion.exponentialPreferred >= level) {
    return done('barren-plateau', `exponential decay e^(−rN), ${rateText}; ${dText}`);
  }
  if (-criterion.deltaBic >= threshold && 1 - criterion.exponentialPreferred >= level) {
    return done('no-barren-plateau', `polynomial decay N^(−p), p ${f3(exponent)}, ${pct} CI ${ci(exponentCi)}; ${dText}`);
  }
  return done('inconclusive', `decays (${rateText}) but the laws are not told apart: ${dText} (need |ΔBIC| ≥ ${threshold} and ${pct})`);
}
