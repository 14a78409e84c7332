import { parameterExpr } from '../../ir/affine.js';
import { LETTER_CODE } from '../../ir/compact.js';
import { GATE_LIBRARY, type GateDefinition } from '../../ir/gate-library.js';
import { CHANNEL_NAMES, type AffineExpr, type ParameterDecl, type PauliLetter } from '../../ir/types.js';
import { decimalValue } from '../decimal.js';
import { hashRange, identifierEnd, isAsciiIdentPart, isAsciiIdentStart, isDigit, NameCache, sameText } from '../scan.js';
import type { Stmt } from './ast.js';
import { angleOf, binaryProblem, binaryValue, negateValue, type Value } from './evaluate.js';
import { KEYWORDS, nclLexer } from './lexer.js';
import type { Lowering } from './lower.js';
import { parseStatementAt } from './syntax.js';

/**
 * The DSL front end at native speed: top-level statements of the common flat shapes — a library
 * gate, optional angles, integer qubit operands, `;`, and `rot(angle) X0 Y2 Z5;` — are read
 * character by character straight into the lowering, without tokens or syntax trees. Everything
 * else (declarations, loops, observables, operand expressions, index expressions, and every
 * statement that would fail anywhere) goes to the grammar path, from the start of that statement.
 *
 * The nearley grammar stays the definition of the language. The fast path accepts a statement
 * only when it is certain that the grammar reads the same tokens into the same tree and that
 * lowering that tree succeeds with the same qubits and angles; it then computes them with the
 * evaluator's own arithmetic (evaluate.ts) and enters the lowering where `Lowering.gate` would
 * (`flatGates`). When unsure it returns before changing anything, so errors — message, line and
 * column — always come from the grammar path. Property tests (test/parsing/dsl-fast-path.test.ts)
 * compare the two paths on random programs and random corruptions.
 */

/** Statements lowered by the fast path since the process started (tests and benchmarks read it). */
export const dslFastPathStats = { statements: 0 };

/**
 * Lowers the whole file: flat statements here, the others through `parseStatementAt`, in file
 * order, so errors surface in the same order as with the grammar alone.
 */
export function lowerWithFastPath(text: string, file: string, lowering: Lowering): void {
  const scan = new FlatStatementReader(text, lowering);
  const visit = (s: Stmt): void => lowering.statement(s);
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  for (;;) {
    scan.pos = pos;
    scan.line = line;
    scan.lineStart = lineStart;
    const clean = scan.skipTrivia();
    // The statement starts after the blanks and comments (or at an unterminated `/*`).
    pos = scan.pos;
    line = scan.line;
    lineStart = scan.lineStart;
    if (clean) {
      if (pos >= text.length) return;
      if (scan.statement()) {
        dslFastPathStats.statements++;
        pos = scan.pos;
        line = scan.line;
        lineStart = scan.lineStart;
        continue;
      }
    }
    const end = parseStatementAt(text, file, pos, line, pos - lineStart + 1, visit);
    if (end < 0) return;
    // Statements end with ';' or '}': the lexer's position after it is on that token's line.
    const after = nclLexer.end;
    pos = end;
    line = after.line;
    lineStart = end - after.col + 1;
  }
}

// Character codes.
const TAB = 9;
const LF = 10;
const VT = 11;
const FF = 12;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const PERCENT = 37;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const SEMI = 59;
const LBRACK = 91;
const RBRACK = 93;
const LOWER_E = 101;
const UPPER_E = 69;
const LOWER_Q = 113;

/** What an identifier means to the fast path. */
const enum WordKind {
  Gate,
  Rot,
  Pi,
  /** Any other keyword: never a name, never a flat statement. */
  Keyword,
}

interface Word {
  readonly text: string;
  readonly kind: WordKind;
  readonly def: GateDefinition | null;
  next: Word | null;
}

/** Gate names and keywords by a hash of their characters, so a lookup needs no substring. */
const WORDS = new Map<number, Word>();

function addWord(text: string, kind: WordKind, def: GateDefinition | null): void {
  const h = hashRange(text, 0, text.length);
  WORDS.set(h, { text, kind, def, next: WORDS.get(h) ?? null });
}

for (const k of KEYWORDS) addWord(k, k === 'rot' ? WordKind.Rot : k === 'pi' ? WordKind.Pi : WordKind.Keyword, null);
for (const [name, def] of GATE_LIBRARY) {
  // Lowering treats channel names first; a Pauli-factor-like name would change how `rot` reads.
  if ((CHANNEL_NAMES as readonly string[]).includes(name) || /^[IXYZ]\d*$/.test(name)) continue;
  if ((KEYWORDS as readonly string[]).includes(name)) continue;
  addWord(name, WordKind.Gate, def);
}

