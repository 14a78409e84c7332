import { describe, expect, it } from 'vitest';
import type { Circuit, Observable } from '../../src/ir/types.js';
import { surrogateDocument, surrogateFromJSON } from '../../src/surrogate/serialize.js';
import { buildTaylorSurrogate } from '../../src/surrogate/taylor-build.js';

/**
 * Regression: rebuilding the monomial tree from a saved file lost the coefficient of the monomial
 * whose prefix insertion grew the node arrays (found by properties/bounds.test.ts). This case has
 * 10 monomials whose prefixes overflow the initial capacity of 20 nodes.
 */
const circuit = {
  numQubits: 4, parameters: [{ name: 'theta', length: 4, offset: 0 }], numParameters: 4, observables: [],
  gates: [
    { kind: 'rotation', pauli: { qubits: [0], letters: ['X'] }, angle: { constant: (3 * Math.PI) / 2, terms: [{ param: 1, coeff: 1 }] } },
    { kind: 'rotation', pauli: { qubits: [3], letters: ['X'] }, angle: { constant: 0, terms: [{ param: 0, coeff: 1 }, { param: 1, coeff: 1 }] } },
    { kind: 'rotation', pauli: { qubits: [1], letters: ['Y'] }, angle: { constant: -Math.PI / 2, terms: [{ param: 2, coeff: 1 }] } },
  ],
} as unknown as Circuit;
const observable = {
  name: 'O', terms: [{ coeff: 1, pauli: { qubits: [0, 1, 2, 3], letters: ['Z', 'X', 'Z', 'Y'] } }, { coeff: 1, pauli: { qubits: [1], letters: ['Z'] } }],
} as unknown as Observable;

describe('saved Taylor surrogates keep every coefficient', () => {
  it('the reloaded tree has the same monomials and values as the built one', () => {
    const s = buildTaylorSurrogate(circuit, observable, { order: 4 });
    const loaded = surrogateFromJSON(JSON.parse(JSON.stringify(surrogateDocument(s))));
    const list = (t: typeof s) => Object.fromEntries(t.coefficients().map((c) => [c.monomial, c.value]));
    expect(s.coefficients().length).toBeGreaterThanOrEqual(10);
    expect(list(loaded as typeof s)).toEqual(list(s));
    const x = Float64Array.of(0.3, -0.2, 0.4, 0.1);
    expect(loaded.value(x)).toBe(s.value(x));
  });
});
