import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UserError } from '../../src/ir/errors.js';
import type { Observable, PauliLetter, PauliTerm } from '../../src/ir/types.js';
import { formatObservable, normalizeTerms, observableNorm1, parseObservableText } from '../../src/pauli/observable-text.js';
import { formatSparsePauli, sparsePauli } from '../../src/pauli/sparse.js';
import { maxAbsDiff, observableMatrix } from '../helpers/dense.js';

const SEED = Number(process.env.NC_SEED ?? 31337);

const termsOf = (o: Observable) => o.terms.map((t) => [formatSparsePauli(t.pauli), t.coeff]);

/** The thrown UserError's message, for checking the column it names. */
function errorOf(text: string, options: Parameters<typeof parseObservableText>[1] = {}): string {
  try {
    parseObservableText(text, options);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error(`'${text}' parsed without error`);
}

/** Random normalized observables: distinct strings, non-zero finite coefficients. */
const observableArb: fc.Arbitrary<PauliTerm[]> = fc
  .uniqueArray(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom<PauliLetter>('X', 'Y', 'Z')), { maxLength: 5 })
      .map((pairs) => {
        const seen = new Set<number>();
        return sparsePauli(pairs.filter(([q]) => !seen.has(q) && seen.add(q)));
      }),
    { selector: (p) => formatSparsePauli(p), minLength: 1, maxLength: 8 },
  )
  .chain((paulis) =>
    fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -5, max: 5 })), {
      minLength: paulis.length, maxLength: paulis.length,
    }).map((coeffs) => paulis.map((pauli, i) => ({ pauli, coeff: coeffs[i]! })).filter((t) => t.coeff !== 0)),
  )
  .filter((terms) => terms.length > 0);

describe('parseObservableText / formatObservable', () => {
  it('parses the documented example', () => {
    const o = parseObservableText('0.5*Z0 Z1 - X3', { numQubits: 4 });
    expect(termsOf(o)).toEqual([['Z0 Z1', 0.5], ['X3', -1]]);
    expect(formatObservable(o)).toBe('0.5*Z0 Z1 - X3');
  });

  it('accepts factor separators, lowercase letters, constants and exponents', () => {
    expect(termsOf(parseObservableText('2 z0*x1 + 1e-3*Y2 - .25 + I'))).toEqual([
      ['Z0 X1', 2], ['Y2', 1e-3], ['I', 0.75],
    ]);
    expect(termsOf(parseObservableText('-Z3 Z1'))).toEqual([['Z1 Z3', -1]]);
    expect(termsOf(parseObservableText('  X0  '))).toEqual([['X0', 1]]);
  });

  it('merges repeated strings and drops cancelled terms, keeping first-appearance order', () => {
    expect(termsOf(parseObservableText('Z0 + X1 - Z0 + 2*X1 + Z1 Z0'))).toEqual([['X1', 3], ['Z0 Z1', 1]]);
  });

  it('round-trips format → parse exactly for random normalized observables', () => {
    fc.assert(
      fc.property(observableArb, (terms) => {
        const text = formatObservable(terms);
        const parsed = parseObservableText(text);
        expect(termsOf(parsed)).toEqual(terms.map((t) => [formatSparsePauli(t.pauli), t.coeff]));
        expect(formatObservable(parsed)).toBe(text);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('the parsed observable has the matrix of the text (dense check)', () => {
    const o = parseObservableText('0.5*Z0 Z1 - X1 + 0.25*Y0 X1', { numQubits: 2 });
    const Z = observableMatrix({ name: 'z', terms: [{ coeff: 0.5, pauli: sparsePauli([[0, 'Z'], [1, 'Z']]) }] }, 2);
    const rest = observableMatrix({ name: 'r', terms: [
      { coeff: -1, pauli: sparsePauli([[1, 'X']]) },
      { coeff: 0.25, pauli: sparsePauli([[0, 'Y'], [1, 'X']]) },
    ] }, 2);
    const want = observableMatrix({ name: 'w', terms: [] }, 2);
    for (let i = 0; i < want.re.length; i++) {
      want.re[i] = Z.re[i]! + rest.re[i]!;
      want.im[i] = Z.im[i]! + rest.im[i]!;
    }
    expect(maxAbsDiff(observableMatrix(o, 2), want)).toBe(0);
  });

  it('formats the empty sum as 0 and identity terms as plain numbers', () => {
    expect(formatObservable([])).toBe('0');
    expect(formatObservable([{ coeff: 2, pauli: sparsePauli([]) }, { coeff: -1, pauli: sparsePauli([]) }])).toBe('2 - I');
  });

  it('observableNorm1 and normalizeTerms', () => {
    const o = parseObservableText('0.5*Z0 - 2*X1 + 0.25');
    expect(observableNorm1(o)).toBe(2.75);
    const z = sparsePauli([[0, 'Z']]);
    expect(normalizeTerms([{ coeff: 1, pauli: z }, { coeff: -1, pauli: z }])).toEqual([]);
  });
});

describe('errors name the column', () => {
  const cases: [string, number, RegExp, { numQubits?: number; dense?: boolean }?][] = [
    ['', 1, /expected a Pauli sum/],
    ['   ', 4, /expected a Pauli sum/],
    ['Z0 Q1', 4, /expected '\+' or '-' between terms/],
    ['Z0 +', 5, /expected a coefficient or a Pauli letter/],
    ['Z0 + * X1', 6, /expected a coefficient or a Pauli letter/],
    ['0.5*Z0 Z7', 8, /qubit 7 is out of range for 4 qubits/, { numQubits: 4 }],
    ['X1 + Z0 Z0', 6, /qubit 0 appears twice/],
    ['XZ', 1, /'XZ' looks like a dense Qiskit label .*pass --dense.* or write Z0 X1/],
    ['X Z0', 2, /expected a qubit index after 'X'/],
  ];
  for (const [text, column, pattern, options] of cases) {
    it(`'${text}' → column ${column}`, () => {
      const msg = errorOf(text, options ?? {});
      expect(msg).toMatch(new RegExp(`^observable: column ${column}: `));
      expect(msg).toMatch(pattern);
    });
  }

  it('uses the given name in messages', () => {
    expect(errorOf('Z0 Q', { name: 'H' })).toMatch(/^H: column 4: /);
  });
});

describe('dense labels (explicit flag only)', () => {
  it('reads the rightmost letter as qubit 0', () => {
    expect(termsOf(parseObservableText('XXZI', { dense: true }))).toEqual([['Z1 X2 X3', 1]]);
    expect(termsOf(parseObservableText('0.5*ZI - IZ + 2*YX', { dense: true }))).toEqual([['Z1', 0.5], ['Z0', -1], ['X0 Y1', 2]]);
  });

  it('is never guessed without the flag', () => {
    expect(errorOf('XXZI')).toMatch(/column 1: 'XXZI' looks like a dense Qiskit label \(rightmost letter = qubit 0\): pass --dense/);
  });

  it('rejects labels longer than the register, at the label', () => {
    expect(errorOf('Z0', { dense: true })).toMatch(/column 2: expected '\+' or '-'/);
    expect(errorOf('0.5*XXZ', { dense: true, numQubits: 2 })).toMatch(/column 5: dense label of 3 letters for 2 qubits/);
  });
});
