import { UserError } from '../ir/errors.js';

/**
 * σ (or a hypercube radius r) written in terms of the parameter count D: `D^-0.5`, `1/D`,
 * `exp(-D)`, `1/ln(D)`, `0.01`. A small recursive-descent parser whose errors name the column.
 */


/** A scale such as σ written in terms of the parameter count D. */
export interface ScaleExpression {
  readonly text: string;
  /** The value for D parameters. */
  at(D: number): number;
}

type Node = (D: number) => number;

const FUNCTIONS: Record<string, (x: number) => number> = {
  sqrt: Math.sqrt,
  ln: Math.log,
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  exp: Math.exp,
};

/**
 * Parses `0.01`, `1/D`, `D^-0.5`, `D^(-1/3)`, `exp(-D)`, `1/ln(D)`, `2*D^-1`: numbers, D, e, pi,
 * + − * / ^ (right-associative, the exponent may carry a sign), parentheses and sqrt, ln/log,
 * log2, log10, exp. A small recursive-descent parser, never `eval`.
 */
export function parseScaleExpression(text: string, what = 'σ'): ScaleExpression {
  const src = text.trim();
  let pos = 0;
  const fail = (msg: string): never => {
    throw new UserError(`${what}: column ${pos + 1}: ${msg} in '${text}' (examples: 0.01, 1/D, D^-0.5, exp(-D))`);
  };
  const skip = () => {
    while (pos < src.length && /\s/.test(src[pos]!)) pos++;
  };
  const peek = () => {
    skip();
    return src[pos];
  };
  const expect = (ch: string) => {
    if (peek() !== ch) fail(`expected '${ch}'`);
    pos++;
  };
  const expr = (): Node => {
    let left = term();
    for (;;) {
      const c = peek();
      if (c !== '+' && c !== '-') return left;
      pos++;
      const right = term();
      const l = left;
      left = c === '+' ? (D) => l(D) + right(D) : (D) => l(D) - right(D);
    }
  };
  const term = (): Node => {
    let left = unary();
    for (;;) {
      const c = peek();
      if (c !== '*' && c !== '/') return left;
      pos++;
      const right = unary();
      const l = left;
      left = c === '*' ? (D) => l(D) * right(D) : (D) => l(D) / right(D);
    }
  };
  const unary = (): Node => {
    const c = peek();
    if (c === '-') {
      pos++;
      const u = unary();
      return (D) => -u(D);
    }
    if (c === '+') {
      pos++;
      return unary();
    }
    return power();
  };
  const power = (): Node => {
    const base = atom();
    if (peek() === '^' || (peek() === '*' && src[pos + 1] === '*')) {
      pos += src[pos] === '^' ? 1 : 2;
      const exponent = unary();
      return (D) => Math.pow(base(D), exponent(D));
    }
    return base;
  };
  const atom = (): Node => {
    const c = peek();
    if (c === undefined) return fail('unexpected end');
    if (c === '(') {
      pos++;
      const e = expr();
      expect(')');
      return e;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(pos));
    if (num) {
      pos += num[0].length;
      const v = Number(num[0]);
      return () => v;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(pos));
    if (!id) return fail(`unexpected '${c}'`);
    const name = id[0];
    const start = pos;
    pos += name.length;
    if (name === 'D') return (D) => D;
    if (name === 'e') return () => Math.E;
    if (name === 'pi') return () => Math.PI;
    const f = FUNCTIONS[name];
    if (!f) {
      pos = start;
      return fail(`unknown name '${name}' (use D, e, pi, sqrt, ln, log, log2, log10, exp)`);
    }
    expect('(');
    const arg = expr();
    expect(')');
    return (D) => f(arg(D));
  };
  const node = expr();
  skip();
  if (pos < src.length) fail(`unexpected '${src[pos]}'`);
  return {
    text: src,
    at(D: number) {
      const v = node(D);
      if (!Number.isFinite(v) || v < 0) {
        throw new UserError(`${what} = '${text}' gives ${v} for D = ${D}; it must be a finite number ≥ 0`);
      }
      return v;
    },
  };
}

/** σ (or r) for D parameters from its text form. */
export function evaluateScale(text: string, D: number, what = 'σ'): number {
  return parseScaleExpression(text, what).at(D);
}
