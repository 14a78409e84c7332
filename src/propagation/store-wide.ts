import { allocateArray } from '../memory/limit.js';
import { SIGN_BIT } from '../pauli/clifford-tables.js';
import { hashIndexFor, hashKey, placeEntry, removeSlot, slotOfEntry, type HashIndex } from '../pauli/hash-index.js';
import { phaseCount, iGQSign, popcount32, wordsFor } from '../pauli/packed.js';
import type { CoreClifford, CoreRotation } from './core.js';
import type { PauliStore } from './store.js';

/** Bytes per entry of capacity: key, index (2 slots of 8 bytes), done flag, Clifford list. */
export function wideBytesPerEntry(W: number): number {
  return 8 * W + 16 + 1 + 4;
}

/**
 * Term store for any register width (see store.ts): entry e's string is the 2W words
 * keys[e·2W …) in the layout of pauli/packed.ts (X plane then Z plane), in one flat typed array —
 * 64 qubits are 16 bytes, 128 qubits 32 bytes, no per-term allocation. Rotations read and write
 * only the words their generator touches; the partner string is built in a scratch of 2W words.
 */
export class WideStore implements PauliStore {
  readonly W: number;
  readonly stride: number;
  readonly bytesPerEntry: number;
  size = 0;
  capacity = 0;
  sign = 1;
  private keys!: Uint32Array;
  private ix!: HashIndex;
  private done!: Uint8Array;
  private moved!: Int32Array;
  private nMoved = 0;
  private readonly tmp: Uint32Array;

  constructor(readonly numQubits: number, initialCapacity: number) {
    this.W = wordsFor(numQubits);
    this.stride = 2 * this.W;
    this.bytesPerEntry = wideBytesPerEntry(this.W);
    this.tmp = new Uint32Array(this.stride);
    this.resize(Math.max(1, initialCapacity));
  }

  resize(cap: number): void {
    const { stride, size } = this;
    const what = `term store of ${cap} entries`;
    const keys = allocateArray(Uint32Array, cap * stride, what);
    const done = allocateArray(Uint8Array, cap, what);
    const moved = allocateArray(Int32Array, cap, what);
    const ix = hashIndexFor(cap, `term index of ${cap} entries`);
    if (this.capacity > 0) {
      keys.set(this.keys.subarray(0, size * stride));
      done.set(this.done.subarray(0, size));
    }
    this.keys = keys;
    this.done = done;
    this.moved = moved;
    this.ix = ix;
    this.capacity = cap;
    for (let e = 0; e < size; e++) placeEntry(ix, e, hashKey(keys, e * stride, stride));
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
        const eo = e * stride;
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
    for (let k = 0; k < stride; k++) keys[e * stride + k] = a[ao + k]!;
    placeEntry(this.ix, e, hashKey(keys, e * stride, stride));
    return e;
  }

  read(e: number, out: Uint32Array, oo: number): void {
    const { keys, stride } = this;
    for (let k = 0; k < stride; k++) out[oo + k] = keys[e * stride + k]!;
  }

  weight(e: number): number {
    const { keys, W } = this;
    const eo = e * this.stride;
    let w = 0;
    for (let k = 0; k < W; k++) w += popcount32((keys[eo + k]! | keys[eo + W + k]!) >>> 0);
    return w;
  }

  collect(g: CoreRotation, from: number, to: number, out: Int32Array): number {
    const { keys, stride, W, done } = this;
    const ws = g.words, gxs = g.gx, gzs = g.gz, nw = ws.length;
    let m = 0;
    if (nw === 1) {
      // The common case: a generator inside one word (one- and two-qubit gates).
      const w = ws[0]!, gx = gxs[0]!, gz = gzs[0]!;
      for (let e = from, eo = from * stride; e < to; e++, eo += stride) {
        let par = (keys[eo + w]! & gz) ^ (keys[eo + W + w]! & gx);
        par ^= par >>> 16;
        par ^= par >>> 8;
        par ^= par >>> 4;
        if (((0x6996 >>> (par & 15)) & 1) === 0) continue;
        if (done[e] !== 0) {
          done[e] = 0;
          continue;
        }
        out[m++] = e;
      }
      return m;
    }
    for (let e = from; e < to; e++) {
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
      out[m++] = e;
    }
    return m;
  }

