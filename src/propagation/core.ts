import { allocateArray } from '../memory/limit.js';
import { TermBudgetExceeded } from './budget.js';
import type { ResolvedTruncation } from './options.js';
import type { PauliStore } from './store.js';
import { NarrowStore, NARROW_BYTES_PER_ENTRY } from './store-narrow.js';
import { WideStore, wideBytesPerEntry } from './store-wide.js';

/*
 * The one backward Pauli-propagation core. Every engine — numeric propagation (propagate.ts),
 * the Taylor surrogate and the Pauli-path surrogate (surrogate/) — is this loop with another
 * coefficient kind; every register width is this loop with another term store (store.ts).
 *
 * Semantics are PauliPropagation.jl's (REFERENCE §3; its Surrogate/propagate.jl is the same
 * loop with another coefficient type): gates are taken last to first and each gate runs
 * apply → merge → truncate over the whole sum.
 *  - A rotation R_G(θ) leaves strings commuting with G alone; an anticommuting c·Q becomes
 *    c·cos θ·Q + c·sin θ·(iGQ) with iGQ = s·Q'. Neither branch is truncated as it is produced.
 *  - Equal strings merge: coefficients add, path counters (sins, freq) take the minimum.
 *  - Truncation (OR): weight > maxWeight; the kind's value test (|c| < minAbs for numbers);
 *    freq > maxFreq; sins > maxSins. After the first gate every term is checked once, because
 *    the reference truncates the input observable there too.
 *  - A noise channel scales coefficients by Pauli-transfer factors (amplitude damping also feeds
 *    the identity); see applyChannel. Channels are not branches for maxSins / maxFreq.
 *
 * The loop does the same with less work. Strings commuting with the gate are never touched (they
 * cannot change truncation status). Anticommuting strings pair up as (Q, Q') with iGQ = s·Q' and
 * iGQ' = −s·Q, so when both are present the kind gets the pair and applies the 2×2 rotation from
 * the old values ("apply to every term, then merge"); when Q' is absent Q keeps its cos branch in
 * place and the sin branch becomes a new entry — unless it would be truncated right after the
 * merge, in which case it is never inserted. Work goes in windows of entries: candidates from the
 * store, their partners' hashes, a pass touching the index slots those point to (so cache misses
 * overlap), then lookup / update / insert. Deletions wait until the end of the gate.
 *
 * Limits live here so every engine inherits them: the term budget (TermBudgetExceeded, turned
 * into a message naming the gate by the driver) and the process memory limit (every allocation
 * of stores, kinds and counters goes through memory/limit.ts).
 */

/** A Pauli string given by the few words where it is not the identity (generators, channel probes). */
export interface CoreString {
  /** Indices (within one plane) of the words where the string is not the identity. */
  readonly words: Int32Array;
  /** X-plane and Z-plane words of the string, one per entry of `words`. */
  readonly gx: Uint32Array;
  readonly gz: Uint32Array;
}

/** A Pauli rotation as the core sees it (propagation/compile.ts and surrogate lowering make them). */
export interface CoreRotation extends CoreString {
  readonly kind: 'rotation';
  /** Numeric branch factors (kinds with other coefficients read their own data through `step`). */
  readonly cos: number;
  readonly sin: number;
  /** Whether this rotation's branches count for maxSins / maxFreq. */
  readonly counts: boolean;
  /** Step number for the coefficient kind. */
  readonly step: number;
}

/** A Clifford gate as a lookup table on the letters of its qubits (pauli/clifford-tables.ts). */
export interface CoreClifford {
  readonly kind: 'clifford';
  readonly map: Uint8Array;
  readonly q0: number;
  /** −1 for one-qubit gates. */
  readonly q1: number;
}

/**
 * A noise channel as a Pauli transfer map (PauliPropagation.jl's semantics, REFERENCE §7): every
 * string's coefficient is scaled by a factor that depends on its letters on the channel's qubits;
 * amplitude damping also feeds the string without its Z there: c·(…Z…) → (1−g)·c·(…Z…) + g·c·(…I…).
 *
 * The letters are read through probe strings, so the same gate serves a Clifford frame (the
 * surrogates move Cliffords past everything, surrogate/program.ts): a string's letter on qubit q
 * has its X bit set iff the string anticommutes with the probe for Z_q, its Z bit iff it
 * anticommutes with the probe for X_q. Numeric propagation uses Z_q and X_q themselves; a frame
 * uses their images under the frame, which preserves (anti)commutation.
 */
