import type { ScaleExpression } from '../bounds/scale.js';

/**
 * The complexity regime of a region family (docs/science.md §5). Regions are classified by the exponent
 * a of their per-parameter scale s = D^−a:
 *  - a ≥ 1: "polynomial" — ‖δ‖₁ ≈ s·D stays bounded, the needed order is constant (σ = 1/D gives
 *    order 8 at ε = 1e−6 for every D), the surrogate has poly(D) monomials;
 *  - 1/3 ≤ a < 1: "transition" — the order grows like D^{1−a}, so Taylor surrogates cost
 *    super-polynomially, yet (with LCE) gradients decay only polynomially: the transition zone
 *    between D^−1 and D^−1/2 and on to D^−1/3, with no known classical surrogate;
 *  - a < 1/3: "super-polynomial" — the order grows at least like D^{2/3} (σ = 1 needs order ~ D).
 *
 * The per-parameter scale is σ for Gaussian regions, r for hypercubes (‖δ‖₁ ≤ r·D just as
 * E‖δ‖₁ = σD√(2/π)), and t/D for a bound t on ‖δ‖₁ (so t ∝ D^{1−a}: bounded t is polynomial,
 * t growing like D^b is transition for 0 < b ≤ 2/3, super-polynomial for b > 2/3).
 *
 * The regime belongs to the family, i.e. to how the region scales as D → ∞: the exponent is the
 * slope a = −log₂(s(2D′)/s(D′)) of the law at D′ = max(D, 10¹²) (exact for D^−a, ∞ for e^−D,
 * → 0 for 1/ln D). A constant is a constant family: σ or r fixed (a = 0, super-polynomial: the
 * order grows like D) or t fixed (a = 1, polynomial). For constants the report also gives the
 * family D^−a through this (D, s) — a = −ln s / ln D — and its regime, since a number is often
 * meant as "this σ at this size".
 */
export type Regime = 'polynomial' | 'transition' | 'super-polynomial';

export const REGIMES: readonly Regime[] = ['polynomial', 'transition', 'super-polynomial'];

/** Lower exponent bounds of the regimes (a ≥ 1 polynomial, a ≥ 1/3 transition). */
export const POLYNOMIAL_EXPONENT = 1;
export const TRANSITION_EXPONENT = 1 / 3;

/** Exponents this close below a boundary count as on it (D^−1 evaluated in floating point). */
const SLACK = 1e-9;

/** What the region bounds: σ, r, or ‖δ‖₁ itself. */
export type ScaleKind = 'sigma' | 'radius' | 'l1';

/** Which side of the complexity phase transition (REFERENCE §1) a region scale lies on, and why. */
export interface RegimeClassification {
  readonly regime: Regime;
  /** a with per-parameter scale ∝ D^−a as D → ∞ (Infinity for a vanishing scale). */
  readonly exponent: number;
  /** `law`: the expression depends on D; `constant`: it does not (a constant family). */
  readonly exponentSource: 'law' | 'constant';
  /** The family D^−a through this (D, s): a = −ln s / ln D (null for D < 2). */
  readonly pointExponent: number | null;
  readonly pointRegime: Regime | null;
  /** One line saying why. */
  readonly reason: string;
}

export function regimeOfExponent(a: number): Regime {
  if (a >= POLYNOMIAL_EXPONENT - SLACK) return 'polynomial';
  if (a >= TRANSITION_EXPONENT - SLACK) return 'transition';
  return 'super-polynomial';
}

/** The per-parameter scale s(D) of a region given by `expr`. */
function perParameter(kind: ScaleKind, expr: ScaleExpression, D: number): number {
  const v = expr.at(D);
  return kind === 'l1' ? v / D : v;
}

/** Where the slope of a law is taken: far out, since the regime is about D → ∞. */
export const ASYMPTOTIC_D = 1e12;

/** The exponent a of the region's per-parameter scale (see the module comment). */
export function scaleExponent(kind: ScaleKind, expr: ScaleExpression, D: number): { exponent: number; source: 'law' | 'constant' } {
  const probe = Math.max(D, 1);
  // Constant iff equal wherever defined (small D too: e^−D underflows to 0 at large D).
  const values: number[] = [];
  for (const d of [probe, 2 * probe, 1, 2, 3]) {
    try {
      values.push(expr.at(d));
    } catch {
      // undefined there (1/ln D at D = 1)
    }
  }
  const v0 = values[0]!;
  if (values.every((v) => v === v0 || Math.abs(v - v0) <= 1e-12 * Math.abs(v0))) {
    return { exponent: kind === 'l1' ? 1 : 0, source: 'constant' };
  }
  const slope = (d: number) => {
    const s1 = perParameter(kind, expr, d);
    const s2 = perParameter(kind, expr, 2 * d);
    if (s1 === 0 || s2 === 0) return s2 === 0 ? Infinity : -Infinity;
    return -Math.log2(s2 / s1);
  };
  let exponent: number;
  try {
    exponent = slope(Math.max(D, ASYMPTOTIC_D));
  } catch {
    exponent = slope(probe); // e.g. exp(D) overflows far out
  }
  return { exponent, source: 'law' };
}

const SYMBOL: Record<ScaleKind, string> = { sigma: 'σ', radius: 'r', l1: '‖δ‖₁/D' };

/** D^−a written out: `D^−1`, `D^0.446` (growing), `D^−∞`. */
function power(a: number): string {
  if (a === Infinity) return 'D^−∞';
  if (a === -Infinity) return 'D^∞';
  const r = Number(a.toFixed(3));
  return r === 0 ? 'D^0' : r > 0 ? `D^−${r}` : `D^${-r}`;
}

function why(regime: Regime): string {
  if (regime === 'polynomial') return 'a ≥ 1: ‖δ‖₁ stays bounded as D grows, so the needed order is constant and the surrogate polynomial in D';
  if (regime === 'transition') {
    return '1/3 ≤ a < 1: the needed order grows like D^(1−a) (super-polynomial Taylor cost) while LCE gradients decay only polynomially — the transition zone';
  }
  return 'a < 1/3: the needed order grows at least like D^(2/3), super-polynomial cost';
}

/** Regime of a region written as `expr` (σ, r, or t) for D parameters, with its one-line reason. */
export function classifyRegion(kind: ScaleKind, expr: ScaleExpression, D: number): RegimeClassification {
  const { exponent, source } = scaleExponent(kind, expr, D);
  const regime = regimeOfExponent(exponent);
  const s = SYMBOL[kind];
  let pointExponent: number | null = null;
  if (D >= 2) {
    const sD = perParameter(kind, expr, D);
    pointExponent = sD === 0 ? Infinity : -Math.log(sD) / Math.log(D);
  }
  const pointRegime = pointExponent === null ? null : regimeOfExponent(pointExponent);
  let reason: string;
  if (source === 'law') {
    reason = `${s} ∝ ${power(exponent)} as D grows ('${expr.text}'); ${why(regime)}`;
  } else {
    const fixed = kind === 'l1' ? 't' : s;
    reason = `${fixed} = ${expr.text} is a constant, so ${s} ∝ ${power(exponent)} as D grows; ${why(regime)}` +
      (pointExponent !== null ? ` (at D = ${D} it equals ${power(pointExponent)}, on the ${pointRegime} family's path; write it in D, e.g. 1/D, to classify a family)` : '');
  }
  return { regime, exponent, exponentSource: source, pointExponent, pointRegime, reason };
}
