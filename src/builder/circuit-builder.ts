import { UserError } from '../ir/errors.js';
import { GATE_LIBRARY } from '../ir/gate-library.js';
import type { Circuit, Gate } from '../ir/types.js';
import { DEFAULT_LIMITS, Lowering } from '../parsing/dsl/lower.js';
import { parseSyntax } from '../parsing/dsl/syntax.js';

/**
 * A gate angle: a number (constant, in radians) or a DSL angle expression, affine in the declared
 * parameters, such as `'theta[3]'`, `'2*a - pi/4'` or `'0.5*theta[0] + theta[1]'`.
 */
export type Angle = number | string;

const FILE = '<builder>';
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PAULI_STRING = /^\s*(?:[IXYZ]\d+\s*)+$/;
// Characters that would end a DSL statement or open a block: an expression never needs them.
const STATEMENT_BREAK = /[;{}]/;

/**
 * A fluent, typed way to write a circuit in code. Every call is lowered by the DSL's own lowering
 * (parsing/dsl/lower.ts) and gate library, so a builder program and the same program written in
 * the DSL give identical IR (gates carry no source locations here).
 *
 * Qubits are numbered from 0; angles are radians, rotations are exp(−i·angle·P/2) (REFERENCE §2).
 * Mistakes throw a {@link UserError} naming the call, e.g.
 * `CircuitBuilder.ry('x', 0): unknown parameter 'x'`.
 *
 * @example
 * ```ts
 * const circuit = new CircuitBuilder(6)
 *   .param('theta', 12).param('a')
 *   .ry('theta[0]', 0).cx(0, 1)
 *   .rot('2*a - pi/4', 'X0 Y2')
 *   .observable('H', '0.5*Z0 Z1 - X3')
 *   .build();
 * ```
 */
export class CircuitBuilder {
  private readonly lowering = new Lowering(FILE, DEFAULT_LIMITS);

  /** Starts a circuit on `numQubits` qubits (a positive integer). */
  constructor(numQubits: number) {
    if (!Number.isSafeInteger(numQubits) || numQubits < 1) {
      throw new UserError(`CircuitBuilder: the qubit count must be a positive integer, got ${numQubits}`);
    }
    this.run('new CircuitBuilder', [numQubits], `qubits ${numQubits};`);
  }

  /** Declares a scalar parameter `name`, or a vector `name[0] … name[length−1]` when `length` is given. */
  param(name: string, length?: number): this {
    const call = length === undefined ? [name] : [name, length];
    this.checkName('param', call, name);
    if (length !== undefined && (!Number.isSafeInteger(length) || length < 1)) {
      this.fail('param', call, `a vector length must be a positive integer, got ${length}`);
    }
    return this.run('param', call, `param ${name}${length === undefined ? '' : `[${length}]`};`);
  }

  /**
   * Any gate of the gate library (the DSL's and OpenQASM's names: `h`, `cx`, `u3`, `crz`, `ccx`, …),
   * with its qubits and, for gates that take them, its angles.
   */
  gate(name: string, qubits: readonly number[], angles: readonly Angle[] = []): this {
    const call = angles.length ? [name, qubits, angles] : [name, qubits];
    const def = GATE_LIBRARY.get(name);
    if (!def) this.fail('gate', call, `unknown gate '${name}'`);
    if (angles.length !== def.numAngles) {
      this.fail('gate', call, `gate '${name}' takes ${def.numAngles} angle${def.numAngles === 1 ? '' : 's'}, got ${angles.length}`);
    }
    const ops = qubits.map((q) => this.qubit('gate', call, q)).join(' ');
    const args = angles.length ? `(${angles.map((a) => this.angle('gate', call, a)).join(', ')})` : '';
    return this.run('gate', call, `${name}${args} ${ops};`);
  }

  /** Hadamard on qubit q. */
  h(q: number): this { return this.named('h', [q]); }
  /** S = diag(1, i) on qubit q. */
  s(q: number): this { return this.named('s', [q]); }
  /** S† on qubit q. */
  sdg(q: number): this { return this.named('sdg', [q]); }
  /** Pauli X on qubit q. */
  x(q: number): this { return this.named('x', [q]); }
  /** Pauli Y on qubit q. */
  y(q: number): this { return this.named('y', [q]); }
  /** Pauli Z on qubit q. */
  z(q: number): this { return this.named('z', [q]); }
  /** √X on qubit q. */
  sx(q: number): this { return this.named('sx', [q]); }
  /** √X† on qubit q. */
  sxdg(q: number): this { return this.named('sxdg', [q]); }
  /** T = rz(π/4) up to phase, on qubit q. */
  t(q: number): this { return this.named('t', [q]); }
  /** T† on qubit q. */
  tdg(q: number): this { return this.named('tdg', [q]); }
  /** CX with control `c` and target `t`. */
  cx(c: number, t: number): this { return this.named('cx', [c, t]); }
  /** CY with control `c` and target `t`. */
  cy(c: number, t: number): this { return this.named('cy', [c, t]); }
  /** CZ on qubits a and b. */
  cz(a: number, b: number): this { return this.named('cz', [a, b]); }
  /** SWAP of qubits a and b. */
  swap(a: number, b: number): this { return this.named('swap', [a, b]); }
  /** exp(−i·angle·X/2) on qubit q. */
  rx(angle: Angle, q: number): this { return this.named('rx', [q], [angle]); }
  /** exp(−i·angle·Y/2) on qubit q. */
  ry(angle: Angle, q: number): this { return this.named('ry', [q], [angle]); }
  /** exp(−i·angle·Z/2) on qubit q. */
  rz(angle: Angle, q: number): this { return this.named('rz', [q], [angle]); }
  /** exp(−i·angle·X⊗X/2) on qubits a, b. */
  rxx(angle: Angle, a: number, b: number): this { return this.named('rxx', [a, b], [angle]); }
  /** exp(−i·angle·Y⊗Y/2) on qubits a, b. */
  ryy(angle: Angle, a: number, b: number): this { return this.named('ryy', [a, b], [angle]); }
  /** exp(−i·angle·Z⊗Z/2) on qubits a, b. */
  rzz(angle: Angle, a: number, b: number): this { return this.named('rzz', [a, b], [angle]); }

