import { angleMapStats, type AngleMapStats } from '../bounds/order.js';
import type { AffineTerm, Circuit } from '../ir/types.js';

/**
 * The linear map A from parameter displacements δ to gate-angle displacements: one row per gate
 * whose angle depends on a parameter, ℓ_g(δ) = Σ_k c_gk δ_k (constant parts do not move). Stored
 * as CSR. The error bounds need ‖Aδ‖₁ = Σ_g |ℓ_g(δ)|, not ‖δ‖₁: shared or scaled parameters
 * move several angles at once.
 */
export class AngleForms {
  readonly numParameters: number;
  /** Row g's entries are [offsets[g], offsets[g+1]). */
  readonly offsets: Int32Array;
  readonly params: Int32Array;
  readonly coeffs: Float64Array;

  constructor(numParameters: number, offsets: Int32Array, params: Int32Array, coeffs: Float64Array) {
    this.numParameters = numParameters;
    this.offsets = offsets;
    this.params = params;
    this.coeffs = coeffs;
  }

  get rows(): number {
    return this.offsets.length - 1;
  }

  static fromRows(numParameters: number, rows: readonly (readonly AffineTerm[])[]): AngleForms {
    const nonEmpty = rows.filter((r) => r.length > 0);
    const offsets = new Int32Array(nonEmpty.length + 1);
    let n = 0;
    nonEmpty.forEach((r, g) => {
      n += r.length;
      offsets[g + 1] = n;
    });
    const params = new Int32Array(n);
    const coeffs = new Float64Array(n);
    let i = 0;
    for (const r of nonEmpty) {
      for (const t of r) {
        params[i] = t.param;
        coeffs[i++] = t.coeff;
      }
    }
    return new AngleForms(numParameters, offsets, params, coeffs);
  }

  /** The rows of every rotation whose angle depends on a parameter, in circuit order. */
  static fromCircuit(circuit: Circuit): AngleForms {
    const rows: AffineTerm[][] = [];
    for (const g of circuit.gates) if (g.kind === 'rotation' && g.angle.terms.length > 0) rows.push([...g.angle.terms]);
    return AngleForms.fromRows(circuit.numParameters, rows);
  }

  row(g: number): AffineTerm[] {
    const out: AffineTerm[] = [];
    for (let i = this.offsets[g]!; i < this.offsets[g + 1]!; i++) out.push({ param: this.params[i]!, coeff: this.coeffs[i]! });
    return out;
  }

  /** ℓ_g(δ) for δ at delta[do … do+D). */
  value(g: number, delta: ArrayLike<number>, d0 = 0): number {
    let v = 0;
    for (let i = this.offsets[g]!; i < this.offsets[g + 1]!; i++) v += this.coeffs[i]! * (delta[d0 + this.params[i]!] as number);
    return v;
  }

  /** ‖Aδ‖₁ = Σ_g |ℓ_g(δ)|. */
  displacementL1(delta: ArrayLike<number>, d0 = 0): number {
    let s = 0;
    for (let g = 0; g < this.rows; g++) s += Math.abs(this.value(g, delta, d0));
    return s;
  }

  stats(): AngleMapStats {
    const rows: AffineTerm[][] = [];
    for (let g = 0; g < this.rows; g++) rows.push(this.row(g));
    return angleMapStats(this.numParameters, rows);
  }

  toJSON(): [number, number][][] {
    const out: [number, number][][] = [];
    for (let g = 0; g < this.rows; g++) out.push(this.row(g).map((t) => [t.param, t.coeff]));
    return out;
  }
}
