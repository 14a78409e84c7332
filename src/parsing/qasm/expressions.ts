import { addExpr, constantExpr, isConstantExpr, scaleExpr, subExpr } from '../../ir/affine.js';
import { UserError } from '../../ir/errors.js';
import type { AffineExpr } from '../../ir/types.js';
import type { Expr } from './ast.js';

/**
 * Evaluates OpenQASM angle expressions to affine expressions in the circuit parameters. Anything
 * that is not affine in the parameters (a product of two parameter-dependent factors, a division
 * by one, a power or function of one) is rejected at the offending operator.
 */

/** Resolves a name to its value, or returns undefined when the name is unknown. */
export type NameResolver = (name: string) => AffineExpr | undefined;

const CONSTANTS: Readonly<Record<string, number>> = {
  pi: Math.PI,
  π: Math.PI,
  tau: 2 * Math.PI,
  τ: 2 * Math.PI,
  euler: Math.E,
  ℇ: Math.E,
};

const FUNCTIONS: Readonly<Record<string, (...xs: number[]) => number>> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  arcsin: Math.asin,
  arccos: Math.acos,
  arctan: Math.atan,
  exp: Math.exp,
  ln: Math.log,
  log: Math.log,
  sqrt: Math.sqrt,
  floor: Math.floor,
  ceiling: Math.ceil,
  pow: Math.pow,
  mod: (a, b) => a - b * Math.floor(a / b),
};

const ARITY: Readonly<Record<string, number>> = { pow: 2, mod: 2 };

export function isBuiltinConstant(name: string): boolean {
  return Object.hasOwn(CONSTANTS, name);
}

export function isBuiltinFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name);
}

export function evaluateAngle(e: Expr, resolve: NameResolver, unknownName: (name: string) => string): AffineExpr {
  switch (e.kind) {
    case 'number':
      return finite(constantExpr(e.value), e);
    case 'name': {
      if (Object.hasOwn(CONSTANTS, e.name)) return constantExpr(CONSTANTS[e.name]!);
      const v = resolve(e.name);
      if (v === undefined) throw new UserError(unknownName(e.name), e.at);
      return v;
    }
    case 'index': {
      // Elements of input arrays resolve as `name[i]`.
      const i = evaluateAngle(e.index, resolve, unknownName);
      if (!isConstantExpr(i) || !Number.isSafeInteger(i.constant)) throw new UserError(`the index of '${e.name}' must be a constant integer`, e.index.at);
      const v = resolve(`${e.name}[${i.constant}]`);
      if (v === undefined) {
        if (resolve(`${e.name}[0]`) !== undefined) throw new UserError(`index ${i.constant} is out of range for the input array '${e.name}'`, e.index.at);
        throw new UserError(unknownName(e.name), e.at);
      }
      return v;
    }
    case 'unary': {
      const v = evaluateAngle(e.arg, resolve, unknownName);
      return e.op === '-' ? scaleExpr(v, -1) : v;
    }
    case 'binary':
      return binary(e, evaluateAngle(e.left, resolve, unknownName), evaluateAngle(e.right, resolve, unknownName));
    case 'call': {
      const f = Object.hasOwn(FUNCTIONS, e.name) ? FUNCTIONS[e.name] : undefined;
      if (!f) throw new UserError(`unknown function '${e.name}'`, e.at);
      const arity = Object.hasOwn(ARITY, e.name) ? ARITY[e.name]! : 1;
      if (e.args.length !== arity) {
        throw new UserError(`function '${e.name}' takes ${arity} argument${arity === 1 ? '' : 's'}, got ${e.args.length}`, e.at);
      }
      const args: number[] = [];
      for (const a of e.args) {
        const v = evaluateAngle(a, resolve, unknownName);
        if (!isConstantExpr(v)) throw new UserError(`${e.name}(…) of a parameter-dependent expression is not affine in the parameters`, e.at);
        args.push(v.constant);
      }
      return finite(constantExpr(f(...args)), e);
    }
  }
}

function binary(x: Extract<Expr, { kind: 'binary' }>, a: AffineExpr, b: AffineExpr): AffineExpr {
  const problem = binaryAngleProblem(x.op, a, b);
  if (problem !== null) throw new UserError(problem, x.at);
  return finite(binaryAngle(x.op, a, b), x);
}

/**
 * What makes `a op b` (op one of + - * / **) invalid as an angle, as the message to report, or
 * null. Shared with the flat-statement fast path (fast-path.ts), which computes the same values
 * with `binaryAngle` and hands refused statements to the parser.
 */
export function binaryAngleProblem(op: string, a: AffineExpr, b: AffineExpr): string | null {
  if (op === '+' || op === '-') return null;
  if (op === '*') {
    return isConstantExpr(a) || isConstantExpr(b) ? null : 'the product of two parameter-dependent expressions is not affine in the parameters';
  }
  if (op === '/') {
    if (!isConstantExpr(b)) return 'dividing by a parameter-dependent expression is not affine in the parameters';
    return b.constant === 0 ? 'division by zero' : null;
  }
  return isConstantExpr(a) && isConstantExpr(b) ? null : 'a power of a parameter-dependent expression is not affine in the parameters';
}

/** `a op b` for operands `binaryAngleProblem` accepts (possibly not finite: see `isFiniteAngle`). */
export function binaryAngle(op: string, a: AffineExpr, b: AffineExpr): AffineExpr {
  if (op === '+') return addExpr(a, b);
  if (op === '-') return subExpr(a, b);
  if (op === '*') return isConstantExpr(a) ? scaleExpr(b, a.constant) : scaleExpr(a, b.constant);
  if (op === '/') return divideExpr(a, b.constant);
  return constantExpr(Math.pow(a.constant, b.constant));
}

export function isFiniteAngle(v: AffineExpr): boolean {
  return Number.isFinite(v.constant) && v.terms.every((t) => Number.isFinite(t.coeff));
}

/** The value of a built-in constant (pi, π, tau, τ, euler, ℇ), or undefined. */
export function builtinConstant(name: string): number | undefined {
  return Object.hasOwn(CONSTANTS, name) ? CONSTANTS[name] : undefined;
}

/**
 * Divides each coefficient (rather than multiplying by the reciprocal) so that `pi/3` is exactly
 * Math.PI / 3 and exported angles round-trip bit for bit.
 */
function divideExpr(a: AffineExpr, d: number): AffineExpr {
  return {
    constant: a.constant / d,
    terms: a.terms.map((t) => ({ param: t.param, coeff: t.coeff / d })).filter((t) => t.coeff !== 0),
  };
}

function finite(v: AffineExpr, at: Expr): AffineExpr {
  if (!isFiniteAngle(v)) {
    throw new UserError('the expression does not evaluate to a finite number', at.at);
  }
  return v;
}

/** A constant integer (register size, index, modifier count); parameters are not allowed. */
export function evaluateInteger(e: Expr, what: string, constants: NameResolver = () => undefined): number {
  const v = evaluateAngle(e, constants, (name) => `${what} must be a constant integer; '${name}' is not a known constant`);
  if (!isConstantExpr(v)) throw new UserError(`${what} must be a constant integer`, e.at);
  const x = v.constant;
  if (!Number.isSafeInteger(x)) throw new UserError(`${what} must be an integer, got ${x}`, e.at);
  return x;
}
