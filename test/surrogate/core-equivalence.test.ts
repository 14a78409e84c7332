import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InitialState } from '../../src/ir/states.js';
import type { Circuit, Observable, SparsePauli } from '../../src/ir/types.js';
import { createRng } from '../../src/random/rng.js';
import { buildPathSurrogate } from '../../src/surrogate/paths-build.js';
import { buildTaylorSurrogate } from '../../src/surrogate/taylor-build.js';
import { gaussianPoint, surrogateCaseArb, type SurrogateCase } from './cases.js';
import { buildPathSurrogate as legacyPaths } from './legacy/paths-build.js';
import { buildTaylorSurrogate as legacyTaylor } from './legacy/taylor-build.js';

/**
 * The Taylor and path surrogates now run on the propagation core; the builds they replaced
 * (frozen copies in ./legacy) must give the same coefficients (to 1e−12) and the same path
 * surrogate values, on registers that fit the narrow store and on wide ones (the case moved to
 * qubits straddling word boundaries of a 70-qubit register).
 */
const SEED = Number(process.env.NC_SEED ?? 4242);
const RUNS = Number(process.env.NC_PROPERTY_RUNS ?? 40);

function shiftPauli(p: SparsePauli, off: number): SparsePauli {
  return { ...p, qubits: p.qubits.map((q) => q + off) };
}

/** The same case on `n` qubits, qubit q moved to q + off. */
function widen(cse: SurrogateCase, n: number, off: number): SurrogateCase {
  const c = cse.circuit;
  const circuit: Circuit = {
    ...c,
    numQubits: n,
    gates: c.gates.map((g) => (g.kind !== 'rotation' ? { ...g, qubits: g.qubits.map((q) => q + off) } : { ...g, pauli: shiftPauli(g.pauli, off) })),
  };
  const observable: Observable = { ...cse.observable, terms: cse.observable.terms.map((t) => ({ ...t, pauli: shiftPauli(t.pauli, off) })) };
  let state: InitialState = cse.state;
  if (state.kind === 'basis') {
    const bits = new Array<0 | 1>(n).fill(0);
    state.bits.forEach((b, q) => (bits[q + off] = b));
    state = { kind: 'basis', bits };
  }
  return { ...cse, circuit, observable, state };
}

function coefficientMap(s: ReturnType<typeof buildTaylorSurrogate>): Map<string, number> {
  return new Map(s.coefficients().map((c) => [c.monomial, c.value]));
}

describe.each([
  ['narrow', (c: SurrogateCase) => c],
  ['wide', (c: SurrogateCase) => widen(c, 70, 29)],
] as const)('surrogates on the core equal the previous builds (%s store)', (_name, place) => {
  const arb = surrogateCaseArb({ maxQubits: 5, maxGates: 14, maxParams: 4, nonClifford: true });

  it('Taylor: same coefficients at orders 0…4', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 4 }), (raw, order) => {
        const cse = place(raw);
        const opts = { order, center: cse.center, initialState: cse.state };
        const a = coefficientMap(buildTaylorSurrogate(cse.circuit, cse.observable, opts));
        const b = coefficientMap(legacyTaylor(cse.circuit, cse.observable, opts));
        for (const [k, v] of b) expect(Math.abs((a.get(k) ?? 0) - v), k).toBeLessThanOrEqual(1e-12);
        for (const [k, v] of a) expect(Math.abs((b.get(k) ?? 0) - v), k).toBeLessThanOrEqual(1e-12);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('paths: same values at random points for max sins 0…3', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 3 }), fc.integer(), (raw, S, seed) => {
        const cse = place(raw);
        const opts = { maxSins: S, center: cse.center, initialState: cse.state };
        const a = buildPathSurrogate(cse.circuit, cse.observable, opts);
        const b = legacyPaths(cse.circuit, cse.observable, opts);
        const rng = createRng(seed);
        for (let i = 0; i < 3; i++) {
          const x = gaussianPoint(cse.center, 0.5, rng.normal);
          expect(Math.abs(a.value(x) - b.value(x))).toBeLessThanOrEqual(1e-12);
        }
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });
});
