import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ResourceLimitError, UserError } from '../../src/ir/errors.js';
import type { Circuit, Gate, Observable } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import { makeChannel } from '../../src/noise/channels.js';
import type { PropagationOptions } from '../../src/propagation/options.js';
import { propagate, runPropagation, type EngineChoice } from '../../src/propagation/propagate.js';
import { liveShardWorkers } from '../../src/propagation/threaded.js';
import { angleArb, circuitOf, pauliArb, paramsArb, qubitsArb } from '../helpers/random-circuits.js';
import { naivePropagate, stringOf } from './naive.js';
import { tfiBrickCircuit } from './circuits.js';

/**
 * Threaded propagation (src/propagation/threaded.ts, shards.ts): random circuits on 20, 40, 70
 * and 130 qubits give the same term set and the same coefficients (to 1e−12; in fact bit for bit)
 * on 1 and 2 threads and on every store, and both equal the independent reference
 * (test/propagation/naive.ts). Runs move to threads after the first gate (threadsFrom 0) with
 * blocks of 2–3 qubits, so terms change shards many times per circuit; circuits are long enough
 * (16–60 gates) that a broken ownership rule (hashing the whole string) fails every width. Needs the built worker
 * (dist/propagation-worker.js: `npm test` builds first).
 */
const SEED = Number(process.env.NC_SEED ?? 2468);
const RUNS = Number(process.env.NC_PROPERTY_RUNS ?? 12);

/** Gates on a window of 10 qubits anywhere in the register, rotations and Cliffords, a channel now and then. */
const caseArb = (n: number) =>
  fc.integer({ min: 0, max: n - 10 }).chain((base) => {
    const shift = (qs: readonly number[]) => qs.map((q) => q + base);
    const gate = fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...CLIFFORD_GATE_NAMES).chain((name) =>
        qubitsArb(10, CLIFFORD_ARITY[name], CLIFFORD_ARITY[name]).map((qubits): Gate => ({ kind: 'clifford', name, qubits: shift(qubits) })),
      ) },
      { weight: 5, arbitrary: fc.tuple(pauliArb(10, 1, 3), angleArb(3)).map(([p, angle]): Gate => ({ kind: 'rotation', pauli: { ...p, qubits: shift(p.qubits) }, angle })) },
      { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom('depolarize', 'amplitude_damp', 'dephase'), fc.double({ min: 0.01, max: 0.3, noNaN: true }))
        .map(([q, name, p]): Gate => makeChannel(name, [q + base], [p])) },
    );
    const observable = fc.array(fc.tuple(pauliArb(10, 1, 3), fc.constantFrom(1, -0.5, 0.25)), { minLength: 1, maxLength: 3 }).map(
      (ts): Observable => ({ name: 'O', terms: ts.map(([p, coeff]) => ({ coeff, pauli: { ...p, qubits: shift(p.qubits) } })) }),
    );
    const truncation = fc.record(
      { maxWeight: fc.integer({ min: 2, max: 7 }), minAbs: fc.constantFrom(0, 1e-10, 1e-3), maxSins: fc.integer({ min: 1, max: 5 }) },
      { requiredKeys: [] },
    );
    return fc.record({ gates: fc.array(gate, { minLength: 16, maxLength: 60 }), observable, truncation, params: paramsArb(3), blockQubits: fc.integer({ min: 2, max: 3 }) });
  });

function termsOf(c: Circuit, params: ArrayLike<number>, obs: Observable, options: PropagationOptions, store: EngineChoice) {
  const { engine, stats } = runPropagation(c, params, obs, options, store);
  try {
    const out = new Map<string, number>();
    for (const t of engine.toPauliSum().toObservable().terms) out.set(stringOf(c.numQubits, t.pauli.qubits, t.pauli.letters), t.coeff);
    return { out, stats, value: engine.overlap({ kind: 'zero' }) };
  } finally {
    engine.close();
  }
}

