import type { AffineExpr, AffineTerm } from './types.js';

/** Affine expressions kept in normal form: increasing parameter indices, no zero coefficients. */

export function constantExpr(value: number): AffineExpr {
  return { constant: value, terms: [] };
}

/** The affine expression `coeff`·φ[param] (flat parameter index). */
export function parameterExpr(param: number, coeff = 1): AffineExpr {
  return coeff === 0 ? constantExpr(0) : { constant: 0, terms: [{ param, coeff }] };
}

export function isConstantExpr(expr: AffineExpr): boolean {
  return expr.terms.length === 0;
}

export function addExpr(a: AffineExpr, b: AffineExpr): AffineExpr {
  return combine(a, 1, b, 1);
}

export function subExpr(a: AffineExpr, b: AffineExpr): AffineExpr {
  return combine(a, 1, b, -1);
}

export function scaleExpr(a: AffineExpr, factor: number): AffineExpr {
  if (factor === 0) return constantExpr(0);
  return { constant: a.constant * factor, terms: a.terms.map((t) => ({ param: t.param, coeff: t.coeff * factor })) };
}

/** a·x + b·y, merged in one pass over the two sorted term lists. */
export function combine(x: AffineExpr, a: number, y: AffineExpr, b: number): AffineExpr {
  const terms: AffineTerm[] = [];
  let i = 0;
  let j = 0;
  const push = (param: number, coeff: number) => {
    if (coeff !== 0) terms.push({ param, coeff });
  };
  while (i < x.terms.length || j < y.terms.length) {
    const tx = x.terms[i];
    const ty = y.terms[j];
    if (tx && (!ty || tx.param < ty.param)) {
      push(tx.param, a * tx.coeff);
      i++;
    } else if (ty && (!tx || ty.param < tx.param)) {
      push(ty.param, b * ty.coeff);
      j++;
    } else if (tx && ty) {
      push(tx.param, a * tx.coeff + b * ty.coeff);
      i++;
      j++;
    }
  }
  return { constant: a * x.constant + b * y.constant, terms };
}

/** Value of the expression at the flat parameter vector `params`. */
export function evaluateExpr(expr: AffineExpr, params: ArrayLike<number>): number {
  let v = expr.constant;
  for (const t of expr.terms) v += t.coeff * (params[t.param] as number);
  return v;
}

/** Formats an expression with the given parameter namer, e.g. `2*theta[3] - 0.785398…`. */
export function formatExpr(expr: AffineExpr, nameOf: (param: number) => string): string {
  const parts: string[] = [];
  for (const t of expr.terms) {
    const name = nameOf(t.param);
    const mag = Math.abs(t.coeff);
    const body = mag === 1 ? name : `${formatNumber(mag)}*${name}`;
    parts.push(parts.length === 0 ? (t.coeff < 0 ? `-${body}` : body) : t.coeff < 0 ? ` - ${body}` : ` + ${body}`);
  }
  if (expr.constant !== 0 || parts.length === 0) {
    const mag = Math.abs(expr.constant);
    const c = formatNumber(mag);
    parts.push(parts.length === 0 ? (expr.constant < 0 ? `-${c}` : c) : expr.constant < 0 ? ` - ${c}` : ` + ${c}`);
  }
  return parts.join('');
}

/** Shortest round-tripping decimal for a finite number (JS's own shortest representation). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot format non-finite number ${x}`);
  const s = String(x);
  // DSL and QASM have no `1e-7` with a signed exponent problem, but they do need a digit before 'e'.
  return s;
}
