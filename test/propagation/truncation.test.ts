import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantExpr } from '../../src/ir/affine.js';
import { rotationGate } from '../../src/ir/gate-library.js';
import type { Circuit, Observable } from '../../src/ir/types.js';
import type { Truncation } from '../../src/propagation/options.js';
import { runPropagation } from '../../src/propagation/propagate.js';
import { circuitArb, circuitOf, initialStateArb, observableArb, paramsArb } from '../helpers/random-circuits.js';
import { tfiBrickCircuit } from './circuits.js';
import { naiveOverlap, naivePropagate, stringOf } from './naive.js';

/**
 * Truncation semantics against the deliberately simple Map-based reference of naive.ts, which
 * does literally what PauliPropagation.jl does per gate (apply all, merge, truncate all): the
 * engines must keep exactly the same strings with the same coefficients.
 */
const SEED = Number(process.env.NC_SEED ?? 27182);

type EngineName = 'auto' | 'narrow' | 'wide';

function engineTerms(c: Circuit, params: ArrayLike<number>, obs: Observable, tr: Truncation, engine: EngineName) {
  const { engine: e, stats } = runPropagation(c, params, obs, tr, engine);
  const terms = new Map<string, number>();
  for (const t of e.toPauliSum().toObservable().terms) {
    terms.set(stringOf(c.numQubits, t.pauli.qubits, t.pauli.letters), t.coeff);
  }
  // toObservable skips exact zeros; count them back from the engine size.
  return { terms, size: e.size, stats, engine: e };
}

function expectSameSums(c: Circuit, params: ArrayLike<number>, obs: Observable, tr: Truncation, engine: EngineName) {
  const got = engineTerms(c, params, obs, tr, engine);
  const ref = naivePropagate(c, params, obs, tr);
  expect(got.size).toBe(ref.terms.size);
  for (const [s, t] of ref.terms) {
    if (t.c === 0) continue;
    const c2 = got.terms.get(s);
    expect(c2, `string ${s}`).toBeDefined();
    expect(Math.abs(c2! - t.c)).toBeLessThanOrEqual(1e-12);
  }
  expect(got.stats.droppedWeight).toBeCloseTo(ref.droppedWeight, 9);
  return { got, ref };
}

const truncationArb = (n: number): fc.Arbitrary<Truncation> =>
  fc.record(
    {
      maxWeight: fc.integer({ min: 0, max: n }),
      minAbs: fc.constantFrom(0, 1e-10, 1e-3, 1e-2, 0.05, 0.2),
      maxSins: fc.integer({ min: 0, max: 4 }),
      maxFreq: fc.integer({ min: 0, max: 6 }),
    },
    { requiredKeys: [] },
  );

