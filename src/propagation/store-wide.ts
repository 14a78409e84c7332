import { allocateArray } from '../memory/limit.js';
import { SIGN_BIT } from '../pauli/clifford-tables.js';
import { hashIndexFor, hashKey, placeEntry, removeSlot, slotOfEntry, type HashIndex } from '../pauli/hash-index.js';
import { phaseCount, iGQSign, popcount32, wordsFor } from '../pauli/packed.js';
import type { CoreChannel, CoreClifford, CoreRotation, CoreString } from './core.js';
import type { PauliStore } from './store.js';
import { scanProbePlanes } from './plane-scan.js';

/** Bytes per entry of capacity: key and value slot, index (2 slots of 8 bytes), bit planes (64W bits), Clifford list. */
export function wideBytesPerEntry(W: number): number {
  return 8 * W + 8 + 16 + 8 * W + 4;
}

/**
 * Term store for any register width (see store.ts): entry e's record is the 2W words of its
 * string in the layout of pauli/packed.ts (X plane then Z plane) followed by an 8-byte value slot,
 * at keys[e·(2W+2) …) in one flat typed array — 64 qubits are 24 bytes, 128 qubits 40 bytes, no
 * per-term allocation — so a lookup and the coefficient update that follows share cache lines.
 * Per-qubit bit planes (as in NarrowStore) make the scan for anticommuting strings and for the
 * strings a Clifford gate touches cost a few word operations per 32 entries. Rotations read and write
 * only the words their generator touches; the partner string is built in a scratch of 2W words.
 */
export class WideStore implements PauliStore {
  readonly W: number;
  /** Key words per string (2W). */
  readonly stride: number;
  /** Words per record: the key and an 8-byte value slot. */
  readonly rs: number;
  values!: Float64Array;
  readonly vStride: number;
  readonly vOff: number;
  readonly bytesPerEntry: number;
  size = 0;
  capacity = 0;
  private keys!: Uint32Array;
  private ix!: HashIndex;
  /** Bit planes as in NarrowStore: plane q (x bit of qubit q) and 32W + q (z bit), ⌈cap/32⌉ words each. */
  private planes!: Int32Array;
  private WP = 0;
  private done!: Int32Array;
  private lastGen: CoreRotation | null = null;
  private planeIds: Int32Array;
  private nPlanes = 0;
  private moved!: Int32Array;
  private nMoved = 0;
  private readonly tmp: Uint32Array;

  constructor(readonly numQubits: number, initialCapacity: number) {
    this.W = wordsFor(numQubits);
    this.stride = 2 * this.W;
    this.rs = this.stride + 2;
    this.vStride = this.rs / 2;
    this.vOff = this.W;
    this.bytesPerEntry = wideBytesPerEntry(this.W);
    this.tmp = new Uint32Array(this.stride);
    this.planeIds = new Int32Array(64 * this.W);
    this.resize(Math.max(1, initialCapacity));
  }

  resize(cap: number): void {
    const { stride, rs, size } = this;
    const what = `term store of ${cap} entries`;
    const values = allocateArray(Float64Array, (cap * rs) / 2, what);
    const keys = new Uint32Array(values.buffer);
    const WP = (cap + 31) >>> 5;
    const nPl = 64 * this.W;
    const planes = allocateArray(Int32Array, nPl * WP, what);
    const done = allocateArray(Int32Array, WP, what);
    const moved = allocateArray(Int32Array, cap, what);
    const ix = hashIndexFor(cap, `term index of ${cap} entries`);
    if (this.capacity > 0) {
      keys.set(this.keys.subarray(0, size * rs));
      const used = (size + 31) >>> 5;
      for (let p = 0; p < nPl; p++) planes.set(this.planes.subarray(p * this.WP, p * this.WP + used), p * WP);
      done.set(this.done.subarray(0, used));
    }
    this.keys = keys;
    this.values = values;
    this.planes = planes;
    this.WP = WP;
    this.done = done;
    this.moved = moved;
    this.ix = ix;
    this.capacity = cap;
    for (let e = 0; e < size; e++) placeEntry(ix, e, hashKey(keys, e * rs, stride));
  }

