import type { InitialState } from '../ir/states.js';
import { packBasisBits } from '../ir/states.js';
import { SIGN_BIT } from '../pauli/clifford-tables.js';
import { PauliSum } from '../pauli/sum.js';
import type { CompiledClifford, CompiledRotation } from './compile.js';
import type { Engine } from './engine.js';
import type { ResolvedTruncation } from './options.js';
import { growWithinBudget, grown, removeSlot, slotIndexFor } from './slot-index.js';

/**
 * Term store and per-gate kernels for registers of at most 32 qubits: each Pauli string is one
 * X word and one Z word. See propagate.ts for the algorithm and its equivalence with the
 * reference package's apply → merge → truncate.
 *
 * Layout.
 *  - Records: entry e is 16 bytes [x: u32, z: u32, c: f64] in one buffer, so one cache line
 *    serves a hash lookup and the coefficient update that follows.
 *  - Bit planes: for every qubit q, one bit per entry for "x_q set" and one for "z_q set"
 *    (64 planes of ⌈cap/32⌉ words). The strings anticommuting with a generator are the XOR of a
 *    few planes, so finding them costs one word operation per 32 entries instead of a pass over
 *    every record — the scan is most of the work of a gate that touches few strings.
 *  - Index: open addressing (power-of-two slots, linear probing, load ≤ 1/2) of [entry, hash]
 *    pairs; the stored hash spares record reads while probing and lets deletions shift back
 *    without touching records.
 *  - Path counters in their own arrays, allocated only when a truncation needs them.
 */
/** Bytes per entry of capacity: record, planes, index (2 slots), deletion list, Clifford scratch. */
export const ENGINE32_BYTES_PER_TERM = 16 + 8 + 16 + 4 + 8;

export class Engine32 implements Engine {
  readonly bytesPerTerm = ENGINE32_BYTES_PER_TERM;
  size = 0;
  droppedWeight = 0;
  droppedTerms = 0;
  updates = 0;

  private cap = 0;
  /** Records as words (x at 4e, z at 4e+1) and as doubles (c at 2e+1), one buffer. */
  private R32!: Uint32Array;
  private RF!: Float64Array;
  /** Plane p (x planes 0–31, z planes 32–63) occupies words [p·WP, (p+1)·WP). */
  private planes!: Int32Array;
  private WP = 0;
  private idx!: Int32Array;
  private shift = 0;
  private mask = 0;
  private freq: Uint32Array | null = null;
  private sins: Uint32Array | null = null;
  /** Bit p set: the partner p of an already-processed pair, to be skipped by the scan. */
  private done!: Int32Array;
  /** Entries to delete after the current gate. */
  private del!: Int32Array;
  private delCount = 0;
  /** Scratch for Clifford gates: entries whose key changed, and their old hashes. */
  private moved!: Int32Array;
  private movedHash!: Int32Array;
  /** Per-window scratch of applyRotation: candidate entries and their partners' hashes. */
  private readonly cand = new Int32Array(WINDOW);
  private readonly candHash = new Int32Array(WINDOW);
  /** Keeps the cache-warming loads of applyRotation observable. */
  private touchSink = 0;

  constructor(
    readonly numQubits: number,
    private readonly tr: ResolvedTruncation,
    private readonly budget: number,
    initialCapacity = 1024,
  ) {
    this.allocate(Math.min(budget, Math.max(32, initialCapacity)));
  }

  /** (Re)allocates every array for `cap` entries, keeping the live ones, and rebuilds the index. */
  private allocate(cap: number): void {
    const n = this.size;
    const old = this.cap > 0;
    const buf = new ArrayBuffer(cap * 16);
    const R32 = new Uint32Array(buf), RF = new Float64Array(buf);
    const WP = (cap + 31) >>> 5;
    const planes = new Int32Array(64 * WP);
    const done = new Int32Array(WP), del = new Int32Array(cap);
    if (old) {
      R32.set(this.R32.subarray(0, 4 * n));
      const used = (n + 31) >>> 5;
      for (let p = 0; p < 64; p++) planes.set(this.planes.subarray(p * this.WP, p * this.WP + used), p * WP);
      done.set(this.done.subarray(0, used));
      del.set(this.del.subarray(0, this.delCount));
    }
    this.R32 = R32;
    this.RF = RF;
    this.planes = planes;
    this.WP = WP;
    this.done = done;
    this.del = del;
    if (this.tr.trackFreq) this.freq = grown(this.freq, cap, n);
    if (this.tr.trackSins) this.sins = grown(this.sins, cap, n);
    this.moved = new Int32Array(cap);
    this.movedHash = new Int32Array(cap);
    ({ idx: this.idx, shift: this.shift, mask: this.mask } = slotIndexFor(cap));
    this.cap = cap;
    this.rebuildIndex();
  }

