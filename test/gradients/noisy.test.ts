import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAnsatz } from '../../src/ansatz/index.js';
import { encodeLce } from '../../src/encoder/lce.js';
import { densityGradientEvaluator, l2Norm } from '../../src/gradients/sampling.js';
import { computeSweepCell, withEncoderGates, type SweepSpec } from '../../src/gradients/sweep.js';
import type { Circuit, Gate } from '../../src/ir/types.js';
import { makeChannel } from '../../src/noise/channels.js';
import { applyNoiseModel, parseNoiseModel } from '../../src/noise/model.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { densityExpectation } from '../../src/simulators/density/index.js';
import { expectationAndGradient } from '../../src/simulators/statevector/index.js';
import { gateArb, observableArb, paramsArb, qubitsArb, uniformArb } from '../helpers/random-circuits.js';

/**
 * `gradients` on noisy circuits: the exact engine is the density matrix's adjoint pass, checked
 * here against central finite differences of the density-matrix value and, for circuits whose
 * parameters each drive one gate with slope 1, against the parameter-shift rule (which holds with
 * channels too: C is still a first-degree trigonometric polynomial in each angle).
 */

const SEED = Number(process.env.FC_SEED ?? 1516);

const channelArb = (n: number): fc.Arbitrary<Gate> =>
  fc.oneof(
    fc.tuple(fc.constantFrom('depolarize' as const, 'dephase' as const, 'amplitude_damp' as const), qubitsArb(n, 1, 1), uniformArb(0, 0.5))
      .map(([name, qs, p]) => makeChannel(name, qs, [p])),
    fc.tuple(qubitsArb(n, 1, 1), uniformArb(0, 0.2), uniformArb(0, 0.2), uniformArb(0, 0.2)).map(([qs, a, b, c]) => makeChannel('pauli_noise', qs, [a, b, c])),
    ...(n >= 2 ? [fc.tuple(qubitsArb(n, 2, 2), uniformArb(0, 0.5)).map(([qs, p]) => makeChannel('depolarize2', qs, [p]))] : []),
  );

const noisyArb = fc.integer({ min: 1, max: 3 }).chain((n) => fc.integer({ min: 1, max: 4 }).chain((d) =>
  fc.tuple(
    fc.array(fc.oneof(gateArb(n, d), channelArb(n)), { minLength: 1, maxLength: 12 }),
    paramsArb(d),
    observableArb(n, 3),
  ).map(([gates, params, observable]) => ({
    circuit: { numQubits: n, parameters: [{ name: 'theta', length: d, offset: 0 }], numParameters: d, gates, observables: [] } as Circuit,
    params, observable,
  }))));

