import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addExpr, constantExpr, parameterExpr } from '../../src/ir/affine.js';
import type { Circuit, Gate, Observable } from '../../src/ir/types.js';
import { sparsePauli } from '../../src/pauli/sparse.js';
import type { SimulatorOptions } from '../../src/simulators/statevector/index.js';
import { expectation, expectationAndGradient, expectationBatch } from '../../src/simulators/statevector/index.js';
import { describeEachKernelBackend } from '../helpers/kernel-backends.js';
import { denseExpectation } from '../helpers/dense.js';
import { circuitArb, circuitOf, initialStateArb, observableArb, paramsArb } from '../helpers/random-circuits.js';

/**
 * Adjoint gradients against (1) central finite differences of the simulator's own expectation and
 * (2) the parameter-shift rule evaluated with the dense reference: every gate angle is shifted by
 * ±π/2 (exact for exp(−iθP/2)), and the gate derivatives are chain-ruled through the affine angles,
 * so shared and scaled parameters are covered.
 */

const SEED = Number(process.env.NC_SEED ?? 16180);

const problemArb = (maxQubits: number, maxGates: number) =>
  circuitArb({ maxQubits, maxGates, maxParams: 4 }).chain((c) =>
    fc.tuple(fc.constant(c), paramsArb(c.numParameters), observableArb(c.numQubits, 3), initialStateArb(c.numQubits)));

/** Copy of the circuit with gate g's angle shifted by a constant. */
function shiftGate(circuit: Circuit, g: number, delta: number): Circuit {
  const gates = circuit.gates.map((gate, i): Gate => {
    if (i !== g || gate.kind !== 'rotation') return gate;
    return { ...gate, angle: addExpr(gate.angle, constantExpr(delta)) };
  });
  return { ...circuit, gates };
}

function parameterShiftGradient(circuit: Circuit, params: Float64Array, obs: Observable, options: SimulatorOptions): Float64Array {
  const grad = new Float64Array(circuit.numParameters);
  const state = options.initialState ?? { kind: 'zero' as const };
  circuit.gates.forEach((gate, g) => {
    if (gate.kind !== 'rotation' || gate.angle.terms.length === 0) return;
    const plus = denseExpectation(shiftGate(circuit, g, Math.PI / 2), params, obs, state);
    const minus = denseExpectation(shiftGate(circuit, g, -Math.PI / 2), params, obs, state);
    const dAngle = (plus - minus) / 2;
    for (const t of gate.angle.terms) grad[t.param]! += t.coeff * dAngle;
  });
  return grad;
}

function finiteDifferenceGradient(circuit: Circuit, params: Float64Array, obs: Observable, options: SimulatorOptions): Float64Array {
  const h = 1e-5;
  const grad = new Float64Array(circuit.numParameters);
  for (let k = 0; k < grad.length; k++) {
    const p = params.slice(), m = params.slice();
    p[k]! += h;
    m[k]! -= h;
    grad[k] = (expectation(circuit, p, obs, options) - expectation(circuit, m, obs, options)) / (2 * h);
  }
  return grad;
}

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((d, x, i) => Math.max(d, Math.abs(x - b[i]!)), 0);

