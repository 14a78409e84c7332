import { formatNumber } from '../ir/affine.js';
import type { AffineExpr, Circuit, Gate } from '../ir/types.js';
import { formatChannel } from './dsl.js';
import { formatObservable } from '../pauli/observable-text.js';
import { rotationBody, rotationDefinitionName, SXDG_BODY, type BodyOp } from '../parsing/qasm/canonical-gates.js';
import { groupQiskitVectors, type DeclaredInput } from '../parsing/qasm/parameter-vectors.js';

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
 *   of a vector `theta` becomes `_theta_i_`, as Qiskit exports ParameterVector elements, and the
 *   importer groups those back into the vector. Only when that would not reproduce the table,
 *   element i becomes `theta_i` and comments describe the declarations. Names that would clash with QASM keywords, built-in
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
  const used = new TakenNames(RESERVED);

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

  // First choice: Qiskit's own names (`a`; vector θ as `_θ_0_`, `_θ_1_`, …), which our importer
  // groups back into the same declarations without any comment (parameter-vectors.ts). When that
  // reading would differ (a name needs escaping, a scalar looks like a vector element), fall back
  // to `theta_0`-style names described by nearclifford:param comments. Names are kept per
  // declaration (prefix + index + suffix), not one string per element: a circuit may declare
  // millions of parameters, so the Qiskit check (one name per element) runs on modest tables only.
  const qiskit = circuit.numParameters <= QISKIT_NAMES_MAX ? qiskitInputNames(circuit, used) : null;
  const declNames: string[] = [];
  const declSuffix: string[] = [];
  const pragmas: string[] = [];
  let plainScalars = qiskit !== null;
  if (qiskit) {
    for (const id of qiskit) used.add(id);
    for (const d of circuit.parameters) {
      declNames.push(d.length === null ? d.name : `_${d.name}_`);
      declSuffix.push(d.length === null ? '' : '_');
    }
  } else {
    for (const d of circuit.parameters) {
      declSuffix.push('');
      if (d.length === null) {
        const id = fresh(sanitize(d.name), used);
        declNames.push(id);
        pragmas.push(`// nearclifford:param ${d.name} ${id}`);
        if (id !== d.name) plainScalars = false;
      } else {
        const prefix = freshPrefix(`${sanitize(d.name)}_`, d.length, used);
        declNames.push(prefix);
        pragmas.push(`// nearclifford:param ${d.name}[${d.length}] ${prefix}`);
        plainScalars = false;
      }
    }
  }
  const register = fresh('q', used);

  lines.push('// Exported by nearclifford.');
  if (withPragmas && !plainScalars) for (const p of pragmas) lines.push(p);
  for (const o of circuit.observables) if (isIdentifier(o.name)) lines.push(`// nearclifford:observable ${o.name} = ${formatObservable(o)}`);
  // Declarations go out in joined chunks, keeping the number of live strings small.
  const CHUNK = 1 << 14;
  let chunk: string[] = [];
  circuit.parameters.forEach((d, k) => {
    const n = d.length ?? 1;
    for (let i = 0; i < n; i++) {
      chunk.push(d.length === null ? `input float[64] ${declNames[k]};` : `input float[64] ${declNames[k]}${i}${declSuffix[k]};`);
      if (chunk.length === CHUNK) {
        lines.push(chunk.join('\n'));
        chunk = [];
      }
    }
  });
  if (chunk.length > 0) lines.push(chunk.join('\n'));
  for (const d of definitions.values()) lines.push(d);
  lines.push(`qubit[${circuit.numQubits}] ${register};`);
  const decls = circuit.parameters;
  const nameOf = (p: number) => {
    // Declarations are in offset order: binary search for the one holding flat index p.
    let lo = 0, hi = decls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (decls[mid]!.offset <= p) lo = mid;
      else hi = mid - 1;
    }
    const d = decls[lo]!;
    return d.length === null ? declNames[lo]! : `${declNames[lo]}${p - d.offset}${declSuffix[lo]}`;
  };
  for (const g of circuit.gates) lines.push(renderGate(g, register, nameOf));
  return lines.join('\n') + '\n';
}

