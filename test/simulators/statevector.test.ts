import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { constantExpr } from '../../src/ir/affine.js';
import { ResourceLimitError, UserError } from '../../src/ir/errors.js';
import type { Gate, Observable } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import { PauliSum } from '../../src/pauli/sum.js';
import { packedFromSparse, sparsePauli } from '../../src/pauli/sparse.js';
import { wordsFor } from '../../src/pauli/packed.js';
import {
  DEFAULT_MAX_QUBITS, expectation, finalState, StateVector,
} from '../../src/simulators/statevector/index.js';
import { wasmConfig } from '../../src/simulators/statevector/wasm/backend.js';
import { describeEachKernelBackend } from '../helpers/kernel-backends.js';
import type { CVector } from '../helpers/dense.js';
import {
  apply, denseExpectation, denseFinalState, expectationValue, gateMatrix, initialVector, inner, maxAbsDiff,
  observableMatrix, pauliStringMatrix,
} from '../helpers/dense.js';
import {
  circuitArb, circuitOf, initialStateArb, observableArb, paramsArb, pauliArb, uniformArb,
} from '../helpers/random-circuits.js';

/** The state-vector simulator against dense matrix products (test/helpers/dense.ts), n ≤ 6. */

const SEED = Number(process.env.NC_SEED ?? 2718);
const TOL = 1e-12;

const vec = (sv: StateVector): CVector => ({ re: sv.re, im: sv.im });

/** A StateVector holding arbitrary (normalized) amplitudes. */
function randomState(n: number, values: number[]): StateVector {
  const sv = StateVector.allocate(n);
  let norm = 0;
  for (let k = 0; k < sv.dimension; k++) {
    sv.re[k] = values[(2 * k) % values.length]! + 0.01 * k;
    sv.im[k] = values[(2 * k + 1) % values.length]! - 0.02 * k;
    norm += sv.re[k]! ** 2 + sv.im[k]! ** 2;
  }
  const s = 1 / Math.sqrt(norm);
  for (let k = 0; k < sv.dimension; k++) {
    sv.re[k]! *= s;
    sv.im[k]! *= s;
  }
  return sv;
}

const stateArb = (n: number) =>
  fc.array(uniformArb(-1, 1), { minLength: 8, maxLength: 8 }).map((v) => randomState(n, v));

const copyVector = (sv: StateVector): CVector => ({ re: sv.re.slice(), im: sv.im.slice() });

