import { UserError } from '../../ir/errors.js';
import type { SparsePauli } from '../../ir/types.js';
import { popcount32 } from '../../pauli/packed.js';

/**
 * A Pauli string as the state-vector kernels use it (qubit q = bit q of the amplitude index):
 * P|k⟩ = i^numY · (−1)^popcount(k & z) · |k ^ x⟩, where `x` marks X/Y positions, `z` marks Z/Y
 * positions and numY = popcount(x & z) counts the Y letters (Y = iXZ).
 */
export interface PauliMask {
  readonly x: number;
  readonly z: number;
  readonly numY: number;
}

export function maskFromSparse(p: SparsePauli, numQubits: number): PauliMask {
  let x = 0;
  let z = 0;
  for (let i = 0; i < p.qubits.length; i++) {
    const q = p.qubits[i]!;
    if (q < 0 || q >= numQubits) {
      throw new UserError(`Pauli string acts on qubit ${q} but the state has ${numQubits} qubits`);
    }
    const bit = 1 << q;
    const letter = p.letters[i];
    if (letter === 'X' || letter === 'Y') x |= bit;
    if (letter === 'Z' || letter === 'Y') z |= bit;
  }
  return { x, z, numY: popcount32(x & z) };
}

/** Mask of a packed string (layout of src/pauli/packed.ts); letters beyond the register are errors. */
export function maskFromPacked(a: Uint32Array, ao: number, W: number, numQubits: number): PauliMask {
  const x = a[ao]!;
  const z = a[ao + W]!;
  const outside = numQubits >= 32 ? 0 : ~((1 << numQubits) - 1);
  let stray = (x | z) & outside;
  for (let k = 1; k < W; k++) stray |= a[ao + k]! | a[ao + W + k]!;
  if (stray !== 0) throw new UserError(`Pauli string acts outside the ${numQubits}-qubit register`);
  return { x: x | 0, z: z | 0, numY: popcount32(x & z) };
}

/** Highest set bit of a non-zero mask (the pivot that splits amplitudes into pairs k, k ^ x). */
export function highestBit(mask: number): number {
  return 1 << (31 - Math.clz32(mask));
}
