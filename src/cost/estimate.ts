import { evaluateExpr } from '../ir/affine.js';
import { UserError } from '../ir/errors.js';
import type { Circuit, Observable } from '../ir/types.js';
import { formatObservable } from '../pauli/observable-text.js';
import { AngleForms } from '../surrogate/forms.js';
import {
  binomialCount, binomialPrefixCount, countOf, multiplyCounts, powerOfTwoCount, type Count,
} from '../bounds/counts.js';
import { classifyRegion, type RegimeClassification, type ScaleKind } from './regime.js';
import { assumedLightCone, lightCone, type LightCone } from '../bounds/light-cone.js';
import { chooseTaylorOrder, DEFAULT_TAIL_PROBABILITY, expTail, gaussianL1Mean, gaussianL1Quantile, hypercubeL1Bound, identityAngleMapStats, pathSinsFor, taylorOrderFor, type AngleMapStats } from '../bounds/order.js';
import { parseScaleExpression } from '../bounds/scale.js';

/**
 * `nearclifford cost`: what simulating a region around a Clifford point would cost, before (or
 * instead of) doing it. Everything here is analytic and fast; `cost-measure.ts` builds the
 * surrogates for the measured figures.
 *
 * Figures (D parameters, order m, region bound t on ‖Aδ‖₁):
 *  - the Taylor order m and its bound ‖O‖₁·t^{m+1}/(m+1)! (order.ts, the same choice as
 *    `nearclifford surrogate --eps`);
 *  - the paper's parameter-shift evaluation count C(2D + m, m);
 *  - upper bounds on the surrogate's size from the light cone of the observable (D_c parameters and
 *    G_c parametrized rotations in the cone, F_c fixed non-Clifford rotations, |O| Pauli terms):
 *    monomials ≤ C(D_c + m, m) (all monomials of degree ≤ m in D_c variables), Pauli strings
 *    ≤ |O|·2^{F_c}·Σ_{k≤m} C(G_c, k) (a string is fixed by which cone gates took a sin branch),
 *    coefficient entries (string, monomial) ≤ strings × monomials;
 *  - the Pauli-path surrogate at the same ε: its S (Σ_{k>S} t^k/k! ≤ ε/(‖O‖₁·gain)) and the bound
 *    |O|·2^{F_c}·Σ_{k≤S} C(G_c, k) on its live Pauli strings;
 *  - the state vector, 2^n·16 bytes;
 *  - the regime (cost-regime.ts).
 */

/** The region whose cost is asked for: σ, r or t, each possibly written in D (`1/D`, `D^-0.5`). */
export interface CostRegion {
  /** sigma: δ ~ N(0, σ²I); radius: |δ_k| ≤ r; l1: ‖δ‖₁ ≤ t. */
  readonly kind: ScaleKind;
  readonly text: string;
}

/** How a Gaussian region turns into a bound t on ‖Aδ‖₁. */
export type SigmaCriterion = 'quantile' | 'mean';

/** Tolerance ε and region of a cost estimate. */
export interface CostOptions {
  readonly eps: number;
  readonly region: CostRegion;
  /** Gaussian regions: the bound holds except with this probability (default 1e−6). */
  readonly tailProbability?: number;
  /**
   * `quantile` (default): t is the rigorous Gaussian quantile, as `nearclifford surrogate` uses;
   * `mean`: t = E‖Aδ‖₁, the paper's criterion (σ = 1/D → order 8 at ε = 1e−6 for every D).
   */
  readonly sigmaCriterion?: SigmaCriterion;
}

/** The circuit the cost is for; or, with `numParameters` only, D one-parameter gates and ‖O‖₁ = 1. */
export type CostSubject =
  | { readonly circuit: Circuit; readonly observable: Observable | null; readonly center?: ArrayLike<number> }
  | { readonly numParameters: number };

