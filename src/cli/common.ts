import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { UserError } from '../ir/errors.js';
import { bindParameters } from '../ir/parameters.js';
import type { Circuit } from '../ir/types.js';
import { resolveCenter } from '../clifford-point/resolve-center.js';
import { looksLikeQasm, parseCircuitText, resolveObservable } from '../parsing/circuit-source.js';

/** Shared plumbing of the CLI commands: reading inputs, resolving observables, printing. */

export function readTextFile(file: string, what = 'file'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${what} '${file}'${code ? ` (${code})` : ''}`);
  }
}

export { looksLikeQasm, resolveObservable };

/** Parses a circuit file: OpenQASM 2/3 (`.qasm` or an OPENQASM header) or the nearclifford DSL. */
export function loadCircuit(file: string): Circuit {
  return parseCircuitText(file, readTextFile(file, 'circuit file'), (msg) => process.stderr.write(`note: ${msg}\n`));
}

/** Reads a params JSON file (`{"theta": [..], "a": 0.3}`) into the flat vector. */
export function readParameters(circuit: Circuit, file: string | undefined): Float64Array {
  if (file === undefined) {
    if (circuit.numParameters === 0) return new Float64Array(0);
    const names = circuit.parameters.map((p) => p.name).join(', ');
    throw new UserError(`the circuit has ${circuit.numParameters} parameters (${names}): pass --params P.json`);
  }
  return bindParameters(circuit.parameters, readJsonFile(file, 'params file'), `params file '${file}'`);
}

/** The expansion point θ* from `zero` (default), `random-clifford[:seed]` or a params JSON file. */
export function readCenter(circuit: Circuit, text: string | undefined): Float64Array {
  return resolveCenter(circuit, text, (file) => readJsonFile(file, 'center file'));
}

export function readJsonFile(file: string, what: string): unknown {
  const text = readTextFile(file, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`${what} '${file}' is not valid JSON: ${(e as Error).message}`);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Commander argument parsers that turn bad values into one-line usage errors. */
export function intOption(name: string, min = 0): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return n;
  };
}

export function numberOption(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number`);
    return n;
  };
}

/**
 * A throttled one-line progress display on stderr, only when stderr is a terminal (scripts and
 * CI logs stay clean).
 */
export function createProgress(label: string): { update(text: string): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(text: string) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\x1b[K${label}: ${text}`);
    },
    done() {
      if (tty && shown) process.stderr.write('\r\x1b[K');
    },
  };
}