export interface CoreChannel {
  readonly kind: 'channel';
  /** [Z_q0, X_q0] or [Z_q0, X_q0, Z_q1, X_q1] (or their frame images): code bits x0, z0, x1, z1. */
  readonly probes: readonly CoreString[];
  /**
   * Factor by letter code x0 | z0<<1 | x1<<2 | z1<<3 (4 entries for one qubit, 16 for two);
   * entry 0 (identity letters) is 1: strings the channel does not see are never touched.
   */
  readonly factors: Float64Array;
  /** g of amplitude damping's Z → I branch (one-qubit channels, letter code 2 = Z); 0 for none. */
  readonly toIdentity: number;
  /**
   * The string a Z-lettered term is multiplied by to give its identity branch (Z_q, or its frame
   * image), and that image's sign: the branch is toIdentity · identitySign · (D·Q) for D this
   * string (D and Q commute, D·Q = ±1 · their product string).
   */
  readonly identityString: CoreString | null;
  readonly identitySign: number;
  /** Step number for the coefficient kind. */
  readonly step: number;
}

export type CoreGate = CoreRotation | CoreClifford | CoreChannel;

/**
 * What a coefficient is: the rule a rotation applies to it, how it merges, when its value is
 * truncated. Implementations: NumberCoefficients (coefficients.ts), the Taylor surrogate's
 * truncated polynomials and the path surrogate's DAG nodes (surrogate/).
 *
 * Drop masks: bit 1 = the first entry (Q), bit 2 = the second (Q', or the sin branch of a split).
 *
 * Extension point for accounting of what truncation costs (a-posteriori remainders): the core
 * calls `dropped(e)` for every entry it truncates, before removing it, and `discardSplit()` for
 * every sin branch it never inserts; a kind records there whatever it wants (the numeric kind
 * sums |c|). Kinds may also truncate partially inside pair/split (the Taylor kind drops monomials
 * of too high a degree) and record that themselves.
 */
export interface CoefficientKind {
  /** Per-entry arrays for `cap` entries, keeping the first `size`. */
  resize(cap: number, size: number): void;
  /** Q at e and its partner Q' at p, iGQ = sign·Q': both from their old values. */
  pair(e: number, p: number, g: CoreRotation, sign: number): number;
  /** Q at e, partner absent: e keeps its cos branch, the sin branch is held until placeSplit / discardSplit. */
  split(e: number, g: CoreRotation, sign: number): number;
  placeSplit(ne: number): void;
  discardSplit(): void;
  /** Clifford sign flip of entry e. */
  negate(e: number): void;
  /**
   * Channel factor: entry e's coefficient times f. Returns 1 when the result fails the kind's
   * value truncation (0 otherwise).
   */
  scale(e: number, f: number, ch: CoreChannel): number;
  /**
   * Amplitude damping's identity branch merging into an existing string: entry t's coefficient
   * plus f times entry e's (e's value from before the channel: the core calls this before
   * scale(e)). Returns 1 when t then fails the value truncation.
   */
  addScaled(t: number, e: number, f: number, ch: CoreChannel): number;
  /**
   * The identity branch for a string that is absent (its key is the store's partner scratch):
   * f times entry e's coefficient, held until placeSplit / discardSplit like a split's sin
   * branch. Returns 2 when it fails the value truncation (it is then discarded, never inserted).
   */
  scaledSplit(e: number, f: number, ch: CoreChannel): number;
  /** Entry e is truncated (called before its removal). */
  dropped(e: number): void;
  /** Entry e was removed; `moved` (≥ 0) is the entry renumbered e in its place, −1 when e was the last. */
  removed(e: number, moved: number): void;
  /**
   * Optional: the only entries that can change at this rotation (the Taylor kind's strings with
   * terms below the maximal degree, at symbolic steps), or null for all. A snapshot: entries
   * listed later during the gate are not visited.
   */
  candidates?(g: CoreRotation): Int32Array | null;
  /** The kind's value truncation of entry e on its own (truncateAll). */
  failsValue(e: number): boolean;
  /** Bytes per entry of capacity the kind holds. */
  readonly bytesPerEntry: number;
}

