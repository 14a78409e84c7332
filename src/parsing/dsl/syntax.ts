import nearley from 'nearley';
import { UserError } from '../../ir/errors.js';
import { MAX_NESTING } from '../../ir/limits.js';
import type { Cons, Stmt } from './ast.js';
import { consToArray } from './ast.js';
import grammar from './generated/ncl.js';
import { nclLexer } from './lexer.js';
import { assertTypeOnlyGrammar, ShapeCache } from './shape-cache.js';

const compiledProgram = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);
const compiledStatement = nearley.Grammar.fromCompiled({
  ...(grammar as unknown as nearley.CompiledRules),
  ParserStart: 'topStmt',
});
assertTypeOnlyGrammar(compiledStatement.rules);
const shapes = new ShapeCache<Stmt>();
let useCache = true;

interface LexToken {
  type?: string;
  text: string;
  line: number;
  col: number;
}

/** Hands a prepared token list to nearley (whose lexer interface pulls one token at a time). */
class TokenFeed {
  tokens: LexToken[] = [];
  private i = 0;
  reset(): void {
    this.i = 0;
  }
  next(): LexToken | undefined {
    return this.tokens[this.i++];
  }
  save(): Record<string, never> {
    return {};
  }
  formatError(): string {
    return 'syntax error';
  }
  has(): boolean {
    return true;
  }
}

/**
 * Parses DSL text into top-level statements (loops unexpanded). Syntax errors are positioned
 * UserErrors.
 *
 * Each top-level statement is parsed by its own nearley parser started at `topStmt`. A top-level
 * statement ends exactly at a ';' outside braces or at the '}' that closes its braces (except an
 * observable, whose `sum { … }` braces are inside it: it ends at its ';'), and no
 * statement continues after either, so this splits the token stream precisely where the `program`
 * rule would, accepts the same files and fails at the same token with the same expectations
 * (tests compare it with parseWholeProgram). It keeps the Earley chart, and the garbage it
 * retains, to one statement: a whole-file chart makes 100k-gate files take seconds. Statements
 * whose token types were seen before reuse that parse (shape-cache.ts). Not re-entrant: one lexer.
 */
export function parseSyntax(text: string, file: string): Stmt[] {
  const out: Stmt[] = [];
  forEachStatement(text, file, (s) => out.push(s));
  return out;
}

/**
 * Calls `visit` with each top-level statement as soon as it is parsed, so a caller that lowers
 * statements one by one never holds the whole file's tokens and trees at once.
 */
export function forEachStatement(text: string, file: string, visit: (s: Stmt) => void): void {
  const feed = new TokenFeed();
  nclLexer.reset(text);
  while (readStatement(feed, file) !== undefined) {
    const stmt = parseStatement(feed, file);
    feed.tokens = [];
    visit(stmt);
  }
  // Tokens left at the end of the input: an unfinished statement, reported by the parser.
  if (feed.tokens.length > 0) visit(parseStatement(feed, file));
}

/**
 * Parses the one top-level statement that starts at `offset` of `text` (after any blanks and
 * comments), at line:col, and visits it; returns the offset just after its last token, or -1 when
 * only blanks and comments were left. This is how the fast path (fast-path.ts) hands a statement
 * it does not recognise to the grammar: the lexer starts there with the right position, and the
 * statement ends where forEachStatement would end it (statements are split by the same tokens,
 * and every statement that parses leaves no bracket or block open, so no state carries over).
 */
export function parseStatementAt(text: string, file: string, offset: number, line: number, col: number, visit: (s: Stmt) => void): number {
  const feed = new TokenFeed();
  // A slice of a long string is a view in V8 (no copy); token offsets are relative to it.
  nclLexer.resetAt(offset === 0 ? text : text.slice(offset), line, col);
  const last = readStatement(feed, file);
  if (last === undefined) {
    // Tokens left at the end of the input: an unfinished statement, reported by the parser.
    if (feed.tokens.length > 0) visit(parseStatement(feed, file));
    return -1;
  }
  visit(parseStatement(feed, file));
  return offset + last.offset + last.text.length;
}

