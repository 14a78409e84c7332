import { UserError } from '../ir/errors.js';
import type { AffineTerm } from '../ir/types.js';

/**
 * The mathematics of choosing a Taylor order (docs/science.md §3) as a standalone API, shared by the
 * surrogate builder and the `cost` command:
 *  - remainder factors t^{m+1}/(m+1)! and the smallest order m with t^{m+1}/(m+1)! ≤ ε, found
 *    exactly in log space (log-gamma), with a Lambert-W estimate as the starting point for huge t;
 *  - the exponential tail Σ_{k≥k0} t^k/k! that bounds the Pauli-path (max-sins) truncation;
 *  - bounds on ‖Aδ‖₁, the displacement of the gate angles, over a region: a Gaussian quantile
 *    from Gaussian concentration, or a hypercube.
 * "Order" is ours: T_m keeps |α| ≤ m. The paper's truncation threshold is order + 1.
 */

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0: Stirling series after shifting to x ≥ 15 (absolute error ≲ 1e−15 there). */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGamma needs x > 0, got ${x}`);
  let shift = 0;
  while (x < 15) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series - shift;
}

/** ln n! for integers up to 255 exactly summed, Stirling beyond. */
const LOG_FACT = (() => {
  const t = new Float64Array(256);
  for (let n = 2; n < 256; n++) t[n] = t[n - 1]! + Math.log(n);
  return t;
})();

export function logFactorial(n: number): number {
  if (Number.isInteger(n) && n >= 0 && n < 256) return LOG_FACT[n]!;
  return lnGamma(n + 1);
}

/** Principal branch W₀(x), x ≥ −1/e, by Halley iteration. */
export function lambertW0(x: number): number {
  if (x < -1 / Math.E) throw new RangeError(`W₀ is real only for x ≥ −1/e, got ${x}`);
  if (x === 0) return 0;
  let w = x < 1 ? Math.log1p(x) : Math.log(x) - Math.log(Math.log(x) + 1);
  if (x < -0.3) w = -1 + Math.sqrt(2 * (1 + Math.E * x));
  for (let i = 0; i < 64; i++) {
    const ew = Math.exp(w);
    const f = w * ew - x;
    const wp1 = w + 1;
    if (wp1 === 0) break;
    const step = f / (ew * wp1 - ((w + 2) * f) / (2 * wp1));
    w -= step;
    if (Math.abs(step) <= 1e-15 * (1 + Math.abs(w))) break;
  }
  return w;
}

/** ln(t^k / k!), with ln 0 = −∞. */
export function logPowerOverFactorial(t: number, k: number): number {
  if (t === 0) return k === 0 ? 0 : -Infinity;
  return k * Math.log(t) - logFactorial(k);
}

/** The remainder factor t^{m+1}/(m+1)! of an order-m Taylor surrogate (docs/science.md §3). */
export function taylorRemainderFactor(t: number, order: number): number {
  return Math.exp(logPowerOverFactorial(t, order + 1));
}

/**
 * The Lambert-W asymptote of the needed order for large t (docs/science.md §3):
 * m + 1 ≈ e·t·exp(W₀(ln(1/(ε√(2πet)))/(e·t))) − 1/2. Only an estimate; see `taylorOrderFor`.
 */
export function lambertOrderEstimate(t: number, eps: number): number {
  if (t <= 0) return 0;
  const et = Math.E * t;
  const arg = Math.log(1 / (eps * Math.sqrt(2 * Math.PI * et))) / et;
  const w = lambertW0(Math.max(arg, -1 / Math.E));
  return Math.max(0, et * Math.exp(w) - 0.5 - 1);
}

function checkEps(eps: number): void {
  if (!(eps > 0) || !Number.isFinite(eps)) throw new UserError(`ε must be a positive number, got ${eps}`);
}

function checkT(t: number): void {
  if (!(t >= 0) || !Number.isFinite(t)) throw new UserError(`the displacement bound must be finite and ≥ 0, got ${t}`);
}

/**
 * The smallest order m ≥ 0 with t^{m+1}/(m+1)! ≤ ε. With k = m+1, g(k) = k·ln t − ln k! rises
 * while k < t and falls after, so once g(1) > ln ε the answer is the first k ≥ ⌊t⌋ below ln ε:
 * a binary search on the falling side, bracketed from the Lambert-W estimate.
 */
export function taylorOrderFor(t: number, eps: number): number {
  checkEps(eps);
  checkT(t);
  const target = Math.log(eps);
  const g = (k: number) => logPowerOverFactorial(t, k);
  if (g(1) <= target) return 0;
  const lo0 = Math.max(1, Math.floor(t));
  let lo = lo0; // g(lo) > target (g rises up to ⌊t⌋)
  let hi = Math.max(lo + 1, Math.ceil(lambertOrderEstimate(t, eps)) + 1);
  while (g(hi) > target) {
    lo = hi;
    hi = 2 * hi;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid <= lo || mid >= hi) break; // above 2^53 doubles cannot split the bracket further
    if (g(mid) <= target) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

/**
 * ln Σ_{k≥k0} t^k/k!. For k0 > t a convergent series after the first term; otherwise
 * t + ln(1 − e^{−t}·Σ_{k<k0} t^k/k!) with the partial sum in log space.
 */
export function logExpTail(t: number, k0: number): number {
  checkT(t);
  if (k0 <= 0) return t;
  if (t === 0) return -Infinity;
  if (k0 > t) {
    const first = logPowerOverFactorial(t, k0);
    let sum = 1;
    let term = 1;
    for (let j = 1; j < 10_000_000; j++) {
      term *= t / (k0 + j);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return first + Math.log(sum);
  }
  // Partial sum Σ_{k<k0} t^k/k! (k0 ≤ t): its largest term is the last.
  const lmax = logPowerOverFactorial(t, k0 - 1);
  let s = 0;
  let term = 1;
  for (let k = k0 - 1; k >= 0; k--) {
    s += term;
    term *= k / t;
    if (term < 1e-17 * s) break;
  }
  const logPartial = lmax + Math.log(s);
  const frac = Math.exp(logPartial - t);
  return t + Math.log1p(-Math.min(frac, 1 - 1e-16));
}

/** Σ_{k≥k0} t^k/k! (may overflow to Infinity for huge t). */
export function expTail(t: number, k0: number): number {
  return Math.exp(logExpTail(t, k0));
}

/**
 * Pauli-path rule: the smallest S ≥ 0 with Σ_{k≥S+1} t^k/k! ≤ ε. Every dropped path has at least
 * S+1 sin factors and Σ over such paths of Π|sin θ_g| ≤ Σ_{k>S} (Σ_g|sin θ_g|)^k/k!, with
 * Σ_g|sin θ_g| ≤ ‖Aδ‖₁ ≤ t. The tail falls with S, so a doubling + binary search finds it.
 */
export function pathSinsFor(t: number, eps: number): number {
  checkEps(eps);
  checkT(t);
  const target = Math.log(eps);
  const f = (S: number) => logExpTail(t, S + 1);
  if (f(0) <= target) return 0;
  let lo = 0;
  let hi = Math.max(1, Math.ceil(Math.E * t) + 1);
  while (f(hi) > target) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid <= lo || mid >= hi) break; // above 2^53 doubles cannot split the bracket further
    if (f(mid) <= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

// ---------------------------------------------------------------------------------------------
// ‖Aδ‖₁ over regions

/**
 * Summary of the linear map A from parameter displacements δ to gate-angle displacements, row g
 * being gate g's angle form Σ_k c_gk δ_k (symbolic gates only). Everything the region bounds need.
 */
export interface AngleMapStats {
  readonly numParameters: number;
  /** Number of rows G (gates whose angle depends on a parameter). */
  readonly rows: number;
  /** Σ_g ‖a_g‖₁ (hypercube bound). */
  readonly sumRowL1: number;
  /** Σ_g ‖a_g‖₂ (Gaussian mean). */
  readonly sumRowL2: number;
  /** ‖A‖_F. */
  readonly frobenius: number;
  /** max_k Σ_g |c_gk| (the ℓ1 operator norm). */
  readonly maxColumnL1: number;
  /** max_g ‖a_g‖₁ (the ℓ∞ operator norm). */
  readonly maxRowL1: number;
}

/** Stats of the map whose rows are the given angle forms (empty rows are ignored). */
export function angleMapStats(numParameters: number, rows: Iterable<readonly AffineTerm[]>): AngleMapStats {
  let G = 0, sumRowL1 = 0, sumRowL2 = 0, frob2 = 0, maxRowL1 = 0;
  const col = new Float64Array(numParameters);
  for (const row of rows) {
    if (row.length === 0) continue;
    G++;
    let l1 = 0, l2 = 0;
    for (const { param, coeff } of row) {
      const a = Math.abs(coeff);
      l1 += a;
      l2 += a * a;
      col[param]! += a;
    }
    sumRowL1 += l1;
    sumRowL2 += Math.sqrt(l2);
    frob2 += l2;
    if (l1 > maxRowL1) maxRowL1 = l1;
  }
  let maxColumnL1 = 0;
  for (let k = 0; k < numParameters; k++) if (col[k]! > maxColumnL1) maxColumnL1 = col[k]!;
  return { numParameters, rows: G, sumRowL1, sumRowL2, frobenius: Math.sqrt(frob2), maxColumnL1, maxRowL1 };
}

/** The standard case: each of D parameters drives one gate with slope 1 (A = I). */
export function identityAngleMapStats(D: number): AngleMapStats {
  return { numParameters: D, rows: D, sumRowL1: D, sumRowL2: D, frobenius: Math.sqrt(D), maxColumnL1: D > 0 ? 1 : 0, maxRowL1: D > 0 ? 1 : 0 };
}

/** E‖Aδ‖₁ for δ ~ N(0, σ²I): each a_g·δ ~ N(0, σ²‖a_g‖₂²), E|·| = σ‖a_g‖₂√(2/π). Exact. */
export function gaussianL1Mean(stats: AngleMapStats, sigma: number): number {
  return sigma * Math.sqrt(2 / Math.PI) * stats.sumRowL2;
}

/**
 * A rigorous Lipschitz constant of δ ↦ ‖Aδ‖₁ in the Euclidean norm, i.e. an upper bound on the
 * ℓ2→ℓ1 norm of A: the smaller of Σ_g‖a_g‖₂ (triangle inequality) and √G·‖A‖₂ with
 * ‖A‖₂ ≤ min(‖A‖_F, √(‖A‖₁‖A‖_∞)). Exact (√D) for A = I.
 */
export function gaussianL1Lipschitz(stats: AngleMapStats): number {
  const spectral = Math.min(stats.frobenius, Math.sqrt(stats.maxColumnL1 * stats.maxRowL1));
  return Math.min(stats.sumRowL2, Math.sqrt(stats.rows) * spectral);
}

/**
 * A value t with P(‖Aδ‖₁ > t) ≤ tailProbability for δ ~ N(0, σ²I). Gaussian concentration for an
 * L-Lipschitz function: P(X ≥ EX + s) ≤ exp(−s²/(2σ²L²)), so t = EX + σL√(2 ln(1/p)).
 */
export function gaussianL1Quantile(stats: AngleMapStats, sigma: number, tailProbability: number): number {
  if (!(tailProbability > 0 && tailProbability < 1)) {
    throw new UserError(`the tail probability must lie in (0, 1), got ${tailProbability}`);
  }
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new UserError(`σ must be finite and ≥ 0, got ${sigma}`);
  const L = gaussianL1Lipschitz(stats);
  return gaussianL1Mean(stats, sigma) + sigma * L * Math.sqrt(2 * Math.log(1 / tailProbability));
}

/** max ‖Aδ‖₁ over the hypercube |δ_k| ≤ r is at most r·Σ_g‖a_g‖₁. */
export function hypercubeL1Bound(stats: AngleMapStats, radius: number): number {
  if (!(radius >= 0) || !Number.isFinite(radius)) throw new UserError(`the radius must be finite and ≥ 0, got ${radius}`);
  return radius * stats.sumRowL1;
}

/** A region of parameter displacements around the expansion point. */
export type Region =
  | { readonly kind: 'gaussian'; readonly sigma: number; readonly tailProbability: number }
  | { readonly kind: 'hypercube'; readonly radius: number };

/** Default probability that a Gaussian displacement exceeds the bound of its region (1e−6). */
export const DEFAULT_TAIL_PROBABILITY = 1e-6;

/** The bound t on ‖Aδ‖₁ used for the region (a quantile for Gaussian regions). */
export function regionDisplacementBound(region: Region, stats: AngleMapStats): number {
  return region.kind === 'gaussian'
    ? gaussianL1Quantile(stats, region.sigma, region.tailProbability)
    : hypercubeL1Bound(stats, region.radius);
}

/** A Taylor order chosen for a tolerance, with the remainder bound it achieves. */
export interface OrderChoice {
  /** Our order m (T_m keeps |α| ≤ m). */
  readonly order: number;
  /** The paper's truncation threshold, m + 1. */
  readonly paperThreshold: number;
  /** ‖O‖₁·t^{m+1}/(m+1)! at the chosen order. */
  readonly bound: number;
  /** The displacement bound t used. */
  readonly displacement: number;
}

/** Smallest m with ‖O‖₁·t^{m+1}/(m+1)! ≤ ε, with the bound it achieves. */
export function chooseTaylorOrder(observableNorm1: number, t: number, eps: number): OrderChoice {
  checkEps(eps);
  if (observableNorm1 === 0) return { order: 0, paperThreshold: 1, bound: 0, displacement: t };
  const order = taylorOrderFor(t, eps / observableNorm1);
  return { order, paperThreshold: order + 1, bound: observableNorm1 * taylorRemainderFactor(t, order), displacement: t };
}
