import { describe, expect, it } from 'vitest';
import { fitSweep, type SweepCell } from '../../src/gradients/sweep.js';
import { createRng } from '../../src/random/rng.js';

/** Synthetic cells: only the fields fitSweep reads (label, N, D, normSamples, informative). */
function cells(D: (N: number) => number, norm: (N: number, z: number) => number): SweepCell[] {
  const rng = createRng(7);
  const out: SweepCell[] = [];
  for (let N = 4; N <= 16; N += 2) {
    const normSamples = Array.from({ length: 30 }, () => norm(N, rng.normal()));
    out.push({ N, D: D(N), label: 'σ=1', normSamples, informative: true } as unknown as SweepCell);
  }
  return out;
}

describe('variance decay fit', () => {
  it('is a bootstrap verdict on ‖∇C‖²/D: with constant D its rate and interval are exactly twice the norm fit', () => {
    const cs = cells(() => 10, (N, z) => Math.exp(-0.4 * N + 0.3 * z));
    const [fit] = fitSweep(['σ=1'], cs, 3);
    expect(fit!.norm.verdict).toBe('barren-plateau');
    expect(fit!.variance.verdict).toBe('barren-plateau');
    expect(fit!.variance.rate).toBeCloseTo(2 * fit!.norm.rate, 10);
    expect(fit!.variance.rateCi[0]).toBeCloseTo(2 * fit!.norm.rateCi[0], 10);
    expect(fit!.variance.rateCi[1]).toBeCloseTo(2 * fit!.norm.rateCi[1], 10);
    expect(fit!.variance.rate).toBeGreaterThan(0.6);
  });

  it('divides by the parameter count: a norm growing like √D gives a flat variance', () => {
    // ‖∇C‖² = D·v with v constant in N: the variance per component does not decay.
    const cs = cells((N) => 3 * N, (N, z) => Math.sqrt(3 * N) * Math.exp(0.05 * z));
    const [fit] = fitSweep(['σ=1'], cs, 1);
    expect(fit!.norm.rate).toBeLessThan(-0.02);
    expect(fit!.variance.verdict).toBe('no-barren-plateau');
    expect(Math.abs(fit!.variance.rate)).toBeLessThan(0.01);
  });
});
