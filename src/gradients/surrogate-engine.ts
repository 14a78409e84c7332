import type { InitialState } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import { observableNorm1 } from '../pauli/observable-text.js';
import { AngleForms } from '../surrogate/forms.js';
import { buildTaylorSurrogate } from '../surrogate/taylor-build.js';
import type { GradientEvaluator } from './sampling.js';
import { logPowerOverFactorial, regionDisplacementBound, taylorOrderFor, type Region } from '../bounds/order.js';

/**
 * Gradients beyond state-vector sizes from the Taylor surrogate T_m around a Clifford center,
 * with a rigorous bound. ∂_k T_m is the order-(m−1) Taylor polynomial of ∂_k C = Σ_g c_gk ∂C/∂a_g,
 * and every angle derivative of C of any order is bounded by ‖O‖₁, so
 *   |∂_k C − ∂_k T_m| ≤ (Σ_g |c_gk|) · ‖O‖₁ · t^m / m!,   t = ‖Aδ‖₁,
 * and ‖∇C − ∇T_m‖₂ ≤ ‖O‖₁ · t^m/m! · ‖(Σ_g |c_gk|)_k‖₂.
 */
export interface SurrogateGradientEngine {
  readonly evaluator: GradientEvaluator;
  readonly order: number;
  readonly buildSeconds: number;
  readonly terms: number;
  readonly monomials: number;
}

/** ‖(Σ_g |c_gk|)_k‖₂: the chain-rule factor of the gradient bound. */
export function columnL1Norm(circuit: Circuit): number {
  const col = new Float64Array(circuit.numParameters);
  for (const g of circuit.gates) if (g.kind === 'rotation') for (const t of g.angle.terms) col[t.param] = col[t.param]! + Math.abs(t.coeff);
  let s = 0;
  for (const c of col) s += c * c;
  return Math.sqrt(s);
}

/** ‖O‖₁·t^m/m!·colNorm. */
export function gradientBound(norm1: number, colNorm: number, t: number, order: number): number {
  return norm1 * colNorm * Math.exp(logPowerOverFactorial(t, order));
}

/**
 * The smallest order whose gradient bound is ≤ eps over the region (Gaussian regions: except with
 * the region's tail probability), capped at `maxOrder`; `capped` says the cap was hit.
 */
export function gradientOrderFor(
  circuit: Circuit, observable: Observable, region: Region, eps: number, maxOrder: number,
): { order: number; bound: number; capped: boolean } {
  const forms = AngleForms.fromCircuit(circuit);
  const t = regionDisplacementBound(region, forms.stats());
  const scale = observableNorm1(observable) * columnL1Norm(circuit);
  if (scale === 0) return { order: 0, bound: 0, capped: false };
  // Smallest m ≥ 1 with t^m/m! ≤ eps/scale: taylorOrderFor finds m' with t^{m'+1}/(m'+1)! ≤ ·.
  const needed = taylorOrderFor(t, eps / scale) + 1;
  const order = Math.min(needed, maxOrder);
  return { order, bound: gradientBound(observableNorm1(observable), columnL1Norm(circuit), t, order), capped: needed > maxOrder };
}

export function surrogateGradientEngine(
  circuit: Circuit,
  observable: Observable,
  options: { order: number; center: ArrayLike<number>; initialState?: InitialState; maxTerms?: number },
): SurrogateGradientEngine {
  const surrogate = buildTaylorSurrogate(circuit, observable, {
    order: options.order,
    center: options.center,
    ...(options.initialState ? { initialState: options.initialState } : {}),
    ...(options.maxTerms ? { maxTerms: options.maxTerms } : {}),
  });
  const forms = AngleForms.fromCircuit(circuit);
  const norm1 = observableNorm1(observable);
  const colNorm = columnL1Norm(circuit);
  const center = options.center;
  const delta = new Float64Array(circuit.numParameters);
  const evaluator: GradientEvaluator = (point) => {
    for (let k = 0; k < delta.length; k++) delta[k] = point[k]! - (center[k] as number);
    const t = forms.displacementL1(delta);
    return {
      value: surrogate.value(point),
      gradient: surrogate.gradient(point),
      gradientErrorBound: gradientBound(norm1, colNorm, t, options.order),
    };
  };
  const size = surrogate.size();
  return { evaluator, order: options.order, buildSeconds: surrogate.meta.buildSeconds, terms: size.terms, monomials: size.monomials };
}