/**
 * Moves the tokens of the next top-level statement from nclLexer into `feed` and returns the token
 * that ends it, or undefined at the end of the input (`feed` then holds an unfinished statement,
 * possibly empty).
 */
function readStatement(feed: TokenFeed, file: string): (LexToken & { offset: number }) | undefined {
  let depth = 0;
  // Brackets and blocks together: past the shared nesting cap the parser and the lowering would
  // recurse deeper than is safe, so the statement fails at the bracket that crosses it.
  let nesting = 0;
  for (let tok = nclLexer.next(); tok !== undefined; tok = nclLexer.next()) {
    feed.tokens.push(tok as LexToken);
    if (tok.type === 'lbrace') depth++;
    else if (tok.type === 'rbrace') depth = Math.max(0, depth - 1);
    if (tok.type === 'lbrace' || tok.type === 'lparen' || tok.type === 'lbrack') {
      if (++nesting > MAX_NESTING) {
        throw new UserError(`brackets and blocks are nested more than ${MAX_NESTING} deep`, { file, line: tok.line, column: tok.col });
      }
    } else if (tok.type === 'rbrace' || tok.type === 'rparen' || tok.type === 'rbrack') {
      nesting = Math.max(0, nesting - 1);
    }
    // A `for` ends at its closing brace; an observable's `sum { … }` braces do not end it.
    if (depth === 0 && (tok.type === 'semi' || (tok.type === 'rbrace' && feed.tokens[0]!.type !== 'kw_observable'))) return tok;
  }
  return undefined;
}

function parseStatement(feed: TokenFeed, file: string): Stmt {
  const toks = feed.tokens;
  const cached = useCache ? shapes.get(toks) : undefined;
  if (cached !== undefined) return cached;
  feed.reset();
  const parser = new nearley.Parser(compiledStatement, { lexer: feed as unknown as nearley.Lexer });
  const results = run(parser, file) as Stmt[];
  if (results.length > 1) throw new Error(`internal error: the DSL grammar is ambiguous here (${results.length} parses)`);
  if (useCache) shapes.set(toks, results[0]!);
  return results[0]!;
}

/** The statements of `text` parsed by nearley alone, without reusing parses (for tests). */
export function parseSyntaxUncached(text: string, file: string): Stmt[] {
  const saved = useCache;
  useCache = false;
  try {
    return parseSyntax(text, file);
  } finally {
    useCache = saved;
  }
}

/**
 * The same language parsed in one piece from the `program` rule. Slower on large files; tests use
 * it to check that parseSyntax splits statements faithfully and that every file has one parse.
 */
export function parseWholeProgram(text: string, file: string): { parses: number; stmts: Stmt[] } {
  const parser = new nearley.Parser(compiledProgram);
  const results = run(parser, file, text) as (Cons<Stmt> | null)[];
  return { parses: results.length, stmts: consToArray(results[0] ?? null) };
}

/** Feeds the parser; converts failures and incomplete input into positioned UserErrors. */
function run(parser: nearley.Parser, file: string, text = ''): unknown[] {
  // nearley renders a long derivation report for every failure; ours is built from the chart.
  (parser as unknown as { reportError: () => string }).reportError = () => 'syntax error';
  try {
    parser.feed(text);
  } catch (e) {
    const token = (e as { token?: LexToken }).token;
    if (!token) throw e;
    throw syntaxError(parser, token, file);
  }
  if (parser.results.length === 0) {
    const expected = describeExpected(expectantStates(parser, tableOf(parser).length - 1));
    const { line, col } = nclLexer.end;
    throw new UserError(`unexpected end of input, expected ${expected}`, { file, line, column: col });
  }
  return parser.results;
}

function syntaxError(parser: nearley.Parser, token: LexToken, file: string): UserError {
  const at = { file, line: token.line, column: token.col };
  if (token.type === 'badChar') {
    return new UserError(`unexpected character ${JSON.stringify(String.fromCodePoint(token.text.codePointAt(0)!))}`, at);
  }
  if (token.type === 'openComment') return new UserError("unterminated block comment: '/*' without '*/'", at);
  // The column before the failed token holds the states that were waiting for a terminal.
  const expected = describeExpected(expectantStates(parser, tableOf(parser).length - 2));
  return new UserError(`expected ${expected}, found ${describeToken(token)}`, at);
}

