import { InvalidArgumentError, type Command } from 'commander';
import { parseInitialState } from '../../ir/states.js';
import { formatObservable } from '../../pauli/observable-text.js';
import { writeFileSync } from 'node:fs';
import { UserError } from '../../ir/errors.js';
import type { InitialState } from '../../ir/states.js';
import type { Observable } from '../../ir/types.js';
import { DEFAULT_MIN_ABS, machineThreads, propagate, propagateToSum } from '../../propagation/index.js';
import { applyDefaultTimeLimit } from '../../memory/time.js';
import { truncationWarnings } from '../hollow.js';
import {
  createProgress,
  intOption,
  loadCircuit,
  numberOption,
  printJson,
  PARAMS_HELP,
  printWarnings,
  readParameters,
  resolveObservable,
} from '../common.js';

export interface PropagateCommandOptions {
  observable?: string;
  params?: string;
  maxWeight?: number;
  minAbs: number;
  maxSins?: number;
  maxFreq?: number;
  maxTerms?: number;
  state: string;
  dense?: boolean;
  json?: boolean;
  dumpSum?: string;
  /** Worker threads (number or 'auto' for the machine's parallelism); default 1. */
  threads?: number | 'auto';
}

/** What `nearclifford propagate --json` prints (snake_case, as every --json output). */
export interface PropagateReport {
  value: number;
  terms: number;
  dropped_weight: number;
  seconds: number;
  peak_terms: number;
  dropped_terms: number;
  term_updates: number;
  qubits: number;
  gates: number;
  observable: string;
  state: string;
  threads: number;
  truncation: { max_weight: number | null; min_abs: number; max_sins: number | null; max_freq: number | null; max_terms: number | null };
  /** Hollow-answer warnings (observable truncated away, dropped weight ≥ |value|). */
  warnings: string[];
}

/**
 * Runs the command without printing (the action prints this report); `progress` shows a
 * progress line on stderr when it is a terminal.
 */
export function runPropagateCommand(file: string, opts: PropagateCommandOptions, progress = false): PropagateReport {
  return run(file, opts, progress).report;
}

function run(file: string, opts: PropagateCommandOptions, showProgress: boolean): { report: PropagateReport; observableText: string } {
  const circuit = loadCircuit(file);
  const observable = resolveObservable(circuit, opts.observable, opts.dense);
  const params = readParameters(circuit, opts.params);
  const initialState = parseInitialState(opts.state, circuit.numQubits);
  const progress = showProgress ? createProgress('propagate') : null;
  const threads = opts.threads === 'auto' ? machineThreads() : opts.threads ?? 1;
  let result;
  const options = {
    maxWeight: opts.maxWeight,
    minAbs: opts.minAbs,
    maxSins: opts.maxSins,
    maxFreq: opts.maxFreq,
    maxTerms: opts.maxTerms,
    threads,
    initialState,
    onProgress: progress ? (i: number, n: number, live: number) => progress.update(`gate ${i} of ${n}, ${live} live terms`) : undefined,
  };
  try {
    if (opts.dumpSum !== undefined) {
      // One run gives both: the sum is written out and the value is its overlap with the state.
      const { sum, ...stats } = propagateToSum(circuit, params, observable, options);
      const propagated = sum.toObservable(`propagated ${observable.name}`);
      const value = stateOverlap(propagated, initialState);
      writeSum(opts.dumpSum, propagated, circuit.numQubits, observable.name, value);
      result = { value, ...stats };
    } else {
      result = propagate(circuit, params, observable, options);
    }
  } finally {
    progress?.done();
  }
  const report: PropagateReport = {
    value: result.value,
    terms: result.terms,
    dropped_weight: result.droppedWeight,
    seconds: result.seconds,
    peak_terms: result.peakTerms,
    dropped_terms: result.droppedTerms,
    term_updates: result.termUpdates,
    qubits: circuit.numQubits,
    gates: circuit.gates.length,
    observable: observable.name,
    state: opts.state,
    threads,
    truncation: {
      max_weight: opts.maxWeight ?? null,
      min_abs: opts.minAbs,
      max_sins: opts.maxSins ?? null,
      max_freq: opts.maxFreq ?? null,
      max_terms: opts.maxTerms ?? null,
    },
    warnings: truncationWarnings(result.value, result.terms, result.droppedWeight, 'loosen --max-weight, --min-abs, --max-sins or --max-freq'),
  };
  return { report, observableText: formatObservable(observable) };
}

/**
 * Seconds `propagate` runs at most when no --time-limit is given: a Heisenberg propagation whose
 * truncations let the live terms grow (QV-like circuits at --max-weight 6) would otherwise run on
 * for hours below the memory-derived term budget. Exceeding it is one line, exit 1.
 */
export const PROPAGATE_DEFAULT_TIME_LIMIT = 600;

function threadsOption(v: string): number | 'auto' {
  if (v === 'auto') return 'auto';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected auto or an integer from 1 to 64');
  return n;
}

