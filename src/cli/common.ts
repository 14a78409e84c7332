import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { UserError } from '../ir/errors.js';
import { formatBytes, parseMemorySize, residentBytes, setMemoryLimit } from '../memory/limit.js';
import { checkTimeLimit, setTimeLimit } from '../memory/time.js';
import { bindParameters, unbindParameters } from '../ir/parameters.js';
import type { Circuit, Observable } from '../ir/types.js';
import { applyNoiseModel, parseNoiseModel, type NoiseModel } from '../noise/model.js';
import { resolveCenter } from '../clifford-point/resolve-center.js';
import { looksLikeQasm, parseCircuitText, resolveObservable as resolveObservableWith } from '../parsing/circuit-source.js';
import { createRng } from '../random/rng.js';

/** Shared plumbing of the CLI commands: reading inputs, resolving observables, printing. */

/** Global input options (main.ts sets them from `--include-path` and `--qasm-lenient`). */
export interface InputSettings {
  includePath: string[];
  qasmLenient: boolean;
}
const inputSettings: InputSettings = { includePath: [], qasmLenient: false };

export function configureInputs(settings: Partial<InputSettings>): void {
  Object.assign(inputSettings, settings);
}

let stdinText: string | undefined;
/**
 * `-` names standard input: read once, so a command that reads `-` twice sees the same text.
 * Keep this the only place that reads stdin.
 */
function readStdin(): string {
  if (stdinText === undefined) {
    try {
      stdinText = readFileSync(0, 'utf8');
    } catch (e) {
      throw new UserError(`cannot read standard input (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return stdinText;
}

/** Name of an input in messages: `<stdin>` for `-`. */
export function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

export function readTextFile(file: string, what = 'file'): string {
  if (file === '-') return readStdin();
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${what} '${file}'${code ? ` (${code})` : ''}`);
  }
}

export { looksLikeQasm, resolveObservable };

/**
 * Parses a circuit file (`-` = stdin): OpenQASM 2/3 (`.qasm` or an OPENQASM header) or the
 * nearclifford DSL; with `--noise MODEL.json`, the model's channels inserted.
 */
export function loadCircuit(file: string): Circuit {
  const text = readTextFile(file, 'circuit file');
  const circuit = parseCircuitText(displayName(file), text, (msg) => process.stderr.write(`note: ${msg}\n`), {
    includePath: inputSettings.includePath,
    lenient: inputSettings.qasmLenient,
  });
  return noiseSetting ? applyNoiseModel(circuit, noiseSetting.model) : circuit;
}

// ------------------------------------------------------------------ --noise MODEL.json

/** Commands whose circuits `--noise` applies to (they read a circuit and can run noisy ones). */
export const NOISE_COMMANDS: ReadonlySet<string> = new Set(['simulate', 'propagate', 'surrogate', 'gradients', 'check', 'cost', 'convert', 'encode', 'analyze']);

export const NOISE_HELP =
  'noise model: a JSON file (or inline JSON) inserting channels after gates by IR name or arity and on idle qubits, ' +
  'e.g. {"after": {"1q": [["depolarize", 0.001]], "2q": [["depolarize2", 0.01]]}, "idle": [["dephase", 0.0005]]} (docs/noise.md)';

let noiseSetting: { readonly model: NoiseModel; readonly source: string } | null = null;

/**
 * Reads `--noise` (a file, `-` = stdin, or inline JSON starting with `{`) and validates it; every
 * mistake names the file and what was expected. Unset: circuits are read as written.
 */
export function configureNoise(spec: string | undefined): void {
  if (spec === undefined) {
    noiseSetting = null;
    return;
  }
  const inline = spec.trim().startsWith('{');
  const where = inline ? '--noise' : `noise model '${displayName(spec)}'`;
  let json: unknown;
  if (inline) {
    try {
      json = JSON.parse(spec);
    } catch (e) {
      throw new UserError(`--noise: not valid JSON: ${(e as Error).message}`);
    }
  } else {
    json = readJsonFile(spec, 'noise model');
  }
  noiseSetting = { model: parseNoiseModel(json, where), source: inline ? 'inline' : displayName(spec) };
}

/** The `--noise` model in force (for task payloads, which apply it where they run), or null. */
export function noiseModelSetting(): NoiseModel | null {
  return noiseSetting?.model ?? null;
}

/**
 * The observable to measure: the name of one declared in the file, `@file.json` (a Qiskit
 * SparsePauliOp list), or a Pauli-sum text (`0.5*Z0 Z1 - X3`), which becomes the observable's
 * name. Without a spec, the file's only (or first) observable.
 */
function resolveObservable(circuit: Circuit, spec: string | undefined, dense = false): Observable {
  return resolveObservableWith(circuit, spec, dense, (file) => readJsonFile(file, 'observable file'));
}

export const PARAMS_HELP =
  'parameters: a JSON file (- = stdin) or inline JSON, {"theta": [0.1, 0.2], "a": 0.3} or a flat array [0.1, 0.2, 0.3] ' +
  'in declaration order; zero; or random:SEED[:SCALE] (uniform in ±SCALE, default π)';

/**
 * The parameter point from `--params`:
 *   a JSON file (`-` = stdin) or inline JSON text, holding an object `{"theta": [...], "a": 0.3}`
 *     (keys may also be elements `"theta[3]"`, or Qiskit's `"_theta_3_"`) or a flat array of
 *     numbers in flat-index order (declaration order; for one vector parameter, its elements);
 *   `zero` — every parameter 0;
 *   `random:SEED[:SCALE]` — each parameter uniform in [−SCALE, SCALE] (default π), seeded.
 */
export function readParameters(circuit: Circuit, spec: string | undefined): Float64Array {
  if (spec === undefined) {
    if (circuit.numParameters === 0) return new Float64Array(0);
    const names = circuit.parameters.map((p) => (p.length === null ? p.name : `${p.name}[${p.length}]`)).join(', ');
    throw new UserError(`the circuit has ${circuit.numParameters} parameters (${names}): pass --params P.json, zero, random:SEED or a JSON array`);
  }
  const t = spec.trim();
  if (t === 'zero') return new Float64Array(circuit.numParameters);
  const rnd = /^random:(\d+)(?::(.+))?$/.exec(t);
  if (rnd) {
    const scale = rnd[2] === undefined ? Math.PI : Number(rnd[2]);
    if (!Number.isFinite(scale) || scale < 0) throw new UserError(`--params ${spec}: the scale must be a non-negative number`);
    const rng = createRng(Number(rnd[1]));
    return Float64Array.from({ length: circuit.numParameters }, () => (2 * rng.next() - 1) * scale);
  }
  if (t.startsWith('random')) throw new UserError(`--params ${spec}: expected random:SEED or random:SEED:SCALE`);
  const inline = t.startsWith('[') || t.startsWith('{');
  const what = inline ? '--params' : `params file '${spec}'`;
  let value: unknown;
  if (inline) {
    try {
      value = JSON.parse(t);
    } catch (e) {
      throw new UserError(`--params: not valid JSON: ${(e as Error).message}`);
    }
  } else {
    value = readJsonFile(spec, 'params file');
  }
  return bindParameterValue(circuit, value, what);
}

/** A parsed params value (object or flat array) → the flat vector. */
export function bindParameterValue(circuit: Circuit, value: unknown, what: string): Float64Array {
  if (Array.isArray(value)) {
    const n = circuit.numParameters;
    if (value.length !== n) {
      throw new UserError(`${what}: a flat array needs ${n} numbers (the circuit's parameters in declaration order), got ${value.length}`);
    }
    const flat = new Float64Array(n);
    value.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new UserError(`${what}: element ${i} must be a finite number`);
      flat[i] = x;
    });
    return flat;
  }
  return bindParameters(circuit.parameters, elementKeys(circuit, value), what);
}