interface EarleyState {
  rule: { name: string; symbols: unknown[] };
  dot: number;
}

/** nearley's Earley chart (not in its type declarations). */
function tableOf(parser: nearley.Parser): ({ states: EarleyState[] } | undefined)[] {
  return (parser as unknown as { table: ({ states: EarleyState[] } | undefined)[] }).table;
}

/** (rule name, terminal type) of every state in the column whose next symbol is a terminal. */
function expectantStates(parser: nearley.Parser, column: number): [string, string][] {
  const col = tableOf(parser)[column];
  const out: [string, string][] = [];
  for (const s of col?.states ?? []) {
    const sym = s.rule.symbols[s.dot] as { type?: string } | string | undefined;
    if (sym !== undefined && typeof sym !== 'string' && sym.type) out.push([s.rule.name, sym.type]);
  }
  return out;
}

const PUNCTUATION: Record<string, string> = {
  semi: "';'",
  rparen: "')'",
  rbrack: "']'",
  rbrace: "'}'",
  comma: "','",
  dotdot: "'..'",
  eq: "'='",
  lbrace: "'{'",
  lparen: "'('",
  lbrack: "'['",
  kw_in: "'in'",
};

const PUNCTUATION_ORDER = Object.keys(PUNCTUATION);

const SEMI_CONTEXT: Record<string, string> = {
  gateStmt: 'gate',
  rotStmt: 'rotation',
  qubitsDecl: 'qubit count',
  paramDecl: 'parameter declaration',
  observableDecl: 'observable',
};

const OPERATORS = new Set(['plus', 'minus', 'times', 'divide', 'mod']);
const STATEMENT_STARTS = new Set(['gate', 'kw_rot', 'kw_for', 'kw_qubits', 'kw_param', 'kw_observable']);

/** One description per expected terminal, by what the waiting rule is reading. */
function describeOne(rule: string, type: string): [priority: number, text: string] {
  if (type === 'semi') return [0, SEMI_CONTEXT[rule] ? `';' after ${SEMI_CONTEXT[rule]}` : "';'"];
  if (STATEMENT_STARTS.has(type) || rule === 'gateName') return [2, 'a statement'];
  switch (rule) {
    case 'fatom':
    case 'oatom':
      return [2, 'a qubit operand'];
    case 'pauliFactor':
      if (type === 'ident') return [2, 'a Pauli factor such as X0 or Z[i]'];
      break;
    case 'obsCoeff':
      return [2, 'a coefficient'];
    case 'forStmt':
      if (type === 'ident') return [2, 'a loop variable name'];
      break;
    case 'name':
      return [3, 'a name'];
    case 'atom':
      if (type !== 'lbrack') return [3, 'an expression'];
      break;
    case 'unary':
      return [3, 'an expression'];
  }
  // Closing punctuation first: it is usually what is missing.
  if (PUNCTUATION[type]) return [1 + PUNCTUATION_ORDER.indexOf(type) / 100, PUNCTUATION[type]];
  if (OPERATORS.has(type)) return [4, 'an operator'];
  return [3, type];
}

function describeExpected(states: readonly [string, string][]): string {
  const seen = new Map<string, number>();
  for (const [rule, type] of states) {
    const [p, text] = describeOne(rule, type);
    if (!seen.has(text)) seen.set(text, p);
  }
  // `name` is also how an expression starts; "a name" alone is for declarations.
  if (seen.has('an expression')) seen.delete('a name');
  let items = [...seen].sort((a, b) => a[1] - b[1]);
  // Operators are always possible after an expression: only worth naming when nothing else is.
  if (items.some(([, p]) => p < 4)) items = items.filter(([, p]) => p < 4);
  const texts = items.slice(0, 4).map(([t]) => t);
  if (texts.length === 0) return 'nothing more';
  if (texts.length === 1) return texts[0]!;
  return `${texts.slice(0, -1).join(', ')} or ${texts[texts.length - 1]}`;
}

function describeToken(t: LexToken): string {
  const text = t.text.length > 20 ? `${t.text.slice(0, 20)}…` : t.text;
  return `'${text}'`;
}
