import { formatSeconds } from './budget.js';
import type { SigmaSimulability } from './simulability.js';
import type { GradientCell, GradientVariant, SweepSection } from './trainability.js';

/**
 * The summary box: one verdict per σ, decided in this order.
 *  1. simulable — a Taylor surrogate whose own region bound is ≤ ε was built within the budget;
 *  2. barren plateau — with a size sweep, the decay fit of mean ‖∇C‖ over N says exponential;
 *  3. vanishing gradients — single circuit: gradients at the level of a random circuit (trainability.ts);
 *  4. transition zone — σ in the transition regime (D^−1 < σ ≤ D^−1/3), no certified surrogate within
 *     the budget, and gradients bounded away from zero: the best certified lower bound g (95% interval
 *     of mean ‖∇C‖ with or without LCE, minus a surrogate engine's error bound; or the LCE guarantee)
 *     is at least RESOLVABLE·‖O‖₁;
 *  5. trainable, not certified simulable — the same outside the transition regime (σ ≥ D^−1/3: the
 *     super-polynomial regime; or a polynomial-regime surrogate that did not fit the budget);
 *  6. undetermined — no gradient statistics fitted the budget, or none certify a resolvable g.
 * The gradients used are those of the LCE-encoded circuit with --lce, else of the circuit itself.
 */
export type VerdictKind = 'simulable' | 'barren-plateau' | 'vanishing-gradients' | 'transition-zone' | 'trainable' | 'undetermined';

/** The summary box's verdict for one σ: its kind, its words and the reason in one sentence. */
export interface Verdict {
  readonly sigma: string;
  readonly sigmaValue: number;
  readonly kind: VerdictKind;
  /** The box's words, e.g. "simulable (order 9, 40 terms, 0.004 seconds)". */
  readonly text: string;
  /** Why, in one sentence. */
  readonly reason: string;
}

export function fmtNum(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2).replace('e+', 'e');
  return Number(v.toPrecision(3)).toString();
}

/**
 * The paper's LCE guarantee E[(∂_k C)²] ≥ e^{−σ²D} for δ ~ N(0, σ²I) gives the RMS target component
 * ≥ |c|·e^{−σ²D/2}. It is stated for a Pauli observable c·P and parameters that each drive one
 * rotation with slope ±1; `lceGuarantee` is null when those conditions do not hold.
 */
/** Gradients below this fraction of ‖O‖₁ need more than ~10^6 shots to resolve: not called trainable. */
export const RESOLVABLE = 1e-3;

export type LceGuarantee = ((sigma: number) => number) | null;

