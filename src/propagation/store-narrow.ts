import { allocateArray } from '../memory/limit.js';
import { SIGN_BIT } from '../pauli/clifford-tables.js';
import { hash1, hashIndexFor, placeEntry, removeSlot, slotOfEntry, type HashIndex } from '../pauli/hash-index.js';
import { phaseCount, iGQSign, popcount32 } from '../pauli/packed.js';
import type { CoreChannel, CoreClifford, CoreRotation, CoreString } from './core.js';
import type { PauliStore } from './store.js';
import { scanProbePlanes } from './plane-scan.js';

/**
 * Term store for registers of at most 32 qubits (see store.ts).
 *  - Records: entry e is [x, z, value] (16 bytes) so that one cache line serves the hash lookup
 *    and the coefficient update that follows (the numeric kind keeps its coefficient there).
 *  - Bit planes: for every qubit q, one bit per entry for "x_q set" and one for "z_q set"
 *    (64 planes of ⌈cap/32⌉ words). The strings anticommuting with a generator are the XOR of a
 *    few planes, so finding them costs one word operation per 32 entries instead of a pass over
 *    every key — the scan is most of the work of a gate that touches few strings.
 *  - Index: the shared hash index on hash1(x, z).
 */
export const NARROW_BYTES_PER_ENTRY = 16 + 8 + 16 + 4;

export class NarrowStore implements PauliStore {
  readonly W = 1;
  readonly bytesPerEntry = NARROW_BYTES_PER_ENTRY;
  size = 0;
  capacity = 0;
  /** Records [x, z, value (2 words)]: entry e's key at K[4e], K[4e+1], its value at values[2e+1]. */
  private K!: Uint32Array;
  values!: Float64Array;
  readonly vStride = 2;
  readonly vOff = 1;
  /** Plane p (x planes 0–31, z planes 32–63) occupies words [p·WP, (p+1)·WP). */
  private planes!: Int32Array;
  private WP = 0;
  private ix!: HashIndex;
  private done!: Int32Array;
  private moved!: Int32Array;
  private px = 0;
  private pz = 0;
  /** Plane ids of the generator whose anticommutation planes are cached in planeIds. */
  private lastGen: CoreRotation | null = null;
  private planeIds = new Int32Array(64);
  private nPlanes = 0;
  private signTable = new Int8Array(16);
  private useTable = false;
  private q0 = 0;
  private q1 = 0;
  private m1 = 0;

  constructor(readonly numQubits: number, initialCapacity: number) {
    this.resize(Math.max(1, initialCapacity));
  }

  resize(cap: number): void {
    const n = this.size;
    const what = `term store of ${cap} entries`;
    const values = allocateArray(Float64Array, 2 * cap, what);
    const K = new Uint32Array(values.buffer);
    const WP = (cap + 31) >>> 5;
    const planes = allocateArray(Int32Array, 64 * WP, what);
    const done = allocateArray(Int32Array, WP, what);
    const moved = allocateArray(Int32Array, cap, what);
    const ix = hashIndexFor(cap, `term index of ${cap} entries`);
    if (this.capacity > 0) {
      K.set(this.K.subarray(0, 4 * n));
      const used = (n + 31) >>> 5;
      for (let p = 0; p < 64; p++) planes.set(this.planes.subarray(p * this.WP, p * this.WP + used), p * WP);
      done.set(this.done.subarray(0, used));
    }
    this.K = K;
    this.values = values;
    this.planes = planes;
    this.WP = WP;
    this.done = done;
    this.moved = moved;
    this.ix = ix;
    this.capacity = cap;
    for (let e = 0; e < n; e++) placeEntry(ix, e, hash1(K[4 * e]!, K[4 * e + 1]!));
  }

