import { nextPow2 } from '../pauli/table.js';
import { TermBudgetExceeded } from './budget.js';

/**
 * The open-addressing index both propagation stores use: power-of-two slots of [entry, hash]
 * pairs, linear probing, load ≤ 1/2, home slot = hash >>> shift.
 */
export interface SlotIndex {
  idx: Int32Array;
  shift: number;
  mask: number;
}

/** An empty index sized for `cap` entries. */
export function slotIndexFor(cap: number): SlotIndex {
  const slots = Math.max(16, nextPow2(cap * 2));
  return { idx: new Int32Array(slots * 2), shift: 32 - Math.log2(slots), mask: slots - 1 };
}

/** Empties slot s and shifts the rest of its probe run back (deletion without tombstones). */
export function removeSlot(idx: Int32Array, shift: number, mask: number, s: number): void {
  let i = s;
  let j = s;
  for (;;) {
    j = (j + 1) & mask;
    const ej = idx[2 * j]!;
    if (ej < 0) break;
    const home = idx[2 * j + 1]! >>> shift;
    // The entry at j may move to i unless its home lies cyclically in (i, j].
    const stays = i <= j ? home > i && home <= j : home > i || home <= j;
    if (stays) continue;
    idx[2 * i] = ej;
    idx[2 * i + 1] = idx[2 * j + 1]!;
    i = j;
  }
  idx[2 * i] = -1;
}

/**
 * Doubles a store's capacity through its `allocate`, never past the term budget; running out of
 * budget or of memory (V8's RangeError) becomes TermBudgetExceeded, so a run ends cleanly.
 */
export function growWithinBudget(cap: number, budget: number, size: number, allocate: (cap: number) => void): void {
  if (cap >= budget) throw new TermBudgetExceeded(budget, size);
  try {
    allocate(Math.min(budget, cap * 2));
  } catch (e) {
    if (e instanceof RangeError) throw new TermBudgetExceeded(cap, size, true);
    throw e;
  }
}

/** A copy of `old`'s first `keep` values in a new array of length `cap`. */
export function grown(old: Uint32Array | null, cap: number, keep: number): Uint32Array {
  const a = new Uint32Array(cap);
  if (old) a.set(old.subarray(0, keep));
  return a;
}
