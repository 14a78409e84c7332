// Frozen copy of the pre-core implementation (before issue 9), kept only as a cross-check of the new builds.
import { ResourceLimitError } from '../../../src/ir/errors.js';
import { PauliTable } from './table.js';

/**
 * The live terms c·δ^μ·Q of a symbolic propagation. Distinct Pauli strings are interned once in a
 * PauliTable; a term is a (Pauli id, monomial id) pair with a Float64 coefficient, found through an
 * open-addressing index on the pair, and linked into one of its Pauli's two lists so a gate
 * touches only the terms of strings that anticommute with it. Terms at the maximal degree go to
 * the "frozen" list: they cannot branch at a symbolic gate any more (cos ℓ = 1 + O(ℓ²),
 * sin ℓ = O(ℓ)), so only fixed steps visit them. Everything lives in typed arrays.
 */
export class TermStore {
  readonly paulis: PauliTable;
  /** Per Pauli: first term of its list of terms below the maximal degree (−1: none). */
  head: Int32Array;
  /** Per Pauli: first term of its list of terms at the maximal degree (−1: none). */
  headFrozen: Int32Array;
  /** Per Pauli: the largest degree still viable (see Viability), as last computed. */
  maxUse: Int16Array;
  /**
   * Strings that have (or had) a term below the maximal degree: the ones symbolic steps visit.
   * Membership is conservative: a string stays listed once listed.
   */
  activeList: Int32Array;
  activeCount = 0;
  private active: Uint8Array;

  pauliOf: Int32Array;
  monoOf: Int32Array;
  coef: Float64Array;
  next: Int32Array;
  size = 0;
  /** Terms zeroed by pruning since the last compaction (a hint for when to compact). */
  zeroed = 0;
  private capacity: number;
  private index: Int32Array;
  private mask: number;
  readonly maxTerms: number;

  constructor(W: number, maxTerms: number, initialCapacity = 1024) {
    this.maxTerms = maxTerms;
    this.paulis = new PauliTable(W, initialCapacity, maxTerms);
    this.head = new Int32Array(this.paulis.capacity).fill(-1);
    this.headFrozen = new Int32Array(this.paulis.capacity).fill(-1);
    this.maxUse = new Int16Array(this.paulis.capacity);
    this.active = new Uint8Array(this.paulis.capacity);
    this.activeList = new Int32Array(this.paulis.capacity);
    this.paulis.onGrow = (cap) => {
      const a = new Uint8Array(cap);
      a.set(this.active);
      this.active = a;
      const l = new Int32Array(cap);
      l.set(this.activeList);
      this.activeList = l;
      const h = new Int32Array(cap).fill(-1);
      h.set(this.head);
      this.head = h;
      const hf = new Int32Array(cap).fill(-1);
      hf.set(this.headFrozen);
      this.headFrozen = hf;
      const u = new Int16Array(cap);
      u.set(this.maxUse);
      this.maxUse = u;
    };
    this.capacity = Math.max(16, 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity))));
    this.pauliOf = new Int32Array(this.capacity);
    this.monoOf = new Int32Array(this.capacity);
    this.coef = new Float64Array(this.capacity);
    this.next = new Int32Array(this.capacity);
    this.index = new Int32Array(this.capacity * 2).fill(-1);
    this.mask = this.index.length - 1;
  }

  /** Pauli id of the packed string at (a, ao), inserting it (with an empty list) when absent. */
  internPauli(a: Uint32Array, ao: number, maxUse: number): number {
    const p = this.paulis.findOrInsert(a, ao);
    if (this.paulis.lastInserted) {
      this.head[p] = -1;
      this.headFrozen[p] = -1;
      this.maxUse[p] = maxUse;
    }
    return p;
  }

  /** Lists string p among those symbolic steps visit. */
  activate(p: number): void {
    if (this.active[p]) return;
    this.active[p] = 1;
    this.activeList[this.activeCount++] = p;
  }

  /**
   * Adds value to the coefficient of (p, mono), creating the term when absent; `frozen` says
   * whether mono has the maximal degree (which list a new term joins).
   */
  add(p: number, mono: number, value: number, frozen: boolean): void {
    let h = Math.imul(p, 0x9e3779b1) ^ Math.imul(mono + 0x632be5ab, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    const mask = this.mask;
    let slot = h & mask;
    const index = this.index;
    for (;;) {
      const t = index[slot]!;
      if (t < 0) break;
      if (this.pauliOf[t] === p && this.monoOf[t] === mono) {
        this.coef[t]! += value;
        return;
      }
      slot = (slot + 1) & mask;
    }
    if (this.size === this.capacity) {
      this.grow();
      this.add(p, mono, value, frozen);
      return;
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
    index[slot] = t;
  }

  private slotOf(p: number, mono: number): number {
    let h = Math.imul(p, 0x9e3779b1) ^ Math.imul(mono + 0x632be5ab, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    let slot = h & this.mask;
    while (this.index[slot]! >= 0) slot = (slot + 1) & this.mask;
    return slot;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    if (cap > this.maxTerms) {
      throw new ResourceLimitError(
        `the surrogate needs more than ${this.maxTerms} live terms (raise --max-terms, or lower the order)`,
      );
    }
    const resize = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.pauliOf = resize(this.pauliOf, (n) => new Int32Array(n));
    this.monoOf = resize(this.monoOf, (n) => new Int32Array(n));
    this.coef = resize(this.coef, (n) => new Float64Array(n));
    this.next = resize(this.next, (n) => new Int32Array(n));
    this.capacity = cap;
    this.rebuildIndex();
  }

  private rebuildIndex(): void {
    const len = this.capacity * 2;
    if (this.index.length !== len) this.index = new Int32Array(len);
    this.index.fill(-1);
    this.mask = len - 1;
    for (let t = 0; t < this.size; t++) this.index[this.slotOf(this.pauliOf[t]!, this.monoOf[t]!)] = t;
  }

  /**
   * Drops zero terms and Pauli strings left without terms; renumbers both. `frozen(mono)` tells
   * whether a monomial has the maximal degree.
   */
  compact(frozen: (mono: number) => boolean): void {
    const P = this.paulis.size;
    const live = new Uint8Array(P);
    for (let t = 0; t < this.size; t++) if (this.coef[t] !== 0) live[this.pauliOf[t]!] = 1;
    const remap = new Int32Array(P).fill(-1);
    let j = 0;
    for (let p = 0; p < P; p++) if (live[p]) remap[p] = j++;
    this.paulis.compact(
      (p) => live[p] === 1,
      (from, to) => {
        this.maxUse[to] = this.maxUse[from]!;
      },
    );
    this.head.fill(-1);
    this.headFrozen.fill(-1);
    this.active.fill(0);
    this.activeCount = 0;
    let n = 0;
    for (let t = 0; t < this.size; t++) {
      if (this.coef[t] === 0) continue;
      const p = remap[this.pauliOf[t]!]!;
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

  /** Number of terms with a non-zero coefficient. */
  countNonZero(): number {
    let n = 0;
    for (let t = 0; t < this.size; t++) if (this.coef[t] !== 0) n++;
    return n;
  }
}