/** The store for a register width: one word per plane up to 32 qubits, multi-word beyond. */
export type StoreChoice = 'auto' | 'narrow' | 'wide';

export function makeStore(numQubits: number, initialCapacity: number, choice: StoreChoice = 'auto'): PauliStore {
  const narrow = choice === 'narrow' || (choice === 'auto' && numQubits <= 32);
  if (narrow && numQubits > 32) throw new RangeError(`the narrow store holds at most 32 qubits, not ${numQubits}`);
  return narrow ? new NarrowStore(numQubits, initialCapacity) : new WideStore(numQubits, initialCapacity);
}

export function storeBytesPerEntry(numQubits: number, choice: StoreChoice = 'auto'): number {
  const narrow = choice === 'narrow' || (choice === 'auto' && numQubits <= 32);
  return narrow ? NARROW_BYTES_PER_ENTRY : wideBytesPerEntry(Math.max(1, Math.ceil(numQubits / 32)));
}

/** Entries per window of a rotation: enough candidates to overlap cache misses, few enough to stay in L1/L2. */
const WINDOW = 1024;
const EMPTY = new Uint32Array(0);

export class PropagationCore<K extends CoefficientKind = CoefficientKind> {
  /** Path counters, allocated only when a truncation needs them. */
  sins: Uint32Array | null = null;
  freq: Uint32Array | null = null;
  /** Anticommuting (term, rotation) encounters so far. */
  updates = 0;
  droppedTerms = 0;
  /** Most live entries after any gate (or load). */
  peak = 0;
  /** Whether the last intern() inserted. */
  inserted = false;
  private del: Int32Array;
  private delCount = 0;
  private readonly cand = new Int32Array(WINDOW);
  private readonly candHash = new Int32Array(WINDOW);
  private touchSink = 0;
  private readonly negate: (e: number) => void;
  /** Pair marks of list-driven rotations (see CoefficientKind.candidates). */
  private seen: Uint8Array = new Uint8Array(0);
  private seenList: Int32Array = new Int32Array(0);
  /** Entries a channel touches and their letter codes (sized to the capacity when a channel comes). */
  private chList: Int32Array = new Int32Array(0);
  private chCodes: Uint8Array = new Uint8Array(0);

  constructor(
    readonly store: PauliStore,
    readonly kind: K,
    readonly tr: ResolvedTruncation,
    readonly budget: number,
  ) {
    const cap = store.capacity;
    this.del = allocateArray(Int32Array, cap, 'deletion list');
    if (tr.trackSins) this.sins = allocateArray(Uint32Array, cap, 'path counters');
    if (tr.trackFreq) this.freq = allocateArray(Uint32Array, cap, 'path counters');
    kind.resize(cap, 0);
    this.negate = (e) => kind.negate(e);
  }

  get size(): number {
    return this.store.size;
  }

  /** Bytes per entry of capacity: store, kind, counters, deletion list, channel lists once used. */
  get bytesPerEntry(): number {
    return this.store.bytesPerEntry + this.kind.bytesPerEntry + 4 + (this.sins ? 4 : 0) + (this.freq ? 4 : 0) + (this.chList.length > 0 ? 5 : 0);
  }

  /** Entry of the string at (a, ao), inserting it (counters 0) when absent; see `inserted`. */
  intern(a: Uint32Array, ao: number): number {
    const f = this.store.find(a, ao);
    if (f >= 0) {
      this.inserted = false;
      return f;
    }
    if (this.store.size === this.store.capacity) this.grow();
    const e = this.store.append(a, ao);
    if (this.sins) this.sins[e] = 0;
    if (this.freq) this.freq[e] = 0;
    this.inserted = true;
    return e;
  }