function lookupWord(text: string, start: number, end: number, hash: number): Word | null {
  for (let w = WORDS.get(hash) ?? null; w !== null; w = w.next) if (sameText(w.text, text, start, end)) return w;
  return null;
}

/** Deepest parentheses the fast path reads in an angle (deeper ones go to the grammar). */
const MAX_DEPTH = 32;

/** Most Pauli factors of a `rot` the fast path reads. */
const MAX_FACTORS = 64;

/**
 * Reads one flat statement at `pos` (line `line`, whose first character is at `lineStart`). Not
 * re-entrant; one per parse.
 */
class FlatStatementReader {
  pos = 0;
  line = 1;
  lineStart = 0;
  private readonly end: number;
  /** Parameter declarations by name (declarations are permanent once made). */
  private readonly params = new NameCache<ParameterDecl>();
  private readonly pairQubits: number[] = [];
  private readonly pairLetters: PauliLetter[] = [];
  private readonly cliffordQubits = [0, 0];

  constructor(
    private readonly text: string,
    private readonly lowering: Lowering,
  ) {
    this.end = text.length;
  }

  /**
   * Skips blanks and comments exactly as the lexer does (`[ \t\r\n\f\v]`, `// …` and `# …` to the
   * end of the line, `/* … *\/`), counting lines. False at an unterminated `/*` (left to the lexer).
   */
  skipTrivia(): boolean {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB || c === CR || c === FF || c === VT) {
        this.pos++;
      } else if (c === LF) {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === HASH || (c === SLASH && text.charCodeAt(this.pos + 1) === SLASH)) {
        const nl = text.indexOf('\n', this.pos);
        this.pos = nl < 0 ? this.end : nl;
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

  /** Reads and lowers one flat statement at `pos`; false (nothing lowered) when it is not one. */
  statement(): boolean {
    const text = this.text;
    const start = this.pos;
    // Gate names and keywords are ASCII; a non-ASCII letter or mark would continue the identifier.
    if (!isAsciiIdentStart(text.charCodeAt(start))) return false;
    let h = 0;
    let i = start;
    for (let c = text.charCodeAt(i); isAsciiIdentPart(c); c = text.charCodeAt(++i)) h = (Math.imul(h, 31) + c) | 0;
    if (text.charCodeAt(i) >= 128) return false;
    const word = lookupWord(text, start, i, h);
    if (word === null) return false;
    const line = this.line;
    const col = start - this.lineStart + 1;
    this.pos = i;
    if (word.kind === WordKind.Gate) return this.gate(word.def!, line, col);
    if (word.kind === WordKind.Rot) return this.rotation(line, col);
    return false;
  }

  /** `name q…;` or `name(e, …) q…;`: what `Lowering.gate` computes, or false. */
  private gate(def: GateDefinition, line: number, col: number): boolean {
    const text = this.text;
    if (!this.skipTrivia()) return false;
    let angles: AffineExpr[] | null = null;
    if (text.charCodeAt(this.pos) === LPAREN) {
      this.pos++;
      angles = [];
      if (!this.skipTrivia()) return false;
      if (text.charCodeAt(this.pos) !== RPAREN) {
        for (;;) {
          const a = this.angle();
          if (a === null || angles.length === def.numAngles) return false;
          angles.push(a);
          const c = text.charCodeAt(this.pos); // angle() skipped the trivia after it
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
    const n = this.lowering.qubitCount;
    if (n === null) return false;
    // A Clifford gate's qubits go straight into the IR: no array per statement.
    const qubits = def.cliffordOp >= 0 || def.rotationCodes !== null ? this.cliffordQubits : new Array<number>(def.numQubits);
    let count = 0;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === SEMI) break;
      let q: number;
      if (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(this.pos + 1)))) {
        q = this.number();
      } else if (c === LOWER_Q && !isAsciiIdentPart(text.charCodeAt(this.pos + 1)) && text.charCodeAt(this.pos + 1) < 128) {
        // `q[3]`: the index is a plain number here (expressions go to the grammar).
        this.pos++;
        if (!this.skipTrivia() || text.charCodeAt(this.pos) !== LBRACK) return false;
        this.pos++;
        if (!this.skipTrivia()) return false;
        const d = text.charCodeAt(this.pos);
        if (!isDigit(d) && !(d === DOT && isDigit(text.charCodeAt(this.pos + 1)))) return false;
        q = this.number();
        if (!this.skipTrivia() || text.charCodeAt(this.pos) !== RBRACK) return false;
        this.pos++;
      } else {
        return false;
      }
      // Lowering.qubit: an integer in range.
      if (!Number.isSafeInteger(q) || q < 0 || q >= n || count === def.numQubits) return false;
      qubits[count++] = q;
      if (!this.skipTrivia()) return false;
    }
    if (count !== def.numQubits) return false;
    this.pos++; // ';'
    if (def.cliffordOp >= 0) this.lowering.flatClifford(def.cliffordOp, qubits[0]!, def.numQubits === 2 ? qubits[1]! : -1, line, col);
    else if (def.rotationCodes !== null) {
      const codes = def.rotationCodes;
      const two = codes.length === 2;
      this.lowering.flatRotation(codes[0]!, qubits[0]!, two ? codes[1]! : 0, two ? qubits[1]! : -1, angles![0]!, line, col);
    } else this.lowering.flatGates(def.lower(qubits, angles ?? []), line, col);
    return true;
  }