  private grow(): void {
    growWithinBudget(this.cap, this.budget, this.size, (cap) => this.allocate(cap));
  }

  private rebuildIndex(): void {
    const { idx, R32, shift, mask } = this;
    idx.fill(-1);
    for (let e = 0; e < this.size; e++) {
      const h = hash32(R32[4 * e]!, R32[4 * e + 1]!);
      let s = h >>> shift;
      while (idx[2 * s]! >= 0) s = (s + 1) & mask;
      idx[2 * s] = e;
      idx[2 * s + 1] = h;
    }
  }

  /** Sets (on = true) or clears entry e's bit in the planes of the letters of (x, z). */
  private markPlanes(e: number, x: number, z: number, on: boolean): void {
    const { planes, WP } = this;
    const w = e >>> 5, bit = 1 << (e & 31);
    for (let v = x; v !== 0; ) {
      const t = v & -v;
      const i = (31 - Math.clz32(t)) * WP + w;
      planes[i] = on ? planes[i]! | bit : planes[i]! & ~bit;
      v ^= t;
    }
    for (let v = z; v !== 0; ) {
      const t = v & -v;
      const i = (63 - Math.clz32(t)) * WP + w;
      planes[i] = on ? planes[i]! | bit : planes[i]! & ~bit;
      v ^= t;
    }
  }

  addTerm(key: Uint32Array, c: number): void {
    const kx = key[0]!, kz = key[1]!;
    const h = hash32(kx, kz);
    for (;;) {
      const { idx, R32, shift, mask } = this;
      let s = h >>> shift;
      for (;;) {
        const ent = idx[2 * s]!;
        if (ent < 0) break;
        if (idx[2 * s + 1] === h && R32[4 * ent] === kx && R32[4 * ent + 1] === kz) {
          this.RF[2 * ent + 1]! += c;
          return;
        }
        s = (s + 1) & mask;
      }
      if (this.size === this.cap) {
        this.grow();
        continue;
      }
      const e = this.size++;
      idx[2 * s] = e;
      idx[2 * s + 1] = h;
      R32[4 * e] = kx;
      R32[4 * e + 1] = kz;
      this.RF[2 * e + 1] = c;
      this.markPlanes(e, kx, kz, true);
      if (this.freq) this.freq[e] = 0;
      if (this.sins) this.sins[e] = 0;
      return;
    }
  }

