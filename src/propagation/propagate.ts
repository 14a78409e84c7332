import { ResourceLimitError, UserError } from '../ir/errors.js';
import type { InitialState } from '../ir/states.js';
import { ZERO_STATE, checkState, packBasisBits } from '../ir/states.js';
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

/** A finished numeric propagation: the core with its real coefficients. */
export class NumericEngine {
  constructor(readonly core: PropagationCore<NumberCoefficients>, readonly numQubits: number) {}

  get size(): number {
    return this.core.size;
  }

  /** Σ c·⟨ψ0|P|ψ0⟩. */
  overlap(state: InitialState): number {
    const { store } = this.core;
    const kind = this.core.kind;
    let v = 0;
    if (state.kind === 'zero') {
      for (let e = 0; e < store.size; e++) if (store.xZero(e)) v += kind.get(e);
    } else if (state.kind === 'plus') {
      for (let e = 0; e < store.size; e++) if (store.zZero(e)) v += kind.get(e);
    } else {
      const bits = packBasisBits(state.bits, store.W);
      for (let e = 0; e < store.size; e++) {
        if (!store.xZero(e)) continue;
        v += store.zParity(e, bits) ? -kind.get(e) : kind.get(e);
      }
    }
    return v;
  }

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
  return { value: engine.overlap(state), ...stats };
}

/** The propagated (truncated) observable U†OU itself, as a PauliSum, with the run's statistics. */
export function propagateToSum(
  circuit: Circuit, params: ArrayLike<number>, observable: Observable, options: PropagationOptions = {},
): PropagationSumResult {
  const { engine, stats } = runPropagation(circuit, params, observable, options, 'auto');
  return { sum: engine.toPauliSum(), ...stats };
}

/** The driver behind `propagate`; exported for tests that pin the store. */
export function runPropagation(
  circuit: Circuit,
  params: ArrayLike<number>,
  observable: Observable,
  options: PropagationOptions,
  choice: EngineChoice,
): { engine: NumericEngine; stats: PropagationStats } {
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
  for (let i = 0; i < numGates; i++) {
    const g = gates[i]!;
    try {
      core.apply(g);
      if (i === 0) core.truncateAll();
    } catch (e) {
      if (e instanceof TermBudgetExceeded) {
        throw new ResourceLimitError(
          `term budget of ${budget} exceeded at gate ${g.position} of ${numGates} (${describeGate(g)}; ` +
            `${i + 1} gates propagated, last to first) with ${e.liveTerms} live terms; ` +
            'raise `maxTerms` or tighten the truncation',
        );
      }
      throw e;
    }
    options.onProgress?.(i + 1, numGates, core.size);
  }
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
