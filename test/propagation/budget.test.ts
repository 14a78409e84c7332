import { describe, expect, it } from 'vitest';
import { ResourceLimitError, UserError } from '../../src/ir/errors.js';
import type { Circuit, Observable } from '../../src/ir/types.js';
import { propagate } from '../../src/propagation/propagate.js';
import { tfiBrickCircuit } from './circuits.js';

const z = (q: number): Observable => ({ name: 'O', terms: [{ coeff: 1, pauli: { qubits: [q], letters: ['Z'] } }] });

function withSource(c: Circuit): Circuit {
  return { ...c, gates: c.gates.map((g, i) => ({ ...g, source: { file: 'tfi.ncl', line: i + 10, column: 1 } })) };
}

describe.each([8, 40])('term budget (%i qubits)', (n) => {
  const c = withSource(tfiBrickCircuit(n, 4));
  const params = new Float64Array(c.numParameters).fill(0.4);

  it('stops with a ResourceLimitError naming the gate, its source line and the live terms', () => {
    let err: unknown;
    try {
      propagate(c, params, z(3), { maxTerms: 50, minAbs: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceLimitError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^term budget of 50 exceeded at gate \d+ of \d+ \(rotation [XZ]\d+( Z\d+)? at tfi\.ncl:\d+;/);
    expect(msg).toMatch(/with 50 live terms; raise `maxTerms` or tighten the truncation$/);
  });

  it('runs to the end when the budget suffices, never holding more than the budget', () => {
    const free = propagate(c, params, z(3), { minAbs: 1e-3 });
    const capped = propagate(c, params, z(3), { minAbs: 1e-3, maxTerms: free.peakTerms + 200 });
    expect(capped.value).toBe(free.value);
    expect(capped.terms).toBe(free.terms);
  });
});

describe('input validation', () => {
  const c = tfiBrickCircuit(4, 1);
  const params = new Float64Array(c.numParameters).fill(0.1);
  it('rejects bad options, parameter vectors, observables and states as user errors', () => {
    expect(() => propagate(c, params, z(1), { maxTerms: 0 })).toThrow(UserError);
    expect(() => propagate(c, params, z(1), { minAbs: -1 })).toThrow(/minAbs must be a number ≥ 0/);
    expect(() => propagate(c, params.subarray(1), z(1))).toThrow(/expected \d+ parameter values/);
    expect(() => propagate(c, params, z(7))).toThrow(/acts on qubit 7, but the circuit has 4 qubits/);
    expect(() => propagate(c, params, z(1), { initialState: { kind: 'basis', bits: [0, 1] } })).toThrow(/2 bits/);
  });
  it('reports an observable larger than the budget', () => {
    const big: Observable = { name: 'O', terms: [0, 1, 2, 3].map((q) => ({ coeff: 1, pauli: { qubits: [q], letters: ['X' as const] } })) };
    expect(() => propagate(c, params, big, { maxTerms: 2 })).toThrow(ResourceLimitError);
  });
});
