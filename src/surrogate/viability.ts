import type { InitialState } from '../ir/states.js';
import { popcount32 } from '../pauli/packed.js';
import { STEP_SYMBOLIC, type SurrogateProgram } from './program.js';

/**
 * Exact pruning of terms that can no longer reach a non-zero overlap with the initial state.
 * ⟨0…0|Q|0…0⟩ (and a basis state's) vanishes unless Q has no X-plane bits; ⟨+…+|Q|+…+⟩ unless it
 * has no Z-plane bits: the "blocking plane". Only the steps still to come (those earlier in time,
 * indices < s) can change a term's string, each sin branch (or fixed branch) multiplying it by
 * that step's generator. So a term survives only if its blocking bits all lie where a remaining
 * generator has blocking bits, and if the remaining branches can clear them: a term with budget
 * b (order − degree, or max sins − sins) clears at most b·maxSym(s) + fixedWeight(s) bits.
 * Channel steps count as fixed ones: a unital channel never changes a string (its generator is
 * zero), amplitude damping's identity branch multiplies it by the step's generator T(Z_q).
 * Nothing with a possible non-zero contribution is ever dropped.
 */
export class Viability {
  private readonly W: number;
  private readonly planeOffset: number;
  /** OR of the blocking planes of steps [0, s): at s·W. */
  private readonly masks: Uint32Array;
  private readonly maxSym: Int32Array;
  private readonly fixedWeight: Float64Array;

  constructor(program: SurrogateProgram, state: InitialState) {
    const { W, stride, numSteps, gens, kind } = program;
    this.W = W;
    this.planeOffset = state.kind === 'plus' ? W : 0;
    this.masks = new Uint32Array((numSteps + 1) * W);
    this.maxSym = new Int32Array(numSteps + 1);
    this.fixedWeight = new Float64Array(numSteps + 1);
    for (let s = 0; s < numSteps; s++) {
      let w = 0;
      for (let k = 0; k < W; k++) {
        const word = gens[s * stride + this.planeOffset + k]!;
        this.masks[(s + 1) * W + k] = (this.masks[s * W + k]! | word) >>> 0;
        w += popcount32(word);
      }
      if (kind[s] === STEP_SYMBOLIC) {
        this.maxSym[s + 1] = Math.max(this.maxSym[s]!, w);
        this.fixedWeight[s + 1] = this.fixedWeight[s]!;
      } else {
        this.maxSym[s + 1] = this.maxSym[s]!;
        this.fixedWeight[s + 1] = this.fixedWeight[s]! + w;
      }
    }
  }

  /** True when the thresholds with steps [0, s) remaining equal those with [0, s+1) remaining. */
  stable(s: number): boolean {
    if (s + 1 >= this.maxSym.length) return false;
    if (this.maxSym[s] !== this.maxSym[s + 1] || this.fixedWeight[s] !== this.fixedWeight[s + 1]) return false;
    const { W, masks } = this;
    for (let k = 0; k < W; k++) if (masks[s * W + k] !== masks[(s + 1) * W + k]) return false;
    return true;
  }

  /**
   * The least number of sin branches at symbolic steps that any Pauli path of the string at
   * (keys, ko) needs, with steps [0, s) remaining, to end on a non-zero overlap; −1 when none
   * can (a blocking bit no remaining generator touches, or no symbolic step to clear the rest).
   * maxUse is full − requiredSins (or −1). Used by the a-posteriori bound (docs/bounds.md §3.3).
   */
  requiredSins(keys: Uint32Array, ko: number, s: number): number {
    const { W, masks } = this;
    const base = ko + this.planeOffset;
    let need = 0;
    for (let k = 0; k < W; k++) {
      const b = keys[base + k]!;
      if (b === 0) continue;
      if ((b & ~masks[s * W + k]!) !== 0) return -1;
      need += popcount32(b);
    }
    const fixed = this.fixedWeight[s]!;
    if (need <= fixed) return 0;
    const sym = this.maxSym[s]!;
    if (sym === 0) return -1;
    return Math.ceil((need - fixed) / sym);
  }

  /**
   * The largest budget use (degree, or sin count) a term with the string at (keys, ko) may have
   * when only steps [0, s) remain, given the full budget `full`; −1 when no term with this
   * string can contribute.
   */
  maxUse(keys: Uint32Array, ko: number, s: number, full: number): number {
    const need = this.requiredSins(keys, ko, s);
    return need < 0 ? -1 : Math.max(-1, full - need);
  }
}