  /** Doubles the capacity of store, kind and counters, never past the budget. */
  private grow(): void {
    const { store } = this;
    const cap = store.capacity;
    if (cap >= this.budget) throw new TermBudgetExceeded(this.budget, store.size);
    const next = Math.min(this.budget, cap * 2);
    const size = store.size;
    store.resize(next);
    this.kind.resize(next, size);
    const del = allocateArray(Int32Array, next, 'deletion list');
    del.set(this.del.subarray(0, this.delCount));
    this.del = del;
    if (this.seenList.length > 0) {
      const sl = allocateArray(Int32Array, next, 'pair marks');
      sl.set(this.seenList);
      this.seenList = sl;
    }
    if (this.sins) this.sins = grown(this.sins, next, size);
    if (this.freq) this.freq = grown(this.freq, next, size);
  }

  /** Marks entry e for removal at the end of the gate. */
  drop(e: number): void {
    this.kind.dropped(e);
    this.del[this.delCount++] = e;
    this.droppedTerms++;
  }

  /**
   * Marks entry e for removal at the next flush without counting it as truncated: the term moves
   * to another shard (threaded propagation, shards.ts).
   */
  evict(e: number): void {
    this.del[this.delCount++] = e;
  }

  /** Runs the gates (already in Heisenberg order); `after(i)` after each. */
  run(gates: readonly CoreGate[], after?: (i: number) => void): void {
    for (let i = 0; i < gates.length; i++) {
      this.apply(gates[i]!);
      if (i === 0) this.truncateAll();
      after?.(i);
    }
  }

  apply(g: CoreGate): void {
    if (g.kind === 'rotation') this.applyRotation(g);
    else if (g.kind === 'clifford') this.applyClifford(g);
    else this.applyChannel(g);
    if (this.store.size > this.peak) this.peak = this.store.size;
  }

