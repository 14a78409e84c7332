import { constantExpr, parameterExpr, scaleExpr } from '../../ir/affine.js';
import type { CircuitAssembler } from '../../ir/circuit.js';
import { GATE_LIBRARY, type GateDefinition } from '../../ir/gate-library.js';
import type { AffineExpr, Gate, SourceLocation } from '../../ir/types.js';
import { decimalValue } from '../decimal.js';
import { hashRange, identifierEnd, isAsciiIdentPart, isAsciiIdentStart, isDigit, NameCache, sameText } from '../scan.js';
import { binaryAngle, binaryAngleProblem, builtinConstant, isFiniteAngle } from './expressions.js';
import type { QasmLexer } from './lexer.js';
import { startsOtherStatement, type QasmParser } from './parser.js';
import type { QubitSpace, Register } from './qubit-space.js';

/**
 * The OpenQASM importer at native speed for flat gate lines — `rz(0.5) q[3];`, `cx q[0], q[1];`,
 * `rz(theta[2]) q[1];`, `h q;` (broadcast), `sx $3;` — read character by character from where
 * the lexer stands and applied as `Elaborator.topLevelCall` applies them, without tokens or
 * syntax trees. Anything else (declarations, definitions, modifiers, function calls, slices,
 * pragmas, comments that could be pragmas, user-defined gates, and every call that would fail
 * anywhere) is left to the parser and the elaborator, from the start of that statement.
 *
 * A call is taken only when the parser would read the same tokens as a plain gate call and the
 * elaborator would apply it without error; the angles are computed with the evaluator's own
 * operations (expressions.ts). Otherwise nothing is changed (gates already appended for a
 * broadcast are removed again) and the statement goes the usual way, so every error message and
 * position comes from there. Property tests (test/parsing/qasm-fast-path.test.ts) compare both
 * paths on random programs and corruptions.
 */

/** Gate calls applied by the fast path since the process started (tests and benchmarks read it). */
export const qasmFastPathStats = { statements: 0 };

/** What the fast path needs of the elaborator's state. */
export interface FlatCallHost {
  readonly userGates: ReadonlyMap<string, unknown>;
  /** A scalar input's flat parameter index. */
  inputIndex(name: string): number | undefined;
  /** First flat index and length of an input array. */
  inputArray(name: string): { readonly flat: number; readonly length: number } | undefined;
  /** A `const` declaration's value. */
  constantValue(name: string): AffineExpr | undefined;
  readonly qubits: QubitSpace;
  readonly measuredAt: ReadonlyMap<number, unknown>;
  /** Where the gates go (by numbers where the gate allows). */
  readonly assembler: CircuitAssembler;
  /** Raises the assembler's qubit count to the qubits declared and used so far. */
  syncQubits(): void;
  readonly maxGates: number;
}

// Character codes.
const TAB = 9;
const LF = 10;
const VT = 11;
const FF = 12;
const CR = 13;
const SPACE = 32;
const DOLLAR = 36;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const SEMI = 59;
const EQUALS = 61;
const GREATER = 62;
const LBRACK = 91;
const RBRACK = 93;
const CARET = 94;
const LOWER_E = 101;
const UPPER_E = 69;
const LOWER_N = 110;
const NBSP = 0xa0;
const BOM = 0xfeff;

interface LibraryGate {
  readonly name: string;
  readonly def: GateDefinition;
  next: LibraryGate | null;
}

