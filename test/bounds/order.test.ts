import { describe, expect, it } from 'vitest';
import {
  angleMapStats, chooseTaylorOrder, expTail, gaussianL1Lipschitz, gaussianL1Mean, gaussianL1Quantile,
  hypercubeL1Bound, identityAngleMapStats, lambertOrderEstimate, lambertW0, lnGamma, logExpTail, logFactorial,
  pathSinsFor, regionDisplacementBound, taylorOrderFor, taylorRemainderFactor,
} from '../../src/bounds/order.js';
import { evaluateScale, parseScaleExpression } from '../../src/bounds/scale.js';
import { UserError } from '../../src/ir/errors.js';
import { createRng } from '../../src/random/rng.js';

/** Naive t^k/k! by a running product (independent of the log-gamma path). */
function powerOverFactorial(t: number, k: number): number {
  let v = 1;
  for (let i = 1; i <= k; i++) v *= t / i;
  return v;
}

/** Smallest m with t^{m+1}/(m+1)! ≤ ε by a plain upward scan (small t only). */
function scanOrder(t: number, eps: number): number {
  for (let m = 0; ; m++) if (powerOverFactorial(t, m + 1) <= eps) return m;
}

describe('log-gamma and Lambert W', () => {
  it('lnGamma matches ln((n−1)!) by direct products and Γ(1/2) = √π', () => {
    let lf = 0;
    for (let n = 1; n < 300; n++) {
      expect(Math.abs(lnGamma(n) - lf)).toBeLessThan(1e-12 * Math.max(1, lf));
      lf += Math.log(n);
    }
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lnGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 13);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 14);
  });

  it('W₀ solves w·e^w = x', () => {
    for (const x of [-1 / Math.E, -0.3, -0.1, 0, 1e-8, 0.5, 1, Math.E, 10, 1e3, 1e10, 1e300]) {
      const w = lambertW0(x);
      expect(Math.abs(w * Math.exp(w) - x)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x)) + 1e-9 * (x === -1 / Math.E ? 1 : 0));
    }
    expect(() => lambertW0(-1)).toThrow(RangeError);
  });
});

describe('order selection', () => {
  it('taylorOrderFor equals a brute-force scan on a grid of t and ε', () => {
    for (const t of [0, 1e-9, 0.01, 0.1, 0.5, 0.8, 1, 2, 5, 10, 30, 60]) {
      for (const eps of [1, 0.1, 1e-3, 1e-6, 1e-9, 1e-12]) {
        expect(taylorOrderFor(t, eps), `t=${t} ε=${eps}`).toBe(scanOrder(t, eps));
      }
    }
  });

  it('σ = 1/D needs order 8 at ε = 1e−6 (E‖δ‖₁ = √(2/π)), as the paper states', () => {
    for (const D of [10, 100, 1e4]) {
      const t = gaussianL1Mean(identityAngleMapStats(D), 1 / D);
      expect(t).toBeCloseTo(Math.sqrt(2 / Math.PI), 12);
      expect(taylorOrderFor(t, 1e-6)).toBe(8);
    }
  });

  it('huge t: the answer is exactly the boundary and the Lambert-W start is close', () => {
    for (const t of [1e3, 1e6, 1e9, 1e12]) {
      for (const eps of [1e-6, 1e-12]) {
        const m = taylorOrderFor(t, eps);
        const g = (k: number) => k * Math.log(t) - lnGamma(k + 1);
        expect(g(m + 1)).toBeLessThanOrEqual(Math.log(eps));
        expect(g(m)).toBeGreaterThan(Math.log(eps));
        expect(Math.abs(lambertOrderEstimate(t, eps) - m) / m).toBeLessThan(1e-3);
      }
    }
  });

  it('chooseTaylorOrder scales ε by ‖O‖₁ and reports the paper threshold m + 1', () => {
    const c = chooseTaylorOrder(2, 0.5, 1e-6);
    expect(c.order).toBe(scanOrder(0.5, 5e-7));
    expect(c.paperThreshold).toBe(c.order + 1);
    expect(c.bound).toBeCloseTo(2 * powerOverFactorial(0.5, c.order + 1), 18);
    expect(c.bound).toBeLessThanOrEqual(1e-6);
    expect(taylorRemainderFactor(0.5, 3)).toBeCloseTo(powerOverFactorial(0.5, 4), 18);
    expect(() => taylorOrderFor(1, 0)).toThrow(UserError);
    expect(() => taylorOrderFor(-1, 0.1)).toThrow(UserError);
  });
});

