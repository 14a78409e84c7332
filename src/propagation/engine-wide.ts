import type { InitialState } from '../ir/states.js';
import { packBasisBits } from '../ir/states.js';
import { SIGN_BIT } from '../pauli/clifford-tables.js';
import { basisExpectation, plusExpectation, popcount32, weight, wordsFor } from '../pauli/packed.js';
import { PauliSum } from '../pauli/sum.js';
import type { CompiledClifford, CompiledRotation } from './compile.js';
import type { Engine } from './engine.js';
import type { ResolvedTruncation } from './options.js';
import { growWithinBudget, grown, removeSlot, slotIndexFor } from './slot-index.js';

/**
 * The same term store and kernels as Engine32 (read that file first) for any register width:
 * entry e's string is the 2W words keys[e·2W …) in the layout of packed.ts, its coefficient
 * coeffs[e]. Rotations only read and write the few words their generator touches.
 */
export class EngineWide implements Engine {
  readonly W: number;
  readonly stride: number;
  readonly bytesPerTerm: number;
  size = 0;
  droppedWeight = 0;
  droppedTerms = 0;
  updates = 0;

  private cap = 0;
  private keys!: Uint32Array;
  private coeffs!: Float64Array;
  private idx!: Int32Array;
  private shift = 0;
  private mask = 0;
  private freq: Uint32Array | null = null;
  private sins: Uint32Array | null = null;
  private done!: Uint8Array;
  private del!: Int32Array;
  private delCount = 0;
  private moved!: Int32Array;
  private movedHash!: Int32Array;
  /** Scratch string for partners. */
  private readonly tmp: Uint32Array;
  /** Per-window scratch of applyRotation. */
  private readonly cand = new Int32Array(WIDE_WINDOW);
  private readonly candHash = new Int32Array(WIDE_WINDOW);
  private touchSink = 0;

  constructor(
    readonly numQubits: number,
    private readonly tr: ResolvedTruncation,
    private readonly budget: number,
    initialCapacity = 1024,
  ) {
    this.W = wordsFor(numQubits);
    this.stride = 2 * this.W;
    this.bytesPerTerm = wideBytesPerTerm(this.W);
    this.tmp = new Uint32Array(this.stride);
    this.allocate(Math.min(budget, Math.max(16, initialCapacity)));
  }

  private allocate(cap: number): void {
    const { stride, size } = this;
    const keys = new Uint32Array(cap * stride);
    const coeffs = new Float64Array(cap);
    const done = new Uint8Array(cap);
    const del = new Int32Array(cap);
    if (this.cap > 0) {
      keys.set(this.keys.subarray(0, size * stride));
      coeffs.set(this.coeffs.subarray(0, size));
      done.set(this.done.subarray(0, size));
      del.set(this.del.subarray(0, this.delCount));
    }
    this.keys = keys;
    this.coeffs = coeffs;
    this.done = done;
    this.del = del;
    if (this.tr.trackFreq) this.freq = grown(this.freq, cap, size);
    if (this.tr.trackSins) this.sins = grown(this.sins, cap, size);
    this.moved = new Int32Array(cap);
    this.movedHash = new Int32Array(cap);
    ({ idx: this.idx, shift: this.shift, mask: this.mask } = slotIndexFor(cap));
    this.cap = cap;
    this.rebuildIndex();
  }

  private grow(): void {
    growWithinBudget(this.cap, this.budget, this.size, (cap) => this.allocate(cap));
  }

  private hashAt(a: Uint32Array, ao: number): number {
    let h = 0x9747b28c;
    for (let k = 0; k < this.stride; k++) {
      h = Math.imul(h ^ a[ao + k]!, 0x9e3779b1);
      h ^= h >>> 15;
    }
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h;
  }

  private sameKey(e: number, a: Uint32Array, ao: number): boolean {
    const { keys, stride } = this;
    const eo = e * stride;
    for (let k = 0; k < stride; k++) if (keys[eo + k] !== a[ao + k]) return false;
    return true;
  }

  /** Entry of the string at (a, ao), or −(slot + 1) of the empty slot where it would go. */
  private lookup(a: Uint32Array, ao: number, h: number): number {
    const { idx, mask } = this;
    let s = h >>> this.shift;
    for (;;) {
      const ent = idx[2 * s]!;
      if (ent < 0) return -(s + 1);
      if (idx[2 * s + 1] === h && this.sameKey(ent, a, ao)) return ent;
      s = (s + 1) & mask;
    }
  }

