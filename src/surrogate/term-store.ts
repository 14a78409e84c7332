import { ResourceLimitError } from '../ir/errors.js';
import { allocateArray } from '../memory/limit.js';
import { hashIndexFor, hashPair, placeEntry, removeEntry, type HashIndex } from '../pauli/hash-index.js';

/**
 * The truncated polynomials of a Taylor build, one per entry of the propagation core's term
 * store: terms c·δ^μ keyed by (entry, monomial id), found through the shared hash index
 * (pauli/hash-index.ts) on the pair, and linked into one of the entry's two lists so a step
 * touches only the terms of the strings it branches. Terms at the maximal degree go to the
 * "frozen" list: they cannot branch at a symbolic step any more (cos ℓ = 1 + O(ℓ²),
 * sin ℓ = O(ℓ)), so only fixed steps visit them. Everything lives in typed arrays allocated
 * through memory/limit.ts.
 */
export class TermStore {
  /** Per entry: first term of its list below the maximal degree (−1: none). */
  head: Int32Array = new Int32Array(0);
  /** Per entry: first term of its list at the maximal degree (−1: none). */
  headFrozen: Int32Array = new Int32Array(0);
  /** Per entry: the largest degree still viable (see Viability), as last computed. */
  maxUse: Int16Array = new Int16Array(0);
  /**
   * Entries that have (or had) a term below the maximal degree: the only ones symbolic steps
   * visit. Membership is conservative (an entry stays listed until removed); activePos[e] is
   * e's position in the list, −1 when unlisted.
   */
  activeList: Int32Array = new Int32Array(0);
  activePos: Int32Array = new Int32Array(0);
  activeCount = 0;

  /** Per term: its entry (−1: dead, awaiting compaction), monomial, coefficient, next in list. */
  pauliOf: Int32Array;
  monoOf: Int32Array;
  coef: Float64Array;
  next: Int32Array;
  size = 0;
  /** Terms zeroed or killed since the last compaction (a hint for when to compact). */
  zeroed = 0;
  private capacity: number;
  private ix: HashIndex;

