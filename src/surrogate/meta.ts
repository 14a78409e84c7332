import { regionDisplacementBound, type Region } from '../bounds/order.js';
import { UserError } from '../ir/errors.js';
import { parameterName } from '../ir/parameters.js';
import type { ParameterDecl } from '../ir/types.js';
import type { AngleForms } from './forms.js';
import type { AposterioriData } from '../bounds/aposteriori.js';
import type { LightConeData } from '../bounds/light-cone-bound.js';

/** What the sharper bounds need, stored with the surrogate (and in its JSON). */
export interface BoundCertificates {
  /** Per-term backward light cones (docs/bounds.md §2). */
  readonly lightCone?: LightConeData;
  /** What the build dropped (docs/bounds.md §3); Taylor surrogates built with recording only. */
  readonly aposteriori?: AposterioriData;
}

/** The rigorous bound kinds, loosest first. */
export type BoundKind = 'apriori' | 'light-cone' | 'aposteriori';
/** Every bound kind, loosest first. */
export const BOUND_KINDS: readonly BoundKind[] = ['apriori', 'light-cone', 'aposteriori'];

/** Every available kind's bound at one point (or over a region), and the tightest. */
export interface BoundsByKind {
  readonly apriori: number;
  readonly lightCone: number | null;
  readonly aposteriori: number | null;
  /** The smallest of the available kinds (each is rigorous, so is their minimum). */
  readonly tightest: number;
  readonly kind: BoundKind;
}

/** The kinds' bounds with the smallest available one as `tightest` (ties keep the looser kind's name). */
export function tightestOf(apriori: number, lightCone: number | null, aposteriori: number | null): BoundsByKind {
  let tightest = apriori;
  let kind: BoundKind = 'apriori';
  if (lightCone !== null && lightCone < tightest) {
    tightest = lightCone;
    kind = 'light-cone';
  }
  if (aposteriori !== null && aposteriori < tightest) {
    tightest = aposteriori;
    kind = 'aposteriori';
  }
  return { apriori, lightCone, aposteriori, tightest, kind };
}

/** What both surrogate kinds record about the circuit and the build. */
export interface SurrogateMeta {
  readonly numQubits: number;
  readonly parameters: readonly ParameterDecl[];
  readonly numParameters: number;
  /** The expansion point φ* (flat parameter vector). */
  readonly center: Float64Array;
  /** The observable as text (`0.5*Z0 Z1 - X3`). */
  readonly observable: string;
  /** Σ|c| over its non-identity terms: the factor of every error bound. */
  readonly observableNorm1: number;
  /** `zero`, `plus` or a bitstring. */
  readonly initialState: string;
  /** Rows of A (gate-angle displacement per parameter displacement), symbolic gates only. */
  readonly forms: AngleForms;
  /** Live (Pauli, coefficient) terms at the end of propagation, before the overlap. */
  readonly terms: number;
  /** Largest number of term entries held at once during the build. */
  readonly peakTerms: number;
  readonly buildSeconds: number;
  readonly certificates?: BoundCertificates;
}

/** Number of points in a row-major batch, checking its shape. */
export function batchCount(points: Float64Array, D: number, count?: number): number {
  if (count === undefined) {
    if (D === 0) return 1; // a circuit without parameters has one point, the empty vector
    if (points.length % D !== 0) throw new UserError(`points: length ${points.length} is not a multiple of ${D} parameters`);
    return points.length / D;
  }
  if (points.length < count * D) throw new UserError(`points: need ${count}×${D} values, got ${points.length}`);
  return count;
}

/** δ = point − center into out. */
export function displacement(meta: SurrogateMeta, points: ArrayLike<number>, p0: number, out: Float64Array): void {
  const c = meta.center;
  for (let k = 0; k < c.length; k++) out[k] = (points[p0 + k] as number) - c[k]!;
}

export function checkPointLength(meta: SurrogateMeta, point: ArrayLike<number>): void {
  if (point.length !== meta.numParameters) {
    throw new UserError(`expected ${meta.numParameters} parameter values, got ${point.length}`);
  }
}

export function regionDisplacement(meta: SurrogateMeta, region: Region): number {
  return regionDisplacementBound(region, meta.forms.stats());
}

export function nameOf(meta: SurrogateMeta, k: number): string {
  return parameterName(meta.parameters, k);
}
