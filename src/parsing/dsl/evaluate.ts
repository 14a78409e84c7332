import { combine, parameterExpr, scaleExpr } from '../../ir/affine.js';
import type { CircuitAssembler } from '../../ir/circuit.js';
import { UserError } from '../../ir/errors.js';
import type { AffineExpr, SourceLocation } from '../../ir/types.js';
import type { Expr, Tok } from './ast.js';
import { exprStart, formatAst } from './ast.js';

/**
 * Evaluates DSL expressions: integer ones (qubit indices, vector indices, loop bounds) to numbers,
 * angles to affine expressions in the parameters. Loop variables are plain numbers in both.
 * A value is a number while it is constant, so the common all-numeric angle allocates nothing.
 */
export type Value = number | AffineExpr;

export class Evaluator {
  /** Loop variables in scope (innermost binding wins; names are unique by construction). */
  readonly loopVars = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly builder: CircuitAssembler,
  ) {}

  at(tok: Tok): SourceLocation {
    return { file: this.file, line: tok.line, column: tok.col };
  }

  /** Throws a UserError at a token, or at the start of an expression. */
  fail(where: Tok | Expr, message: string): never {
    throw new UserError(message, this.at('k' in where ? exprStart(where) : where));
  }

  /** An integer-valued expression of loop variables; `what` names it in messages. */
  integer(e: Expr, what: string): number {
    const v = this.numeric(e, what);
    if (!Number.isSafeInteger(v)) this.fail(e, `${what} must be an integer, got ${formatAst(e)} = ${v}`);
    return v;
  }

  /** A constant expression (numbers, pi, loop variables), no parameters. */
  numeric(e: Expr, what: string): number {
    switch (e.k) {
      case 'num':
        return this.literal(e);
      case 'pi':
        return Math.PI;
      case 'name': {
        const name = e.tok.text;
        const v = this.loopVars.get(name);
        if (v !== undefined) return v;
        if (this.builder.hasParameter(name)) {
          this.fail(e, `parameter '${name}' cannot be used in ${what}, which must not depend on parameters`);
        }
        return this.fail(e, `unknown name '${name}' in ${what}${this.loopVars.size ? '' : ' (no loop variable is in scope)'}`);
      }
      case 'index':
        return this.fail(e, `'${e.tok.text}[…]' cannot be used in ${what}, which must not depend on parameters`);
      case 'neg':
        return -this.numeric(e.arg, what);
      case 'bin': {
        const a = this.numeric(e.left, what);
        const b = this.numeric(e.right, what);
        const problem = binaryProblem(e.tok.text, a, b);
        if (problem !== null) this.failBinary(e, problem);
        return binaryValue(e.tok.text, a, b) as number;
      }
    }
  }

  /** An angle: affine in the parameters, finite. */
  angle(e: Expr): AffineExpr {
    const a = angleOf(this.value(e));
    if (a === null) this.fail(e, `angle ${formatAst(e)} is not finite`);
    return a;
  }

  private value(e: Expr): Value {
    switch (e.k) {
      case 'num':
        return this.literal(e);
      case 'pi':
        return Math.PI;
      case 'name': {
        const v = this.loopVars.get(e.tok.text);
        if (v !== undefined) return v;
        return parameterExpr(this.builder.parameterIndex(e.tok.text, null, this.at(e.tok)));
      }
      case 'index': {
        const name = e.tok.text;
        if (this.loopVars.has(name)) this.fail(e, `loop variable '${name}' cannot be indexed`);
        if (!this.builder.hasParameter(name)) this.fail(e, `unknown parameter '${name}'`);
        const i = this.integer(e.index, `the index of '${name}'`);
        return parameterExpr(this.builder.parameterIndex(name, i, this.at(e.tok)));
      }
      case 'neg':
        return negateValue(this.value(e.arg));
      case 'bin': {
        const a = this.value(e.left);
        const b = this.value(e.right);
        const problem = binaryProblem(e.tok.text, a, b);
        if (problem !== null) this.failBinary(e, problem);
        return binaryValue(e.tok.text, a, b);
      }
    }
  }

  /** The message for a binary operation `binaryProblem` refused. */
  private failBinary(e: Expr & { k: 'bin' }, problem: BinaryProblem): never {
    switch (problem) {
      case 'division by zero':
        return this.fail(e, `division by zero in ${formatAst(e)}`);
      case 'modulo by zero':
        return this.fail(e, `modulo by zero in ${formatAst(e)}`);
      case 'product':
        return this.fail(e, `angle is not affine in the parameters: ${formatAst(e)}`);
      case 'divisor':
        return this.fail(e, `angle is not affine in the parameters: ${formatAst(e)} divides by a parameter expression`);
      case 'modulo':
        return this.fail(e, `'%' needs operands that do not depend on parameters: ${formatAst(e)}`);
    }
  }

  private literal(e: Expr & { k: 'num' }): number {
    const v = Number(e.tok.text);
    if (!Number.isFinite(v)) this.fail(e, `number ${e.tok.text} is too large`);
    return v;
  }
}