  private rebuildIndex(): void {
    const { idx, keys, stride, shift, mask } = this;
    idx.fill(-1);
    for (let e = 0; e < this.size; e++) {
      const h = this.hashAt(keys, e * stride);
      let s = h >>> shift;
      while (idx[2 * s]! >= 0) s = (s + 1) & mask;
      idx[2 * s] = e;
      idx[2 * s + 1] = h;
    }
  }

  /** Appends a new entry for the string at (a, ao) into empty slot `slot`; returns its index. */
  private insertAt(slot: number, h: number, a: Uint32Array, ao: number, c: number): number {
    const e = this.size++;
    this.idx[2 * slot] = e;
    this.idx[2 * slot + 1] = h;
    const { keys, stride } = this;
    const eo = e * stride;
    for (let k = 0; k < stride; k++) keys[eo + k] = a[ao + k]!;
    this.coeffs[e] = c;
    return e;
  }

  addTerm(x: Uint32Array, c: number): void {
    const h = this.hashAt(x, 0);
    for (;;) {
      const r = this.lookup(x, 0, h);
      if (r >= 0) {
        this.coeffs[r]! += c;
        return;
      }
      if (this.size === this.cap) {
        this.grow();
        continue;
      }
      const e = this.insertAt(-r - 1, h, x, 0, c);
      if (this.freq) this.freq[e] = 0;
      if (this.sins) this.sins[e] = 0;
      return;
    }
  }

  /**
   * See Engine32.applyRotation: the same algorithm on multi-word strings, in windows of entries
   * (find anticommuting strings, hash their partners and touch the index slots and keys those
   * point to, then look up / update / insert). Only the generator's words are read while scanning.
   */
  applyRotation(g: CompiledRotation): void {
    const { W, stride, tmp } = this;
    const { minAbs, maxWeight, maxSins, maxFreq } = this.tr;
    const ws = g.words, gxs = g.gx, gzs = g.gz, nw = ws.length;
    const cos = g.cos, sin = g.sin;
    const cand = this.cand, candHash = this.candHash;
    const n0 = this.size;
    let touch = 0;
    for (let scan = 0; scan < n0; ) {
      const end = Math.min(n0, scan + WIDE_WINDOW);
      let keys = this.keys;
      const done = this.done;
      let m = 0;
      for (let e = scan; e < end; e++) {
        const eo = e * stride;
        let par = 0;
        for (let i = 0; i < nw; i++) {
          const w = ws[i]!;
          par ^= (keys[eo + w]! & gzs[i]!) ^ (keys[eo + W + w]! & gxs[i]!);
        }
        par ^= par >>> 16;
        par ^= par >>> 8;
        par ^= par >>> 4;
        if (((0x6996 >>> (par & 15)) & 1) === 0) continue;
        if (done[e] !== 0) {
          done[e] = 0;
          continue;
        }
        cand[m++] = e;
      }
      scan = end;
      // Partner hashes, then touch their index slots and the keys those point to.
      for (let i = 0; i < m; i++) candHash[i] = this.partnerHash(cand[i]!, ws, gxs, gzs);
      const idx = this.idx, shift = this.shift;
      for (let i = 0; i < m; i++) {
        const ent = idx[2 * (candHash[i]! >>> shift)]!;
        touch ^= keys[stride * (ent & ~(ent >> 31))]!;
      }
      for (let i = 0; i < m; i++) {
        const e = cand[i]!;
        const eo = e * stride;
        keys = this.keys;
        // Partner string into tmp, and the sign of iGQ (see Engine32).
        for (let j = 0; j < stride; j++) tmp[j] = keys[eo + j]!;
        let k = 0;
        for (let j = 0; j < nw; j++) {
          const w = ws[j]!;
          const gx = gxs[j]!, gz = gzs[j]!;
          const x = keys[eo + w]!, z = keys[eo + W + w]!;
          const gX = gx & ~gz, gY = gx & gz, gZ = ~gx & gz;
          const qX = x & ~z, qY = x & z, qZ = z & ~x;
          k += popcount32(((gX & qY) | (gY & qZ) | (gZ & qX)) >>> 0) - popcount32(((gY & qX) | (gZ & qY) | (gX & qZ)) >>> 0);
          tmp[w] = x ^ gx;
          tmp[W + w] = z ^ gz;
        }
        const sgn = (k & 3) === 1 ? -1 : 1;
        const h = candHash[i]!;
        const r = this.lookup(tmp, 0, h);
        // A pair whose other member comes first in this window was already done by that member.
        if (r >= 0 && r < e) continue;
        this.updates++;
        const coeffs = this.coeffs;
        const c = coeffs[e]!;
        const freq = this.freq, sins = this.sins;
        if (r >= 0) {
          const p = r;
          this.updates++;
          const cp = coeffs[p]!;
          const nc = c * cos + cp * sin * -sgn;
          const ncp = cp * cos + c * sin * sgn;
          coeffs[e] = nc;
          coeffs[p] = ncp;
          if (p >= scan) this.done[p] = 1;
          let dropE = Math.abs(nc) < minAbs;
          let dropP = Math.abs(ncp) < minAbs;
          if (freq) {
            const f = Math.min(freq[e]!, freq[p]!) + 1;
            freq[e] = f;
            freq[p] = f;
            if (f > maxFreq) dropE = dropP = true;
          }
          if (sins) {
            const se = sins[e]!, sp = sins[p]!;
            sins[e] = Math.min(se, sp + 1);
            sins[p] = Math.min(sp, se + 1);
            if (sins[e]! > maxSins) dropE = true;
            if (sins[p]! > maxSins) dropP = true;
          }
          if (dropE) this.markDropped(e);
          if (dropP) this.markDropped(p);
          continue;
        }
        const nc = c * cos;
        coeffs[e] = nc;
        let dropNew = false;
        let fNew = 0, sNew = 0;
        if (freq) {
          fNew = freq[e]! + 1;
          freq[e] = fNew;
          if (fNew > maxFreq) dropNew = true;
        }
        if (sins) {
          sNew = sins[e]! + 1;
          if (sNew > maxSins) dropNew = true;
        }
        if (Math.abs(nc) < minAbs || (freq !== null && fNew > maxFreq)) this.markDropped(e);
        const v = c * sin * sgn;
        if (dropNew || Math.abs(v) < minAbs || weight(tmp, 0, W) > maxWeight) {
          this.droppedWeight += Math.abs(v);
          this.droppedTerms++;
          continue;
        }
        let slot = -r - 1;
        if (this.size === this.cap) {
          this.grow();
          slot = -this.lookup(tmp, 0, h) - 1;
        }
        const ne = this.insertAt(slot, h, tmp, 0, v);
        if (this.freq) this.freq[ne] = fNew;
        if (this.sins) this.sins[ne] = sNew;
      }
    }
    this.touchSink ^= touch;
    this.flushDeletions();
  }

