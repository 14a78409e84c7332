import { UserError } from '../../ir/errors.js';
import type { SourceLocation } from '../../ir/types.js';

/**
 * Hand-written OpenQASM 2/3 tokenizer. One lexer serves both versions; the parser decides what a
 * token means. Identifiers may be Unicode (Qiskit writes parameters such as `_θ_0_`), comments
 * are skipped, and `// nearclifford:…` comments are kept aside as pragmas (see pragmas.ts).
 */
/**
 * `duration` (100ns) and `imag` (1.5im) exist only so the parser can reject them by name.
 * `noise` starts a `#pragma nearclifford noise …` line, whose tokens follow as usual up to an `eol`
 * token at the end of that line (the only place line ends are tokens; see pragmas.ts).
 */
export type TokenKind = 'id' | 'int' | 'float' | 'string' | 'hwqubit' | 'op' | 'duration' | 'imag' | 'noise' | 'eol' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Source text (for strings: the contents without quotes). */
  readonly text: string;
  /** Numeric value of int/float/hwqubit tokens. */
  readonly value: number;
  readonly line: number;
  readonly column: number;
}

export interface CommentPragma {
  /** Comment text after `//`, trimmed. */
  readonly text: string;
  readonly at: SourceLocation;
}

/** Multi-character operators first, so the longest one wins. */
const OPERATORS = [
  '->', '==', '!=', '<=', '>=', '<<', '>>', '**', '++', '&&', '||', '+=', '-=', '*=', '/=',
  ';', ',', '(', ')', '[', ']', '{', '}', ':', '=', '+', '-', '*', '/', '%', '^', '@', '<', '>',
  '!', '~', '&', '|', '.',
];

