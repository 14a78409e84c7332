import { describe, expect, it } from 'vitest';
import { decayVerdict, type SizeSamples } from '../../src/gradients/fits.js';
import { centralValues, geometricMean } from '../../src/gradients/statistics.js';
import { createRng, type Rng } from '../../src/random/rng.js';

/**
 * Verdicts with uncertainty on synthetic data whose law is known: y = e^{a − r·N + s·z} (barren
 * plateau) or y = c·N^{−p}·e^{s·z} (polynomial), z standard normal per sample.
 */
const SEED = Number(process.env.NC_SEED ?? 11);

function synth(rng: Rng, Ns: readonly number[], samples: number, law: (N: number) => number, s: number): SizeSamples[] {
  return Ns.map((N) => ({ N, values: Float64Array.from({ length: samples }, () => law(N) * Math.exp(s * rng.normal())) }));
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('decayVerdict', () => {
  it('three sizes × 20 samples is inconclusive, whatever the data look like', () => {
    const rng = createRng(SEED);
    const v = decayVerdict(synth(rng, [2, 3, 4], 20, (N) => Math.exp(-0.8 * N), 0.3));
    expect(v.verdict).toBe('inconclusive');
    expect(v.reason).toMatch(/only 3 size/);
  });

  it('too few samples per size is inconclusive', () => {
    const rng = createRng(SEED);
    const v = decayVerdict(synth(rng, range(2, 12), 5, (N) => Math.exp(-0.8 * N), 0.3));
    expect(v.verdict).toBe('inconclusive');
    expect(v.reason).toMatch(/only 5 positive sample/);
  });

  it('clear exponential decay is a barren plateau, with the rate inside its interval', () => {
    const rng = createRng(SEED);
    const v = decayVerdict(synth(rng, range(2, 16), 30, (N) => 2 * Math.exp(-0.5 * N), 0.5), { seed: 1 });
    expect(v.verdict).toBe('barren-plateau');
    expect(v.rateCi[0]).toBeLessThan(0.5);
    expect(v.rateCi[1]).toBeGreaterThan(0.5);
    expect(v.criterion.deltaBic).toBeGreaterThan(6);
    expect(v.criterion.exponentialPreferred).toBeGreaterThanOrEqual(0.95);
  });

  it('clear polynomial decay is no barren plateau, with the exponent inside its interval', () => {
    const rng = createRng(SEED + 1);
    const v = decayVerdict(synth(rng, range(2, 16), 30, (N) => 3 * N ** -2, 0.5), { seed: 1 });
    expect(v.verdict).toBe('no-barren-plateau');
    expect(v.reason).toMatch(/polynomial/);
    expect(v.exponentCi[0]).toBeLessThan(2);
    expect(v.exponentCi[1]).toBeGreaterThan(2);
    expect(v.criterion.deltaBic).toBeLessThan(-6);
  });

  it('a flat curve is no barren plateau; a noisy slight decay is inconclusive', () => {
    const rng = createRng(SEED + 2);
    const flat = decayVerdict(synth(rng, range(2, 16), 50, () => 0.9, 0.2));
    expect(flat.verdict).toBe('no-barren-plateau');
    expect(flat.reason).toMatch(/flat/);
    // Very noisy, weak decay over few sizes: the two laws cannot be told apart.
    const weak = decayVerdict(synth(rng, range(4, 8), 12, (N) => Math.exp(-0.15 * N), 1.5));
    expect(weak.verdict).toBe('inconclusive');
  });

  it('one heavy outlier seed does not flip the verdict (log-scale fit)', () => {
    const rng = createRng(SEED + 3);
    const data = synth(rng, range(2, 14), 20, (N) => Math.exp(-0.6 * N), 0.4);
    const spiked = data.map((d) => (d.N === 14 ? { N: 14, values: Float64Array.from(d.values, (v, i) => (i === 0 ? 1 : v)) } : d));
    expect(decayVerdict(spiked).verdict).toBe('barren-plateau');
    // The arithmetic mean of that cell is carried by the one seed; median and geometric mean are not.
    const c = centralValues(spiked.at(-1)!.values);
    expect(c.mean).toBeGreaterThan(20 * c.median);
    expect(c.geometricMean).toBeLessThan(5 * c.median);
  });

  it('exact zeros at the largest sizes are a barren plateau; zeros only in the middle are inconclusive', () => {
    const Ns = range(2, 10);
    const v = decayVerdict(Ns.map((N) => ({ N, values: new Float64Array(20).fill(N < 7 ? 0.5 / N : 0) })));
    expect(v.verdict).toBe('barren-plateau');
    expect(v.reason).toMatch(/exactly 0 .* from N = 7/);
    const mid = decayVerdict(Ns.map((N) => ({ N, values: new Float64Array(20).fill(N === 5 ? 0 : 0.5) })));
    expect(mid.verdict).toBe('inconclusive');
    expect(geometricMean([0, 1, 4])).toEqual({ value: 2, zeros: 1 });
  });

  it('is reproducible from its seed', () => {
    const data = synth(createRng(SEED), range(2, 10), 20, (N) => Math.exp(-0.3 * N), 0.5);
    expect(decayVerdict(data, { seed: 3 })).toEqual(decayVerdict(data, { seed: 3 }));
    expect(decayVerdict(data, { seed: 4 }).rateCi).not.toEqual(decayVerdict(data, { seed: 3 }).rateCi);
  });

  it('has calibrated rate intervals: the 90% bootstrap interval covers the true rate in ~90% of data sets', () => {
    // 300 synthetic data sets with a known rate; coverage of a calibrated 90% interval is
    // Binomial(300, 0.9): mean 270, sd 5.2. Accept 0.84…0.96 (about ±3 sd, allowing the small
    // undercoverage percentile intervals have at these sample sizes).
    const rng = createRng(SEED + 4);
    const trueRate = 0.4;
    let covered = 0;
    const runs = 300;
    for (let r = 0; r < runs; r++) {
      const data = synth(rng, range(2, 12), 15, (N) => Math.exp(1 - trueRate * N), 0.8);
      const v = decayVerdict(data, { seed: r, resamples: 200, level: 0.9 });
      if (v.rateCi[0] <= trueRate && trueRate <= v.rateCi[1]) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.84);
    expect(covered / runs).toBeLessThan(0.96);
  });
});
