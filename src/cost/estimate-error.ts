import { estimateFromErrors, type ErrorEstimate } from '../bounds/estimates.js';
import type { Region } from '../bounds/order.js';
import type { InitialState } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import { createRng } from '../random/rng.js';
import { hasNoise } from '../ir/circuit.js';
import { DEFAULT_DENSITY_MAX_QUBITS, densityExpectation } from '../simulators/density/index.js';
import { expectation } from '../simulators/statevector/index.js';
import type { Surrogate } from '../surrogate/interface.js';
import { buildTaylorSurrogate } from '../surrogate/taylor-build.js';

/** Exact references up to this many qubits; beyond, a Taylor surrogate two orders higher. */
export const ESTIMATE_EXACT_MAX_QUBITS = 24;

/** A labelled statistical estimate of a surrogate's error over a region (not a bound). */
export interface SurrogateErrorEstimate {
  readonly estimate: ErrorEstimate;
  /** `exact state vector`, `exact density matrix` (noisy circuits) or `Taylor order k (+ its rigorous bound)`. */
  readonly reference: string;
  /** Largest rigorous bound at the sampled points (for comparison; the estimate is below it). */
  readonly maxBoundAtPoints: number;
}

/**
 * The statistical error estimate of docs/bounds.md §6: n points drawn from the region (Gaussian,
 * or uniform in the hypercube), the error against the exact state vector (n ≤ 24 qubits) or against
 * a Taylor surrogate of order m + 2 plus that reference's own tightest bound (so each sampled error
 * is over- rather than under-estimated). Labelled an estimate: it is not a bound.
 */
export function estimateSurrogateError(
  s: Surrogate, circuit: Circuit, observable: Observable, region: Region,
  options: {
    samples: number; seed: number; center: Float64Array; initialState: InitialState; maxTerms?: number; confidence?: number;
    /** Exact references up to this many qubits (default ESTIMATE_EXACT_MAX_QUBITS). */
    exactMaxQubits?: number;
  },
): SurrogateErrorEstimate {
  const D = circuit.numParameters;
  const rng = createRng(options.seed);
  // Noisy circuits: the exact reference is the density matrix, within its own qubit limit.
  const noisy = hasNoise(circuit);
  const exactMax = options.exactMaxQubits ?? ESTIMATE_EXACT_MAX_QUBITS;
  const exact = circuit.numQubits <= (noisy ? Math.min(exactMax, DEFAULT_DENSITY_MAX_QUBITS) : exactMax);
  const exactValue = (x: Float64Array): number => noisy
    ? densityExpectation(circuit, x, observable, { initialState: options.initialState })
    : expectation(circuit, x, observable, { initialState: options.initialState });
  const refOrder = (s.kind === 'taylor' ? s.truncation : Math.min(s.truncation, 6)) + 2;
  const ref = exact ? null : buildTaylorSurrogate(circuit, observable, {
    order: refOrder, center: options.center, initialState: options.initialState, ...(options.maxTerms ? { maxTerms: options.maxTerms } : {}),
  });
  const errors = new Float64Array(options.samples);
  let maxBound = 0;
  const x = new Float64Array(D);
  for (let i = 0; i < options.samples; i++) {
    for (let k = 0; k < D; k++) {
      const u = region.kind === 'gaussian' ? region.sigma * rng.normal() : region.radius * (2 * rng.next() - 1);
      x[k] = options.center[k]! + u;
    }
    const v = s.value(x);
    errors[i] = exact
      ? Math.abs(v - exactValue(x))
      : Math.abs(v - ref!.value(x)) + ref!.bound(x);
    maxBound = Math.max(maxBound, s.bound(x));
  }
  return {
    estimate: estimateFromErrors(errors, options.confidence ?? 0.95),
    reference: exact ? (noisy ? 'exact density matrix' : 'exact state vector') : `Taylor order ${refOrder} (+ its rigorous bound)`,
    maxBoundAtPoints: maxBound,
  };
}

/** The estimate as the CLI's JSON prints it. */
export function estimateToJSON(e: SurrogateErrorEstimate): Record<string, unknown> {
  const x = e.estimate;
  return {
    label: x.label,
    reference: e.reference,
    samples: x.samples,
    confidence: x.confidence,
    mean_error: x.mean,
    mean_error_interval: x.meanInterval,
    rms_error: x.rms,
    max_error: x.max,
    max_error_covers_fraction: x.maxCoversFraction,
    max_bound_at_points: e.maxBoundAtPoints,
  };
}
