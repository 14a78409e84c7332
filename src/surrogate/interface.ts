import type { Region } from '../bounds/order.js';
import type { BoundsByKind, SurrogateMeta } from './meta.js';

/** How big a built surrogate is. */
export interface SurrogateSize {
  /** Live terms at the end of the build. */
  readonly terms: number;
  /** Taylor: monomials with a non-zero coefficient. Paths: trigonometric path monomials. */
  readonly monomials: number;
  /** Nodes evaluated per point (Taylor: monomial tree incl. prefixes; paths: DAG nodes). */
  readonly nodes: number;
}

/** The common interface of the Taylor and Pauli-path surrogates. */
export interface Surrogate {
  readonly kind: 'taylor' | 'paths';
  readonly meta: SurrogateMeta;
  /** Truncation: Taylor order m, or max sins S for paths. */
  readonly truncation: number;
  /** Values at `count` points given as absolute parameter vectors, row-major in `points`. */
  evaluate(points: Float64Array, count?: number): Float64Array;
  /** The surrogate at one absolute parameter point. */
  value(point: ArrayLike<number>): number;
  /** Its gradient with respect to the flat parameters at one point. */
  gradient(point: ArrayLike<number>): Float64Array;
  /** Rigorous bound on |surrogate − exact| at each point: the tightest available kind. */
  bounds(points: Float64Array, count?: number): Float64Array;
  /** Rigorous bound on |surrogate − exact| at one point. */
  bound(point: ArrayLike<number>): number;
  /** Bound valid on the region (for Gaussian regions: except with the stated tail probability). */
  regionBound(region: Region): number;
  /** Every bound kind (a priori, light cone, a posteriori) at one point, and the tightest. */
  boundsByKind(point: ArrayLike<number>): BoundsByKind;
  /**
   * Every kind over a region. Gaussian regions: each kind is evaluated at tail probability p/k
   * (k kinds available), so the tightest holds except with probability ≤ p.
   */
  regionBoundsByKind(region: Region): BoundsByKind;
  /** Terms, monomials and nodes of the built surrogate. */
  size(): SurrogateSize;
  /** The JSON document {@link surrogateFromJSON} reads back. */
  toJSON(): unknown;
}
