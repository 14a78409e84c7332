import { UserError } from '../ir/errors.js';
import type { Observable, PauliLetter, PauliTerm } from '../ir/types.js';

/**
 * Standard observables to append to a printed ansatz (`ansatz --observable`), on an open chain:
 *   sumz        Σ_i Z_i
 *   zz          Σ_i Z_i Z_{i+1}
 *   heisenberg  Σ_i (X_i X_{i+1} + Y_i Y_{i+1} + Z_i Z_{i+1})
 *   tfim        −Σ_i Z_i Z_{i+1} − Σ_i X_i   (transverse-field Ising, J = h = 1)
 */
export const STANDARD_OBSERVABLES = ['sumz', 'zz', 'heisenberg', 'tfim'] as const;
export type StandardObservable = (typeof STANDARD_OBSERVABLES)[number];

export function standardObservable(name: string, n: number): Observable {
  const one = (q: number, l: PauliLetter, c = 1): PauliTerm => ({ coeff: c, pauli: { qubits: [q], letters: [l] } });
  const two = (q: number, l: PauliLetter, c = 1): PauliTerm => ({ coeff: c, pauli: { qubits: [q, q + 1], letters: [l, l] } });
  const bonds = Array.from({ length: Math.max(0, n - 1) }, (_, i) => i);
  const sites = Array.from({ length: n }, (_, i) => i);
  switch (name) {
    case 'sumz':
      return { name, terms: sites.map((q) => one(q, 'Z')) };
    case 'zz':
      return { name, terms: bonds.map((q) => two(q, 'Z')) };
    case 'heisenberg':
      return { name, terms: bonds.flatMap((q) => [two(q, 'X'), two(q, 'Y'), two(q, 'Z')]) };
    case 'tfim':
      return { name, terms: [...bonds.map((q) => two(q, 'Z', -1)), ...sites.map((q) => one(q, 'X', -1))] };
    default:
      throw new UserError(`unknown standard observable '${name}' (use ${STANDARD_OBSERVABLES.join(', ')})`);
  }
}