  find(a: Uint32Array, ao: number): number {
    const { keys, stride } = this;
    const h = hashKey(a, ao, stride);
    const { slots, mask } = this.ix;
    let s = h >>> this.ix.shift;
    for (;;) {
      const e = slots[2 * s]!;
      if (e < 0) return -1;
      if (slots[2 * s + 1] === h) {
        const eo = e * this.rs;
        let k = 0;
        while (k < stride && keys[eo + k] === a[ao + k]) k++;
        if (k === stride) return e;
      }
      s = (s + 1) & mask;
    }
  }

  append(a: Uint32Array, ao: number): number {
    const { keys, stride } = this;
    const e = this.size++;
    for (let k = 0; k < stride; k++) keys[e * this.rs + k] = a[ao + k]!;
    placeEntry(this.ix, e, hashKey(keys, e * this.rs, stride));
    this.mark(e, e * this.rs, true);
    return e;
  }

  get keyArray(): Uint32Array {
    return this.keys;
  }
  keyOffset(e: number): number {
    return e * this.rs;
  }

  read(e: number, out: Uint32Array, oo: number): void {
    const { keys, stride } = this;
    for (let k = 0; k < stride; k++) out[oo + k] = keys[e * this.rs + k]!;
  }

  weight(e: number): number {
    const { keys, W } = this;
    const eo = e * this.rs;
    let w = 0;
    for (let k = 0; k < W; k++) w += popcount32((keys[eo + k]! | keys[eo + W + k]!) >>> 0);
    return w;
  }

  /** Sets (on) or clears entry e's bits in the planes of the string at keys[ko …). */
  private mark(e: number, ko: number, on: boolean): void {
    const { planes, WP, keys, W } = this;
    const w = e >>> 5, bit = 1 << (e & 31);
    for (let k = 0; k < 2 * W; k++) {
      const base = k < W ? 32 * k : 32 * W + 32 * (k - W);
      for (let v = keys[ko + k]!; v !== 0; ) {
        const t = v & -v;
        const i = (base + 31 - Math.clz32(t)) * WP + w;
        planes[i] = on ? planes[i]! | bit : planes[i]! & ~bit;
        v ^= t;
      }
    }
  }

  /** Planes whose XOR marks the strings anticommuting with g (cached per generator). */
  private prepare(g: CoreRotation): void {
    if (this.lastGen === g) return;
    this.lastGen = g;
    const W = this.W;
    let n = 0;
    for (let j = 0; j < g.words.length; j++) {
      const w = g.words[j]!, gx = g.gx[j]!, gz = g.gz[j]!;
      for (let b = 0; b < 32; b++) {
        if ((gz >>> b) & 1) this.planeIds[n++] = 32 * w + b;
        if ((gx >>> b) & 1) this.planeIds[n++] = 32 * W + 32 * w + b;
      }
    }
    this.nPlanes = n;
  }

  collect(g: CoreRotation, from: number, to: number, out: Int32Array): number {
    this.prepare(g);
    const { planes, WP, done, planeIds, nPlanes } = this;
    if (nPlanes === 0) return 0;
    const p0 = planeIds[0]! * WP, p1 = nPlanes > 1 ? planeIds[1]! * WP : 0;
    let m = 0;
    for (let w = from >>> 5, wEnd = (to + 31) >>> 5; w < wEnd; w++) {
      let bits: number;
      if (nPlanes === 1) bits = planes[p0 + w]!;
      else if (nPlanes === 2) bits = planes[p0 + w]! ^ planes[p1 + w]!;
      else {
        bits = 0;
        for (let k = 0; k < nPlanes; k++) bits ^= planes[planeIds[k]! * WP + w]!;
      }
      const base = w << 5;
      if (base + 32 > to) bits &= (1 << (to - base)) - 1;
      bits &= ~done[w]!;
      done[w] = 0;
      while (bits !== 0) {
        const t = bits & -bits;
        out[m++] = base + 31 - Math.clz32(t);
        bits ^= t;
      }
    }
    return m;
  }

