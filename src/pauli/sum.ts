import type { Observable, SparsePauli } from '../ir/types.js';
import { packSparse, sparseFromPacked } from './sparse.js';
import { wordsFor } from './packed.js';
import { PauliTable } from './table.js';

/**
 * A Pauli sum Σ c_i P_i with real coefficients on typed arrays: strings in a PauliTable, the
 * coefficient of entry i in `coeffs[i]`. Adding a string that is already present merges.
 */
export class PauliSum {
  readonly numQubits: number;
  readonly table: PauliTable;
  coeffs: Float64Array;

  constructor(numQubits: number, initialCapacity = 1024, maxTerms?: number) {
    this.numQubits = numQubits;
    this.table = new PauliTable(wordsFor(numQubits), initialCapacity, maxTerms);
    this.coeffs = new Float64Array(this.table.capacity);
    this.table.onGrow = (cap) => {
      const c = new Float64Array(cap);
      c.set(this.coeffs);
      this.coeffs = c;
    };
  }

  get size(): number {
    return this.table.size;
  }

  get W(): number {
    return this.table.W;
  }

  /** Adds c·P for the packed string at (a, ao); returns its entry index. */
  add(a: Uint32Array, ao: number, c: number): number {
    const e = this.table.findOrInsert(a, ao);
    if (this.table.lastInserted) this.coeffs[e] = c;
    else this.coeffs[e]! += c;
    return e;
  }

  /** Adds c·P for a sparse Pauli; returns its slot. */
  addSparse(p: SparsePauli, c: number): number {
    const buf = new Uint32Array(2 * this.W);
    packSparse(p, buf, 0, this.W);
    return this.add(buf, 0, c);
  }

  /** Coefficient of the string (0 when absent). */
  coefficient(a: Uint32Array, ao: number): number {
    const e = this.table.find(a, ao);
    return e < 0 ? 0 : this.coeffs[e]!;
  }

  /** Multiplies every coefficient by `factor`. */
  scale(factor: number): void {
    for (let i = 0; i < this.size; i++) this.coeffs[i]! *= factor;
  }

  /** this += factor · other (same qubit count). */
  addSum(other: PauliSum, factor = 1): void {
    const s = other.table.stride;
    for (let i = 0; i < other.size; i++) this.add(other.table.keys, i * s, factor * other.coeffs[i]!);
  }

  /** Drops entries with |c| ≤ tol (exact zeros by default). */
  prune(tol = 0): void {
    this.table.compact(
      (i) => Math.abs(this.coeffs[i]!) > tol,
      (from, to) => {
        this.coeffs[to] = this.coeffs[from]!;
      },
    );
  }

  /** Σ|c_i|. */
  norm1(): number {
    let s = 0;
    for (let i = 0; i < this.size; i++) s += Math.abs(this.coeffs[i]!);
    return s;
  }

  static fromObservable(obs: Observable, numQubits: number, maxTerms?: number): PauliSum {
    const sum = new PauliSum(numQubits, Math.max(16, obs.terms.length * 2), maxTerms);
    for (const t of obs.terms) sum.addSparse(t.pauli, t.coeff);
    return sum;
  }

  /** The sum as a named observable (terms in slot order). */
  toObservable(name = 'sum'): Observable {
    const terms = [];
    const s = this.table.stride;
    for (let i = 0; i < this.size; i++) {
      if (this.coeffs[i] === 0) continue;
      terms.push({ coeff: this.coeffs[i]!, pauli: sparseFromPacked(this.table.keys, i * s, this.W, this.numQubits) });
    }
    return { name, terms };
  }
}
