import type { InitialState } from '../../ir/states.js';
import { ZERO_STATE } from '../../ir/states.js';
import type { Circuit, Observable } from '../../ir/types.js';
import { adjointRotationStep } from './adjoint-kernels.js';
import { checkQubitLimit, DEFAULT_MAX_QUBITS, ensureStateVectorsFit } from './limits.js';
import { accumulatePauli, pauliMatrixElement } from './pauli-kernels.js';
import type { CompiledCircuit } from './compiled-circuit.js';
import { compileCircuit, compileObservable, evaluateAngles, runForward, unapplyGate } from './compiled-circuit.js';
import { StateVector } from './state.js';

/** Exact state-vector simulation: expectation values, adjoint gradients, batches. */
export interface SimulatorOptions {
  /** Initial product state; default |0…0⟩. */
  initialState?: InitialState;
  /** Qubit cap checked before allocating; default DEFAULT_MAX_QUBITS (26). */
  maxQubits?: number;
  /**
   * Called after each gate of `expectation` / `expectationAndGradient` with the gates done and the
   * total (the adjoint gradient counts its backward sweep too); it may throw to stop the run.
   */
  onProgress?: (done: number, total: number) => void;
}

interface Prepared {
  cc: CompiledCircuit;
  obs: ReturnType<typeof compileObservable> | null;
  state: InitialState;
  maxQubits: number;
}

function prepare(circuit: Circuit, observable: Observable | null, options: SimulatorOptions, vectors = 1, what = 'state vector'): Prepared {
  const maxQubits = options.maxQubits ?? DEFAULT_MAX_QUBITS;
  checkQubitLimit(circuit.numQubits, maxQubits);
  // All vectors the computation will hold, against the memory limit, before compiling anything.
  ensureStateVectorsFit(circuit.numQubits, vectors, what);
  const cc = compileCircuit(circuit);
  const obs = observable ? compileObservable(observable, circuit.numQubits) : null;
  return { cc, obs, state: options.initialState ?? ZERO_STATE, maxQubits };
}

/** Σ_j c_j ⟨ψ|P_j|ψ⟩, one read-only pass per term. */
function observableValue(obs: NonNullable<Prepared['obs']>, sv: StateVector): number {
  let sum = 0;
  for (let t = 0; t < obs.masks.length; t++) sum += obs.coeffs[t]! * sv.pauliExpectation(obs.masks[t]!);
  return sum;
}

/** The final state U(φ)|ψ0⟩. */
export function finalState(circuit: Circuit, params: Float64Array, options: SimulatorOptions = {}): StateVector {
  const { cc, state, maxQubits } = prepare(circuit, null, options);
  const angles = new Float64Array(cc.gates.length);
  evaluateAngles(cc, params, angles);
  const sv = StateVector.initial(cc.numQubits, state, maxQubits);
  runForward(cc, angles, sv);
  return sv;
}

/** C(φ) = ⟨ψ0|U(φ)† O U(φ)|ψ0⟩. */
export function expectation(
  circuit: Circuit, params: Float64Array, observable: Observable, options: SimulatorOptions = {},
): number {
  const { cc, obs, state, maxQubits } = prepare(circuit, observable, options);
  const angles = new Float64Array(cc.gates.length);
  evaluateAngles(cc, params, angles);
  const sv = StateVector.initial(cc.numQubits, state, maxQubits);
  const onProgress = options.onProgress;
  runForward(cc, angles, sv, cc.gates.length, onProgress ? (done) => onProgress(done, cc.gates.length) : undefined);
  return observableValue(obs!, sv);
}

/** C at each point of the batch, reusing one state buffer. */
export function expectationBatch(
  circuit: Circuit, points: readonly Float64Array[], observable: Observable, options: SimulatorOptions = {},
): Float64Array {
  const { cc, obs, state, maxQubits } = prepare(circuit, observable, options, 1, 'batch state vector');
  const out = new Float64Array(points.length);
  if (points.length === 0) return out;
  const angles = new Float64Array(cc.gates.length);
  const sv = StateVector.allocate(cc.numQubits, maxQubits);
  for (let p = 0; p < points.length; p++) {
    evaluateAngles(cc, points[p]!, angles);
    sv.reset(state);
    runForward(cc, angles, sv);
    out[p] = observableValue(obs!, sv);
  }
  return out;
}

/**
 * C(φ) and ∇C(φ) by the adjoint method: one forward pass to ψ, λ = Oψ, then one backward sweep
 * that un-applies each gate from ψ and λ; a rotation's angle derivative Im⟨λ|P|ψ⟩ is read off in
 * the same pass and chain-ruled into the parameters of its affine angle. Two state vectors.
 * Throws a UserError for a wrong parameter count or a register above `maxQubits`.
 *
 * @example
 * ```ts
 * const { value, gradient } = expectationAndGradient(circuit, new Float64Array(circuit.numParameters), circuit.observables[0]!);
 * ```
 */
export function expectationAndGradient(
  circuit: Circuit, params: Float64Array, observable: Observable, options: SimulatorOptions = {},
): { value: number; gradient: Float64Array } {
  const { cc, obs, state, maxQubits } = prepare(circuit, observable, options, 2, 'adjoint gradient');
  const angles = new Float64Array(cc.gates.length);
  evaluateAngles(cc, params, angles);
  const gradient = new Float64Array(cc.numParameters);
  const psi = StateVector.initial(cc.numQubits, state, maxQubits);
  const G = cc.gates.length;
  const onProgress = options.onProgress;
  runForward(cc, angles, psi, G, onProgress ? (done) => onProgress(done, 2 * G) : undefined);
  const lambda = StateVector.allocate(cc.numQubits, maxQubits);
  for (let t = 0; t < obs!.masks.length; t++) {
    accumulatePauli(obs!.masks[t]!, obs!.coeffs[t]!, psi.re, psi.im, lambda.re, lambda.im);
  }
  const overlap = new Float64Array(2);
  pauliMatrixElement({ x: 0, z: 0, numY: 0 }, psi.re, psi.im, lambda.re, lambda.im, overlap);
  const value = overlap[0]!;

  const { termStart, termParam, termCoeff } = cc;
  let first = 0;
  while (first < cc.gates.length && termStart[first] === termStart[first + 1]) first++;
  for (let g = cc.gates.length - 1; g >= first; g--) {
    onProgress?.(2 * G - g, 2 * G);
    const t0 = termStart[g]!, t1 = termStart[g + 1]!;
    if (t0 === t1) {
      unapplyGate(cc, g, angles, psi);
      unapplyGate(cc, g, angles, lambda);
      continue;
    }
    const d = adjointRotationStep(cc.gates[g]!.mask!, angles[g]!, psi.re, psi.im, lambda.re, lambda.im);
    for (let t = t0; t < t1; t++) gradient[termParam[t]!]! += termCoeff[t]! * d;
  }
  return { value, gradient };
}
