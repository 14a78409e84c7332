import moo from 'moo';
import { GATE_LIBRARY } from '../../ir/gate-library.js';

/**
 * Tokens of the circuit DSL. Every GATE_LIBRARY name is its own token type (`gate`), so a gate
 * name can never be read as a qubit operand: `h 0` followed by `cx 0 1;` is a positioned
 * "expected ';' after gate" instead of a gate with operands 0, cx, 0, 1.
 */
export const KEYWORDS = ['qubits', 'param', 'observable', 'for', 'in', 'rot', 'pi', 'sum'] as const;

const keywordTypes: Record<string, string | string[]> = { gate: [...GATE_LIBRARY.keys()] };
// Keyword token types get a prefix: nearleyc declares a variable per token type, and `for`/`in`
// are not valid variable names.
for (const k of KEYWORDS) keywordTypes[`kw_${k}`] = k;

// moo matches single-character literals through a lookup table, but only for rules listed before
// the first regular expression: punctuation comes first ('/' cannot, because of comments).
const rules: moo.Rules = {
  space: ' ',
  newline: { match: '\n', lineBreaks: true },
  semi: ';',
  comma: ',',
  lparen: '(',
  rparen: ')',
  lbrack: '[',
  rbrack: ']',
  lbrace: '{',
  rbrace: '}',
  eq: '=',
  plus: '+',
  minus: '-',
  times: '*',
  mod: '%',
  ws: { match: /[ \t\r\n\f\v]+/u, lineBreaks: true },
  comment: /(?:\/\/|#)[^\n]*/u,
  blockComment: { match: /\/\*[^]*?\*\//u, lineBreaks: true },
  // Only matches when the terminated form above did not: reported as its own error.
  openComment: { match: /\/\*[^]*/u, lineBreaks: true },
  divide: '/',
  // A digit is required after a decimal point, so `0..5` lexes as 0, `..`, 5.
  number: /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/u,
  // Unicode letters (Qiskit's θ, φ, β) are identifiers; one /u flag means all rules need it.
  ident: { match: /[\p{L}_][\p{L}\p{N}\p{Mn}\p{Mc}_]*/u, type: moo.keywords(keywordTypes) },
  dotdot: '..',
  // Anything else: one token carrying the rest of the input, which no grammar rule accepts.
  badChar: moo.error,
};

/** moo lexer that drops whitespace and comments and remembers the last token it handed out. */
export class NclLexer {
  private readonly inner = moo.compile(rules);
  private last: moo.Token | undefined;

  reset(chunk: string, state?: moo.LexerState): void {
    this.inner.reset(chunk, state);
    this.last = undefined;
  }

  /** Starts lexing `chunk` as if it began at line:col of a file (the lexer has one state). */
  resetAt(chunk: string, line: number, col: number): void {
    this.reset(chunk, { line, col, state: 'start' });
  }

  next(): moo.Token | undefined {
    for (;;) {
      const tok = this.inner.next();
      if (tok === undefined) return undefined;
      const t = tok.type;
      if (t === 'space' || t === 'newline' || t === 'ws' || t === 'comment' || t === 'blockComment') continue;
      this.last = tok;
      return tok;
    }
  }

  /** Line and column just after the last token handed out (1:1 before any). */
  get end(): { line: number; col: number } {
    const t = this.last;
    return t === undefined ? { line: 1, col: 1 } : { line: t.line, col: t.col + t.text.length };
  }

  save(): moo.LexerState {
    return this.inner.save();
  }

  formatError(token: moo.Token, message: string): string {
    return this.inner.formatError(token, message);
  }

  has(type: string): boolean {
    return this.inner.has(type);
  }
}

/** The single lexer instance the generated grammar is compiled with (parsing is synchronous). */
export const nclLexer = new NclLexer();
