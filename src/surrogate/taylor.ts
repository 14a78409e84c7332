import { taylorRemainderFactor, type Region } from '../bounds/order.js';
import { MonomialTable } from './monomials.js';
import { metaToJSON } from './meta-json.js';
import {
  batchCount, checkPointLength, displacement, nameOf, regionDisplacement, tightestOf,
  type BoundsByKind, type SurrogateMeta,
} from './meta.js';
import type { Surrogate, SurrogateSize } from './interface.js';

/** One coefficient of T_m(δ) = Σ a_α δ^α, with ∂^α C(θ*) = α!·a_α. */
export interface TaylorCoefficient {
  /** Flat parameter indices with multiplicity, sorted: δ_0²δ_3 = [0, 0, 3]. */
  readonly variables: readonly number[];
  /** Readable form, e.g. `theta[0]^2*theta[3]` (`1` for the constant). */
  readonly monomial: string;
  readonly degree: number;
  /** a_α. */
  readonly value: number;
  /** ∂^α C(θ*) = α!·a_α. */
  readonly derivative: number;
}

/**
 * The Taylor surrogate T_m(δ) around φ*, stored as a monomial tree: node i is its parent's
 * monomial times δ_{variable[i]}, parents precede children (node 0 is the constant 1), so one
 * multiply per node evaluates every monomial. Prefix nodes that carry no coefficient are kept
 * with coefficient 0. Gradients are reverse-mode sweeps of the same tree.
 */
export class TaylorSurrogate implements Surrogate {
  readonly kind = 'taylor' as const;
  readonly meta: SurrogateMeta;
  readonly order: number;
  readonly parent: Int32Array;
  readonly variable: Int32Array;
  readonly coefficient: Float64Array;
  readonly degree: Uint8Array;
  private readonly monomialCount: number;

  constructor(meta: SurrogateMeta, order: number, parent: Int32Array, variable: Int32Array, coefficient: Float64Array, degree: Uint8Array) {
    this.meta = meta;
    this.order = order;
    this.parent = parent;
    this.variable = variable;
    this.coefficient = coefficient;
    this.degree = degree;
    let n = 0;
    for (let i = 0; i < coefficient.length; i++) if (coefficient[i] !== 0) n++;
    this.monomialCount = n;
  }

  get truncation(): number {
    return this.order;
  }

  /**
   * Builds the tree from monomials given as variable lists (any order, with multiplicity) and
   * their coefficients; zero coefficients are skipped, repeated monomials add up.
   */
  static fromMonomials(meta: SurrogateMeta, order: number, monomials: readonly (readonly number[])[], values: ArrayLike<number>): TaylorSurrogate {
    return TaylorSurrogate.build(meta, order, monomials.length, (i, out) => {
      const m = monomials[i]!;
      if (m.length > order) throw new RangeError(`monomial of degree ${m.length} exceeds order ${order}`);
      for (let j = 0; j < m.length; j++) out[j] = m[j]!;
      out.subarray(0, m.length).sort();
      return m.length;
    }, (i) => values[i] as number);
  }

  /** Builds the tree straight from an interned table and coefficients indexed by monomial id. */
  static fromTable(meta: SurrogateMeta, order: number, table: MonomialTable, values: Float64Array): TaylorSurrogate {
    return TaylorSurrogate.build(meta, order, table.size, (id, out) => {
      const d = table.degree[id]!;
      for (let j = 0; j < d; j++) out[j] = table.vars[id * table.stride + j]!;
      return d;
    }, (id) => values[id]!);
  }

  private static build(
    meta: SurrogateMeta, order: number, count: number, varsOf: (i: number, out: Int32Array) => number, valueOf: (i: number) => number,
  ): TaylorSurrogate {
    const table = new MonomialTable(order, Math.max(16, count * 2));
    let parent = new Int32Array(Math.max(16, count * 2));
    let variable = new Int32Array(parent.length);
    let coef = new Float64Array(parent.length);
    let n = 1;
    variable[0] = -1;
    const vs = new Int32Array(Math.max(1, order));
    const buf = new Int32Array(table.stride);
    // Id of the prefix vs[0, d), inserting it and its own prefixes first (parents precede children).
    const ensure = (d: number): number => {
      buf.fill(-1);
      for (let i = 0; i < d; i++) buf[i] = vs[i]!;
      const found = table.find(buf);
      if (found >= 0) return found;
      const p = ensure(d - 1);
      buf.fill(-1);
      for (let i = 0; i < d; i++) buf[i] = vs[i]!;
      const id = table.insert(buf, d);
      if (id !== n) throw new Error('internal error: monomial tree ids out of step');
      if (n === parent.length) {
        const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
        parent = grow(parent, new Int32Array(2 * n));
        variable = grow(variable, new Int32Array(2 * n));
        coef = grow(coef, new Float64Array(2 * n));
      }
      parent[n] = p;
      variable[n] = vs[d - 1]!;
      n++;
      return id;
    };
    for (let i = 0; i < count; i++) {
      const v = valueOf(i);
      if (v === 0) continue;
      const d = varsOf(i, vs);
      for (let j = 0; j < d; j++) {
        const k = vs[j]!;
        if (!Number.isInteger(k) || k < 0 || k >= meta.numParameters) throw new RangeError(`monomial variable ${k} is out of range`);
      }
      // ensure() may grow (replace) coef: read the array only after it returns, or the
      // coefficient lands in the discarded copy (found by the bounds save/load property).
      const id = ensure(d);
      coef[id]! += v;
    }
    const degree = new Uint8Array(n);
    for (let i = 1; i < n; i++) degree[i] = degree[parent[i]!]! + 1;
    return new TaylorSurrogate(meta, order, parent.slice(0, n), variable.slice(0, n), coef.slice(0, n), degree);
  }