  /** Sets (on) or clears entry e's bit in the planes of the letters of (x, z). */
  private mark(e: number, x: number, z: number, on: boolean): void {
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

  find(a: Uint32Array, ao: number): number {
    const x = a[ao]!, z = a[ao + 1]!;
    const h = hash1(x, z);
    const { slots, mask } = this.ix;
    const K = this.K;
    let s = h >>> this.ix.shift;
    for (;;) {
      const e = slots[2 * s]!;
      if (e < 0) return -1;
      if (slots[2 * s + 1] === h && K[4 * e] === x && K[4 * e + 1] === z) return e;
      s = (s + 1) & mask;
    }
  }

  append(a: Uint32Array, ao: number): number {
    const x = a[ao]!, z = a[ao + 1]!;
    const e = this.size++;
    this.K[4 * e] = x;
    this.K[4 * e + 1] = z;
    placeEntry(this.ix, e, hash1(x, z));
    this.mark(e, x, z, true);
    return e;
  }

  get keyArray(): Uint32Array {
    return this.K;
  }
  keyOffset(e: number): number {
    return 4 * e;
  }

  read(e: number, out: Uint32Array, oo: number): void {
    out[oo] = this.K[4 * e]!;
    out[oo + 1] = this.K[4 * e + 1]!;
  }

  weight(e: number): number {
    return popcount32((this.K[4 * e]! | this.K[4 * e + 1]!) >>> 0);
  }

  /** Caches, per generator, the planes whose XOR marks anticommuting strings and a sign table. */
  private prepare(g: CoreRotation): void {
    if (this.lastGen === g) return;
    this.lastGen = g;
    const gx = g.gx[0]!, gz = g.gz[0]!;
    let n = 0;
    for (let q = 0; q < 32; q++) {
      if ((gz >>> q) & 1) this.planeIds[n++] = q;
      if ((gx >>> q) & 1) this.planeIds[n++] = 32 + q;
    }
    this.nPlanes = n;
    const sup = (gx | gz) >>> 0;
    const q0 = 31 - Math.clz32(sup);
    const rest = (sup & ~(1 << q0)) >>> 0;
    this.q0 = q0;
    this.q1 = rest === 0 ? 0 : 31 - Math.clz32(rest);
    this.m1 = rest === 0 ? 0 : -1;
    // Supports of one or two qubits: the sign of iGQ from a table over their letters.
    this.useTable = popcount32(sup) <= 2;
    if (this.useTable) {
      const gX = gx & ~gz, gY = gx & gz, gZ = ~gx & gz;
      for (let code = 0; code < 16; code++) {
        const x = ((code & 1) << q0) | (this.m1 ? ((code >>> 2) & 1) << this.q1 : 0);
        const z = (((code >>> 1) & 1) << q0) | (this.m1 ? ((code >>> 3) & 1) << this.q1 : 0);
        this.signTable[code] = iGQSign(phaseCount(gX, gY, gZ, x, z));
      }
    }
  }

  collect(g: CoreRotation, from: number, to: number, out: Int32Array): number {
    this.prepare(g);
    const { planes, WP, done, planeIds, nPlanes } = this;
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
    this.prepare(g);
    const K = this.K;
    const gx = g.gx[0]!, gz = g.gz[0]!;
    let m = 0;
    for (let i = from; i < to; i++) {
      const e = list[i]!;
      let par = (K[4 * e]! & gz) ^ (K[4 * e + 1]! & gx);
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

  readonly prefetch = true;

  partnerHash(e: number, g: CoreString): number {
    return hash1(this.K[4 * e]! ^ g.gx[0]!, this.K[4 * e + 1]! ^ g.gz[0]!);
  }

  locateBuilt(): number {
    throw new Error('NarrowStore always prefetches');
  }

  touch(h: number): number {
    const ent = this.ix.slots[2 * (h >>> this.ix.shift)]!;
    return this.K[4 * (ent & ~(ent >> 31))]!;
  }

  locatePartner(e: number, g: CoreString, h: number): number {
    const K = this.K;
    const x = K[4 * e]!, z = K[4 * e + 1]!;
    const gx = g.gx[0]!, gz = g.gz[0]!;
    const px = (x ^ gx) >>> 0, pz = (z ^ gz) >>> 0;
    this.px = px;
    this.pz = pz;
    const { slots, mask } = this.ix;
    let s = h >>> this.ix.shift;
    for (;;) {
      const ent = slots[2 * s]!;
      if (ent < 0) return -(s + 1);
      if (slots[2 * s + 1] === h && K[4 * ent] === px && K[4 * ent + 1] === pz) return ent;
      s = (s + 1) & mask;
    }
  }

  partnerSign(e: number, g: CoreRotation): number {
    const x = this.K[4 * e]!, z = this.K[4 * e + 1]!;
    if (this.useTable) {
      const q0 = this.q0, q1 = this.q1, m1 = this.m1;
      return this.signTable[((x >>> q0) & 1) | (((z >>> q0) & 1) << 1) | (((x >>> q1) & m1 & 1) << 2) | (((z >>> q1) & m1 & 1) << 3)]!;
    }
    const gx = g.gx[0]!, gz = g.gz[0]!;
    return iGQSign(phaseCount(gx & ~gz, gx & gz, ~gx & gz, x, z));
  }

  productSign(e: number, d: CoreString): number {
    const dx = d.gx[0] ?? 0, dz = d.gz[0] ?? 0;
    return (phaseCount(dx & ~dz, dx & dz, ~dx & dz, this.K[4 * e]!, this.K[4 * e + 1]!) & 3) === 0 ? 1 : -1;
  }

  /** Plane offsets of a channel's probes: probe k's planes are chPlanes[chStart[k] … chStart[k+1]). */
  private readonly chPlanes = new Int32Array(4 * 64);
  private readonly chStart = new Int32Array(5);

  collectChannel(ch: CoreChannel, out: Int32Array, codes: Uint8Array): number {
    const { planes, WP, chPlanes, chStart } = this;
    const np = ch.probes.length;
    let n = 0;
    for (let k = 0; k < np; k++) {
      chStart[k] = n;
      const p = ch.probes[k]!;
      const gx = p.gx[0] ?? 0, gz = p.gz[0] ?? 0;
      // Anticommutation with the probe: parity of x·gz + z·gx, i.e. the XOR of these planes.
      for (let q = 0; q < 32; q++) {
        if ((gz >>> q) & 1) chPlanes[n++] = q * WP;
        if ((gx >>> q) & 1) chPlanes[n++] = (32 + q) * WP;
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
    const ne = this.size++;
    const slots = this.ix.slots;
    slots[2 * slot] = ne;
    slots[2 * slot + 1] = h;
    const px = this.px, pz = this.pz;
    this.K[4 * ne] = px;
    this.K[4 * ne + 1] = pz;
    const { planes, WP } = this;
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
    return ne;
  }

  replaceWithPartner(e: number, g: CoreRotation, h: number): void {
    const K = this.K;
    removeSlot(this.ix, slotOfEntry(this.ix, e, hash1(K[4 * e]!, K[4 * e + 1]!)));
    K[4 * e] = this.px;
    K[4 * e + 1] = this.pz;
    // Only the generator's letters change: flip their plane bits.
    const { planes, WP } = this;
    const w = e >>> 5, bit = 1 << (e & 31);
    for (let v = g.gx[0]!; v !== 0; ) {
      const t = v & -v;
      planes[(31 - Math.clz32(t)) * WP + w]! ^= bit;
      v ^= t;
    }
    for (let v = g.gz[0]!; v !== 0; ) {
      const t = v & -v;
      planes[(63 - Math.clz32(t)) * WP + w]! ^= bit;
      v ^= t;
    }
    placeEntry(this.ix, e, h);
  }

  partnerWeight(): number {
    return popcount32((this.px | this.pz) >>> 0);
  }

  readPartner(out: Uint32Array, oo: number): void {
    out[oo] = this.px;
    out[oo + 1] = this.pz;
  }

  private nMoved = 0;
  changed(): Int32Array {
    return this.moved.subarray(0, this.nMoved);
  }

  applyClifford(g: CoreClifford, negate: (e: number) => void): number {
    const { map, q0, q1 } = g;
    const { K, planes, WP, moved } = this;
    const two = q1 >= 0;
    const b1 = two ? q1 : q0;
    const m = ((1 << q0) | (1 << b1)) >>> 0;
    const { slots, mask, shift } = this.ix;
    let nMoved = 0;
    const size = this.size;
    // Entries with a non-identity letter on the gate's qubits, from the planes. Changed strings
    // leave the index first (by their old hash) and re-enter after the sweep.
    for (let w = 0, wEnd = (size + 31) >>> 5; w < wEnd; w++) {
      let bits = planes[q0 * WP + w]! | planes[(32 + q0) * WP + w]! | planes[b1 * WP + w]! | planes[(32 + b1) * WP + w]!;
      while (bits !== 0) {
        const t = bits & -bits;
        bits ^= t;
        const e = (w << 5) + 31 - Math.clz32(t);
        const x = K[4 * e]!, z = K[4 * e + 1]!;
        const code = two
          ? ((x >>> q0) & 1) | (((z >>> q0) & 1) << 1) | (((x >>> q1) & 1) << 2) | (((z >>> q1) & 1) << 3)
          : ((x >>> q0) & 1) | (((z >>> q0) & 1) << 1);
        const out = map[code]!;
        if (out & SIGN_BIT) negate(e);
        const nc = out & 15;
        if (nc === code) continue;
        moved[nMoved++] = e;
        const h = hash1(x, z);
        let s = h >>> shift;
        while (slots[2 * s] !== e) s = (s + 1) & mask;
        removeSlot(this.ix, s);
        const nx = two ? (x & ~m) | ((nc & 1) << q0) | (((nc >>> 2) & 1) << q1) : (x & ~m) | ((nc & 1) << q0);
        const nz = two ? (z & ~m) | (((nc >>> 1) & 1) << q0) | (((nc >>> 3) & 1) << q1) : (z & ~m) | (((nc >>> 1) & 1) << q0);
        K[4 * e] = nx;
        K[4 * e + 1] = nz;
        this.mark(e, x & m, z & m, false);
        this.mark(e, nx & m, nz & m, true);
      }
    }
    for (let i = 0; i < nMoved; i++) {
      const e = moved[i]!;
      placeEntry(this.ix, e, hash1(K[4 * e]!, K[4 * e + 1]!));
    }
    this.nMoved = nMoved;
    return nMoved;
  }

  removeMany(dead: Uint8Array, moved: (from: number, to: number) => void): void {
    const K = this.K;
    const n = this.size;
    let j = 0;
    for (let i = 0; i < n; i++) {
      if (dead[i] !== 0) continue;
      if (i !== j) {
        K.copyWithin(4 * j, 4 * i, 4 * i + 4);
        moved(i, j);
      }
      j++;
    }
    this.size = j;
    this.planes.fill(0);
    this.ix.slots.fill(-1);
    for (let e = 0; e < j; e++) {
      const x = K[4 * e]!, z = K[4 * e + 1]!;
      placeEntry(this.ix, e, hash1(x, z));
      this.mark(e, x, z, true);
    }
  }

  removeSwap(e: number): number {
    const K = this.K;
    const ex = K[4 * e]!, ez = K[4 * e + 1]!;
    removeSlot(this.ix, slotOfEntry(this.ix, e, hash1(ex, ez)));
    this.mark(e, ex, ez, false);
    const last = --this.size;
    if (e === last) return -1;
    const lx = K[4 * last]!, lz = K[4 * last + 1]!;
    this.ix.slots[2 * slotOfEntry(this.ix, last, hash1(lx, lz))] = e;
    K[4 * e] = lx;
    K[4 * e + 1] = lz;
    K[4 * e + 2] = K[4 * last + 2]!;
    K[4 * e + 3] = K[4 * last + 3]!;
    this.mark(last, lx, lz, false);
    this.mark(e, lx, lz, true);
    return last;
  }

  xZero(e: number): boolean {
    return this.K[4 * e] === 0;
  }
  zZero(e: number): boolean {
    return this.K[4 * e + 1] === 0;
  }
  zParity(e: number, bits: Uint32Array): number {
    return popcount32((this.K[4 * e + 1]! & bits[0]!) >>> 0) & 1;
  }
}
