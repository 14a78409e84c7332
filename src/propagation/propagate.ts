import { ResourceLimitError, UserError } from '../ir/errors.js';
import type { InitialState } from '../ir/states.js';
import { ZERO_STATE, checkState } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import { hasNoise } from '../ir/circuit.js';
import { wordsFor } from '../pauli/packed.js';
import { packSparse } from '../pauli/sparse.js';
import { PauliSum } from '../pauli/sum.js';
import { TermBudgetExceeded, defaultTermBudget } from './budget.js';
import { compileHeisenberg, describeGate } from './compile.js';
import { NumberCoefficients } from './coefficients.js';
import { makeStore, PropagationCore, storeBytesPerEntry, type StoreChoice } from './core.js';
import type { PropagationOptions, PropagationResult, PropagationStats } from './options.js';
import { resolveTruncation } from './options.js';
import { overlapOf } from './overlap.js';
import { DEFAULT_THREADS_FROM, defaultBlockQubits, resolveThreads, ShardBudgetExceeded, ShardedRun } from './threaded.js';

/*
 * Numeric Heisenberg Pauli propagation: the propagation core (core.ts, where the semantics and
 * their equivalence with PauliPropagation.jl are written down) with real coefficients
 * (coefficients.ts) on the store for the register width. Noisy circuits are accepted: channels
 * are Pauli transfer maps in the core (docs/noise.md); without truncation the value equals the
 * density matrix's.
 */

/** Back-propagated observable U†OU (truncated) and the run's statistics. */
export interface PropagationSumResult extends PropagationStats {
  sum: PauliSum;
}

/** Which term store to use: `auto` picks by width; `narrow` / `wide` force one (for cross-checks). */
export type EngineChoice = StoreChoice;

/** A finished numeric propagation, on one thread (NumericEngine) or on shards (ShardedEngine). */
export interface PropagatedObservable {
  readonly size: number;
  /** Σ c·⟨ψ0|P|ψ0⟩. */
  overlap(state: InitialState): number;
  toPauliSum(): PauliSum;
  /** Frees what the run still holds (worker threads); the object is unusable afterwards. */
  close(): void;
}

/** A finished numeric propagation: the core with its real coefficients. */
export class NumericEngine implements PropagatedObservable {
  constructor(readonly core: PropagationCore<NumberCoefficients>, readonly numQubits: number) {}

  get size(): number {
    return this.core.size;
  }

  overlap(state: InitialState): number {
    return overlapOf(this.core, state);
  }

  close(): void {}

  toPauliSum(): PauliSum {
    const { store } = this.core;
    const kind = this.core.kind;
    const W = wordsFor(this.numQubits);
    const sum = new PauliSum(this.numQubits, Math.max(16, store.size));
    const key = new Uint32Array(2 * W);
    for (let e = 0; e < store.size; e++) {
      store.read(e, key, 0);
      sum.add(key, 0, kind.get(e));
    }
    return sum;
  }
}

/** A finished threaded propagation: the shards still hold the terms until close(). */
class ShardedEngine implements PropagatedObservable {
  constructor(private readonly run: ShardedRun, readonly numQubits: number) {}

  get size(): number {
    return this.run.size;
  }

  overlap(state: InitialState): number {
    return this.run.overlap(state);
  }

  toPauliSum(): PauliSum {
    const batches = this.run.terms();
    const W = wordsFor(this.numQubits);
    const sum = new PauliSum(this.numQubits, Math.max(16, this.run.size));
    for (const b of batches) for (let i = 0; i < b.count; i++) sum.add(b.keys.subarray(2 * W * i, 2 * W * (i + 1)), 0, b.values[i]!);
    return sum;
  }

  close(): void {
    this.run.close();
  }
}

/**
 * Expectation ⟨ψ0|U(θ)† O U(θ)|ψ0⟩ by Heisenberg Pauli propagation with the given truncations
 * (for a noisy circuit Tr(O·Φ(|ψ0⟩⟨ψ0|)), its channels applied as Pauli transfer maps).
 * Throws ResourceLimitError when the term budget or memory limit is exceeded, UserError on bad inputs.
 *
 * @example
 * ```ts
 * const r = propagate(circuit, params, observable, { maxWeight: 6, minAbs: 1e-4 });
 * r.value; // the truncated estimate; r.stats has term counts and timings
 * ```
 */
export function propagate(
  circuit: Circuit, params: ArrayLike<number>, observable: Observable, options: PropagationOptions = {},
): PropagationResult {
  const state = options.initialState ?? ZERO_STATE;
  checkState(state, circuit.numQubits);
  const { engine, stats } = runPropagation(circuit, params, observable, options, 'auto');
  try {
    return { value: engine.overlap(state), ...stats };
  } finally {
    engine.close();
  }
}

/** The propagated (truncated) observable U†OU itself, as a PauliSum, with the run's statistics. */
export function propagateToSum(
  circuit: Circuit, params: ArrayLike<number>, observable: Observable, options: PropagationOptions = {},
): PropagationSumResult {
  const { engine, stats } = runPropagation(circuit, params, observable, options, 'auto');
  try {
    return { sum: engine.toPauliSum(), ...stats };
  } finally {
    engine.close();
  }
}

