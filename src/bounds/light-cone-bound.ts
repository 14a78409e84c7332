import { UserError } from '../ir/errors.js';
import { absRowValues, rowCount, rowL1Norms, subsetStats, type AngleRows } from './angle-rows.js';
import type { LightConeGroup } from './light-cone.js';
import { expTail, gaussianL1Quantile, taylorRemainderFactor, type Region } from './order.js';

/**
 * The light-cone bound (docs/bounds.md §2): C = Σ_i c_i C_i and each C_i depends only on the
 * gates in its backward light cone, so the a-priori argument applied term by term gives
 *   Taylor: |C − T_m| ≤ Σ_i |c_i|·t_i^{m+1}/(m+1)!,     t_i = Σ_{g ∈ cone_i} |ℓ_g(δ)|;
 *   paths:  |C − P_S| ≤ Σ_i |c_i|·Φ_i·Σ_{k>S} s_i^k/k!, s_i = Σ_{g ∈ cone_i} |sin ℓ_g(δ)|,
 * with Φ_i the fixed gates' 1-norm gain inside the cone. Never larger than the a-priori bound
 * (t_i ≤ ‖Aδ‖₁, Φ_i ≤ Φ, Σ|c_i| = ‖O‖₁).
 */
export class LightConeData {
  readonly groups: readonly LightConeGroup[];

  constructor(groups: readonly LightConeGroup[]) {
    this.groups = groups;
  }

  /** Per group: Σ_{g∈cone} |ℓ_g| and Σ |sin ℓ_g| at δ. */
  private sumsAt(rows: AngleRows, delta: Float64Array): { t: Float64Array; s: Float64Array } {
    const absAngle = new Float64Array(rowCount(rows));
    absRowValues(rows, delta, absAngle);
    const t = new Float64Array(this.groups.length);
    const s = new Float64Array(this.groups.length);
    this.groups.forEach((gr, i) => {
      for (const g of gr.rows) {
        t[i]! += absAngle[g]!;
        s[i]! += Math.min(1, Math.abs(Math.sin(absAngle[g]!)));
      }
    });
    return { t, s };
  }

  /** Per group, a bound on Σ_{g∈cone}|ℓ_g| over the region (Gaussian: all hold except with probability ≤ p). */
  regionSums(rows: AngleRows, region: Region): Float64Array {
    const out = new Float64Array(this.groups.length);
    if (region.kind === 'hypercube') {
      const l1 = rowL1Norms(rows);
      this.groups.forEach((gr, i) => {
        for (const g of gr.rows) out[i]! += region.radius * l1[g]!;
      });
    } else {
      const p = region.tailProbability / Math.max(1, this.groups.length);
      this.groups.forEach((gr, i) => {
        out[i] = gr.rows.length === 0 ? 0 : gaussianL1Quantile(subsetStats(rows, gr.rows), region.sigma, p);
      });
    }
    return out;
  }

  taylorAt(rows: AngleRows, delta: Float64Array, order: number): number {
    const { t } = this.sumsAt(rows, delta);
    let b = 0;
    this.groups.forEach((gr, i) => (b += gr.weight * taylorRemainderFactor(t[i]!, order)));
    return b;
  }

  taylorOverRegion(rows: AngleRows, region: Region, order: number): number {
    const t = this.regionSums(rows, region);
    let b = 0;
    this.groups.forEach((gr, i) => (b += gr.weight * taylorRemainderFactor(t[i]!, order)));
    return b;
  }

  pathsAt(rows: AngleRows, delta: Float64Array, maxSins: number): number {
    const { s } = this.sumsAt(rows, delta);
    let b = 0;
    this.groups.forEach((gr, i) => {
      if (maxSins < gr.rows.length) b += gr.weight * gr.fixedGain * expTail(s[i]!, maxSins + 1);
    });
    return b;
  }

  pathsOverRegion(rows: AngleRows, region: Region, maxSins: number): number {
    const t = this.regionSums(rows, region);
    let b = 0;
    this.groups.forEach((gr, i) => {
      if (maxSins < gr.rows.length) b += gr.weight * gr.fixedGain * expTail(Math.min(t[i]!, gr.rows.length), maxSins + 1);
    });
    return b;
  }

  /** The largest cone (rows) over the groups. */
  maxRows(): number {
    return this.groups.reduce((a, g) => Math.max(a, g.rows.length), 0);
  }

  toJSON(): unknown {
    return this.groups.map((g) => ({ weight: g.weight, rows: Array.from(g.rows), fixed_gain: g.fixedGain }));
  }

  static fromJSON(json: unknown, numRows: number, where: string): LightConeData {
    const fail = (msg: string): never => {
      throw new UserError(`${where}: light_cone: ${msg}`);
    };
    if (!Array.isArray(json)) fail('expected a list of groups');
    const groups = (json as unknown[]).map((g) => {
      const e = g as { weight?: unknown; rows?: unknown; fixed_gain?: unknown };
      if (typeof e?.weight !== 'number' || !(e.weight >= 0)) fail('each group needs a weight ≥ 0');
      if (!Array.isArray(e.rows) || e.rows.some((r) => !Number.isInteger(r) || r < 0 || r >= numRows)) fail('rows must be gate indices of the angle forms');
      if (typeof e.fixed_gain !== 'number' || !(e.fixed_gain >= 1 - 1e-12)) fail('fixed_gain must be a number ≥ 1');
      return { weight: e.weight as number, rows: Int32Array.from(e.rows as number[]), fixedGain: e.fixed_gain as number };
    });
    return new LightConeData(groups);
  }
}

/**
 * The smallest Taylor order whose light-cone bound over the region is ≤ eps: the order the
 * circuit's structure predicts (a local observable on a shallow circuit has a constant cone, so
 * this does not grow with N). `cap` bounds the search (the a-priori order is always enough).
 */
export function lightConeTaylorOrder(data: LightConeData, rows: AngleRows, region: Region, eps: number, cap: number): { order: number; bound: number } {
  const t = data.regionSums(rows, region);
  const at = (m: number) => data.groups.reduce((b, gr, i) => b + gr.weight * taylorRemainderFactor(t[i]!, m), 0);
  for (let m = 0; m < cap; m++) {
    const b = at(m);
    if (b <= eps) return { order: m, bound: b };
  }
  return { order: cap, bound: at(cap) };
}

/** The smallest S whose light-cone path bound over the region is ≤ eps (capped). */
export function lightConePathSins(data: LightConeData, rows: AngleRows, region: Region, eps: number, cap: number): { maxSins: number; bound: number } {
  for (let S = 0; S < cap; S++) {
    const b = data.pathsOverRegion(rows, region, S);
    if (b <= eps) return { maxSins: S, bound: b };
  }
  return { maxSins: cap, bound: data.pathsOverRegion(rows, region, cap) };
}
