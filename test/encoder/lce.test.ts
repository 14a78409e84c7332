import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freezeCircuit, propagateBack } from '../../src/clifford-point/frozen.js';
import { buildAnsatz } from '../../src/ansatz/index.js';
import { constantExpr, parameterExpr } from '../../src/ir/affine.js';
import { CircuitAssembler } from '../../src/ir/circuit.js';
import { UserError } from '../../src/ir/errors.js';
import { cliffordGate, rotationGate } from '../../src/ir/gate-library.js';
import type { Circuit, Gate, Observable } from '../../src/ir/types.js';
import { defaultTermIndex, encodeLce } from '../../src/encoder/lce.js';
import { applySteps, minimalAnticommutingFix, reduceToAnticommutingLetter } from '../../src/encoder/fixups.js';
import { inverseSkeleton } from '../../src/encoder/inverse.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { commutes, equals, weight, wordsFor } from '../../src/pauli/packed.js';
import { packedFromSparse } from '../../src/pauli/sparse.js';
import { createRng } from '../../src/random/rng.js';
import { expectationAndGradient } from '../../src/simulators/statevector/index.js';
import { randomCase, randomPauliLetters } from './random-circuit.js';

const SEED = Number(process.env.NC_SEED ?? 5150);

function circuitOf(n: number, params: number, gates: Gate[]): Circuit {
  const b = new CircuitAssembler();
  b.setQubits(n);
  if (params > 0) b.declareParameter('theta', params);
  b.addGates(gates);
  return b.build();
}

const obs = (text: string, n: number): Observable => parseObservableText(text, { numQubits: n });

describe('encodeLce', () => {
  it('gives ∂_k C = ±1 and C = 0 on mHEA for every target (state vector)', () => {
    const c = buildAnsatz('mhea', { qubits: 3, layers: 2 });
    const o = obs('X0 Y1 Z2', 3);
    const center = new Float64Array(c.numParameters);
    for (let k = 0; k < c.numParameters; k++) {
      for (const variant of ['paper', 'compact'] as const) {
        const r = encodeLce(c, o, { target: k, variant });
        const { value, gradient } = expectationAndGradient(r.circuit, center, o);
        expect(Math.abs(value)).toBeLessThan(1e-12);
        expect(gradient[k]).toBeCloseTo(r.sign, 12);
        expect(r.target).toBe(k);
        expect(r.targetName).toBe(`theta[${k}]`);
      }
    }
  });

  it('keeps the circuit between prefix and suffix, and the parameter table', () => {
    const c = buildAnsatz('fhea', { qubits: 3, layers: 1 });
    const r = encodeLce(c, obs('Z0 Z1', 3), { target: 4 });
    expect(r.circuit.gates.slice(r.prefix.length, r.prefix.length + c.gates.length)).toEqual(c.gates);
    expect(r.circuit.gates.length).toBe(r.prefix.length + c.gates.length + r.suffix.length);
    expect(r.circuit.parameters).toEqual(c.parameters);
    expect(r.circuit.numParameters).toBe(c.numParameters);
    // Added gates are Clifford gates or fixed quarter-turn rotations, never parametrized.
    for (const g of [...r.prefix, ...r.suffix]) {
      if (g.kind === 'rotation') expect(g.angle.terms).toEqual([]);
    }
  });

  it('compact adds at most 2 suffix gates and one prefix gate per qubit', () => {
    const rng = createRng(SEED);
    for (let i = 0; i < 50; i++) {
      const c = randomCase(rng, 1 + rng.int(7), 5 + rng.int(30));
      const r = encodeLce(c.circuit, c.observable, { center: c.center, variant: 'compact' });
      expect(r.suffix.length).toBeLessThanOrEqual(2);
      expect(r.prefix.length).toBeLessThanOrEqual(c.circuit.numQubits);
    }
  });

  it('builds on the largest-|coefficient| term by default, or on --term', () => {
    const c = buildAnsatz('mhea', { qubits: 3, layers: 1 });
    const o = obs('0.2*Z0 - 0.9*X1 X2 + 0.5*Y0', 3);
    expect(defaultTermIndex(o)).toBe(1);
    expect(encodeLce(c, o).term).toBe(1);
    const r = encodeLce(c, o, { term: 2 });
    expect(r.termText).toBe('Y0');
    const unit = obs('Y0', 3);
    const { value, gradient } = expectationAndGradient(r.circuit, new Float64Array(c.numParameters), unit);
    expect(Math.abs(value)).toBeLessThan(1e-12);
    expect(Math.abs(gradient[r.target]!)).toBeCloseTo(1, 12);
  });

  it('auto target: the last single-slope rotation in paper mode', () => {
    const c = buildAnsatz('mhea', { qubits: 4, layers: 2 });
    const r = encodeLce(c, obs('Z0 Z3', 4));
    expect(r.target).toBe(c.numParameters - 1);
    expect(r.suffix.length).toBeLessThanOrEqual(2 * 4 + 1); // nothing to invert after the last rotation
  });

  it('encodes a parameter shared by two gates when the sum is ±1, and says why when it cannot', () => {
    // a drives R_Z(a) on q0 and R_Z(2a) on q1: ∂_a can be ±1 (anchor q0, q1 commutes) — or ±2.
    const c = circuitOf(2, 1, [rotationGate('Z', [0], parameterExpr(0)), rotationGate('Z', [1], parameterExpr(0, 2))]);
    const r = encodeLce(c, obs('X0', 2), { target: 0 });
    expect(Math.abs(r.verification.targetDerivative)).toBe(1);
    const scaled = circuitOf(1, 1, [rotationGate('Z', [0], parameterExpr(0, 2))]);
    expect(() => encodeLce(scaled, obs('X0', 1), { target: 0 })).toThrow(/slope other than ±1/);
  });

  it('rejects impossible requests with UserErrors', () => {
    const c = buildAnsatz('mhea', { qubits: 2, layers: 1 });
    expect(() => encodeLce(c, obs('2', 2))).toThrow(UserError);
    expect(() => encodeLce(c, obs('2', 2))).toThrow(/identity/);
    const clifford = circuitOf(2, 0, [cliffordGate('h', [0]), cliffordGate('cx', [0, 1])]);
    expect(() => encodeLce(clifford, obs('Z0', 2))).toThrow(/no parametrized rotation/);
    const constant = circuitOf(1, 0, [rotationGate('X', [0], constantExpr(Math.PI / 2))]);
    expect(() => encodeLce(constant, obs('Z0', 1))).toThrow(/no parametrized rotation/);
    expect(() => encodeLce(c, obs('Z0', 2), { term: 3 })).toThrow(/out of range/);
    expect(() => encodeLce(c, obs('Z0', 2), { target: 99 })).toThrow(/out of range/);
    const unused = circuitOf(1, 2, [rotationGate('X', [0], parameterExpr(0))]);
    expect(() => encodeLce(unused, obs('Z0', 1), { target: 1 })).toThrow(/drives no rotation/);
    const withT = circuitOf(1, 1, [rotationGate('Z', [0], constantExpr(Math.PI / 4)), rotationGate('X', [0], parameterExpr(0))]);
    expect(() => encodeLce(withT, obs('Z0', 1))).toThrow(/not a multiple of π\/2/);
    expect(() => encodeLce(c, obs('Z0', 2), { center: new Float64Array([0.3, 0, 0, 0, 0, 0, 0, 0]) })).toThrow(/not Clifford/);
  });

  it('is deterministic', () => {
    const c = buildAnsatz('rpqc', { qubits: 5, layers: 3, seed: 3 });
    const a = encodeLce(c, obs('X0 Y2 Z4', 5), { target: 7 });
    const b = encodeLce(c, obs('X0 Y2 Z4', 5), { target: 7 });
    expect(a.circuit).toEqual(b.circuit);
  });
});

