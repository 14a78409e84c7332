import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantExpr, parameterExpr } from '../../src/ir/affine.js';
import { UserError } from '../../src/ir/errors.js';
import { rotationGate } from '../../src/ir/gate-library.js';
import type { AffineExpr, Circuit, Gate } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import {
  cliffordExpectation,
  isCliffordPoint,
  quarterTurns,
  simulateViaClifford,
} from '../../src/clifford-point/heisenberg.js';
import { propagate } from '../../src/propagation/propagate.js';
import { expectation } from '../../src/simulators/statevector/index.js';
import { circuitOf, initialStateArb, observableArb, pauliArb, qubitsArb } from '../helpers/random-circuits.js';

const SEED = Number(process.env.NC_SEED ?? 14142);

/** Angles k·π/2 (k ∈ −4…6), either constant or as 2·φ with φ = k·π/4 supplied as a parameter. */
const cliffordGateArb = (n: number, numParams: number): fc.Arbitrary<Gate> =>
  fc.oneof(
    fc.constantFrom(...CLIFFORD_GATE_NAMES.filter((g) => CLIFFORD_ARITY[g] <= n)).chain((name) =>
      qubitsArb(n, CLIFFORD_ARITY[name], CLIFFORD_ARITY[name]).map((qubits): Gate => ({ kind: 'clifford', name, qubits })),
    ),
    fc
      .tuple(pauliArb(n, 1, Math.min(n, 3)), fc.integer({ min: -4, max: 6 }), fc.nat({ max: Math.max(0, numParams - 1) }), fc.boolean())
      .map(([pauli, k, p, useParam]): Gate => {
        const angle: AffineExpr =
          useParam && numParams > 0
            ? { constant: (k * Math.PI) / 2, terms: [{ param: p, coeff: 2 }] }
            : constantExpr((k * Math.PI) / 2);
        return { kind: 'rotation', pauli, angle };
      }),
  );

/** Parameters at multiples of π/2 keep 2·φ + kπ/2 a multiple of π/2. */
const cliffordCaseArb = (minQubits: number, maxQubits: number, maxGates: number) =>
  fc.integer({ min: minQubits, max: maxQubits }).chain((n) =>
    fc.integer({ min: 0, max: 3 }).chain((d) =>
      fc.record({
        circuit: fc.array(cliffordGateArb(n, d), { minLength: 1, maxLength: maxGates }).map((gs) => circuitOf(n, d, gs)),
        params: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: d, maxLength: d }).map((ks) => Float64Array.from(ks, (k) => (k * Math.PI) / 2)),
        observable: observableArb(n, 3),
        state: initialStateArb(n),
      }),
    ),
  );

describe('Clifford fast path', () => {
  it('equals the state vector on random Clifford-point circuits', () => {
    fc.assert(
      fc.property(cliffordCaseArb(1, 9, 30), ({ circuit, params, observable, state }) => {
        expect(isCliffordPoint(circuit, params)).toBe(true);
        const exact = expectation(circuit, params, observable, { initialState: state });
        expect(cliffordExpectation(circuit, params, observable, state)).toBeCloseTo(exact, 10);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('often gives a non-zero value on these cases (the check above is not vacuous)', () => {
    const values = fc.sample(cliffordCaseArb(1, 4, 10), { seed: SEED, numRuns: 100 }).map((c) =>
      cliffordExpectation(c.circuit, c.params, c.observable, c.state),
    );
    expect(values.filter((v) => Math.abs(v) > 1e-9).length).toBeGreaterThan(30);
  });

  it('equals the general propagator on registers of up to 200 qubits', () => {
    fc.assert(
      fc.property(cliffordCaseArb(33, 200, 60), ({ circuit, params, observable, state }) => {
        const fast = cliffordExpectation(circuit, params, observable, state);
        const general = propagate(circuit, params, observable, { initialState: state });
        expect(fast).toBeCloseTo(general.value, 8);
        // cos(π/2) ≈ 6e-17 branches are dropped by the default min_abs_coeff, so at most one string
        // per observable term survives.
        expect(general.terms).toBeLessThanOrEqual(observable.terms.length);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('handles a deep brick circuit on 1,000 qubits', () => {
    const n = 1000;
    const gates: Gate[] = [];
    for (let l = 0; l < 20; l++) {
      for (let q = 0; q < n; q++) gates.push(rotationGate('X', [q], constantExpr((((l + q) % 4) * Math.PI) / 2)));
      for (let q = l % 2; q + 1 < n; q += 2) gates.push({ kind: 'clifford', name: 'cx', qubits: [q, q + 1] });
    }
    const c = circuitOf(n, 0, gates);
    const obs = { name: 'O', terms: [{ coeff: 1, pauli: { qubits: [500], letters: ['Z' as const] } }] };
    const fast = cliffordExpectation(c, [], obs);
    expect(fast).toBeCloseTo(propagate(c, [], obs).value, 12);
  });
});

describe('isCliffordPoint', () => {
  const one = (angle: AffineExpr, params: number[] = []): Circuit =>
    circuitOf(1, params.length, [rotationGate('X', [0], angle)]);
  it('accepts multiples of π/2 within 1e-12 relative, and rejects anything further', () => {
    expect(isCliffordPoint(one(constantExpr(3 * Math.PI)), [])).toBe(true);
    expect(isCliffordPoint(one(constantExpr(1000 * Math.PI * (1 + 1e-14))), [])).toBe(true);
    expect(isCliffordPoint(one(constantExpr(Math.PI / 2 + 1e-9)), [])).toBe(false);
    expect(isCliffordPoint(one(constantExpr(0.1)), [])).toBe(false);
    expect(isCliffordPoint(one(parameterExpr(0, 2), [0]), [Math.PI / 4])).toBe(true);
    expect(isCliffordPoint(one(parameterExpr(0, 2), [0]), [Math.PI / 8])).toBe(false);
    expect(isCliffordPoint(circuitOf(1, 0, [{ kind: 'clifford', name: 'h', qubits: [0] }]), [])).toBe(true);
  });
  it('quarterTurns reduces modulo 4', () => {
    expect([-2, -1, 0, 1, 2, 3, 4, 5].map((k) => quarterTurns((k * Math.PI) / 2))).toEqual([2, 3, 0, 1, 2, 3, 0, 1]);
    expect(quarterTurns(0.3)).toBe(-1);
  });
  it('cliffordExpectation names the offending gate; simulateViaClifford declines instead', () => {
    const c = one(constantExpr(0.3));
    const obs = { name: 'O', terms: [{ coeff: 1, pauli: { qubits: [0], letters: ['Z' as const] } }] };
    expect(() => cliffordExpectation(c, [], obs)).toThrow(UserError);
    expect(() => cliffordExpectation(c, [], obs)).toThrow(/gate 1 .*not a Clifford point/);
    expect(simulateViaClifford(c, [], obs)).toBeUndefined();
    // RX(π) Z RX(π)† = −Z; RX(π/2) turns Z into Y, whose |0⟩ expectation is 0.
    expect(simulateViaClifford(one(constantExpr(Math.PI)), [], obs)).toBeCloseTo(-1, 14);
    expect(simulateViaClifford(one(constantExpr(Math.PI / 2)), [], obs)).toBeCloseTo(0, 14);
    expect(simulateViaClifford(one(constantExpr(Math.PI / 2)), [], obs, { kind: 'basis', bits: [1] })).toBeCloseTo(0, 14);
  });
});