  /** T_m at δ (delta at d0), with the monomial values left in vals. */
  private evalDelta(delta: Float64Array, vals: Float64Array): number {
    const { parent, variable, coefficient } = this;
    const M = parent.length;
    vals[0] = 1;
    let acc = coefficient[0]!;
    for (let i = 1; i < M; i++) {
      const v = vals[parent[i]!]! * delta[variable[i]!]!;
      vals[i] = v;
      acc += coefficient[i]! * v;
    }
    return acc;
  }

  /**
   * Points go through the tree in blocks of B: per node one index load serves B points, and the
   * block's displacements and monomial values are interleaved so the inner loop is contiguous.
   */
  evaluate(points: Float64Array, count?: number): Float64Array {
    const D = this.meta.numParameters;
    const n = batchCount(points, D, count);
    const out = new Float64Array(n);
    const B = 8;
    const { parent, variable, coefficient } = this;
    const M = parent.length;
    const center = this.meta.center;
    const delta = new Float64Array(D * B);
    const vals = new Float64Array(M * B);
    const acc = new Float64Array(B);
    for (let p0 = 0; p0 < n; p0 += B) {
      const nb = Math.min(B, n - p0);
      delta.fill(0);
      for (let b = 0; b < nb; b++) {
        const base = (p0 + b) * D;
        for (let k = 0; k < D; k++) delta[k * B + b] = points[base + k]! - center[k]!;
      }
      const c0 = coefficient[0]!;
      for (let b = 0; b < B; b++) {
        vals[b] = 1;
        acc[b] = c0;
      }
      for (let i = 1; i < M; i++) {
        const pi = parent[i]! * B;
        const vi = variable[i]! * B;
        const c = coefficient[i]!;
        const o = i * B;
        for (let b = 0; b < B; b++) {
          const v = vals[pi + b]! * delta[vi + b]!;
          vals[o + b] = v;
          acc[b]! += c * v;
        }
      }
      for (let b = 0; b < nb; b++) out[p0 + b] = acc[b]!;
    }
    return out;
  }

  /** T_m at one absolute parameter point. */
  value(point: ArrayLike<number>): number {
    checkPointLength(this.meta, point);
    return this.evaluate(Float64Array.from(point), 1)[0]!;
  }

  /** ∇T_m at the point (with respect to the parameters). */
  gradient(point: ArrayLike<number>): Float64Array {
    return this.valueAndGradient(point).gradient;
  }

  /** T_m and its gradient at one point, in one pass. */
  valueAndGradient(point: ArrayLike<number>): { value: number; gradient: Float64Array } {
    checkPointLength(this.meta, point);
    const D = this.meta.numParameters;
    const delta = new Float64Array(D);
    displacement(this.meta, point, 0, delta);
    const vals = new Float64Array(this.parent.length);
    const value = this.evalDelta(delta, vals);
    const bar = this.coefficient.slice();
    const grad = new Float64Array(D);
    const { parent, variable } = this;
    for (let i = parent.length - 1; i >= 1; i--) {
      const b = bar[i]!;
      if (b === 0) continue;
      const k = variable[i]!;
      const p = parent[i]!;
      bar[p]! += b * delta[k]!;
      grad[k]! += b * vals[p]!;
    }
    return { value, gradient: grad };
  }

