import { formatNumber } from '../ir/affine.js';
import type { AffineExpr, Circuit, Gate } from '../ir/types.js';
import { formatChannel } from './dsl.js';
import { formatObservable } from '../pauli/observable-text.js';
import { rotationBody, rotationDefinitionName, SXDG_BODY, type BodyOp } from '../parsing/qasm/canonical-gates.js';

/**
 * Exports any IR circuit as OpenQASM 3 that Qiskit and other tools can read:
 *
 * - Clifford gates keep their stdgates.inc names; `sxdg`, which stdgates.inc lacks, gets a
 *   definition (s; h; s — equal up to global phase).
 * - Rotations on one qubit are rx/ry/rz. Rotations on several qubits are calls of a gate defined
 *   once per distinct letter pattern: `rxx`, `ryy`, `rzz`, or `pauli_<letters>` (e.g.
 *   `pauli_XZY`), whose body changes each letter's basis to Z (h for X; sdg, h for Y), collects
 *   the parity with a CX ladder onto the last qubit, applies rz(θ) there and undoes the rest —
 *   exp(−iθP/2) exactly up to global phase. Operands are listed in increasing qubit order.
 * - Parameters become scalar inputs, `input float[64] NAME;`. A scalar keeps its name; element i
 *   of a vector `theta` becomes `theta_i`. Names that would clash with QASM keywords, built-in
 *   gates, constants, functions or each other get `_` appended. One comment per declaration,
 *   `// nearclifford:param theta[12] theta_` (vector: length and the element prefix) or
 *   `// nearclifford:param a a` (scalar: its input), lets our importer rebuild the declarations
 *   with their original names (omitted when all parameters are scalars that kept their names);
 *   observables travel as `// nearclifford:observable H = …`. To other tools these are plain
 *   comments and the inputs are ordinary scalar parameters.
 *
 * Importing the output with parseQasm gives back the same gates, parameters and observables.
 */
export function circuitToQasm3(circuit: Circuit): string {
  const lines: string[] = ['OPENQASM 3.0;', 'include "stdgates.inc";'];
  const used = new Set<string>(RESERVED);

  // Gate definitions first claim their names, so parameters are renamed around them.
  const definitions = new Map<string, string>();
  for (const g of circuit.gates) {
    if (g.kind === 'clifford' && g.name === 'sxdg' && !definitions.has('sxdg')) {
      definitions.set('sxdg', renderDefinition('sxdg', [], 1, SXDG_BODY));
    } else if (g.kind === 'rotation' && g.pauli.qubits.length > 1) {
      const letters = g.pauli.letters.join('');
      const name = rotationDefinitionName(letters);
      if (!definitions.has(name)) definitions.set(name, renderDefinition(name, ['th'], letters.length, rotationBody(letters)));
    }
  }
  for (const name of definitions.keys()) used.add(name);
  // Formal names of the definitions stay distinct from inputs too, for readers that do not scope them.
  if (definitions.size > 0) {
    used.add('th');
    for (let i = 0; i < circuit.numQubits; i++) used.add(`q${i}`);
  }
  // Pragmas need identifier names; a circuit built with other names exports plain scalar inputs.
  const withPragmas = circuit.parameters.every((d) => isIdentifier(d.name));

  const inputNames: string[] = new Array<string>(circuit.numParameters);
  const pragmas: string[] = [];
  // Scalars that keep their names import the same without the comments.
  let plainScalars = true;
  for (const d of circuit.parameters) {
    if (d.length === null) {
      const id = fresh(sanitize(d.name), used);
      inputNames[d.offset] = id;
      pragmas.push(`// nearclifford:param ${d.name} ${id}`);
      if (id !== d.name) plainScalars = false;
    } else {
      const prefix = freshPrefix(`${sanitize(d.name)}_`, d.length, used);
      for (let i = 0; i < d.length; i++) inputNames[d.offset + i] = `${prefix}${i}`;
      pragmas.push(`// nearclifford:param ${d.name}[${d.length}] ${prefix}`);
      plainScalars = false;
    }
  }
  const register = fresh('q', used);

  lines.push('// Exported by nearclifford.');
  if (withPragmas && !plainScalars) for (const p of pragmas) lines.push(p);
  for (const o of circuit.observables) if (isIdentifier(o.name)) lines.push(`// nearclifford:observable ${o.name} = ${formatObservable(o)}`);
  for (const id of inputNames) lines.push(`input float[64] ${id};`);
  for (const d of definitions.values()) lines.push(d);
  lines.push(`qubit[${circuit.numQubits}] ${register};`);
  const nameOf = (p: number) => inputNames[p]!;
  for (const g of circuit.gates) lines.push(renderGate(g, register, nameOf));
  return lines.join('\n') + '\n';
}

function renderGate(g: Gate, register: string, nameOf: (p: number) => string): string {
  if (g.kind === 'clifford') return `${g.name} ${g.qubits.map((q) => `${register}[${q}]`).join(', ')};`;
  // OpenQASM has no noise channels: they travel as pragmas that nearclifford's importer reads back
  // and other tools ignore (docs/dsl.md, "Noise channels").
  if (g.kind === 'channel') return `#pragma nearclifford noise ${formatChannel(g)} ${g.qubits.map((q) => `${register}[${q}]`).join(', ')}`;
  const letters = g.pauli.letters.join('');
  const name = letters.length === 1 ? `r${letters.toLowerCase()}` : rotationDefinitionName(letters);
  return `${name}(${formatAngle(g.angle, nameOf)}) ${g.pauli.qubits.map((q) => `${register}[${q}]`).join(', ')};`;
}