describe.each(['narrow', 'wide'] as const)('truncations match the reference semantics (%s engine)', (engine) => {
  const arb = circuitArb({ maxQubits: 7, maxGates: 16 }).chain((circuit) =>
    fc.record({
      circuit: fc.constant(circuit),
      params: paramsArb(circuit.numParameters),
      observable: observableArb(circuit.numQubits, 5),
      tr: truncationArb(circuit.numQubits),
      state: initialStateArb(circuit.numQubits),
    }),
  );

  it('random circuits and any combination of truncations: same strings, same coefficients', () => {
    fc.assert(
      fc.property(arb, ({ circuit, params, observable, tr, state }) => {
        const { got, ref } = expectSameSums(circuit, params, observable, tr, engine);
        expect(got.engine.overlap(state)).toBeCloseTo(naiveOverlap(ref.terms, state), 12);
      }),
      { seed: SEED, numRuns: 250 },
    );
  });

  it('deep circuits on few qubits (many merges of paths with different histories)', () => {
    const deep = circuitArb({ minQubits: 1, maxQubits: 3, maxGates: 80 }).chain((circuit) =>
      fc.record({
        circuit: fc.constant(circuit),
        params: paramsArb(circuit.numParameters),
        observable: observableArb(circuit.numQubits, 6),
        tr: fc.record(
          {
            maxSins: fc.integer({ min: 0, max: 6 }),
            maxFreq: fc.integer({ min: 2, max: 30 }),
            minAbs: fc.constantFrom(0, 1e-3, 1e-2, 0.1),
          },
          { requiredKeys: [] },
        ),
      }),
    );
    fc.assert(
      fc.property(deep, ({ circuit, params, observable, tr }) => {
        expectSameSums(circuit, params, observable, tr, engine);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  const alone: [string, Truncation][] = [
    ['maxWeight alone', { maxWeight: 3, minAbs: 0 }],
    ['minAbs alone', { minAbs: 2e-3 }],
    ['maxSins alone', { maxSins: 2, minAbs: 0 }],
    ['maxFreq alone', { maxFreq: 5, minAbs: 0 }],
    ['all combined', { maxWeight: 4, minAbs: 1e-4, maxSins: 3, maxFreq: 7 }],
  ];
  it.each(alone)('%s on a TFI Trotter circuit', (_name, tr) => {
    const c = tfiBrickCircuit(6, 3);
    const params = Float64Array.from({ length: c.numParameters }, (_, i) => 0.2 + 0.05 * Math.sin(i));
    const obs: Observable = {
      name: 'O',
      terms: [
        { coeff: 1, pauli: { qubits: [2], letters: ['Z'] } },
        { coeff: 0.5, pauli: { qubits: [0, 1], letters: ['X', 'X'] } },
      ],
    };
    const { ref } = expectSameSums(c, params, obs, tr, engine);
    expect(ref.terms.size).toBeGreaterThan(1); // the case is not degenerate
  });

  // The narrow (one-word) store holds at most 32 qubits.
  it.each(engine === 'narrow' ? [32] : [32, 40])('a %i-qubit periodic TFI circuit (top bits, the closing bond)', (n) => {
    const c = tfiBrickCircuit(n, 3);
    const params = Float64Array.from({ length: c.numParameters }, (_, i) => 0.3 + 0.01 * (i % 7));
    const obs: Observable = {
      name: 'O',
      terms: [
        { coeff: 1, pauli: { qubits: [n - 1], letters: ['Z'] } },
        { coeff: 0.5, pauli: { qubits: [0, 31], letters: ['Y', 'X'] } },
      ],
    };
    const { ref } = expectSameSums(c, params, obs, { maxWeight: 5, minAbs: 1e-4, maxFreq: 9 }, engine);
    expect(ref.terms.size).toBeGreaterThan(20);
  });

  it('merges before truncating: pieces below min_abs that add up above it survive, cancelling pieces go', () => {
    // RX(π/4) on a·Z + a·Y: Z ← a cos − a sin = 0, Y ← a cos + a sin ≈ 1.41a; each piece ≈ 0.71a.
    const a = 1.2e-3;
    const c = circuitOf(1, 0, [rotationGate('X', [0], constantExpr(Math.PI / 4))]);
    const obs: Observable = {
      name: 'O',
      terms: [
        { coeff: a, pauli: { qubits: [0], letters: ['Z'] } },
        { coeff: a, pauli: { qubits: [0], letters: ['Y'] } },
      ],
    };
    const { got } = expectSameSums(c, [], obs, { minAbs: 1e-3 }, engine);
    expect([...got.terms.keys()]).toEqual(['Y']);
    expect(got.terms.get('Y')).toBeCloseTo(a * Math.SQRT2, 15);
  });

  it('merged terms keep the minimum of each path counter', () => {
    const gate = rotationGate('X', [0], constantExpr(0.3));
    // Z alone: its sin branch Y has one sin → dropped by maxSins 0.
    const single: Observable = { name: 'O', terms: [{ coeff: 1, pauli: { qubits: [0], letters: ['Z'] } }] };
    const one = expectSameSums(circuitOf(1, 0, [gate]), [], single, { maxSins: 0, minAbs: 0 }, engine);
    expect([...one.got.terms.keys()]).toEqual(['Z']);
    // Z + Y: each string merges its cos branch (0 sins) with the other's sin branch (1 sin): min 0.
    const pair: Observable = {
      name: 'O',
      terms: [
        { coeff: 1, pauli: { qubits: [0], letters: ['Z'] } },
        { coeff: 0.5, pauli: { qubits: [0], letters: ['Y'] } },
      ],
    };
    const two = expectSameSums(circuitOf(1, 0, [gate]), [], pair, { maxSins: 0, minAbs: 0 }, engine);
    expect([...two.got.terms.keys()].sort()).toEqual(['Y', 'Z']);
    // max_freq counts cos branches too: one rotation → freq 1 on both strings.
    const f0 = expectSameSums(circuitOf(1, 0, [gate]), [], pair, { maxFreq: 0, minAbs: 0 }, engine);
    expect(f0.got.size).toBe(0);
  });

  it('truncates the input observable at the first gate, even where the gate does not act', () => {
    const c = circuitOf(3, 0, [rotationGate('X', [0], constantExpr(0.3))]);
    const obs: Observable = {
      name: 'O',
      terms: [
        { coeff: 1, pauli: { qubits: [0, 1, 2], letters: ['Z', 'Z', 'Z'] } },
        { coeff: 1e-12, pauli: { qubits: [2], letters: ['X'] } },
        { coeff: 1, pauli: { qubits: [1], letters: ['X'] } },
      ],
    };
    const { got } = expectSameSums(c, [], obs, { maxWeight: 2 }, engine);
    expect([...got.terms.keys()]).toEqual(['IXI']);
  });
});

describe('default min_abs_coeff', () => {
  it('is 1e-10, as in the reference package', () => {
    const c = circuitOf(1, 0, [rotationGate('X', [0], constantExpr(1e-11))]);
    const obs: Observable = { name: 'O', terms: [{ coeff: 1, pauli: { qubits: [0], letters: ['Z'] } }] };
    const { got } = expectSameSums(c, [], obs, {}, 'auto');
    expect([...got.terms.keys()]).toEqual(['Z']); // the sin branch 1e-11 < 1e-10 went
    expect(got.stats.droppedWeight).toBeCloseTo(Math.sin(1e-11), 20);
  });
});