  collectList(g: CoreRotation, list: Int32Array, from: number, to: number, out: Int32Array): number {
    const { keys, stride, W } = this;
    const ws = g.words, gxs = g.gx, gzs = g.gz, nw = ws.length;
    let m = 0;
    for (let i = from; i < to; i++) {
      const e = list[i]!;
      const eo = e * stride;
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
    this.done[p] = 1;
  }

  /** Partner string of entry e into tmp. */
  private buildPartner(e: number, g: CoreRotation): void {
    const { keys, stride, W, tmp } = this;
    const eo = e * stride;
    for (let j = 0; j < stride; j++) tmp[j] = keys[eo + j]!;
    const ws = g.words, gxs = g.gx, gzs = g.gz;
    for (let j = 0; j < ws.length; j++) {
      const w = ws[j]!;
      tmp[w] = tmp[w]! ^ gxs[j]!;
      tmp[W + w] = tmp[W + w]! ^ gzs[j]!;
    }
  }

  partnerHash(e: number, g: CoreRotation): number {
    this.buildPartner(e, g);
    return hashKey(this.tmp, 0, this.stride);
  }

  touch(h: number): number {
    const ent = this.ix.slots[2 * (h >>> this.ix.shift)]!;
    return this.keys[this.stride * (ent & ~(ent >> 31))]!;
  }

  locatePartner(e: number, g: CoreRotation, h: number): number {
    const { keys, stride, W, tmp } = this;
    const eo = e * stride;
    for (let j = 0; j < stride; j++) tmp[j] = keys[eo + j]!;
    const ws = g.words, gxs = g.gx, gzs = g.gz;
    let k = 0;
    for (let j = 0; j < ws.length; j++) {
      const w = ws[j]!;
      const gx = gxs[j]!, gz = gzs[j]!;
      const x = tmp[w]!, z = tmp[W + w]!;
      k += phaseCount(gx & ~gz, gx & gz, ~gx & gz, x, z);
      tmp[w] = x ^ gx;
      tmp[W + w] = z ^ gz;
    }
    this.sign = iGQSign(k);
    const { slots, mask } = this.ix;
    let s = h >>> this.ix.shift;
    for (;;) {
      const ent = slots[2 * s]!;
      if (ent < 0) return -(s + 1);
      if (slots[2 * s + 1] === h) {
        const po = ent * stride;
        let i = 0;
        while (i < stride && keys[po + i] === tmp[i]) i++;
        if (i === stride) return ent;
      }
      s = (s + 1) & mask;
    }
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
    const no = ne * stride;
    for (let j = 0; j < stride; j++) keys[no + j] = tmp[j]!;
    return ne;
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
    const { keys, stride, W, moved } = this;
    const w0 = q0 >>> 5, b0 = q0 & 31;
    const w1 = q1 < 0 ? 0 : q1 >>> 5, b1 = q1 & 31;
    let nMoved = 0;
    for (let e = 0; e < this.size; e++) {
      const eo = e * stride;
      let code = ((keys[eo + w0]! >>> b0) & 1) | (((keys[eo + W + w0]! >>> b0) & 1) << 1);
      if (q1 >= 0) code |= (((keys[eo + w1]! >>> b1) & 1) << 2) | (((keys[eo + W + w1]! >>> b1) & 1) << 3);
      if (code === 0) continue;
      const out = map[code]!;
      if (out & SIGN_BIT) negate(e);
      const nc = out & 15;
      if (nc === code) continue;
      moved[nMoved++] = e;
      removeSlot(this.ix, slotOfEntry(this.ix, e, hashKey(keys, eo, stride)));
      setBit(keys, eo + w0, b0, nc & 1);
      setBit(keys, eo + W + w0, b0, (nc >>> 1) & 1);
      if (q1 >= 0) {
        setBit(keys, eo + w1, b1, (nc >>> 2) & 1);
        setBit(keys, eo + W + w1, b1, (nc >>> 3) & 1);
      }
    }
    for (let i = 0; i < nMoved; i++) {
      const e = moved[i]!;
      placeEntry(this.ix, e, hashKey(keys, e * stride, stride));
    }
    this.nMoved = nMoved;
    return nMoved;
  }

  removeSwap(e: number): number {
    const { keys, stride } = this;
    removeSlot(this.ix, slotOfEntry(this.ix, e, hashKey(keys, e * stride, stride)));
    const last = --this.size;
    if (e === last) return -1;
    const lo = last * stride;
    this.ix.slots[2 * slotOfEntry(this.ix, last, hashKey(keys, lo, stride))] = e;
    keys.copyWithin(e * stride, lo, lo + stride);
    return last;
  }

  xZero(e: number): boolean {
    const { keys, W } = this;
    const eo = e * this.stride;
    for (let k = 0; k < W; k++) if (keys[eo + k] !== 0) return false;
    return true;
  }
  zZero(e: number): boolean {
    const { keys, W } = this;
    const eo = e * this.stride + W;
    for (let k = 0; k < W; k++) if (keys[eo + k] !== 0) return false;
    return true;
  }
  zParity(e: number, bits: Uint32Array): number {
    const { keys, W } = this;
    const eo = e * this.stride + W;
    let p = 0;
    for (let k = 0; k < W; k++) p ^= popcount32((keys[eo + k]! & bits[k]!) >>> 0);
    return p & 1;
  }
}

function setBit(a: Uint32Array, i: number, bit: number, v: number): void {
  a[i] = v ? a[i]! | (1 << bit) : a[i]! & ~(1 << bit);
}