/**
 * Why `a op b` has no value: the arithmetic of angles and integer expressions, shared by the
 * evaluator (which words the message) and the flat-statement fast path (fast-path.ts, which hands
 * such a statement to the grammar path instead), so both compute the same numbers.
 */
export type BinaryProblem = 'division by zero' | 'modulo by zero' | 'product' | 'divisor' | 'modulo';

/** What is wrong with `a op b` (op one of + - * / %), or null when `binaryValue` may compute it. */
export function binaryProblem(op: string, a: Value, b: Value): BinaryProblem | null {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0 && op === '/') return 'division by zero';
    if (b === 0 && op === '%') return 'modulo by zero';
    return null;
  }
  switch (op) {
    case '+':
    case '-':
      return null;
    case '*':
      return typeof a === 'number' || typeof b === 'number' ? null : 'product';
    case '/':
      if (typeof b !== 'number') return 'divisor';
      return b === 0 ? 'division by zero' : null;
    default: // '%'
      return 'modulo';
  }
}

/** `a op b` for operands `binaryProblem` accepts; a number while both operands are numbers. */
export function binaryValue(op: string, a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
      default: // '%'
        // Floored modulo, so (i - 1) % n stays in 0 … n−1 for ring topologies.
        return a - b * Math.floor(a / b);
    }
  }
  switch (op) {
    case '+':
    case '-':
      return simplify(combine(affine(a), 1, affine(b), op === '+' ? 1 : -1));
    case '*':
      if (typeof a === 'number') return simplify(scaleExpr(b as AffineExpr, a));
      return simplify(scaleExpr(a, b as number));
    default: // '/'
      return simplify(divideExpr(a as AffineExpr, b as number));
  }
}

export function negateValue(v: Value): Value {
  return typeof v === 'number' ? -v : scaleExpr(v, -1);
}

/** The angle a value stands for, or null when it is not finite. */
export function angleOf(v: Value): AffineExpr | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return { constant: v + 0, terms: [] }; // + 0 turns −0 into 0
  }
  if (!Number.isFinite(v.constant) || v.terms.some((t) => !Number.isFinite(t.coeff))) return null;
  return v.constant === 0 ? { constant: 0, terms: v.terms } : v;
}

function affine(v: Value): AffineExpr {
  return typeof v === 'number' ? { constant: v, terms: [] } : v;
}

/** Constant affine expressions become numbers again, so later products stay legal. */
function simplify(v: AffineExpr): Value {
  return v.terms.length === 0 ? v.constant : v;
}

/** Divides each coefficient (rather than multiplying by 1/d) so `a/3` means what it says. */
function divideExpr(a: AffineExpr, d: number): AffineExpr {
  const terms = [];
  for (const t of a.terms) {
    const c = t.coeff / d;
    if (c !== 0) terms.push({ param: t.param, coeff: c });
  }
  return { constant: a.constant / d, terms };
}
