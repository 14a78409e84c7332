import type { Command } from 'commander';
import { parseInitialState } from '../../ir/states.js';
import { formatObservable } from '../../pauli/observable-text.js';
import { DEFAULT_MIN_ABS, propagate } from '../../propagation/index.js';
import { truncationWarnings } from '../hollow.js';
import {
  createProgress,
  intOption,
  loadCircuit,
  numberOption,
  printJson,
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
  let result;
  try {
    result = propagate(circuit, params, observable, {
      maxWeight: opts.maxWeight,
      minAbs: opts.minAbs,
      maxSins: opts.maxSins,
      maxFreq: opts.maxFreq,
      maxTerms: opts.maxTerms,
      initialState,
      onProgress: progress ? (i, n, live) => progress.update(`gate ${i} of ${n}, ${live} live terms`, i / n) : undefined,
    });
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

export function registerPropagateCommand(program: Command): void {
  program
    .command('propagate')
    .description(
      'Expectation value by Heisenberg Pauli propagation with truncations, for circuits of any size. ' +
        'Gates are applied last to first; after each gate equal strings merge, then every truncation ' +
        'is applied, as PauliPropagation.jl does.',
    )
    .argument('<file>', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3)')
    .option('-o, --observable <obs>', 'observable name from the file, or a Pauli sum such as "0.5*Z0 Z1 - X3" (default: first in file)')
    .option('-p, --params <file>', 'JSON file mapping parameter names to numbers or arrays')
    .option('--max-weight <k>', 'drop strings with more than k non-identity letters', intOption('--max-weight', 0))
    .option('--min-abs <c>', 'drop terms with |coefficient| < c', numberOption('--min-abs'), DEFAULT_MIN_ABS)
    .option('--max-sins <s>', 'drop terms whose path took more than s sin branches', intOption('--max-sins', 0))
    .option('--max-freq <f>', 'drop terms whose path took more than f branches (sin or cos)', intOption('--max-freq', 0))
    .option('--max-terms <n>', 'stop with an error when more than n terms would be live', intOption('--max-terms', 1))
    .option('--state <state>', 'initial state: zero, plus, or a bitstring (leftmost = qubit 0)', 'zero')
    .option('--dense', 'read --observable as dense labels (rightmost letter = qubit 0)')
    .option('--json', 'print JSON: {"value", "terms", "dropped_weight", "seconds", …}')
    .action((file: string, opts: PropagateCommandOptions) => {
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

function shorten(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}
