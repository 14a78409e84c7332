import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CliffordName, SparsePauli } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import { conjugateByClifford } from '../../src/pauli/clifford.js';
import { wordsFor } from '../../src/pauli/packed.js';
import { packSparse, sparseFromPacked, sparsePauli } from '../../src/pauli/sparse.js';
import { CliffordFrame } from '../../src/surrogate/frame.js';
import {
  adjoint, CLIFFORD_MATRICES, embed, maxAbsDiff, mulAll, pauliStringMatrix, rotationMatrix, scale,
} from '../helpers/dense.js';

const SEED = Number(process.env.NC_SEED ?? 777);

type Op = { kind: 'gate'; name: CliffordName; qubits: number[] } | { kind: 'rot'; pauli: SparsePauli; k: number };

const pauliArb = (n: number) =>
  fc.shuffledSubarray([...Array(n).keys()], { minLength: 1, maxLength: n }).chain((qs) =>
    fc.array(fc.constantFrom<'X' | 'Y' | 'Z'>('X', 'Y', 'Z'), { minLength: qs.length, maxLength: qs.length })
      .map((ls) => sparsePauli(qs.map((q, i) => [q, ls[i]!] as const))),
  );

const opArb = (n: number, rotations: boolean): fc.Arbitrary<Op> => {
  const gate = fc.constantFrom(...CLIFFORD_GATE_NAMES.filter((g) => CLIFFORD_ARITY[g] <= n)).chain((name) =>
    fc.shuffledSubarray([...Array(n).keys()], { minLength: CLIFFORD_ARITY[name], maxLength: CLIFFORD_ARITY[name] })
      .map((qubits): Op => ({ kind: 'gate', name, qubits })));
  if (!rotations) return gate;
  return fc.oneof(gate, fc.tuple(pauliArb(n), fc.integer({ min: 1, max: 3 })).map(([pauli, k]): Op => ({ kind: 'rot', pauli, k })));
};

describe('CliffordFrame', () => {
  it('images equal gate-by-gate Heisenberg conjugation (last gate first), any register width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }).chain((n) =>
        fc.tuple(fc.constant(n), fc.array(opArb(n, false), { maxLength: 40 }), pauliArb(n))), ([n, ops, p]) => {
        const W = wordsFor(n);
        const frame = new CliffordFrame(n);
        for (const op of ops) if (op.kind === 'gate') frame.applyClifford(op.name, op.qubits);
        const img = new Uint32Array(2 * W);
        const sign = frame.imageOfSparse(p, img, 0);
        const ref = new Uint32Array(2 * W);
        packSparse(p, ref, 0, W);
        let flip = false;
        for (let i = ops.length - 1; i >= 0; i--) {
          const op = ops[i]!;
          if (op.kind === 'gate') flip = conjugateByClifford(op.name, op.qubits, ref, 0, W) !== flip;
        }
        expect(sparseFromPacked(img, 0, W, n)).toEqual(sparseFromPacked(ref, 0, W, n));
        expect(sign).toBe(flip ? -1 : 1);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('Clifford rotations exp(−i·k·π/4·G): V†PV as dense matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }).chain((n) =>
        fc.tuple(fc.constant(n), fc.array(opArb(n, true), { maxLength: 8 }), pauliArb(n))), ([n, ops, p]) => {
        const W = wordsFor(n);
        const frame = new CliffordFrame(n);
        const mats = [];
        for (const op of ops) {
          if (op.kind === 'gate') {
            frame.applyClifford(op.name, op.qubits);
            mats.push(embed(CLIFFORD_MATRICES[op.name], op.qubits, n));
          } else {
            frame.applyCliffordRotation(op.pauli, op.k);
            mats.push(rotationMatrix(op.pauli, (op.k * Math.PI) / 2, n));
          }
        }
        const V = mulAll(...mats.reverse(), pauliStringMatrix({ qubits: [], letters: [] }, n));
        const img = new Uint32Array(2 * W);
        const sign = frame.imageOfSparse(p, img, 0);
        const lhs = mulAll(adjoint(V), pauliStringMatrix(p, n), V);
        const rhs = scale(pauliStringMatrix(sparseFromPacked(img, 0, W, n), n), sign);
        expect(maxAbsDiff(lhs, rhs)).toBeLessThan(1e-12);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
