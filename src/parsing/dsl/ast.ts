/**
 * Syntax tree of a DSL file, as built by the grammar's postprocessors. Loops are kept as loops;
 * lowering (lower.ts) expands them and evaluates expressions.
 *
 * Nodes hold the lexer's token objects and nothing computed from them (no copied text, numbers
 * or positions): the tree of a statement is then a pure function of its token *types* plus
 * references to its tokens, which is what lets syntax.ts reuse one parse for every statement
 * with the same token types.
 */

/** A lexer token (moo's token object); `line` and `col` are 1-based. */
export interface Tok {
  readonly type?: string | undefined;
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%';

export type Expr =
  | { readonly k: 'num'; readonly tok: Tok }
  | { readonly k: 'pi'; readonly tok: Tok }
  | { readonly k: 'name'; readonly tok: Tok }
  | { readonly k: 'index'; readonly tok: Tok; readonly index: Expr }
  | { readonly k: 'neg'; readonly tok: Tok; readonly arg: Expr }
  | { readonly k: 'bin'; readonly tok: Tok; readonly left: Expr; readonly right: Expr };

/** `X0`, `Z12`, `I` (index null), or a letter with an index expression: `Y[i+1]`. */
export interface PauliFactor {
  readonly tok: Tok;
  readonly index: Expr | null;
}

export interface ObservableTerm {
  readonly negative: boolean;
  readonly coeff: Expr | null;
  readonly factors: readonly PauliFactor[];
  /** A `sum v in lo..hi { … }` term (then `factors` is empty; `coeff` scales the whole sum). */
  readonly loop: ObservableLoop | null;
}

export interface ObservableLoop {
  readonly tok: Tok;
  readonly variable: Tok;
  readonly from: Expr;
  readonly to: Expr;
  readonly body: readonly ObservableTerm[];
}

export interface ParamItem {
  readonly tok: Tok;
  readonly length: Expr | null;
}

export type Stmt =
  | { readonly k: 'qubits'; readonly tok: Tok; readonly count: Expr }
  | { readonly k: 'param'; readonly tok: Tok; readonly items: readonly ParamItem[] }
  | { readonly k: 'observable'; readonly tok: Tok; readonly name: Tok; readonly terms: readonly ObservableTerm[] }
  | {
      readonly k: 'gate';
      /** The gate name. */
      readonly tok: Tok;
      /** null when written without parentheses. */
      readonly angles: readonly Expr[] | null;
      readonly operands: readonly Expr[];
    }
  | { readonly k: 'rot'; readonly tok: Tok; readonly angle: Expr; readonly factors: readonly PauliFactor[] }
  | {
      readonly k: 'for';
      readonly tok: Tok;
      readonly variable: Tok;
      readonly from: Expr;
      readonly to: Expr;
      readonly body: readonly Stmt[];
    };

/** Where an expression starts (a binary expression starts with its left operand). */
export function exprStart(e: Expr): Tok {
  while (e.k === 'bin') e = e.left;
  return e.tok;
}

/** Where an observable term starts. */
export function termStart(t: ObservableTerm): Tok {
  return t.coeff ? exprStart(t.coeff) : t.loop ? t.loop.tok : t.factors[0]!.tok;
}

/**
 * Repetitions are built as immutable cons lists by left-recursive rules (constant work per item,
 * and no shared array mutated behind the Earley parser's back), then turned into arrays once.
 */
export interface Cons<T> {
  readonly item: T;
  readonly prev: Cons<T> | null;
}

export function consToArray<T>(list: Cons<T> | null): T[] {
  let n = 0;
  for (let c = list; c; c = c.prev) n++;
  const out = new Array<T>(n);
  for (let c = list; c; c = c.prev) out[--n] = c.item;
  return out;
}

/** Renders an expression for error messages, with only the parentheses precedence needs. */
export function formatAst(e: Expr): string {
  return fmt(e, 0);
}

const PREC: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '%': 2 };

function fmt(e: Expr, outer: number): string {
  switch (e.k) {
    case 'num':
    case 'pi':
    case 'name':
      return e.tok.text;
    case 'index':
      return `${e.tok.text}[${fmt(e.index, 0)}]`;
    case 'neg': {
      const s = `-${fmt(e.arg, 3)}`;
      return outer > 1 ? `(${s})` : s;
    }
    case 'bin': {
      const p = PREC[e.tok.text]!;
      // Left-associative: the right operand needs parentheses at equal precedence.
      const s = `${fmt(e.left, p)}${e.tok.text}${fmt(e.right, p + 1)}`;
      return p < outer ? `(${s})` : s;
    }
  }
}