describeEachKernelBackend((backend) => {

  it('uses the intended backend', () => {
    expect(StateVector.allocate(3).accelerated).toBe(backend.enabled);
  });

  describe('StateVector kernels vs dense matrices', () => {
    it('every Clifford gate on every qubit placement (both orders for two-qubit gates)', () => {
      for (const n of [2, 3, 5]) {
        for (const name of CLIFFORD_GATE_NAMES) {
          const places: number[][] = CLIFFORD_ARITY[name] === 1
            ? [...Array(n).keys()].map((q) => [q])
            : [...Array(n).keys()].flatMap((a) => [...Array(n).keys()].filter((b) => b !== a).map((b) => [a, b]));
          for (const qubits of places) {
            const sv = randomState(n, [0.3, -0.7, 0.2, 0.9, -0.1, 0.4, 0.8, -0.5]);
            const before = copyVector(sv);
            const gate: Gate = { kind: 'clifford', name, qubits };
            sv.applyGate(gate);
            const want = apply(gateMatrix(gate, 0, n), before);
            expect(maxAbsDiff(vec(sv), want), `${name} ${qubits} n=${n}`).toBeLessThan(TOL);
            sv.applyInverseGate(gate);
            expect(maxAbsDiff(vec(sv), before), `${name}† ${qubits}`).toBeLessThan(TOL);
          }
        }
      }
    });

    it('Pauli rotations of every weight (1q fast paths, ZZ, diagonal, general) match cos·I − i·sin·P', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(fc.constant(n), pauliArb(n), stateArb(n))),
          uniformArb(-7, 7),
          ([n, pauli, sv], theta) => {
            const before = copyVector(sv);
            const gate: Gate = { kind: 'rotation', pauli, angle: constantExpr(theta) };
            sv.applyGate(gate, theta);
            expect(maxAbsDiff(vec(sv), apply(gateMatrix(gate, theta, n), before))).toBeLessThan(TOL);
            sv.applyInverseGate(gate, theta);
            expect(maxAbsDiff(vec(sv), before)).toBeLessThan(TOL);
          },
        ),
        { seed: SEED, numRuns: 300 },
      );
    });

    it('every letter combination of weight ≤ 3 on 4 qubits (exhaustive)', () => {
      const letters = ['X', 'Y', 'Z'] as const;
      const n = 4;
      for (let mask = 1; mask < 16; mask++) {
        const qs = [0, 1, 2, 3].filter((q) => (mask >> q) & 1);
        if (qs.length > 3) continue;
        for (let code = 0; code < 3 ** qs.length; code++) {
          const pauli = sparsePauli(qs.map((q, i) => [q, letters[Math.floor(code / 3 ** i) % 3]!] as const));
          const sv = randomState(n, [0.5, -0.2, 0.1, 0.7, -0.6, 0.3, 0.9, -0.4]);
          const before = copyVector(sv);
          sv.applyPauliRotation(pauli, 0.77);
          const want = apply(gateMatrix({ kind: 'rotation', pauli, angle: constantExpr(0.77) }, 0.77, n), before);
          expect(maxAbsDiff(vec(sv), want)).toBeLessThan(TOL);
        }
      }
    });

    it('the identity generator applies only the global phase e^{−iθ/2}', () => {
      const sv = randomState(2, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
      const before = copyVector(sv);
      sv.applyPauliRotation(sparsePauli([]), 1.1);
      const c = Math.cos(0.55), s = Math.sin(0.55);
      for (let k = 0; k < 4; k++) {
        expect(sv.re[k]).toBeCloseTo(c * before.re[k]! + s * before.im[k]!, 14);
        expect(sv.im[k]).toBeCloseTo(c * before.im[k]! - s * before.re[k]!, 14);
      }
    });

    it('Pauli expectations, matrix elements, observables and λ = Oψ match dense', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(fc.constant(n), pauliArb(n, 0, n), stateArb(n), stateArb(n), observableArb(n, 5))),
          ([n, pauli, a, b, obs]) => {
            const P = pauliStringMatrix(pauli, n);
            expect(a.pauliExpectation(pauli)).toBeCloseTo(expectationValue(P, vec(a)), 12);
            const [re, im] = a.pauliMatrixElement(b, pauli); // ⟨b|P|a⟩
            const want = inner(vec(b), apply(P, vec(a)));
            expect(re).toBeCloseTo(want[0], 12);
            expect(im).toBeCloseTo(want[1], 12);
            const O = observableMatrix(obs, n);
            expect(a.expectationOf(obs)).toBeCloseTo(expectationValue(O, vec(a)), 12);
            const lambda = StateVector.allocate(n);
            lambda.re.fill(9); // overwritten, not accumulated into
            a.applyObservableInto(obs, lambda);
            expect(maxAbsDiff(vec(lambda), apply(O, vec(a)))).toBeLessThan(TOL);
            const [ir, ii] = a.innerProduct(b);
            const w2 = inner(vec(a), vec(b));
            expect(ir).toBeCloseTo(w2[0], 12);
            expect(ii).toBeCloseTo(w2[1], 12);
          },
        ),
        { seed: SEED, numRuns: 200 },
      );
    });

    it('expectationOf accepts a PauliSum and packed strings', () => {
      const n = 4;
      const sv = randomState(n, [0.3, 0.1, -0.4, 0.5, 0.9, -0.2, 0.6, 0.7]);
      const obs: Observable = { name: 'O', terms: [
        { coeff: 0.5, pauli: sparsePauli([[0, 'Z'], [3, 'Y']]) },
        { coeff: -1.25, pauli: sparsePauli([[1, 'X'], [2, 'X']]) },
        { coeff: 2, pauli: sparsePauli([]) },
      ] };
      const sum = PauliSum.fromObservable(obs, n);
      expect(sv.expectationOf(sum)).toBeCloseTo(sv.expectationOf(obs), 13);
      const packed = packedFromSparse(obs.terms[0]!.pauli, n);
      expect(sv.packedPauliExpectation(packed, 0, wordsFor(n))).toBeCloseTo(sv.pauliExpectation(obs.terms[0]!.pauli), 14);
      // a packed string acting beyond the register is refused
      const wide = packedFromSparse(sparsePauli([[4, 'Z']]), 40);
      expect(() => sv.packedPauliExpectation(wide, 0, wordsFor(40))).toThrow(UserError);
    });
  });

  describe('initial states', () => {
    it('zero, plus and basis states follow the index convention (qubit q = bit q)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(fc.constant(n), initialStateArb(n))), ([n, state]) => {
          const sv = StateVector.initial(n, state);
          expect(maxAbsDiff(vec(sv), initialVector(state, n))).toBeLessThan(1e-15);
          expect(sv.normSquared()).toBeCloseTo(1, 14);
        }),
        { seed: SEED, numRuns: 60 },
      );
      const sv = StateVector.initial(3, { kind: 'basis', bits: [1, 0, 1] });
      expect(sv.amplitude(0b101)).toEqual([1, 0]);
      // Z on qubit 0 of |q0=1⟩ gives −1; Z on qubit 1 gives +1
      expect(sv.pauliExpectation(sparsePauli([[0, 'Z']]))).toBe(-1);
      expect(sv.pauliExpectation(sparsePauli([[1, 'Z']]))).toBe(1);
    });

    it('reset reuses the buffer; basis bit count must match', () => {
      const sv = StateVector.initial(3, { kind: 'plus' });
      sv.reset({ kind: 'zero' });
      expect(sv.amplitude(0)).toEqual([1, 0]);
      expect(sv.normSquared()).toBe(1);
      expect(() => StateVector.initial(3, { kind: 'basis', bits: [1, 0] })).toThrow(UserError);
    });
  });

  describe('whole circuits vs dense products', () => {
    it('finalState and expectation agree with gate-by-gate dense simulation (n ≤ 6)', () => {
      fc.assert(
        fc.property(
          circuitArb({ maxQubits: 6, maxGates: 25 }).chain((c) =>
            fc.tuple(fc.constant(c), paramsArb(c.numParameters), observableArb(c.numQubits), initialStateArb(c.numQubits))),
          ([circuit, params, obs, initialState]) => {
            const sv = finalState(circuit, params, { initialState });
            const want = denseFinalState(circuit, params, initialState);
            expect(maxAbsDiff(vec(sv), want)).toBeLessThan(1e-11);
            expect(expectation(circuit, params, obs, { initialState })).toBeCloseTo(
              denseExpectation(circuit, params, obs, initialState), 11);
          },
        ),
        { seed: SEED, numRuns: 120 },
      );
    });

    it('a known circuit: Bell state ⟨Z0 Z1⟩ = 1, ⟨X0 X1⟩ = 1, ⟨Z0⟩ = 0', () => {
      const c = circuitOf(2, 0, [
        { kind: 'clifford', name: 'h', qubits: [0] },
        { kind: 'clifford', name: 'cx', qubits: [0, 1] },
      ]);
      const none = new Float64Array(0);
      const obs = (text: [number, 'X' | 'Y' | 'Z'][]) => ({ name: 'o', terms: [{ coeff: 1, pauli: sparsePauli(text) }] });
      expect(expectation(c, none, obs([[0, 'Z'], [1, 'Z']]))).toBeCloseTo(1, 15);
      expect(expectation(c, none, obs([[0, 'X'], [1, 'X']]))).toBeCloseTo(1, 15);
      expect(expectation(c, none, obs([[0, 'Y'], [1, 'Y']]))).toBeCloseTo(-1, 15);
      expect(expectation(c, none, obs([[0, 'Z']]))).toBeCloseTo(0, 15);
    });

    it('rx(θ) on |0⟩ gives ⟨Z⟩ = cos θ and ⟨Y⟩ = −sin θ (sign convention exp(−iθX/2))', () => {
      const c = circuitOf(1, 1, [{ kind: 'rotation', pauli: sparsePauli([[0, 'X']]), angle: { constant: 0, terms: [{ param: 0, coeff: 1 }] } }]);
      const p = Float64Array.of(0.4);
      expect(expectation(c, p, { name: 'z', terms: [{ coeff: 1, pauli: sparsePauli([[0, 'Z']]) }] })).toBeCloseTo(Math.cos(0.4), 15);
      expect(expectation(c, p, { name: 'y', terms: [{ coeff: 1, pauli: sparsePauli([[0, 'Y']]) }] })).toBeCloseTo(-Math.sin(0.4), 15);
    });
  });

});

