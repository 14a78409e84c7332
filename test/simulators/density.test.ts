import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Gate } from '../../src/ir/types.js';
import { setMemoryLimit } from '../../src/memory/limit.js';
import { CHANNEL_NAMES, makeChannel, type NoiseChannel } from '../../src/noise/channels.js';
import {
  densityExpectation, densityExpectationAndGradient, densityExpectationBatch, finalDensityMatrix, type NoisyCircuit,
} from '../../src/simulators/density/simulate.js';
import { expectation, expectationAndGradient } from '../../src/simulators/statevector/index.js';
import { circuitArb, circuitOf, gateArb, initialStateArb, observableArb, paramsArb, qubitsArb, uniformArb } from '../helpers/random-circuits.js';

const SEED = Number(process.env.NC_SEED ?? 2718);
const RUNS = Number(process.env.NC_PROPERTY_RUNS ?? 40);

afterEach(() => setMemoryLimit(undefined));

const channelOn = (n: number): fc.Arbitrary<NoiseChannel> =>
  fc.constantFrom(...CHANNEL_NAMES.filter((c) => c !== 'depolarize2' || n >= 2)).chain((name) => {
    const arity = name === 'depolarize2' ? 2 : 1;
    const strengths = name === 'pauli_noise'
      ? fc.tuple(uniformArb(0, 0.3), uniformArb(0, 0.3), uniformArb(0, 0.3)).map((t) => [...t])
      : uniformArb(0, 1).map((p) => [p]);
    return fc.tuple(qubitsArb(n, arity, arity), strengths).map(([qs, s]) => makeChannel(name, qs, s));
  });

/** Random noisy circuits: random IR gates with channels interleaved. */
const noisyArb = (maxQubits: number, maxGates: number) =>
  fc.integer({ min: 1, max: maxQubits }).chain((n) => fc.integer({ min: 0, max: 4 }).chain((d) =>
    fc.array(fc.oneof({ weight: 3, arbitrary: gateArb(n, d) as fc.Arbitrary<Gate | NoiseChannel> }, { weight: 1, arbitrary: channelOn(n) }),
      { minLength: 1, maxLength: maxGates })
      .map((gates): NoisyCircuit => ({ numQubits: n, parameters: d ? [{ name: 'theta', length: d, offset: 0 }] : [], numParameters: d, gates }))));