  /** The Hessian of T_m at the point, D×D row-major. */
  hessian(point: ArrayLike<number>): Float64Array {
    checkPointLength(this.meta, point);
    const D = this.meta.numParameters;
    const delta = new Float64Array(D);
    displacement(this.meta, point, 0, delta);
    const H = new Float64Array(D * D);
    const vs: number[] = [];
    for (let i = 1; i < this.parent.length; i++) {
      const c = this.coefficient[i]!;
      if (c === 0 || this.degree[i]! < 2) continue;
      this.variablesInto(i, vs);
      const d = vs.length;
      // ∂²/∂x_a∂x_b of Π x_{v_j}: Σ over ordered position pairs (a ≠ b) of the product of the rest.
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          if (a === b) continue;
          let prod = c;
          for (let j = 0; j < d; j++) if (j !== a && j !== b) prod *= delta[vs[j]!]!;
          H[vs[a]! * D + vs[b]!]! += prod;
        }
      }
    }
    return H;
  }

  private variablesInto(node: number, out: number[]): void {
    out.length = 0;
    for (let i = node; i > 0; i = this.parent[i]!) out.push(this.variable[i]!);
    out.reverse();
  }

  /** Every non-zero coefficient, by degree then creation order. */
  coefficients(): TaylorCoefficient[] {
    const out: TaylorCoefficient[] = [];
    const vs: number[] = [];
    for (let i = 0; i < this.parent.length; i++) {
      const value = this.coefficient[i]!;
      if (value === 0) continue;
      this.variablesInto(i, vs);
      let alphaFact = 1;
      const parts: string[] = [];
      for (let j = 0; j < vs.length; ) {
        let e = 1;
        while (j + e < vs.length && vs[j + e] === vs[j]) e++;
        for (let f = 2; f <= e; f++) alphaFact *= f;
        const name = nameOf(this.meta, vs[j]!);
        parts.push(e === 1 ? name : `${name}^${e}`);
        j += e;
      }
      out.push({
        variables: vs.slice(),
        monomial: parts.length ? parts.join('*') : '1',
        degree: vs.length,
        value,
        derivative: value * alphaFact,
      });
    }
    return out.sort((a, b) => a.degree - b.degree);
  }

  /**
   * The tightest rigorous bound at each point: the minimum of the a-priori bound
   * ‖O‖₁·‖Aδ‖₁^{m+1}/(m+1)!, the light-cone bound and the a-posteriori bound (docs/bounds.md).
   */
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

  /** Rigorous bound on |T_m − C| at one point. */
  bound(point: ArrayLike<number>): number {
    checkPointLength(this.meta, point);
    return this.bounds(Float64Array.from(point), 1)[0]!;
  }

  /** The a-priori bound alone (the paper's). */
  aprioriBound(point: ArrayLike<number>): number {
    checkPointLength(this.meta, point);
    const delta = new Float64Array(this.meta.numParameters);
    displacement(this.meta, point, 0, delta);
    return this.meta.observableNorm1 * taylorRemainderFactor(this.meta.forms.displacementL1(delta), this.order);
  }

  private kindsAtDisplacement(delta: Float64Array): BoundsByKind {
    const { forms, certificates } = this.meta;
    const apriori = this.meta.observableNorm1 * taylorRemainderFactor(forms.displacementL1(delta), this.order);
    const lc = certificates?.lightCone ? certificates.lightCone.taylorAt(forms, delta, this.order) : null;
    const po = certificates?.aposteriori ? certificates.aposteriori.atDisplacement(forms, delta) : null;
    return tightestOf(apriori, lc, po);
  }

  boundsByKind(point: ArrayLike<number>): BoundsByKind {
    checkPointLength(this.meta, point);
    const delta = new Float64Array(this.meta.numParameters);
    displacement(this.meta, point, 0, delta);
    return this.kindsAtDisplacement(delta);
  }

  regionBoundsByKind(region: Region): BoundsByKind {
    const { forms, certificates } = this.meta;
    const k = 1 + (certificates?.lightCone ? 1 : 0) + (certificates?.aposteriori ? 1 : 0);
    const r: Region = region.kind === 'gaussian' ? { ...region, tailProbability: region.tailProbability / k } : region;
    const apriori = this.meta.observableNorm1 * taylorRemainderFactor(regionDisplacement(this.meta, r), this.order);
    const lc = certificates?.lightCone ? certificates.lightCone.taylorOverRegion(forms, r, this.order) : null;
    const po = certificates?.aposteriori ? certificates.aposteriori.overRegion(forms, r) : null;
    return tightestOf(apriori, lc, po);
  }

  regionBound(region: Region): number {
    return this.regionBoundsByKind(region).tightest;
  }

  /** Terms, monomials and nodes of the surrogate. */
  size(): SurrogateSize {
    return { terms: this.meta.terms, monomials: this.monomialCount, nodes: this.parent.length };
  }

  /** The JSON document {@link surrogateFromJSON} reads back. */
  toJSON(): unknown {
    const monomials: number[][] = [];
    const values: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < this.parent.length; i++) {
      if (this.coefficient[i] === 0) continue;
      this.variablesInto(i, vs);
      monomials.push(vs.slice());
      values.push(this.coefficient[i]!);
    }
    return { ...metaToJSON(this.meta, 'taylor'), order: this.order, monomials, coefficients: values };
  }
}