  /** `rot(angle) X0 Y2 Z5;` with factors of the form letter-digits: what `Lowering.rotation` computes, or false. */
  private rotation(line: number, col: number): boolean {
    const text = this.text;
    const n = this.lowering.qubitCount;
    if (n === null || !this.skipTrivia() || text.charCodeAt(this.pos) !== LPAREN) return false;
    this.pos++;
    const angle = this.angle();
    if (angle === null || text.charCodeAt(this.pos) !== RPAREN) return false;
    this.pos++;
    const qs = this.pairQubits;
    const ls = this.pairLetters;
    let count = 0;
    for (;;) {
      if (!this.skipTrivia()) return false;
      const c = text.charCodeAt(this.pos);
      if (c === SEMI) break;
      // X, Y or Z then digits, ending the identifier: PAULI_TEXT of lower.ts without I.
      const letter: PauliLetter | null = c === 88 ? 'X' : c === 89 ? 'Y' : c === 90 ? 'Z' : null;
      if (letter === null || !isDigit(text.charCodeAt(this.pos + 1))) return false;
      let i = this.pos + 1;
      let q = 0;
      for (let d = text.charCodeAt(i); isDigit(d); d = text.charCodeAt(++i)) q = q * 10 + (d - 48);
      const next = text.charCodeAt(i);
      if (i - this.pos > 16 || isAsciiIdentPart(next) || next >= 128) return false;
      if (q >= n || count === MAX_FACTORS) return false;
      // Insertion by qubit, as sparsePauli sorts; a repeated qubit is an error there.
      let j = count;
      while (j > 0 && qs[j - 1]! > q) {
        qs[j] = qs[j - 1]!;
        ls[j] = ls[j - 1]!;
        j--;
      }
      if (j > 0 && qs[j - 1] === q) return false;
      qs[j] = q;
      ls[j] = letter;
      count++;
      this.pos = i;
    }
    if (count === 0) return false;
    this.pos++; // ';'
    if (count <= 2) {
      // Weight 1 and 2 by numbers (qs is sorted, as sparsePauli sorts): no generator object.
      const two = count === 2;
      this.lowering.flatRotation(LETTER_CODE[ls[0]!], qs[0]!, two ? LETTER_CODE[ls[1]!] : 0, two ? qs[1]! : -1, angle, line, col);
      return true;
    }
    const pauli = { qubits: qs.slice(0, count), letters: ls.slice(0, count) };
    this.lowering.flatGates([{ kind: 'rotation', pauli, angle }], line, col);
    return true;
  }

  /** One angle expression and the trivia after it, as `Evaluator.angle` computes it, or null. */
  private angle(): AffineExpr | null {
    const v = this.sum(0);
    if (v === undefined || !this.skipTrivia()) return null;
    return angleOf(v);
  }

  // Expressions, as the grammar reads them (`sum`, `prod`, `unary`, `atom`; left-associative) and
  // as the evaluator computes them. undefined: not for the fast path. Each reader skips the trivia
  // before its first token; `atom` also the trivia after it.

