import type { Observable, PauliLetter, PauliTerm } from '../ir/types.js';
import type { Rng } from './rng.js';

const LETTERS: readonly (PauliLetter | null)[] = [null, 'X', 'Y', 'Z'];

/** A uniformly random non-identity Pauli string on n qubits (each letter I/X/Y/Z equally likely). */
export function randomPauliString(rng: Rng, n: number): PauliTerm['pauli'] {
  for (;;) {
    const qubits: number[] = [];
    const letters: PauliLetter[] = [];
    for (let q = 0; q < n; q++) {
      const l = LETTERS[rng.int(4)]!;
      if (l) {
        qubits.push(q);
        letters.push(l);
      }
    }
    if (qubits.length > 0) return { qubits, letters };
  }
}

/**
 * A random Pauli-sum observable of `terms` distinct random strings; unweighted (all coefficients
 * 1) or weighted (coefficients uniform in [−1, 1]), as in experiment 2 of REFERENCE §5.
 */
export function randomPauliObservable(rng: Rng, n: number, terms = 1, weighted = false, name = 'random'): Observable {
  const seen = new Set<string>();
  const out: PauliTerm[] = [];
  const distinctAvailable = Math.min(terms, 4 ** Math.min(n, 15) - 1);
  while (out.length < distinctAvailable) {
    const pauli = randomPauliString(rng, n);
    const key = pauli.qubits.map((q, i) => `${pauli.letters[i]}${q}`).join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ coeff: weighted ? 2 * rng.next() - 1 : 1, pauli });
  }
  return { name, terms: out };
}
