import { CircuitAssembler } from '../../ir/circuit.js';
import { ResourceLimitError, UserError } from '../../ir/errors.js';
import { GATE_LIBRARY } from '../../ir/gate-library.js';
import { CHANNEL_SHAPE, isChannelName, makeChannel, type ChannelName } from '../../noise/channels.js';
import type { AffineExpr, Circuit, Gate, ParameterDecl, PauliLetter, PauliTerm } from '../../ir/types.js';
import { normalizeTerms } from '../../pauli/observable-text.js';
import { sparsePauli } from '../../pauli/sparse.js';
import type { Expr, ObservableTerm, PauliFactor, Stmt, Tok } from './ast.js';
import { termStart } from './ast.js';
import { Evaluator } from './evaluate.js';
import { didYouMean } from '../suggest.js';
import { ensureFits } from '../../memory/limit.js';

/** Resource limits of DSL lowering; exceeding one is a ResourceLimitError. */
export interface LoweringLimits {
  /** Most IR gates the expanded circuit may have (checked before each gate is added). */
  maxGates: number;
  /** Most loop iterations in total, counted before a loop runs (guards empty-bodied huge loops). */
  maxLoopIterations: number;
}

export const DEFAULT_LIMITS: LoweringLimits = { maxGates: 5_000_000, maxLoopIterations: 50_000_000 };

const PAULI_TEXT = /^([IXYZ])(\d+)$/;

/**
 * Expands loops and lowers statements into the IR through CircuitAssembler and GATE_LIBRARY.
 * Feed top-level statements in file order with `statement`, then call `finish`.
 */
export class Lowering {
  private readonly builder: CircuitAssembler;
  private readonly ev: Evaluator;
  private gateCount = 0;
  private iterations = 0;

  constructor(
    private readonly file: string,
    private readonly limits: LoweringLimits,
    /** Gates expected, to size the IR arrays once (parseDsl estimates it from the text length). */
    capacity?: number,
  ) {
    this.builder = new CircuitAssembler(capacity, ensureFits);
    this.ev = new Evaluator(file, this.builder);
  }

  finish(): Circuit {
    if (this.builder.qubitCount === null) {
      throw new UserError('the circuit declares no qubits (start it with e.g. `qubits 4;`)', { file: this.file, line: 1, column: 1 });
    }
    return this.builder.build();
  }

  /** Lowers one top-level statement (or, recursively, one statement of a loop body). */
  statement(s: Stmt): void {
    this.currentLine = s.tok.line;
    this.currentCol = s.tok.col;
    this.lowerStatement(s);
  }

  /**
   * Start of the top-level statement lowered last, for errors raised outside any one node (1:1
   * before the first). Numbers, so the fast path (fast-path.ts) can set them without allocating.
   */
  currentLine = 1;
  currentCol = 1;

  /** Qubits declared so far (null before `qubits N;`), for the fast path. */
  get qubitCount(): number | null {
    return this.builder.qubitCount;
  }

  /** The declaration of parameter `name`, for the fast path. */
  parameter(name: string): ParameterDecl | undefined {
    return this.builder.findParameter(name);
  }

  /**
   * Adds the IR gates of a top-level gate or `rot` statement whose name starts at line:col, as
   * `gate` and `rotation` do once they have evaluated the statement: the fast path evaluates flat
   * statements itself (exactly as the evaluator would, refusing whatever the evaluator would
   * refuse) and enters here, so the gate limit and the assembler's checks are the same code.
   */
  flatGates(gates: Gate[], line: number, col: number): void {
    this.currentLine = line;
    this.currentCol = col;
    this.emitAt(gates, line, col);
  }

  /** `flatGates` for a gate that lowers to one Clifford gate (opcode, q1 = −1 for one qubit): no gate object. */
  flatClifford(opcode: number, q0: number, q1: number, line: number, col: number): void {
    this.currentLine = line;
    this.currentCol = col;
    if (++this.gateCount > this.limits.maxGates) {
      throw new ResourceLimitError(`${this.file}:${line}:${col}: the circuit exceeds the limit of ${this.limits.maxGates} gates`);
    }
    this.builder.addClifford(opcode, q0, q1, this.file, line, col);
  }

  /**
   * `flatGates` for a gate that lowers to one rotation of weight 1 or 2 (letter codes and qubits as
   * CircuitAssembler.addRotation takes them): no gate or generator object, constant angles interned.
   */
  flatRotation(code0: number, q0: number, code1: number, q1: number, angle: AffineExpr, line: number, col: number): void {
    this.currentLine = line;
    this.currentCol = col;
    if (++this.gateCount > this.limits.maxGates) {
      throw new ResourceLimitError(`${this.file}:${line}:${col}: the circuit exceeds the limit of ${this.limits.maxGates} gates`);
    }
    const b = this.builder;
    const id = angle.terms.length === 0 ? b.constantAngle(angle.constant) : b.angleId(angle);
    b.addRotation(code0, q0, code1, q1, id, this.file, line, col);
  }