/** Largest parameter table for which Qiskit-style names are tried (the check is per element). */
const QISKIT_NAMES_MAX = 1 << 16;

/**
 * Input names in Qiskit's convention when importing them reproduces the parameter table exactly
 * (same names, lengths and order) and no name is reserved; otherwise null.
 */
function qiskitInputNames(circuit: Circuit, used: { has(name: string): boolean }): string[] | null {
  const names = new Array<string>(circuit.numParameters);
  const decls: DeclaredInput[] = [];
  for (const d of circuit.parameters) {
    if (!isIdentifier(d.name)) return null;
    if (d.length === null) {
      names[d.offset] = d.name;
      decls.push({ name: d.name, length: null });
    } else {
      for (let i = 0; i < d.length; i++) {
        names[d.offset + i] = `_${d.name}_${i}_`;
        decls.push({ name: `_${d.name}_${i}_`, length: null });
      }
    }
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (used.has(n) || seen.has(n)) return null;
    seen.add(n);
  }
  const back = groupQiskitVectors(decls, true);
  if (back.remap !== null || back.parameters.length !== circuit.parameters.length) return null;
  const same = back.parameters.every((p, i) => {
    const d = circuit.parameters[i]!;
    return p.name === d.name && p.length === d.length && p.offset === d.offset;
  });
  return same ? names : null;
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
export function formatConstant(x: number): string {
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

/**
 * Names taken so far: single names, plus whole vector ranges `P0 … P(n−1)` kept as (prefix, n) so
 * that a vector of millions of parameters costs one entry, not millions (a Set holds at most 2^24).
 */
class TakenNames {
  readonly names: Set<string>;
  private readonly ranges = new Map<string, number>();
  constructor(initial: readonly string[]) {
    this.names = new Set(initial);
  }
  add(name: string): void {
    this.names.add(name);
  }
  has(name: string): boolean {
    if (this.names.has(name)) return true;
    // Range prefixes end in '_': a name is in one when it is that prefix plus a canonical index.
    for (let i = name.length - 1; i >= 0; i--) {
      const c = name.charCodeAt(i);
      if (c === 95 /* _ */) {
        const n = this.ranges.get(name.slice(0, i + 1));
        const suffix = name.slice(i + 1);
        return n !== undefined && /^(0|[1-9]\d*)$/.test(suffix) && Number(suffix) < n;
      }
      if (c < 48 || c > 57) return false;
    }
    return false;
  }
  /** True when some name P0 … P(n−1) (or P itself) is taken. */
  clashesWithRange(prefix: string, n: number): boolean {
    if (this.names.has(prefix) || this.ranges.has(prefix)) return true;
    // Two distinct '_'-terminated prefixes never generate the same name; single names are few.
    for (const u of this.names) {
      if (u.startsWith(prefix) && /^(0|[1-9]\d*)$/.test(u.slice(prefix.length)) && Number(u.slice(prefix.length)) < n) return true;
    }
    return false;
  }
  addRange(prefix: string, n: number): void {
    this.ranges.set(prefix, n);
    this.names.add(prefix);
  }
}

function fresh(base: string, used: TakenNames): string {
  let id = base;
  while (used.has(id)) id += '_';
  used.add(id);
  return id;
}

/** A prefix P such that P0 … P(n−1) are all unused (and claims them). */
function freshPrefix(base: string, n: number, used: TakenNames): string {
  let prefix = base;
  while (used.clashesWithRange(prefix, n)) prefix += '_';
  used.addRange(prefix, n);
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
  // Qiskit standard gates beyond those files
  'cs', 'csdg', 'ecr', 'xx_plus_yy', 'xx_minus_yy', 'rcccx', 'c3sx',
];