/** Library gates whose name always starts a plain gate call, by a hash of the name. */
const GATES = new Map<number, LibraryGate>();
for (const [name, def] of GATE_LIBRARY) {
  if (startsOtherStatement(name) || def.numQubits === 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
  const h = hashRange(name, 0, name.length);
  GATES.set(h, { name, def, next: GATES.get(h) ?? null });
}

/** Deepest nesting and most operators per angle the fast path reads (the parser allows 400). */
const MAX_DEPTH = 32;
const MAX_OPERATORS = 64;
/** Most digits of an index or `$n` read by character (exact in a double). */
const MAX_INDEX_DIGITS = 15;

/** How a name in an angle resolves; permanent once found, as declarations are. */
interface Meaning {
  /** A built-in constant's value, else NaN. */
  readonly builtin: number;
  /** A scalar input's flat index, else −1. */
  readonly input: number;
  /** A constant's value, else null. */
  readonly constant: AffineExpr | null;
}

/** Reads flat gate calls for one lexer/parser pair. */
export class FlatCallReader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private operators = 0;
  private readonly text: string;
  private readonly names = new NameCache<Meaning>();
  private readonly arrays = new NameCache<{ readonly flat: number; readonly length: number }>();
  private readonly registers = new NameCache<Register>();
  /** Per operand: first qubit, register size when broadcast (else 0), physical `$n` column (else 0). */
  private readonly opQubit: number[] = [];
  private readonly opBroadcast: number[] = [];
  private readonly opPhysicalLine: number[] = [];
  private readonly opPhysicalColumn: number[] = [];

  constructor(
    private readonly lexer: QasmLexer,
    private readonly parser: QasmParser,
    private readonly file: string,
    private readonly host: FlatCallHost,
  ) {
    this.text = lexer.input;
  }

  /**
   * Reads and applies the flat gate call that starts at the lexer's position (after blanks and
   * comments); true when it did (the lexer then stands after its ';'), false when nothing changed.
   */
  statement(): boolean {
    // Tokens read ahead by the parser lie before the lexer's position.
    if (this.parser.hasLookahead) return false;
    this.pos = this.lexer.position;
    this.line = this.lexer.lineNumber;
    this.lineStart = this.lexer.lineOffset;
    if (!this.skipTrivia()) return false;
    const text = this.text;
    const start = this.pos;
    if (!isAsciiIdentStart(text.charCodeAt(start))) return false;
    let h = 0;
    let i = start;
    for (let c = text.charCodeAt(i); isAsciiIdentPart(c); c = text.charCodeAt(++i)) h = (Math.imul(h, 31) + c) | 0;
    if (text.charCodeAt(i) >= 128) return false;
    let gate = GATES.get(h) ?? null;
    while (gate !== null && !sameText(gate.name, text, start, i)) gate = gate.next;
    // A definition of the same name takes precedence over the library (Elaborator.lookupGate).
    if (gate === null || this.host.userGates.has(gate.name)) return false;
    const def = gate.def;
    const line = this.line;
    const column = start - this.lineStart + 1;
    this.pos = i;
    if (!this.skipTrivia()) return false;

    // Arguments: `(e, …)`.
    let angles: AffineExpr[] | null = null;
    if (text.charCodeAt(this.pos) === LPAREN) {
      this.pos++;
      angles = [];
      if (!this.skipTrivia()) return false;
      if (text.charCodeAt(this.pos) !== RPAREN) {
        for (;;) {
          this.operators = 0;
          const a = this.additive(0);
          if (a === undefined || angles.length === def.numAngles) return false;
          angles.push(a);
          const c = text.charCodeAt(this.pos);
          if (c === COMMA) {
            this.pos++;
            continue;
          }
          if (c === RPAREN) break;
          return false;
        }
      }
      this.pos++;
      if (!this.skipTrivia()) return false;
    }
    if ((angles === null ? 0 : angles.length) !== def.numAngles) return false;

    // Operands: `q[3]`, `q` (a whole register: broadcast) or `$3`, separated by commas.
    const qubits = this.host.qubits;
    let count = 0;
    let width = -1;
    for (;;) {
      if (count === def.numQubits) return false;
      const c = text.charCodeAt(this.pos);
      this.opPhysicalColumn[count] = 0;
      this.opBroadcast[count] = 0;
      if (c === DOLLAR) {
        this.opPhysicalLine[count] = this.line;
        this.opPhysicalColumn[count] = this.pos - this.lineStart + 1;
        this.pos++;
        const index = this.digits();
        if (index < 0 || !qubits.physicalAllowed(index)) return false;
        this.opQubit[count] = index;
      } else {
        const end = identifierEnd(text, this.pos);
        if (end < 0) return false;
        const hash = hashRange(text, this.pos, end);
        let reg = this.registers.get(text, this.pos, end, hash);
        if (reg === undefined) {
          const name = text.slice(this.pos, end);
          // Not a register (an alias, a bit, an input, unknown): the elaborator's business.
          reg = qubits.register(name);
          if (reg === undefined) return false;
          this.registers.set(name, hash, reg);
        }
        this.pos = end;
        if (!this.skipTrivia()) return false;
        if (text.charCodeAt(this.pos) === LBRACK) {
          this.pos++;
          if (!this.skipTrivia()) return false;
          const index = this.digits();
          if (index < 0 || index >= reg.size || !this.skipTrivia() || text.charCodeAt(this.pos) !== RBRACK) return false;
          this.pos++;
          this.opQubit[count] = reg.start + index;
        } else {
          this.opQubit[count] = reg.start;
          if (!reg.scalar) {
            // Broadcast operands must all have the same size.
            if (width >= 0 && width !== reg.size) return false;
            width = reg.size;
            this.opBroadcast[count] = 1;
          }
        }
      }
      count++;
      if (!this.skipTrivia()) return false;
      const d = text.charCodeAt(this.pos);
      if (d === SEMI) break;
      if (d !== COMMA) return false;
      this.pos++;
      if (!this.skipTrivia()) return false;
    }
    if (count !== def.numQubits) return false;
    this.pos++; // ';'
    return this.apply(def, angles ?? [], count, width < 0 ? 1 : width, line, column);
  }

  /**
   * topLevelCall's application, or false with nothing changed: every check (repeated qubits,
   * measured qubits, the gate cap) comes before the first gate is appended.
   */
  private apply(def: GateDefinition, angles: AffineExpr[], count: number, width: number, line: number, column: number): boolean {
    const { assembler, measuredAt, maxGates } = this.host;
    for (let k = 0; k < width; k++) {
      for (let j = 0; j < count; j++) {
        const q = this.opQubit[j]! + (this.opBroadcast[j] === 1 ? k : 0);
        for (let m = 0; m < j; m++) if (this.opQubit[m]! + (this.opBroadcast[m] === 1 ? k : 0) === q) return false;
        if (measuredAt.size > 0 && measuredAt.has(q)) return false;
      }
    }
    // Gates other than one Clifford or one rotation are lowered first, to count them.
    const byNumbers = def.cliffordOp >= 0 || def.rotationCodes !== null;
    let lowered: Gate[] | null = null;
    if (byNumbers) {
      if (assembler.gateCount + width > maxGates) return false;
    } else {
      lowered = [];
      for (let k = 0; k < width; k++) {
        // A fresh array each time: a lowered gate may keep the one it was given.
        const qs = new Array<number>(count);
        for (let j = 0; j < count; j++) qs[j] = this.opQubit[j]! + (this.opBroadcast[j] === 1 ? k : 0);
        for (const g of def.lower(qs, angles)) lowered.push(g);
      }
      if (assembler.gateCount + lowered.length > maxGates) return false;
    }
    const qubits = this.host.qubits;
    for (let j = 0; j < count; j++) {
      const col = this.opPhysicalColumn[j]!;
      if (col === 0) continue;
      qubits.usePhysical(this.opQubit[j]!, qubits.usesPhysical ? null : { file: this.file, line: this.opPhysicalLine[j]!, column: col });
    }
    this.host.syncQubits();
    const file = this.file;
    if (lowered !== null) {
      const at: SourceLocation = { file, line, column };
      for (const g of lowered) assembler.addGate(g, at);
    } else if (def.cliffordOp >= 0) {
      const b0 = this.opBroadcast[0] === 1 ? 1 : 0, b1 = count > 1 && this.opBroadcast[1] === 1 ? 1 : 0;
      const q0 = this.opQubit[0]!, q1 = count > 1 ? this.opQubit[1]! : -1;
      for (let k = 0; k < width; k++) assembler.addClifford(def.cliffordOp, q0 + b0 * k, q1 < 0 ? -1 : q1 + b1 * k, file, line, column);
    } else {
      const codes = def.rotationCodes!;
      const a = angles[0]!;
      const id = a.terms.length === 0 ? assembler.constantAngle(a.constant) : assembler.angleId(a);
      const b0 = this.opBroadcast[0] === 1 ? 1 : 0, b1 = count > 1 && this.opBroadcast[1] === 1 ? 1 : 0;
      const q0 = this.opQubit[0]!, q1 = count > 1 ? this.opQubit[1]! : -1;
      const c1 = count > 1 ? codes[1]! : 0;
      for (let k = 0; k < width; k++) assembler.addRotation(codes[0]!, q0 + b0 * k, c1, q1 < 0 ? -1 : q1 + b1 * k, id, file, line, column);
    }
    this.lexer.resumeAt(this.pos, this.line, this.lineStart);
    qasmFastPathStats.statements++;
    return true;
  }

  /**
   * An unsigned decimal integer of digits only, as an index or after `$`, and not continued by
   * anything the lexer would read into the number (`.`, `_`, letters, exponent, suffix); −1 when
   * there is none.
   */
  private digits(): number {
    const text = this.text;
    const start = this.pos;
    let v = 0;
    let i = start;
    for (let c = text.charCodeAt(i); isDigit(c); c = text.charCodeAt(++i)) v = v * 10 + (c - 48);
    const next = text.charCodeAt(i);
    if (i === start || i - start > MAX_INDEX_DIGITS || isAsciiIdentPart(next) || next === DOT || next >= 128) return -1;
    this.pos = i;
    return v;
  }

  /**
   * Skips what the lexer skips — blanks (` \t\r\f\v`, no-break space, BOM), newlines, `/* … *\/` and
   * `// …` comments — counting lines. False where the lexer would do more: a comment that may be a
   * `// nearclifford:` pragma, an unterminated `/*`.
   */
  private skipTrivia(): boolean {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB || c === CR || c === FF || c === VT || c === NBSP || c === BOM) {
        this.pos++;
      } else if (c === LF) {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === SLASH && text.charCodeAt(this.pos + 1) === SLASH) {
        // The lexer keeps comments whose trimmed text starts with "nearclifford:".
        let j = this.pos + 2;
        while (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB) j++;
        const d = text.charCodeAt(j);
        if (d === LOWER_N || d >= 128 || d === VT || d === FF || d === CR) return false;
        const nl = text.indexOf('\n', j);
        this.pos = nl < 0 ? text.length : nl;
      } else if (c === SLASH && text.charCodeAt(this.pos + 1) === STAR) {
        const close = text.indexOf('*/', this.pos + 2);
        if (close < 0) return false;
        for (let nl = text.indexOf('\n', this.pos); nl >= 0 && nl < close; nl = text.indexOf('\n', nl + 1)) {
          this.line++;
          this.lineStart = nl + 1;
        }
        this.pos = close + 2;
      } else {
        return true;
      }
    }
  }

  // Angle expressions as QasmParser reads them (additive, multiplicative, unary, power, primary)
  // and evaluateAngle computes them. undefined: not for the fast path. Each reader skips the
  // trivia before its first token; `primary` also the trivia after it.

  private additive(depth: number): AffineExpr | undefined {
    let a = this.multiplicative(depth);
    while (a !== undefined) {
      const text = this.text;
      const c = text.charCodeAt(this.pos);
      if (c !== PLUS && c !== MINUS) return a;
      const d = text.charCodeAt(this.pos + 1);
      // `++`, `+=`, `->`, `-=` are other operators.
      if (d === EQUALS || (c === PLUS && d === PLUS) || (c === MINUS && d === GREATER)) return undefined;
      if (++this.operators > MAX_OPERATORS) return undefined;
      this.pos++;
      const b = this.multiplicative(depth);
      if (b === undefined) return undefined;
      a = this.binary(c === PLUS ? '+' : '-', a, b);
    }
    return undefined;
  }

  private multiplicative(depth: number): AffineExpr | undefined {
    let a = this.unary(depth);
    while (a !== undefined) {
      const text = this.text;
      const c = text.charCodeAt(this.pos);
      // `%` (an error there) ends the operand here, and the caller refuses what follows.
      if (c !== STAR && c !== SLASH) return a;
      // `**` (power), `*=`, `/=`; `//` and `/*` were skipped as comments after the operand.
      const d = text.charCodeAt(this.pos + 1);
      if (d === EQUALS || (c === STAR && d === STAR)) return undefined;
      if (++this.operators > MAX_OPERATORS) return undefined;
      this.pos++;
      const b = this.unary(depth);
      if (b === undefined) return undefined;
      a = this.binary(c === STAR ? '*' : '/', a, b);
    }
    return undefined;
  }

  private binary(op: string, a: AffineExpr, b: AffineExpr): AffineExpr | undefined {
    if (binaryAngleProblem(op, a, b) !== null) return undefined;
    const v = binaryAngle(op, a, b);
    return isFiniteAngle(v) ? v : undefined;
  }

  private unary(depth: number): AffineExpr | undefined {
    if (!this.skipTrivia()) return undefined;
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === MINUS || c === PLUS) {
      const d = text.charCodeAt(this.pos + 1);
      if (d === EQUALS || (c === PLUS && d === PLUS) || (c === MINUS && d === GREATER)) return undefined;
      if (depth >= MAX_DEPTH) return undefined;
      this.pos++;
      const v = this.unary(depth + 1);
      return v === undefined || c === PLUS ? v : scaleExpr(v, -1);
    }
    const base = this.primary(depth);
    // Powers (`**`, or `^` in OpenQASM 2; an error in 3) are left to the parser.
    if (base === undefined || text.charCodeAt(this.pos) === CARET) return undefined;
    if (text.charCodeAt(this.pos) === STAR && text.charCodeAt(this.pos + 1) === STAR) return undefined;
    return base;
  }

  private primary(depth: number): AffineExpr | undefined {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    let v: AffineExpr | undefined;
    if (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(this.pos + 1)))) {
      const x = this.number();
      if (x === undefined || !Number.isFinite(x)) return undefined;
      v = constantExpr(x);
    } else if (c === LPAREN) {
      if (depth >= MAX_DEPTH) return undefined;
      this.pos++;
      v = this.additive(depth + 1);
      if (v === undefined || text.charCodeAt(this.pos) !== RPAREN) return undefined;
      this.pos++;
    } else {
      v = this.name();
    }
    return v !== undefined && this.skipTrivia() ? v : undefined;
  }

  /** A built-in constant, a scalar input or constant, or an input array element `θ[3]`. */
  private name(): AffineExpr | undefined {
    const text = this.text;
    const start = this.pos;
    const end = identifierEnd(text, start);
    if (end < 0) return undefined;
    const h = hashRange(text, start, end);
    this.pos = end;
    if (!this.skipTrivia()) return undefined;
    const c = text.charCodeAt(this.pos);
    // Function calls are left to the parser.
    if (c === LPAREN) return undefined;
    if (c === LBRACK) {
      let array = this.arrays.get(text, start, end, h);
      if (array === undefined) {
        const name = text.slice(start, end);
        array = this.host.inputArray(name);
        if (array === undefined) return undefined;
        this.arrays.set(name, h, array);
      }
      this.pos++;
      if (!this.skipTrivia()) return undefined;
      const index = this.digits();
      if (index < 0 || index >= array.length || !this.skipTrivia() || text.charCodeAt(this.pos) !== RBRACK) return undefined;
      this.pos++;
      return parameterExpr(array.flat + index);
    }
    let meaning = this.names.get(text, start, end, h);
    if (meaning === undefined) {
      const name = text.slice(start, end);
      const builtin = builtinConstant(name);
      const input = builtin === undefined ? this.host.inputIndex(name) : undefined;
      const constant = builtin === undefined && input === undefined ? this.host.constantValue(name) : undefined;
      if (builtin === undefined && input === undefined && constant === undefined) return undefined;
      meaning = { builtin: builtin ?? NaN, input: input ?? -1, constant: constant ?? null };
      this.names.set(name, h, meaning);
    }
    // As evaluateAngle and the top-level resolver give them: fresh expressions, a constant's own value.
    if (!Number.isNaN(meaning.builtin)) return constantExpr(meaning.builtin);
    if (meaning.input >= 0) return parameterExpr(meaning.input);
    return meaning.constant!;
  }

  /**
   * A decimal number token (`1`, `0.5`, `1.`, `.5`, `2e-3`) and its value as the lexer computes it;
   * undefined when the lexer would read more or something else (`_` separators, `0x…` radix
   * forms, a duration or imaginary suffix, a letter or digit right after it: an error there).
   */
  private number(): number | undefined {
    const text = this.text;
    const start = this.pos;
    let i = start;
    while (isDigit(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === DOT) {
      i++;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === LOWER_E || e === UPPER_E) {
      let j = i + 1;
      const s = text.charCodeAt(j);
      if (s === PLUS || s === MINUS) j++;
      if (isDigit(text.charCodeAt(j))) {
        i = j;
        while (isDigit(text.charCodeAt(i))) i++;
      }
    }
    const next = text.charCodeAt(i);
    if (isAsciiIdentPart(next) || next >= 128) return undefined;
    this.pos = i;
    return decimalValue(text, start, i);
  }
}
