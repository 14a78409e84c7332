import { lnGamma } from './order.js';

/**
 * Counts that can be astronomically large (parameter-shift evaluations, monomial bounds, state-vector
 * bytes), kept honest: always a log10 value, and the exact integer as a JSON-safe number when it is
 * at most 2^53, as an exact decimal string when it has at most MAX_EXACT_DIGITS digits, and null
 * beyond that (never a rounded number passed off as exact). BigInt is used here only: this is the
 * reporting path, never a hot loop.
 */
export interface Count {
  /** The exact value: a number (≤ 2^53), a decimal string, or null when too long to write out. */
  readonly exact: number | string | null;
  /** log10 of the value (−Infinity for 0). */
  readonly log10: number;
}

/** Exact decimal strings longer than this are not produced (the log10 value stays). */
export const MAX_EXACT_DIGITS = 2000;

const LN10 = Math.log(10);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Loop bound of the exact BigInt products (a 2000-digit result needs at most ~6,700 factors). */
const MAX_EXACT_STEPS = 20_000;

function checkInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
}

function fromBigInt(v: bigint, log10: number): Count {
  return { exact: v <= MAX_SAFE ? Number(v) : v.toString(), log10 };
}

/** log10 of a BigInt, accurate to ~1e−15 relative. */
function bigLog10(v: bigint): number {
  if (v <= 0n) return v === 0n ? -Infinity : NaN;
  const s = v.toString();
  const head = Number(s.slice(0, 17));
  return Math.log10(head) + (s.length - Math.min(17, s.length));
}

/** log10 C(n, k) (−Infinity when k > n). Direct product for small k, log-gamma otherwise. */
export function log10Binomial(n: number, k: number): number {
  checkInt('n', n);
  checkInt('k', k);
  if (k > n) return -Infinity;
  const j = Math.min(k, n - k);
  if (j === 0) return 0;
  if (j <= 64) {
    let s = 0;
    for (let i = 1; i <= j; i++) s += Math.log10((n - j + i) / i);
    return s;
  }
  return (lnGamma(n + 1) - lnGamma(j + 1) - lnGamma(n - j + 1)) / LN10;
}

/** C(n, k) as a Count. */
export function binomialCount(n: number, k: number): Count {
  const log10 = log10Binomial(n, k);
  if (log10 === -Infinity) return { exact: 0, log10 };
  const j = Math.min(k, n - k);
  if (log10 > MAX_EXACT_DIGITS + 1 || j > MAX_EXACT_STEPS) return { exact: null, log10 };
  let r = 1n;
  const base = BigInt(n - j);
  for (let i = 1; i <= j; i++) r = (r * (base + BigInt(i))) / BigInt(i); // r = C(n−j+i, i), exact
  return finish(r);
}

/** 2^e · multiplier (a non-negative integer multiplier), e.g. state-vector bytes 2^n · 16. */
export function powerOfTwoCount(e: number, multiplier = 1): Count {
  checkInt('e', e);
  checkInt('multiplier', multiplier);
  if (multiplier === 0) return { exact: 0, log10: -Infinity };
  const log10 = e * Math.log10(2) + Math.log10(multiplier);
  if (log10 > MAX_EXACT_DIGITS + 1) return { exact: null, log10 };
  return finish(BigInt(multiplier) << BigInt(e));
}

function finish(r: bigint): Count {
  const log10 = bigLog10(r);
  if (r.toString().length > MAX_EXACT_DIGITS) return { exact: null, log10 };
  return fromBigInt(r, log10);
}

/** ln(e^a + e^b) without overflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/**
 * ln Σ_{k≤s} C(g, k) for s < g/2, where the terms fall going down from k = s: summed downwards
 * with the exact ratio C(g, k−1)/C(g, k) = k/(g−k+1) until they no longer matter.
 */
function lnBinomialPrefix(g: number, s: number): number {
  const top = Math.min(s, g);
  let lnTerm = log10Binomial(g, top) * LN10;
  let acc = lnTerm;
  for (let k = top; k >= 1; k--) {
    lnTerm += Math.log(k / (g - k + 1));
    const next = logAdd(acc, lnTerm);
    if (next - acc < 1e-17) break;
    acc = next;
  }
  return acc;
}

/**
 * Σ_{k=0}^{s} C(g, k): the number of ways to choose at most s of g gates (e.g. the sin branches of
 * a path, or which gates moved a Pauli string).
 */
export function binomialPrefixCount(g: number, s: number): Count {
  checkInt('g', g);
  checkInt('s', s);
  if (s >= g) return powerOfTwoCount(g);
  let lnSum: number;
  if (2 * s < g) {
    lnSum = lnBinomialPrefix(g, s);
  } else {
    // 2^g minus the upper tail Σ_{k>s} C(g,k) = Σ_{k<g−s} C(g,k), which is below 2^{g−1}.
    const lnTail = lnBinomialPrefix(g, g - s - 1);
    const ln2g = g * Math.LN2;
    lnSum = ln2g + Math.log1p(-Math.exp(lnTail - ln2g));
  }
  const log10 = lnSum / LN10;
  if (log10 > MAX_EXACT_DIGITS + 1 || s > MAX_EXACT_STEPS) return { exact: null, log10 };
  let term = 1n;
  let sum = 1n;
  const G = BigInt(g);
  for (let k = 1; k <= s; k++) {
    term = (term * (G - BigInt(k) + 1n)) / BigInt(k);
    sum += term;
  }
  return finish(sum);
}

/** a · b for Counts (exact when both are). */
export function multiplyCounts(a: Count, b: Count): Count {
  const log10 = a.log10 + b.log10;
  if (a.exact === 0 || b.exact === 0) return { exact: 0, log10: -Infinity };
  if (a.exact === null || b.exact === null || log10 > MAX_EXACT_DIGITS + 1) return { exact: null, log10 };
  return finish(BigInt(a.exact) * BigInt(b.exact));
}

/** A Count from a plain non-negative integer. */
export function countOf(v: number): Count {
  checkInt('count', v);
  return { exact: v, log10: v === 0 ? -Infinity : Math.log10(v) };
}

/** Human-readable: the integer when short, `1.234e+56 (57 digits)`, or `10^1234.56`. */
export function formatCount(c: Count): string {
  if (c.exact !== null) {
    const s = String(c.exact);
    if (s.length <= 15) return s;
    return `${s[0]}.${s.slice(1, 4)}e+${s.length - 1} (${s.length} digits, exact in --json)`;
  }
  return `10^${c.log10.toFixed(2)}`;
}

/** JSON-safe log10 (Infinity is not JSON): −Infinity → null. */
export function jsonLog10(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
