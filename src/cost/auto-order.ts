import { chooseTaylorOrder, pathSinsFor, regionDisplacementBound, type Region } from '../bounds/order.js';
import { termLightCones } from '../bounds/light-cone.js';
import { LightConeData, lightConePathSins, lightConeTaylorOrder } from '../bounds/light-cone-bound.js';
import { UserError } from '../ir/errors.js';
import type { Circuit, Observable } from '../ir/types.js';
import { AngleForms } from '../surrogate/forms.js';
import type { BoundKind } from '../surrogate/meta.js';
import type { Surrogate } from '../surrogate/interface.js';
import { buildPathSurrogate } from '../surrogate/paths-build.js';
import { lowerForSurrogate } from '../surrogate/program.js';
import { buildTaylorSurrogate, type SurrogateBuildOptions } from '../surrogate/taylor-build.js';

/**
 * Order selection with the tightest rigorous bound (docs/bounds.md §5). The a-priori and
 * light-cone orders are predicted from the circuit's structure alone; the a-posteriori bound
 * needs a build, so orders below the light-cone prediction are built upward from the smallest
 * order that could possibly meet ε until one is certified. Every order tried is reported.
 */
export interface OrderPrediction {
  /** The paper's a-priori order: ‖O‖₁·t^{m+1}/(m+1)! ≤ ε. */
  readonly apriori: number;
  readonly aprioriBound: number;
  /** The light-cone order: Σ_i |c_i|·t_i^{m+1}/(m+1)! ≤ ε. */
  readonly lightCone: number;
  readonly lightConeBound: number;
}

/** A surrogate built at the smallest truncation whose tightest rigorous bound meets ε. */
export interface AutoOrderResult {
  readonly surrogate: Surrogate;
  /** The chosen truncation (order m or max sins S) and the bound kind that certified it. */
  readonly truncation: number;
  readonly bound: number;
  readonly kind: BoundKind;
  readonly predicted: OrderPrediction;
  /** Truncations built on the way, with their tightest region bound. */
  readonly tried: readonly { truncation: number; bound: number; kind: BoundKind; buildSeconds: number }[];
}

const norm1 = (o: Observable) => o.terms.reduce((s, t) => s + (t.pauli.qubits.length > 0 ? Math.abs(t.coeff) : 0), 0);

/** A-priori and light-cone predictions (no build). */
export function predictOrders(circuit: Circuit, observable: Observable, region: Region, eps: number, center?: ArrayLike<number>): OrderPrediction {
  const forms = AngleForms.fromCircuit(circuit);
  const ap = chooseTaylorOrder(norm1(observable), regionDisplacementBound(region, forms.stats()), eps);
  const lc = lightConeTaylorOrder(new LightConeData(termLightCones(circuit, observable, center)), forms, region, eps, ap.order);
  return { apriori: ap.order, aprioriBound: ap.bound, lightCone: lc.order, lightConeBound: lc.bound };
}

/** The same for the Pauli-path surrogate's S. */
export function predictPathSins(circuit: Circuit, observable: Observable, region: Region, eps: number, center?: ArrayLike<number>): OrderPrediction {
  const forms = AngleForms.fromCircuit(circuit);
  const c = center ?? new Float64Array(circuit.numParameters);
  const lowered = lowerForSurrogate(circuit, observable, c);
  const scale = norm1(observable) * lowered.fixedGain;
  const t = regionDisplacementBound(region, forms.stats());
  const ap = scale === 0 ? 0 : Math.min(pathSinsFor(t, eps / scale), lowered.forms.rows);
  const lcData = new LightConeData(termLightCones(circuit, observable, center));
  const lc = lightConePathSins(lcData, forms, region, eps, ap);
  return { apriori: ap, aprioriBound: NaN, lightCone: lc.maxSins, lightConeBound: lc.bound };
}

/**
 * Builds the smallest truncation whose tightest region bound is ≤ eps. Builds run upward from
 * `floor` (default 0) to the light-cone prediction, which is certified without a build's help;
 * builds that exceed the term budget end the search at the prediction.
 */
export function buildWithAutoOrder(
  circuit: Circuit, observable: Observable, kind: 'taylor' | 'paths', region: Region, eps: number,
  options: SurrogateBuildOptions & { floor?: number },
): AutoOrderResult {
  if (!(eps > 0)) throw new UserError(`ε must be a positive number, got ${eps}`);
  const predicted = kind === 'taylor'
    ? predictOrders(circuit, observable, region, eps, options.center)
    : predictPathSins(circuit, observable, region, eps, options.center);
  const build = (k: number): Surrogate => kind === 'taylor'
    ? buildTaylorSurrogate(circuit, observable, { ...options, order: k })
    : buildPathSurrogate(circuit, observable, { ...options, maxSins: k });
  // Built surrogates evaluate Gaussian regions with the tail split over the three kinds (so that
  // their minimum holds except with probability p): the search's upper end must use the same.
  const split: Region = region.kind === 'gaussian' ? { ...region, tailProbability: region.tailProbability / 3 } : region;
  const atSplit = kind === 'taylor'
    ? predictOrders(circuit, observable, split, eps, options.center)
    : predictPathSins(circuit, observable, split, eps, options.center);
  const upper = Math.min(atSplit.lightCone, atSplit.apriori);
  const tried: { truncation: number; bound: number; kind: BoundKind; buildSeconds: number }[] = [];
  for (let k = Math.min(options.floor ?? 0, upper); k <= upper; k++) {
    const s = build(k);
    const b = s.regionBoundsByKind(region);
    tried.push({ truncation: k, bound: b.tightest, kind: b.kind, buildSeconds: s.meta.buildSeconds });
    if (b.tightest <= eps || k === upper) return { surrogate: s, truncation: k, bound: b.tightest, kind: b.kind, predicted, tried };
  }
  throw new Error('internal error: order search ended without a build');
}