  private lowerStatement(s: Stmt): void {
    switch (s.k) {
      case 'qubits':
        return this.builder.setQubits(this.ev.integer(s.count, 'the qubit count'), this.ev.at(s.tok));
      case 'param':
        for (const item of s.items) {
          const length = item.length === null ? null : this.ev.integer(item.length, 'a vector length');
          this.builder.declareParameter(item.tok.text, length, this.ev.at(item.tok));
        }
        return;
      case 'observable':
        return this.observable(s);
      case 'gate':
        return this.gate(s);
      case 'rot':
        return this.rotation(s);
      case 'for':
        return this.loop(s);
    }
  }

  private gate(s: Stmt & { k: 'gate' }): void {
    const name = s.tok.text;
    if (isChannelName(name)) return this.channel(s, name);
    const def = GATE_LIBRARY.get(name);
    if (!def) this.ev.fail(s.tok, `unknown gate '${name}'${didYouMean(name, GATE_LIBRARY.keys())}`);
    const given = s.angles ?? [];
    if (given.length !== def.numAngles) {
      const need = `${def.numAngles} angle${def.numAngles === 1 ? '' : 's'}`;
      if (s.angles === null) this.ev.fail(s.tok, `gate '${name}' takes ${need}: write ${name}(…) before its qubits`);
      this.ev.fail(s.tok, `gate '${name}' takes ${need}, got ${given.length}`);
    }
    if (s.operands.length !== def.numQubits) {
      this.ev.fail(s.tok, `gate '${name}' takes ${def.numQubits} qubit${def.numQubits === 1 ? '' : 's'}, got ${s.operands.length}`);
    }
    const n = this.builder.requireQubits(this.ev.at(s.tok));
    const qubits = new Array<number>(s.operands.length);
    for (let i = 0; i < s.operands.length; i++) qubits[i] = this.qubit(s.operands[i]!, n);
    const angles = new Array<AffineExpr>(given.length);
    for (let i = 0; i < given.length; i++) angles[i] = this.ev.angle(given[i]!);
    this.emit(def.lower(qubits, angles), s);
  }

  /** `depolarize(0.01) 3;`: numeric strengths only (a channel is a fixed map, never a parameter). */
  private channel(s: Stmt & { k: 'gate' }, name: ChannelName): void {
    const shape = CHANNEL_SHAPE[name];
    const given = s.angles ?? [];
    if (given.length !== shape.strengths) {
      const need = `${shape.strengths} strength${shape.strengths === 1 ? '' : 's'}`;
      this.ev.fail(s.tok, `channel '${name}' takes ${need}${s.angles === null ? `: write ${name}(…) before its qubits` : `, got ${given.length}`}`);
    }
    const n = this.builder.requireQubits(this.ev.at(s.tok));
    const qubits = s.operands.map((o) => this.qubit(o, n));
    const strengths = given.map((e) => this.ev.numeric(e, `the strength of ${name}`));
    const bad = strengths.findIndex((p) => !Number.isFinite(p) || p < 0 || p > 1);
    // Point at the offending strength itself; makeChannel checks the rest (sums, operands).
    if (bad >= 0) this.ev.fail(given[bad]!, `${name}: strength ${strengths[bad]} must be a number in [0, 1]`);
    this.emit([makeChannel(name, qubits, strengths, this.ev.at(s.tok))], s);
  }

  private rotation(s: Stmt & { k: 'rot' }): void {
    const n = this.builder.requireQubits(this.ev.at(s.tok));
    const angle = this.ev.angle(s.angle);
    const pauli = this.pauliString(s.factors, n, s.tok);
    if (pauli.qubits.length === 0) this.ev.fail(s.tok, 'rot needs a non-identity Pauli string such as X0 Z1');
    this.emit([{ kind: 'rotation', pauli, angle }], s);
  }

  private emit(gates: Gate[], s: Stmt): void {
    this.emitAt(gates, s.tok.line, s.tok.col);
  }

  private emitAt(gates: Gate[], line: number, col: number): void {
    this.gateCount += gates.length;
    if (this.gateCount > this.limits.maxGates) {
      throw new ResourceLimitError(`${this.file}:${line}:${col}: the circuit exceeds the limit of ${this.limits.maxGates} gates`);
    }
    this.builder.addGates(gates, { file: this.file, line, column: col });
  }