describe('LCE building blocks', () => {
  const stringPair = fc.record({ n: fc.integer({ min: 1, max: 70 }), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }).map(({ n, seed }) => {
    const rng = createRng(seed);
    return { n, o: randomPauliLetters(rng, n), p: randomPauliLetters(rng, n) };
  });

  it('reduceToAnticommutingLetter leaves one letter that anticommutes with p', () => {
    fc.assert(fc.property(stringPair, ({ n, o, p }) => {
      const W = wordsFor(n);
      const a = packedFromSparse(o, n), b = packedFromSparse(p, n);
      applySteps(reduceToAnticommutingLetter(a, b, W, n), a, 0, W);
      expect(weight(a, 0, W)).toBe(1);
      expect(commutes(a, 0, b, 0, W)).toBe(false);
    }), { seed: SEED, numRuns: 300 });
  });

  it('minimalAnticommutingFix needs at most 2 gates', () => {
    fc.assert(fc.property(stringPair, ({ n, o, p }) => {
      const W = wordsFor(n);
      const a = packedFromSparse(o, n), b = packedFromSparse(p, n);
      const steps = minimalAnticommutingFix(a, b, W, n);
      expect(steps.length).toBeLessThanOrEqual(2);
      applySteps(steps, a, 0, W);
      expect(commutes(a, 0, b, 0, W)).toBe(false);
    }), { seed: SEED, numRuns: 300 });
  });

  it('inverseSkeleton undoes the frozen gates exactly (string and sign)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = createRng(seed);
      const n = 1 + rng.int(40);
      const c = randomCase(rng, n, 1 + rng.int(60));
      const frame = freezeCircuit(c.circuit.gates, n, c.center);
      const inv = inverseSkeleton(frame, 0, c.circuit.gates.length);
      const invFrame = freezeCircuit(inv, n, []);
      const s = packedFromSparse(randomPauliLetters(rng, n), n);
      const before = Uint32Array.from(s);
      // Heisenberg through U then U⁻¹ (U⁻¹ acts last, so it is pulled back first).
      const sign = propagateBack(invFrame, 0, inv.length, s) * propagateBack(frame, 0, c.circuit.gates.length, s);
      expect(equals(s, 0, before, 0, wordsFor(n))).toBe(true);
      expect(sign).toBe(1);
    }), { seed: SEED, numRuns: 200 });
  });
});
