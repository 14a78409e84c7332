import { evaluateExpr } from '../ir/affine.js';
import { parameterName } from '../ir/parameters.js';
import type { Circuit, Gate, Observable } from '../ir/types.js';
import { lightCone, type LightCone } from '../bounds/light-cone.js';
import { formatSparsePauli } from '../pauli/sparse.js';
import { quarterTurns } from '../clifford-point/heisenberg.js';

/**
 * The circuit section: what the circuit is made of, read off the IR without simulating anything.
 * Depth is the ASAP layering (each gate one layer after the latest gate on any of its qubits), so
 * the diagram and the depth agree.
 */
export interface GateKindCount {
  readonly kind: string;
  readonly count: number;
}

export interface TermLightCone extends LightCone {
  readonly term: number;
  readonly pauli: string;
  readonly coeff: number;
}

export interface CircuitInfo {
  readonly qubits: number;
  readonly gates: number;
  readonly depth: number;
  readonly gateKinds: readonly GateKindCount[];
  readonly parameters: number;
  /** Parameters driving more than one gate (name and gate count), and parameters driving none. */
  readonly sharedParameters: readonly { readonly name: string; readonly gates: number }[];
  readonly unusedParameters: readonly string[];
  /** Rotations whose angle depends on a parameter. */
  readonly parametrizedRotations: number;
  /** Rotations with a non-Clifford angle at the center (their fixed part is not a multiple of π/2). */
  readonly fixedNonClifford: readonly { readonly gate: number; readonly pauli: string; readonly angle: number; readonly parametrized: boolean }[];
  readonly observable: string;
  readonly observableTerms: number;
  readonly lightCones: readonly TermLightCone[];
  /** Layer of every gate (0-based), for the diagram. */
  readonly layers: Int32Array;
}

/** `rx`, `rzz`, `rot(XYZ)` for rotations: single-letter strings on 1 or 2 qubits get their gate names. */
export function gateKind(g: Gate): string {
  if (g.kind !== 'rotation') return g.name;
  const letters = g.pauli.letters;
  if (letters.length === 1) return `r${letters[0]!.toLowerCase()}`;
  if (letters.length === 2 && letters[0] === letters[1]) return `r${letters[0]!.toLowerCase()}${letters[1]!.toLowerCase()}`;
  return `rot(${letters.join('')})`;
}

export function gateQubits(g: Gate): readonly number[] {
  return g.kind === 'rotation' ? g.pauli.qubits : g.qubits;
}

/** ASAP layers: a gate spanning qubits a..b (its vertical extent in the diagram) blocks all of them. */
export function asapLayers(circuit: Circuit): { layers: Int32Array; depth: number } {
  const front = new Int32Array(circuit.numQubits);
  const layers = new Int32Array(circuit.gates.length);
  let depth = 0;
  circuit.gates.forEach((g, i) => {
    const qs = gateQubits(g);
    let lo = Infinity, hi = -Infinity;
    for (const q of qs) {
      lo = Math.min(lo, q);
      hi = Math.max(hi, q);
    }
    let layer = 0;
    for (let q = lo; q <= hi; q++) layer = Math.max(layer, front[q]!);
    for (let q = lo; q <= hi; q++) front[q] = layer + 1;
    layers[i] = layer;
    depth = Math.max(depth, layer + 1);
  });
  return { layers, depth };
}

export function circuitInfo(circuit: Circuit, observable: Observable, center: Float64Array): CircuitInfo {
  const kinds = new Map<string, number>();
  const uses = new Int32Array(circuit.numParameters);
  let parametrizedRotations = 0;
  const fixedNonClifford: CircuitInfo['fixedNonClifford'][number][] = [];
  circuit.gates.forEach((g, i) => {
    const k = gateKind(g);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
    if (g.kind !== 'rotation') return;
    if (g.angle.terms.length > 0) parametrizedRotations++;
    for (const t of g.angle.terms) uses[t.param]!++;
    const a = evaluateExpr(g.angle, center);
    if (quarterTurns(a) < 0) {
      fixedNonClifford.push({ gate: i, pauli: formatSparsePauli(g.pauli), angle: a, parametrized: g.angle.terms.length > 0 });
    }
  });
  const sharedParameters: { name: string; gates: number }[] = [];
  const unusedParameters: string[] = [];
  uses.forEach((n, k) => {
    if (n > 1) sharedParameters.push({ name: parameterName(circuit.parameters, k), gates: n });
    if (n === 0) unusedParameters.push(parameterName(circuit.parameters, k));
  });
  const { layers, depth } = asapLayers(circuit);
  const lightCones = observable.terms.map((t, i) => ({
    term: i,
    pauli: formatSparsePauli(t.pauli),
    coeff: t.coeff,
    ...lightCone(circuit, { name: 'term', terms: [t] }, center),
  }));
  return {
    qubits: circuit.numQubits,
    gates: circuit.gates.length,
    depth,
    gateKinds: [...kinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
    parameters: circuit.numParameters,
    sharedParameters,
    unusedParameters,
    parametrizedRotations,
    fixedNonClifford,
    observable: observable.name,
    observableTerms: observable.terms.length,
    lightCones,
    layers,
  };
}