  /**
   * One Pauli rotation. Only terms anticommuting with the generator G change, and they come in
   * pairs (Q, Q') with iGQ = s·Q' and hence iGQ' = −s·Q: when both are present the pair gets the
   * 2×2 rotation c_Q ← c_Q cos − s·c_Q' sin, c_Q' ← c_Q' cos + s·c_Q sin; otherwise Q keeps its
   * cos branch and Q' is inserted with s·c_Q·sin. This is exactly "apply to every term, then merge
   * equal strings"; truncation is checked on the merged values.
   *
   * Work goes in windows of entries: (1) anticommuting entries from the bit planes, (2) partner
   * hashes and a pass touching their index slots and records so the cache misses overlap,
   * (3) lookup, update, truncation, insert. Deletions wait until the end of the gate.
   */
  applyRotation(g: CompiledRotation): void {
    const gx = g.gx[0]!, gz = g.gz[0]!;
    const gX = gx & ~gz, gY = gx & gz, gZ = ~gx & gz;
    const cos = g.cos, sin = g.sin;
    const { minAbs, maxWeight, maxSins, maxFreq } = this.tr;
    let R32 = this.R32, RF = this.RF, planes = this.planes, WP = this.WP;
    let idx = this.idx, done = this.done, del = this.del;
    let shift = this.shift, mask = this.mask;
    const freq0 = this.freq, sins0 = this.sins;
    let freq = freq0 ?? EMPTY, sins = sins0 ?? EMPTY;
    const trackFreq = freq0 !== null, trackSins = sins0 !== null;
    let delCount = this.delCount;
    let size = this.size;
    let dropped = 0, droppedTerms = 0, updates = 0;
    const cand = this.cand, candHash = this.candHash;
    // Q anticommutes with G iff Σ_q (x_q·[G_q has z] + z_q·[G_q has x]) is odd: the XOR of the
    // x planes of G's Z/Y qubits and the z planes of its X/Y qubits.
    const planeIds: number[] = [];
    for (let q = 0; q < 32; q++) {
      if ((gz >>> q) & 1) planeIds.push(q);
      if ((gx >>> q) & 1) planeIds.push(32 + q);
    }
    const nPlanes = planeIds.length;
    const support = popcount(gx | gz);
    const q0 = 31 - Math.clz32(gx | gz);
    const rest = (gx | gz) & ~(1 << q0);
    const q1 = rest === 0 ? 0 : 31 - Math.clz32(rest);
    const m1 = rest === 0 ? 0 : -1;
    const signTable = support > 2 ? null : buildSignTable(gx, gz, q0, q1, rest !== 0);
    const n0 = size;
    let scan = 0;
    let touch = 0;
    while (scan < n0) {
      // Phase 1: candidates of the window from the planes, minus partners already done.
      const end = Math.min(n0, scan + WINDOW);
      let m = 0;
      let p0 = planeIds[0]! * WP, p1 = nPlanes > 1 ? planeIds[1]! * WP : 0;
      for (let w = scan >>> 5, wEnd = (end + 31) >>> 5; w < wEnd; w++) {
        let bits: number;
        if (nPlanes === 1) bits = planes[p0 + w]!;
        else if (nPlanes === 2) bits = planes[p0 + w]! ^ planes[p1 + w]!;
        else {
          bits = 0;
          for (let k = 0; k < nPlanes; k++) bits ^= planes[planeIds[k]! * WP + w]!;
        }
        const base = w << 5;
        if (base + 32 > n0) bits &= (1 << (n0 - base)) - 1;
        bits &= ~done[w]!;
        done[w] = 0;
        while (bits !== 0) {
          const t = bits & -bits;
          cand[m++] = base + 31 - Math.clz32(t);
          bits ^= t;
        }
      }
      scan = end;
      // Phase 2: partner hashes, then touch each partner's index slot and the record it points to.
      for (let i = 0; i < m; i++) {
        const e = cand[i]!;
        candHash[i] = hash32(R32[4 * e]! ^ gx, R32[4 * e + 1]! ^ gz);
      }
      for (let i = 0; i < m; i++) {
        const ent = idx[2 * (candHash[i]! >>> shift)]!;
        touch ^= R32[4 * (ent & ~(ent >> 31))]!;
      }
      // Phase 3: look up, update, truncate, insert. Inserts never hide a later lookup's key (each
      // new string is the partner of its own candidate only), so lookups can run in this loop.
      for (let i = 0; i < m; i++) {
        const e = cand[i]!;
        const x = R32[4 * e]!, z = R32[4 * e + 1]!;
        const px = (x ^ gx) >>> 0, pz = (z ^ gz) >>> 0;
        const h = candHash[i]!;
        let slot = h >>> shift;
        let r = -1;
        for (;;) {
          const ent = idx[2 * slot]!;
          if (ent < 0) break;
          if (idx[2 * slot + 1] === h && R32[4 * ent] === px && R32[4 * ent + 1] === pz) {
            r = ent;
            break;
          }
          slot = (slot + 1) & mask;
        }
        // A pair whose other member comes first in this window was already done by that member.
        if (r >= 0 && r < e) continue;
        updates++;
        // Sign s of iGQ = s·Q' (see signOf), from a table over the support's letters when small.
        const sgn =
          signTable !== null
            ? signTable[((x >>> q0) & 1) | (((z >>> q0) & 1) << 1) | (((x >>> q1) & m1 & 1) << 2) | (((z >>> q1) & m1 & 1) << 3)]!
            : signOf(gX, gY, gZ, x, z);
        const c = RF[2 * e + 1]!;
        if (r >= 0) {
          const p = r;
          updates++;
          const cp = RF[2 * p + 1]!;
          // Expression order as the reference: c·cos + (c'·sin)·sign, sign = −s for the branch into Q.
          const nc = c * cos + cp * sin * -sgn;
          const ncp = cp * cos + c * sin * sgn;
          RF[2 * e + 1] = nc;
          RF[2 * p + 1] = ncp;
          // p not scanned yet: make the scan skip it (the flag clears itself there).
          if (p >= scan) done[p >>> 5] = done[p >>> 5]! | (1 << (p & 31));
          let dropE = Math.abs(nc) < minAbs;
          let dropP = Math.abs(ncp) < minAbs;
          if (trackFreq) {
            const fe = freq[e]!, fp = freq[p]!;
            const f = (fe < fp ? fe : fp) + 1;
            freq[e] = f;
            freq[p] = f;
            if (f > maxFreq) dropE = dropP = true;
          }
          if (trackSins) {
            const se = sins[e]!, sp = sins[p]!;
            const ne = se < sp + 1 ? se : sp + 1;
            const np = sp < se + 1 ? sp : se + 1;
            sins[e] = ne;
            sins[p] = np;
            if (ne > maxSins) dropE = true;
            if (np > maxSins) dropP = true;
          }
          if (dropE) {
            del[delCount++] = e;
            dropped += Math.abs(nc);
            droppedTerms++;
          }
          if (dropP) {
            del[delCount++] = p;
            dropped += Math.abs(ncp);
            droppedTerms++;
          }
          continue;
        }
        // Partner absent: cos branch stays in place, sin branch becomes a new term (if it survives).
        const nc = c * cos;
        RF[2 * e + 1] = nc;
        let dropE = Math.abs(nc) < minAbs;
        let dropNew = false;
        let fNew = 0, sNew = 0;
        if (trackFreq) {
          fNew = freq[e]! + 1;
          freq[e] = fNew;
          if (fNew > maxFreq) dropE = dropNew = true;
        }
        if (trackSins) {
          sNew = sins[e]! + 1;
          if (sNew > maxSins) dropNew = true;
        }
        if (dropE) {
          del[delCount++] = e;
          dropped += Math.abs(nc);
          droppedTerms++;
        }
        const v = c * sin * sgn;
        if (dropNew || Math.abs(v) < minAbs || popcount(px | pz) > maxWeight) {
          dropped += Math.abs(v);
          droppedTerms++;
          continue;
        }
        if (size === this.cap) {
          this.size = size;
          this.delCount = delCount;
          this.grow();
          ({ R32, RF, planes, WP, idx, done, del, shift, mask } = this);
          freq = this.freq ?? EMPTY;
          sins = this.sins ?? EMPTY;
          p0 = planeIds[0]! * WP;
          p1 = nPlanes > 1 ? planeIds[1]! * WP : 0;
          slot = h >>> shift;
          while (idx[2 * slot]! >= 0) slot = (slot + 1) & mask;
        }
        const ne = size++;
        idx[2 * slot] = ne;
        idx[2 * slot + 1] = h;
        R32[4 * ne] = px;
        R32[4 * ne + 1] = pz;
        RF[2 * ne + 1] = v;
        const w = ne >>> 5, bit = 1 << (ne & 31);
        for (let u = px; u !== 0; ) {
          const t = u & -u;
          const j = (31 - Math.clz32(t)) * WP + w;
          planes[j] = planes[j]! | bit;
          u ^= t;
        }
        for (let u = pz; u !== 0; ) {
          const t = u & -u;
          const j = (63 - Math.clz32(t)) * WP + w;
          planes[j] = planes[j]! | bit;
          u ^= t;
        }
        if (trackFreq) freq[ne] = fNew;
        if (trackSins) sins[ne] = sNew;
      }
    }
    this.size = size;
    this.delCount = delCount;
    this.touchSink ^= touch;
    this.droppedWeight += dropped;
    this.droppedTerms += droppedTerms;
    this.updates += updates;
    this.flushDeletions();
  }