  applyRotation(g: CoreRotation): void {
    const { store, kind, cand, candHash } = this;
    const { maxWeight, maxSins, maxFreq } = this.tr;
    const inc = g.counts ? 1 : 0;
    const list = kind.candidates ? kind.candidates(g) : null;
    const prefetch = store.prefetch;
    const n0 = list !== null ? list.length : store.size;
    let seen = this.seen;
    if (list !== null && seen.length < store.capacity) {
      seen = this.seen = allocateArray(Uint8Array, store.capacity, 'pair marks');
      this.seenList = allocateArray(Int32Array, store.capacity, 'pair marks');
    }
    let nSeen = 0;
    let touch = 0;
    let updates = 0;
    let sins = this.sins ?? EMPTY, freq = this.freq ?? EMPTY;
    const trackSins = this.sins !== null, trackFreq = this.freq !== null;
    for (let scan = 0; scan < n0; ) {
      const end = Math.min(n0, scan + WINDOW);
      const m = list !== null ? store.collectList(g, list, scan, end, cand) : store.collect(g, scan, end, cand);
      scan = end;
      if (prefetch) {
        for (let i = 0; i < m; i++) candHash[i] = store.partnerHash(cand[i]!, g);
        for (let i = 0; i < m; i++) touch ^= store.touch(candHash[i]!);
      }
      for (let i = 0; i < m; i++) {
        const e = cand[i]!;
        // Listed candidates come in any order: a member of a pair already done is marked.
        if (list !== null && seen[e] !== 0) continue;
        let h: number, r: number;
        if (prefetch) {
          h = candHash[i]!;
          r = store.locatePartner(e, g, h);
        } else {
          h = store.partnerHash(e, g);
          r = store.locateBuilt(h);
        }
        // A pair whose other member comes first in this window was already done by that member.
        if (list === null && r >= 0 && r < e) continue;
        const sign = store.partnerSign(e, g);
        updates++;
        if (r >= 0) {
          updates++;
          // r not scanned yet: make the scan skip it (the mark clears itself there).
          if (list !== null) {
            seen[r] = 1;
            this.seenList[nSeen++] = r;
          } else if (r >= scan) store.markDone(r);
          let drop = kind.pair(e, r, g, sign);
          if (trackFreq) {
            const fe = freq[e]!, fp = freq[r]!;
            const f = (fe < fp ? fe : fp) + inc;
            freq[e] = f;
            freq[r] = f;
            if (f > maxFreq) drop = 3;
          }
          if (trackSins) {
            const se = sins[e]!, sp = sins[r]!;
            const ne = se < sp + inc ? se : sp + inc;
            const np = sp < se + inc ? sp : se + inc;
            sins[e] = ne;
            sins[r] = np;
            if (ne > maxSins) drop |= 1;
            if (np > maxSins) drop |= 2;
          }
          if (drop & 1) this.drop(e);
          if (drop & 2) this.drop(r);
          continue;
        }
        // Partner absent: cos branch stays in place, sin branch becomes a new entry if it survives.
        let drop = kind.split(e, g, sign);
        let fNew = 0, sNew = 0;
        if (trackFreq) {
          fNew = freq[e]! + inc;
          freq[e] = fNew;
          if (fNew > maxFreq) drop = 3;
        }
        if (trackSins) {
          sNew = sins[e]! + inc;
          if (sNew > maxSins) drop |= 2;
        }
        const keepNew = (drop & 2) === 0 && (maxWeight === Infinity || store.partnerWeight() <= maxWeight);
        if (drop & 1) {
          if (keepNew) {
            // The cos branch goes, the sin branch survives: it takes over entry e in place.
            kind.dropped(e);
            this.droppedTerms++;
            store.replaceWithPartner(e, g, h);
            kind.placeSplit(e);
            if (trackFreq) freq[e] = fNew;
            if (trackSins) sins[e] = sNew;
            continue;
          }
          this.drop(e);
        }
        if (!keepNew) {
          kind.discardSplit();
          this.droppedTerms++;
          continue;
        }
        let slot = -r - 1;
        if (store.size === store.capacity) {
          this.grow();
          sins = this.sins ?? EMPTY;
          freq = this.freq ?? EMPTY;
          if (list !== null && seen.length < store.capacity) {
            const s2 = allocateArray(Uint8Array, store.capacity, 'pair marks');
            s2.set(seen);
            seen = this.seen = s2;
          }
          slot = store.freeSlot(h);
        }
        const ne = store.insertPartner(slot, h);
        kind.placeSplit(ne);
        if (trackFreq) freq[ne] = fNew;
        if (trackSins) sins[ne] = sNew;
      }
    }
    for (let i = 0; i < nSeen; i++) seen[this.seenList[i]!] = 0;
    this.touchSink ^= touch;
    this.updates += updates;
    this.flush();
  }

  applyClifford(g: CoreClifford): void {
    const n = this.store.applyClifford(g, this.negate);
    const maxWeight = this.tr.maxWeight;
    if (maxWeight !== Infinity && n > 0) {
      const changed = this.store.changed();
      for (let i = 0; i < n; i++) {
        const e = changed[i]!;
        if (this.store.weight(e) > maxWeight) this.drop(e);
      }
      this.flush();
    }
  }

