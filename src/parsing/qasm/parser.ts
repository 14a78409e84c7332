import { UserError } from '../../ir/errors.js';
import type { SourceLocation } from '../../ir/types.js';
import type { BodyStatement, Expr, GateCall, IndexSpec, Modifier, NoisePragma, Operand, Statement } from './ast.js';
import { describeToken, type QasmLexer, type Token } from './lexer.js';
import { MAX_NESTING } from '../../ir/limits.js';

/**
 * Recursive-descent parser for the OpenQASM 2/3 subset of the importer. Constructs outside that
 * subset are rejected here, at the keyword that introduces them, with a message naming the
 * construct; whatever parses is checked further by the elaborator.
 */

/** Keywords that start statements we deliberately do not support, with the reason given. */
const UNSUPPORTED_STATEMENTS: Readonly<Record<string, string>> = {
  reset: "'reset' is not supported (circuits must be unitary; only final measurements are allowed)",
  if: "classical control ('if') is not supported",
  else: "classical control ('else') is not supported",
  while: "'while' loops are not supported",
  for: "'for' loops are not supported",
  switch: "'switch' statements are not supported",
  def: "subroutines ('def') are not supported",
  defcal: "pulse-level calibrations ('defcal') are not supported",
  defcalgrammar: "pulse-level calibrations ('defcalgrammar') are not supported",
  cal: "pulse-level calibrations ('cal') are not supported",
  delay: "'delay' instructions are not supported",
  box: "'box' blocks are not supported",
  extern: "'extern' functions are not supported",
  opaque: "opaque gates are not supported (their action is unknown)",
  output: "'output' declarations are not supported",
  return: "'return' is not supported",
  break: "'break' is not supported",
  continue: "'continue' is not supported",
  end: "'end' is not supported",
  int: "classical variable declarations ('int') are not supported",
  uint: "classical variable declarations ('uint') are not supported",
  float: "classical variable declarations ('float') are not supported; use 'input float[64] name;' for parameters",
  angle: "classical variable declarations ('angle') are not supported; use 'input angle name;' for parameters",
  bool: "classical variable declarations ('bool') are not supported",
  complex: "classical variable declarations ('complex') are not supported",
  duration: "classical variable declarations ('duration') are not supported",
  stretch: "'stretch' declarations are not supported",
  array: "classical array declarations are not supported",
  readonly: "classical array declarations are not supported",
  mutable: "classical array declarations are not supported",
};

/** Bounds parser and evaluator recursion (parentheses, unary signs, powers and operator chains). */
const MAX_EXPR_DEPTH = MAX_NESTING;

/**
 * Statements come one at a time (`nextStatement`), so the elaborator can consume a large file
 * without the parser building the whole tree first.
 */
export class QasmParser {
  /** 2 or 3, known after the constructor has read the optional version statement. */
  version: 2 | 3 = 3;
  /** Whether the file states its version (`OPENQASM 3.0;`); a bare file may use either syntax. */
  explicitVersion = false;
  private depth = 0;
  /** Lookahead tokens; `head` is the current one. */
  private buf: Token[] = [];
  private head = 0;

  /**
   * `inherited` is the version of the file that includes this one (an included file without its
   * own header is read in the includer's version). `lenient` accepts any 2.x / 3.x header and
   * `qreg`/`creg` under OpenQASM 3, which Qiskit refuses.
   */
  constructor(
    private readonly lexer: QasmLexer,
    private readonly file: string,
    inherited: { version: 2 | 3; explicit: boolean } | null = null,
    private readonly lenient = false,
  ) {
    if (inherited) {
      this.version = inherited.version;
      this.explicitVersion = inherited.explicit;
    }
    if (this.isId('OPENQASM')) this.versionStatement();
  }

  /** The next statement, or null at the end of the input. */
  nextStatement(): Statement | null {
    const out: Statement[] = [];
    while (out.length === 0) {
      if (this.peek().kind === 'eof') return null;
      this.statement(out);
    }
    return out[0]!;
  }

