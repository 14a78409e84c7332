import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/ir/errors.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import { readCenter, readParameters, resolveObservable } from '../../src/cli/common.js';
import { createRng } from '../../src/random/rng.js';
import { denseExpectation } from '../helpers/dense.js';

/** The CLI's input conventions (src/cli/common.ts), in process: --params forms and --observable forms. */

const dir = mkdtempSync(join(tmpdir(), 'nc-inputs-'));
const circuit = parseDsl('qubits 2;\nparam θ[2];\nparam a;\nry(θ[0]) 0;\ncx 0 1;\nrz(θ[1] + a) 1;\nrx(a) 0;\nobservable energy = Z0 Z1 + 0.5*X0;\n', 'x.ncl');
const FIX = join(import.meta.dirname, '../fixtures/qiskit');

describe('--params forms', () => {
  it('flat array, inline JSON object, element keys, Qiskit names and files give the same point', () => {
    const want = [0.3, -0.7, 0.2];
    const file = join(dir, 'p.json');
    writeFileSync(file, '{"θ": [0.3, -0.7], "a": 0.2}');
    for (const spec of ['[0.3, -0.7, 0.2]', ' {"θ": [0.3, -0.7], "a": 0.2}', '{"θ[0]": 0.3, "_θ_1_": -0.7, "a": 0.2}', file]) {
      expect([...readParameters(circuit, spec)], spec).toEqual(want);
    }
    expect([...readCenter(circuit, file)]).toEqual(want);
  });

  it('zero and random:SEED[:SCALE] (uniform in ±SCALE from the seeded generator, default π)', () => {
    expect([...readParameters(circuit, 'zero')]).toEqual([0, 0, 0]);
    const draw = (seed: number, scale: number) => {
      const rng = createRng(seed);
      return [0, 0, 0].map(() => (2 * rng.next() - 1) * scale);
    };
    expect([...readParameters(circuit, 'random:7:0.1')]).toEqual(draw(7, 0.1));
    expect([...readParameters(circuit, 'random:7')]).toEqual(draw(7, Math.PI));
    expect([...readParameters(circuit, 'random:8')]).not.toEqual(draw(7, Math.PI));
  });

  it('wrong shapes and forms are one-line user errors', () => {
    const err = (spec: string) => {
      try {
        readParameters(circuit, spec);
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error(`no error for ${spec}`);
    };
    expect(err('[1, 2]')).toMatch(/a flat array needs 3 numbers \(the circuit's parameters in declaration order\), got 2/);
    expect(err('{"θ[5]": 1, "a": 0}')).toMatch(/'θ\[5\]' is out of range for θ\[2\]/);
    expect(err('{"θ[0]": 1, "a": 0}')).toMatch(/missing θ\[1\]/);
    expect(err('{"θ[0]": 1, "θ": [1, 2], "a": 0}')).toMatch(/'θ\[0\]' and 'θ' both given/);
    expect(err('random:x')).toMatch(/expected random:SEED or random:SEED:SCALE/);
    expect(err('[1, 2,')).toMatch(/--params: not valid JSON/);
    expect(() => readParameters(circuit, undefined)).toThrow(/pass --params P\.json, zero, random:SEED or a JSON array/);
  });
});

describe('--observable forms', () => {
  const qaoa = parseQasm(
    'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] a;\nqubit[3] q;\nh q[0];\nrx(a) q[1];\ncx q[0], q[2];\nry(0.4) q[2];\n',
  );
  it('@file.json in both SparsePauliOp list forms equals the explicit sum; the spec text is the name', () => {
    const explicit = resolveObservable(qaoa, '0.5*Z1 Z2 - 0.25*X0 X1 + 0.75*Z0 Y2 + 0.1');
    expect(explicit.name).toBe('0.5*Z1 Z2 - 0.25*X0 X1 + 0.75*Z0 Y2 + 0.1');
    for (const f of ['sparse_pauli_op_list.json', 'sparse_pauli_op_sparse.json']) {
      const o = resolveObservable(qaoa, `@${join(FIX, f)}`);
      expect(o.name).toBe(`@${join(FIX, f)}`);
      expect(denseExpectation(qaoa, [0.9], o)).toBeCloseTo(denseExpectation(qaoa, [0.9], explicit), 12);
    }
  });

  it('declared names win, misspellings get "did you mean", dense labels need --dense', () => {
    expect(resolveObservable(circuit, 'energy').name).toBe('energy');
    expect(() => resolveObservable(circuit, 'energi')).toThrow(/unknown observable 'energi' \(did you mean 'energy'\?\)/);
    expect(() => resolveObservable(circuit, 'ZZ')).toThrow(/'ZZ' looks like a dense Qiskit label .* pass --dense .* or write Z0 Z1/);
    expect(resolveObservable(circuit, 'ZX', true).terms).toEqual([{ coeff: 1, pauli: { qubits: [0, 1], letters: ['X', 'Z'] } }]);
  });
});
