/**
 * fast-check arbitraries for small random IR circuits (every Clifford gate, Pauli rotations of
 * any weight with affine angles over shared, scaled parameters) and observables. Used by the
 * simulator tests; deliberately independent of the front ends.
 */
import fc from 'fast-check';
import { addExpr, constantExpr, parameterExpr } from '../../src/ir/affine.js';
import type { AffineExpr, Circuit, Gate, Observable, ParameterDecl, PauliLetter } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import type { InitialState } from '../../src/ir/states.js';
import { sparsePauli } from '../../src/pauli/sparse.js';

const letterArb = fc.constantFrom<PauliLetter>('X', 'Y', 'Z');

/**
 * Uniform reals in [min, max]. fc.double is biased towards tiny and extreme magnitudes (angles of
 * 1e-300 make every derivative vanish and hide bugs), so draw an unbiased integer grid instead.
 */
export const uniformArb = (min: number, max: number): fc.Arbitrary<number> =>
  fc.noBias(fc.integer({ min: 0, max: 2 ** 30 })).map((k) => min + ((max - min) * k) / 2 ** 30);

/** k distinct qubits of n, in random order. */
export const qubitsArb = (n: number, minK: number, maxK: number): fc.Arbitrary<number[]> =>
  fc.shuffledSubarray([...Array(n).keys()], { minLength: minK, maxLength: maxK });

export const pauliArb = (n: number, minWeight = 1, maxWeight = n) =>
  qubitsArb(n, minWeight, maxWeight).chain((qs) =>
    fc.array(letterArb, { minLength: qs.length, maxLength: qs.length }).map((ls) => sparsePauli(qs.map((q, i) => [q, ls[i]!] as const))),
  );

/** c0 + Σ c_k φ_k with 0–2 parameters, coefficients like ±1, ±2, 0.5 (shared/scaled parameters). */
export const angleArb = (numParams: number): fc.Arbitrary<AffineExpr> =>
  fc.tuple(
    fc.oneof(fc.constant(0), uniformArb(-3, 3)),
    fc.array(fc.tuple(fc.nat({ max: Math.max(0, numParams - 1) }), fc.constantFrom(1, -1, 2, 0.5, -1.5)), {
      maxLength: numParams === 0 ? 0 : 2,
    }),
  ).map(([c, terms]) => terms.reduce<AffineExpr>((e, [p, k]) => addExpr(e, parameterExpr(p, k)), constantExpr(c)));

export const gateArb = (n: number, numParams: number): fc.Arbitrary<Gate> =>
  fc.oneof(
    fc.constantFrom(...CLIFFORD_GATE_NAMES.filter((g) => CLIFFORD_ARITY[g] <= n)).chain((name) =>
      qubitsArb(n, CLIFFORD_ARITY[name], CLIFFORD_ARITY[name]).map((qubits): Gate => ({ kind: 'clifford', name, qubits })),
    ),
    fc.tuple(pauliArb(n), angleArb(numParams)).map(([pauli, angle]): Gate => ({ kind: 'rotation', pauli, angle })),
    // single-qubit rotations are the common case and have their own kernels
    fc.tuple(pauliArb(n, 1, 1), angleArb(numParams)).map(([pauli, angle]): Gate => ({ kind: 'rotation', pauli, angle })),
  );

export function circuitOf(numQubits: number, numParameters: number, gates: Gate[]): Circuit {
  return {
    numQubits,
    parameters: numParameters > 0 ? [{ name: 'theta', length: numParameters, offset: 0 }] : [],
    numParameters,
    gates,
    observables: [],
  };
}

export const circuitArb = (opts: { minQubits?: number; maxQubits: number; maxGates: number; maxParams?: number }) =>
  fc.integer({ min: opts.minQubits ?? 1, max: opts.maxQubits }).chain((n) =>
    fc.integer({ min: 0, max: opts.maxParams ?? 4 }).chain((d) =>
      fc.array(gateArb(n, d), { minLength: 1, maxLength: opts.maxGates, size: 'max' }).map((gates) => circuitOf(n, d, gates)),
    ),
  );

export const paramsArb = (d: number) =>
  fc.array(uniformArb(-Math.PI, Math.PI), { minLength: d, maxLength: d }).map((v) => Float64Array.from(v));

export const observableArb = (n: number, maxTerms = 4): fc.Arbitrary<Observable> =>
  fc.array(fc.tuple(uniformArb(-2, 2), pauliArb(n, 0, n)), { minLength: 1, maxLength: maxTerms })
    .map((ts) => ({ name: 'O', terms: ts.map(([coeff, pauli]) => ({ coeff, pauli })) }));

export const initialStateArb = (n: number): fc.Arbitrary<InitialState> =>
  fc.oneof(
    fc.constant<InitialState>({ kind: 'zero' }),
    fc.constant<InitialState>({ kind: 'plus' }),
    fc.array(fc.constantFrom<0 | 1>(0, 1), { minLength: n, maxLength: n }).map((bits): InitialState => ({ kind: 'basis', bits })),
  );

/**
 * Parameter tables over the given candidate names: up to `maxDecls` distinct names, each a scalar
 * or a vector of 1…maxLength, with offsets tiling the flat vector in declaration order.
 */
export function parameterDeclsArb(
  names: readonly string[], maxDecls: number, maxLength: number,
): fc.Arbitrary<ParameterDecl[]> {
  return fc
    .uniqueArray(fc.tuple(fc.constantFrom(...names), fc.option(fc.integer({ min: 1, max: maxLength }), { nil: null })), {
      maxLength: maxDecls,
      selector: ([name]) => name,
    })
    .map((list) => {
      let offset = 0;
      return list.map(([name, length]) => {
        const d = { name, length, offset };
        offset += length ?? 1;
        return d;
      });
    });
}