export function registerPropagateCommand(program: Command): void {
  program
    .command('propagate')
    .description(
      'Expectation value by Heisenberg Pauli propagation with truncations, for circuits of any size. ' +
        'Gates are applied last to first; after each gate equal strings merge, then every truncation ' +
        'is applied, as PauliPropagation.jl does. Without --time-limit a run stops after ' +
        `${PROPAGATE_DEFAULT_TIME_LIMIT} s (one line, exit 1); the term budget defaults to what fits in --max-memory.`,
    )
    .argument('<file>', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3); - reads standard input')
    .option('-o, --observable <obs>', 'observable name from the file, a Pauli sum such as "0.5*Z0 Z1 - X3", or @file.json (Qiskit SparsePauliOp list) (default: first in file)')
    .option('-p, --params <p>', PARAMS_HELP)
    .option('--max-weight <k>', 'drop strings with more than k non-identity letters', intOption('--max-weight', 0))
    .option('--min-abs <c>', 'drop terms with |coefficient| < c', numberOption('--min-abs'), DEFAULT_MIN_ABS)
    .option('--max-sins <s>', 'drop terms whose path took more than s sin branches', intOption('--max-sins', 0))
    .option('--max-freq <f>', 'drop terms whose path took more than f branches (sin or cos)', intOption('--max-freq', 0))
    .option('--max-terms <n>', 'stop with an error when more than n terms would be live', intOption('--max-terms', 1))
    .option(
      '--threads <n>',
      'worker threads: a number or auto (the machine\'s cores); the run moves to threads at 32768 live terms and gives the ' +
        'same terms and coefficients for any n. Experimental: slower than 1 thread on every case measured so far (README, Threads)',
      threadsOption,
    )
    .option('--state <state>', 'initial state: zero, plus, or a bitstring (leftmost = qubit 0)', 'zero')
    .option('--dense', 'read --observable as dense labels (rightmost letter = qubit 0)')
    .option('--dump-sum <file>', 'write the propagated, truncated sum U†OU as a Qiskit sparse Pauli list (JSON) to this file')
    .option('--json', 'print JSON: {"value", "terms", "dropped_weight", "seconds", …}')
    .action((file: string, opts: PropagateCommandOptions) => {
      // No run away: without --time-limit, propagate stops at its default (README: memory limit).
      applyDefaultTimeLimit(PROPAGATE_DEFAULT_TIME_LIMIT, 'propagate');
      const { report: r, observableText } = run(file, opts, true);
      printWarnings(r.warnings);
      if (opts.json) {
        printJson(r);
        return;
      }
      const t = r.truncation;
      const limits = [
        t.max_weight !== null ? `max weight ${t.max_weight}` : null,
        `min |c| ${t.min_abs}`,
        t.max_sins !== null ? `max sins ${t.max_sins}` : null,
        t.max_freq !== null ? `max freq ${t.max_freq}` : null,
        t.max_terms !== null ? `max terms ${t.max_terms}` : null,
      ].filter((x) => x !== null);
      process.stdout.write(
        [
          `observable     ${r.observable}: ${shorten(observableText, 100)}`,
          `qubits         ${r.qubits}    gates ${r.gates}    state ${r.state}`,
          `truncation     ${limits.join(', ')}`,
          `value          ${r.value}`,
          `terms          ${r.terms} (peak ${r.peak_terms})`,
          `dropped weight ${r.dropped_weight} (${r.dropped_terms} terms; bounds |truncation error|)`,
          `time           ${r.seconds.toFixed(3)} s, ${r.term_updates} term updates`,
        ].join('\n') + '\n',
      );
    });
}

/** ⟨ψ|O|ψ⟩ of a Pauli sum for the product states of REFERENCE §2. */
function stateOverlap(obs: Observable, state: InitialState): number {
  let v = 0;
  for (const t of obs.terms) {
    const letters = t.pauli.letters;
    if (state.kind === 'zero') {
      if (letters.every((l) => l === 'Z')) v += t.coeff;
    } else if (state.kind === 'plus') {
      if (letters.every((l) => l === 'X')) v += t.coeff;
    } else if (letters.every((l) => l === 'Z')) {
      let ones = 0;
      for (const q of t.pauli.qubits) ones += state.bits[q]!;
      v += ones % 2 === 0 ? t.coeff : -t.coeff;
    }
  }
  return v;
}

/**
 * Writes U†OU as Qiskit's sparse list, `{"num_qubits", "terms": [["XZ", [0, 2], 0.5], …]}`, largest
 * |coefficient| first: `SparsePauliOp.from_sparse_list(d["terms"], d["num_qubits"])` reads it, and
 * so does `--observable @FILE`.
 */
function writeSum(file: string, obs: Observable, numQubits: number, name: string, value: number): void {
  const terms = obs.terms
    .map((t) => [t.pauli.letters.join(''), [...t.pauli.qubits], t.coeff] as [string, number[], number])
    .sort((a, b) => Math.abs(b[2]) - Math.abs(a[2]) || (a[0] + a[1].join(',') < b[0] + b[1].join(',') ? -1 : 1));
  const lines = terms.map((t) => '    ' + JSON.stringify(t));
  const text =
    `{\n  "format": "sparse_pauli_list",\n  "num_qubits": ${numQubits},\n  "observable": ${JSON.stringify(name)},\n` +
    `  "value": ${JSON.stringify(value)},\n  "terms": [\n${lines.join(',\n')}\n  ]\n}\n`;
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UserError(`cannot write --dump-sum file '${file}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function shorten(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}