  collectList(g: CoreRotation, list: Int32Array, from: number, to: number, out: Int32Array): number {
    const { keys, W } = this;
    const ws = g.words, gxs = g.gx, gzs = g.gz, nw = ws.length;
    let m = 0;
    for (let i = from; i < to; i++) {
      const e = list[i]!;
      const eo = e * this.rs;
      let par = 0;
      for (let j = 0; j < nw; j++) {
        const w = ws[j]!;
        par ^= (keys[eo + w]! & gzs[j]!) ^ (keys[eo + W + w]! & gxs[j]!);
      }
      par ^= par >>> 16;
      par ^= par >>> 8;
      par ^= par >>> 4;
      if ((0x6996 >>> (par & 15)) & 1) out[m++] = e;
    }
    return m;
  }

  markDone(p: number): void {
    this.done[p >>> 5] = this.done[p >>> 5]! | (1 << (p & 31));
  }

  /** Partner string of entry e into tmp. */
  private buildPartner(e: number, g: CoreString): void {
    const { keys, stride, W, tmp } = this;
    const eo = e * this.rs;
    for (let j = 0; j < stride; j++) tmp[j] = keys[eo + j]!;
    const ws = g.words, gxs = g.gx, gzs = g.gz;
    for (let j = 0; j < ws.length; j++) {
      const w = ws[j]!;
      tmp[w] = tmp[w]! ^ gxs[j]!;
      tmp[W + w] = tmp[W + w]! ^ gzs[j]!;
    }
  }

  /** Beyond 128 qubits copying the key twice costs more than the overlapped cache misses save. */
  get prefetch(): boolean {
    return this.W <= 4;
  }

  locateBuilt(h: number): number {
    const { keys, stride, tmp } = this;
    const { slots, mask } = this.ix;
    let s = h >>> this.ix.shift;
    for (;;) {
      const ent = slots[2 * s]!;
      if (ent < 0) return -(s + 1);
      if (slots[2 * s + 1] === h) {
        const po = ent * this.rs;
        let i = 0;
        while (i < stride && keys[po + i] === tmp[i]) i++;
        if (i === stride) return ent;
      }
      s = (s + 1) & mask;
    }
  }

  partnerHash(e: number, g: CoreString): number {
    this.buildPartner(e, g);
    return hashKey(this.tmp, 0, this.stride);
  }

  touch(h: number): number {
    const ent = this.ix.slots[2 * (h >>> this.ix.shift)]!;
    return this.keys[this.rs * (ent & ~(ent >> 31))]!;
  }

  locatePartner(e: number, g: CoreString, h: number): number {
    const { keys, stride, W, tmp } = this;
    const eo = e * this.rs;
    for (let j = 0; j < stride; j++) tmp[j] = keys[eo + j]!;
    const ws = g.words, gxs = g.gx, gzs = g.gz;
    for (let j = 0; j < ws.length; j++) {
      const w = ws[j]!;
      tmp[w] = tmp[w]! ^ gxs[j]!;
      tmp[W + w] = tmp[W + w]! ^ gzs[j]!;
    }
    const { slots, mask } = this.ix;
    let s = h >>> this.ix.shift;
    for (;;) {
      const ent = slots[2 * s]!;
      if (ent < 0) return -(s + 1);
      if (slots[2 * s + 1] === h) {
        const po = ent * this.rs;
        let i = 0;
        while (i < stride && keys[po + i] === tmp[i]) i++;
        if (i === stride) return ent;
      }
      s = (s + 1) & mask;
    }
  }

  partnerSign(e: number, g: CoreRotation): number {
    const { keys, W } = this;
    const eo = e * this.rs;
    const ws = g.words, gxs = g.gx, gzs = g.gz;
    let k = 0;
    for (let j = 0; j < ws.length; j++) {
      const w = ws[j]!;
      const gx = gxs[j]!, gz = gzs[j]!;
      k += phaseCount(gx & ~gz, gx & gz, ~gx & gz, keys[eo + w]!, keys[eo + W + w]!);
    }
    return iGQSign(k);
  }