  /** Heisenberg conjugation of every term; strings change but never collide (a bijection). */
  applyClifford(g: CompiledClifford): void {
    const { map, q0, q1 } = g;
    const { R32, RF, planes, WP, moved, movedHash } = this;
    const two = q1 >= 0;
    const b1 = two ? q1 : q0;
    const m = ((1 << q0) | (1 << b1)) >>> 0;
    let nMoved = 0;
    const size = this.size;
    // Entries with a non-identity letter on the gate's qubits, from the planes.
    for (let w = 0, wEnd = (size + 31) >>> 5; w < wEnd; w++) {
      let bits = planes[q0 * WP + w]! | planes[(32 + q0) * WP + w]! | planes[b1 * WP + w]! | planes[(32 + b1) * WP + w]!;
      while (bits !== 0) {
        const t = bits & -bits;
        bits ^= t;
        const e = (w << 5) + 31 - Math.clz32(t);
        const x = R32[4 * e]!, z = R32[4 * e + 1]!;
        const code = two
          ? ((x >>> q0) & 1) | (((z >>> q0) & 1) << 1) | (((x >>> q1) & 1) << 2) | (((z >>> q1) & 1) << 3)
          : ((x >>> q0) & 1) | (((z >>> q0) & 1) << 1);
        const out = map[code]!;
        if (out & SIGN_BIT) RF[2 * e + 1] = -RF[2 * e + 1]!;
        const nc = out & 15;
        if (nc === code) continue;
        moved[nMoved] = e;
        movedHash[nMoved++] = hash32(x, z);
        const nx = two ? (x & ~m) | ((nc & 1) << q0) | (((nc >>> 2) & 1) << q1) : (x & ~m) | ((nc & 1) << q0);
        const nz = two ? (z & ~m) | (((nc >>> 1) & 1) << q0) | (((nc >>> 3) & 1) << q1) : (z & ~m) | (((nc >>> 1) & 1) << q0);
        R32[4 * e] = nx;
        R32[4 * e + 1] = nz;
        // Only the gate's qubits changed: rewrite their four plane bits.
        this.markPlanes(e, x & m, z & m, false);
        this.markPlanes(e, nx & m, nz & m, true);
      }
    }
    this.reindexMoved(nMoved);
    if (this.tr.maxWeight !== Infinity) {
      const maxWeight = this.tr.maxWeight;
      for (let i = 0; i < nMoved; i++) {
        const e = moved[i]!;
        if (popcount(R32[4 * e]! | R32[4 * e + 1]!) > maxWeight) this.markDropped(e);
      }
      this.flushDeletions();
    }
  }

