import { UserError } from '../ir/errors.js';
import { findObservable } from '../ir/circuit.js';
import type { Circuit, Observable } from '../ir/types.js';
import { parseObservableText, parseSparsePauliOp } from '../pauli/observable-text.js';
import { didYouMean } from './suggest.js';
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

/** Parses circuit text; `qasm` carries the OpenQASM include path and leniency (`--include-path`, `--qasm-lenient`). */
export function parseCircuitText(
  file: string, text: string, onNotice?: (message: string) => void,
  qasm: { includePath?: readonly string[]; lenient?: boolean } = {},
): Circuit {
  if (!looksLikeQasm(file, text)) return parseDsl(text, file);
  return parseQasm(text, file, { ...(onNotice ? { onNotice } : {}), includePath: [...(qasm.includePath ?? [])], lenient: qasm.lenient ?? false });
}

/** Identifiers as the DSL reads them (Unicode letters allowed). */
const NAME = /^[\p{L}_][\p{L}\p{N}\p{Mn}\p{Mc}_]*$/u;

/**
 * The observable to measure: the name of one declared in the file, `@file.json` (a Qiskit
 * SparsePauliOp list), or a Pauli-sum text (`0.5*Z0 Z1 - X3`), which becomes the observable's
 * name. Without a spec, the file's only (or first) observable.
 */
export function resolveObservable(
  circuit: Circuit, spec: string | undefined, dense = false, readJson?: (file: string) => unknown,
): Observable {
  if (spec === undefined) {
    const first = circuit.observables[0];
    if (!first) throw new UserError('no observable: pass --observable "Z0" (a Pauli sum) or declare one in the file');
    return first;
  }
  if (spec.startsWith('@')) {
    if (!readJson) throw new UserError(`observable '${spec}': a file reference cannot be read here; pass the observable itself`);
    return parseSparsePauliOp(readJson(spec.slice(1)), { name: spec, numQubits: circuit.numQubits });
  }
  const named = NAME.test(spec) ? findObservable(circuit, spec) : undefined;
  if (named) return named;
  if (NAME.test(spec) && !/^[IXYZ]\d*$/.test(spec) && !(dense && /^[IXYZ]+$/.test(spec))) {
    if (!dense && /^[IXYZ]{2,}$/.test(spec)) {
      return parseObservableText(spec, { name: spec, numQubits: circuit.numQubits, dense });
    }
    const names = circuit.observables.map((o) => o.name);
    const known = names.join(', ') || '(none)';
    throw new UserError(`unknown observable '${spec}'${didYouMean(spec, names)} (the file declares: ${known}); or give a Pauli sum like "Z0 Z1"`);
  }
  return parseObservableText(spec, { name: spec, numQubits: circuit.numQubits, dense });
}
