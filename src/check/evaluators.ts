import { chooseTaylorOrder, expTail, taylorRemainderFactor, type Region } from '../bounds/order.js';
import type { BoundsByKind } from '../surrogate/meta.js';
import { ResourceLimitError, UserError } from '../ir/errors.js';
import { ensureStateVectorsFit } from '../simulators/statevector/limits.js';
import type { InitialState } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import { DEFAULT_MIN_ABS, propagate } from '../propagation/index.js';
import { expectation } from '../simulators/statevector/index.js';
import { DEFAULT_DENSITY_MAX_QUBITS, DensityMatrix, densityExpectation } from '../simulators/density/index.js';
import { hasNoise } from '../ir/circuit.js';
import { ensureFits } from '../memory/limit.js';
import { buildPathSurrogate } from '../surrogate/paths-build.js';
import { buildTaylorSurrogate } from '../surrogate/taylor-build.js';
import type { Claim, ClaimBound } from './claim.js';

/**
 * The two sides of a claim check: the claimed approximation (a Taylor or Pauli-path surrogate
 * built once, or a numeric propagation run per point) and the reference it is compared with
 * (exact state vector, or for large circuits a much more accurate approximation whose own error
 * is bounded rigorously at every point).
 */
export interface Evaluation {
  readonly value: number;
  /** Rigorous bound on |value − exact| at this point (rounding slack for the exact simulator). */
  readonly bound: number;
}

export interface Evaluator {
  readonly description: string;
  evaluate(theta: Float64Array): Evaluation;
  /** A surrogate's own rigorous bound over a region with ‖Aδ‖₁ ≤ extent (absent for propagation). */
  /** The claimed bound over the region (`region`: the sampled region; `extent`: its ‖Aδ‖₁ bound). */
  regionBound?(extent: number, region?: Region): number;
}

export interface EvaluatorContext {
  readonly circuit: Circuit;
  readonly observable: Observable;
  readonly center: Float64Array;
  readonly initialState: InitialState;
  readonly maxTerms?: number;
  /** Progress of surrogate builds (also where the time limit stops them). */
  readonly onBuildProgress?: (what: string, done: number, total: number, liveTerms: number) => void;
}

/** Σ|c| over non-identity terms. */
export function observableNorm1(observable: Observable): number {
  let s = 0;
  for (const t of observable.terms) if (t.pauli.qubits.length > 0) s += Math.abs(t.coeff);
  return s;
}

/** The claimed approximation. `bound` is its own rigorous per-point error bound. */
export function claimEvaluator(claim: Claim, ctx: EvaluatorContext): Evaluator {
  const { circuit, observable, center, initialState, maxTerms } = ctx;
  const progress = (what: string) => ctx.onBuildProgress && ((d: number, t: number, live: number) => ctx.onBuildProgress!(what, d, t, live));
  if (claim.kind === 'taylor') {
    const s = buildTaylorSurrogate(circuit, observable, { order: claim.order, center, initialState, maxTerms, onProgress: progress('claimed surrogate') });
    return {
      description: `Taylor surrogate of order ${claim.order} (${s.size().monomials} monomials, built in ${s.meta.buildSeconds.toFixed(3)} s)`,
      evaluate: (theta) => ({ value: s.value(theta), bound: pickBound(s.boundsByKind(theta), claim.bound) }),
      regionBound: (extent, region) =>
        region && claim.bound !== 'apriori'
          ? pickBound(s.regionBoundsByKind(region), claim.bound)
          : s.meta.observableNorm1 * taylorRemainderFactor(extent, claim.order),
    };
  }
  if (claim.kind === 'paths') {
    const s = buildPathSurrogate(circuit, observable, { maxSins: claim.maxSins, center, initialState, maxTerms, onProgress: progress('claimed surrogate') });
    return {
      description: `Pauli-path surrogate with at most ${claim.maxSins} sin branches (${s.size().nodes} nodes)`,
      evaluate: (theta) => ({ value: s.value(theta), bound: pickBound(s.boundsByKind(theta), claim.bound) }),
      // Nothing is truncated when S covers every parametrized gate (as PathSurrogate's own bound).
      regionBound: (extent, region) =>
        region && claim.bound !== 'apriori'
          ? pickBound(s.regionBoundsByKind(region), claim.bound)
          : claim.maxSins >= s.meta.forms.rows ? 0 : s.meta.observableNorm1 * s.fixedGain * expTail(extent, claim.maxSins + 1),
    };
  }
  const truncation = claim.truncation;
  return {
    description: 'numeric Pauli propagation with the claimed truncations',
    evaluate: (theta) => {
      const r = propagate(circuit, theta, observable, { ...truncation, initialState, maxTerms });
      return { value: r.value, bound: r.droppedWeight };
    },
  };
}

/** Which reference to compare with. */
export type ReferenceSpec =
  | { readonly kind: 'auto' }
  | { readonly kind: 'exact' }
  | { readonly kind: 'taylor'; readonly order?: number }
  | { readonly kind: 'propagate'; readonly minAbs?: number };

