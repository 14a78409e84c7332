import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parameterExpr } from '../../src/ir/affine.js';
import { CircuitAssembler } from '../../src/ir/circuit.js';
import { UserError } from '../../src/ir/errors.js';
import { cliffordGate, rotationGate } from '../../src/ir/gate-library.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { createRng } from '../../src/random/rng.js';
import { expectation } from '../../src/simulators/statevector/index.js';
import { buildPathSurrogate } from '../../src/surrogate/paths-build.js';
import { naiveOverlap, naivePropagate } from '../propagation/naive.js';
import { gaussianPoint, surrogateCaseArb } from './cases.js';

const SEED = Number(process.env.NC_SEED ?? 9090);

describe('Pauli-path surrogate', () => {
  it('equals the reference semantics (apply, merge with minimum counter, truncate) at any point', () => {
    // Centered at zero with no constant offsets, every rotation is symbolic and the reference's
    // sin counter counts exactly the same branches; the naive propagator evaluates numerically.
    fc.assert(
      fc.property(
        surrogateCaseArb({ maxQubits: 5, maxGates: 16, maxParams: 4, cliffordCenters: false }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer(),
        (cse, S, seed) => {
          const c = {
            ...cse.circuit,
            gates: cse.circuit.gates.map((g) => (g.kind === 'rotation' ? { ...g, angle: { ...g.angle, constant: 0 } } : g)),
          };
          const s = buildPathSurrogate(c, cse.observable, { maxSins: S, initialState: cse.state });
          const rng = createRng(seed);
          for (let i = 0; i < 2; i++) {
            const x = gaussianPoint(cse.center, 0.7, rng.normal);
            const ref = naiveOverlap(naivePropagate(c, x, cse.observable, { maxSins: S, minAbs: 0 }).terms, cse.state);
            expect(s.value(x)).toBeCloseTo(ref, 11);
          }
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('is exact without truncation and within its bound with it, around any Clifford center', () => {
    fc.assert(
      fc.property(surrogateCaseArb({ maxQubits: 5, maxGates: 14, maxParams: 4, nonClifford: true }), fc.integer(), (cse, seed) => {
        const { circuit: c, observable, center, state } = cse;
        const rng = createRng(seed);
        const full = buildPathSurrogate(c, observable, { maxSins: 1000, center, initialState: state });
        for (const S of [0, 1, 2]) {
          const s = buildPathSurrogate(c, observable, { maxSins: S, center, initialState: state });
          const x = gaussianPoint(center, 0.2, rng.normal);
          const exact = expectation(c, x, observable, { initialState: state });
          expect(Math.abs(s.value(x) - exact)).toBeLessThanOrEqual(s.bound(x) + 1e-12);
          expect(full.value(x)).toBeCloseTo(exact, 12);
          expect(full.bound(x)).toBe(0);
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('gradient equals central differences of its own values', () => {
    fc.assert(
      fc.property(surrogateCaseArb({ maxQubits: 4, maxGates: 12, maxParams: 3, nonClifford: true }), fc.integer(), (cse, seed) => {
        const { circuit: c, observable, center, state } = cse;
        const s = buildPathSurrogate(c, observable, { maxSins: 2, center, initialState: state });
        const x = gaussianPoint(center, 0.4, createRng(seed).normal);
        const g = s.gradient(x);
        const h = 1e-5;
        for (let k = 0; k < c.numParameters; k++) {
          const xp = x.slice(); xp[k]! += h;
          const xm = x.slice(); xm[k]! -= h;
          expect(g[k]).toBeCloseTo((s.value(xp) - s.value(xm)) / (2 * h), 6);
        }
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('counts path monomials and rejects a bad S', () => {
    const b = new CircuitAssembler();
    b.setQubits(2);
    b.declareParameter('t', 3);
    b.addGates([
      rotationGate('X', [0], parameterExpr(0)), cliffordGate('cx', [0, 1]),
      rotationGate('X', [1], parameterExpr(1)), rotationGate('Y', [0], parameterExpr(2)),
    ]);
    const c = b.build();
    const z = parseObservableText('Z0 Z1', { numQubits: 2 });
    // Backwards: ry(t2) and rx(t1) each branch Z0 Z1; CX maps Z0 Z1 to Z1, which rx(t0) on qubit 0
    // leaves alone. Without sins, one path: cos t1·cos t2.
    const s = buildPathSurrogate(c, z, { maxSins: 0 });
    expect(s.size().monomials).toBe(1);
    expect(s.value([0.1, 0.2, 0.3])).toBeCloseTo(Math.cos(0.2) * Math.cos(0.3), 15);
    expect(() => buildPathSurrogate(c, z, { maxSins: -1 })).toThrow(UserError);
  });
});
