import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Circuit, Gate, Observable } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import type { Truncation } from '../../src/propagation/options.js';
import { runPropagation, type EngineChoice } from '../../src/propagation/propagate.js';
import { angleArb, circuitOf, pauliArb, paramsArb, qubitsArb } from '../helpers/random-circuits.js';
import { naivePropagate, stringOf } from './naive.js';

/**
 * Every term store on registers of 20, 40, 70 and 130 qubits (one word per plane, and 2, 3, 5
 * words: word boundaries, the top bits, partial last words): random circuits give the same term
 * set as the independent reference (test/propagation/naive.ts) and as each other, coefficients
 * to 1e−12, under random truncations. Thread counts: threads.test.ts.
 */
const SEED = Number(process.env.NC_SEED ?? 1357);
const RUNS = Number(process.env.NC_PROPERTY_RUNS ?? 25);

/** Gates on a random window of 8 qubits placed anywhere in the register, so supports straddle words. */
const localCircuitArb = (n: number) =>
  fc.integer({ min: 0, max: n - 8 }).chain((base) => {
    const shift = (qs: readonly number[]) => qs.map((q) => q + base);
    const gate = fc.oneof(
      fc.constantFrom(...CLIFFORD_GATE_NAMES).chain((name) =>
        qubitsArb(8, CLIFFORD_ARITY[name], CLIFFORD_ARITY[name]).map((qubits): Gate => ({ kind: 'clifford', name, qubits: shift(qubits) })),
      ),
      fc.tuple(pauliArb(8, 1, 3), angleArb(3)).map(([p, angle]): Gate => ({ kind: 'rotation', pauli: { ...p, qubits: shift(p.qubits) }, angle })),
    );
    const obs = fc.array(fc.tuple(pauliArb(8, 1, 3), fc.constantFrom(1, -0.5, 0.25)), { minLength: 1, maxLength: 3 }).map(
      (ts): Observable => ({ name: 'O', terms: ts.map(([p, coeff]) => ({ coeff, pauli: { ...p, qubits: shift(p.qubits) } })) }),
    );
    return fc.record({ gates: fc.array(gate, { minLength: 1, maxLength: 14 }), observable: obs });
  });

const truncArb = fc.record(
  {
    maxWeight: fc.integer({ min: 1, max: 6 }),
    minAbs: fc.constantFrom(0, 1e-10, 1e-3, 0.05),
    maxSins: fc.integer({ min: 0, max: 4 }),
    maxFreq: fc.integer({ min: 0, max: 8 }),
  },
  { requiredKeys: [] },
);

function terms(c: Circuit, params: ArrayLike<number>, obs: Observable, tr: Truncation, store: EngineChoice) {
  const { engine } = runPropagation(c, params, obs, tr, store);
  const out = new Map<string, number>();
  for (const t of engine.toPauliSum().toObservable().terms) out.set(stringOf(c.numQubits, t.pauli.qubits, t.pauli.letters), t.coeff);
  return { out, size: engine.size };
}

describe.each([20, 40, 70, 130])('term stores on %i qubits', (n) => {
  const stores: EngineChoice[] = n <= 32 ? ['narrow', 'wide'] : ['wide'];
  it(`${stores.join(' and ')}: the reference's term set and coefficients`, () => {
    fc.assert(
      fc.property(
        localCircuitArb(n).chain((x) => fc.record({ x: fc.constant(x), params: paramsArb(3), tr: truncArb })),
        ({ x, params, tr }) => {
          const c = circuitOf(n, 3, x.gates);
          const ref = naivePropagate(c, params, x.observable, tr);
          const results = stores.map((s) => terms(c, params, x.observable, tr, s));
          for (const got of results) {
            expect(got.size).toBe(ref.terms.size);
            for (const [s, t] of ref.terms) {
              if (t.c === 0) continue;
              const v = got.out.get(s);
              expect(v, s).toBeDefined();
              expect(Math.abs(v! - t.c)).toBeLessThanOrEqual(1e-12);
            }
          }
          if (results.length === 2) expect([...results[0]!.out.keys()].sort()).toEqual([...results[1]!.out.keys()].sort());
        },
      ),
      { seed: SEED + n, numRuns: RUNS },
    );
  });
});