/** The predicted classical cost of a surrogate for a region: order, term counts, regime and the paper method's evaluation count. */
export interface CostEstimate {
  readonly numParameters: number;
  readonly numQubits: number | null;
  readonly observable: string | null;
  /** ‖O‖₁ over non-identity terms (1 when assumed). */
  readonly observableNorm1: number;
  /** Which facts were assumed rather than read from a circuit. */
  readonly assumptions: readonly string[];
  readonly eps: number;
  readonly region: {
    readonly kind: ScaleKind;
    readonly text: string;
    /** σ, r or t at this D. */
    readonly value: number;
    readonly tailProbability: number | null;
    readonly criterion: SigmaCriterion | null;
  };
  /** The bound t on ‖Aδ‖₁ the order is chosen for. */
  readonly displacementBound: number;
  /** Gaussian: E‖Aδ‖₁. */
  readonly displacementMean: number | null;
  /** Our order m (T_m keeps |α| ≤ m); the paper's truncation threshold is m + 1. */
  readonly order: number;
  readonly paperThreshold: number;
  /** ‖O‖₁·t^{m+1}/(m+1)!. */
  readonly bound: number;
  /** Gaussian: the order for t = E‖Aδ‖₁ (the paper's criterion). */
  readonly orderAtMean: number | null;
  /** C(2D + m, m). */
  readonly parameterShiftEvaluations: Count;
  readonly lightCone: LightCone;
  readonly taylor: {
    readonly monomialsUpperBound: Count;
    readonly stringsUpperBound: Count;
    /** Coefficient entries (string, monomial) held by the builder: ≤ strings × monomials. */
    readonly termsUpperBound: Count;
  };
  readonly paths: {
    /** S: at most S sin branches per path. */
    readonly maxSins: number;
    readonly bound: number;
    /**
     * Live Pauli strings (terms) of the path surrogate: each has a path with ≤ S sins. (Its path
     * monomials are not bounded by this: merges keep the minimum sin count, so longer paths ride along.)
     */
    readonly stringsUpperBound: Count;
  };
  /** 2^n · 16 bytes (null without a circuit). */
  readonly stateVectorBytes: Count | null;
  readonly regime: RegimeClassification;
}

/**
 * Orders, counts and D stay exact integers below 2^53 ≈ 9·10^15; the order is about e·t for large
 * t, so t and D are capped well below that.
 */
export const MAX_DISPLACEMENT_BOUND = 1e15;
export const MAX_PARAMETERS = 1e15;

function checkEps(eps: number): void {
  if (!(eps > 0) || !Number.isFinite(eps)) throw new UserError(`\`eps\` must be a positive number, got ${eps}`);
}

/** Σ|c| over the non-identity terms: identity terms have no derivatives and no truncation error. */
function norm1(observable: Observable): number {
  let s = 0;
  for (const t of observable.terms) if (t.pauli.qubits.length > 0) s += Math.abs(t.coeff);
  return s;
}

/** Π over rotations with a fixed non-Clifford angle part r at the center of (|cos r| + |sin r|). */
function fixedGain(circuit: Circuit, center: ArrayLike<number>): number {
  let gain = 1;
  const halfPi = Math.PI / 2;
  for (const g of circuit.gates) {
    if (g.kind !== 'rotation') continue;
    const a = evaluateExpr(g.angle, center);
    const r = a - Math.round(a / halfPi) * halfPi;
    if (Math.abs(r) > 8 * Number.EPSILON * Math.max(1, Math.abs(a))) gain *= Math.abs(Math.cos(r)) + Math.abs(Math.sin(r));
  }
  return gain;
}

/**
 * Analytic cost figures for a circuit (or a bare parameter count) and region: the Taylor order a
 * tolerance needs, term and monomial counts, and the regime of REFERENCE §1. Throws a UserError
 * for a non-positive tolerance or parameter count out of range.
 *
 * @example
 * ```ts
 * const e = estimateCost({ numParameters: 1000 }, { eps: 1e-6, region: { kind: 'sigma', text: '1/D' } });
 * e.order; // the Taylor order that ε = 1e−6 needs on this region
 * ```
 */
