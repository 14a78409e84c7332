import { UserError } from '../ir/errors.js';
import type { InitialState } from '../ir/states.js';

/**
 * Truncations of Heisenberg Pauli propagation, with the meaning and defaults of
 * PauliPropagation.jl: after every gate (and after merging equal strings) a term is dropped when
 * ANY of these holds.
 */
export interface Truncation {
  /** Drop strings with more than this many non-identity letters. Default: no limit. */
  maxWeight?: number;
  /** Drop terms with |coefficient| < minAbs (strictly less). Default 1e−10, as the reference package. */
  minAbs?: number;
  /** Drop terms whose path took more than this many sin branches. Default: no limit. */
  maxSins?: number;
  /** Drop terms whose path took more than this many branches (sin or cos). Default: no limit. */
  maxFreq?: number;
}

/** Options of `propagate` / `propagateToSum`. */
export interface PropagationOptions extends Truncation {
  /**
   * Most terms the engine may hold at once; exceeding it throws ResourceLimitError naming the gate
   * and the live term count. Default: what fits comfortably in this machine's memory.
   */
  maxTerms?: number;
  /** State the expectation is taken in (default |0…0⟩). Ignored by `propagateToSum`. */
  initialState?: InitialState;
  /**
   * Worker threads to propagate on (default 1). The run moves to threads once it holds
   * `threadsFrom` terms; term sets and coefficients do not depend on the number of threads (the
   * value only through the order of the final sum, ~1e−15). Experimental: on the benchmark
   * cases so far more threads are slower (README, "Threads").
   */
  threads?: number;
  /** Live terms at which a run with threads > 1 moves to its threads (default 32768; 0: after the first gate). */
  threadsFrom?: number;
  /** Most qubits one block of gates between two exchanges may touch (default half the register; tests use small blocks). */
  threadBlockQubits?: number;
  /** Called after every gate with (gates done, total gates, live terms); on threads, once per block of gates. */
  onProgress?: (gate: number, numGates: number, liveTerms: number) => void;
}

/** What a propagation run reports besides its value. */
export interface PropagationStats {
  /** Live terms at the end. */
  terms: number;
  /** Most terms live after any gate. */
  peakTerms: number;
  /** Σ|c| over all dropped terms (at the moment they were dropped): what truncation cost at most. */
  droppedWeight: number;
  /** Number of terms dropped by truncation. */
  droppedTerms: number;
  /** Branchings performed: one per (anticommuting term, rotation) pair. */
  termUpdates: number;
  /** Wall time of the propagation itself. */
  seconds: number;
}

/** Result of `propagate`: the expectation value ⟨ψ0|U† O U|ψ0⟩ of the truncated propagation. */
export interface PropagationResult extends PropagationStats {
  value: number;
}

/** Truncation settings with defaults filled in; Infinity means "off". */
export interface ResolvedTruncation {
  readonly maxWeight: number;
  readonly minAbs: number;
  readonly maxSins: number;
  readonly maxFreq: number;
  /** Whether path counters must be tracked (maxSins or maxFreq finite). */
  readonly trackSins: boolean;
  readonly trackFreq: boolean;
}

/** The reference package's default min_abs_coeff. */
export const DEFAULT_MIN_ABS = 1e-10;

function nonNegative(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new UserError(`${name} must be a number ≥ 0, got ${v}`);
  return v;
}

/** Validates and fills in defaults. */
export function resolveTruncation(t: Truncation): ResolvedTruncation {
  const maxWeight = nonNegative('maxWeight', t.maxWeight, Infinity);
  const minAbs = nonNegative('minAbs', t.minAbs, DEFAULT_MIN_ABS);
  const maxSins = nonNegative('maxSins', t.maxSins, Infinity);
  const maxFreq = nonNegative('maxFreq', t.maxFreq, Infinity);
  return { maxWeight, minAbs, maxSins, maxFreq, trackSins: maxSins !== Infinity, trackFreq: maxFreq !== Infinity };
}
