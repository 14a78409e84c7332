import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freezeCircuit, cliffordPointGradient } from '../../src/clifford-point/frozen.js';
import type { InitialState } from '../../src/ir/states.js';
import { cliffordExpectation } from '../../src/clifford-point/heisenberg.js';
import { createRng } from '../../src/random/rng.js';
import { expectationAndGradient } from '../../src/simulators/statevector/index.js';
import { randomCase } from '../encoder/random-circuit.js';

/** Exact value and gradient at Clifford points against the state vector and the propagation engine. */
const SEED = Number(process.env.NC_SEED ?? 31337);

describe('cliffordPointGradient', () => {
  it('matches the adjoint state-vector gradient at random Clifford points (n ≤ 7)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom('zero', 'plus', 'basis'), (seed, kind) => {
      const rng = createRng(seed);
      const n = 1 + rng.int(7);
      const c = randomCase(rng, n, 1 + rng.int(30), 1 + rng.int(3));
      const state: InitialState = kind === 'basis' ? { kind, bits: Array.from({ length: n }, () => rng.int(2) as 0 | 1) } : { kind: kind as 'zero' | 'plus' };
      const frame = freezeCircuit(c.circuit.gates, n, c.center);
      const g = cliffordPointGradient(frame, c.circuit.numParameters, c.observable.terms, state);
      const sv = expectationAndGradient(c.circuit, c.center, c.observable, { initialState: state });
      expect(g.value).toBeCloseTo(sv.value, 10);
      sv.gradient.forEach((d, k) => expect(g.gradient[k]).toBeCloseTo(d, 10));
    }), { seed: SEED, numRuns: 200 });
  });

  it('matches Clifford propagation with parameter shifts on 100+ qubits', () => {
    const rng = createRng(SEED);
    for (let i = 0; i < 5; i++) {
      const n = 100 + rng.int(60);
      const c = randomCase(rng, n, 150, 2);
      const g = cliffordPointGradient(freezeCircuit(c.circuit.gates, n, c.center), c.circuit.numParameters, c.observable.terms);
      expect(g.value).toBeCloseTo(cliffordExpectation(c.circuit, c.center, c.observable), 10);
      for (let t = 0; t < 4; t++) {
        const k = rng.int(c.circuit.numParameters);
        const gate = c.circuit.gates.find((x) => x.kind === 'rotation' && x.angle.terms.some((q) => q.param === k))!;
        const slope = gate.kind === 'rotation' ? gate.angle.terms[0]!.coeff : 1;
        const p = Float64Array.from(c.center);
        p[k] = c.center[k]! + Math.PI / (2 * slope);
        const plus = cliffordExpectation(c.circuit, p, c.observable);
        p[k] = c.center[k]! - Math.PI / (2 * slope);
        const minus = cliffordExpectation(c.circuit, p, c.observable);
        expect(g.gradient[k]).toBeCloseTo((slope * (plus - minus)) / 2, 10);
      }
    }
  });

});
