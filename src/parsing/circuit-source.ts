import { UserError } from '../ir/errors.js';
import { findObservable } from '../ir/circuit.js';
import type { Circuit, Observable } from '../ir/types.js';
import { parseObservableText } from '../pauli/observable-text.js';
import { parseDsl } from './dsl/index.js';
import { parseQasm } from './qasm/index.js';

/**
 * A circuit given as text (a file's content and its name): OpenQASM 2/3 or the nearclifford DSL,
 * and the observable chosen on it. Used by the CLI for files and by workers for circuits that
 * travel inside task payloads, so both read a circuit the same way.
 */

/** True when the text is OpenQASM (by its version header or a .qasm name), else our DSL. */
export function looksLikeQasm(file: string, text: string): boolean {
  if (/\.qasm$/i.test(file)) return true;
  return /^\s*(\/\/[^\n]*\n\s*)*OPENQASM\b/.test(text);
}

export function parseCircuitText(file: string, text: string, onNotice?: (message: string) => void): Circuit {
  return looksLikeQasm(file, text) ? parseQasm(text, file, onNotice ? { onNotice } : {}) : parseDsl(text, file);
}

/**
 * The observable to measure: the name of one declared in the file, or a Pauli-sum text
 * (`0.5*Z0 Z1 - X3`). Without a spec, the file's only (or first) observable.
 */
export function resolveObservable(circuit: Circuit, spec: string | undefined, dense = false): Observable {
  if (spec === undefined) {
    const first = circuit.observables[0];
    if (!first) throw new UserError('no observable: pass --observable "Z0" (a Pauli sum) or declare one in the file');
    return first;
  }
  const named = /^[A-Za-z_][A-Za-z0-9_]*$/.test(spec) ? findObservable(circuit, spec) : undefined;
  if (named) return named;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(spec) && !/^[IXYZ]\d*$/.test(spec) && !dense) {
    const known = circuit.observables.map((o) => o.name).join(', ') || '(none)';
    throw new UserError(`unknown observable '${spec}' (the file declares: ${known}); or give a Pauli sum like "Z0 Z1"`);
  }
  return parseObservableText(spec, { name: 'observable', numQubits: circuit.numQubits, dense });
}