  /**
   * Whether the parser holds tokens it has read ahead. When it does not, the lexer's position is
   * the start of the next statement (the fast path reads from there).
   */
  get hasLookahead(): boolean {
    return this.head < this.buf.length;
  }

  /** Location of the end of the input, for errors about the program as a whole. */
  endLocation(): SourceLocation {
    let t = this.peek();
    while (t.kind !== 'eof') t = this.next();
    return this.loc(t);
  }

  // ------------------------------------------------------------------ token helpers

  private peek(offset = 0): Token {
    while (this.buf.length - this.head <= offset) this.buf.push(this.lexer.next());
    return this.buf[this.head + offset]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') {
      this.head++;
      if (this.head >= 64) {
        this.buf = this.buf.slice(this.head);
        this.head = 0;
      }
    }
    return t;
  }

  private loc(t: Token): SourceLocation {
    return { file: this.file, line: t.line, column: t.column };
  }

  private fail(message: string, t: Token = this.peek()): never {
    throw new UserError(message, this.loc(t));
  }

  private isOp(op: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.text === op;
  }

  private isId(name?: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'id' && (name === undefined || t.text === name);
  }

  private expectOp(op: string, context: string): Token {
    if (!this.isOp(op)) this.fail(`expected '${op}' ${context}, found ${describeToken(this.peek())}`);
    return this.next();
  }

  private expectId(context: string): Token {
    const t = this.peek();
    if (t.kind !== 'id') this.fail(`expected ${context}, found ${describeToken(t)}`);
    return this.next();
  }

  private endStatement(what: string): void {
    this.expectOp(';', `after ${what}`);
  }

  // ------------------------------------------------------------------ statements

  private versionStatement(): void {
    const kw = this.next();
    const v = this.next();
    if (v.kind !== 'int' && v.kind !== 'float') this.fail(`expected a version number after 'OPENQASM', found ${describeToken(v)}`, v);
    const major = Math.floor(v.value);
    // Qiskit's importers accept exactly 2.0 and 3 / 3.x; other minors only under --qasm-lenient.
    const strictOk = v.text === '2.0' || /^3(\.\d+)?$/.test(v.text);
    if (major === 2 && (strictOk || this.lenient)) this.version = 2;
    else if (major === 3 && (strictOk || this.lenient)) this.version = 3;
    else if ((major === 2 || major === 3) && !this.lenient) {
      this.fail(`unsupported OpenQASM version ${v.text} (expected 2.0, 3 or 3.x; --qasm-lenient accepts other 2.x/3.x)`, v);
    } else this.fail(`unsupported OpenQASM version ${v.text} (expected 2.0 or 3)`, v);
    this.explicitVersion = true;
    this.endStatement(`'${kw.text} ${v.text}'`);
  }

  private statement(out: Statement[]): void {
    const t = this.peek();
    if (t.kind === 'noise') {
      out.push(this.noisePragma());
      return;
    }
    if (t.kind === 'op') {
      if (t.text === '@') this.fail('annotations (@…) are not supported');
      if (t.text === '{') this.fail('scoped blocks ({ … }) are not supported');
      if (t.text === ';') {
        this.next();
        return;
      }
      this.fail(`expected a statement, found ${describeToken(t)}`);
    }
    if (t.kind !== 'id') {
      this.fail(`expected a statement, found ${describeToken(t)}`);
    }
    const word = t.text;
    if (word === 'OPENQASM') this.fail("the 'OPENQASM' version statement must come first");
    const unsupported = Object.hasOwn(UNSUPPORTED_STATEMENTS, word) ? UNSUPPORTED_STATEMENTS[word] : undefined;
    // A QASM 2 file may name a gate after a QASM 3 keyword (`gate box a { … }` … `box q[0];`), so
    // only the keywords of the file's own version are rejected here.
    if (unsupported !== undefined && (this.version === 3 || QASM2_KEYWORDS.has(word))) this.fail(unsupported);
    switch (word) {
      case 'include': return this.include(out);
      case 'qreg': return this.legacyRegister(out, 'qubits');
      case 'creg': return this.legacyRegister(out, 'bits');
      case 'const':
        if (this.version === 3) return this.constant(out);
        break;
      case 'qubit': return this.typedRegister(out, 'qubits');
      case 'bit': return this.typedRegister(out, 'bits');
      case 'input': return this.input(out);
      case 'gate': return this.gateDefinition(out);
      case 'barrier': return this.barrier(out);
      case 'measure': return this.measure(out);
      case 'let':
        if (this.version === 3) return this.alias(out);
        break;
    }
    // `c[0] = measure q[0];` — but `x[100ns] q;` is a gate call with a duration.
    if (this.isOp('=', 1) || (this.isOp('[', 1) && this.peek(2).kind !== 'duration')) return this.assignment(out);
    out.push(this.gateCall(false));
  }

  private include(out: Statement[]): void {
    const kw = this.next();
    const path = this.peek();
    if (path.kind !== 'string') this.fail(`expected a file name in quotes after 'include', found ${describeToken(path)}`);
    this.next();
    this.endStatement('the include');
    out.push({ kind: 'include', path: path.text, at: this.loc(kw) });
  }

  /** `qreg q[4];` / `creg c[4];` */
  private legacyRegister(out: Statement[], kind: 'qubits' | 'bits'): void {
    const kw = this.peek();
    if (this.version === 3 && this.explicitVersion && !this.lenient) {
      const modern = kind === 'qubits' ? 'qubit[n] name;' : 'bit[n] name;';
      this.fail(`'${kw.text}' is OpenQASM 2 syntax, but the file declares OpenQASM 3 (write '${modern}', or pass --qasm-lenient)`);
    }
    this.next();
    const name = this.expectId(`a register name after '${kw.text}'`);
    this.expectOp('[', `and a size after '${kw.text} ${name.text}'`);
    const size = this.expression();
    this.expectOp(']', 'after the register size');
    this.endStatement('the register declaration');
    out.push({ kind, name: name.text, size, at: this.loc(kw) });
  }

  /** `qubit[4] q;` / `qubit q;` / `bit[4] c;` */
  private typedRegister(out: Statement[], kind: 'qubits' | 'bits'): void {
    const kw = this.next();
    let size: Expr | null = null;
    if (this.isOp('[')) {
      this.next();
      size = this.expression();
      this.expectOp(']', 'after the register size');
    }
    const name = this.expectId(`a register name after '${kw.text}${size ? '[…]' : ''}'`);
    if (this.isOp('=')) {
      this.fail(kind === 'bits' ? 'initialized classical bits are not supported' : `expected ';' after the qubit declaration`);
    }
    this.endStatement('the register declaration');
    out.push({ kind, name: name.text, size, at: this.loc(kw) });
  }

  /** `const float[64] a = pi/4;` / `const int n = 3;` — numeric constants only. */
  private constant(out: Statement[]): void {
    this.next();
    const type = this.peek();
    const numeric = ['float', 'angle', 'int', 'uint'];
    if (type.kind !== 'id' || !numeric.includes(type.text)) {
      this.fail(`only numeric constants are supported ('const float[64]', 'const angle', 'const int', 'const uint'), found ${describeToken(type)}`);
    }
    this.next();
    if (this.isOp('[')) {
      this.next();
      void this.expression();
      this.expectOp(']', `after the width of '${type.text}'`);
    }
    const name = this.expectId(`a constant name after 'const ${type.text}'`);
    this.expectOp('=', `after 'const ${type.text} ${name.text}' (a constant needs a value)`);
    const value = this.expression();
    this.endStatement('the constant declaration');
    out.push({ kind: 'const', name: name.text, value, integer: type.text === 'int' || type.text === 'uint', at: this.loc(name) });
  }

  /** `input float[64] name;` / `input angle[32] name;` / `input float name;` / `input array[float[64], n] name;` */
  private input(out: Statement[]): void {
    const kw = this.next();
    if (this.isId('array')) return this.arrayInput(out, kw);
    const type = this.peek();
    if (type.kind !== 'id' || (type.text !== 'float' && type.text !== 'angle')) {
      this.fail(`expected 'float' or 'angle' after 'input' (only real-valued inputs can become parameters), found ${describeToken(type)}`);
    }
    this.next();
    if (this.isOp('[')) {
      this.next();
      const width = this.expression();
      void width;
      this.expectOp(']', `after the width of '${type.text}'`);
    }
    const name = this.expectId(`an input name after 'input ${type.text}'`);
    this.endStatement('the input declaration');
    out.push({ kind: 'input', name: name.text, length: null, at: this.loc(kw) });
  }

  /** `input array[float[64], 24] θ;` — a vector parameter θ, used as θ[i]. */
  private arrayInput(out: Statement[], kw: Token): void {
    this.next();
    this.expectOp('[', "after 'array'");
    const type = this.peek();
    if (type.kind !== 'id' || (type.text !== 'float' && type.text !== 'angle')) {
      this.fail(`expected 'float' or 'angle' as the element type of an input array, found ${describeToken(type)}`);
    }
    this.next();
    if (this.isOp('[')) {
      this.next();
      void this.expression();
      this.expectOp(']', `after the width of '${type.text}'`);
    }
    this.expectOp(',', 'and the array length after the element type');
    const length = this.expression();
    if (this.isOp(',')) this.fail('multi-dimensional input arrays are not supported');
    this.expectOp(']', 'after the array length');
    const name = this.expectId("an input name after 'input array[…]'");
    this.endStatement('the input declaration');
    out.push({ kind: 'input', name: name.text, length, at: this.loc(kw) });
  }

  /** `gate name(a, b) q0, q1 { … }` */
  private gateDefinition(out: Statement[]): void {
    const kw = this.next();
    const name = this.expectId("a gate name after 'gate'");
    const params: { name: string; at: SourceLocation }[] = [];
    if (this.isOp('(')) {
      this.next();
      if (!this.isOp(')')) {
        for (;;) {
          const p = this.expectId('a parameter name');
          params.push({ name: p.text, at: this.loc(p) });
          if (!this.isOp(',')) break;
          this.next();
        }
      }
      this.expectOp(')', 'after the gate parameters');
    }
    const qubits: { name: string; at: SourceLocation }[] = [];
    for (;;) {
      const q = this.expectId(`a qubit argument name for gate '${name.text}'`);
      qubits.push({ name: q.text, at: this.loc(q) });
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp('{', `to open the body of gate '${name.text}'`);
    const body: BodyStatement[] = [];
    while (!this.isOp('}')) {
      const t = this.peek();
      if (t.kind === 'eof') this.fail(`expected '}' to close the body of gate '${name.text}', found end of file`);
      if (this.isOp(';')) {
        this.next();
        continue;
      }
      if (t.kind === 'noise') this.fail(`noise channels (#pragma nearclifford noise) cannot appear inside the body of gate '${name.text}'; apply them after the call`);
      if (t.kind !== 'id') this.fail(`expected a gate call in the body of gate '${name.text}', found ${describeToken(t)}`);
      if (t.text === 'barrier') {
        this.next();
        if (!this.isOp(';')) this.operandList();
        this.endStatement('barrier');
        body.push({ kind: 'barrier', at: this.loc(t) });
        continue;
      }
      if (t.text === 'gate') this.fail('gate definitions cannot be nested');
      if (t.text === 'measure' || t.text === 'reset') this.fail(`'${t.text}' is not allowed inside a gate body`);
      const unsupported = Object.hasOwn(UNSUPPORTED_STATEMENTS, t.text) ? UNSUPPORTED_STATEMENTS[t.text] : undefined;
      if (unsupported !== undefined && (this.version === 3 || QASM2_KEYWORDS.has(t.text))) this.fail(unsupported);
      body.push(this.gateCall(true));
    }
    this.next();
    out.push({ kind: 'gateDef', name: name.text, params, qubits, body, at: this.loc(kw), nameAt: this.loc(name) });
  }

  private barrier(out: Statement[]): void {
    const kw = this.next();
    const operands = this.isOp(';') ? [] : this.operandList();
    this.endStatement('barrier');
    out.push({ kind: 'barrier', operands, at: this.loc(kw) });
  }

  /** `measure q -> c;` / `measure q;` */
  private measure(out: Statement[]): void {
    const kw = this.next();
    const qubits = this.operand();
    let target: Operand | null = null;
    if (this.isOp('->')) {
      this.next();
      target = this.operand();
    }
    this.endStatement('measure');
    out.push({ kind: 'measure', qubits, target, at: this.loc(kw) });
  }

  /** `c = measure q;` / `c[0] = measure q[0];` — any other assignment is classical computation. */
  private assignment(out: Statement[]): void {
    const start = this.peek();
    const target = this.operand();
    if (!this.isOp('=')) this.fail(`expected '=' or a gate call, found ${describeToken(this.peek())}`);
    this.next();
    if (!this.isId('measure')) this.fail('classical assignments are not supported (only `c = measure q;`)');
    this.next();
    const qubits = this.operand();
    this.endStatement('measure');
    out.push({ kind: 'measure', qubits, target, at: this.loc(start) });
  }

  /** `let name = q[0:2] ++ r;` */
  private alias(out: Statement[]): void {
    const kw = this.next();
    const name = this.expectId("a name after 'let'");
    this.expectOp('=', `after 'let ${name.text}'`);
    const parts = [this.operand()];
    while (this.isOp('++')) {
      this.next();
      parts.push(this.operand());
    }
    this.endStatement('the alias');
    out.push({ kind: 'let', name: name.text, parts, at: this.loc(kw) });
  }

  /** `[modifiers @] name[(args)] operands;` */
  private gateCall(inBody: boolean): GateCall {
    const start = this.peek();
    const modifiers: Modifier[] = [];
    for (;;) {
      const t = this.peek();
      // Modifiers exist in OpenQASM 3 only and are followed by '@' or '(…) @'.
      if (this.version !== 3 || t.kind !== 'id' || !MODIFIER_WORDS.has(t.text)) break;
      if (!this.isOp('@', 1) && !this.isOp('(', 1)) break;
      this.next();
      const at = this.loc(t);
      if (t.text === 'inv') {
        modifiers.push({ kind: 'inv', at });
      } else if (t.text === 'pow') {
        this.expectOp('(', "after 'pow'");
        const exponent = this.expression();
        this.expectOp(')', "after the exponent of 'pow'");
        modifiers.push({ kind: 'pow', exponent, at });
      } else {
        let count: Expr | null = null;
        if (this.isOp('(')) {
          this.next();
          count = this.expression();
          this.expectOp(')', `after the count of '${t.text}'`);
        }
        modifiers.push({ kind: 'ctrl', negative: t.text === 'negctrl', count, at });
      }
      this.expectOp('@', `after the '${t.text}' modifier`);
    }
    const name = this.peek();
    if (name.kind !== 'id') {
      this.fail(`expected ${modifiers.length ? 'a gate name after the modifier' : 'a statement'}, found ${describeToken(name)}`);
    }
    this.next();
    const args: Expr[] = [];
    if (this.isOp('(')) {
      this.next();
      if (!this.isOp(')')) {
        for (;;) {
          args.push(this.expression());
          if (!this.isOp(',')) break;
          this.next();
        }
      }
      this.expectOp(')', `after the arguments of '${name.text}'`);
    }
    if (this.isOp('[')) this.fail(`gate durations ('${name.text}[…]') are not supported`);
    let operands: Operand[] = [];
    if (!(name.text === 'gphase' && this.isOp(';'))) {
      const first = this.peek();
      if (first.kind !== 'id' && first.kind !== 'hwqubit') {
        this.fail(`expected qubit operands for '${name.text}', found ${describeToken(first)}`);
      }
      operands = this.operandList();
      if (inBody) {
        for (const o of operands) {
          if (o.kind !== 'named' || o.index !== null) {
            throw new UserError('a gate body may only use the qubit arguments of its gate, without indices', o.at);
          }
        }
      }
    }
    this.endStatement(`the '${name.text}' gate call`);
    return { kind: 'call', name: name.text, modifiers, args, operands, at: this.loc(start), nameAt: this.loc(name) };
  }

  /**
   * `#pragma nearclifford noise NAME(s1, …) q[i], q[j]` up to the end of its line (a `;` before the
   * end is accepted). Names, strengths and operands are checked by the elaborator.
   */
  private noisePragma(): NoisePragma {
    const kw = this.next();
    const name = this.peek();
    if (name.kind !== 'id') this.fail(`expected a channel name after '#pragma nearclifford noise', found ${describeToken(name)}`);
    this.next();
    const args: Expr[] = [];
    if (this.isOp('(')) {
      this.next();
      if (!this.isOp(')')) {
        for (;;) {
          args.push(this.expression());
          if (!this.isOp(',')) break;
          this.next();
        }
      }
      this.expectOp(')', `after the strengths of '${name.text}'`);
    }
    const first = this.peek();
    if (first.kind !== 'id' && first.kind !== 'hwqubit') this.fail(`expected qubit operands for the channel '${name.text}', found ${describeToken(first)}`);
    const operands = this.operandList();
    if (this.isOp(';')) this.next();
    const end = this.peek();
    if (end.kind !== 'eol' && end.kind !== 'eof') this.fail(`expected the end of the noise pragma line, found ${describeToken(end)}`);
    this.next();
    return { kind: 'noise', name: name.text, args, operands, at: this.loc(kw), nameAt: this.loc(name) };
  }

  private operandList(): Operand[] {
    const list = [this.operand()];
    while (this.isOp(',')) {
      this.next();
      list.push(this.operand());
    }
    return list;
  }

  private operand(): Operand {
    const t = this.peek();
    if (t.kind === 'hwqubit') {
      this.next();
      return { kind: 'physical', index: t.value, at: this.loc(t) };
    }
    if (t.kind !== 'id') this.fail(`expected a qubit or register, found ${describeToken(t)}`);
    this.next();
    let index: IndexSpec | null = null;
    if (this.isOp('[')) {
      this.next();
      index = this.indexSpec();
      this.expectOp(']', `after the index of '${t.text}'`);
    }
    return { kind: 'named', name: t.text, index, at: this.loc(t) };
  }

  private indexSpec(): IndexSpec {
    if (this.isOp('{')) {
      this.next();
      const items = [this.expression()];
      while (this.isOp(',')) {
        this.next();
        items.push(this.expression());
      }
      this.expectOp('}', 'to close the index set');
      return { kind: 'set', items };
    }
    const first = this.isOp(':') ? null : this.expression();
    if (!this.isOp(':')) {
      if (first === null) this.fail('expected an index');
      if (this.isOp(',')) this.fail('multi-dimensional indices are not supported');
      return { kind: 'single', index: first! };
    }
    this.next();
    const second = this.isOp(']') || this.isOp(':') ? null : this.expression();
    if (!this.isOp(':')) return { kind: 'range', start: first, step: null, end: second };
    this.next();
    const third = this.isOp(']') ? null : this.expression();
    return { kind: 'range', start: first, step: second, end: third };
  }

  // ------------------------------------------------------------------ expressions

  expression(): Expr {
    if (++this.depth > MAX_EXPR_DEPTH) this.fail(`expression is nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`);
    try {
      return this.additive();
    } finally {
      this.depth--;
    }
  }

  /**
   * Each operator of a chain `a + b + …` deepens the (left-nested) tree by one, so it counts
   * towards the nesting limit too: evaluation recurses as deep as the tree.
   */
  private deeper(t: Token): void {
    if (++this.depth > MAX_EXPR_DEPTH) this.fail(`expression is nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`, t);
  }

  private additive(): Expr {
    let added = 0;
    try {
      let left = this.multiplicative();
      while (this.isOp('+') || this.isOp('-')) {
        const op = this.next();
        added++;
        this.deeper(op);
        const right = this.multiplicative();
        left = { kind: 'binary', op: op.text as '+' | '-', left, right, at: this.loc(op) };
      }
      return left;
    } finally {
      this.depth -= added;
    }
  }

  private multiplicative(): Expr {
    let added = 0;
    try {
      let left = this.unary();
      for (;;) {
        const t = this.peek();
        if (this.isOp('*') || this.isOp('/')) {
          this.next();
          added++;
          this.deeper(t);
          const right = this.unary();
          left = { kind: 'binary', op: t.text as '*' | '/', left, right, at: this.loc(t) };
        } else if (this.isOp('%')) {
          this.fail("the '%' operator is not supported in angle expressions");
        } else {
          return left;
        }
      }
    } finally {
      this.depth -= added;
    }
  }

  /** Unary minus binds looser than the power operator: -a**2 = -(a**2), as in both specs. */
  private unary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next();
      if (++this.depth > MAX_EXPR_DEPTH) this.fail(`expression is nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`, op);
      try {
        return { kind: 'unary', op: op.text as '-' | '+', arg: this.unary(), at: this.loc(op) };
      } finally {
        this.depth--;
      }
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    const t = this.peek();
    const isPow = this.isOp('**') || (this.version === 2 && this.isOp('^'));
    if (!isPow) {
      if (this.isOp('^')) this.fail("'^' is bitwise xor in OpenQASM 3 and is not supported; write '**' for powers");
      return base;
    }
    this.next();
    if (++this.depth > MAX_EXPR_DEPTH) this.fail(`expression is nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`, t);
    try {
      const exponent = this.unary();
      return { kind: 'binary', op: '**', left: base, right: exponent, at: this.loc(t) };
    } finally {
      this.depth--;
    }
  }

  private primary(): Expr {
    const t = this.peek();
    const at = this.loc(t);
    if (t.kind === 'int' || t.kind === 'float') {
      this.next();
      return { kind: 'number', value: t.value, at };
    }
    if (t.kind === 'id') {
      this.next();
      if (this.isOp('[')) {
        this.next();
        const index = this.expression();
        this.expectOp(']', `after the index of '${t.text}'`);
        return { kind: 'index', name: t.text, index, at };
      }
      if (!this.isOp('(')) return { kind: 'name', name: t.text, at };
      this.next();
      const args: Expr[] = [];
      if (!this.isOp(')')) {
        for (;;) {
          args.push(this.expression());
          if (!this.isOp(',')) break;
          this.next();
        }
      }
      this.expectOp(')', `after the arguments of '${t.text}'`);
      return { kind: 'call', name: t.text, args, at };
    }
    if (this.isOp('(')) {
      this.next();
      const e = this.expression();
      this.expectOp(')', 'to close the parenthesis');
      return e;
    }
    if (t.kind === 'duration') this.fail(`durations (${t.text}) are not supported`);
    if (t.kind === 'imag') this.fail(`imaginary numbers (${t.text}) are not supported`);
    return this.fail(`expected a number, a name or '(' in an expression, found ${describeToken(t)}`);
  }
}

const MODIFIER_WORDS = new Set(['inv', 'pow', 'ctrl', 'negctrl']);

/**
 * Words that make `statement` or `gateCall` read something other than a plain gate call (in some
 * version), and `gphase` (its operands are optional) and `pragma` (a pragma line at a line's
 * start): the fast path (fast-path.ts) leaves calls of such a name to the parser.
 */
export function startsOtherStatement(word: string): boolean {
  return (
    Object.hasOwn(UNSUPPORTED_STATEMENTS, word) || MODIFIER_WORDS.has(word) || OTHER_STATEMENTS.has(word)
  );
}

const OTHER_STATEMENTS = new Set(['OPENQASM', 'include', 'qreg', 'creg', 'const', 'qubit', 'bit', 'input', 'gate', 'barrier', 'measure', 'let', 'gphase', 'pragma']);

/** Words that are keywords in OpenQASM 2 itself (the others may be gate names there). */
const QASM2_KEYWORDS = new Set(['reset', 'if', 'opaque']);
