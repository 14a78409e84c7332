import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { UserError } from '../ir/errors.js';
import { formatBytes, parseMemorySize, residentBytes, setMemoryLimit } from '../memory/limit.js';
import { checkTimeLimit, setTimeLimit } from '../memory/time.js';
import { bindParameters } from '../ir/parameters.js';
import { findObservable } from '../ir/circuit.js';
import type { Circuit, Observable } from '../ir/types.js';
import { parseObservableText } from '../pauli/observable-text.js';
import { resolveCenter } from '../clifford-point/resolve-center.js';
import { parseDsl } from '../parsing/dsl/index.js';
import { parseQasm } from '../parsing/qasm/index.js';

/** Shared plumbing of the CLI commands: reading inputs, resolving observables, printing. */

export function readTextFile(file: string, what = 'file'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${what} '${file}'${code ? ` (${code})` : ''}`);
  }
}

/** True when the text is OpenQASM (by its version header), else our DSL. */
export function looksLikeQasm(file: string, text: string): boolean {
  if (/\.qasm$/i.test(file)) return true;
  return /^\s*(\/\/[^\n]*\n\s*)*OPENQASM\b/.test(text);
}

/** Parses a circuit file: OpenQASM 2/3 (`.qasm` or an OPENQASM header) or the nearclifford DSL. */
export function loadCircuit(file: string): Circuit {
  const text = readTextFile(file, 'circuit file');
  if (looksLikeQasm(file, text)) {
    return parseQasm(text, file, { onNotice: (msg) => process.stderr.write(`note: ${msg}\n`) });
  }
  return parseDsl(text, file);
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

/** `--max-memory SIZE`: 4G, 512M, 2GiB… (a bad size is a usage error, exit 2). */
export function memorySizeOption(v: string): number {
  try {
    return parseMemorySize(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** Settings every command shares (`--max-memory`, `--progress`, `--time-limit`), set before its action runs. */
export const runtime = { forceProgress: false };

/**
 * Applies the shared options of the command about to run: the process memory limit, forced
 * progress and the time limit (which starts counting now).
 */
export function applyRuntimeOptions(opts: { maxMemory?: number; progress?: boolean; timeLimit?: number }): void {
  if (opts.maxMemory !== undefined) setMemoryLimit(opts.maxMemory);
  runtime.forceProgress = opts.progress === true;
  setTimeLimit(opts.timeLimit);
}

/**
 * Hollow-answer warnings: printed on stderr as `warning: …` lines (the JSON output carries them
 * in `"warnings"`); they never change the exit code.
 */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
}

export interface Progress {
  /**
   * Shows `text` (throttled); with `fraction` (0…1 of the work done) an ETA is added. Also the
   * place long loops stop at `--time-limit`: past it, this throws a TimeLimitError naming `text`.
   */
  update(text: string, fraction?: number): void;
  done(): void;
}

/**
 * A throttled one-line progress display on stderr, only when stderr is a terminal or
 * `--progress` asks for it (scripts and CI logs stay clean otherwise). Live sizes are part of the
 * text; an ETA is extrapolated from the elapsed time and the fraction done.
 */
export function createProgress(label: string): Progress {
  const show = process.stderr.isTTY === true || runtime.forceProgress;
  const tty = process.stderr.isTTY === true;
  const start = performance.now();
  let last = -Infinity; // the first update shows at once
  let shown = false;
  return {
    update(text: string, fraction?: number) {
      checkTimeLimit(`${label}: ${text}`);
      if (!show) return;
      const now = performance.now();
      if (now - last < (tty ? 200 : 1000)) return;
      last = now;
      shown = true;
      const elapsed = (now - start) / 1000;
      let eta = '';
      if (fraction !== undefined && fraction > 0.01 && fraction < 1 && elapsed > 1) {
        eta = `, ETA ${formatDuration((elapsed * (1 - fraction)) / fraction)}`;
      }
      const line = `${label}: ${text} (${formatDuration(elapsed)}${eta}, ${formatBytes(residentBytes())} resident)`;
      // Without a terminal each update is its own line (a log), with one it overwrites itself.
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    },
    done() {
      if (tty && shown) process.stderr.write('\r\x1b[K');
    },
  };
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
