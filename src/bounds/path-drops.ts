import { UserError } from '../ir/errors.js';
import type { StepStructure } from './aposteriori.js';
import { logExpTail } from './order.js';

/**
 * The a-posteriori bound of a Pauli-path surrogate (docs/bounds.md §4): every term cut for
 * exceeding S sin branches is a DAG node whose value v(δ) is its exact coefficient, cut with
 * the steps [0, h) still to come on a string that needs r more sin branches to reach a non-zero
 * overlap. Contractivity gives |C − P_S| ≤ Σ_drops |v(δ)|·R(h, r), R as in aposteriori.ts.
 */
export class PathDrops {
  readonly node: Int32Array;
  readonly step: Int32Array;
  readonly reach: Int32Array;
  /** Per horizon h: symbolic rows before h, and the fixed gain of the steps before h. */
  readonly rowsBefore: Int32Array;
  readonly phi: Float64Array;

  constructor(node: Int32Array, step: Int32Array, reach: Int32Array, rowsBefore: Int32Array, phi: Float64Array) {
    this.node = node;
    this.step = step;
    this.reach = reach;
    this.rowsBefore = rowsBefore;
    this.phi = phi;
  }

  static fromSteps(steps: StepStructure, node: Int32Array, step: Int32Array, reach: Int32Array): PathDrops {
    const S = steps.numSteps;
    const rowsBefore = new Int32Array(S + 1);
    const phi = new Float64Array(S + 1);
    phi[0] = 1;
    for (let s = 0; s < S; s++) {
      rowsBefore[s + 1] = rowsBefore[s]! + (steps.rowOf[s]! >= 0 ? 1 : 0);
      phi[s + 1] = phi[s]! * (steps.rowOf[s]! >= 0 ? 1 : steps.fixedGain[s]!);
    }
    return new PathDrops(node, step, reach, rowsBefore, phi);
  }

  /**
   * Σ_drops absValue[node]·R(h, r), with absValue[i] ≥ |v_i| and absSin[g] ≥ |sin ℓ_g| (at a
   * point: the values themselves; over a region: their maxima).
   */
  evaluate(absValue: Float64Array, absSin: Float64Array): number {
    const G = absSin.length;
    const prefix = new Float64Array(G + 1);
    for (let g = 0; g < G; g++) prefix[g + 1] = prefix[g]! + absSin[g]!;
    const cache = new Map<number, number>();
    let total = 0;
    for (let i = 0; i < this.node.length; i++) {
      const v = absValue[this.node[i]!]!;
      if (v === 0) continue;
      const h = this.step[i]!;
      const r = this.reach[i]!;
      let R = 1;
      if (r > 0) {
        const key = h * 65536 + Math.min(r, 65535);
        const c = cache.get(key);
        if (c !== undefined) R = c;
        else {
          const T = prefix[this.rowsBefore[h]!]!;
          R = T === 0 ? 0 : Math.min(1, this.phi[h]! * Math.exp(logExpTail(T, r)));
          cache.set(key, R);
        }
      }
      total += v * R;
    }
    return total;
  }

  toJSON(): unknown {
    return { node: Array.from(this.node), step: Array.from(this.step), reach: Array.from(this.reach), fixed_gain_prefix: Array.from(this.phi), rows_before: Array.from(this.rowsBefore) };
  }

  static fromJSON(json: unknown, numNodes: number, where: string): PathDrops {
    const fail = (msg: string): never => {
      throw new UserError(`${where}: drops: ${msg}`);
    };
    const d = (json ?? {}) as Record<string, unknown>;
    const ints = (k: string, min: number, max: number): number[] => {
      const v = d[k];
      if (!Array.isArray(v) || v.some((x) => !Number.isInteger(x) || x < min || x > max)) fail(`${k} must be a list of integers in [${min}, ${max}]`);
      return v as number[];
    };
    const rowsBefore = ints('rows_before', 0, 2 ** 31 - 1);
    const phi = d.fixed_gain_prefix;
    if (!Array.isArray(phi) || phi.length !== rowsBefore.length || phi.some((x) => typeof x !== 'number' || !(x >= 1 - 1e-12))) fail('fixed_gain_prefix must list numbers ≥ 1, one per horizon');
    const node = ints('node', 0, numNodes - 1);
    const step = ints('step', 0, rowsBefore.length - 1);
    const reach = ints('reach', 0, 2 ** 31 - 1);
    if (step.length !== node.length || reach.length !== node.length) fail('node, step and reach differ in length');
    return new PathDrops(Int32Array.from(node), Int32Array.from(step), Int32Array.from(reach), Int32Array.from(rowsBefore), Float64Array.from(phi as number[]));
  }
}
