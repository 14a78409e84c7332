import { expTail, type Region } from '../bounds/order.js';
import { twoSidedNormalQuantile } from '../bounds/angle-rows.js';
import type { PathDrops } from '../bounds/path-drops.js';
import {
  batchCount, checkPointLength, displacement, regionDisplacement, tightestOf,
  type BoundsByKind, type SurrogateMeta,
} from './meta.js';
import type { Surrogate, SurrogateSize } from './interface.js';
import { metaToJSON } from './meta-json.js';

/** Node kinds of a path DAG. */
export const NODE_LEAF = 0;
export const NODE_COS = 1;
export const NODE_SIN = 2;
export const NODE_SCALE = 3;
export const NODE_SUM = 4;

/**
 * The Pauli-path surrogate: every propagated term's coefficient is a sum of trigonometric path
 * monomials Π_g (1 | cos ℓ_g(δ) | sin ℓ_g(δ)) times numbers, with at most S sin factors from
 * symbolic gates per surviving term (the reference package's max-sins truncation, minimum counter
 * on merge). The sum is kept factored as a DAG, exactly as the propagation built it: a node is
 * a leaf (observable coefficient), its parent times cos ℓ_g or ±sin ℓ_g, a numeric scaling (fixed
 * gates), or the sum of two nodes (a merge). Node ids are topological, so one pass per point
 * evaluates it. The value is Σ over outputs of weight·node.
 */
export class PathSurrogate implements Surrogate {
  readonly kind = 'paths' as const;
  readonly meta: SurrogateMeta;
  readonly maxSins: number;
  /** Π over fixed steps of (|cos r| + |sin r|), the factor of the error bound. */
  readonly fixedGain: number;
  readonly op: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly w: Float64Array;
  readonly outputs: Int32Array;
  readonly outputWeights: Float64Array;
  /** The terms cut for exceeding S sins, for the a-posteriori bound (docs/bounds.md §4). */
  readonly drops: PathDrops | undefined;

  constructor(
    meta: SurrogateMeta, maxSins: number, fixedGain: number, op: Uint8Array, a: Int32Array, b: Int32Array, w: Float64Array,
    outputs: Int32Array, outputWeights: Float64Array, drops?: PathDrops,
  ) {
    this.drops = drops;
    this.meta = meta;
    this.maxSins = maxSins;
    this.fixedGain = fixedGain;
    this.op = op;
    this.a = a;
    this.b = b;
    this.w = w;
    this.outputs = outputs;
    this.outputWeights = outputWeights;
    const n = op.length;
    for (let i = 0; i < n; i++) {
      const k = op[i]!;
      if (k > NODE_SUM) throw new RangeError(`path node ${i}: unknown kind ${k}`);
      if (k !== NODE_LEAF && !(a[i]! >= 0 && a[i]! < i)) throw new RangeError(`path node ${i}: operand out of order`);
      if (k === NODE_SUM && !(b[i]! >= 0 && b[i]! < i)) throw new RangeError(`path node ${i}: operand out of order`);
      if ((k === NODE_COS || k === NODE_SIN) && !(b[i]! >= 0 && b[i]! < meta.forms.rows)) {
        throw new RangeError(`path node ${i}: gate ${b[i]} out of range`);
      }
    }
    for (const o of outputs) if (!(o >= 0 && o < n)) throw new RangeError(`path output ${o} out of range`);
  }

  get truncation(): number {
    return this.maxSins;
  }

  /** cos and sin of every symbolic gate's angle displacement at δ. */
  private trig(delta: Float64Array, cs: Float64Array, sn: Float64Array): void {
    const f = this.meta.forms;
    for (let g = 0; g < f.rows; g++) {
      const x = f.value(g, delta);
      cs[g] = Math.cos(x);
      sn[g] = Math.sin(x);
    }
  }

  private run(cs: Float64Array, sn: Float64Array, vals: Float64Array): number {
    const { op, a, b, w } = this;
    const n = op.length;
    for (let i = 0; i < n; i++) {
      switch (op[i]) {
        case NODE_LEAF: vals[i] = w[i]!; break;
        case NODE_COS: vals[i] = vals[a[i]!]! * cs[b[i]!]!; break;
        case NODE_SIN: vals[i] = w[i]! * vals[a[i]!]! * sn[b[i]!]!; break;
        case NODE_SCALE: vals[i] = w[i]! * vals[a[i]!]!; break;
        default: vals[i] = vals[a[i]!]! + vals[b[i]!]!;
      }
    }
    let acc = 0;
    for (let o = 0; o < this.outputs.length; o++) acc += this.outputWeights[o]! * vals[this.outputs[o]!]!;
    return acc;
  }