export function estimateCost(subject: CostSubject, options: CostOptions): CostEstimate {
  checkEps(options.eps);
  const assumptions: string[] = [];
  let D: number, numQubits: number | null, observableText: string | null, onorm: number, gain: number;
  let stats: AngleMapStats;
  let cone: LightCone;
  if ('circuit' in subject) {
    const { circuit, observable } = subject;
    const center = subject.center ?? new Float64Array(circuit.numParameters);
    D = circuit.numParameters;
    numQubits = circuit.numQubits;
    stats = AngleForms.fromCircuit(circuit).stats();
    cone = lightCone(circuit, observable, center);
    gain = fixedGain(circuit, center);
    if (observable) {
      observableText = formatObservable(observable);
      onorm = norm1(observable);
    } else {
      observableText = null;
      onorm = 1;
      assumptions.push('no observable: a single Pauli string (‖O‖₁ = 1) whose light cone is the whole circuit');
    }
  } else {
    D = subject.numParameters;
    if (!Number.isInteger(D) || D < 0 || D > MAX_PARAMETERS) {
      throw new UserError(`\`parameters\` must be an integer in [0, ${MAX_PARAMETERS}], got ${D}`);
    }
    numQubits = null;
    observableText = null;
    onorm = 1;
    gain = 1;
    stats = identityAngleMapStats(D);
    cone = assumedLightCone(D);
    assumptions.push('no circuit: D one-parameter gates (slope 1), all in the light cone of one Pauli string (‖O‖₁ = 1)');
  }

  const { region } = options;
  const expr = parseScaleExpression(region.text, `\`${region.kind}\``);
  const value = expr.at(D);
  const tail = options.tailProbability ?? DEFAULT_TAIL_PROBABILITY;
  let t: number;
  let mean: number | null = null;
  let criterion: SigmaCriterion | null = null;
  if (region.kind === 'sigma') {
    criterion = options.sigmaCriterion ?? 'quantile';
    mean = gaussianL1Mean(stats, value);
    t = criterion === 'mean' ? mean : gaussianL1Quantile(stats, value, tail);
  } else if (region.kind === 'radius') {
    t = hypercubeL1Bound(stats, value);
  } else {
    // ‖Aδ‖₁ ≤ ‖A‖_{1→1}·‖δ‖₁, the largest column sum (1 when each parameter drives one gate).
    t = stats.maxColumnL1 * value;
  }
  if (!(t <= MAX_DISPLACEMENT_BOUND)) {
    throw new UserError(
      `the ${region.kind} '${region.text}' gives ‖Aδ‖₁ ≤ ${t} for D = ${D}; above ${MAX_DISPLACEMENT_BOUND} the order (≈ e·t) ` +
        'would leave the range of exact integers',
    );
  }

  const choice = chooseTaylorOrder(onorm, t, options.eps);
  const m = choice.order;
  const orderAtMean = mean === null ? null : onorm === 0 ? 0 : taylorOrderFor(mean, options.eps / onorm);

  // Paths with more sins than the cone has parametrized gates do not exist: S = G_c is exact.
  const scale = onorm * gain;
  const needed = scale === 0 ? 0 : pathSinsFor(t, options.eps / scale);
  const S = Math.min(needed, cone.symbolicRotations);
  const pathBound = scale === 0 || needed > S ? 0 : scale * expTail(t, S + 1);
  const stringFactor = multiplyCounts(powerOfTwoCount(cone.fixedRotations), countOf(cone.observableTerms));

  const monomialsUpperBound = binomialCount(cone.parameters + m, m);
  const stringsUpperBound = multiplyCounts(stringFactor, binomialPrefixCount(cone.symbolicRotations, m));
  return {
    numParameters: D,
    numQubits,
    observable: observableText,
    observableNorm1: onorm,
    assumptions,
    eps: options.eps,
    region: { kind: region.kind, text: region.text, value, tailProbability: region.kind === 'sigma' ? tail : null, criterion },
    displacementBound: t,
    displacementMean: mean,
    order: m,
    paperThreshold: m + 1,
    bound: choice.bound,
    orderAtMean,
    parameterShiftEvaluations: binomialCount(2 * D + m, m),
    lightCone: cone,
    taylor: { monomialsUpperBound, stringsUpperBound, termsUpperBound: multiplyCounts(stringsUpperBound, monomialsUpperBound) },
    paths: {
      maxSins: S,
      bound: pathBound,
      stringsUpperBound: multiplyCounts(stringFactor, binomialPrefixCount(cone.symbolicRotations, S)),
    },
    stateVectorBytes: numQubits === null ? null : powerOfTwoCount(numQubits, 16),
    regime: classifyRegion(region.kind, expr, D),
  };
}