function renderDefinition(name: string, params: readonly string[], numQubits: number, body: readonly BodyOp[]): string {
  const formals = Array.from({ length: numQubits }, (_, i) => `q${i}`);
  const ops = body.map((op) => {
    const angle = op.angle === undefined ? '' : `(${op.angle === 'theta' ? params[0] : formatConstant(op.angle)})`;
    return `  ${op.gate}${angle} ${op.qubits.map((q) => formals[q]).join(', ')};`;
  });
  const head = `gate ${name}${params.length ? `(${params.join(', ')})` : ''} ${formals.join(', ')} {`;
  return [head, ...ops, '}'].join('\n');
}

/**
 * `2*theta_0 - 0.5*a + pi/4`: coefficients and constants print as the shortest decimal that
 * parses back to the same double; a constant that is exactly k·π/d (as the importer evaluates
 * `k*pi/d`) prints in that form.
 */
function formatAngle(expr: AffineExpr, nameOf: (param: number) => string): string {
  const parts: string[] = [];
  for (const t of expr.terms) {
    const mag = Math.abs(t.coeff);
    const body = mag === 1 ? nameOf(t.param) : `${formatNumber(mag)}*${nameOf(t.param)}`;
    parts.push(parts.length === 0 ? (t.coeff < 0 ? `-${body}` : body) : t.coeff < 0 ? ` - ${body}` : ` + ${body}`);
  }
  if (expr.constant !== 0 || parts.length === 0) {
    const mag = formatConstant(Math.abs(expr.constant));
    parts.push(parts.length === 0 ? (expr.constant < 0 ? `-${mag}` : mag) : expr.constant < 0 ? ` - ${mag}` : ` + ${mag}`);
  }
  return parts.join('');
}

/** A non-negative constant as `3*pi/4` when that is exactly its value, else as a decimal. */
function formatConstant(x: number): string {
  if (x < 0) return `-${formatConstant(-x)}`;
  for (const d of [1, 2, 3, 4, 6, 8, 12, 16, 32, 64]) {
    const k = Math.round((x * d) / Math.PI);
    if (k < 1 || k > 64) continue;
    if ((k * Math.PI) / d !== x) continue;
    const num = k === 1 ? 'pi' : `${k}*pi`;
    return d === 1 ? num : `${num}/${d}`;
  }
  return formatNumber(x);
}

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}\p{Mn}\p{Mc}_]/u;

/** A valid OpenQASM 3 identifier derived from a parameter name. */
function sanitize(name: string): string {
  let out = '';
  for (const ch of name) out += IDENT_PART.test(ch) ? ch : '_';
  if (out === '' || !IDENT_START.test(String.fromCodePoint(out.codePointAt(0)!))) out = `_${out}`;
  return out;
}

function isIdentifier(name: string): boolean {
  return name !== '' && sanitize(name) === name;
}

function fresh(base: string, used: Set<string>): string {
  let id = base;
  while (used.has(id)) id += '_';
  used.add(id);
  return id;
}

/** A prefix P such that P0 … P(n−1) are all unused (and claims them). */
function freshPrefix(base: string, n: number, used: Set<string>): string {
  let prefix = base;
  const clashes = (p: string) => {
    for (const u of used) {
      if (u.startsWith(p) && /^(0|[1-9]\d*)$/.test(u.slice(p.length)) && Number(u.slice(p.length)) < n) return true;
    }
    return used.has(p);
  };
  while (clashes(prefix)) prefix += '_';
  for (let i = 0; i < n; i++) used.add(`${prefix}${i}`);
  used.add(prefix);
  return prefix;
}

/** Names an input must not take: keywords, types, built-in gates and constants, math functions. */
const RESERVED: readonly string[] = [
  'OPENQASM', 'include', 'defcalgrammar', 'def', 'cal', 'defcal', 'gate', 'extern', 'box', 'let', 'break', 'continue',
  'if', 'else', 'end', 'return', 'for', 'while', 'in', 'switch', 'case', 'default', 'input', 'output', 'const',
  'readonly', 'mutable', 'qreg', 'qubit', 'creg', 'bool', 'bit', 'int', 'uint', 'float', 'angle', 'complex', 'array',
  'void', 'duration', 'stretch', 'gphase', 'inv', 'pow', 'ctrl', 'negctrl', 'dim', 'durationof', 'delay', 'reset',
  'measure', 'barrier', 'true', 'false', 'im', 'pragma', 'sizeof', 'opaque', 'U', 'CX', 'pi', 'π', 'tau', 'τ', 'euler',
  'ℇ', 'arccos', 'arcsin', 'arctan', 'ceiling', 'cos', 'exp', 'floor', 'log', 'ln', 'mod', 'popcount', 'rotl', 'rotr',
  'sin', 'sqrt', 'tan', 'real', 'imag',
  // stdgates.inc and qelib1.inc gate names
  'p', 'x', 'y', 'z', 'h', 's', 'sdg', 't', 'tdg', 'sx', 'sxdg', 'rx', 'ry', 'rz', 'cx', 'cy', 'cz', 'cp', 'crx', 'cry',
  'crz', 'ch', 'swap', 'ccx', 'cswap', 'cu', 'phase', 'cphase', 'id', 'u1', 'u2', 'u3', 'u', 'u0', 'rxx', 'ryy', 'rzz',
  'rzx', 'cu1', 'cu3', 'csx', 'rccx', 'rc3x', 'c3x', 'c3sqrtx', 'c4x',
];