  evaluate(points: Float64Array, count?: number): Float64Array {
    const D = this.meta.numParameters;
    const n = batchCount(points, D, count);
    const G = this.meta.forms.rows;
    const out = new Float64Array(n);
    const delta = new Float64Array(D);
    const cs = new Float64Array(G);
    const sn = new Float64Array(G);
    const vals = new Float64Array(this.op.length);
    for (let p = 0; p < n; p++) {
      displacement(this.meta, points, p * D, delta);
      this.trig(delta, cs, sn);
      out[p] = this.run(cs, sn, vals);
    }
    return out;
  }

  /** The path surrogate at one absolute parameter point. */
  value(point: ArrayLike<number>): number {
    checkPointLength(this.meta, point);
    return this.evaluate(Float64Array.from(point), 1)[0]!;
  }

  /** Reverse-mode gradient through the DAG, chained from gate angles to parameters. */
  gradient(point: ArrayLike<number>): Float64Array {
    checkPointLength(this.meta, point);
    const D = this.meta.numParameters;
    const f = this.meta.forms;
    const delta = new Float64Array(D);
    displacement(this.meta, point, 0, delta);
    const cs = new Float64Array(f.rows);
    const sn = new Float64Array(f.rows);
    this.trig(delta, cs, sn);
    const vals = new Float64Array(this.op.length);
    this.run(cs, sn, vals);
    const bar = new Float64Array(this.op.length);
    for (let o = 0; o < this.outputs.length; o++) bar[this.outputs[o]!]! += this.outputWeights[o]!;
    const dAngle = new Float64Array(f.rows);
    const { op, a, b, w } = this;
    for (let i = op.length - 1; i >= 0; i--) {
      const v = bar[i]!;
      if (v === 0) continue;
      switch (op[i]) {
        case NODE_COS:
          bar[a[i]!]! += v * cs[b[i]!]!;
          dAngle[b[i]!]! -= v * vals[a[i]!]! * sn[b[i]!]!;
          break;
        case NODE_SIN:
          bar[a[i]!]! += v * w[i]! * sn[b[i]!]!;
          dAngle[b[i]!]! += v * w[i]! * vals[a[i]!]! * cs[b[i]!]!;
          break;
        case NODE_SCALE:
          bar[a[i]!]! += v * w[i]!;
          break;
        case NODE_SUM:
          bar[a[i]!]! += v;
          bar[b[i]!]! += v;
          break;
      }
    }
    const grad = new Float64Array(D);
    for (let g = 0; g < f.rows; g++) {
      for (let i = f.offsets[g]!; i < f.offsets[g + 1]!; i++) grad[f.params[i]!]! += f.coeffs[i]! * dAngle[g]!;
    }
    return grad;
  }

  private tailBound(t: number): number {
    if (this.maxSins >= this.meta.forms.rows) return 0; // nothing was truncated
    return this.meta.observableNorm1 * this.fixedGain * expTail(t, this.maxSins + 1);
  }

  /**
   * A priori: ‖O‖₁·Φ·Σ_{k>S} t^k/k! with t = Σ_g|sin ℓ_g(δ)|: every dropped path has more than S
   * sin factors, each path's weight is at most Π|sin| times the fixed gates' 1-norm gain Φ.
   * Light cone: the same per observable term with its cone's gates only (docs/bounds.md §2).
   */
  private kindsAtDisplacement(delta: Float64Array): BoundsByKind {
    const f = this.meta.forms;
    let t = 0;
    for (let g = 0; g < f.rows; g++) t += Math.abs(Math.sin(f.value(g, delta)));
    const lc = this.meta.certificates?.lightCone;
    let po: number | null = null;
    if (this.drops) {
      const cs = new Float64Array(f.rows);
      const sn = new Float64Array(f.rows);
      this.trig(delta, cs, sn);
      const vals = new Float64Array(this.op.length);
      this.run(cs, sn, vals);
      for (let i = 0; i < vals.length; i++) vals[i] = Math.abs(vals[i]!);
      for (let g = 0; g < f.rows; g++) sn[g] = Math.abs(sn[g]!);
      po = this.drops.evaluate(vals, sn);
    }
    return tightestOf(this.tailBound(t), lc ? lc.pathsAt(f, delta, this.maxSins) : null, po);
  }

