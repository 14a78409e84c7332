import type { Region } from '../bounds/order.js';
import { parseScaleExpression } from '../bounds/scale.js';
import type { InitialState } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import { buildWithAutoOrder, predictOrders } from './auto-order.js';
import type { CostRegion } from './estimate.js';

/**
 * `cost`'s view of the sharper bounds (docs/bounds.md §5): the light-cone prediction of the
 * needed order next to the paper's, and with `--certify` the order the tightest rigorous bound
 * certifies after building, with its size and time. ℓ1 regions name no per-gate displacement,
 * so only the paper's prediction applies to them.
 */
export interface BoundsCost {
  readonly paperOrder: number;
  readonly paperBound: number;
  readonly lightConeOrder: number;
  readonly lightConeBound: number;
  readonly certified?: {
    readonly order: number;
    readonly kind: string;
    readonly bound: number;
    readonly terms: number;
    readonly monomials: number;
    readonly buildSeconds: number;
    readonly ordersBuilt: number;
  };
}

export function costRegionToRegion(region: CostRegion, D: number, tailProbability: number): Region | null {
  if (region.kind === 'l1') return null;
  const v = parseScaleExpression(region.text, `--${region.kind}`).at(D);
  return region.kind === 'sigma' ? { kind: 'gaussian', sigma: v, tailProbability } : { kind: 'hypercube', radius: v };
}

export function boundsCost(
  circuit: Circuit, observable: Observable, region: Region, eps: number,
  options: { certify: boolean; center?: ArrayLike<number>; initialState?: InitialState; maxTerms?: number },
): BoundsCost {
  const p = predictOrders(circuit, observable, region, eps, options.center);
  const out = { paperOrder: p.apriori, paperBound: p.aprioriBound, lightConeOrder: p.lightCone, lightConeBound: p.lightConeBound };
  if (!options.certify) return out;
  const r = buildWithAutoOrder(circuit, observable, 'taylor', region, eps, {
    ...(options.center ? { center: options.center } : {}),
    ...(options.initialState ? { initialState: options.initialState } : {}),
    ...(options.maxTerms ? { maxTerms: options.maxTerms } : {}),
  });
  const size = r.surrogate.size();
  return {
    ...out,
    certified: {
      order: r.truncation, kind: r.kind, bound: r.bound, terms: size.terms, monomials: size.monomials,
      buildSeconds: r.tried.reduce((a, t) => a + t.buildSeconds, 0), ordersBuilt: r.tried.length,
    },
  };
}

export function boundsCostToJSON(b: BoundsCost): Record<string, unknown> {
  return {
    predicted_order_paper: b.paperOrder,
    predicted_bound_paper: b.paperBound,
    predicted_order_light_cone: b.lightConeOrder,
    predicted_bound_light_cone: b.lightConeBound,
    ...(b.certified
      ? {
          certified: {
            order: b.certified.order, bound_kind: b.certified.kind, bound: b.certified.bound, terms: b.certified.terms,
            monomials: b.certified.monomials, build_seconds: b.certified.buildSeconds, orders_built: b.certified.ordersBuilt,
          },
        }
      : {}),
  };
}

export function formatBoundsCost(b: BoundsCost): string {
  const lines = [
    `predicted order  ${b.paperOrder} (paper's a-priori bound ${b.paperBound.toExponential(2)}), ${b.lightConeOrder} (light cone, ${b.lightConeBound.toExponential(2)})`,
  ];
  if (b.certified) {
    const c = b.certified;
    lines.push(`certified order  ${c.order} by the ${c.kind} bound ${c.bound.toExponential(2)}: ${c.terms} terms, ${c.monomials} monomials, ${c.buildSeconds.toFixed(3)} s over ${c.ordersBuilt} builds`);
  }
  return lines.join('\n') + '\n';
}