  private loop(s: Stmt & { k: 'for' }): void {
    const name = s.variable.text;
    if (this.ev.loopVars.has(name)) this.ev.fail(s.variable, `loop variable '${name}' is already in use by an enclosing loop`);
    if (this.builder.hasParameter(name)) this.ev.fail(s.variable, `loop variable '${name}' would hide parameter '${name}'`);
    const from = this.ev.integer(s.from, 'a loop bound');
    const to = this.ev.integer(s.to, 'a loop bound');
    this.iterations += Math.max(0, to - from);
    if (this.iterations > this.limits.maxLoopIterations) {
      throw new ResourceLimitError(
        `${this.file}:${s.tok.line}:${s.tok.col}: loops exceed the limit of ${this.limits.maxLoopIterations} iterations in total`,
      );
    }
    const vars = this.ev.loopVars;
    try {
      for (let i = from; i < to; i++) {
        vars.set(name, i);
        for (const b of s.body) this.lowerStatement(b);
      }
    } finally {
      vars.delete(name);
    }
  }

  private observable(s: Stmt & { k: 'observable' }): void {
    const n = this.builder.requireQubits(this.ev.at(s.tok));
    const terms: PauliTerm[] = [];
    this.observableTerms(s.terms, 1, n, terms);
    this.builder.addObservable({ name: s.name.text, terms: normalizeTerms(terms) }, this.ev.at(s.name));
  }

  /** Appends `scale` times the terms, expanding `sum` loops (their iterations count as loop iterations). */
  private observableTerms(list: readonly ObservableTerm[], scale: number, n: number, out: PauliTerm[]): void {
    for (const t of list) {
      const c = t.coeff === null ? 1 : this.ev.numeric(t.coeff, 'an observable coefficient');
      if (!Number.isFinite(c)) this.ev.fail(termStart(t), 'observable coefficient is not finite');
      const coeff = scale * (t.negative ? -c : c);
      if (t.loop === null) {
        out.push({ coeff, pauli: this.pauliString(t.factors, n, termStart(t)) });
        continue;
      }
      const loop = t.loop;
      const name = loop.variable.text;
      if (this.ev.loopVars.has(name)) this.ev.fail(loop.variable, `loop variable '${name}' is already in use by an enclosing loop`);
      if (this.builder.hasParameter(name)) this.ev.fail(loop.variable, `loop variable '${name}' would hide parameter '${name}'`);
      const from = this.ev.integer(loop.from, 'a loop bound');
      const to = this.ev.integer(loop.to, 'a loop bound');
      this.iterations += Math.max(0, to - from);
      if (this.iterations > this.limits.maxLoopIterations) {
        throw new ResourceLimitError(
          `${this.file}:${loop.tok.line}:${loop.tok.col}: loops exceed the limit of ${this.limits.maxLoopIterations} iterations in total`,
        );
      }
      try {
        for (let i = from; i < to; i++) {
          this.ev.loopVars.set(name, i);
          this.observableTerms(loop.body, coeff, n, out);
        }
      } finally {
        this.ev.loopVars.delete(name);
      }
      if (out.length > this.limits.maxGates) {
        throw new ResourceLimitError(`${this.file}:${loop.tok.line}:${loop.tok.col}: the observable exceeds ${this.limits.maxGates} terms`);
      }
    }
  }

  private pauliString(factors: readonly PauliFactor[], n: number, where: Tok) {
    const pairs: [number, PauliLetter | 'I'][] = [];
    for (const f of factors) {
      let letter: string;
      let q: number;
      const text = f.tok.text;
      if (f.index === null) {
        if (text === 'I') continue;
        const m = PAULI_TEXT.exec(text);
        if (!m) this.ev.fail(f.tok, `expected a Pauli factor such as X0 or Z[i], found '${text}'`);
        letter = m[1]!;
        q = Number(m[2]);
      } else {
        if (!/^[IXYZ]$/.test(text)) this.ev.fail(f.tok, `expected a Pauli letter I, X, Y or Z before '[', found '${text}'`);
        letter = text;
        q = this.ev.integer(f.index, 'a qubit index');
      }
      if (q < 0 || q >= n) this.ev.fail(f.tok, `qubit ${q} is out of range for ${n} qubits`);
      pairs.push([q, letter as PauliLetter | 'I']);
    }
    try {
      return sparsePauli(pairs);
    } catch (e) {
      if (e instanceof RangeError) throw new UserError(e.message, this.ev.at(where));
      throw e;
    }
  }

  /** `3`, `i+1`, `(i+1)%6` or `q[…]`: an in-range qubit index. */
  private qubit(e: Expr, n: number): number {
    let q: number;
    if (e.k === 'index') {
      if (e.tok.text !== 'q') this.ev.fail(e, `qubits are written 3 or q[3]; '${e.tok.text}[…]' is not a qubit`);
      q = this.ev.integer(e.index, 'a qubit index');
    } else q = this.ev.integer(e, 'a qubit index');
    if (q < 0 || q >= n) this.ev.fail(e, `qubit ${q} is out of range for ${n} qubits`);
    return q;
  }
}
