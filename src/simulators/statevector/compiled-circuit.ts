import { UserError } from '../../ir/errors.js';
import type { Circuit, CliffordName, Observable } from '../../ir/types.js';
import { inverseClifford } from './clifford-kernels.js';
import type { PauliMask } from './pauli-mask.js';
import { maskFromSparse } from './pauli-mask.js';
import type { StateVector } from './state.js';
import { unitaryGates } from '../../ir/circuit.js';

/**
 * A circuit prepared once for repeated simulation: generator masks computed, qubits validated,
 * and angle evaluation reduced to flat arrays (constant + Σ coeff·φ[param]) so a batch of
 * parameter points does no per-gate object work beyond one switch.
 */
export interface CompiledGate {
  readonly clifford: CliffordName | null;
  readonly qubits: readonly number[];
  /** Generator of a rotation (null for Clifford gates). */
  readonly mask: PauliMask | null;
}

export interface CompiledCircuit {
  readonly numQubits: number;
  readonly numParameters: number;
  readonly gates: readonly CompiledGate[];
  /** Per gate: angle constant (0 for Cliffords). */
  readonly angleConstant: Float64Array;
  /** Per gate g: its affine terms are entries termStart[g] … termStart[g+1]−1 of termParam/termCoeff. */
  readonly termStart: Int32Array;
  readonly termParam: Int32Array;
  readonly termCoeff: Float64Array;
}

export function compileCircuit(circuit: Circuit): CompiledCircuit {
  const n = circuit.numQubits;
  const gates: CompiledGate[] = [];
  const angleConstant = new Float64Array(circuit.gates.length);
  const termStart = new Int32Array(circuit.gates.length + 1);
  const params: number[] = [];
  const coeffs: number[] = [];
  unitaryGates(circuit, 'the state-vector simulator', 'simulate them with the density-matrix simulator (`simulate` does so automatically)').forEach((g, i) => {
    termStart[i] = params.length;
    if (g.kind === 'clifford') {
      for (const q of g.qubits) {
        if (!Number.isInteger(q) || q < 0 || q >= n) throw new UserError(`gate ${g.name} acts on qubit ${q} of a ${n}-qubit circuit`);
      }
      gates.push({ clifford: g.name, qubits: g.qubits, mask: null });
      return;
    }
    gates.push({ clifford: null, qubits: g.pauli.qubits, mask: maskFromSparse(g.pauli, n) });
    angleConstant[i] = g.angle.constant;
    for (const t of g.angle.terms) {
      if (t.param < 0 || t.param >= circuit.numParameters) {
        throw new UserError(`gate ${i} refers to parameter ${t.param} but the circuit has ${circuit.numParameters}`);
      }
      params.push(t.param);
      coeffs.push(t.coeff);
    }
  });
  termStart[circuit.gates.length] = params.length;
  return {
    numQubits: n,
    numParameters: circuit.numParameters,
    gates,
    angleConstant,
    termStart,
    termParam: Int32Array.from(params),
    termCoeff: Float64Array.from(coeffs),
  };
}

/** Evaluates every gate angle at the parameter point into `out` (length = number of gates). */
export function evaluateAngles(cc: CompiledCircuit, params: ArrayLike<number>, out: Float64Array): void {
  if (params.length !== cc.numParameters) {
    throw new UserError(`expected ${cc.numParameters} parameter values, got ${params.length}`);
  }
  const { angleConstant, termStart, termParam, termCoeff } = cc;
  for (let g = 0; g < cc.gates.length; g++) {
    let a = angleConstant[g]!;
    for (let t = termStart[g]!; t < termStart[g + 1]!; t++) a += termCoeff[t]! * (params[termParam[t]!] as number);
    out[g] = a;
  }
}

/** Runs gates [0, end) forward on the state; `onGate(done)` after each gate (progress, time limit). */
export function runForward(
  cc: CompiledCircuit, angles: Float64Array, sv: StateVector, end = cc.gates.length, onGate?: (done: number) => void,
): void {
  for (let g = 0; g < end; g++) {
    const gate = cc.gates[g]!;
    if (gate.clifford !== null) sv.applyClifford(gate.clifford, gate.qubits);
    else sv.applyPauliRotation(gate.mask!, angles[g]!);
    onGate?.(g + 1);
  }
}

/** Un-applies gate g (its inverse) from the state. */
export function unapplyGate(cc: CompiledCircuit, g: number, angles: Float64Array, sv: StateVector): void {
  const gate = cc.gates[g]!;
  if (gate.clifford !== null) sv.applyClifford(inverseClifford(gate.clifford), gate.qubits);
  else sv.applyPauliRotation(gate.mask!, -angles[g]!);
}

/** Generator masks of an observable's terms, validated against the register. */
export function compileObservable(obs: Observable, numQubits: number): { masks: PauliMask[]; coeffs: Float64Array } {
  return {
    masks: obs.terms.map((t) => maskFromSparse(t.pauli, numQubits)),
    coeffs: Float64Array.from(obs.terms, (t) => t.coeff),
  };
}
