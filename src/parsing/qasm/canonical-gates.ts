import { constantExpr, parameterExpr } from '../../ir/affine.js';
import { cliffordGate, GATE_LIBRARY, rotationGate } from '../../ir/gate-library.js';
import type { UnitaryGate, PauliLetter } from '../../ir/types.js';

/**
 * Gate definitions the OpenQASM 3 exporter writes for IR gates that `stdgates.inc` lacks — Pauli
 * rotations on several qubits (`rxx`, `ryy`, `rzz`, `pauli_XZY`, …) and `sxdg` — and that the
 * importer recognizes again. A definition whose body lowers to exactly one of the known bodies
 * below becomes the single IR gate it stands for; any other body is expanded as written. So the
 * round trip IR → QASM 3 → IR returns the same gates, and Qiskit's own definitions of rxx/ryy/rzz/
 * rzx/sxdg import compactly too.
 */

/** One gate application of a definition body on the definition's qubits 0…k−1. */
export interface BodyOp {
  readonly gate: string;
  readonly qubits: readonly number[];
  /** 'theta' = the definition's single parameter; a number = that constant. */
  readonly angle?: 'theta' | number;
}

/** Name of the exported definition for a rotation on several qubits with these letters. */
export function rotationDefinitionName(letters: string): string {
  if (letters === 'XX' || letters === 'YY' || letters === 'ZZ') return `r${letters.toLowerCase()}`;
  return `pauli_${letters}`;
}

/** The Pauli letters a definition name stands for (rxx, ryy, rzz, rzx, pauli_XZY), or null. */
export function rotationLettersOfName(name: string): string | null {
  if (name === 'rxx' || name === 'ryy' || name === 'rzz' || name === 'rzx') return name.slice(1).toUpperCase();
  const m = /^pauli_([XYZ]{2,})$/.exec(name);
  return m ? m[1]! : null;
}

/**
 * exp(−iθ P/2) for P = letters on qubits 0…k−1: per qubit a basis change V with V P_q V† = Z (h for
 * X; sdg then h for Y), a CX ladder collecting the parity on the last qubit, rz(θ) there, and the
 * same undone. `yBasis` selects Qiskit's rx(π/2) … rx(−π/2) form for Y.
 */
export function rotationBody(letters: string, yBasis: 'sdg-h' | 'rx' = 'sdg-h'): BodyOp[] {
  const k = letters.length;
  const pre: BodyOp[] = [];
  const post: BodyOp[] = [];
  for (let q = 0; q < k; q++) {
    const l = letters[q] as PauliLetter;
    if (l === 'X') {
      pre.push({ gate: 'h', qubits: [q] });
      post.push({ gate: 'h', qubits: [q] });
    } else if (l === 'Y') {
      if (yBasis === 'rx') {
        pre.push({ gate: 'rx', qubits: [q], angle: Math.PI / 2 });
        post.push({ gate: 'rx', qubits: [q], angle: -Math.PI / 2 });
      } else {
        pre.push({ gate: 'sdg', qubits: [q] }, { gate: 'h', qubits: [q] });
        post.push({ gate: 'h', qubits: [q] }, { gate: 's', qubits: [q] });
      }
    }
  }
  const ladder: BodyOp[] = [];
  for (let q = 0; q + 1 < k; q++) ladder.push({ gate: 'cx', qubits: [q, q + 1] });
  return [...pre, ...ladder, { gate: 'rz', qubits: [k - 1], angle: 'theta' }, ...ladder.slice().reverse(), ...post];
}

/** Body the exporter writes for `sxdg` (s·h·s = e^{iπ/4}·sx†), as Qiskit does. */
export const SXDG_BODY: readonly BodyOp[] = [
  { gate: 's', qubits: [0] },
  { gate: 'h', qubits: [0] },
  { gate: 's', qubits: [0] },
];

/** A recognizable definition: its arity, parameter count, accepted bodies, and what it becomes. */
export interface KnownDefinition {
  readonly numQubits: number;
  readonly numParams: number;
  readonly bodies: readonly (readonly BodyOp[])[];
  /** The IR gates for qubits 0…k−1 with the parameter as flat index 0. */
  readonly replacement: readonly UnitaryGate[];
}

export function knownDefinition(name: string): KnownDefinition | null {
  if (name === 'sxdg') {
    return { numQubits: 1, numParams: 0, bodies: [SXDG_BODY], replacement: [cliffordGate('sxdg', [0])] };
  }
  const letters = rotationLettersOfName(name);
  if (letters === null) return null;
  const qubits = Array.from(letters, (_, i) => i);
  const bodies = [rotationBody(letters)];
  if (letters.includes('Y')) bodies.push(rotationBody(letters, 'rx'));
  return { numQubits: letters.length, numParams: 1, bodies, replacement: [rotationGate(letters, qubits, parameterExpr(0))] };
}

/** IR lowering of a body with the parameter as flat index 0. */
export function lowerBody(body: readonly BodyOp[]): UnitaryGate[] {
  const out: UnitaryGate[] = [];
  for (const op of body) {
    const def = GATE_LIBRARY.get(op.gate)!;
    const angles = op.angle === undefined ? [] : [op.angle === 'theta' ? parameterExpr(0) : constantExpr(op.angle)];
    out.push(...def.lower(op.qubits, angles));
  }
  return out;
}

/** Structural equality of IR gate lists (same gates, qubits, letters and exact angles). */
export function sameGates(a: readonly UnitaryGate[], b: readonly UnitaryGate[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.kind === 'clifford') {
      if (y.kind !== 'clifford' || x.name !== y.name || !sameNumbers(x.qubits, y.qubits)) return false;
    } else {
      if (y.kind !== 'rotation' || !sameNumbers(x.pauli.qubits, y.pauli.qubits)) return false;
      if (x.pauli.letters.join('') !== y.pauli.letters.join('')) return false;
      if (x.angle.constant !== y.angle.constant || x.angle.terms.length !== y.angle.terms.length) return false;
      for (let j = 0; j < x.angle.terms.length; j++) {
        const s = x.angle.terms[j]!;
        const t = y.angle.terms[j]!;
        if (s.param !== t.param || s.coeff !== t.coeff) return false;
      }
    }
  }
  return true;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