  /** Hash of entry e's partner G·Q (built in the scratch string). */
  private partnerHash(e: number, ws: Int32Array, gxs: Uint32Array, gzs: Uint32Array): number {
    const { keys, stride, W, tmp } = this;
    const eo = e * stride;
    for (let j = 0; j < stride; j++) tmp[j] = keys[eo + j]!;
    for (let j = 0; j < ws.length; j++) {
      const w = ws[j]!;
      tmp[w] = tmp[w]! ^ gxs[j]!;
      tmp[W + w] = tmp[W + w]! ^ gzs[j]!;
    }
    return this.hashAt(tmp, 0);
  }

  applyClifford(g: CompiledClifford): void {
    const { map, q0, q1 } = g;
    const { keys, coeffs, stride, W, moved, movedHash } = this;
    const w0 = q0 >>> 5, b0 = q0 & 31;
    const w1 = q1 < 0 ? 0 : q1 >>> 5, b1 = q1 & 31;
    let nMoved = 0;
    for (let e = 0; e < this.size; e++) {
      const eo = e * stride;
      let code = ((keys[eo + w0]! >>> b0) & 1) | (((keys[eo + W + w0]! >>> b0) & 1) << 1);
      if (q1 >= 0) code |= (((keys[eo + w1]! >>> b1) & 1) << 2) | (((keys[eo + W + w1]! >>> b1) & 1) << 3);
      if (code === 0) continue;
      const out = map[code]!;
      if (out & SIGN_BIT) coeffs[e] = -coeffs[e]!;
      const nc = out & 15;
      if (nc === code) continue;
      moved[nMoved] = e;
      movedHash[nMoved++] = this.hashAt(keys, eo);
      setBit(keys, eo + w0, b0, nc & 1);
      setBit(keys, eo + W + w0, b0, (nc >>> 1) & 1);
      if (q1 >= 0) {
        setBit(keys, eo + w1, b1, (nc >>> 2) & 1);
        setBit(keys, eo + W + w1, b1, (nc >>> 3) & 1);
      }
    }
    this.reindexMoved(nMoved);
    if (this.tr.maxWeight !== Infinity) {
      for (let i = 0; i < nMoved; i++) {
        const e = moved[i]!;
        if (weight(keys, e * stride, W) > this.tr.maxWeight) this.markDropped(e);
      }
      this.flushDeletions();
    }
  }

