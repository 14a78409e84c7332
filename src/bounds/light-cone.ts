import { evaluateExpr } from '../ir/affine.js';
import type { Circuit, Observable } from '../ir/types.js';

/**
 * The backward light cone of an observable: the gates that can influence ⟨U†OU⟩. Walking the
 * gates last to first with the set of qubits the propagated observable may touch, a gate whose
 * qubits miss that set commutes with everything the observable can be at that point, so it (and
 * any parameter only it uses) drops out; a gate that meets the set may spread it over all its
 * qubits. The qubit set is a superset of the true support at every step, so everything derived
 * from the cone is an upper bound.
 */
export interface LightCone {
  /** Qubits in the cone (the support of the observable pulled back to the start). */
  readonly qubits: number;
  /** Rotations in the cone whose angle depends on a parameter (symbolic steps of the surrogate). */
  readonly symbolicRotations: number;
  /**
   * Rotations in the cone with a fixed non-Clifford angle part at the expansion point (each can
   * double the number of Pauli strings, in either surrogate, without raising the order).
   */
  readonly fixedRotations: number;
  /** Distinct parameters that appear in the cone: the variables a surrogate can depend on. */
  readonly parameters: number;
  /** Number of Pauli terms of the observable (an identity term is a string too). */
  readonly observableTerms: number;
}

const HALF_PI = Math.PI / 2;

/** True when angle a is not a multiple of π/2 (up to a few ulps), i.e. a non-Clifford rotation. */
function nonClifford(a: number): boolean {
  const r = a - Math.round(a / HALF_PI) * HALF_PI;
  return Math.abs(r) > 8 * Number.EPSILON * Math.max(1, Math.abs(a));
}

/**
 * The light cone of `observable` (every qubit when null: the whole circuit counts) with the
 * rotation angles taken at `center` (default all zeros) to tell fixed non-Clifford parts apart.
 */
export function lightCone(circuit: Circuit, observable: Observable | null, center?: ArrayLike<number>): LightCone {
  const n = circuit.numQubits;
  const inCone = new Uint8Array(n);
  let observableTerms = 0;
  if (observable === null) {
    inCone.fill(1);
    observableTerms = 1;
  } else {
    observableTerms = observable.terms.length;
    for (const t of observable.terms) for (const q of t.pauli.qubits) if (q < n) inCone[q] = 1;
  }
  const point = center ?? new Float64Array(circuit.numParameters);
  const usedParam = new Uint8Array(circuit.numParameters);
  let symbolicRotations = 0;
  let fixedRotations = 0;
  let parameters = 0;
  for (let g = circuit.gates.length - 1; g >= 0; g--) {
    const gate = circuit.gates[g]!;
    // A channel scales Pauli strings (amplitude damping also maps Z to I): it never spreads support.
    if (gate.kind === 'channel') continue;
    const qubits = gate.kind === 'rotation' ? gate.pauli.qubits : gate.qubits;
    let touches = false;
    for (const q of qubits) if (inCone[q]) touches = true;
    if (!touches) continue;
    for (const q of qubits) inCone[q] = 1;
    if (gate.kind === 'clifford') continue;
    if (gate.angle.terms.length > 0) {
      symbolicRotations++;
      for (const { param } of gate.angle.terms) {
        if (!usedParam[param]) {
          usedParam[param] = 1;
          parameters++;
        }
      }
    }
    if (nonClifford(evaluateExpr(gate.angle, point))) fixedRotations++;
  }
  let qubitsInCone = 0;
  for (let q = 0; q < n; q++) qubitsInCone += inCone[q]!;
  return { qubits: qubitsInCone, symbolicRotations, fixedRotations, parameters, observableTerms };
}

/** The cone assumed when only the parameter count D is known: D one-parameter gates, one Pauli. */
export function assumedLightCone(D: number): LightCone {
  return { qubits: 0, symbolicRotations: D, fixedRotations: 0, parameters: D, observableTerms: 1 };
}

// ---------------------------------------------------------------------------------------------
// Per-term light cones: the light-cone bound (docs/bounds.md §2)

/** Observable terms sharing one backward light cone. */
export interface LightConeGroup {
  /** Σ|c_i| over the group's non-identity terms. */
  readonly weight: number;
  /** The symbolic rotations (rows of A, circuit order) in the cone, increasing. */
  readonly rows: Int32Array;
  /** Π over fixed non-Clifford rotations in the cone of (|cos r| + |sin r|), r the residual at the center. */
  readonly fixedGain: number;
}

/**
 * The backward light cone of every non-identity term, grouped by identical row sets. Identity
 * terms are constants: no derivative, no error. Gates outside a term's cone commute with the
 * term's Heisenberg image at every stage, so the term's expectation does not depend on them.
 */
export function termLightCones(circuit: Circuit, observable: Observable, center?: ArrayLike<number>): LightConeGroup[] {
  const n = circuit.numQubits;
  const point = center ?? new Float64Array(circuit.numParameters);
  const rowOfGate = new Int32Array(circuit.gates.length).fill(-1);
  const gainOfGate = new Float64Array(circuit.gates.length).fill(1);
  let rows = 0;
  circuit.gates.forEach((g, i) => {
    if (g.kind !== 'rotation') return;
    if (g.angle.terms.length > 0) rowOfGate[i] = rows++;
    const a = evaluateExpr(g.angle, point);
    const r = a - Math.round(a / HALF_PI) * HALF_PI;
    if (nonClifford(a)) gainOfGate[i] = Math.abs(Math.cos(r)) + Math.abs(Math.sin(r));
  });
  const groups = new Map<string, { weight: number; rows: Int32Array; fixedGain: number }>();
  const inCone = new Uint8Array(n);
  for (const t of observable.terms) {
    if (t.pauli.qubits.length === 0 || t.coeff === 0) continue;
    inCone.fill(0);
    for (const q of t.pauli.qubits) if (q < n) inCone[q] = 1;
    const list: number[] = [];
    let gain = 1;
    for (let g = circuit.gates.length - 1; g >= 0; g--) {
      const gate = circuit.gates[g]!;
      // A channel maps strings supported in the cone to strings supported in it (factors, and
      // amplitude damping's Z → I): it never widens the cone and has no angle (docs/bounds.md §7).
      if (gate.kind === 'channel') continue;
      const qubits = gate.kind === 'rotation' ? gate.pauli.qubits : gate.qubits;
      let touches = false;
      for (const q of qubits) if (inCone[q]) touches = true;
      if (!touches) continue;
      for (const q of qubits) inCone[q] = 1;
      if (rowOfGate[g]! >= 0) list.push(rowOfGate[g]!);
      gain *= gainOfGate[g]!;
    }
    list.reverse();
    const key = list.join(',') + '|' + gain;
    const prev = groups.get(key);
    if (prev) prev.weight += Math.abs(t.coeff);
    else groups.set(key, { weight: Math.abs(t.coeff), rows: Int32Array.from(list), fixedGain: gain });
  }
  return [...groups.values()];
}
