import { describe, expect, it } from 'vitest';
import { runGradientSweep, type SweepSpec } from '../../src/gradients/sweep.js';
import { drawPoint, exactGradientEvaluator, GradientAccumulator, l2Norm, sampleGradients } from '../../src/gradients/sampling.js';
import { variance } from '../../src/gradients/statistics.js';
import { gradientOrderFor, surrogateGradientEngine } from '../../src/gradients/surrogate-engine.js';
import { buildAnsatz } from '../../src/ansatz/index.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { createRng } from '../../src/random/rng.js';

const circuit = buildAnsatz('mhea', { qubits: 3, layers: 1 });
const obs = parseObservableText('Z0 Z1 + 0.5*X2', { numQubits: 3 });
const center = new Float64Array(circuit.numParameters);

describe('gradient statistics', () => {
  it('same seed ⇒ same statistics; another seed ⇒ different ones', () => {
    const ev = exactGradientEvaluator(circuit, obs);
    const a = sampleGradients(ev, center, { kind: 'gaussian', sigma: 0.3 }, 40, createRng(9), 2);
    const b = sampleGradients(ev, center, { kind: 'gaussian', sigma: 0.3 }, 40, createRng(9), 2);
    const c = sampleGradients(ev, center, { kind: 'gaussian', sigma: 0.3 }, 40, createRng(10), 2);
    expect(b).toEqual(a);
    expect(c.norm.mean).not.toBe(a.norm.mean);
  });

  it('accumulates norms and per-parameter variances like a direct two-pass computation', () => {
    const ev = exactGradientEvaluator(circuit, obs);
    const rng = createRng(4);
    const grads: Float64Array[] = [];
    const acc = new GradientAccumulator(circuit.numParameters);
    for (let s = 0; s < 30; s++) {
      const e = ev(drawPoint(rng, center, { kind: 'hypercube', radius: 0.5 }, new Float64Array(circuit.numParameters)));
      grads.push(Float64Array.from(e.gradient));
      acc.add(e, e.gradient[1]);
    }
    const stats = acc.statistics();
    const norms = grads.map((g) => l2Norm(g));
    expect(stats.norm.mean).toBeCloseTo(norms.reduce((x, y) => x + y) / norms.length, 12);
    const vars = acc.componentVariances();
    for (let k = 0; k < circuit.numParameters; k++) expect(vars[k]).toBeCloseTo(variance(grads.map((g) => g[k]!)), 12);
    expect(stats.target!.variance).toBeCloseTo(variance(grads.map((g) => g[1]!)), 12);
  });

  it('hypercube points stay inside the cube', () => {
    const rng = createRng(1);
    const p = new Float64Array(50);
    for (let i = 0; i < 20; i++) {
      drawPoint(rng, new Float64Array(50).fill(1), { kind: 'hypercube', radius: 0.25 }, p);
      for (const x of p) expect(Math.abs(x - 1)).toBeLessThanOrEqual(0.25);
    }
  });
});

describe('gradient sweeps', () => {
  const spec = (seed: number): SweepSpec => ({
    sizes: [2, 3, 4, 5],
    buildCircuit: (N) => buildAnsatz('mhea', { qubits: N, layers: 1 }),
    observable: () => 'random',
    regions: [{ label: 'σ=D^-1', region: (D) => ({ kind: 'gaussian', sigma: 1 / D }) }],
    samples: 20,
    seed,
    center: (c) => new Float64Array(c.numParameters),
    lce: { target: 'random', variant: 'paper' },
    engine: 'exact',
    exactMaxQubits: 20,
    eps: 1e-3,
    maxOrder: 4,
  });

  it('is reproducible from its seed and keeps LCE gradients near ±1 for σ = 1/D', () => {
    const a = runGradientSweep(spec(5));
    const b = runGradientSweep(spec(5));
    expect(b.cells.map((c) => c.statistics)).toEqual(a.cells.map((c) => c.statistics));
    for (const c of a.cells) {
      expect(c.statistics.norm.min).toBeGreaterThan(0.5);
      expect(Math.abs(c.statistics.target!.mean)).toBeLessThanOrEqual(1);
    }
    expect(a.fits[0]!.norm.verdict).not.toBe('barren-plateau');
    // Four sizes are too few for any verdict.
    expect(a.fits[0]!.norm.verdict).toBe('inconclusive');
  });
});

describe('surrogate gradients', () => {
  it('stay within their stated bound of the exact gradient', () => {
    const c = buildAnsatz('mhea', { qubits: 4, layers: 1 });
    const o = parseObservableText('Z0 Z1 - 0.7*X2 Y3', { numQubits: 4 });
    const ctr = new Float64Array(c.numParameters);
    const exact = exactGradientEvaluator(c, o);
    const rng = createRng(12);
    for (const order of [1, 2, 3]) {
      const eng = surrogateGradientEngine(c, o, { order, center: ctr });
      for (let s = 0; s < 20; s++) {
        const p = drawPoint(rng, ctr, { kind: 'gaussian', sigma: 0.1 }, new Float64Array(c.numParameters));
        const a = eng.evaluator(p), b = exact(p);
        const err = l2Norm(a.gradient.map((x, k) => x - b.gradient[k]!));
        expect(err).toBeLessThanOrEqual(a.gradientErrorBound! + 1e-12);
      }
    }
    const choice = gradientOrderFor(c, o, { kind: 'gaussian', sigma: 0.01, tailProbability: 1e-6 }, 1e-3, 8);
    expect(choice.capped).toBe(false);
    expect(choice.bound).toBeLessThanOrEqual(1e-3);
  });
});
