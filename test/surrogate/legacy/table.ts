// Frozen copy of the pre-core implementation (before issue 9), kept only as a cross-check of the new builds.
import { ResourceLimitError } from '../../../src/ir/errors.js';
import { equals, hashWords } from '../../../src/pauli/packed.js';

/**
 * An insertion-ordered set of packed Pauli strings with an open-addressing index, all on typed
 * arrays (V8's Map is capped at 2^24 entries and boxes keys). Entry i's string lives at
 * `keys[i·2W … i·2W+2W)`; callers keep per-entry values (coefficients, polynomials, path
 * counters) in their own arrays indexed by entry number, so one table serves every engine.
 */
export class PauliTable {
  readonly W: number;
  readonly stride: number;
  /** Packed strings of entries 0 … size−1. */
  keys: Uint32Array;
  size = 0;
  /** Slot → entry index, −1 when empty. Length is a power of two ≥ 2·capacity. */
  private index: Int32Array;
  private mask: number;
  /** Entry capacity before growth. */
  capacity: number;
  /** Hard cap on entries; exceeding it throws ResourceLimitError instead of exhausting memory. */
  readonly maxEntries: number;
  /** Called after the entry arrays grew, so owners can grow their value arrays to match. */
  onGrow: ((newCapacity: number) => void) | null = null;

  constructor(W: number, initialCapacity = 1024, maxEntries = 1 << 28) {
    this.W = W;
    this.stride = 2 * W;
    this.maxEntries = maxEntries;
    this.capacity = Math.max(16, nextPow2(initialCapacity));
    this.keys = new Uint32Array(this.capacity * this.stride);
    this.index = new Int32Array(this.capacity * 2).fill(-1);
    this.mask = this.index.length - 1;
  }

  /** Entry index of the string at (a, ao), or −1. */
  find(a: Uint32Array, ao: number): number {
    const { index, mask, keys, stride } = this;
    let slot = hashWords(a, ao, stride) & mask;
    for (;;) {
      const e = index[slot]!;
      if (e < 0) return -1;
      if (equals(keys, e * stride, a, ao, this.W)) return e;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Entry index of the string, inserting it (as entry `size`) when absent. `inserted` tells
   * which happened, through `lastInserted`, to avoid allocating a result object.
   */
  lastInserted = false;
  findOrInsert(a: Uint32Array, ao: number): number {
    const { stride } = this;
    let slot = hashWords(a, ao, stride) & this.mask;
    for (;;) {
      const e = this.index[slot]!;
      if (e < 0) break;
      if (equals(this.keys, e * stride, a, ao, this.W)) {
        this.lastInserted = false;
        return e;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.size >= this.maxEntries) {
      throw new ResourceLimitError(`Pauli table exceeded its limit of ${this.maxEntries} terms`);
    }
    if (this.size === this.capacity) {
      this.grow();
      return this.findOrInsert(a, ao);
    }
    const e = this.size++;
    this.keys.set(a.subarray(ao, ao + stride), e * stride);
    this.index[slot] = e;
    this.lastInserted = true;
    return e;
  }

  /** Removes every entry (keeps the allocated capacity). */
  clear(): void {
    this.size = 0;
    this.index.fill(-1);
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
    const { stride, keys, index, mask } = this;
    index.fill(-1);
    for (let e = 0; e < this.size; e++) {
      let slot = hashWords(keys, e * stride, stride) & mask;
      while (index[slot]! >= 0) slot = (slot + 1) & mask;
      index[slot] = e;
    }
  }

  private grow(): void {
    const newCap = this.capacity * 2;
    const keys = new Uint32Array(newCap * this.stride);
    keys.set(this.keys);
    this.keys = keys;
    this.capacity = newCap;
    this.index = new Int32Array(newCap * 2);
    this.mask = this.index.length - 1;
    this.rebuildIndex();
    this.onGrow?.(newCap);
  }
}

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