  constructor(readonly maxTerms: number, initialCapacity = 1024) {
    this.capacity = Math.max(16, 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity))));
    const what = 'Taylor surrogate terms';
    this.pauliOf = allocateArray(Int32Array, this.capacity, what);
    this.monoOf = allocateArray(Int32Array, this.capacity, what);
    this.coef = allocateArray(Float64Array, this.capacity, what);
    this.next = allocateArray(Int32Array, this.capacity, what);
    this.ix = hashIndexFor(this.capacity, 'Taylor surrogate term index');
  }

  /** Per-entry arrays for `cap` entries, keeping the first `size`. */
  resizeEntries(cap: number, size: number): void {
    const what = 'Taylor surrogate strings';
    const h = allocateArray(Int32Array, cap, what).fill(-1);
    h.set(this.head.subarray(0, size));
    this.head = h;
    const hf = allocateArray(Int32Array, cap, what).fill(-1);
    hf.set(this.headFrozen.subarray(0, size));
    this.headFrozen = hf;
    const u = allocateArray(Int16Array, cap, what);
    u.set(this.maxUse.subarray(0, size));
    this.maxUse = u;
    const l = allocateArray(Int32Array, cap, what);
    l.set(this.activeList.subarray(0, this.activeCount));
    this.activeList = l;
    const ap = allocateArray(Int32Array, cap, what).fill(-1);
    ap.set(this.activePos.subarray(0, size));
    this.activePos = ap;
  }

  activate(p: number): void {
    if (this.activePos[p]! >= 0) return;
    this.activePos[p] = this.activeCount;
    this.activeList[this.activeCount++] = p;
  }

  private deactivate(p: number): void {
    const i = this.activePos[p]!;
    if (i < 0) return;
    const last = this.activeList[--this.activeCount]!;
    this.activeList[i] = last;
    this.activePos[last] = i;
    this.activePos[p] = -1;
  }

  /** A new (or reused) entry starts with empty lists; its active listing is left as it is. */
  initEntry(p: number, maxUse: number): void {
    this.head[p] = -1;
    this.headFrozen[p] = -1;
    this.maxUse[p] = maxUse;
  }

  /**
   * Adds value to the coefficient of (p, mono), creating the term when absent; `frozen` says
   * whether mono has the maximal degree (which list a new term joins).
   */
  add(p: number, mono: number, value: number, frozen: boolean): void {
    const h = hashPair(p, mono);
    for (;;) {
      const { slots, mask } = this.ix;
      let s = h >>> this.ix.shift;
      for (;;) {
        const t = slots[2 * s]!;
        if (t < 0) break;
        if (slots[2 * s + 1] === h && this.pauliOf[t] === p && this.monoOf[t] === mono) {
          this.coef[t]! += value;
          return;
        }
        s = (s + 1) & mask;
      }
      if (this.size === this.capacity) {
        this.grow();
        continue;
      }
      const t = this.size++;
      this.pauliOf[t] = p;
      this.monoOf[t] = mono;
      this.coef[t] = value;
      if (frozen) {
        this.next[t] = this.headFrozen[p]!;
        this.headFrozen[p] = t;
      } else {
        this.next[t] = this.head[p]!;
        this.head[p] = t;
        this.activate(p);
      }
      slots[2 * s] = t;
      slots[2 * s + 1] = h;
      return;
    }
  }

  /**
   * Entry p leaves: its terms die (they stay in the arrays until compaction). It stays listed as
   * active (lists must not change during a step) until `removed`.
   */
  kill(p: number): void {
    for (let list = 0; list < 2; list++) {
      for (let t = list === 0 ? this.head[p]! : this.headFrozen[p]!; t >= 0; t = this.next[t]!) {
        removeEntry(this.ix, t, hashPair(p, this.monoOf[t]!));
        this.pauliOf[t] = -1;
        this.coef[t] = 0;
        this.zeroed++;
      }
    }
    this.head[p] = -1;
    this.headFrozen[p] = -1;
  }

  /** Entry e (killed) was removed and entry `moved` (≥ 0) renumbered e. */
  removed(e: number, moved: number): void {
    this.deactivate(e);
    if (moved < 0) return;
    const wasActive = this.activePos[moved]! >= 0;
    this.deactivate(moved);
    this.move(moved, e);
    if (wasActive) this.activate(e);
  }

  /** Entry `from` is renumbered `to` (whose terms were killed): its terms are re-keyed. */
  private move(from: number, to: number): void {
    for (let list = 0; list < 2; list++) {
      for (let t = list === 0 ? this.head[from]! : this.headFrozen[from]!; t >= 0; t = this.next[t]!) {
        const mono = this.monoOf[t]!;
        removeEntry(this.ix, t, hashPair(from, mono));
        this.pauliOf[t] = to;
        placeEntry(this.ix, t, hashPair(to, mono));
      }
    }
    this.head[to] = this.head[from]!;
    this.headFrozen[to] = this.headFrozen[from]!;
    this.maxUse[to] = this.maxUse[from]!;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    if (cap > this.maxTerms) {
      throw new TermStoreFull(this.maxTerms);
    }
    const what = 'Taylor surrogate terms';
    const resize = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.pauliOf = resize(this.pauliOf, (n) => allocateArray(Int32Array, n, what));
    this.monoOf = resize(this.monoOf, (n) => allocateArray(Int32Array, n, what));
    this.coef = resize(this.coef, (n) => allocateArray(Float64Array, n, what));
    this.next = resize(this.next, (n) => allocateArray(Int32Array, n, what));
    this.capacity = cap;
    this.ix = hashIndexFor(cap, 'Taylor surrogate term index');
    this.rebuildIndex();
  }

  private rebuildIndex(): void {
    this.ix.slots.fill(-1);
    for (let t = 0; t < this.size; t++) placeEntry(this.ix, t, hashPair(this.pauliOf[t]!, this.monoOf[t]!));
  }

  /**
   * Drops zero and dead terms, keeping the order of the rest; relinks the lists of the
   * `entries` live entries. `frozen(mono)` tells whether a monomial has the maximal degree.
   */
  compact(entries: number, frozen: (mono: number) => boolean): void {
    this.head.fill(-1, 0, entries);
    this.headFrozen.fill(-1, 0, entries);
    this.activePos.fill(-1, 0, entries);
    this.activeCount = 0;
    let n = 0;
    for (let t = 0; t < this.size; t++) {
      const p = this.pauliOf[t]!;
      if (this.coef[t] === 0 || p < 0) continue;
      const mono = this.monoOf[t]!;
      this.pauliOf[n] = p;
      this.monoOf[n] = mono;
      this.coef[n] = this.coef[t]!;
      if (frozen(mono)) {
        this.next[n] = this.headFrozen[p]!;
        this.headFrozen[p] = n;
      } else {
        this.next[n] = this.head[p]!;
        this.head[p] = n;
        this.activate(p);
      }
      n++;
    }
    this.size = n;
    this.zeroed = 0;
    this.rebuildIndex();
  }
}

/** The term budget of a Taylor build is exhausted. */
export class TermStoreFull extends ResourceLimitError {
  constructor(readonly maxTerms: number) {
    super(`the surrogate needs more than ${maxTerms} live terms (raise --max-terms, or lower the order)`);
  }
}