describe('default configuration at a realistic size', () => {
  it('a 15-qubit random circuit gives the same state with the wasm and the JS kernels', () => {
    fc.assert(
      fc.property(circuitArb({ minQubits: 15, maxQubits: 15, maxGates: 40 }).chain((c) => fc.tuple(fc.constant(c), paramsArb(c.numParameters))),
        ([circuit, params]) => {
          const fast = finalState(circuit, params);
          expect(fast.accelerated).toBe(true);
          const saved = wasmConfig.enabled;
          wasmConfig.enabled = false;
          try {
            const plain = finalState(circuit, params);
            expect(plain.accelerated).toBe(false);
            expect(maxAbsDiff(vec(fast), vec(plain))).toBeLessThan(1e-12);
          } finally {
            wasmConfig.enabled = saved;
          }
        }),
      { seed: SEED, numRuns: 5 },
    );
  });
});

describe('limits and input errors', () => {
  const bigCircuit = (n: number) => circuitOf(n, 0, [{ kind: 'clifford', name: 'h', qubits: [0] }]);
  const z0: Observable = { name: 'z', terms: [{ coeff: 1, pauli: sparsePauli([[0, 'Z']]) }] };
  const none = new Float64Array(0);

  it('maxQubits 10 refuses an 11-qubit circuit with ResourceLimitError in every entry point', () => {
    const c = bigCircuit(11);
    expect(() => expectation(c, none, z0, { maxQubits: 10 })).toThrow(ResourceLimitError);
    expect(() => finalState(c, none, { maxQubits: 10 })).toThrow(/11 qubits needs 32 KiB .*limit is 10 qubits/);
    expect(() => StateVector.allocate(11, 10)).toThrow(ResourceLimitError);
    expect(expectation(c, none, z0, { maxQubits: 11 })).toBeCloseTo(0, 14);
  });

  it('a 40-qubit circuit throws immediately, before allocating anything large', () => {
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    expect(() => expectation(bigCircuit(40), none, z0)).toThrow(ResourceLimitError);
    expect(() => StateVector.initial(40)).toThrow(ResourceLimitError);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it('the default cap is 26 qubits, with the documented message', () => {
    expect(DEFAULT_MAX_QUBITS).toBe(26);
    expect(() => finalState(bigCircuit(27), none)).toThrow(
      'state vector of 27 qubits needs 2 GiB (2^27 × 16 bytes); the limit is 26 qubits (option `maxQubits`)',
    );
  });

  it('no option raises the cap past the hard limit of 30 qubits', () => {
    expect(() => StateVector.allocate(31, 64)).toThrow(/hard limit is 30 qubits/);
  });

  it('wrong parameter count, observables outside the register and bad gates are user errors', () => {
    const c = circuitOf(2, 1, [{ kind: 'rotation', pauli: sparsePauli([[1, 'Y']]), angle: { constant: 0, terms: [{ param: 0, coeff: 1 }] } }]);
    expect(() => expectation(c, new Float64Array(2), z0)).toThrow(/expected 1 parameter values, got 2/);
    const far: Observable = { name: 'far', terms: [{ coeff: 1, pauli: sparsePauli([[5, 'X']]) }] };
    expect(() => expectation(c, new Float64Array(1), far)).toThrow(UserError);
    const bad = circuitOf(2, 0, [{ kind: 'clifford', name: 'cx', qubits: [0, 2] }]);
    expect(() => finalState(bad, none)).toThrow(UserError);
  });
});
