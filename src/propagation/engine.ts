import type { InitialState } from '../ir/states.js';
import type { PauliSum } from '../pauli/sum.js';
import type { CompiledClifford, CompiledRotation } from './compile.js';

/**
 * What the propagation driver needs from a term store. Two implementations share the algorithm
 * (see propagate.ts): `Engine32` for registers of at most 32 qubits (one word per plane, fully
 * specialized hot loops) and `EngineWide` for any width.
 */
export interface Engine {
  /** Live terms. */
  readonly size: number;
  droppedWeight: number;
  droppedTerms: number;
  /** Anticommuting (term, rotation) encounters so far. */
  updates: number;
  /** Adds c·P (merging with an equal string) without any truncation; used to load the observable. */
  addTerm(x: Uint32Array, c: number): void;
  applyRotation(g: CompiledRotation): void;
  applyClifford(g: CompiledClifford): void;
  /** Applies every truncation to every term (after the first gate, when nothing was checked yet). */
  truncateAll(): void;
  /** Σ c·⟨ψ0|P|ψ0⟩. */
  overlap(state: InitialState): number;
  toPauliSum(): PauliSum;
  /** Bytes held per term of capacity, for default budgets. */
  readonly bytesPerTerm: number;
}