/** Folds `"theta[3]": x` and Qiskit's `"_theta_3_": x` keys into the vector `theta`. */
function elementKeys(circuit: Circuit, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  const declared = new Map(circuit.parameters.map((p) => [p.name, p]));
  let out: Record<string, unknown> | null = null;
  for (const [key, v] of Object.entries(obj)) {
    if (declared.has(key)) continue;
    const m = /^(.+)\[(\d+)\]$/su.exec(key) ?? /^_(.+)_(\d+)_$/su.exec(key);
    const d = m ? declared.get(m[1]!) : undefined;
    if (!m || !d || d.length === null) continue;
    const i = Number(m[2]);
    if (i >= d.length) throw new UserError(`params: '${key}' is out of range for ${d.name}[${d.length}]`);
    if (Object.hasOwn(obj, d.name)) throw new UserError(`params: '${key}' and '${d.name}' both given`);
    out ??= { ...obj };
    delete out[key];
    let arr = out[d.name];
    if (arr === undefined) out[d.name] = arr = new Array<unknown>(d.length).fill(undefined);
    if (!Array.isArray(arr)) throw new UserError(`params: '${key}' and '${d.name}' both given`);
    if (arr[i] !== undefined) throw new UserError(`params: ${d.name}[${i}] is given twice`);
    arr[i] = v;
  }
  if (out) {
    for (const d of circuit.parameters) {
      const arr = out[d.name];
      if (d.length !== null && Array.isArray(arr)) {
        const missing = arr.findIndex((x) => x === undefined);
        if (missing >= 0) throw new UserError(`params: missing ${d.name}[${missing}]`);
      }
    }
  }
  return out ?? obj;
}

/** The expansion point θ* from `zero` (default), `random-clifford[:seed]` or a params JSON file. */
export function readCenter(circuit: Circuit, text: string | undefined): Float64Array {
  // A center file may use every --params JSON shape (flat array, element keys).
  return resolveCenter(circuit, text, (file) =>
    unbindParameters(circuit.parameters, bindParameterValue(circuit, readJsonFile(file, 'center file'), `center file '${file}'`)),
  );
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
