import { describe, expect, it } from 'vitest';
import { MonomialTable } from '../../src/surrogate/monomials.js';
import { expandTrig } from '../../src/surrogate/expansion.js';

describe('MonomialTable', () => {
  it('interns sorted variable lists, multiplies with the degree cap, and grows', () => {
    const t = new MonomialTable(3, 16);
    expect(t.size).toBe(1);
    const a = t.fromVariables([2]);
    const b = t.fromVariables([0, 2]);
    expect(t.variables(t.multiply(a, b))).toEqual([0, 2, 2]);
    expect(t.multiply(b, a)).toBe(t.fromVariables([2, 0, 2]));
    expect(t.multiply(b, b)).toBe(-1);
    expect(t.multiply(0, b)).toBe(b);
    const ids = new Set<number>();
    for (let i = 0; i < 40; i++) for (let j = i; j < 40; j++) ids.add(t.fromVariables([i, j]));
    expect(ids.size).toBe((40 * 41) / 2);
    for (let i = 0; i < 40; i++) for (let j = i; j < 40; j++) expect(t.variables(t.fromVariables([j, i]))).toEqual([i, j]);
    expect(() => new MonomialTable(256)).toThrow(RangeError);
  });

  it('expands cos ℓ − 1 and sin ℓ of ℓ = 2x − y exactly to the degree cap', () => {
    const t = new MonomialTable(3);
    const e = expandTrig(t, [0, 1], [2, -1], 0, 2);
    const poly = (mono: Int32Array, coef: Float64Array) =>
      Object.fromEntries(Array.from(mono, (m, i) => [t.variables(m).join(','), coef[i]]));
    // cos ℓ − 1 = −ℓ²/2 = −2x² + 2xy − y²/2
    expect(poly(e.cosMono, e.cosCoef)).toEqual({ '0,0': -2, '0,1': 2, '1,1': -0.5 });
    // sin ℓ = ℓ − ℓ³/6: ℓ³ = 8x³ − 12x²y + 6xy² − y³
    expect(poly(e.sinMono, e.sinCoef)).toEqual({
      '0': 2, '1': -1, '0,0,0': -8 / 6, '0,0,1': 2, '0,1,1': -1, '1,1,1': 1 / 6,
    });
  });
});
