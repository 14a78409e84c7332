import { describe, expect, it } from 'vitest';
import { constantExpr } from '../../src/ir/affine.js';
import { cliffordGate, rotationGate } from '../../src/ir/gate-library.js';
import type { CliffordName, Gate, Observable, PauliLetter } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import { CLIFFORD_TABLES, SIGN_BIT } from '../../src/pauli/clifford-tables.js';
import { formatSparsePauli } from '../../src/pauli/sparse.js';
import { runPropagation } from '../../src/propagation/propagate.js';
import { circuitOf } from '../helpers/random-circuits.js';
import { naivePropagate } from './naive.js';

/** The explicit checks of REFERENCE §2, run through both engines. */

const obsOf = (letters: string, qubits: number[]): Observable => ({
  name: 'O',
  terms: [{ coeff: 1, pauli: { qubits, letters: letters.split('') as PauliLetter[] } }],
});

/** The propagated sum as {"X0 Z1": coeff}, exact zeros dropped. */
function propagated(n: number, gates: Gate[], obs: Observable, engine: 'narrow' | 'wide'): Record<string, number> {
  const { engine: e } = runPropagation(circuitOf(n, 0, gates), new Float64Array(0), obs, { minAbs: 0 }, engine);
  const out: Record<string, number> = {};
  for (const t of e.toPauliSum().toObservable().terms) out[formatSparsePauli(t.pauli)] = t.coeff;
  return out;
}

const th = 0.37;
const c = Math.cos(th), s = Math.sin(th);

describe.each(['narrow', 'wide'] as const)('REFERENCE §2 rules (%s engine)', (engine) => {
  const rot = (letters: string, qubits: number[]) => rotationGate(letters, qubits, constantExpr(th));
  const cases: [string, Gate, string, number[], Record<string, number>][] = [
    ['RX on Z → cos Z + sin Y', rot('X', [0]), 'Z', [0], { Z0: c, Y0: s }],
    ['RX on Y → cos Y − sin Z', rot('X', [0]), 'Y', [0], { Y0: c, Z0: -s }],
    ['RZ on X → cos X − sin Y', rot('Z', [0]), 'X', [0], { X0: c, Y0: -s }],
    ['RZ on Y → cos Y + sin X', rot('Z', [0]), 'Y', [0], { Y0: c, X0: s }],
    ['RYY on IZ → cos IZ − sin YX', rot('YY', [0, 1]), 'Z', [1], { Z1: c, 'Y0 X1': -s }],
    ['RYY on IX → cos IX + sin YZ', rot('YY', [0, 1]), 'X', [1], { X1: c, 'Y0 Z1': s }],
    ['RX on X (commuting) unchanged', rot('X', [0]), 'X', [0], { X0: 1 }],
  ];
  it.each(cases)('%s', (_name, gate, letters, qubits, expected) => {
    const got = propagated(2, [gate], obsOf(letters, qubits), engine);
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) expect(got[k]).toBeCloseTo(expected[k]!, 15);
  });

  const cliff = (name: CliffordName, qubits: number[]) => cliffordGate(name, qubits);
  const clifford: [string, Gate, string, number[], Record<string, number>][] = [
    ['H: X → Z', cliff('h', [0]), 'X', [0], { Z0: 1 }],
    ['H: Z → X', cliff('h', [0]), 'Z', [0], { X0: 1 }],
    ['H: Y → −Y', cliff('h', [0]), 'Y', [0], { Y0: -1 }],
    ['S: X → −Y', cliff('s', [0]), 'X', [0], { Y0: -1 }],
    ['S: Y → X', cliff('s', [0]), 'Y', [0], { X0: 1 }],
    ['CX: X_c → X_c X_t', cliff('cx', [0, 1]), 'X', [0], { 'X0 X1': 1 }],
    ['CX: Z_t → Z_c Z_t', cliff('cx', [0, 1]), 'Z', [1], { 'Z0 Z1': 1 }],
    ['CX: Z_c unchanged', cliff('cx', [0, 1]), 'Z', [0], { Z0: 1 }],
    ['CX: X_t unchanged', cliff('cx', [0, 1]), 'X', [1], { X1: 1 }],
    ['CX (control 1): X_1 → X_0 X_1', cliff('cx', [1, 0]), 'X', [1], { 'X0 X1': 1 }],
  ];
  it.each(clifford)('%s', (_name, gate, letters, qubits, expected) => {
    expect(propagated(2, [gate], obsOf(letters, qubits), engine)).toEqual(expected);
  });
});

describe('Clifford lookup tables', () => {
  // Every letter combination of every gate against the matrix-based conjugation of the naive reference.
  const LET = ['I', 'X', 'Z', 'Y'];
  for (const name of CLIFFORD_GATE_NAMES) {
    it(`${name} agrees with U†PU from matrices`, () => {
      const arity = CLIFFORD_ARITY[name];
      const table = CLIFFORD_TABLES[name].map;
      for (let code = 0; code < (arity === 1 ? 4 : 16); code++) {
        const letters = arity === 1 ? LET[code]! : LET[code & 3]! + LET[code >> 2]!;
        const qubits = arity === 1 ? [0] : [0, 1];
        const obs: Observable = {
          name: 'O',
          terms: [{ coeff: 1, pauli: { qubits: qubits.filter((_, i) => letters[i] !== 'I'), letters: letters.split('').filter((l) => l !== 'I') as PauliLetter[] } }],
        };
        const ref = naivePropagate(circuitOf(2, 0, [cliffordGate(name, qubits)]), [], obs, { minAbs: 0 }).terms;
        const entries = [...ref.entries()];
        expect(entries).toHaveLength(1);
        const [str, term] = entries[0]!;
        const out = table[code]!;
        const outLetters = arity === 1 ? LET[out & 3]! + 'I' : LET[out & 3]! + LET[(out >> 2) & 3]!;
        expect(outLetters).toBe(str);
        expect((out & SIGN_BIT) !== 0 ? -1 : 1).toBe(term.c);
      }
    });
  }
});
