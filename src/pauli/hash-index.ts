import { allocateArray } from '../memory/limit.js';

/**
 * The one open-addressing index of the project: every table keyed by Pauli strings (propagation
 * stores, PauliTable / PauliSum, the surrogate's term and monomial tables) finds its entries
 * through it. Power-of-two slots of [entry, hash] pairs, linear probing, load ≤ 1/2, home slot
 * = hash >>> shift (the top bits, the best mixed). The stored hash spares key reads while
 * probing and lets deletion shift entries back (no tombstones) without reading keys.
 *
 * The index never sees keys: callers hash (hash1 for one-word strings, hashKey for any width),
 * compare keys themselves in their probe loops (hot loops inline the probe), and use the
 * helpers below for the cold operations. Memory comes from memory/limit.ts.
 */
export interface HashIndex {
  /** Slot s holds [entry at 2s (−1: empty), hash at 2s+1]. */
  slots: Int32Array;
  shift: number;
  mask: number;
}

/** An empty index sized for `cap` entries at load ≤ 1/2. */
export function hashIndexFor(cap: number, what = 'hash index'): HashIndex {
  const n = Math.max(16, nextPow2(cap * 2));
  const slots = allocateArray(Int32Array, n * 2, what, 'tighten the truncation or lower the term budget');
  slots.fill(-1);
  return { slots, shift: 32 - Math.log2(n), mask: n - 1 };
}

/** Places entry e with hash h in the first empty slot of its probe run. */
export function placeEntry(ix: HashIndex, e: number, h: number): void {
  const { slots, mask } = ix;
  let s = h >>> ix.shift;
  while (slots[2 * s]! >= 0) s = (s + 1) & mask;
  slots[2 * s] = e;
  slots[2 * s + 1] = h;
}

/** Slot holding entry e (which must be present with hash h). */
export function slotOfEntry(ix: HashIndex, e: number, h: number): number {
  const { slots, mask } = ix;
  let s = h >>> ix.shift;
  while (slots[2 * s] !== e) s = (s + 1) & mask;
  return s;
}

/** Empties slot s and shifts the rest of its probe run back (deletion without tombstones). */
export function removeSlot(ix: HashIndex, s: number): void {
  const { slots, shift, mask } = ix;
  let i = s;
  let j = s;
  for (;;) {
    j = (j + 1) & mask;
    const ej = slots[2 * j]!;
    if (ej < 0) break;
    const home = slots[2 * j + 1]! >>> shift;
    // The entry at j may move to i unless its home lies cyclically in (i, j].
    const stays = i <= j ? home > i && home <= j : home > i || home <= j;
    if (stays) continue;
    slots[2 * i] = ej;
    slots[2 * i + 1] = slots[2 * j + 1]!;
    i = j;
  }
  slots[2 * i] = -1;
}

/** Removes entry e (hash h). */
export function removeEntry(ix: HashIndex, e: number, h: number): void {
  removeSlot(ix, slotOfEntry(ix, e, h));
}

/** Points the slot of entry `from` (hash h) at entry `to` (an entry renumbered in place). */
export function renumberEntry(ix: HashIndex, from: number, to: number, h: number): void {
  ix.slots[2 * slotOfEntry(ix, from, h)] = to;
}

/** Empties the index. */
export function clearIndex(ix: HashIndex): void {
  ix.slots.fill(-1);
}

/** Hash of a one-word string (x, z): the propagation's hot-path mix. */
export function hash1(x: number, z: number): number {
  let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(z ^ 0x5bd1e995, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h;
}

/** Hash of `len` words at (a, ao); any width. */
export function hashKey(a: ArrayLike<number>, ao: number, len: number): number {
  let h = 0x9747b28c;
  for (let k = 0; k < len; k++) {
    h = Math.imul(h ^ a[ao + k]!, 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h;
}

/** Hash of an ordered pair of 32-bit integers (term tables keyed by (string id, monomial id)). */
export function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h;
}

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
