import type { Arbitrary } from 'fast-check';
import { fastCheck } from './fast-check.js';
import { gaussianL1Quantile } from '../bounds/order.js';
import { parseScaleExpression } from '../bounds/scale.js';
import type { AngleForms } from '../surrogate/forms.js';
import type { ClaimRegion } from './claim.js';

/**
 * Points of a claim's region for fast-check. A probe is drawn as integer latents (fast-check
 * shrinks integers toward 0, and latent 0 is the center, so shrinking moves a counterexample toward
 * the expansion point and onto few parameters) and decoded into displacements δ:
 *  - sigma: δ_k = σ·Φ⁻¹(latent), a Gaussian sample, moved into the tested set
 *    {‖Aδ‖₁ ≤ t_p, |δ_k| ≤ σ·z_p} if outside (clamped to the box, then pulled back radially).
 *    t_p is the Gaussian quantile of ‖Aδ‖₁ with tail probability p (the set `surrogate --sigma`
 *    bounds) and z_p = Φ⁻¹(1 − p/2D), so the set holds all but at most 2p of the Gaussian mass;
 *    the box keeps boundary points typical (no huge angle on a sparse direction);
 *  - radius: δ_k uniform in [−r, r];
 *  - l1: a Gaussian direction scaled to ‖δ‖₁ = ρ·t with ρ = u^{1/D} (uniform in the ball's volume).
 * A quarter of the probes are pushed onto the set's boundary (Gaussian: ‖Aδ‖₁ = t_p; hypercube: a
 * corner; ℓ1: the sphere), where approximation errors peak. Each probe also carries a few points
 * of a small sub-region around it (5 % of the region's scale), kept inside the set.
 */
export interface SamplingRegion {
  readonly kind: ClaimRegion['kind'];
  readonly numParameters: number;
  /** σ, r or t at this D. */
  readonly scale: number;
  /** Gaussian: the tail probability p of the tested set. */
  readonly tail: number | null;
  /** An upper bound on ‖Aδ‖₁ over the tested set (t_p; r·Σ_g‖a_g‖₁; t·max column sum). */
  readonly extent: number;
  /** Bound on every |δ_k| (Gaussian: σ·z_p; hypercube: r; ℓ1: t). */
  readonly box: number;
  /** Moves δ into the tested set (in place). */
  project(delta: Float64Array): void;
  /** Scales δ onto the set's boundary (in place; δ = 0 stays). */
  toBoundary(delta: Float64Array): void;
}

/** The region of a claim, evaluated at the circuit's D with its angle map A. */
export function samplingRegion(region: ClaimRegion, forms: AngleForms): SamplingRegion {
  const D = forms.numParameters;
  const scale = parseScaleExpression(region.text, region.kind).at(D);
  const stats = forms.stats();
  const l1 = (d: Float64Array) => {
    let s = 0;
    for (let k = 0; k < d.length; k++) s += Math.abs(d[k]!);
    return s;
  };
  const scaleTo = (d: Float64Array, norm: number, target: number) => {
    if (norm === 0) return;
    const f = target / norm;
    for (let k = 0; k < d.length; k++) d[k]! *= f;
  };
  switch (region.kind) {
    case 'sigma': {
      const tp = gaussianL1Quantile(stats, scale, region.tail);
      const box = scale * normalQuantile(1 - region.tail / (2 * Math.max(1, D)));
      const project = (d: Float64Array) => {
        for (let k = 0; k < d.length; k++) d[k] = Math.max(-box, Math.min(box, d[k]!));
        const n = forms.displacementL1(d);
        if (n > tp) scaleTo(d, n, tp);
      };
      return {
        kind: 'sigma', numParameters: D, scale, tail: region.tail, extent: tp, box, project,
        toBoundary: (d) => {
          scaleTo(d, forms.displacementL1(d), tp);
          project(d);
        },
      };
    }
    case 'radius':
      return {
        kind: 'radius', numParameters: D, scale, tail: null, extent: scale * stats.sumRowL1, box: scale,
        project: (d) => {
          for (let k = 0; k < d.length; k++) d[k] = Math.max(-scale, Math.min(scale, d[k]!));
        },
        toBoundary: (d) => {
          for (let k = 0; k < d.length; k++) d[k] = Math.sign(d[k]!) * scale;
        },
      };
    case 'l1':
      return {
        kind: 'l1', numParameters: D, scale, tail: null, extent: scale * stats.maxColumnL1, box: scale,
        project: (d) => {
          const n = l1(d);
          if (n > scale) scaleTo(d, n, scale);
        },
        toBoundary: (d) => scaleTo(d, l1(d), scale),
      };
  }
}

