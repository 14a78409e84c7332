/**
 * What a truncated symbolic propagation drops, reported as it happens, so the final error can be
 * bounded a posteriori (docs/bounds.md §3). The builder calls these hooks; an implementation
 * (bounds/aposteriori.ts) accumulates whatever it needs to evaluate the bound later at any point
 * δ and over a region, without the circuit or a simulator.
 *
 * Conventions. Steps are the builder's program steps (surrogate/program.ts), numbered in time
 * order; propagation runs from the last step to the first. A "horizon" h means that exactly the
 * steps [0, h) are still to be applied to the dropped piece before the overlap with the initial
 * state. A "reach" r is the least number of sin branches at symbolic steps any Pauli path of the
 * dropped string needs to end on a string with a non-zero overlap (Viability.requiredSins);
 * UNREACHABLE (−1) says no path reaches, so the piece contributes exactly 0 and is not reported.
 * `mono` is a monomial id of the builder's MonomialTable; weights are absolute values.
 */
export interface DropRecorder {
  /**
   * At symbolic step `step` (horizon `step`: the steps before it remain), a term |c|·δ^mono on a
   * string Q anticommuting with the step's generator G: its cos ℓ series was kept only up to a
   * degree whose Lagrange remainder is ≤ |ℓ|^cosPower/cosPower!, its sin ℓ series (landing on
   * iGQ) up to a degree with remainder ≤ |ℓ|^sinPower/sinPower!. cosReach/sinReach are the
   * reaches of Q and iGQ with steps [0, step) remaining.
   */
  seriesCut(step: number, mono: number, weight: number, cosPower: number, cosReach: number, sinPower: number, sinReach: number): void;
  /**
   * seriesCut for `count` monomials sharing the step, powers and reaches (the frozen terms of one
   * string: degree m, so powers 2 and 1), weights[i] for monos[i]. A batch so the hot loop stays
   * a typed-array walk.
   */
  seriesCutMany(
    step: number, cosPower: number, cosReach: number, sinPower: number, sinReach: number, monos: Int32Array, weights: Float64Array, count: number,
  ): void;
  /**
   * A piece weight·δ^mono·Q removed whole with steps [0, horizon) still to come: a term pruned as
   * unable to reach the final overlap within the degree budget, or a fixed-angle sin branch
   * (weight already includes |sin r|) not formed for the same reason.
   */
  pruned(horizon: number, mono: number, weight: number, reach: number): void;
}

/** Reach of a string no Pauli path can bring to a non-zero overlap. */
export const UNREACHABLE = -1;

/** Exponent of the Lagrange remainder of cos x kept up to degree `kept` (< 0: nothing beyond 1). */
export function cosRemainderPower(kept: number): number {
  const K = Math.max(0, kept);
  return 2 * Math.floor(K / 2) + 2;
}

/** Exponent of the Lagrange remainder of sin x kept up to degree `kept` (< 1: nothing kept). */
export function sinRemainderPower(kept: number): number {
  if (kept < 1) return 1;
  return 2 * Math.floor((kept - 1) / 2) + 3;
}