  productSign(e: number, d: CoreString): number {
    const { keys, W } = this;
    const eo = e * this.rs;
    let k = 0;
    for (let j = 0; j < d.words.length; j++) {
      const w = d.words[j]!, dx = d.gx[j]!, dz = d.gz[j]!;
      k += phaseCount(dx & ~dz, dx & dz, ~dx & dz, keys[eo + w]!, keys[eo + W + w]!);
    }
    return (k & 3) === 0 ? 1 : -1;
  }

  /** Plane offsets of a channel's probes: probe k's planes are chPlanes[chStart[k] … chStart[k+1]). */
  private chPlanes = new Int32Array(0);
  private readonly chStart = new Int32Array(5);

  collectChannel(ch: CoreChannel, out: Int32Array, codes: Uint8Array): number {
    const { planes, WP, W, chStart } = this;
    if (this.chPlanes.length < 4 * 64 * W) this.chPlanes = new Int32Array(4 * 64 * W);
    const chPlanes = this.chPlanes;
    const np = ch.probes.length;
    let n = 0;
    for (let k = 0; k < np; k++) {
      chStart[k] = n;
      const p = ch.probes[k]!;
      // Anticommutation with the probe: parity of x·gz + z·gx, i.e. the XOR of these planes.
      for (let j = 0; j < p.words.length; j++) {
        const w = p.words[j]!, gx = p.gx[j]!, gz = p.gz[j]!;
        for (let b = 0; b < 32; b++) {
          if ((gz >>> b) & 1) chPlanes[n++] = (32 * w + b) * WP;
          if ((gx >>> b) & 1) chPlanes[n++] = (32 * W + 32 * w + b) * WP;
        }
      }
    }
    for (let k = np; k <= 4; k++) chStart[k] = n;
    return scanProbePlanes(planes, chPlanes, chStart, this.size, out, codes);
  }

  freeSlot(h: number): number {
    const { slots, mask } = this.ix;
    let s = h >>> this.ix.shift;
    while (slots[2 * s]! >= 0) s = (s + 1) & mask;
    return s;
  }

  insertPartner(slot: number, h: number): number {
    const { keys, stride, tmp } = this;
    const ne = this.size++;
    this.ix.slots[2 * slot] = ne;
    this.ix.slots[2 * slot + 1] = h;
    const no = ne * this.rs;
    for (let j = 0; j < stride; j++) keys[no + j] = tmp[j]!;
    this.mark(ne, no, true);
    return ne;
  }

  replaceWithPartner(e: number, g: CoreRotation, h: number): void {
    const { keys, stride, tmp, planes, WP, W } = this;
    const eo = e * this.rs;
    removeSlot(this.ix, slotOfEntry(this.ix, e, hashKey(keys, eo, stride)));
    for (let j = 0; j < stride; j++) keys[eo + j] = tmp[j]!;
    // Only the generator's letters change: flip their plane bits.
    const w = e >>> 5, bit = 1 << (e & 31);
    for (let j = 0; j < g.words.length; j++) {
      const gw = g.words[j]!;
      for (let v = g.gx[j]!; v !== 0; ) {
        const t = v & -v;
        planes[(32 * gw + 31 - Math.clz32(t)) * WP + w]! ^= bit;
        v ^= t;
      }
      for (let v = g.gz[j]!; v !== 0; ) {
        const t = v & -v;
        planes[(32 * W + 32 * gw + 31 - Math.clz32(t)) * WP + w]! ^= bit;
        v ^= t;
      }
    }
    placeEntry(this.ix, e, h);
  }

  partnerWeight(): number {
    const { tmp, W } = this;
    let wt = 0;
    for (let j = 0; j < W; j++) wt += popcount32((tmp[j]! | tmp[W + j]!) >>> 0);
    return wt;
  }

  readPartner(out: Uint32Array, oo: number): void {
    const { tmp, stride } = this;
    for (let j = 0; j < stride; j++) out[oo + j] = tmp[j]!;
  }

  changed(): Int32Array {
    return this.moved.subarray(0, this.nMoved);
  }