describe('exact gradients of noisy circuits (density matrix)', () => {
  it('equal central finite differences of the density-matrix value', () => {
    fc.assert(
      fc.property(noisyArb, ({ circuit, params, observable }) => {
        const { gradient } = densityGradientEvaluator(circuit, observable)(params);
        const h = 1e-5;
        for (let k = 0; k < circuit.numParameters; k++) {
          const plus = Float64Array.from(params), minus = Float64Array.from(params);
          plus[k]! += h;
          minus[k]! -= h;
          const fd = (densityExpectation(circuit, plus, observable) - densityExpectation(circuit, minus, observable)) / (2 * h);
          expect(Math.abs(gradient[k]! - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('equal parameter shifts on a noisy mHEA (one gate per parameter, slope 1)', () => {
    const circuit = applyNoiseModel(buildAnsatz('mhea', { qubits: 3, layers: 2 }),
      parseNoiseModel({ after: { '1q': [['depolarize', 0.03]], cx: [['depolarize2', 0.05], ['amplitude_damp', 0.02]] } }, 'm.json'));
    const observable = parseObservableText('Z0 Z1 + 0.5*X2', { numQubits: 3 });
    const theta = Float64Array.from({ length: circuit.numParameters }, (_, k) => Math.sin(3 * k + 1));
    const { gradient } = densityGradientEvaluator(circuit, observable)(theta);
    for (let k = 0; k < circuit.numParameters; k++) {
      const plus = Float64Array.from(theta), minus = Float64Array.from(theta);
      plus[k]! += Math.PI / 2;
      minus[k]! -= Math.PI / 2;
      const shift = (densityExpectation(circuit, plus, observable) - densityExpectation(circuit, minus, observable)) / 2;
      expect(gradient[k]).toBeCloseTo(shift, 12);
    }
  });
});

describe('gradient sweeps of noisy circuits', () => {
  const base = buildAnsatz('mhea', { qubits: 3, layers: 2 });
  const observable = parseObservableText('Z0', { numQubits: 3 });
  const noisy = (p: number) => applyNoiseModel(base, parseNoiseModel({ after: { '1q': [['depolarize', p]], '2q': [['depolarize2', p]] } }, 'm.json'));
  const spec = (circuit: Circuit, lce: boolean): Omit<SweepSpec, 'sizes' | 'regions'> => ({
    buildCircuit: () => circuit,
    observable: () => observable,
    samples: 8,
    seed: 3,
    center: (c) => new Float64Array(c.numParameters),
    ...(lce ? { lce: { target: 'auto' as const, variant: 'paper' as const } } : {}),
    engine: 'auto',
    exactMaxQubits: 20,
    eps: 1e-3,
    maxOrder: 4,
  });
  const region = { label: 'σ=0.05', region: () => ({ kind: 'gaussian' as const, sigma: 0.05 }) };

  it('use the density matrix: the same samples as the evaluator, smaller than without noise', () => {
    const cell = computeSweepCell(spec(noisy(0.05), false), 3, region);
    const clean = computeSweepCell(spec(base, false), 3, region);
    expect(cell.engine).toBe('exact');
    // Same seed and region: the same points, so the noisy norms are the noiseless ones damped.
    expect(cell.statistics.norm.mean).toBeLessThan(clean.statistics.norm.mean);
    expect(cell.normSamples).toHaveLength(8);
  });

  it('beyond the density-matrix limit, auto takes the noisy surrogate, within its stated bound of the exact statistics', () => {
    const exact = computeSweepCell(spec(noisy(0.05), false), 3, region);
    const sur = computeSweepCell({ ...spec(noisy(0.05), false), densityMaxQubits: 2, order: 3 }, 3, region);
    expect(sur.engine).toBe('surrogate');
    expect(sur.statistics.maxGradientErrorBound).toBeGreaterThan(0);
    // Same points: per sample |‖∇T‖ − ‖∇C‖| ≤ ‖∇T − ∇C‖ ≤ the bound.
    sur.normSamples.forEach((v, i) => expect(Math.abs(v - exact.normSamples[i]!)).toBeLessThanOrEqual(sur.statistics.maxGradientErrorBound + 1e-12));
  });

  it('refuse the exact engine beyond the density-matrix limit, naming it', () => {
    expect(() => computeSweepCell({ ...spec(noisy(0.01), false), engine: 'exact', densityMaxQubits: 2 }, 3, region))
      .toThrow(/noise channels and 3 qubits exceed the density-matrix limit of 2 \(`densityMaxQubits`/);
  });

  it('with LCE keep the channels in place around the noiseless encoder: ∂_k C(θ*) is ±1 damped', () => {
    const circuit = noisy(0.05);
    const lce = encodeLce(base, observable, { target: 'auto' });
    const encoded = withEncoderGates(circuit, lce);
    expect(encoded.gates).toEqual([...lce.prefix, ...circuit.gates, ...lce.suffix]);
    const center = new Float64Array(base.numParameters);
    const clean = expectationAndGradient(lce.circuit, center, observable).gradient[lce.target]!;
    const damped = densityGradientEvaluator(encoded, observable)(center).gradient[lce.target]!;
    expect(Math.abs(clean)).toBeCloseTo(1, 12);
    expect(Math.sign(damped)).toBe(Math.sign(clean));
    expect(Math.abs(damped)).toBeLessThan(0.99);
    expect(Math.abs(damped)).toBeGreaterThan(0);
    // The sweep does the same: its target component at the center of a tiny region is the damped one.
    const cell = computeSweepCell(spec(circuit, true), 3, { label: 'σ=1e-9', region: () => ({ kind: 'gaussian', sigma: 1e-9 }) });
    expect(cell.statistics.target!.mean).toBeCloseTo(damped, 6);
    expect(l2Norm([damped])).toBeLessThanOrEqual(cell.statistics.norm.mean + 1e-6);
  });
});
