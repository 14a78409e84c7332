import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantExpr, parameterExpr, addExpr } from '../../src/ir/affine.js';
import { CircuitAssembler } from '../../src/ir/circuit.js';
import { ResourceLimitError, UserError } from '../../src/ir/errors.js';
import { cliffordGate, rotationGate } from '../../src/ir/gate-library.js';
import type { Circuit, Gate } from '../../src/ir/types.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { createRng } from '../../src/random/rng.js';
import { expectation, expectationAndGradient } from '../../src/simulators/statevector/index.js';
import { buildTaylorSurrogate } from '../../src/surrogate/taylor-build.js';
import { gaussianPoint, surrogateCaseArb } from './cases.js';

const SEED = Number(process.env.NC_SEED ?? 4242);

function circuit(n: number, params: [string, number | null][], gates: Gate[]): Circuit {
  const b = new CircuitAssembler();
  b.setQubits(n);
  for (const [name, len] of params) b.declareParameter(name, len);
  b.addGates(gates);
  return b.build();
}

const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));

describe('Taylor surrogate: closed forms', () => {
  it('ry(a) on |0⟩ with Z: T_m is the Maclaurin polynomial of cos a', () => {
    const c = circuit(1, [['a', null]], [rotationGate('Y', [0], parameterExpr(0))]);
    const s = buildTaylorSurrogate(c, parseObservableText('Z0'), { order: 6 });
    const coeffs = s.coefficients();
    expect(coeffs.map((x) => x.monomial)).toEqual(['1', 'a^2', 'a^4', 'a^6']);
    coeffs.forEach((x, j) => expect(x.value).toBeCloseTo((-1) ** j / fact(2 * j), 15));
    expect(s.value([0.3])).toBeCloseTo(1 - 0.045 + 0.3 ** 4 / 24 - 0.3 ** 6 / 720, 15);
  });

  it('expands around a Clifford center: C = cos(π/2 + δ) = −sin δ', () => {
    const c = circuit(1, [['a', null]], [rotationGate('Y', [0], parameterExpr(0))]);
    const s = buildTaylorSurrogate(c, parseObservableText('Z0'), { order: 5, center: [Math.PI / 2] });
    const coeffs = s.coefficients();
    expect(coeffs.map((x) => x.monomial)).toEqual(['a', 'a^3', 'a^5']);
    expect(coeffs.map((x) => x.derivative)).toEqual([-1, 1, -1].map((v) => expect.closeTo(v, 14)));
    expect(s.value([Math.PI / 2 + 0.2])).toBeCloseTo(-(0.2 - 0.2 ** 3 / 6 + 0.2 ** 5 / 120), 15);
  });

  it('shared and scaled parameters: ry(a)·ry(a) and ry(2a + b) give cos 2a and cos(2a + b)', () => {
    const shared = circuit(1, [['a', null]], [rotationGate('Y', [0], parameterExpr(0)), rotationGate('Y', [0], parameterExpr(0))]);
    const s1 = buildTaylorSurrogate(shared, parseObservableText('Z0'), { order: 4 });
    expect(s1.coefficients().map((x) => [x.monomial, x.value])).toEqual([
      ['1', 1], ['a^2', expect.closeTo(-2, 14)], ['a^4', expect.closeTo(16 / 24, 14)],
    ]);
    const affine = circuit(1, [['a', null], ['b', null]], [rotationGate('Y', [0], addExpr(parameterExpr(0, 2), parameterExpr(1)))]);
    const s2 = buildTaylorSurrogate(affine, parseObservableText('Z0'), { order: 2 });
    // cos(2a + b) ≈ 1 − (2a + b)²/2 = 1 − 2a² − 2ab − b²/2
    const byName = Object.fromEntries(s2.coefficients().map((x) => [x.monomial, x.value]));
    expect(byName).toEqual({ '1': 1, 'a^2': expect.closeTo(-2, 14), 'a*b': expect.closeTo(-2, 14), 'b^2': expect.closeTo(-0.5, 14) });
    // The bound uses ‖Aδ‖₁ = |2a + b|, not ‖δ‖₁.
    expect(s2.boundsByKind([0.1, 0.05]).apriori).toBeCloseTo(0.25 ** 3 / 6, 15);
    expect(s2.bound([0.1, 0.05])).toBeLessThanOrEqual(0.25 ** 3 / 6 + 1e-15);
  });

  it('rz(a + 0.3) splits into a fixed rz(0.3) and a symbolic rz(δ): C = cos(a + 0.3)', () => {
    const c = circuit(1, [['a', null]], [
      cliffordGate('h', [0]), rotationGate('Z', [0], addExpr(parameterExpr(0), constantExpr(0.3))), cliffordGate('h', [0]),
    ]);
    const s = buildTaylorSurrogate(c, parseObservableText('Z0'), { order: 3 });
    const vals = s.coefficients().map((x) => x.value);
    const [c0, s0] = [Math.cos(0.3), Math.sin(0.3)];
    expect(vals).toEqual([c0, -s0, -c0 / 2, s0 / 6].map((v) => expect.closeTo(v, 15)));
  });
});

