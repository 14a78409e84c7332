import { packBasisBits, type InitialState } from '../ir/states.js';
import { UserError } from '../ir/errors.js';
import { basisExpectation, plusExpectation } from '../pauli/packed.js';

/** ⟨ψ0|Q|ψ0⟩ for the packed string at (keys, ko): REFERENCE §2's overlaps with simple states. */
export type OverlapFn = (keys: Uint32Array, ko: number) => number;

export function overlapFunction(state: InitialState, numQubits: number, W: number): OverlapFn {
  switch (state.kind) {
    case 'plus':
      return (keys, ko) => plusExpectation(keys, ko, W);
    case 'zero': {
      const bits = new Uint32Array(W);
      return (keys, ko) => basisExpectation(keys, ko, W, bits);
    }
    case 'basis': {
      if (state.bits.length !== numQubits) {
        throw new UserError(`initial state has ${state.bits.length} bits but the circuit has ${numQubits} qubits`);
      }
      const bits = packBasisBits(state.bits, W);
      return (keys, ko) => basisExpectation(keys, ko, W, bits);
    }
  }
}