/** Latent integers lie in [−LATENT_MAX, LATENT_MAX]. */
export const LATENT_MAX = 2 ** 30;

/** What fast-check generates and shrinks for one probe. */
export interface ProbeLatent {
  /** One latent per parameter: the probe's main point. */
  readonly z: readonly number[];
  /** 3 = push onto the boundary (one probe in four). */
  readonly boundary: number;
  /** ℓ1 regions: the radius fraction latent. */
  readonly rho: number;
  /** Sub-region offsets, one latent vector each. */
  readonly jitter: readonly (readonly number[])[];
}

/** Unbiased (uniform) latents: fast-check's bias toward extremes would distort the Gaussian. */
export function probeArbitrary(numParameters: number, subRegionPoints: number): Arbitrary<ProbeLatent> {
  const fc = fastCheck();
  const latent = fc.integer({ min: -LATENT_MAX, max: LATENT_MAX });
  const vector = fc.array(latent, { minLength: numParameters, maxLength: numParameters });
  return fc.noBias(
    fc.record({
      z: vector,
      boundary: fc.nat({ max: 3 }),
      rho: fc.nat({ max: LATENT_MAX }),
      jitter: fc.array(vector, { minLength: subRegionPoints, maxLength: subRegionPoints }),
    }),
  );
}

/**
 * Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation (relative error
 * < 1.2·10⁻⁹, plenty for drawing sample points).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError(`normalQuantile needs p in [0, 1], got ${p}`);
  }
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** A latent in [−LATENT_MAX, LATENT_MAX] → a standard normal value, odd and increasing, 0 ↦ 0. */
export function latentNormal(u: number): number {
  if (u === 0) return 0;
  const p = 0.5 + (0.5 * Math.abs(u)) / (LATENT_MAX + 1);
  return Math.sign(u) * normalQuantile(p);
}

/** Sub-region radius relative to the region's per-parameter scale. */
export const SUB_REGION_FRACTION = 0.05;

/** The probe's points (displacements δ): its main point first, then its sub-region points. */
export function decodeProbe(region: SamplingRegion, p: ProbeLatent): Float64Array[] {
  const D = region.numParameters;
  const main = new Float64Array(D);
  const s = region.scale;
  if (region.kind === 'radius') {
    for (let k = 0; k < D; k++) main[k] = (s * p.z[k]!) / LATENT_MAX;
  } else {
    for (let k = 0; k < D; k++) main[k] = latentNormal(p.z[k]!);
    if (region.kind === 'sigma') {
      for (let k = 0; k < D; k++) main[k]! *= s;
    } else {
      let n = 0;
      for (let k = 0; k < D; k++) n += Math.abs(main[k]!);
      const rho = D === 0 ? 0 : (p.rho / LATENT_MAX) ** (1 / D);
      const f = n === 0 ? 0 : (rho * s) / n;
      for (let k = 0; k < D; k++) main[k]! *= f;
    }
  }
  if (p.boundary === 3) region.toBoundary(main);
  region.project(main);
  const out = [main];
  const perParameter = region.kind === 'l1' ? s / Math.max(1, D) : s;
  const h = SUB_REGION_FRACTION * perParameter;
  for (const j of p.jitter) {
    const q = Float64Array.from(main);
    for (let k = 0; k < D; k++) q[k]! += h * (region.kind === 'radius' ? j[k]! / LATENT_MAX : latentNormal(j[k]!));
    region.project(q);
    out.push(q);
  }
  return out;
}
