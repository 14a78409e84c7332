import type { CoreChannel, CoreClifford, CoreRotation, CoreString } from './core.js';

/**
 * A term store: the Pauli strings of the live terms, specialised by register width, and nothing
 * else — coefficients belong to the coefficient kind (coefficients.ts), path counters to the
 * core. Entries are dense 0 … size−1; the core decides what happens (core.ts), a store only
 * answers questions about strings and moves them. Two layouts exist:
 *  - NarrowStore (≤ 32 qubits): one X word and one Z word per string, plus per-qubit bit planes
 *    so that finding the strings that anticommute with a generator costs one word operation per
 *    32 entries;
 *  - WideStore (any width; 2 and 4 words are the common 64- and 128-qubit cases): 2W words per
 *    string in one flat array; a scan reads only the words the generator touches.
 * Both index their strings with the shared hash index (pauli/hash-index.ts) and allocate through
 * memory/limit.ts.
 *
 * Partner protocol of a rotation (one candidate at a time, no allocation; collect or collectList
 * runs first for each generator, stores cache per-generator tables there): `partnerHash(e, g)`
 * for the window's prefetch pass, then `locatePartner(e, g, h)` which leaves the partner string
 * Q' = G·Q of entry e in the store's scratch, returns the partner's entry or −(slot + 1) of
 * the empty slot where it would go; `partnerSign(e, g)` gives s with iGQ = s·Q';
 * `insertPartner(slot, h)` then appends the scratch string. A channel's identity branch uses the
 * same protocol with a string commuting with Q (partnerHash, locatePartner, productSign, insertPartner).
 */
export interface PauliStore {
  readonly numQubits: number;
  readonly W: number;
  /** Live entries. */
  readonly size: number;
  /** Entries that fit before the next growth. */
  readonly capacity: number;
  /** Bytes held per entry of capacity (keys, index, planes, scratch), for budgets and reports. */
  readonly bytesPerEntry: number;
  /**
   * An 8-byte value slot inside each entry's record, values[e·vStride + vOff], moved with the
   * entry: the numeric kind keeps its coefficient there so that a lookup and the update that
   * follows touch one cache line. Reallocated on resize (re-read it after growth).
   */
  readonly values: Float64Array;
  readonly vStride: number;
  readonly vOff: number;

  /** Entry of the string given as 2W words at (a, ao), or −1. */
  find(a: Uint32Array, ao: number): number;
  /** Appends the string (must be absent; capacity must allow). */
  append(a: Uint32Array, ao: number): number;
  /**
   * The array holding entry e's string in the packed layout (X words then Z words) at
   * keyOffset(e), for reading in place; reallocated on resize.
   */
  readonly keyArray: Uint32Array;
  keyOffset(e: number): number;
  /** Writes entry e's string as 2W words at (out, oo). */
  read(e: number, out: Uint32Array, oo: number): void;
  weight(e: number): number;

  /** Reallocates for `cap` entries, keeping the live ones. */
  resize(cap: number): void;

  /** Collects into `out` the entries of [from, to) (all < limit) anticommuting with g and not marked done; clears their done marks. */
  collect(g: CoreRotation, from: number, to: number, out: Int32Array): number;
  /** Collects into `out` the entries list[from … to) anticommuting with g. */
  collectList(g: CoreRotation, list: Int32Array, from: number, to: number, out: Int32Array): number;
  /** Marks entry p so that collect skips it once (its pair was processed from the other side). */
  markDone(p: number): void;
  /** Hash of Q' = G·Q (Pauli part) for entry e's string Q; G may be any string (channels use commuting ones). */
  partnerHash(e: number, g: CoreString): number;
  /** Touches the index slot and key a hash points to (overlaps cache misses of a window); returns a sink value. */
  touch(h: number): number;
  locatePartner(e: number, g: CoreString, h: number): number;
  /** locatePartner for the candidate whose partnerHash was computed last (its scratch is still built). */
  locateBuilt(h: number): number;
  /** Whether windows should prefetch (hash all partners first): worth it while keys are short. */
  readonly prefetch: boolean;
  /** Free slot for hash h (after a resize invalidated the one locatePartner returned). */
  freeSlot(h: number): number;
  insertPartner(slot: number, h: number): number;
  /** Sign s of iGQ = s·Q' for entry e's string Q (computed only for pairs not skipped). */
  partnerSign(e: number, g: CoreRotation): number;
  /**
   * Rewrites entry e's string as its partner (the scratch of the last locatePartner, hash h) in
   * place: the cos branch was truncated and the sin branch takes its entry (no delete + insert).
   */
  replaceWithPartner(e: number, g: CoreRotation, h: number): void;
  /** Weight of the partner string of the last locatePartner. */
  partnerWeight(): number;
  /** Writes the partner string of the last locatePartner as 2W words at (out, oo). */
  readPartner(out: Uint32Array, oo: number): void;

  /**
   * Sign σ of D·Q = σ·(D ⊕ Q) for entry e's string Q and a string D commuting with it (the
   * product of commuting Hermitian Pauli strings is ± a Pauli string). Amplitude damping's
   * identity branch in a Clifford frame.
   */
  productSign(e: number, d: CoreString): number;
  /**
   * Entries whose string has a non-identity letter on a channel's qubits, read through the
   * channel's probes (CoreChannel), into `out`, their letter codes into `codes`; both must hold
   * `size` entries. Per-qubit planes make this a few word operations per 32 entries.
   */
  collectChannel(ch: CoreChannel, out: Int32Array, codes: Uint8Array): number;

  /**
   * Heisenberg conjugation by a Clifford gate: rewrites strings (a bijection: never a collision),
   * calls negate(e) for the entries whose sign flips, and returns how many strings changed,
   * listing them in `changed()`.
   */
  applyClifford(g: CoreClifford, negate: (e: number) => void): number;
  changed(): Int32Array;

  /**
   * Removes every entry with dead[e] ≠ 0, keeping the order of the rest (entry i moves to the
   * number of live entries before it; `moved(from, to)` is told each move), and rebuilds the
   * index and planes: cheaper than one removeSwap per entry when many go at once.
   */
  removeMany(dead: Uint8Array, moved: (from: number, to: number) => void): void;
  /** Removes entry e by moving the last entry into its place (returns the moved entry's old id, or −1). */
  removeSwap(e: number): number;

  /** True when entry e has no X-plane bits (⟨0|Q|0⟩ ≠ 0) … overlap helpers for the numeric kind. */
  xZero(e: number): boolean;
  zZero(e: number): boolean;
  /** Parity of the Z bits of entry e on the 1-bits of `bits` (packed as the X plane). */
  zParity(e: number, bits: Uint32Array): number;
}
