import { allocateArray } from '../memory/limit.js';
import type { CoefficientKind, CoreRotation } from './core.js';

/**
 * Real coefficients: the kind of numeric propagation. The rotation rule in the reference
 * package's expression order (c·cos + (c'·sin)·sign, sign = −s for the branch into Q), so values
 * agree with it to rounding; value truncation |c| < minAbs; droppedWeight sums |c| over everything
 * truncated (an upper bound on what truncation cost).
 */
export class NumberCoefficients implements CoefficientKind {
  readonly bytesPerEntry = 8;
  c: Float64Array = new Float64Array(0);
  droppedWeight = 0;
  private pending = 0;

  constructor(readonly minAbs: number) {}

  resize(cap: number, size: number): void {
    const c = allocateArray(Float64Array, cap, 'term coefficients');
    c.set(this.c.subarray(0, size));
    this.c = c;
  }

  pair(e: number, p: number, g: CoreRotation, sign: number): number {
    const c = this.c;
    const ce = c[e]!, cp = c[p]!;
    const cos = g.cos, sin = g.sin;
    const ne = ce * cos + cp * sin * -sign;
    const np = cp * cos + ce * sin * sign;
    c[e] = ne;
    c[p] = np;
    const m = this.minAbs;
    return (Math.abs(ne) < m ? 1 : 0) | (Math.abs(np) < m ? 2 : 0);
  }

  split(e: number, g: CoreRotation, sign: number): number {
    const c = this.c;
    const ce = c[e]!;
    const ne = ce * g.cos;
    c[e] = ne;
    const v = ce * g.sin * sign;
    this.pending = v;
    const m = this.minAbs;
    return (Math.abs(ne) < m ? 1 : 0) | (Math.abs(v) < m ? 2 : 0);
  }

  placeSplit(ne: number): void {
    this.c[ne] = this.pending;
  }

  discardSplit(): void {
    this.droppedWeight += Math.abs(this.pending);
  }

  negate(e: number): void {
    this.c[e] = -this.c[e]!;
  }

  dropped(e: number): void {
    this.droppedWeight += Math.abs(this.c[e]!);
  }

  removed(e: number, moved: number): void {
    if (moved >= 0) this.c[e] = this.c[moved]!;
  }

  failsValue(e: number): boolean {
    return Math.abs(this.c[e]!) < this.minAbs;
  }
}
