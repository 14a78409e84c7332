import { evaluateExpr } from '../ir/affine.js';
import { UserError } from '../ir/errors.js';
import type { Circuit, Gate } from '../ir/types.js';
import { formatObservable } from '../pauli/observable-text.js';
import { rotationBody } from '../parsing/qasm/canonical-gates.js';
import { formatConstant } from './qasm.js';

/**
 * Exports a circuit as OpenQASM 2.0 over `qelib1.inc`, for tools that read nothing newer. OpenQASM
 * 2 has no free parameters, so a parametrized circuit needs a point (`params`): every angle is
 * written as its number there. Clifford gates keep their qelib1 names; one-qubit rotations are
 * rx/ry/rz; a rotation exp(−iθP/2) on several qubits is written inline as the basis change to Z
 * (h for X; sdg, h for Y), a CX ladder onto the last qubit, rz(θ) and the same undone — exact up
 * to a global phase, and free of gate definitions, which some older readers bind wrongly.
 * Observables travel as `// nearclifford:observable` comments, which our importer reads back.
 */
export function circuitToQasm2(circuit: Circuit, params?: ArrayLike<number>): string {
  if (circuit.numParameters > 0 && params === undefined) {
    const names = circuit.parameters.map((p) => (p.length === null ? p.name : `${p.name}[${p.length}]`)).join(', ');
    throw new UserError(`OpenQASM 2 has no free parameters: bind them with --params (the circuit has ${names}), or convert to OpenQASM 3 with --to qasm`);
  }
  const point = params ?? new Float64Array(0);
  const lines = ['OPENQASM 2.0;', 'include "qelib1.inc";', '// Exported by nearclifford.'];
  for (const o of circuit.observables) {
    if (/^[\p{L}_][\p{L}\p{N}_]*$/u.test(o.name)) lines.push(`// nearclifford:observable ${o.name} = ${formatObservable(o)}`);
  }
  lines.push(`qreg q[${circuit.numQubits}];`);
  for (const g of circuit.gates) renderGate(g, point, lines);
  return lines.join('\n') + '\n';
}

function renderGate(g: Gate, params: ArrayLike<number>, out: string[]): void {
  const q = (i: number) => `q[${i}]`;
  if (g.kind === 'clifford') {
    out.push(`${g.name} ${g.qubits.map(q).join(',')};`);
    return;
  }
  if (g.kind === 'channel') {
    throw new UserError(`OpenQASM 2 has no noise channels (${g.name}); export OpenQASM 3, which carries them as pragmas`, g.source);
  }
  const angle = evaluateExpr(g.angle, params);
  if (!Number.isFinite(angle)) throw new UserError('a gate angle is not finite at the given parameters');
  const text = angle < 0 ? `-${formatConstant(-angle)}` : formatConstant(angle);
  const { qubits, letters } = g.pauli;
  if (qubits.length === 1) {
    out.push(`r${letters[0]!.toLowerCase()}(${text}) ${q(qubits[0]!)};`);
    return;
  }
  for (const op of rotationBody(letters.join(''))) {
    const a = op.angle === undefined ? '' : `(${op.angle === 'theta' ? text : formatConstant(op.angle)})`;
    out.push(`${op.gate}${a} ${op.qubits.map((i) => q(qubits[i]!)).join(',')};`);
  }
}