  /** The Pauli rotation exp(−i·angle·P/2) for a Pauli string with explicit indices, e.g. `'X0 Y2 Z5'`. */
  rot(angle: Angle, pauli: string): this {
    const call = [angle, pauli];
    if (!PAULI_STRING.test(pauli)) this.fail('rot', call, `'${pauli}' is not a Pauli string such as 'X0 Y2'`);
    return this.run('rot', call, `rot(${this.angle('rot', call, angle)}) ${pauli.trim()};`);
  }

  /** Names an observable given as a Pauli sum with explicit indices, e.g. `'0.5*Z0 Z1 - X3 + 0.25'`. */
  observable(name: string, sum: string): this {
    const call = [name, sum];
    this.checkName('observable', call, name);
    if (STATEMENT_BREAK.test(sum)) this.fail('observable', call, `'${sum}' is not a Pauli sum`);
    return this.run('observable', call, `observable ${name} = ${sum};`);
  }

  /** The circuit built so far (the builder can go on afterwards). */
  build(): Circuit {
    const c = this.lowering.finish();
    return { ...c, gates: c.gates.map(withoutSource) };
  }

  private named(name: string, qubits: number[], angles: Angle[] = []): this {
    const call = [...angles, ...qubits];
    const ops = qubits.map((q) => this.qubit(name, call, q)).join(' ');
    const args = angles.length ? `(${angles.map((a) => this.angle(name, call, a)).join(', ')})` : '';
    return this.run(name, call, `${name}${args} ${ops};`);
  }

  private qubit(method: string, call: readonly unknown[], q: number): string {
    if (!Number.isSafeInteger(q) || q < 0) this.fail(method, call, `qubit ${q} is not a non-negative integer`);
    return String(q);
  }

  private angle(method: string, call: readonly unknown[], a: Angle): string {
    if (typeof a === 'number') {
      if (!Number.isFinite(a)) this.fail(method, call, `angle ${a} is not finite`);
      // String() gives the shortest text that reads back as the same double; the sign is unary.
      return String(a);
    }
    if (STATEMENT_BREAK.test(a) || a.trim() === '') this.fail(method, call, `'${a}' is not an angle expression`);
    return `(${a})`;
  }

  private checkName(method: string, call: readonly unknown[], name: string): void {
    if (!IDENT.test(name)) this.fail(method, call, `'${name}' is not a name (letters, digits and _, not starting with a digit)`);
  }

  /** Lowers one DSL statement; errors name the builder call instead of a position in generated text. */
  private run(method: string, call: readonly unknown[], statement: string): this {
    try {
      const stmts = parseSyntax(statement, FILE);
      if (stmts.length !== 1) this.fail(method, call, 'the arguments do not form one statement');
      this.lowering.statement(stmts[0]!);
    } catch (e) {
      if (e instanceof UserError && e.message.startsWith(`${FILE}:`)) {
        this.fail(method, call, e.message.replace(/^<builder>:\d+:\d+: /, ''));
      }
      throw e;
    }
    return this;
  }

  private fail(method: string, call: readonly unknown[], message: string): never {
    const args = call.map(formatArgument).join(', ');
    const head = method === 'new CircuitBuilder' ? `new CircuitBuilder(${args})` : `CircuitBuilder.${method}(${args})`;
    throw new UserError(`${head}: ${message}`);
  }
}

function formatArgument(a: unknown): string {
  if (typeof a === 'number') return String(a);
  if (typeof a === 'string') return `'${a}'`;
  if (Array.isArray(a)) return `[${a.map(formatArgument).join(', ')}]`;
  return String(a);
}

function withoutSource(g: Gate): Gate {
  switch (g.kind) {
    case 'clifford': return { kind: 'clifford', name: g.name, qubits: g.qubits };
    case 'rotation': return { kind: 'rotation', pauli: g.pauli, angle: g.angle };
    case 'channel': return { kind: 'channel', name: g.name, qubits: g.qubits, strengths: g.strengths };
  }
}