  /** Moves the index entries of the `n` changed strings (listed in `moved`) to their new hashes. */
  private reindexMoved(n: number): void {
    if (n === 0) return;
    if (n * 3 > this.size) {
      this.rebuildIndex();
      return;
    }
    const { idx, R32, shift, mask, moved, movedHash } = this;
    for (let i = 0; i < n; i++) {
      const e = moved[i]!;
      let s = movedHash[i]! >>> shift;
      while (idx[2 * s] !== e) s = (s + 1) & mask;
      removeSlot(this.idx, this.shift, this.mask, s);
    }
    for (let i = 0; i < n; i++) {
      const e = moved[i]!;
      const h = hash32(R32[4 * e]!, R32[4 * e + 1]!);
      let s = h >>> shift;
      while (idx[2 * s]! >= 0) s = (s + 1) & mask;
      idx[2 * s] = e;
      idx[2 * s + 1] = h;
    }
  }

  truncateAll(): void {
    const { minAbs, maxWeight, maxSins, maxFreq } = this.tr;
    const { R32, RF, freq, sins } = this;
    for (let e = 0; e < this.size; e++) {
      if (
        Math.abs(RF[2 * e + 1]!) < minAbs ||
        popcount(R32[4 * e]! | R32[4 * e + 1]!) > maxWeight ||
        (freq !== null && freq[e]! > maxFreq) ||
        (sins !== null && sins[e]! > maxSins)
      ) {
        this.markDropped(e);
      }
    }
    this.flushDeletions();
  }

  private markDropped(e: number): void {
    this.del[this.delCount++] = e;
    this.droppedWeight += Math.abs(this.RF[2 * e + 1]!);
    this.droppedTerms++;
  }