describe('density-matrix simulator', () => {
  it('without noise it equals the state vector (values and gradients, every gate and initial state)', () => {
    const arb = circuitArb({ maxQubits: 4, maxGates: 14 }).chain((c) =>
      fc.tuple(fc.constant(c), paramsArb(c.numParameters), observableArb(c.numQubits), initialStateArb(c.numQubits)));
    fc.assert(fc.property(arb, ([c, params, obs, state]) => {
      const sv = expectationAndGradient(c, params, obs, { initialState: state });
      const dm = densityExpectationAndGradient(c, params, obs, { initialState: state });
      expect(Math.abs(dm.value - sv.value)).toBeLessThan(1e-12);
      for (let k = 0; k < c.numParameters; k++) expect(Math.abs(dm.gradient[k]! - sv.gradient[k]!)).toBeLessThan(1e-11);
      expect(Math.abs(densityExpectation(c, params, obs, { initialState: state }) - sv.value)).toBeLessThan(1e-12);
    }), { seed: SEED, numRuns: RUNS });
  });

  it('stays a state (trace 1, Hermitian) through noisy circuits', () => {
    const arb = noisyArb(4, 16).chain((c) => fc.tuple(fc.constant(c), paramsArb(c.numParameters)));
    fc.assert(fc.property(arb, ([c, params]) => {
      const rho = finalDensityMatrix(c, params);
      expect(Math.abs(rho.trace() - 1)).toBeLessThan(1e-12);
      for (let i = 0; i < rho.dim; i++) for (let j = 0; j < rho.dim; j++) {
        expect(Math.abs(rho.re[i * rho.dim + j]! - rho.re[j * rho.dim + i]!)).toBeLessThan(1e-12);
        expect(Math.abs(rho.im[i * rho.dim + j]! + rho.im[j * rho.dim + i]!)).toBeLessThan(1e-12);
      }
    }), { seed: SEED, numRuns: RUNS });
  });

  it('noisy gradients equal central finite differences', () => {
    const arb = noisyArb(3, 14).filter((c) => c.numParameters > 0).chain((c) =>
      fc.tuple(fc.constant(c), paramsArb(c.numParameters), observableArb(c.numQubits)));
    fc.assert(fc.property(arb, ([c, params, obs]) => {
      const { value, gradient } = densityExpectationAndGradient(c, params, obs);
      expect(Math.abs(value - densityExpectation(c, params, obs))).toBeLessThan(1e-12);
      const h = 1e-5;
      for (let k = 0; k < c.numParameters; k++) {
        const p = Float64Array.from(params), m = Float64Array.from(params);
        p[k]! += h; m[k]! -= h;
        const fd = (densityExpectation(c, p, obs) - densityExpectation(c, m, obs)) / (2 * h);
        expect(Math.abs(gradient[k]! - fd)).toBeLessThan(1e-7);
      }
    }), { seed: SEED, numRuns: RUNS });
  });

  it('gives the same gradient when the memory limit forces recomputation from checkpoints', () => {
    const n = 3;
    const gates: (Gate | NoiseChannel)[] = [];
    for (let l = 0; l < 6; l++) {
      for (let q = 0; q < n; q++) {
        gates.push({ kind: 'rotation', pauli: { qubits: [q], letters: ['Y'] }, angle: { constant: 0.1 * q, terms: [{ param: l * n + q, coeff: 1 }] } });
        gates.push(makeChannel('amplitude_damp', [q], [0.05]));
      }
      for (let q = 0; q + 1 < n; q++) { gates.push({ kind: 'clifford', name: 'cx', qubits: [q, q + 1] }); gates.push(makeChannel('depolarize2', [q, q + 1], [0.02])); }
    }
    const c: NoisyCircuit = { ...circuitOf(n, 6 * n, []), gates };
    const params = Float64Array.from({ length: 6 * n }, (_, k) => Math.sin(k + 1));
    const obs = { name: 'O', terms: [{ coeff: 1, pauli: { qubits: [0, 2], letters: ['Z', 'Z'] as const } }, { coeff: 0.5, pauli: { qubits: [1], letters: ['X'] as const } }] };
    const free = densityExpectationAndGradient(c, params, obs as never);
    // Room for only three stored matrices: per-rotation recomputation from checkpoints.
    const tight = densityExpectationAndGradient(c, params, obs as never, { maxStoredMatrices: 3 });
    expect(tight.recomputedOps).toBeGreaterThan(free.recomputedOps);
    for (let k = 0; k < 6 * n; k++) expect(Math.abs(tight.gradient[k]! - free.gradient[k]!)).toBeLessThan(1e-13);
    expect(tight.value).toBe(free.value);
    // and a memory limit too small for ρ, M and two more is a clean error, before any work
    setMemoryLimit(process.memoryUsage.rss() + 100e6);
    const big: NoisyCircuit = { ...circuitOf(12, 0, []), gates: [makeChannel('dephase', [0], [0.1])] };
    expect(() => densityExpectationAndGradient(big, new Float64Array(0), obs as never)).toThrow(/memory limit/);
  });

  it('batches equal single evaluations, and full depolarizing noise erases every Pauli expectation', () => {
    const c: NoisyCircuit = { ...circuitOf(2, 1, []), gates: [
      { kind: 'rotation', pauli: { qubits: [0], letters: ['X'] }, angle: { constant: 0, terms: [{ param: 0, coeff: 1 }] } },
      { kind: 'clifford', name: 'cx', qubits: [0, 1] },
      makeChannel('depolarize', [1], [0.3]),
    ] };
    const obs = { name: 'O', terms: [{ coeff: 1, pauli: { qubits: [0, 1], letters: ['Z', 'Z'] as const } }] } as never;
    const pts = [Float64Array.of(0.3), Float64Array.of(-1.1), Float64Array.of(2)];
    const batch = densityExpectationBatch(c, pts, obs);
    pts.forEach((p, i) => expect(batch[i]).toBeCloseTo(densityExpectation(c, p, obs), 14));
    // ⟨Z0 Z1⟩ after CX on RX(θ)|00⟩ is 1 noiselessly; depolarizing Z1 by p scales it by 1 − p.
    expect(batch[0]).toBeCloseTo(0.7, 14);
    const full: NoisyCircuit = { ...c, gates: [...c.gates, makeChannel('depolarize', [0], [1])] };
    expect(Math.abs(densityExpectation(full, pts[1]!, obs))).toBeLessThan(1e-15);
    expect(expectation(circuitOf(2, 1, c.gates.slice(0, 2) as Gate[]), pts[0]!, obs)).toBeCloseTo(1, 14);
  });

  it('refuses registers beyond its cap before allocating', () => {
    const c: NoisyCircuit = { ...circuitOf(14, 0, []), gates: [makeChannel('dephase', [0], [0.1])] };
    expect(() => densityExpectation(c, new Float64Array(0), { name: 'O', terms: [] })).toThrow(/density matrix of 14 qubits needs 4\.29 GB.*limit is 13 qubits/);
  });
});
