/**
 * Shared helpers of the OpenQASM tests: gate lists without source locations, dense unitaries of
 * imported programs, and a matcher for positioned errors.
 */
import { expect } from 'vitest';
import { UserError } from '../../src/ir/errors.js';
import type { Circuit, Gate } from '../../src/ir/types.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import { circuitUnitary, diffUpToPhase, type CMatrix } from '../helpers/dense.js';

/** Gates without `source`, angles with −0 turned into 0, for structural comparison. */
export function bareGates(gates: readonly Gate[]): unknown[] {
  return gates.map((g) =>
    g.kind === 'clifford'
      ? { kind: g.kind, name: g.name, qubits: [...g.qubits] }
      : g.kind === 'channel'
        ? { kind: g.kind, name: g.name, qubits: [...g.qubits], strengths: [...g.strengths] }
        : {
            kind: g.kind,
            pauli: { qubits: [...g.pauli.qubits], letters: [...g.pauli.letters] },
            angle: { constant: g.angle.constant + 0, terms: g.angle.terms.map((t) => ({ param: t.param, coeff: t.coeff })) },
          },
  );
}

/** Imports and returns the circuit's unitary at the given parameters. */
export function unitaryOf(text: string, params: ArrayLike<number> = []): CMatrix {
  return circuitUnitary(parseQasm(text, 'u.qasm'), params);
}

/** The two programs implement the same unitary up to global phase. */
export function expectSameUnitary(a: Circuit, b: Circuit, params: ArrayLike<number> = [], tol = 1e-10): void {
  expect(a.numQubits).toBe(b.numQubits);
  const d = diffUpToPhase(circuitUnitary(a, params), circuitUnitary(b, params));
  expect(d).toBeLessThan(tol);
}

/** Parsing throws a UserError whose message starts with `file:line:column:` and matches `pattern`. */
export function expectQasmError(text: string, line: number, column: number, pattern: RegExp | string, file = 'f.qasm'): UserError {
  let caught: unknown;
  try {
    parseQasm(text, file);
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected an error for:\n${text}`).toBeInstanceOf(UserError);
  const err = caught as UserError;
  const prefix = `${file}:${line}:${column}: `;
  expect(err.message.startsWith(prefix), `message '${err.message}' should start with '${prefix}'`).toBe(true);
  if (typeof pattern === 'string') expect(err.message).toContain(pattern);
  else expect(err.message).toMatch(pattern);
  return err;
}
