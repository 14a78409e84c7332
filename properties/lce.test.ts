import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeLce, type LceVariant } from '../src/encoder/lce.js';
import type { InitialState } from '../src/ir/states.js';
import type { Circuit, Observable } from '../src/ir/types.js';
import { cliffordExpectation } from '../src/clifford-point/heisenberg.js';
import { createRng } from '../src/random/rng.js';
import { expectationAndGradient } from '../src/simulators/statevector/index.js';
import { randomCase } from '../test/encoder/random-circuit.js';

/**
 * The LCE guarantee (REFERENCE §1) on random circuits — every Clifford gate, Pauli rotations of
 * weight 1–4, fixed quarter-turn rotations — random observables (single strings and sums, the
 * encoded term chosen at random), random Clifford centers, targets (auto or explicit), all three
 * variants and all initial-state kinds:
 *   C_term(θ*) = 0, ∂_k C_term(θ*) = sign = ±1, every ∂_j C_term(θ*) ∈ {−1, 0, 1},
 * checked by engines the encoder does not use: the state vector (n ≤ 8) and, up to 200 qubits, the
 * propagation engine's Clifford evaluation with exact parameter shifts.
 */
const SEED = Number(process.env.NC_SEED ?? 20250706);

interface CaseSpec {
  n: number;
  gates: number;
  seed: number;
  terms: number;
  variant: LceVariant;
  auto: boolean;
  state: 'zero' | 'plus' | 'basis';
}

const caseArb = (maxQubits: number, minQubits = 1, maxGates = 30) =>
  fc.record({
    n: fc.integer({ min: minQubits, max: maxQubits }),
    gates: fc.integer({ min: 1, max: maxGates }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    terms: fc.integer({ min: 1, max: 3 }),
    variant: fc.constantFrom<LceVariant>('paper', 'reduced', 'compact'),
    auto: fc.boolean(),
    state: fc.constantFrom<'zero' | 'plus' | 'basis'>('zero', 'plus', 'basis'),
  });

function materialize(spec: CaseSpec) {
  const rng = createRng(spec.seed);
  const c = randomCase(rng, spec.n, spec.gates, spec.terms);
  const term = rng.int(c.observable.terms.length);
  const target = spec.auto ? ('auto' as const) : rng.int(c.circuit.numParameters);
  const state: InitialState = spec.state === 'basis'
    ? { kind: 'basis', bits: Array.from({ length: spec.n }, () => rng.int(2) as 0 | 1) }
    : { kind: spec.state };
  const lce = encodeLce(c.circuit, c.observable, { term, target, center: c.center, variant: spec.variant, initialState: state });
  const unit: Observable = { name: 'term', terms: [{ coeff: 1, pauli: c.observable.terms[term]!.pauli }] };
  return { ...c, lce, unit, state, target };
}

function shifted(center: Float64Array, k: number, by: number): Float64Array {
  const p = Float64Array.from(center);
  p[k] = p[k]! + by;
  return p;
}

/** ∂_k C by the two-point shift through the propagation engine; every parameter here drives one gate with slope ±1. */
function shiftDerivative(circuit: Circuit, center: Float64Array, k: number, obs: Observable, state: InitialState): number {
  const gate = circuit.gates.find((g) => g.kind === 'rotation' && g.angle.terms.some((t) => t.param === k));
  const slope = gate && gate.kind === 'rotation' ? gate.angle.terms.find((t) => t.param === k)!.coeff : 1;
  const plus = cliffordExpectation(circuit, shifted(center, k, Math.PI / (2 * slope)), obs, state);
  const minus = cliffordExpectation(circuit, shifted(center, k, -Math.PI / (2 * slope)), obs, state);
  return (slope * (plus - minus)) / 2;
}

describe('LCE invariants', () => {
  it('hold on random circuits up to 8 qubits (state vector)', () => {
    fc.assert(
      fc.property(caseArb(8), (spec) => {
        const { lce, unit, center, state, target, circuit } = materialize(spec);
        if (target !== 'auto') expect(lce.target).toBe(target);
        expect(lce.circuit.parameters).toEqual(circuit.parameters);
        const { value, gradient } = expectationAndGradient(lce.circuit, center, unit, { initialState: state });
        expect(Math.abs(value)).toBeLessThan(1e-9);
        expect(Math.abs(lce.sign)).toBe(1);
        expect(gradient[lce.target]).toBeCloseTo(lce.sign, 9);
        for (const d of gradient) expect(Math.min(Math.abs(d), Math.abs(d - 1), Math.abs(d + 1))).toBeLessThan(1e-9);
        // The encoder's own exact verification agrees with the state vector.
        gradient.forEach((d, k) => expect(lce.verification.gradient[k]).toBeCloseTo(d, 9));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('hold on random circuits up to 200 qubits (Clifford propagation + parameter shifts)', () => {
    fc.assert(
      fc.property(caseArb(200, 9, 120), fc.integer({ min: 0, max: 1000 }), (spec, probe) => {
        const { lce, unit, center, state } = materialize(spec);
        expect(Math.abs(cliffordExpectation(lce.circuit, center, unit, state))).toBeLessThan(1e-9);
        expect(shiftDerivative(lce.circuit, center, lce.target, unit, state)).toBeCloseTo(lce.sign, 9);
        // One more component, anywhere: in {−1, 0, 1}.
        const j = probe % lce.circuit.numParameters;
        const d = shiftDerivative(lce.circuit, center, j, unit, state);
        expect(Math.min(Math.abs(d), Math.abs(d - 1), Math.abs(d + 1))).toBeLessThan(1e-9);
        expect(d).toBeCloseTo(lce.verification.gradient[j]!, 9);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