const PRAGMA_PREFIX = 'nearclifford:';
// Sticky patterns, run at `lastIndex` on the whole text (no substrings per token).
const IDENT = /[\p{L}_][\p{L}\p{N}\p{Mn}\p{Mc}_]*/uy;
const NUMBER = /(?:\d[\d_]*\.[\d_]*|\.\d[\d_]*|\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?/y;
const RADIX_NUMBER = /0(?:[xX][0-9a-fA-F_]+|[bB][01_]+|[oO][0-7_]+)/y;
const NUMBER_SUFFIX = /(?:ns|us|µs|ms|s|dt|im)(?![\p{L}\p{N}_])/uy;
const PRAGMA_LINE = /#pragma|pragma\b/y;
/** What follows `#pragma`/`pragma` on a noise line (our exporter's channels). */
const NOISE_PRAGMA = /[ \t]+nearclifford[ \t]+noise\b/y;

/**
 * Produces tokens on demand (the parser keeps a few of lookahead), so a large file never holds
 * all its tokens at once. `pragmas` fills up as the lexer passes the comments.
 */
export class QasmLexer {
  readonly pragmas: CommentPragma[] = [];
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private atLineStart = true;
  /** Inside a `#pragma nearclifford noise` line: its end is an `eol` token. */
  private inNoisePragma = false;
  private eofToken: Token | null = null;

  constructor(private readonly text: string, private readonly fileName: string) {}

  /**
   * The input and where the next token's scan starts (line, offset of that line's first
   * character), for the fast path (fast-path.ts), which reads whole statements from there.
   */
  get input(): string {
    return this.text;
  }

  /** The file name positions are reported in. */
  get file(): string {
    return this.fileName;
  }

  get position(): number {
    return this.pos;
  }

  get lineNumber(): number {
    return this.line;
  }

  get lineOffset(): number {
    return this.lineStart;
  }

  /** Continues after text the fast path read, which ended with a token at `pos` − 1. */
  resumeAt(pos: number, line: number, lineStart: number): void {
    this.pos = pos;
    this.line = line;
    this.lineStart = lineStart;
    this.atLineStart = false;
  }

  private here(): SourceLocation {
    return { file: this.fileName, line: this.line, column: this.pos - this.lineStart + 1 };
  }

  private fail(msg: string): never {
    throw new UserError(msg, this.here());
  }

  private token(kind: TokenKind, tokText: string, value: number, startPos: number): Token {
    this.atLineStart = false;
    return { kind, text: tokText, value, line: this.line, column: startPos - this.lineStart + 1 };
  }

  next(): Token {
    const text = this.text;
    while (this.pos < text.length) {
      const pos = this.pos;
      const ch = text[pos]!;
      if (ch === '\n') {
        if (this.inNoisePragma) {
          this.inNoisePragma = false;
          const eol = this.token('eol', '', 0, pos);
          this.pos++;
          this.line++;
          this.lineStart = this.pos;
          this.atLineStart = true;
          return eol;
        }
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
        this.atLineStart = true;
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v' || ch === '\u00a0' || ch === '\ufeff') {
        this.pos++;
        continue;
      }
      if (ch === '/' && text[pos + 1] === '/') {
        const loc = this.here();
        let end = text.indexOf('\n', pos);
        if (end < 0) end = text.length;
        const body = text.slice(pos + 2, end).trim();
        if (body.startsWith(PRAGMA_PREFIX)) this.pragmas.push({ text: body, at: loc });
        this.pos = end;
        continue;
      }
      if (ch === '/' && text[pos + 1] === '*') {
        const loc = this.here();
        const end = text.indexOf('*/', pos + 2);
        if (end < 0) throw new UserError("unterminated block comment: expected '*/'", loc);
        // A noise pragma is one line: a comment running past its end ends it there.
        if (this.inNoisePragma && text.lastIndexOf('\n', end) > pos) throw new UserError('a block comment cannot continue a #pragma nearclifford noise line onto the next line', loc);
        for (let i = pos; i < end; i++) {
          if (text[i] === '\n') {
            this.line++;
            this.lineStart = i + 1;
          }
        }
        this.pos = end + 2;
        continue;
      }
      // `#pragma …` / `pragma …` lines (OpenQASM 3) carry no semantics for a unitary circuit, except
      // our exporter's `#pragma nearclifford noise CHANNEL(strengths) qubits`, which the parser reads.
      PRAGMA_LINE.lastIndex = pos;
      if (this.atLineStart && (ch === '#' || ch === 'p') && PRAGMA_LINE.test(text)) {
        NOISE_PRAGMA.lastIndex = PRAGMA_LINE.lastIndex;
        if (NOISE_PRAGMA.test(text)) {
          this.pos = NOISE_PRAGMA.lastIndex;
          this.inNoisePragma = true;
          return this.token('noise', text.slice(pos, this.pos).replace(/\s+/g, ' '), 0, pos);
        }
        const end = text.indexOf('\n', pos);
        this.pos = end < 0 ? text.length : end;
        continue;
      }
      if (isDigit(ch) || (ch === '.' && isDigit(text[pos + 1]))) return this.number(pos);
      if (ch === '$') {
        this.pos++;
        while (isDigit(text[this.pos])) this.pos++;
        if (this.pos === pos + 1) this.fail("expected a physical qubit number after '$'");
        return this.token('hwqubit', text.slice(pos, this.pos), Number(text.slice(pos + 1, this.pos)), pos);
      }
      if (ch === '"' || ch === "'") {
        let end = pos + 1;
        while (end < text.length && text[end] !== ch && text[end] !== '\n') end++;
        if (text[end] !== ch) this.fail(`unterminated string: expected a closing ${ch}`);
        this.pos = end + 1;
        return this.token('string', text.slice(pos + 1, end), 0, pos);
      }
      const code = text.charCodeAt(pos);
      if (isAsciiIdentStart(code)) {
        let end = pos + 1;
        while (end < text.length && isAsciiIdentPart(text.charCodeAt(end))) end++;
        // Non-ASCII letters continue the identifier through the Unicode-aware pattern.
        if (end === text.length || text.charCodeAt(end) < 128) {
          this.pos = end;
          return this.token('id', text.slice(pos, end), 0, pos);
        }
      }
      IDENT.lastIndex = pos;
      if (code >= 128 || isAsciiIdentStart(code)) {
        if (IDENT.test(text)) {
          this.pos = IDENT.lastIndex;
          return this.token('id', text.slice(pos, this.pos), 0, pos);
        }
      }
      for (const op of OPERATORS) {
        if (text.startsWith(op, pos)) {
          this.pos += op.length;
          return this.token('op', op, 0, pos);
        }
      }
      this.fail(`unexpected character '${printable(String.fromCodePoint(text.codePointAt(pos)!))}'`);
    }
    this.eofToken ??= { kind: 'eof', text: '', value: 0, line: this.line, column: this.pos - this.lineStart + 1 };
    return this.eofToken;
  }

  private number(start: number): Token {
    const text = this.text;
    let kind: TokenKind;
    let value: number;
    RADIX_NUMBER.lastIndex = start;
    NUMBER.lastIndex = start;
    if (RADIX_NUMBER.test(text)) {
      this.pos = RADIX_NUMBER.lastIndex;
      const src = text.slice(start, this.pos);
      const digits = src.slice(2).replace(/_/g, '');
      const base = /^0[xX]/.test(src) ? 16 : /^0[bB]/.test(src) ? 2 : 8;
      kind = 'int';
      value = digits === '' ? NaN : parseInt(digits, base);
    } else if (NUMBER.test(text)) {
      this.pos = NUMBER.lastIndex;
      const src = text.slice(start, this.pos);
      kind = src.includes('.') || src.includes('e') || src.includes('E') ? 'float' : 'int';
      value = Number(src.includes('_') ? src.replace(/_/g, '') : src);
    } else {
      return this.fail('malformed number');
    }
    NUMBER_SUFFIX.lastIndex = this.pos;
    if (NUMBER_SUFFIX.test(text)) {
      this.pos = NUMBER_SUFFIX.lastIndex;
      const src = text.slice(start, this.pos);
      return this.token(src.endsWith('im') ? 'imag' : 'duration', src, value, start);
    }
    // `12abc` would otherwise lex as 12 followed by an identifier and give a confusing message.
    const next = text[this.pos];
    if (next !== undefined && (/[A-Za-z_]/.test(next) || isDigit(next))) {
      this.fail(`unexpected '${printable(next)}' after the number ${text.slice(start, this.pos)}`);
    }
    return this.token(kind, text.slice(start, this.pos), value, start);
  }
}

function isAsciiIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isAsciiIdentPart(c: number): boolean {
  return isAsciiIdentStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function printable(c: string): string {
  const code = c.codePointAt(0)!;
  return code < 32 || code === 127 ? `\\u${code.toString(16).padStart(4, '0')}` : c;
}

/** How a token reads in an error message. */
export function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  if (t.kind === 'eol') return 'end of line';
  if (t.kind === 'string') return `"${t.text}"`;
  return `'${t.text}'`;
}