/** Parses `auto`, `exact`, `taylor`, `taylor:ORDER`, `propagate`, `propagate:MIN_ABS`. */
export function parseReferenceSpec(text: string): ReferenceSpec {
  const t = text.trim();
  if (t === 'auto' || t === 'exact') return { kind: t };
  const m = /^(taylor|propagate)(?::(.+))?$/.exec(t);
  if (m) {
    if (m[2] === undefined) return { kind: m[1] as 'taylor' | 'propagate' };
    const v = Number(m[2]);
    if (m[1] === 'taylor') {
      if (!Number.isInteger(v) || v < 0 || v > 255) throw new UserError(`\`reference\` taylor:ORDER needs an integer order in [0, 255], got '${m[2]}'`);
      return { kind: 'taylor', order: v };
    }
    if (!(v > 0) || !Number.isFinite(v)) throw new UserError(`\`reference\` propagate:MIN_ABS needs a positive number, got '${m[2]}'`);
    return { kind: 'propagate', minAbs: v };
  }
  throw new UserError(`\`reference\` must be auto, exact, taylor[:ORDER] or propagate[:MIN_ABS], got '${text}'`);
}

/** Largest circuit the `auto` reference simulates exactly. */
export const EXACT_REFERENCE_MAX_QUBITS = 24;

/**
 * Rounding slack granted to the exact reference: state-vector amplitudes carry ~1e−16 relative
 * error per gate, far below this for any circuit the simulator can hold.
 */
export const EXACT_SLACK = 1e-12;

/** The reference for a claim: exact up to `exactMaxQubits`, else a far more accurate approximation. */
export function referenceEvaluator(
  claim: Claim, ctx: EvaluatorContext, spec: ReferenceSpec, extent: number, exactMaxQubits = EXACT_REFERENCE_MAX_QUBITS,
): Evaluator {
  let kind = spec.kind;
  if (kind === 'auto') kind = ctx.circuit.numQubits <= exactLimit(ctx.circuit, exactMaxQubits) ? 'exact' : claim.kind === 'propagate' ? 'propagate' : 'taylor';
  const order = kind === 'taylor' ? referenceTaylorOrder(claim, ctx, spec, extent) : undefined;
  return makeReference(claim, ctx, kind, spec, extent, order);
}

/** The order the Taylor reference wants: accurate to ε/1000 over the region, above a Taylor claim's order. */
function referenceTaylorOrder(claim: Claim, ctx: EvaluatorContext, spec: ReferenceSpec, extent: number): number {
  if (spec.kind === 'taylor' && spec.order !== undefined) return spec.order;
  const norm = observableNorm1(ctx.observable);
  return Math.max(chooseTaylorOrder(norm, extent, claim.eps * 1e-3).order, claim.kind === 'taylor' ? claim.order + 2 : 0);
}

function makeReference(
  claim: Claim, ctx: EvaluatorContext, kind: 'exact' | 'taylor' | 'propagate', spec: ReferenceSpec, extent: number, order?: number,
): Evaluator {
  const { circuit, observable, center, initialState, maxTerms } = ctx;
  const norm = observableNorm1(observable);
  if (kind === 'exact' && hasNoise(circuit)) {
    // Noisy circuits: the exact density matrix (16·4^n bytes), the same rounding slack.
    const slack = EXACT_SLACK * Math.max(1, norm);
    if (circuit.numQubits > DEFAULT_DENSITY_MAX_QUBITS) {
      throw new ResourceLimitError(`the exact reference of a noisy circuit is a density matrix: ${circuit.numQubits} qubits exceed its limit of ${DEFAULT_DENSITY_MAX_QUBITS}`);
    }
    ensureFits(DensityMatrix.bytesFor(circuit.numQubits), 'the exact reference\'s density matrix');
    return {
      description: `exact density-matrix simulation (${circuit.numQubits} qubits, noise channels applied)`,
      evaluate: (theta) => ({ value: densityExpectation(circuit, theta, observable, { initialState }), bound: slack }),
    };
  }
  if (kind === 'exact') {
    const slack = EXACT_SLACK * Math.max(1, norm);
    const maxQubits = Math.max(EXACT_REFERENCE_MAX_QUBITS, circuit.numQubits);
    ensureStateVectorsFit(circuit.numQubits, 1, 'the exact reference\'s state vector');
    return {
      description: `exact state-vector simulation (${circuit.numQubits} qubits)`,
      evaluate: (theta) => ({ value: expectation(circuit, theta, observable, { initialState, maxQubits }), bound: slack }),
    };
  }
  if (kind === 'taylor') {
    const wanted = order!;
    if (wanted > 255) throw new ResourceLimitError(`the Taylor reference would need order ${wanted} (> 255) for this region`);
    const onProgress = ctx.onBuildProgress && ((d: number, t: number, live: number) => ctx.onBuildProgress!(`reference surrogate (order ${wanted})`, d, t, live));
    const s = buildTaylorSurrogate(circuit, observable, { order: wanted, center, initialState, maxTerms, onProgress });
    return {
      description: `Taylor surrogate of order ${wanted} (region bound ${norm * taylorRemainderFactor(extent, wanted)})`,
      evaluate: (theta) => ({ value: s.value(theta), bound: s.bound(theta) }),
    };
  }
  const claimMinAbs = claim.kind === 'propagate' ? claim.truncation.minAbs ?? DEFAULT_MIN_ABS : DEFAULT_MIN_ABS;
  const minAbs = spec.kind === 'propagate' && spec.minAbs !== undefined ? spec.minAbs : Math.min(claimMinAbs, claim.eps) * 1e-3;
  return {
    description: `Pauli propagation with min-abs ${minAbs} and no other truncation (error ≤ dropped weight)`,
    evaluate: (theta) => {
      const r = propagate(circuit, theta, observable, { minAbs, initialState, maxTerms });
      return { value: r.value, bound: r.droppedWeight };
    },
  };
}