  /**
   * Removes the marked entries: highest index first, each replaced by the current last entry,
   * so no pending index is ever moved.
   */
  private flushDeletions(): void {
    const n = this.delCount;
    if (n === 0) return;
    const del = this.del.subarray(0, n).sort();
    const { idx, R32, shift, mask, freq, sins } = this;
    for (let i = n - 1; i >= 0; i--) {
      const e = del[i]!;
      const ex = R32[4 * e]!, ez = R32[4 * e + 1]!;
      let s = hash32(ex, ez) >>> shift;
      while (idx[2 * s] !== e) s = (s + 1) & mask;
      removeSlot(this.idx, this.shift, this.mask, s);
      this.markPlanes(e, ex, ez, false);
      const last = this.size - 1;
      if (e !== last) {
        const lx = R32[4 * last]!, lz = R32[4 * last + 1]!;
        let t = hash32(lx, lz) >>> shift;
        while (idx[2 * t] !== last) t = (t + 1) & mask;
        idx[2 * t] = e;
        R32[4 * e] = lx;
        R32[4 * e + 1] = lz;
        R32[4 * e + 2] = R32[4 * last + 2]!;
        R32[4 * e + 3] = R32[4 * last + 3]!;
        this.markPlanes(last, lx, lz, false);
        this.markPlanes(e, lx, lz, true);
        if (freq) freq[e] = freq[last]!;
        if (sins) sins[e] = sins[last]!;
      }
      this.size = last;
    }
    this.delCount = 0;
  }

  overlap(state: InitialState): number {
    const { R32, RF } = this;
    let v = 0;
    if (state.kind === 'zero') {
      for (let e = 0; e < this.size; e++) if (R32[4 * e] === 0) v += RF[2 * e + 1]!;
    } else if (state.kind === 'plus') {
      for (let e = 0; e < this.size; e++) if (R32[4 * e + 1] === 0) v += RF[2 * e + 1]!;
    } else {
      const bits = packBasisBits(state.bits, 1)[0]!;
      for (let e = 0; e < this.size; e++) {
        if (R32[4 * e] !== 0) continue;
        const c = RF[2 * e + 1]!;
        v += popcount(R32[4 * e + 1]! & bits) & 1 ? -c : c;
      }
    }
    return v;
  }

  toPauliSum(): PauliSum {
    const sum = new PauliSum(this.numQubits, Math.max(16, this.size));
    const key = new Uint32Array(2);
    for (let e = 0; e < this.size; e++) {
      key[0] = this.R32[4 * e]!;
      key[1] = this.R32[4 * e + 1]!;
      sum.add(key, 0, this.RF[2 * e + 1]!);
    }
    return sum;
  }
}

const EMPTY = new Uint32Array(0);
/**
 * Entries per window of applyRotation (a multiple of 32): enough candidates to overlap cache
 * misses, few enough that the lines they touch stay in L1/L2 until used.
 */
const WINDOW = 1024;


/**
 * Sign s with iGQ = s·Q' for the product string Q': G·Q = i^k Q' where k = (number of cyclic
 * letter pairs XY, YZ, ZX) − (anticyclic ones) mod 4, and k is odd for anticommuting strings,
 * so s = −1 for k ≡ 1 and +1 for k ≡ 3. gX, gY, gZ are G's letter masks.
 */
function signOf(gX: number, gY: number, gZ: number, x: number, z: number): number {
  const qX = x & ~z, qY = x & z, qZ = z & ~x;
  const k = popcount((gX & qY) | (gY & qZ) | (gZ & qX)) - popcount((gY & qX) | (gZ & qY) | (gX & qZ));
  return (k & 3) === 1 ? -1 : 1;
}

/**
 * signOf for every letter combination on a support of one or two qubits (q0, and q1 when `two`),
 * indexed by x0 | z0 << 1 | x1 << 2 | z1 << 3; entries for commuting combinations are unused.
 */
function buildSignTable(gx: number, gz: number, q0: number, q1: number, two: boolean): Int8Array {
  const t = new Int8Array(16);
  const gX = gx & ~gz, gY = gx & gz, gZ = ~gx & gz;
  for (let code = 0; code < (two ? 16 : 4); code++) {
    const x = ((code & 1) << q0) | (two ? ((code >>> 2) & 1) << q1 : 0);
    const z = (((code >>> 1) & 1) << q0) | (two ? ((code >>> 3) & 1) << q1 : 0);
    t[code] = signOf(gX, gY, gZ, x, z);
  }
  return t;
}

/** Mixes the two words of a string; the index uses the top bits. */
function hash32(x: number, z: number): number {
  let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(z ^ 0x5bd1e995, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h;
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
