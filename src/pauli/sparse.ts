import type { PauliLetter, SparsePauli } from '../ir/types.js';
import { setLetterCode, letterCode, wordsFor } from './packed.js';

/** Letter codes of packed.ts: bit 0 = x, bit 1 = z (X = 1, Z = 2, Y = 3). @internal */
export const LETTER_CODE: Readonly<Record<PauliLetter, 1 | 2 | 3>> = { X: 1, Z: 2, Y: 3 };
const LETTER_OF: readonly (PauliLetter | null)[] = [null, 'X', 'Z', 'Y'];

export const IDENTITY_PAULI: SparsePauli = { qubits: [], letters: [] };

/**
 * Builds a sparse Pauli from (qubit, letter) pairs in any order; identities are dropped. Throws
 * RangeError on a repeated qubit (callers turn that into a positioned user error).
 */
export function sparsePauli(pairs: readonly (readonly [number, PauliLetter | 'I'])[]): SparsePauli {
  const sorted = pairs.filter((p) => p[1] !== 'I').slice().sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]![0] === sorted[i - 1]![0]) throw new RangeError(`qubit ${sorted[i]![0]} appears twice in a Pauli string`);
  }
  return { qubits: sorted.map((p) => p[0]), letters: sorted.map((p) => p[1] as PauliLetter) };
}

/** Writes the sparse string into packed form at (out, oo), clearing the 2W words first. */
export function packSparse(p: SparsePauli, out: Uint32Array, oo: number, W: number): void {
  out.fill(0, oo, oo + 2 * W);
  for (let i = 0; i < p.qubits.length; i++) setLetterCode(out, oo, W, p.qubits[i]!, LETTER_CODE[p.letters[i]!]);
}

export function packedFromSparse(p: SparsePauli, numQubits: number): Uint32Array {
  const W = wordsFor(numQubits);
  const out = new Uint32Array(2 * W);
  packSparse(p, out, 0, W);
  return out;
}

export function sparseFromPacked(a: Uint32Array, ao: number, W: number, numQubits: number): SparsePauli {
  const qubits: number[] = [];
  const letters: PauliLetter[] = [];
  for (let q = 0; q < numQubits; q++) {
    const l = LETTER_OF[letterCode(a, ao, W, q)];
    if (l) {
      qubits.push(q);
      letters.push(l);
    }
  }
  return { qubits, letters };
}

/** `X0 Y2 Z5`, or `I` for the identity. */
export function formatSparsePauli(p: SparsePauli): string {
  if (p.qubits.length === 0) return 'I';
  return p.qubits.map((q, i) => `${p.letters[i]}${q}`).join(' ');
}

export function maxQubit(p: SparsePauli): number {
  return p.qubits.length === 0 ? -1 : p.qubits[p.qubits.length - 1]!;
}