  private sum(depth: number): Value | undefined {
    let a = this.prod(depth);
    while (a !== undefined) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== PLUS && c !== MINUS) return a;
      this.pos++;
      const b = this.prod(depth);
      if (b === undefined) return undefined;
      a = this.binary(c === PLUS ? '+' : '-', a, b);
    }
    return undefined;
  }

  private prod(depth: number): Value | undefined {
    let a = this.unary(depth);
    while (a !== undefined) {
      const c = this.text.charCodeAt(this.pos);
      // `//` and `/*` after an operand were skipped as comments by atom().
      if (c !== STAR && c !== SLASH && c !== PERCENT) return a;
      this.pos++;
      const b = this.unary(depth);
      if (b === undefined) return undefined;
      a = this.binary(c === STAR ? '*' : c === SLASH ? '/' : '%', a, b);
    }
    return undefined;
  }

  private binary(op: string, a: Value, b: Value): Value | undefined {
    return binaryProblem(op, a, b) === null ? binaryValue(op, a, b) : undefined;
  }

  private unary(depth: number): Value | undefined {
    if (!this.skipTrivia()) return undefined;
    const c = this.text.charCodeAt(this.pos);
    if (c === MINUS || c === PLUS) {
      if (depth >= MAX_DEPTH) return undefined;
      this.pos++;
      const v = this.unary(depth + 1);
      return v === undefined || c === PLUS ? v : negateValue(v);
    }
    return this.atom(depth);
  }

  private atom(depth: number): Value | undefined {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    let v: Value | undefined;
    if (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(this.pos + 1)))) {
      v = this.number();
      // Evaluator.literal: a number too large for a double is an error there.
      if (!Number.isFinite(v)) return undefined;
    } else if (c === LPAREN) {
      if (depth >= MAX_DEPTH) return undefined;
      this.pos++;
      v = this.sum(depth + 1);
      if (v === undefined || text.charCodeAt(this.pos) !== RPAREN) return undefined;
      this.pos++;
    } else if (isAsciiIdentStart(c) || c >= 128) {
      v = this.name();
    } else {
      return undefined;
    }
    return v !== undefined && this.skipTrivia() ? v : undefined;
  }

  /** `pi`, a scalar parameter `a` or a vector element `v[3]` (loop variables never occur at top level). */
  private name(): Value | undefined {
    const text = this.text;
    const start = this.pos;
    const end = identifierEnd(text, start);
    if (end < 0) return undefined;
    const h = hashRange(text, start, end);
    const word = lookupWord(text, start, end, h);
    this.pos = end;
    if (word !== null && word.kind === WordKind.Pi) return Math.PI;
    // Other keywords are no names; gate names are (`param t;`).
    if (word !== null && word.kind !== WordKind.Gate) return undefined;
    let decl = this.params.get(text, start, end, h);
    if (decl === undefined) {
      const name = text.slice(start, end);
      decl = this.lowering.parameter(name);
      if (decl === undefined) return undefined; // unknown parameter
      this.params.set(name, h, decl);
    }
    if (!this.skipTrivia()) return undefined;
    if (text.charCodeAt(this.pos) !== LBRACK) {
      // A vector used without an index is an error.
      return decl.length === null ? parameterExpr(decl.offset) : undefined;
    }
    this.pos++;
    if (!this.skipTrivia()) return undefined;
    const d = text.charCodeAt(this.pos);
    if (!isDigit(d) && !(d === DOT && isDigit(text.charCodeAt(this.pos + 1)))) return undefined;
    const index = this.number();
    if (!this.skipTrivia() || text.charCodeAt(this.pos) !== RBRACK) return undefined;
    this.pos++;
    // Evaluator.integer and CircuitAssembler.parameterIndex: a vector element in range.
    if (decl.length === null || !Number.isSafeInteger(index) || index < 0 || index >= decl.length) return undefined;
    return parameterExpr(decl.offset + index);
  }

  /**
   * The number token at `pos` (a digit, or `.` and a digit): `\d+(\.\d+)?` or `\.\d+`, then an
   * exponent `[eE][+-]?\d+` if one follows — the lexer's rule, whose text it gives to Number().
   */
  private number(): number {
    const text = this.text;
    const start = this.pos;
    let i = start;
    let v = 0;
    for (let c = text.charCodeAt(i); isDigit(c); c = text.charCodeAt(++i)) v = v * 10 + (c - 48);
    const after = text.charCodeAt(i);
    // Digits only (qubits, indices): the integer itself, exact below 10^15.
    if (after !== DOT && after !== LOWER_E && after !== UPPER_E && i - start <= 15 && i > start) {
      this.pos = i;
      return v;
    }
    if (text.charCodeAt(i) === DOT && isDigit(text.charCodeAt(i + 1))) {
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
    this.pos = i;
    return decimalValue(text, start, i);
  }
}
