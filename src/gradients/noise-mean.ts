import type { SparsePauli } from '../ir/types.js';
import { commutes } from '../pauli/packed.js';
import { packedFromSparse } from '../pauli/sparse.js';
import {
  conjugateByFrameGate,
  initialStateExpectation,
  type FrozenCircuit,
} from '../clifford-point/frozen.js';
import { timesIG } from '../clifford-point/heisenberg.js';
import type { InitialState } from '../ir/states.js';
import { ZERO_STATE } from '../ir/states.js';

/**
 * The mean of ∂_k C under Gaussian noise δ ~ N(0, σ²I) around a Clifford point, for parameters that
 * each drive one gate. Expanding C along Pauli paths, every rotation g that the path's string
 * anticommutes with contributes a factor cos(a*_g + δ_g) or sin(a*_g + δ_g); with a*_g a multiple
 * of π/2 one branch is ±cos δ_g (mean ±e^{−σ²c_g²/2}) and the other ±sin δ_g (mean 0). Only the
 * path of the Clifford evaluation survives, so
 *   E[∂_k C] = ∂_k C(θ*) · exp(−σ²/2 · Σ_g c_g²),
 * the sum over the parametrized rotations that anticommute with that path's string (including
 * the target itself; n_k + 1 of them for unit slopes).
 */
export interface SurvivingPath {
  /** ∂_k C(θ*) through the anchor gate (chain-rule slope included). */
  readonly derivative: number;
  /** Parametrized rotations other than the anchor that anticommute along the path (n_k). */
  readonly others: number;
  /** Σ_g ‖a_g‖₂² over the anticommuting parametrized rotations, anchor included. */
  readonly slopeSquares: number;
}

/** The one Pauli path that survives the noise average of ∂_k C at a Clifford point (see {@link expectedDerivative}). */
export function survivingPath(
  frame: FrozenCircuit,
  term: SparsePauli,
  anchorGate: number,
  param: number,
  initialState: InitialState = ZERO_STATE,
): SurvivingPath {
  const { W, gates } = frame;
  const s = packedFromSparse(term, frame.numQubits);
  let sign = 1;
  let others = 0;
  let slopeSquares = 0;
  const countIfNoisy = (g: number) => {
    const gate = gates[g]!;
    if (gate.kind !== 'rotation' || gate.angle.terms.length === 0) return;
    if (commutes(frame.generators, g * 2 * W, s, 0, W)) return;
    if (g !== anchorGate) others++;
    for (const t of gate.angle.terms) slopeSquares += t.coeff * t.coeff;
  };
  for (let g = gates.length - 1; g > anchorGate; g--) {
    countIfNoisy(g);
    sign *= conjugateByFrameGate(frame, g, s, 0);
  }
  const anchor = gates[anchorGate]!;
  if (anchor.kind !== 'rotation') throw new RangeError(`gate ${anchorGate} is not a rotation`);
  const slope = anchor.angle.terms.find((t) => t.param === param)?.coeff ?? 0;
  if (slope === 0 || commutes(frame.generators, anchorGate * 2 * W, s, 0, W)) return { derivative: 0, others: 0, slopeSquares: 0 };
  sign *= timesIG(frame.generators, anchorGate * 2 * W, s, 0, W);
  for (let g = anchorGate; g >= 0; g--) {
    countIfNoisy(g);
    sign *= conjugateByFrameGate(frame, g, s, 0);
  }
  const derivative = slope * sign * initialStateExpectation(initialState, s, 0, W);
  return { derivative, others, slopeSquares };
}

/** E[∂_k C] under N(0, σ²I) from the surviving path. */
export function expectedDerivative(path: SurvivingPath, sigma: number): number {
  return path.derivative * Math.exp((-sigma * sigma * path.slopeSquares) / 2);
}