  /** Over |δ_k| ≤ r: node magnitudes pushed through the DAG with |cos| ≤ 1, |sin ℓ_g| ≤ min(1, r‖a_g‖₁). */
  private dropsOverHypercube(r: number): number {
    const f = this.meta.forms;
    const sn = new Float64Array(f.rows);
    for (let g = 0; g < f.rows; g++) {
      let l1 = 0;
      for (let i = f.offsets[g]!; i < f.offsets[g + 1]!; i++) l1 += Math.abs(f.coeffs[i]!);
      sn[g] = Math.min(1, r * l1);
    }
    const { op, a, b, w } = this;
    const mag = new Float64Array(op.length);
    for (let i = 0; i < op.length; i++) {
      switch (op[i]) {
        case NODE_LEAF: mag[i] = Math.abs(w[i]!); break;
        case NODE_COS: mag[i] = mag[a[i]!]!; break;
        case NODE_SIN: mag[i] = Math.abs(w[i]!) * mag[a[i]!]! * sn[b[i]!]!; break;
        case NODE_SCALE: mag[i] = Math.abs(w[i]!) * mag[a[i]!]!; break;
        default: mag[i] = mag[a[i]!]! + mag[b[i]!]!;
      }
    }
    return this.drops!.evaluate(mag, sn);
  }

  /** The tightest rigorous bound at each point. */
  bounds(points: Float64Array, count?: number): Float64Array {
    const D = this.meta.numParameters;
    const n = batchCount(points, D, count);
    const out = new Float64Array(n);
    const delta = new Float64Array(D);
    for (let p = 0; p < n; p++) {
      displacement(this.meta, points, p * D, delta);
      out[p] = this.kindsAtDisplacement(delta).tightest;
    }
    return out;
  }

  /** Rigorous bound on |surrogate − C| at one point. */
  bound(point: ArrayLike<number>): number {
    checkPointLength(this.meta, point);
    return this.bounds(Float64Array.from(point), 1)[0]!;
  }

  boundsByKind(point: ArrayLike<number>): BoundsByKind {
    checkPointLength(this.meta, point);
    const delta = new Float64Array(this.meta.numParameters);
    displacement(this.meta, point, 0, delta);
    return this.kindsAtDisplacement(delta);
  }

  /** Σ_g|sin ℓ_g| ≤ ‖Aδ‖₁, so the region's displacement bound serves. */
  regionBoundsByKind(region: Region): BoundsByKind {
    const lc = this.meta.certificates?.lightCone;
    const k = 1 + (lc ? 1 : 0) + (this.drops ? 1 : 0);
    const r: Region = region.kind === 'gaussian' ? { ...region, tailProbability: region.tailProbability / k } : region;
    // Gaussian: all |δ_k| ≤ σ·z except with probability p/k (union bound over the D coordinates).
    const radius = r.kind === 'hypercube'
      ? r.radius
      : r.sigma * twoSidedNormalQuantile(r.tailProbability / Math.max(1, this.meta.numParameters));
    const po = this.drops ? this.dropsOverHypercube(radius) : null;
    return tightestOf(this.tailBound(regionDisplacement(this.meta, r)), lc ? lc.pathsOverRegion(this.meta.forms, r, this.maxSins) : null, po);
  }

  regionBound(region: Region): number {
    return this.regionBoundsByKind(region).tightest;
  }

  /** Number of path monomials: the DAG's leaf-to-output path count (may exceed 2^53 in principle). */
  pathCount(): number {
    const cnt = new Float64Array(this.op.length);
    for (let i = 0; i < this.op.length; i++) {
      const k = this.op[i]!;
      cnt[i] = k === NODE_LEAF ? 1 : k === NODE_SUM ? cnt[this.a[i]!]! + cnt[this.b[i]!]! : cnt[this.a[i]!]!;
    }
    let s = 0;
    for (const o of this.outputs) s += cnt[o]!;
    return s;
  }

  /** Terms, path monomials and DAG nodes of the surrogate. */
  size(): SurrogateSize {
    return { terms: this.meta.terms, monomials: this.pathCount(), nodes: this.op.length };
  }

  /** The JSON document {@link surrogateFromJSON} reads back. */
  toJSON(): unknown {
    return {
      ...metaToJSON(this.meta, 'paths'),
      max_sins: this.maxSins,
      fixed_gain: this.fixedGain,
      nodes: { op: Array.from(this.op), a: Array.from(this.a), b: Array.from(this.b), w: Array.from(this.w) },
      outputs: Array.from(this.outputs),
      output_weights: Array.from(this.outputWeights),
      ...(this.drops ? { drops: this.drops.toJSON() } : {}),
    };
  }
}
