import { ResourceLimitError } from '../ir/errors.js';
import { allocateArray } from '../memory/limit.js';
import { clearIndex, hashIndexFor, hashKey, nextPow2, placeEntry, type HashIndex } from './hash-index.js';
import { equals } from './packed.js';

export { nextPow2 } from './hash-index.js';

/**
 * An insertion-ordered set of packed Pauli strings on typed arrays (V8's Map is capped at 2^24
 * entries and boxes keys), indexed by the shared hash index (hash-index.ts). Entry i's string
 * lives at `keys[i·2W … i·2W+2W)`; callers keep per-entry values (coefficients, polynomials,
 * path counters) in their own arrays indexed by entry number.
 */
export class PauliTable {
  readonly W: number;
  readonly stride: number;
  /** Packed strings of entries 0 … size−1. */
  keys: Uint32Array;
  size = 0;
  private ix: HashIndex;
  /** Entry capacity before growth. */
  capacity: number;
  /** Hard cap on entries; exceeding it throws ResourceLimitError instead of exhausting memory. */
  readonly maxEntries: number;
  /** Called after the entry arrays grew, so owners can grow their value arrays to match. */
  onGrow: ((newCapacity: number) => void) | null = null;
  /** Whether the last findOrInsert inserted (a field, to avoid allocating a result object). */
  lastInserted = false;

  constructor(W: number, initialCapacity = 1024, maxEntries = 1 << 28) {
    this.W = W;
    this.stride = 2 * W;
    this.maxEntries = maxEntries;
    this.capacity = Math.max(16, nextPow2(initialCapacity));
    this.keys = allocateArray(Uint32Array, this.capacity * this.stride, 'Pauli table');
    this.ix = hashIndexFor(this.capacity, 'Pauli table index');
  }

  /** Entry index of the string at (a, ao), or −1. */
  find(a: Uint32Array, ao: number): number {
    const { keys, stride } = this;
    const { slots, mask } = this.ix;
    const h = hashKey(a, ao, stride);
    let s = h >>> this.ix.shift;
    for (;;) {
      const e = slots[2 * s]!;
      if (e < 0) return -1;
      if (slots[2 * s + 1] === h && equals(keys, e * stride, a, ao, this.W)) return e;
      s = (s + 1) & mask;
    }
  }

  /** Entry index of the string, inserting it (as entry `size`) when absent; see lastInserted. */
  findOrInsert(a: Uint32Array, ao: number): number {
    const { stride } = this;
    const h = hashKey(a, ao, stride);
    for (;;) {
      const { slots, mask } = this.ix;
      let s = h >>> this.ix.shift;
      for (;;) {
        const e = slots[2 * s]!;
        if (e < 0) break;
        if (slots[2 * s + 1] === h && equals(this.keys, e * stride, a, ao, this.W)) {
          this.lastInserted = false;
          return e;
        }
        s = (s + 1) & mask;
      }
      if (this.size >= this.maxEntries) {
        throw new ResourceLimitError(`Pauli table exceeded its limit of ${this.maxEntries} terms`);
      }
      if (this.size === this.capacity) {
        this.grow();
        continue;
      }
      const e = this.size++;
      this.keys.set(a.subarray(ao, ao + stride), e * stride);
      slots[2 * s] = e;
      slots[2 * s + 1] = h;
      this.lastInserted = true;
      return e;
    }
  }

  /** Removes every entry (keeps the allocated capacity). */
  clear(): void {
    this.size = 0;
    clearIndex(this.ix);
  }

  /**
   * Keeps only the entries for which keep(i) is true, preserving order; `move(from, to)` lets the
   * owner move its per-entry values alongside. Rebuilds the index.
   */
  compact(keep: (i: number) => boolean, move: (from: number, to: number) => void): void {
    const { stride, keys } = this;
    let j = 0;
    for (let i = 0; i < this.size; i++) {
      if (!keep(i)) continue;
      if (i !== j) {
        keys.copyWithin(j * stride, i * stride, i * stride + stride);
        move(i, j);
      }
      j++;
    }
    this.size = j;
    this.rebuildIndex();
  }

  private rebuildIndex(): void {
    const { stride, keys } = this;
    clearIndex(this.ix);
    for (let e = 0; e < this.size; e++) placeEntry(this.ix, e, hashKey(keys, e * stride, stride));
  }

  private grow(): void {
    const newCap = this.capacity * 2;
    const keys = allocateArray(Uint32Array, newCap * this.stride, 'Pauli table growth');
    keys.set(this.keys);
    this.keys = keys;
    this.capacity = newCap;
    this.ix = hashIndexFor(newCap, 'Pauli table index');
    this.rebuildIndex();
    this.onGrow?.(newCap);
  }
}
