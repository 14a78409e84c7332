import { describe, expect, it } from 'vitest';
import { analyzeDecay, linearFit } from '../../src/gradients/fits.js';
import { quantileSorted, summarize, variance } from '../../src/gradients/statistics.js';

const Ns = [2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16];

describe('decay fits', () => {
  it('linearFit recovers an exact line with R² = 1', () => {
    const f = linearFit([1, 2, 3, 4], [1, 3, 5, 7]);
    expect(f.slope).toBeCloseTo(2, 14);
    expect(f.intercept).toBeCloseTo(-1, 14);
    expect(f.r2).toBeCloseTo(1, 14);
  });

  it('tells exponential from polynomial decay', () => {
    const exp = analyzeDecay(Ns, Ns.map((n) => 3 * Math.exp(-0.7 * n)));
    expect(exp.verdict).toBe('exponential');
    expect(exp.exponential.rate).toBeCloseTo(-0.7, 12);
    expect(exp.exponential.r2).toBeCloseTo(1, 12);
    expect(exp.polynomial.r2).toBeLessThan(exp.exponential.r2);
    const poly = analyzeDecay(Ns, Ns.map((n) => 2 * n ** -2));
    expect(poly.verdict).toBe('polynomial');
    expect(poly.polynomial.exponent).toBeCloseTo(-2, 12);
  });

  it('calls flat curves no-decay, exact zeros vanishing, noise inconclusive, few points insufficient', () => {
    expect(analyzeDecay(Ns, Ns.map(() => 1.3)).verdict).toBe('no-decay');
    expect(analyzeDecay(Ns, Ns.map((n) => 1 + 0.01 * n)).verdict).toBe('no-decay');
    expect(analyzeDecay(Ns, Ns.map((n) => (n < 8 ? 0.5 / n : 0))).verdict).toBe('vanishing');
    const noisy = Ns.map((n, i) => (i % 2 ? 1 : 0.05) * (n < 9 ? 1 : 0.3));
    expect(analyzeDecay(Ns, noisy).verdict).toBe('inconclusive');
    expect(analyzeDecay([2, 3], [1, 0.5]).verdict).toBe('insufficient-data');
  });
});

describe('summary statistics', () => {
  it('match direct computations', () => {
    const v = [5, 1, 4, 2, 3];
    const s = summarize(v);
    expect(s.mean).toBe(3);
    expect(s.median).toBe(3);
    expect(s.min).toBe(1);
    expect(s.max).toBe(5);
    expect(s.std).toBeCloseTo(Math.sqrt(2.5), 14);
    expect(variance(v)).toBeCloseTo(2.5, 14);
    expect(s.q25).toBe(2);
    expect(quantileSorted([0, 10], 0.05)).toBeCloseTo(0.5, 14);
  });
});
