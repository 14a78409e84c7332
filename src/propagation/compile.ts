import { evaluateExpr } from '../ir/affine.js';
import type { Circuit, UnitaryGate } from '../ir/types.js';
import { CLIFFORD_TABLES } from '../pauli/clifford-tables.js';
import { wordsFor } from '../pauli/packed.js';
import { formatSparsePauli, packedFromSparse } from '../pauli/sparse.js';
import { checkParams } from '../ir/parameters.js';
import { unitaryGates } from '../ir/circuit.js';

/**
 * Gates prepared for the propagation core (core.ts): in Heisenberg (reverse circuit) order, angles
 * evaluated, generators packed as the few words they touch, Clifford gates as lookup tables.
 */
export interface CompiledClifford {
  readonly kind: 'clifford';
  /** 1-based position in the circuit, for messages. */
  readonly position: number;
  readonly gate: UnitaryGate;
  /** Table of clifford-tables.ts (4 or 16 entries). */
  readonly map: Uint8Array;
  readonly q0: number;
  /** −1 for one-qubit gates. */
  readonly q1: number;
}

export interface CompiledRotation {
  readonly kind: 'rotation';
  readonly position: number;
  readonly gate: UnitaryGate;
  readonly angle: number;
  readonly cos: number;
  readonly sin: number;
  /** Indices (within one plane) of the words where the generator is not the identity. */
  readonly words: Int32Array;
  /** X-plane and Z-plane words of the generator, one per entry of `words`. */
  readonly gx: Uint32Array;
  readonly gz: Uint32Array;
  /** Every rotation's branches count for maxSins / maxFreq in numeric propagation. */
  readonly counts: true;
  /** Index in the compiled (Heisenberg-order) list. */
  readonly step: number;
}

export type CompiledGate = CompiledClifford | CompiledRotation;

export { checkParams };

/** Compiles the circuit's gates at the parameter point, last gate first. */
export function compileHeisenberg(circuit: Circuit, params: ArrayLike<number>): CompiledGate[] {
  checkParams(circuit, params);
  const W = wordsFor(circuit.numQubits);
  const out: CompiledGate[] = [];
  const gates = unitaryGates(circuit, 'Pauli propagation', 'noise channels in propagation are not supported yet');
  for (let i = gates.length - 1; i >= 0; i--) out.push(compileGate(gates[i]!, i + 1, params, W, out.length));
  return out;
}

function compileGate(g: UnitaryGate, position: number, params: ArrayLike<number>, W: number, step: number): CompiledGate {
  if (g.kind === 'clifford') {
    return { kind: 'clifford', position, gate: g, map: CLIFFORD_TABLES[g.name].map, q0: g.qubits[0]!, q1: g.qubits[1] ?? -1 };
  }
  const angle = evaluateExpr(g.angle, params);
  const packed = packedFromSparse(g.pauli, W * 32);
  const words: number[] = [];
  for (let k = 0; k < W; k++) if (packed[k] !== 0 || packed[W + k] !== 0) words.push(k);
  return {
    kind: 'rotation',
    position,
    gate: g,
    angle,
    cos: Math.cos(angle),
    sin: Math.sin(angle),
    words: Int32Array.from(words),
    gx: Uint32Array.from(words, (k) => packed[k]!),
    gz: Uint32Array.from(words, (k) => packed[W + k]!),
    counts: true,
    step,
  };
}

/** `gate 12 (rotation Z3 Z4 at file.ncl:7)`-style description for messages. */
export function describeGate(g: CompiledGate): string {
  const what =
    g.gate.kind === 'clifford'
      ? `${g.gate.name} ${g.gate.qubits.join(',')}`
      : `rotation ${formatSparsePauli(g.gate.pauli)}`;
  const src = g.gate.source;
  return src ? `${what} at ${src.file}:${src.line}` : what;
}
