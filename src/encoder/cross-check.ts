import { freezeCircuit, cliffordPointGradient } from '../clifford-point/frozen.js';
import type { InitialState } from '../ir/states.js';
import type { Observable } from '../ir/types.js';
import { cliffordExpectation } from '../clifford-point/heisenberg.js';
import { expectationAndGradient } from '../simulators/statevector/index.js';
import type { LceResult } from './lce.js';

/**
 * Independent confirmation of an encoding before it is written: C(θ*) of the encoded term by the
 * propagation engine's Clifford evaluation, and ∂_k by an exact two-point parameter shift through
 * it (the target drives one gate with slope c: ∂_φ C = c·[C(a+π/2) − C(a−π/2)]/2); for up to
 * `stateVectorQubits` qubits also the state-vector adjoint gradient. Also reports the full
 * observable's value and derivative at θ* (for a Pauli sum they include the other terms).
 */
export interface CrossCheck {
  readonly methods: readonly string[];
  readonly observableValue: number;
  readonly observableDerivative: number;
}

/**
 * Re-derives the encoded value and target derivative by independent engines (Clifford evaluation with
 * a parameter shift; the state vector up to `stateVectorQubits`). Throws an Error (a bug, not a user
 * mistake) when they disagree with the encoder's own verification.
 */
export function crossCheckEncoding(
  result: LceResult, observable: Observable, initialState: InitialState, stateVectorQubits = 16,
): CrossCheck {
  const { circuit, center, target } = result;
  const term: Observable = { name: 'term', terms: [{ coeff: 1, pauli: observable.terms[result.term]!.pauli }] };
  const methods = ['clifford gradient'];
  const fail = (what: string, got: number, want: number) => {
    throw new Error(`LCE verification failed (${what}: got ${got}, expected ${want}); please report this as a bug`);
  };
  const value = cliffordExpectation(circuit, center, term, initialState);
  if (Math.abs(value) > 1e-9) fail('C(θ*) by Clifford propagation', value, 0);
  const gates = circuit.gates.filter((g) => g.kind === 'rotation' && g.angle.terms.some((t) => t.param === target));
  if (gates.length === 1 && gates[0]!.kind === 'rotation') {
    const slope = gates[0]!.angle.terms.find((t) => t.param === target)!.coeff;
    const shifted = Float64Array.from(center);
    shifted[target] = center[target]! + Math.PI / (2 * slope);
    const plus = cliffordExpectation(circuit, shifted, term, initialState);
    shifted[target] = center[target]! - Math.PI / (2 * slope);
    const minus = cliffordExpectation(circuit, shifted, term, initialState);
    const d = (slope * (plus - minus)) / 2;
    if (Math.abs(d - result.sign) > 1e-9) fail('∂_k C by parameter shift', d, result.sign);
    methods.push('clifford propagation + parameter shift');
  }
  if (circuit.numQubits <= stateVectorQubits) {
    const sv = expectationAndGradient(circuit, center, term, { initialState });
    if (Math.abs(sv.value) > 1e-9) fail('C(θ*) by state vector', sv.value, 0);
    if (Math.abs(sv.gradient[target]! - result.sign) > 1e-9) fail('∂_k C by state vector', sv.gradient[target]!, result.sign);
    methods.push('state vector');
  }
  const frame = freezeCircuit(circuit.gates, circuit.numQubits, center);
  const full = cliffordPointGradient(frame, circuit.numParameters, observable.terms, initialState);
  return { methods, observableValue: full.value, observableDerivative: full.gradient[target]! };
}
