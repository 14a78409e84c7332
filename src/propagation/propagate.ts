import { ResourceLimitError, UserError } from '../ir/errors.js';
import { ZERO_STATE, checkState } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import { wordsFor } from '../pauli/packed.js';
import { packSparse } from '../pauli/sparse.js';
import type { PauliSum } from '../pauli/sum.js';
import { TermBudgetExceeded, defaultTermBudget } from './budget.js';
import { compileHeisenberg, describeGate } from './compile.js';
import type { Engine } from './engine.js';
import { EngineWide, wideBytesPerTerm } from './engine-wide.js';
import { ENGINE32_BYTES_PER_TERM, Engine32 } from './engine32.js';
import type { PropagationOptions, PropagationResult, PropagationStats } from './options.js';
import { resolveTruncation } from './options.js';

/*
 * Heisenberg Pauli propagation with the semantics of PauliPropagation.jl (REFERENCE §3), checked
 * against its sources (MSRudolph/PauliPropagation.jl):
 *  - src/Propagation/generics.jl, src/Base/propagate.jl: gates are taken last to first and each
 *    gate runs applytoall! → merge → truncate over the whole sum ("Truncations are checked here
 *    after merging"); truncation runs after every gate, Clifford gates included.
 *  - src/Propagation/specializations.jl: a PauliRotation leaves commuting strings alone; an
 *    anticommuting c·Q becomes (c·cos θ)·Q plus (c·sin θ·sign)·Q' with Q' = G·Q and
 *    sign = real(i·phase(G·Q)), i.e. the string i·G·Q of REFERENCE §2. Neither branch is
 *    truncated as it is produced; only the merged sum is.
 *  - src/PathProperties/paulifreqtracker.jl: the cos branch increments ncos and freq, the sin
 *    branch increments nsins and freq; src/PathProperties/abstracttype.jl: merging adds the
 *    coefficients and takes the minimum of every counter.
 *  - truncation (generics.jl checktruncationonone!, later truncate! in the Pauli module): a term
 *    goes when weight > max_weight, |coeff| < min_abs_coeff (default 1e−10), freq > max_freq or
 *    nsins > max_sins. Terms whose coefficient merges to exactly 0 stay unless min_abs_coeff > 0.
 *
 * The engines produce the same sum with less work: strings commuting with a gate are never
 * touched (so cannot change truncation status: coefficient, weight and counters are unchanged);
 * anticommuting strings pair up as (Q, ±iGQ) and get their merged values in one step; a new
 * string that would be truncated right after the merge is simply not inserted. Coefficient
 * arithmetic follows the reference's expression order (c·cos + (c'·sin)·sign), so values agree to
 * rounding. After the first gate every term is checked once, because the reference truncates the
 * input observable there too.
 */

/** Back-propagated observable U†OU (truncated) and the run's statistics. */
export interface PropagationSumResult extends PropagationStats {
  sum: PauliSum;
}

/** Which term store to use; `wide` forces the multi-word engine (for cross-checks). */
export type EngineChoice = 'auto' | 'wide';

/**
 * Expectation ⟨ψ0|U(θ)† O U(θ)|ψ0⟩ by Heisenberg Pauli propagation with the given truncations.
 * Throws ResourceLimitError when the term budget is exceeded, UserError on bad inputs.
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

/** The driver behind `propagate`; exported for tests that pin the engine. */
export function runPropagation(
  circuit: Circuit,
  params: ArrayLike<number>,
  observable: Observable,
  options: PropagationOptions,
  choice: EngineChoice,
): { engine: Engine; stats: PropagationStats } {
  const t0 = performance.now();
  const tr = resolveTruncation(options);
  const n = circuit.numQubits;
  const W = wordsFor(n);
  const useWide = choice === 'wide' || n > 32;
  const bytesPerTerm = useWide ? wideBytesPerTerm(W) : ENGINE32_BYTES_PER_TERM;
  const budget = options.maxTerms ?? defaultTermBudget(bytesPerTerm);
  if (!Number.isInteger(budget) || budget < 1) throw new UserError(`maxTerms must be a positive integer, got ${budget}`);
  const gates = compileHeisenberg(circuit, params);
  const initialCapacity = Math.min(budget, Math.max(1024, 4 * observable.terms.length));
  const engine: Engine = useWide
    ? new EngineWide(n, tr, budget, initialCapacity)
    : new Engine32(n, tr, budget, initialCapacity);

  const key = new Uint32Array(2 * W);
  for (const t of observable.terms) {
    for (const q of t.pauli.qubits) {
      if (q >= n) throw new UserError(`observable '${observable.name}' acts on qubit ${q}, but the circuit has ${n} qubits`);
    }
    packSparse(t.pauli, key, 0, W);
    try {
      engine.addTerm(key, t.coeff);
    } catch (e) {
      if (e instanceof TermBudgetExceeded) {
        throw new ResourceLimitError(
          `term budget of ${budget} exceeded by the observable itself (${observable.terms.length} terms); raise \`maxTerms\``,
        );
      }
      throw e;
    }
  }

  let peak = engine.size;
  const numGates = gates.length;
  for (let i = 0; i < numGates; i++) {
    const g = gates[i]!;
    try {
      if (g.kind === 'rotation') engine.applyRotation(g);
      else engine.applyClifford(g);
      if (i === 0) engine.truncateAll();
    } catch (e) {
      if (e instanceof TermBudgetExceeded) {
        const what = e.allocationFailed
          ? `out of memory for more than ${e.budget} terms`
          : `term budget of ${budget} exceeded`;
        throw new ResourceLimitError(
          `${what} at gate ${g.position} of ${numGates} (${describeGate(g)}; ` +
            `${i + 1} gates propagated, last to first) with ${e.liveTerms} live terms; ` +
            (e.allocationFailed ? 'tighten the truncation' : 'raise `maxTerms` or tighten the truncation'),
        );
      }
      throw e;
    }
    if (engine.size > peak) peak = engine.size;
    options.onProgress?.(i + 1, numGates, engine.size);
  }
  return {
    engine,
    stats: {
      terms: engine.size,
      peakTerms: peak,
      droppedWeight: engine.droppedWeight,
      droppedTerms: engine.droppedTerms,
      termUpdates: engine.updates,
      seconds: (performance.now() - t0) / 1000,
    },
  };
}