  applyClifford(g: CoreClifford, negate: (e: number) => void): number {
    const { map, q0, q1 } = g;
    const { keys, stride, W, moved, planes, WP } = this;
    const rs = this.rs;
    const w0 = q0 >>> 5, b0 = q0 & 31;
    const two = q1 >= 0;
    const qb = two ? q1 : q0;
    const w1 = qb >>> 5, b1 = qb & 31;
    const zOff = 32 * W;
    let nMoved = 0;
    // Entries with a non-identity letter on the gate's qubits, from the planes.
    for (let w = 0, wEnd = (this.size + 31) >>> 5; w < wEnd; w++) {
      let bits = planes[q0 * WP + w]! | planes[(zOff + q0) * WP + w]! | planes[qb * WP + w]! | planes[(zOff + qb) * WP + w]!;
      while (bits !== 0) {
        const t = bits & -bits;
        bits ^= t;
        const e = (w << 5) + 31 - Math.clz32(t);
        const eo = e * rs;
        let code = ((keys[eo + w0]! >>> b0) & 1) | (((keys[eo + W + w0]! >>> b0) & 1) << 1);
        if (two) code |= (((keys[eo + w1]! >>> b1) & 1) << 2) | (((keys[eo + W + w1]! >>> b1) & 1) << 3);
        const out = map[code]!;
        if (out & SIGN_BIT) negate(e);
        const nc = out & 15;
        if (nc === code) continue;
        moved[nMoved++] = e;
        removeSlot(this.ix, slotOfEntry(this.ix, e, hashKey(keys, eo, stride)));
        this.mark(e, eo, false);
        setBit(keys, eo + w0, b0, nc & 1);
        setBit(keys, eo + W + w0, b0, (nc >>> 1) & 1);
        if (two) {
          setBit(keys, eo + w1, b1, (nc >>> 2) & 1);
          setBit(keys, eo + W + w1, b1, (nc >>> 3) & 1);
        }
        this.mark(e, eo, true);
      }
    }
    for (let i = 0; i < nMoved; i++) {
      const e = moved[i]!;
      placeEntry(this.ix, e, hashKey(keys, e * rs, stride));
    }
    this.nMoved = nMoved;
    return nMoved;
  }

  removeMany(dead: Uint8Array, moved: (from: number, to: number) => void): void {
    const { keys, rs, stride } = this;
    const n = this.size;
    let j = 0;
    for (let i = 0; i < n; i++) {
      if (dead[i] !== 0) continue;
      if (i !== j) {
        keys.copyWithin(j * rs, i * rs, i * rs + rs);
        moved(i, j);
      }
      j++;
    }
    this.size = j;
    this.planes.fill(0);
    this.ix.slots.fill(-1);
    for (let e = 0; e < j; e++) {
      placeEntry(this.ix, e, hashKey(keys, e * rs, stride));
      this.mark(e, e * rs, true);
    }
  }

  removeSwap(e: number): number {
    const { keys, stride, rs } = this;
    removeSlot(this.ix, slotOfEntry(this.ix, e, hashKey(keys, e * rs, stride)));
    this.mark(e, e * rs, false);
    const last = --this.size;
    if (e === last) return -1;
    const lo = last * rs;
    this.ix.slots[2 * slotOfEntry(this.ix, last, hashKey(keys, lo, stride))] = e;
    this.mark(last, lo, false);
    keys.copyWithin(e * rs, lo, lo + rs);
    this.mark(e, e * rs, true);
    return last;
  }

  xZero(e: number): boolean {
    const { keys, W } = this;
    const eo = e * this.rs;
    for (let k = 0; k < W; k++) if (keys[eo + k] !== 0) return false;
    return true;
  }
  zZero(e: number): boolean {
    const { keys, W } = this;
    const eo = e * this.rs + W;
    for (let k = 0; k < W; k++) if (keys[eo + k] !== 0) return false;
    return true;
  }
  zParity(e: number, bits: Uint32Array): number {
    const { keys, W } = this;
    const eo = e * this.rs + W;
    let p = 0;
    for (let k = 0; k < W; k++) p ^= popcount32((keys[eo + k]! & bits[k]!) >>> 0);
    return p & 1;
  }
}

function setBit(a: Uint32Array, i: number, bit: number, v: number): void {
  a[i] = v ? a[i]! | (1 << bit) : a[i]! & ~(1 << bit);
}
