import { ResourceLimitError, UserError } from '../ir/errors.js';
import type { InitialState } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import type { Surrogate } from '../surrogate/interface.js';
import { buildPathSurrogate } from '../surrogate/paths-build.js';
import { buildTaylorSurrogate } from '../surrogate/taylor-build.js';
import type { CostEstimate } from './estimate.js';

/**
 * `cost --measure`: builds the Taylor surrogate at the estimated order and the Pauli-path
 * surrogate at the estimated S, and records what they really took.
 */
export interface BuildMeasurement {
  /** Taylor order m or path max sins S. */
  readonly truncation: number;
  /** Live Pauli terms at the end of the build, and the most held at once. */
  readonly terms: number;
  readonly peakTerms: number;
  /** Taylor: monomials with a non-zero coefficient; paths: path monomials. */
  readonly monomials: number;
  /** Evaluation nodes per point. */
  readonly nodes: number;
  readonly buildSeconds: number;
  /**
   * Growth of V8 heap + ArrayBuffer memory across the build with the surrogate still alive
   * (a lower-level view of what the surrogate and leftovers occupy; garbage not yet collected counts).
   */
  readonly retainedBytes: number;
  /** The process's peak resident set size after the build (includes Node itself, ~50 MB). */
  readonly peakRssBytes: number;
}

export type BuildOutcome = BuildMeasurement | { readonly error: string };

export interface CostMeasurement {
  readonly taylor: BuildOutcome;
  readonly paths: BuildOutcome;
}

export interface MeasureOptions {
  center?: ArrayLike<number>;
  initialState?: InitialState;
  /** Term budget of each build (ResourceLimitError → reported as that build's error). */
  maxTerms?: number;
  /** Progress of each build (its steps done, total, live terms); a throw ends only that build. */
  onProgress?: (build: 'taylor' | 'paths', done: number, total: number, liveTerms: number) => void;
}

function memoryNow(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function measure(build: () => Surrogate, truncation: number): BuildOutcome {
  (globalThis as { gc?: () => void }).gc?.();
  const before = memoryNow();
  let s: Surrogate;
  try {
    s = build();
  } catch (e) {
    // Budgets (ResourceLimitError) and the builders' own caps (order ≤ 255, …) end only this build.
    if (e instanceof ResourceLimitError || e instanceof UserError) return { error: e.message };
    throw e;
  }
  const size = s.size();
  return {
    truncation,
    terms: size.terms,
    peakTerms: s.meta.peakTerms,
    monomials: size.monomials,
    nodes: size.nodes,
    buildSeconds: s.meta.buildSeconds,
    retainedBytes: Math.max(0, memoryNow() - before),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** Builds both surrogates at the truncations of `estimate` and measures them. */
export function measureCost(
  circuit: Circuit, observable: Observable | null, estimate: CostEstimate, options: MeasureOptions = {},
): CostMeasurement {
  if (observable === null) throw new UserError('`measure` builds the surrogates and needs an observable (`observable` or one declared in the file)');
  const common = { center: options.center, initialState: options.initialState, maxTerms: options.maxTerms };
  const m = estimate.order;
  const S = estimate.paths.maxSins;
  const p = options.onProgress;
  const progressOf = (build: 'taylor' | 'paths') => (p ? { onProgress: (done: number, total: number, live: number) => p(build, done, total, live) } : {});
  return {
    taylor: measure(() => buildTaylorSurrogate(circuit, observable, { ...common, ...progressOf('taylor'), order: m }), m),
    paths: measure(() => buildPathSurrogate(circuit, observable, { ...common, ...progressOf('paths'), maxSins: S }), S),
  };
}
