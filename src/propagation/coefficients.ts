import type { CoefficientKind, CoreRotation } from './core.js';
import type { PauliStore } from './store.js';

/**
 * Real coefficients: the kind of numeric propagation. The rotation rule in the reference
 * package's expression order (c·cos + (c'·sin)·sign, sign = −s for the branch into Q), so values
 * agree with it to rounding; channels multiply by their factors (amplitude damping's identity
 * branch adds g·c to the string without the Z); value truncation |c| < minAbs; droppedWeight sums
 * |c| over everything truncated (an upper bound on what truncation cost: what follows a drop in
 * Heisenberg order — unitaries and channels — is unital and completely positive, so it never
 * increases an operator's norm, and |⟨ψ|P|ψ⟩| ≤ 1).
 */
export class NumberCoefficients implements CoefficientKind {
  /** Coefficients live in the store's value slots (PauliStore.values): no bytes of their own. */
  readonly bytesPerEntry = 0;
  /** Entry e's coefficient is c[e·vs + vo]. */
  c: Float64Array = new Float64Array(0);
  vs = 1;
  vo = 0;
  droppedWeight = 0;
  private pending = 0;

  constructor(readonly minAbs: number, private readonly store: PauliStore) {}

  resize(): void {
    this.c = this.store.values;
    this.vs = this.store.vStride;
    this.vo = this.store.vOff;
  }

  /** Coefficient of entry e. */
  get(e: number): number {
    return this.c[e * this.vs + this.vo]!;
  }
  set(e: number, v: number): void {
    this.c[e * this.vs + this.vo] = v;
  }

  pair(e: number, p: number, g: CoreRotation, sign: number): number {
    const c = this.c, vs = this.vs, vo = this.vo;
    const ie = e * vs + vo, ip = p * vs + vo;
    const ce = c[ie]!, cp = c[ip]!;
    const cos = g.cos, sin = g.sin;
    const ne = ce * cos + cp * sin * -sign;
    const np = cp * cos + ce * sin * sign;
    c[ie] = ne;
    c[ip] = np;
    const m = this.minAbs;
    return (Math.abs(ne) < m ? 1 : 0) | (Math.abs(np) < m ? 2 : 0);
  }

  split(e: number, g: CoreRotation, sign: number): number {
    const c = this.c;
    const ie = e * this.vs + this.vo;
    const ce = c[ie]!;
    const ne = ce * g.cos;
    c[ie] = ne;
    const v = ce * g.sin * sign;
    this.pending = v;
    const m = this.minAbs;
    return (Math.abs(ne) < m ? 1 : 0) | (Math.abs(v) < m ? 2 : 0);
  }

  placeSplit(ne: number): void {
    this.c[ne * this.vs + this.vo] = this.pending;
  }

  discardSplit(): void {
    this.droppedWeight += Math.abs(this.pending);
  }

  negate(e: number): void {
    const i = e * this.vs + this.vo;
    this.c[i] = -this.c[i]!;
  }

  scale(e: number, f: number): number {
    const i = e * this.vs + this.vo;
    const v = this.c[i]! * f;
    this.c[i] = v;
    return Math.abs(v) < this.minAbs ? 1 : 0;
  }

  addScaled(t: number, e: number, f: number): number {
    const c = this.c, vs = this.vs, vo = this.vo;
    const it = t * vs + vo;
    const v = c[it]! + c[e * vs + vo]! * f;
    c[it] = v;
    return Math.abs(v) < this.minAbs ? 1 : 0;
  }

  scaledSplit(e: number, f: number): number {
    const v = this.c[e * this.vs + this.vo]! * f;
    this.pending = v;
    return Math.abs(v) < this.minAbs ? 2 : 0;
  }

  dropped(e: number): void {
    this.droppedWeight += Math.abs(this.get(e));
  }

  /** The store moves value slots with their entries. */
  removed(): void {}

  failsValue(e: number): boolean {
    return Math.abs(this.get(e)) < this.minAbs;
  }
}
