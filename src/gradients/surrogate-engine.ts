import type { InitialState } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import { observableNorm1 } from '../pauli/observable-text.js';
import { AngleForms } from '../surrogate/forms.js';
import { buildTaylorSurrogate } from '../surrogate/taylor-build.js';
import type { GradientEvaluator } from './sampling.js';
import { logPowerOverFactorial, regionDisplacementBound, taylorOrderFor, type Region } from '../bounds/order.js';
import type { LightConeGroup } from '../bounds/light-cone.js';

/**
 * Gradients beyond state-vector sizes from the Taylor surrogate T_m around a Clifford center,
 * with a rigorous bound. ∂_k T_m is the order-(m−1) Taylor polynomial of ∂_k C = Σ_g c_gk ∂C/∂a_g,
 * and every angle derivative of C of any order is bounded by ‖O‖₁, so
 *   |∂_k C − ∂_k T_m| ≤ (Σ_g |c_gk|) · ‖O‖₁ · t^m / m!,   t = ‖Aδ‖₁,
 * and ‖∇C − ∇T_m‖₂ ≤ ‖O‖₁ · t^m/m! · ‖(Σ_g |c_gk|)_k‖₂.
 * The light-cone version (docs/bounds.md §2, applied to ∂_k C_i = Σ_{g∈cone(i)} c_gk ∂C_i/∂a_g)
 * is never larger and is what the engine reports:
 *   |∂_k C − ∂_k T_m| ≤ Σ_i |c_i| · (Σ_{g∈cone(i)} |c_gk|) · t_i^m/m!,  t_i = Σ_{g∈cone(i)} |ℓ_g(δ)|.
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
  const cone = lightConeGradientBound(surrogate.meta.certificates?.lightCone?.groups ?? [], forms, circuit.numParameters);
  const evaluator: GradientEvaluator = (point) => {
    for (let k = 0; k < delta.length; k++) delta[k] = point[k]! - (center[k] as number);
    const t = forms.displacementL1(delta);
    const apriori = gradientBound(norm1, colNorm, t, options.order);
    return {
      value: surrogate.value(point),
      gradient: surrogate.gradient(point),
      gradientErrorBound: cone ? Math.min(apriori, cone(delta, options.order)) : apriori,
    };
  };
  const size = surrogate.size();
  return { evaluator, order: options.order, buildSeconds: surrogate.meta.buildSeconds, terms: size.terms, monomials: size.monomials };
}

/**
 * The light-cone gradient bound as a function of δ (null without cones): per group i of observable
 * terms with one cone, its column sums Σ_{g∈cone} |c_gk|; at δ, ‖(Σ_i w_i·col_i[k]·t_i^m/m!)_k‖₂.
 */
export function lightConeGradientBound(
  groups: readonly LightConeGroup[], forms: AngleForms, D: number,
): ((delta: Float64Array, order: number) => number) | null {
  if (groups.length === 0) return null;
  const cols = groups.map((gr) => {
    const col = new Float64Array(D);
    for (const g of gr.rows) for (let i = forms.offsets[g]!; i < forms.offsets[g + 1]!; i++) col[forms.params[i]!]! += Math.abs(forms.coeffs[i]!);
    return col;
  });
  const abs = new Float64Array(forms.rows);
  const err = new Float64Array(D);
  return (delta, order) => {
    for (let g = 0; g < forms.rows; g++) abs[g] = Math.abs(forms.value(g, delta));
    err.fill(0);
    groups.forEach((gr, j) => {
      let t = 0;
      for (const g of gr.rows) t += abs[g]!;
      const f = gr.weight * Math.exp(logPowerOverFactorial(t, order));
      const col = cols[j]!;
      for (let k = 0; k < D; k++) err[k]! += f * col[k]!;
    });
    let s = 0;
    for (let k = 0; k < D; k++) s += err[k]! * err[k]!;
    return Math.sqrt(s);
  };
}
