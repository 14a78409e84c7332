import { describe, expect, it } from 'vitest';
import { CLIFFORD_GATES } from '../../src/ir/clifford-gates.js';
import { CLIFFORD_GATE_NAMES, type PauliLetter } from '../../src/ir/types.js';
import { conjugateByClifford } from '../../src/pauli/clifford.js';
import {
  add, adjoint, CLIFFORD_MATRICES, controlled, diffUpToPhase, identity, kron, maxAbsDiff, mul, PAULI, rx, ry, rz, scale,
  type CMatrix,
} from '../helpers/dense.js';

/** Textbook definitions, built from Pauli matrices and rotations only (independent of the records). */
const R = Math.SQRT1_2;
const ROT = { X: rx, Y: ry, Z: rz } as const;
const TEXTBOOK: Record<string, CMatrix> = {
  h: scale(add(PAULI.X, PAULI.Z), R),
  s: rz(Math.PI / 2),
  sdg: rz(-Math.PI / 2),
  x: PAULI.X,
  y: PAULI.Y,
  z: PAULI.Z,
  sx: rx(Math.PI / 2),
  sxdg: rx(-Math.PI / 2),
  cx: controlled(PAULI.X),
  cy: controlled(PAULI.Y),
  cz: controlled(PAULI.Z),
  swap: scale(add(add(kron(PAULI.I, PAULI.I), kron(PAULI.X, PAULI.X)), add(kron(PAULI.Y, PAULI.Y), kron(PAULI.Z, PAULI.Z))), 0.5),
};

/** Dense matrix of a record image such as '-XZ' (operand 0 is the left Kronecker factor). */
function imageMatrix(image: string): CMatrix {
  const factors = [...image.slice(1)].map((l) => PAULI[l === '_' ? 'I' : (l as PauliLetter)]);
  return scale(factors.length === 1 ? factors[0]! : kron(...factors), image[0] === '-' ? -1 : 1);
}

describe('Clifford gate records', () => {
  it('cover every IR Clifford name, keyed by their own name', () => {
    expect(Object.keys(CLIFFORD_GATES).sort()).toEqual([...CLIFFORD_GATE_NAMES].sort());
    for (const [k, g] of Object.entries(CLIFFORD_GATES)) expect(g.name).toBe(k);
  });

  for (const g of Object.values(CLIFFORD_GATES)) {
    describe(g.name, () => {
      const U = CLIFFORD_MATRICES[g.name];
      it('matrix equals the textbook definition up to a global phase', () => {
        expect(U.rows).toBe(2 ** g.arity);
        expect(diffUpToPhase(U, TEXTBOOK[g.name]!)).toBeLessThan(1e-12);
      });
      it('Heisenberg images are U†·P·U of the operand generators', () => {
        expect(g.heisenberg).toHaveLength(2 * g.arity);
        for (let k = 0; k < g.arity; k++) {
          for (const [j, letter] of (['X', 'Z'] as const).entries()) {
            const gen = g.arity === 1 ? PAULI[letter] : k === 0 ? kron(PAULI[letter], PAULI.I) : kron(PAULI.I, PAULI[letter]);
            const heis = mul(mul(adjoint(U), gen), U);
            expect(maxAbsDiff(heis, imageMatrix(g.heisenberg[2 * k + j]!))).toBeLessThan(1e-12);
          }
        }
      });
      it('inverse multiplies to the identity exactly', () => {
        expect(maxAbsDiff(mul(CLIFFORD_MATRICES[g.inverse], U), identity(U.rows))).toBeLessThan(1e-12);
      });
      it('quarter-turn form, when given, equals the rotation up to phase', () => {
        if (g.quarterTurn === null) return;
        expect(g.arity).toBe(1);
        const rot = ROT[g.quarterTurn.letter](g.quarterTurn.turns * (Math.PI / 2));
        expect(diffUpToPhase(U, rot)).toBeLessThan(1e-12);
      });
      it('packed conjugation follows the images on every input string', () => {
        // All 4^arity strings on operand qubits placed in different words (q = 3 and q = 40).
        const qubits = g.arity === 1 ? [40] : [3, 40];
        const W = 2;
        for (let code = 0; code < 4 ** g.arity; code++) {
          const a = new Uint32Array(2 * W);
          const letters: PauliLetter[] = [];
          const matrices: CMatrix[] = [];
          for (let k = 0; k < g.arity; k++) {
            const c = (code >> (2 * k)) & 3;
            const q = qubits[k]!;
            if (c & 1) a[q >>> 5] |= 1 << (q & 31);
            if (c & 2) a[W + (q >>> 5)] |= 1 << (q & 31);
            letters.push((['I', 'X', 'Z', 'Y'] as const)[c] as PauliLetter);
            matrices.push(PAULI[(['I', 'X', 'Z', 'Y'] as const)[c]!]);
          }
          const P = matrices.length === 1 ? matrices[0]! : kron(...matrices);
          const flip = conjugateByClifford(g.name, qubits, a, 0, W);
          const out = matrices.map((_, k) => {
            const q = qubits[k]!;
            const c = ((a[q >>> 5]! >>> (q & 31)) & 1) | (((a[W + (q >>> 5)]! >>> (q & 31)) & 1) << 1);
            return PAULI[(['I', 'X', 'Z', 'Y'] as const)[c]!];
          });
          const image = scale(out.length === 1 ? out[0]! : kron(...out), flip ? -1 : 1);
          expect(maxAbsDiff(mul(mul(adjoint(U), P), U), image), `${g.name} on ${letters.join('')}`).toBeLessThan(1e-12);
        }
      });
    });
  }
});