  private reindexMoved(n: number): void {
    if (n === 0) return;
    if (n * 3 > this.size) {
      this.rebuildIndex();
      return;
    }
    const { idx, keys, stride, shift, mask, moved, movedHash } = this;
    for (let i = 0; i < n; i++) {
      const e = moved[i]!;
      let s = movedHash[i]! >>> shift;
      while (idx[2 * s] !== e) s = (s + 1) & mask;
      removeSlot(this.idx, this.shift, this.mask, s);
    }
    for (let i = 0; i < n; i++) {
      const e = moved[i]!;
      const h = this.hashAt(keys, e * stride);
      let s = h >>> shift;
      while (idx[2 * s]! >= 0) s = (s + 1) & mask;
      idx[2 * s] = e;
      idx[2 * s + 1] = h;
    }
  }

  truncateAll(): void {
    const { minAbs, maxWeight, maxSins, maxFreq } = this.tr;
    const { keys, coeffs, freq, sins, stride, W } = this;
    for (let e = 0; e < this.size; e++) {
      if (
        Math.abs(coeffs[e]!) < minAbs ||
        weight(keys, e * stride, W) > maxWeight ||
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
    this.droppedWeight += Math.abs(this.coeffs[e]!);
    this.droppedTerms++;
  }

  private flushDeletions(): void {
    const n = this.delCount;
    if (n === 0) return;
    const del = this.del.subarray(0, n).sort();
    const { idx, keys, coeffs, stride, shift, mask, freq, sins } = this;
    for (let i = n - 1; i >= 0; i--) {
      const e = del[i]!;
      let s = this.hashAt(keys, e * stride) >>> shift;
      while (idx[2 * s] !== e) s = (s + 1) & mask;
      removeSlot(this.idx, this.shift, this.mask, s);
      const last = this.size - 1;
      if (e !== last) {
        let t = this.hashAt(keys, last * stride) >>> shift;
        while (idx[2 * t] !== last) t = (t + 1) & mask;
        idx[2 * t] = e;
        keys.copyWithin(e * stride, last * stride, last * stride + stride);
        coeffs[e] = coeffs[last]!;
        if (freq) freq[e] = freq[last]!;
        if (sins) sins[e] = sins[last]!;
      }
      this.size = last;
    }
    this.delCount = 0;
  }

  overlap(state: InitialState): number {
    const { keys, coeffs, stride, W } = this;
    const bits = state.kind === 'basis' ? packBasisBits(state.bits, W) : packBasisBits([], W);
    let v = 0;
    for (let e = 0; e < this.size; e++) {
      const o =
        state.kind === 'plus' ? plusExpectation(keys, e * stride, W) : basisExpectation(keys, e * stride, W, bits);
      if (o !== 0) v += o * coeffs[e]!;
    }
    return v;
  }

  toPauliSum(): PauliSum {
    const sum = new PauliSum(this.numQubits, Math.max(16, this.size));
    for (let e = 0; e < this.size; e++) sum.add(this.keys, e * this.stride, this.coeffs[e]!);
    return sum;
  }
}

/** Entries per window of applyRotation (see Engine32). */
const WIDE_WINDOW = 1024;

/** Bytes per entry of capacity: key, coefficient, index (2 slots), flags, deletion list, scratch. */
export function wideBytesPerTerm(W: number): number {
  return 8 * W + 8 + 16 + 1 + 4 + 8;
}



function setBit(a: Uint32Array, i: number, bit: number, v: number): void {
  a[i] = v ? a[i]! | (1 << bit) : a[i]! & ~(1 << bit);
}