export function verdicts(
  sims: readonly SigmaSimulability[], cells: readonly GradientCell[], sweep: SweepSection | null, useLce: boolean, eps: number,
  lceGuarantee: LceGuarantee = null,
): Verdict[] {
  const variant: GradientVariant = useLce ? 'lce' : 'plain';
  return sims.map((sim) => {
    const label = sim.sigma.text;
    const base = { sigma: label, sigmaValue: sim.sigma.sigma };
    if (sim.certified) {
      const c = sim.certified;
      return {
        ...base, kind: 'simulable',
        text: `simulable (order ${c.order}, ${c.build.terms} terms, ${fmtNum(c.build.seconds)} seconds)`,
        reason: `a Taylor surrogate of order ${c.order} with ${c.build.monomials} monomials was built in ${formatSeconds(c.build.seconds)}; its bound over the region is ${fmtNum(c.bound)} ≤ ε = ${eps}`,
      };
    }
    const fit = sweep?.fits.find((f) => f.sigma === label);
    if (fit && fit.norm.verdict === 'barren-plateau') {
      return { ...base, kind: 'barren-plateau', text: 'barren plateau', reason: `over the sweep ${sweep!.spec}${sweep!.variant === 'lce' ? ' with LCE' : ''}: ${fit.norm.reason}` };
    }
    const cell = cells.find((c) => c.sigma.text === label && c.variant === variant) ?? cells.find((c) => c.sigma.text === label);
    const regime = sim.estimate.regime.regime;
    const noSurrogate = sim.predictedBuildSeconds !== null
      ? `the certified order ${sim.estimate.order} was predicted to take ${formatSeconds(sim.predictedBuildSeconds)}`
      : `no surrogate of order ${sim.estimate.order} was built`;
    if (!cell) {
      return { ...base, kind: 'undetermined', text: 'undetermined (no gradient statistics within budget)', reason: `${noSurrogate}, and no gradient samples fitted the budget` };
    }
    const withWhat = cell.variant === 'lce' ? 'with LCE' : 'without LCE';
    // Vanishing is judged on the gradients of the circuit the verdict is about (--lce or not).
    if (cell.vanishing && cell.variant === variant) {
      return {
        ...base, kind: 'vanishing-gradients', text: 'vanishing gradients',
        reason: `${withWhat}, the RMS gradient component is ${fmtNum(cell.rmsComponent)} (≤ ${fmtNum(cell.rmsComponentUpper)} at 95%), at the level of a random circuit on these qubits; ${noSurrogate}`,
      };
    }
    // "gradients ≥ g": the best certified lower bound available — the 95% interval of a measured
    // cell (surrogate-engine cells only up to their stated error bound), with or without the LCE,
    // or the LCE guarantee.
    const lower = (x: GradientCell | undefined) => (x ? Math.max(0, x.ci95[0] - x.gradientErrorBound) : 0);
    const lceCell = cells.find((c) => c.sigma.text === label && c.variant === 'lce');
    const plainCell = cells.find((c) => c.sigma.text === label && c.variant === 'plain');
    const candidates: { g: number; how: string }[] = [
      { g: lower(lceCell), how: `with LCE (mean ‖∇C‖, 95%, ${lceCell?.samples ?? 0} samples)` },
      { g: lower(plainCell), how: `without LCE (mean ‖∇C‖, 95%, ${plainCell?.samples ?? 0} samples)` },
      ...(lceGuarantee ? [{ g: lceGuarantee(sim.sigma.sigma), how: 'with LCE (RMS ∂_k C, the paper\'s guarantee e^(−σ²D/2))' }] : []),
    ];
    const best = candidates.reduce((a, b) => (b.g > a.g ? b : a));
    const g = best.g;
    if (g > 0 && g < RESOLVABLE * Math.max(sim.estimate.observableNorm1, 1e-300)) {
      return {
        ...base, kind: 'undetermined', text: `undetermined (gradients ≥ ${fmtNum(g)} only; no certified surrogate)`,
        reason: `${noSurrogate}; the best certified lower bound on the gradients, ${fmtNum(g)} ${best.how}, is below ${RESOLVABLE}·‖O‖₁ (more than ~10^6 shots per component to resolve)`,
      };
    }
    const withBest = best.how.startsWith('with LCE') ? 'with LCE' : 'without LCE';
    if (g > 0 && regime === 'transition') {
      return {
        ...base, kind: 'transition-zone',
        text: `transition zone (gradients ≥ ${fmtNum(g)} ${withBest}; no certified surrogate within budget)`,
        reason: `σ = ${label} lies between D^−1 and D^−1/3; ${noSurrogate}; gradients ≥ ${fmtNum(g)} ${best.how}`,
      };
    }
    if (g > 0) {
      return {
        ...base, kind: 'trainable',
        text: `trainable, not certified simulable (gradients ≥ ${fmtNum(g)} ${withBest}; ${regime} regime)`,
        reason: `${noSurrogate}; gradients ≥ ${fmtNum(g)} ${best.how}`,
      };
    }
    if (cell.engine === 'surrogate' && cell.gradientErrorBound > 0) {
      return {
        ...base, kind: 'undetermined', text: 'undetermined (gradient statistics not certified at this size)',
        reason: `${noSurrogate}; beyond the exact engine the gradients come from an order-${cell.order} Taylor surrogate whose error bound ${fmtNum(cell.gradientErrorBound)} exceeds the measured mean ‖∇C‖ = ${fmtNum(cell.mean)}`,
      };
    }
    return {
      ...base, kind: 'undetermined', text: 'undetermined (gradients not resolved from zero)',
      reason: `${noSurrogate}; ${cell.samples} gradient samples do not bound mean ‖∇C‖ away from 0, nor reach the random-circuit test`,
    };
  });
}