afterEach(async () => {
  // Terminated workers exit asynchronously: give them a moment, then none may be left.
  for (let i = 0; i < 50 && liveShardWorkers() > 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(liveShardWorkers()).toBe(0);
});

describe.each([20, 40, 70, 130])('threads on %i qubits', (n) => {
  const stores: EngineChoice[] = n <= 32 ? ['narrow', 'wide'] : ['wide'];
  it(`1 and 2 threads (${stores.join(', ')}): the reference's terms and coefficients, the same statistics`, () => {
    fc.assert(
      fc.property(caseArb(n), (x) => {
        const c = circuitOf(n, 3, x.gates);
        const ref = naivePropagate(c, x.params, x.observable, x.truncation);
        for (const store of stores) {
          const one = termsOf(c, x.params, x.observable, { ...x.truncation, threads: 1 }, store);
          const two = termsOf(c, x.params, x.observable, { ...x.truncation, threads: 2, threadsFrom: 0, threadBlockQubits: x.blockQubits }, store);
          expect(two.out.size).toBe(one.out.size);
          let refLive = 0;
          for (const [s, t] of ref.terms) {
            if (t.c === 0) continue;
            refLive++;
            expect(Math.abs(one.out.get(s)! - t.c), s).toBeLessThanOrEqual(1e-12);
          }
          expect(one.out.size).toBeGreaterThanOrEqual(refLive);
          for (const [s, v] of one.out) {
            expect(two.out.has(s), s).toBe(true);
            expect(Math.abs(two.out.get(s)! - v)).toBeLessThanOrEqual(1e-12);
          }
          expect(Math.abs(two.value - one.value)).toBeLessThanOrEqual(1e-12);
          const { seconds: _a, droppedWeight: w1, ...s1 } = one.stats;
          const { seconds: _b, droppedWeight: w2, ...s2 } = two.stats;
          expect(s2).toEqual(s1);
          expect(Math.abs(w2 - w1)).toBeLessThanOrEqual(1e-9 * Math.max(1, w1));
        }
      }),
      { seed: SEED + n, numRuns: RUNS },
    );
  });
});

describe('threaded runs at scale and their failures', () => {
  const obs: Observable = { name: 'Z8', terms: [{ coeff: 1, pauli: { qubits: [8], letters: ['Z'] } }] };
  const c = tfiBrickCircuit(16, 10);
  const params = new Float64Array(c.numParameters).fill(0.3);

  it('a TFI propagation moving to 2 and 3 threads at 4096 terms equals the one-thread run', () => {
    const one = propagate(c, params, obs, { maxWeight: 8, minAbs: 1e-7, threads: 1 });
    expect(one.terms).toBeGreaterThan(8192);
    for (const threads of [2, 3]) {
      const r = propagate(c, params, obs, { maxWeight: 8, minAbs: 1e-7, threads, threadsFrom: 4096 });
      expect(r.terms).toBe(one.terms);
      expect(r.peakTerms).toBe(one.peakTerms);
      expect(r.termUpdates).toBe(one.termUpdates);
      expect(Math.abs(r.value - one.value)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('the term budget exceeded on threads is one clean error naming the gate', () => {
    expect(() => propagate(c, params, obs, { maxWeight: 8, minAbs: 1e-7, threads: 2, threadsFrom: 1000, maxTerms: 6000 })).toThrowError(
      new RegExp('term budget of 6000 exceeded at gate \\d+ of \\d+ \\(.*\\) with \\d+ live terms'),
    );
    try {
      propagate(c, params, obs, { maxWeight: 8, minAbs: 1e-7, threads: 2, threadsFrom: 1000, maxTerms: 6000 });
    } catch (e) {
      expect(e).toBeInstanceOf(ResourceLimitError);
    }
  });

  it('a thread that fails mid-run is one error; every worker is terminated', () => {
    process.env.NC_TEST_THREAD_FAIL_GATE = '20';
    try {
      expect(() => propagate(c, params, obs, { maxWeight: 8, minAbs: 1e-7, threads: 2, threadsFrom: 0 })).toThrowError(
        /propagation thread 2 of 2 failed at gate 21: injected failure at gate 20/,
      );
    } finally {
      delete process.env.NC_TEST_THREAD_FAIL_GATE;
    }
  });

  it('bad thread counts are user errors', () => {
    for (const threads of [0, 1.5, 65, Number.NaN]) {
      expect(() => propagate(c, params, obs, { threads })).toThrowError(UserError);
    }
  });
});