/**
 * The driver behind `propagate`; exported for tests that pin the store. The caller closes the
 * engine. With more than one thread (options.threads, default the machine's parallelism) the run
 * moves to worker threads once it holds `threadsFrom` terms (threaded.ts); term sets and
 * coefficients are the same for any thread count.
 */
export function runPropagation(
  circuit: Circuit,
  params: ArrayLike<number>,
  observable: Observable,
  options: PropagationOptions,
  choice: EngineChoice,
): { engine: PropagatedObservable; stats: PropagationStats } {
  const t0 = performance.now();
  const tr = resolveTruncation(options);
  const n = circuit.numQubits;
  const W = wordsFor(n);
  // Channels add their entry list and letter codes (core.applyChannel).
  const bytesPerTerm = storeBytesPerEntry(n, choice) + 4 + (tr.trackSins ? 4 : 0) + (tr.trackFreq ? 4 : 0) + (hasNoise(circuit) ? 5 : 0);
  const budget = options.maxTerms ?? defaultTermBudget(bytesPerTerm);
  if (!Number.isInteger(budget) || budget < 1) throw new UserError(`maxTerms must be a positive integer, got ${budget}`);
  const gates = compileHeisenberg(circuit, params);
  const initialCapacity = Math.min(budget, Math.max(1024, 4 * observable.terms.length));
  const store = makeStore(n, initialCapacity, choice);
  const kind = new NumberCoefficients(tr.minAbs, store);
  const core = new PropagationCore(store, kind, tr, budget);

  const key = new Uint32Array(2 * W);
  for (const t of observable.terms) {
    for (const q of t.pauli.qubits) {
      if (q >= n) throw new UserError(`observable '${observable.name}' acts on qubit ${q}, but the circuit has ${n} qubits`);
    }
    packSparse(t.pauli, key, 0, W);
    try {
      const e = core.intern(key, 0);
      kind.set(e, core.inserted ? t.coeff : kind.get(e) + t.coeff);
    } catch (e) {
      if (e instanceof TermBudgetExceeded) {
        throw new ResourceLimitError(
          `term budget of ${budget} exceeded by the observable itself (${observable.terms.length} terms); raise \`maxTerms\``,
        );
      }
      throw e;
    }
  }

  core.peak = core.size;
  const numGates = gates.length;
  const threads = resolveThreads(options.threads);
  const threadsFrom = options.threadsFrom ?? DEFAULT_THREADS_FROM;
  if (!Number.isInteger(threadsFrom) || threadsFrom < 0) throw new UserError(`threadsFrom must be an integer ≥ 0, got ${threadsFrom}`);
  const blockQubits = options.threadBlockQubits ?? defaultBlockQubits(n);
  if (!Number.isInteger(blockQubits) || blockQubits < 1) throw new UserError(`threadBlockQubits must be a positive integer, got ${blockQubits}`);
  let sharded: ShardedRun | null = null;
  const budgetError = (e: TermBudgetExceeded, i: number) => {
    const g = gates[i]!;
    return new ResourceLimitError(
      `term budget of ${budget} exceeded at gate ${g.position} of ${numGates} (${describeGate(g)}; ` +
        `${i + 1} gates propagated, last to first) with ${e.liveTerms} live terms; ` +
        'raise `maxTerms` or tighten the truncation',
    );
  };
  let peak = core.peak;
  try {
    for (let i = 0; i < numGates; i++) {
      const g = gates[i]!;
      try {
        core.apply(g);
        if (i === 0) core.truncateAll();
      } catch (e) {
        if (e instanceof TermBudgetExceeded) throw budgetError(e, i);
        throw e;
      }
      options.onProgress?.(i + 1, numGates, core.size);
      if (threads > 1 && i + 1 < numGates) {
        // Workers start early (they load while this thread goes on) and take over at threadsFrom.
        if (sharded === null && core.size >= threadsFrom / 8) {
          sharded = new ShardedRun({ threads, numQubits: n, choice, tr, budget, gates, blockQubits });
        }
        if (sharded !== null && core.size >= threadsFrom) {
          peak = Math.max(peak, core.peak);
          const run = sharded;
          try {
            run.run(core, i + 1, (j, live) => {
              if (live > peak) peak = live;
              options.onProgress?.(j + 1, numGates, live);
            });
          } catch (e) {
            if (e instanceof ShardBudgetExceeded) throw budgetError(e, Math.min(numGates - 1, Math.max(i + 1, e.gate)));
            throw e;
          }
          return {
            engine: new ShardedEngine(run, n),
            stats: {
              terms: run.size,
              peakTerms: peak,
              droppedWeight: kind.droppedWeight + run.droppedWeight,
              droppedTerms: core.droppedTerms + run.droppedTerms,
              termUpdates: core.updates + run.updates,
              seconds: (performance.now() - t0) / 1000,
            },
          };
        }
      }
    }
  } catch (e) {
    sharded?.close();
    throw e;
  }
  sharded?.close();
  return {
    engine: new NumericEngine(core, n),
    stats: {
      terms: core.size,
      peakTerms: core.peak,
      droppedWeight: kind.droppedWeight,
      droppedTerms: core.droppedTerms,
      termUpdates: core.updates,
      seconds: (performance.now() - t0) / 1000,
    },
  };
}