  /**
   * A noise channel, as the reference applies it: every term on the channel's qubits is scaled by
   * its factor; for amplitude damping a Z there also gives g·c to the string with I there, merged
   * into that string when present (from the old value of c: apply to every term, then merge), a
   * new entry otherwise. Then the truncations of the changed entries: value (scaled, merged and
   * new entries) and weight (new entries; scaling keeps strings). The identity branch keeps the
   * path counters of its source (merges take the minimum); channels are not branches of
   * maxSins / maxFreq. The map Z-string → I-string is injective and never lands on a string the
   * channel scales, so the branches of one channel never interact.
   */
  applyChannel(ch: CoreChannel): void {
    const { store, kind } = this;
    if (this.chList.length < store.capacity) {
      this.chList = allocateArray(Int32Array, store.capacity, 'channel entries');
      this.chCodes = allocateArray(Uint8Array, store.capacity, 'channel entries');
    }
    const list = this.chList, codes = this.chCodes;
    const n = store.collectChannel(ch, list, codes);
    const maxWeight = this.tr.maxWeight;
    const id = ch.identityString;
    if (id !== null && ch.toIdentity !== 0) {
      const trackSins = this.sins !== null, trackFreq = this.freq !== null;
      for (let i = 0; i < n; i++) {
        if (codes[i] !== 2) continue;
        const e = list[i]!;
        const h = store.partnerHash(e, id);
        const r = store.locatePartner(e, id, h);
        const f = ch.toIdentity * ch.identitySign * store.productSign(e, id);
        if (r >= 0) {
          if (trackSins && this.sins![e]! < this.sins![r]!) this.sins![r] = this.sins![e]!;
          if (trackFreq && this.freq![e]! < this.freq![r]!) this.freq![r] = this.freq![e]!;
          if (kind.addScaled(r, e, f, ch) !== 0) this.drop(r);
          continue;
        }
        const drop = kind.scaledSplit(e, f, ch);
        if ((drop & 2) !== 0 || (maxWeight !== Infinity && store.partnerWeight() > maxWeight)) {
          kind.discardSplit();
          this.droppedTerms++;
          continue;
        }
        let slot = -r - 1;
        if (store.size === store.capacity) {
          this.grow();
          slot = store.freeSlot(h);
        }
        const ne = store.insertPartner(slot, h);
        kind.placeSplit(ne);
        if (trackSins) this.sins![ne] = this.sins![e]!;
        if (trackFreq) this.freq![ne] = this.freq![e]!;
      }
    }
    const factors = ch.factors;
    for (let i = 0; i < n; i++) {
      const f = factors[codes[i]!]!;
      if (f === 1) continue;
      const e = list[i]!;
      if (kind.scale(e, f, ch) !== 0) this.drop(e);
    }
    this.flush();
  }

  /** Every truncation on every entry (after the first gate, when nothing was checked yet). */
  truncateAll(): void {
    const { store, kind, sins, freq } = this;
    const { maxWeight, maxSins, maxFreq } = this.tr;
    for (let e = 0; e < store.size; e++) {
      if (
        kind.failsValue(e) ||
        (maxWeight !== Infinity && store.weight(e) > maxWeight) ||
        (freq !== null && freq[e]! > maxFreq) ||
        (sins !== null && sins[e]! > maxSins)
      ) {
        this.drop(e);
      }
    }
    this.flush();
  }

  /**
   * Removes the marked entries: highest index first, each replaced by the current last entry,
   * so no pending index is ever moved.
   */
  flush(): void {
    const n = this.delCount;
    if (n === 0) return;
    if (n > 256 && n * 8 > this.store.size) {
      this.flushMany();
      return;
    }
    const del = this.del.subarray(0, n).sort();
    const { store, kind, sins, freq } = this;
    for (let i = n - 1; i >= 0; i--) {
      const e = del[i]!;
      const last = store.removeSwap(e);
      kind.removed(e, last);
      if (last < 0) continue;
      if (sins) sins[e] = sins[last]!;
      if (freq) freq[e] = freq[last]!;
    }
    this.delCount = 0;
  }

  /** Many deletions at once: one ordered compaction (store.removeMany) instead of swaps. */
  private flushMany(): void {
    const { store, kind, sins, freq } = this;
    const size = store.size;
    if (deadMarks.length < size) deadMarks = allocateArray(Uint8Array, store.capacity, 'deletion marks');
    const dead = deadMarks;
    dead.fill(0, 0, size);
    for (let i = 0; i < this.delCount; i++) dead[this.del[i]!] = 1;
    // A slot receiving an entry was freed by a deletion or by an earlier move.
    store.removeMany(dead, (from, to) => {
      kind.removed(to, from);
      if (sins) sins[to] = sins[from]!;
      if (freq) freq[to] = freq[from]!;
    });
    // Deleted entries past the new end were never refilled.
    for (let e = store.size; e < size; e++) if (dead[e] !== 0) kind.removed(e, -1);
    this.delCount = 0;
  }
}

/** Marks of flushMany, reused across gates. */
let deadMarks = new Uint8Array(0);

function grown(old: Uint32Array, cap: number, keep: number): Uint32Array {
  const a = allocateArray(Uint32Array, cap, 'path counters');
  a.set(old.subarray(0, keep));
  return a;
}