describe('Taylor surrogate against the state vector', () => {
  it('random circuits: |T_m − C| ≤ bound, and high orders are exact', () => {
    fc.assert(
      fc.property(surrogateCaseArb({ maxQubits: 5, maxGates: 14, maxParams: 4, nonClifford: true }), fc.integer(), (cse, seed) => {
        const { circuit: c, observable, center, state } = cse;
        const rng = createRng(seed);
        for (const m of [0, 2, 5]) {
          const s = buildTaylorSurrogate(c, observable, { order: m, center, initialState: state });
          for (let i = 0; i < 3; i++) {
            const x = gaussianPoint(center, 0.15, rng.normal);
            const exact = expectation(c, x, observable, { initialState: state });
            expect(Math.abs(s.value(x) - exact)).toBeLessThanOrEqual(s.bound(x) + 1e-12);
          }
        }
        const hi = buildTaylorSurrogate(c, observable, { order: 16, center, initialState: state });
        const x = gaussianPoint(center, 0.02, rng.normal);
        expect(hi.value(x)).toBeCloseTo(expectation(c, x, observable, { initialState: state }), 12);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('gradient and Hessian: equal to finite differences of T_m, and ∇T_m(θ*) to the adjoint gradient', () => {
    fc.assert(
      fc.property(surrogateCaseArb({ maxQubits: 4, maxGates: 12, maxParams: 3, nonClifford: true }), fc.integer(), (cse, seed) => {
        const { circuit: c, observable, center, state } = cse;
        const D = c.numParameters;
        const s = buildTaylorSurrogate(c, observable, { order: 4, center, initialState: state });
        const exact = expectationAndGradient(c, center, observable, { initialState: state });
        const g0 = s.gradient(center);
        for (let k = 0; k < D; k++) expect(g0[k]).toBeCloseTo(exact.gradient[k]!, 12);
        expect(s.value(center)).toBeCloseTo(exact.value, 12);
        const rng = createRng(seed);
        const x = gaussianPoint(center, 0.3, rng.normal);
        const { value, gradient } = s.valueAndGradient(x);
        expect(value).toBeCloseTo(s.value(x), 14);
        const H = s.hessian(x);
        const h = 1e-5;
        for (let k = 0; k < D; k++) {
          const xp = x.slice(); xp[k]! += h;
          const xm = x.slice(); xm[k]! -= h;
          expect(gradient[k]).toBeCloseTo((s.value(xp) - s.value(xm)) / (2 * h), 6);
          const gp = s.gradient(xp);
          const gm = s.gradient(xm);
          for (let j = 0; j < D; j++) expect(H[k * D + j]).toBeCloseTo((gp[j]! - gm[j]!) / (2 * h), 6);
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('evaluates batches exactly like single points, and a circuit without parameters', () => {
    const c = circuit(2, [['t', 3]], [
      rotationGate('Y', [0], parameterExpr(0)), cliffordGate('cx', [0, 1]), rotationGate('XY', [0, 1], parameterExpr(1, -2)),
      rotationGate('Z', [1], constantExpr(Math.PI / 4)), rotationGate('X', [1], parameterExpr(2)),
    ]);
    const obs = parseObservableText('Z0 Z1 + 0.5*X1 - 0.25', { numQubits: 2 });
    const s = buildTaylorSurrogate(c, obs, { order: 3 });
    const pts = new Float64Array([0.1, -0.2, 0.05, 0, 0, 0, -0.3, 0.2, 0.1]);
    const batch = s.evaluate(pts);
    for (let p = 0; p < 3; p++) expect(batch[p]).toBe(s.value(pts.subarray(3 * p, 3 * p + 3)));
    const fixedOnly = circuit(1, [], [cliffordGate('h', [0]), rotationGate('Z', [0], constantExpr(Math.PI / 4))]);
    const s0 = buildTaylorSurrogate(fixedOnly, parseObservableText('X0'), { order: 2 });
    expect(s0.value([])).toBeCloseTo(Math.cos(Math.PI / 4), 15);
    expect(s0.bound([])).toBe(0);
  });
});

describe('Taylor surrogate: limits and errors', () => {
  it('rejects bad orders and centers, and stops cleanly at the term budget', () => {
    const c = circuit(1, [['a', null]], [rotationGate('Y', [0], parameterExpr(0))]);
    const z = parseObservableText('Z0');
    expect(() => buildTaylorSurrogate(c, z, { order: -1 })).toThrow(UserError);
    expect(() => buildTaylorSurrogate(c, z, { order: 1.5 })).toThrow(UserError);
    expect(() => buildTaylorSurrogate(c, z, { order: 2, center: [0, 1] })).toThrow(/expected 1 parameter values/);
    expect(() => buildTaylorSurrogate(c, z, { order: 2, center: [NaN] })).toThrow(UserError);
    const n = 6;
    const gates: Gate[] = [];
    for (let l = 0; l < 3; l++) {
      for (let q = 0; q < n; q++) gates.push(rotationGate('Y', [q], parameterExpr(l * n + q)));
      for (let q = 0; q + 1 < n; q++) gates.push(cliffordGate('cx', [q, q + 1]));
    }
    const big = circuit(n, [['t', 3 * n]], gates);
    const obs = parseObservableText('X0 X1 X2 X3 X4 X5 + Z0 + Z5', { numQubits: n });
    expect(() => buildTaylorSurrogate(big, obs, { order: 6, maxTerms: 16 })).toThrow(ResourceLimitError);
  });
});