/** Largest circuit the auto reference simulates exactly: the density matrix's cap for noisy circuits. */
function exactLimit(circuit: Circuit, exactMaxQubits: number): number {
  return hasNoise(circuit) ? Math.min(exactMaxQubits, DEFAULT_DENSITY_MAX_QUBITS) : exactMaxQubits;
}

/** A reference, or why none fits; `loosened` says when a less accurate one had to stand in. */
export interface BuiltReference {
  readonly reference: Evaluator | null;
  readonly reason: string | null;
  readonly loosened: string | null;
}

/**
 * The reference within the memory and time limits. An explicit `--reference` is built as asked
 * (or reported as not fitting); `auto` tries, in order, the exact simulator (≤ exactMaxQubits and
 * its state vector fits), the Taylor surrogate accurate to ε/1000 (propagation claims: propagation
 * at ε/1000), then a loosened Taylor reference accurate to ε over the region: still able to refute
 * (errors beyond ε + its bound) but deciding fewer points, which the caller reports as a warning.
 * When nothing fits, `reference` is null and `reason` says why.
 */
export function buildReference(
  claim: Claim, ctx: EvaluatorContext, spec: ReferenceSpec, extent: number, exactMaxQubits = EXACT_REFERENCE_MAX_QUBITS,
): BuiltReference {
  const failures: string[] = [];
  const attempt = (kind: 'exact' | 'taylor' | 'propagate', order?: number): Evaluator | null => {
    try {
      return makeReference(claim, ctx, kind, spec, extent, order);
    } catch (e) {
      if (!(e instanceof ResourceLimitError)) throw e;
      failures.push(`${kind === 'taylor' ? `Taylor reference of order ${order}` : kind === 'exact' ? 'exact reference' : 'propagation reference'}: ${e.message}`);
      return null;
    }
  };
  const none = (): BuiltReference => ({ reference: null, reason: `no reference fits the limits (${failures.join('; ')})`, loosened: null });
  if (spec.kind !== 'auto') {
    const ref = attempt(spec.kind, spec.kind === 'taylor' ? referenceTaylorOrder(claim, ctx, spec, extent) : undefined);
    return ref ? { reference: ref, reason: null, loosened: null } : none();
  }
  if (ctx.circuit.numQubits <= exactLimit(ctx.circuit, exactMaxQubits)) {
    const ref = attempt('exact');
    if (ref) return { reference: ref, reason: null, loosened: null };
  }
  if (claim.kind === 'propagate') {
    const ref = attempt('propagate');
    return ref ? { reference: ref, reason: null, loosened: null } : none();
  }
  const wanted = referenceTaylorOrder(claim, ctx, spec, extent);
  const first = attempt('taylor', wanted);
  if (first) return { reference: first, reason: null, loosened: null };
  const loose = chooseTaylorOrder(observableNorm1(ctx.observable), extent, claim.eps).order;
  if (loose < wanted) {
    const ref = attempt('taylor', loose);
    if (ref) {
      return {
        reference: ref, reason: null,
        loosened: `the reference had to be loosened from Taylor order ${wanted} to ${loose} (accurate to ε over the region instead of ε/1000): ${failures[0]}`,
      };
    }
  }
  // Last: numeric propagation per point, whose dropped weight bounds its error rigorously; it
  // needs no build, so whether it fits shows at the first point (sampling then stops with a reason).
  const ref = attempt('propagate');
  if (ref) {
    return {
      reference: ref, reason: null,
      loosened: `no Taylor reference fits the limits, so the reference is numeric propagation per point (${failures[0]})`,
    };
  }
  return none();
}

/** The claimed kind from a surrogate's bounds (a kind the surrogate lacks is an error). */
function pickBound(b: BoundsByKind, kind: ClaimBound): number {
  if (kind === 'tightest') return b.tightest;
  if (kind === 'apriori') return b.apriori;
  const v = kind === 'light-cone' ? b.lightCone : b.aposteriori;
  if (v === null) throw new UserError(`bound=${kind}: this surrogate carries no ${kind} certificate`);
  return v;
}
