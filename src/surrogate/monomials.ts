import { ResourceLimitError } from '../ir/errors.js';
import { ensureFits } from '../memory/limit.js';

/**
 * Interned monomials δ^α of total degree ≤ maxDegree, each stored as its sorted list of variable
 * indices with multiplicity (δ_0²·δ_3 = [0, 0, 3]), padded with −1 to a fixed stride, in flat
 * typed arrays with an open-addressing index. Id 0 is the constant monomial 1. Ids are dense, so
 * per-monomial values live in plain arrays indexed by id.
 */
export class MonomialTable {
  readonly maxDegree: number;
  readonly stride: number;
  vars: Int32Array;
  degree: Uint8Array;
  size = 0;
  private index: Int32Array;
  private mask: number;
  private capacity: number;
  private readonly maxEntries: number;
  private readonly scratch: Int32Array;

  constructor(maxDegree: number, initialCapacity = 1024, maxEntries = 1 << 28) {
    if (!Number.isInteger(maxDegree) || maxDegree < 0 || maxDegree > 255) {
      throw new RangeError(`monomial degree must be an integer in [0, 255], got ${maxDegree}`);
    }
    this.maxDegree = maxDegree;
    this.stride = Math.max(1, maxDegree);
    this.maxEntries = maxEntries;
    this.capacity = Math.max(16, 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity))));
    this.vars = new Int32Array(this.capacity * this.stride).fill(-1);
    this.degree = new Uint8Array(this.capacity);
    this.index = new Int32Array(this.capacity * 2).fill(-1);
    this.mask = this.index.length - 1;
    this.scratch = new Int32Array(this.stride).fill(-1);
    this.insert(this.scratch, 0);
  }

  private hash(a: Int32Array, ao: number): number {
    let h = 0x811c9dc5;
    for (let k = 0; k < this.stride; k++) {
      h = Math.imul(h ^ a[ao + k]!, 0x01000193);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    return (h ^ (h >>> 13)) >>> 0;
  }

  private same(e: number, a: Int32Array, ao: number): boolean {
    const base = e * this.stride;
    for (let k = 0; k < this.stride; k++) if (this.vars[base + k] !== a[ao + k]) return false;
    return true;
  }

  /** Id of the padded sorted list at (a, ao), or −1. */
  find(a: Int32Array, ao = 0): number {
    let slot = this.hash(a, ao) & this.mask;
    for (;;) {
      const e = this.index[slot]!;
      if (e < 0) return -1;
      if (this.same(e, a, ao)) return e;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Id of the padded sorted list of `deg` variables at (a, ao), inserting it when absent. */
  insert(a: Int32Array, deg: number, ao = 0): number {
    let slot = this.hash(a, ao) & this.mask;
    for (;;) {
      const e = this.index[slot]!;
      if (e < 0) break;
      if (this.same(e, a, ao)) return e;
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.capacity) {
      this.grow();
      return this.insert(a, deg, ao);
    }
    const e = this.size++;
    this.vars.set(a.subarray(ao, ao + this.stride), e * this.stride);
    this.degree[e] = deg;
    this.index[slot] = e;
    return e;
  }

  /** Id of the monomial with the given (unsorted) variables, inserting it when absent. */
  fromVariables(vars: readonly number[]): number {
    if (vars.length > this.maxDegree) throw new RangeError(`degree ${vars.length} exceeds ${this.maxDegree}`);
    const s = this.scratch;
    s.fill(-1);
    const sorted = vars.slice().sort((x, y) => x - y);
    for (let i = 0; i < sorted.length; i++) s[i] = sorted[i]!;
    return this.insert(s, sorted.length);
  }

  variables(id: number): number[] {
    const out: number[] = [];
    const base = id * this.stride;
    for (let k = 0; k < this.degree[id]!; k++) out.push(this.vars[base + k]!);
    return out;
  }

  /** Id of the product, or −1 when its degree exceeds maxDegree. */
  multiply(a: number, b: number): number {
    const da = this.degree[a]!;
    const db = this.degree[b]!;
    if (db === 0) return a;
    if (da === 0) return b;
    const d = da + db;
    if (d > this.maxDegree) return -1;
    const { vars, stride, scratch } = this;
    let i = a * stride;
    let j = b * stride;
    const ie = i + da;
    const je = j + db;
    let k = 0;
    while (i < ie && j < je) scratch[k++] = vars[i]! <= vars[j]! ? vars[i++]! : vars[j++]!;
    while (i < ie) scratch[k++] = vars[i++]!;
    while (j < je) scratch[k++] = vars[j++]!;
    for (; k < stride; k++) scratch[k] = -1;
    return this.insert(scratch, d);
  }

  private grow(): void {
    const cap = this.capacity * 2;
    if (cap > this.maxEntries) throw new ResourceLimitError(`monomial table exceeded its limit of ${this.maxEntries} monomials`);
    // The new arrays exist next to the old ones until the copy is done: check them all at once.
    ensureFits(
      cap * (this.stride * 4 + 1 + 8),
      `the monomial table growing to ${cap} monomials of degree ≤ ${this.maxDegree} (${this.size} so far)`,
      'use a smaller --order (or a smaller region with --eps), or --kind paths',
    );
    const vars = new Int32Array(cap * this.stride).fill(-1);
    vars.set(this.vars);
    this.vars = vars;
    const degree = new Uint8Array(cap);
    degree.set(this.degree);
    this.degree = degree;
    this.capacity = cap;
    this.index = new Int32Array(cap * 2).fill(-1);
    this.mask = this.index.length - 1;
    for (let e = 0; e < this.size; e++) {
      let slot = this.hash(this.vars, e * this.stride) & this.mask;
      while (this.index[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.index[slot] = e;
    }
  }
}
