import type { MonomialTable } from './monomials.js';

/**
 * Truncated expansions of cos ℓ − 1 and sin ℓ for a linear form ℓ(δ) = Σ_k c_k δ_k, up to total
 * degree maxDegree, as monomial ids with coefficients sorted by degree (so callers can stop at the
 * first monomial that would exceed their remaining degree). Powers ℓ^j are multiplied out exactly,
 * so shared parameters and affine combinations need nothing special.
 */
export interface TrigExpansion {
  readonly cosMono: Int32Array;
  readonly cosCoef: Float64Array;
  readonly cosDeg: Uint8Array;
  readonly sinMono: Int32Array;
  readonly sinCoef: Float64Array;
  readonly sinDeg: Uint8Array;
}

export function expandTrig(
  table: MonomialTable, params: ArrayLike<number>, coeffs: ArrayLike<number>, from: number, to: number,
): TrigExpansion {
  const m = table.maxDegree;
  if (m === 0) {
    const none = { mono: new Int32Array(0), coef: new Float64Array(0), deg: new Uint8Array(0) };
    return { cosMono: none.mono, cosCoef: none.coef, cosDeg: none.deg, sinMono: none.mono, sinCoef: none.coef, sinDeg: none.deg };
  }
  const linear = new Map<number, number>();
  for (let i = from; i < to; i++) {
    const id = table.fromVariables([params[i] as number]);
    linear.set(id, (linear.get(id) ?? 0) + (coeffs[i] as number));
  }
  const cos: [number, number][] = [];
  const sin: [number, number][] = [];
  let power = new Map<number, number>([[0, 1]]);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    const nextPower = new Map<number, number>();
    for (const [a, ca] of power) {
      for (const [b, cb] of linear) {
        const id = table.multiply(a, b);
        if (id < 0) continue;
        nextPower.set(id, (nextPower.get(id) ?? 0) + ca * cb);
      }
    }
    power = nextPower;
    factorial *= j;
    // cos ℓ = Σ (−1)^{j/2} ℓ^j/j! over even j, sin ℓ = Σ (−1)^{(j−1)/2} ℓ^j/j! over odd j.
    const sign = (j >> 1) % 2 === 0 ? 1 : -1;
    const target = j % 2 === 0 ? cos : sin;
    for (const [id, c] of power) if (c !== 0) target.push([id, (sign * c) / factorial]);
  }
  const pack = (list: [number, number][]) => {
    list.sort((x, y) => table.degree[x[0]]! - table.degree[y[0]]!);
    return {
      mono: Int32Array.from(list, (e) => e[0]),
      coef: Float64Array.from(list, (e) => e[1]),
      deg: Uint8Array.from(list, (e) => table.degree[e[0]]!),
    };
  };
  const c = pack(cos);
  const s = pack(sin);
  return { cosMono: c.mono, cosCoef: c.coef, cosDeg: c.deg, sinMono: s.mono, sinCoef: s.coef, sinDeg: s.deg };
}