describe('exponential tail and the path rule', () => {
  it('Σ_{k≥k0} t^k/k! equals a direct sum', () => {
    for (const t of [0, 0.01, 0.3, 1, 3, 10, 40]) {
      for (const k0 of [0, 1, 2, 5, 10, 30, 60]) {
        let direct = 0;
        for (let k = k0; k < k0 + 400; k++) direct += powerOverFactorial(t, k);
        const v = expTail(t, k0);
        if (direct === 0) expect(v).toBe(0);
        else expect(Math.abs(v - direct) / direct).toBeLessThan(1e-12);
      }
    }
    expect(logExpTail(1e4, 10)).toBeCloseTo(1e4, 6);
  });

  it('pathSinsFor is the smallest S with tail(t, S+1) ≤ ε', () => {
    for (const t of [0.01, 0.5, 1, 4, 20]) {
      for (const eps of [0.5, 1e-3, 1e-8]) {
        const S = pathSinsFor(t, eps);
        expect(expTail(t, S + 1)).toBeLessThanOrEqual(eps);
        if (S > 0) expect(expTail(t, S)).toBeGreaterThan(eps);
      }
    }
  });
});

describe('σ and r written in D', () => {
  it('evaluates the usual forms', () => {
    const D = 64;
    const cases: [string, number][] = [
      ['0.01', 0.01], ['1/D', 1 / D], ['D^-0.5', D ** -0.5], ['D^(-1/3)', D ** (-1 / 3)], ['D^-1/5', D ** -1 / 5],
      ['exp(-D)', Math.exp(-D)], ['e^-D', Math.exp(-D)], ['1/ln(D)', 1 / Math.log(D)], ['2*D^-1', 2 / D], ['1e-3', 1e-3],
      ['sqrt(D)/D', 1 / 8], ['D**-2', D ** -2], ['1/(2*pi)', 1 / (2 * Math.PI)],
    ];
    for (const [text, v] of cases) expect(evaluateScale(text, D), text).toBeCloseTo(v, 14);
  });

  it('rejects junk with the column and negative values', () => {
    expect(() => parseScaleExpression('1/Q')).toThrow(/column 3: unknown name 'Q'/);
    expect(() => parseScaleExpression('D^')).toThrow(UserError);
    expect(() => parseScaleExpression('(D')).toThrow(/expected '\)'/);
    expect(() => parseScaleExpression('D D')).toThrow(/unexpected 'D'/);
    expect(() => evaluateScale('-1/D', 10)).toThrow(/≥ 0/);
  });
});

describe('‖Aδ‖₁ over regions', () => {
  const rowsOf = (A: number[][]) => A.map((r) => r.flatMap((c, k) => (c === 0 ? [] : [{ param: k, coeff: c }])));

  it('the Lipschitz constant is √D for A = I and G for one parameter in G gates', () => {
    expect(gaussianL1Lipschitz(identityAngleMapStats(49))).toBeCloseTo(7, 12);
    const shared = angleMapStats(1, rowsOf([[1], [1], [1], [1]]));
    expect(gaussianL1Lipschitz(shared)).toBeCloseTo(4, 12);
    expect(angleMapStats(49, rowsOf(Array.from({ length: 49 }, (_, g) => Array.from({ length: 49 }, (_, k) => (k === g ? 1 : 0))))))
      .toEqual(identityAngleMapStats(49));
  });

  it('Monte Carlo: the Gaussian mean is exact and the quantile is not exceeded', () => {
    const A = [[1, 0, 0], [2, 0, 0], [0.5, -1, 0], [0, 0, 1], [0, 1, 1]];
    const stats = angleMapStats(3, rowsOf(A));
    const sigma = 0.3;
    const rng = createRng(11);
    const n = 40_000;
    let sum = 0;
    let over = 0;
    const q = gaussianL1Quantile(stats, sigma, 0.01);
    for (let i = 0; i < n; i++) {
      const d = [rng.normal() * sigma, rng.normal() * sigma, rng.normal() * sigma];
      const x = A.reduce((s, r) => s + Math.abs(r[0]! * d[0]! + r[1]! * d[1]! + r[2]! * d[2]!), 0);
      sum += x;
      if (x > q) over++;
    }
    const mean = gaussianL1Mean(stats, sigma);
    expect(Math.abs(sum / n - mean) / mean).toBeLessThan(0.01);
    expect(over / n).toBeLessThanOrEqual(0.01);
    expect(regionDisplacementBound({ kind: 'gaussian', sigma, tailProbability: 0.01 }, stats)).toBe(q);
  });

  it('the hypercube bound dominates every vertex', () => {
    const A = [[1, -2, 0], [0.5, 0.5, 0.5], [0, 3, -1]];
    const stats = angleMapStats(3, rowsOf(A));
    const r = 0.2;
    let max = 0;
    for (let v = 0; v < 8; v++) {
      const d = [0, 1, 2].map((k) => ((v >> k) & 1 ? r : -r));
      max = Math.max(max, A.reduce((s, row) => s + Math.abs(row[0]! * d[0]! + row[1]! * d[1]! + row[2]! * d[2]!), 0));
    }
    expect(hypercubeL1Bound(stats, r)).toBeGreaterThanOrEqual(max - 1e-15);
    expect(hypercubeL1Bound(identityAngleMapStats(10), r)).toBeCloseTo(2, 14);
  });
});