describeEachKernelBackend(() => {

  describe('adjoint gradient', () => {
    it('equals the parameter-shift gradient (dense reference) on random circuits with shared/scaled parameters', () => {
      fc.assert(
        fc.property(problemArb(5, 18), ([circuit, params, obs, initialState]) => {
          const options = { initialState };
          const { value, gradient } = expectationAndGradient(circuit, params, obs, options);
          expect(value).toBeCloseTo(denseExpectation(circuit, params, obs, initialState), 11);
          expect(maxDiff(gradient, parameterShiftGradient(circuit, params, obs, options))).toBeLessThan(1e-10);
        }),
        { seed: SEED, numRuns: 50 },
      );
    });

    it('equals central finite differences of the simulator expectation', () => {
      fc.assert(
        fc.property(problemArb(6, 25), ([circuit, params, obs, initialState]) => {
          const options = { initialState };
          const { value, gradient } = expectationAndGradient(circuit, params, obs, options);
          expect(value).toBeCloseTo(expectation(circuit, params, obs, options), 13);
          expect(maxDiff(gradient, finiteDifferenceGradient(circuit, params, obs, options))).toBeLessThan(1e-7);
        }),
        { seed: SEED, numRuns: 60 },
      );
    });

    it('analytic check: C(a) = ⟨Z⟩ after ry(2a)·rx(a) on |0⟩ = cos(2a)·cos(a)', () => {
      const c = circuitOf(1, 1, [
        { kind: 'rotation', pauli: sparsePauli([[0, 'X']]), angle: parameterExpr(0) },
        { kind: 'rotation', pauli: sparsePauli([[0, 'Y']]), angle: parameterExpr(0, 2) },
      ]);
      const z: Observable = { name: 'z', terms: [{ coeff: 1, pauli: sparsePauli([[0, 'Z']]) }] };
      for (const a of [-1.3, 0, 0.4, 2.9]) {
        const { value, gradient } = expectationAndGradient(c, Float64Array.of(a), z);
        expect(value).toBeCloseTo(Math.cos(2 * a) * Math.cos(a), 14);
        expect(gradient[0]).toBeCloseTo(-2 * Math.sin(2 * a) * Math.cos(a) - Math.cos(2 * a) * Math.sin(a), 13);
      }
    });

    it('unused parameters get 0; Cliffords and constant rotations before the first parameter are handled', () => {
      const c = circuitOf(3, 3, [
        { kind: 'clifford', name: 'h', qubits: [0] },
        { kind: 'rotation', pauli: sparsePauli([[1, 'X'], [2, 'Y']]), angle: constantExpr(0.3) },
        { kind: 'rotation', pauli: sparsePauli([[0, 'Z'], [1, 'Z']]), angle: parameterExpr(2, -1.5) },
        { kind: 'clifford', name: 'cx', qubits: [0, 2] },
        { kind: 'rotation', pauli: sparsePauli([[2, 'X']]), angle: addExpr(parameterExpr(0), constantExpr(0.1)) },
      ]);
      const obs: Observable = { name: 'o', terms: [
        { coeff: 0.7, pauli: sparsePauli([[0, 'Y'], [2, 'Z']]) },
        { coeff: 3, pauli: sparsePauli([]) },
      ] };
      const params = Float64Array.of(0.4, 123, -0.8);
      const { gradient } = expectationAndGradient(c, params, obs);
      expect(gradient[1]).toBe(0);
      expect(maxDiff(gradient, parameterShiftGradient(c, params, obs, {}))).toBeLessThan(1e-12);
    });

    it('a circuit without parameters has an empty gradient and the right value', () => {
      const c = circuitOf(2, 0, [{ kind: 'clifford', name: 'h', qubits: [1] }]);
      const obs: Observable = { name: 'x', terms: [{ coeff: 2, pauli: sparsePauli([[1, 'X']]) }] };
      const r = expectationAndGradient(c, new Float64Array(0), obs);
      expect(r.gradient.length).toBe(0);
      expect(r.value).toBeCloseTo(2, 14);
    });
  });

  describe('expectationBatch', () => {
    it('equals individual expectation calls exactly, for every point', () => {
      fc.assert(
        fc.property(
          circuitArb({ maxQubits: 5, maxGates: 20 }).chain((c) =>
            fc.tuple(fc.constant(c), fc.array(paramsArb(c.numParameters), { minLength: 0, maxLength: 6 }), observableArb(c.numQubits), initialStateArb(c.numQubits))),
          ([circuit, points, obs, initialState]) => {
            const batch = expectationBatch(circuit, points, obs, { initialState });
            expect(batch.length).toBe(points.length);
            points.forEach((p, i) => expect(batch[i]).toBe(expectation(circuit, p, obs, { initialState })));
          },
        ),
        { seed: SEED, numRuns: 60 },
      );
    });
  });
});
