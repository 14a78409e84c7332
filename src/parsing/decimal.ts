/**
 * Decimal literals read without a substring, for the fast paths of both front ends
 * (dsl/fast-path.ts, qasm/fast-path.ts), which must give exactly the numbers the lexers give with
 * `Number(text)`.
 */

/** 10^0 … 10^22: every one is exactly representable as a double (5^22 < 2^53). */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21,
  1e22,
];

/** Significant digits that always fit a double's 53-bit mantissa exactly. */
const EXACT_DIGITS = 15;

/**
 * `Number(text.slice(start, end))` for a literal of decimal digits with an optional fraction
 * (`.` then digits) and an optional exponent (`e`/`E`, optional sign, digits), as both lexers
 * delimit them.
 *
 * When the significant digits form an integer m < 10^15 and the decimal exponent k has |k| ≤ 22,
 * m and 10^|k| are exact doubles and one IEEE multiplication or division rounds the exact value
 * m·10^k correctly — which is what Number() returns (Clinger's fast path). Everything else takes
 * the substring and Number().
 */
export function decimalValue(text: string, start: number, end: number): number {
  let m = 0;
  let digits = 0;
  let scale = 0;
  let i = start;
  let c = text.charCodeAt(i);
  for (; i < end && c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
    if (m !== 0 || c !== 48) digits++;
    m = m * 10 + (c - 48);
  }
  if (i < end && c === 46) {
    for (c = text.charCodeAt(++i); i < end && c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
      if (m !== 0 || c !== 48) digits++;
      m = m * 10 + (c - 48);
      scale++;
    }
  }
  let exponent = 0;
  if (i < end && (c === 101 || c === 69)) {
    c = text.charCodeAt(++i);
    let sign = 1;
    if (c === 43 || c === 45) {
      if (c === 45) sign = -1;
      c = text.charCodeAt(++i);
    }
    for (; i < end && c >= 48 && c <= 57 && exponent < 100_000; c = text.charCodeAt(++i)) exponent = exponent * 10 + (c - 48);
    exponent *= sign;
  }
  if (i === end && digits <= EXACT_DIGITS) {
    if (m === 0) return 0;
    const k = exponent - scale;
    if (k >= 0 && k <= 22) return m * POW10[k]!;
    if (k < 0 && k >= -22) return m / POW10[-k]!;
  }
  return Number(text.slice(start, end));
}
