import type { Command } from 'commander';
import { runAnalysis, DEFAULT_SIGMAS, DEFAULT_EPS, DEFAULT_TIME_BUDGET } from '../../analyze/analyze.js';
import { writeReport } from '../../analyze/write.js';
import { UserError } from '../../ir/errors.js';
import type { Observable, PauliLetter } from '../../ir/types.js';
import { ansatzSource } from './gradients.js';
import { intOption, loadCircuit, numberOption, printJson, readCenter, resolveObservable, createProgress } from '../common.js';

interface AnalyzeOptions {
  observable?: string;
  center: string;
  sigma?: string;
  eps: number;
  timeBudget: number;
  lce?: boolean;
  out: string;
  json?: boolean;
  sweep?: string;
  seed: number;
  exactMaxQubits: number;
  dense?: boolean;
}

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .summary('one report: is the circuit trainable here, and classically simulable here at what cost (HTML + JSON)')
    .description(
      'Answers both questions about one circuit around a Clifford center θ*, within a time budget:\n' +
        'the circuit and its light cones, the exact value and gradient at θ* and what the LCE changes,\n' +
        'per σ the needed Taylor order, surrogate sizes and build times (measured where the budget\n' +
        'allows, predicted otherwise), Pauli paths, propagation and parameter-shift costs, the regime,\n' +
        'gradient statistics with and without LCE, and landscape cuts against the surrogates. Writes\n' +
        'DIR/report.html (self-contained, offline), DIR/report.json and the plots as SVG and PNG.\n' +
        'What did not fit the budget is listed in the report.',
    )
    .argument('<file>', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3)')
    .option('-o, --observable <obs>', 'observable name from the file, or a Pauli sum such as "0.5*Z0 Z1 - X3" (default: first in file; global Z when it declares none)')
    .option('--center <c>', 'Clifford center θ*: zero, random-clifford[:seed], or a params JSON file', 'zero')
    .option('--sigma <list>', `comma-separated Gaussian widths, may use D (default ${DEFAULT_SIGMAS.join(',')})`)
    .option('--eps <ε>', 'target error of a certified surrogate', numberOption('--eps'), DEFAULT_EPS)
    .option('--time-budget <s>', 'seconds the whole analysis may take', numberOption('--time-budget'), DEFAULT_TIME_BUDGET)
    .option('--lce', 'verdicts from the LCE-encoded circuit (surrogates and landscape of the encoded circuit)')
    .option('--sweep <spec>', 'also sweep sizes: family:N:L as in `gradients --ansatz` (mhea:4-12:1), for decay fits and barren-plateau verdicts')
    .option('--seed <s>', 'random seed of every sample', intOption('--seed', 0), 0)
    .option('--exact-max-qubits <n>', 'largest qubit count for exact state-vector work', intOption('--exact-max-qubits', 1), 20)
    .option('--dense', 'read --observable as dense labels (rightmost letter = qubit 0)')
    .requiredOption('--out <dir>', 'output directory (report.html, report.json, plots)')
    .option('--json', 'print JSON: {"html", "json", "summary": [{sigma, verdict, text}], "not_done", "seconds"}')
    .action(async (file: string, opts: AnalyzeOptions) => {
      if (!(opts.timeBudget > 0)) throw new UserError(`--time-budget must be a positive number of seconds, got ${opts.timeBudget}`);
      const circuit = loadCircuit(file);
      // A file without observables (typical for OpenQASM exports) gets the paper's global Z, said aloud.
      const fallback = opts.observable === undefined && circuit.observables.length === 0;
      if (fallback) process.stderr.write(`note: ${file} declares no observable; analysing global Z (Z on all ${circuit.numQubits} qubits); pass --observable to choose\n`);
      const observable: Observable = fallback
        ? { name: 'global_z', terms: [{ coeff: 1, pauli: { qubits: Array.from({ length: circuit.numQubits }, (_, i) => i), letters: Array.from({ length: circuit.numQubits }, () => 'Z' as PauliLetter) } }] }
        : resolveObservable(circuit, opts.observable, opts.dense);
      const center = readCenter(circuit, opts.center);
      const sigmas = opts.sigma?.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (sigmas && sigmas.length === 0) throw new UserError('--sigma: give at least one width');
      const progress = createProgress('analyze');
      const sweep = opts.sweep ? sweepOf(opts.sweep, observable) : undefined;
      const result = runAnalysis({
        circuit, observable, center, centerText: opts.center, file,
        ...(sigmas ? { sigmas } : {}),
        eps: opts.eps, timeBudget: opts.timeBudget, lce: opts.lce === true, seed: opts.seed, exactMaxQubits: opts.exactMaxQubits,
        ...(sweep ? { sweep } : {}),
        onProgress: (t) => progress.update(t),
      });
      progress.update('writing the report');
      const written = await writeReport(opts.out, circuit, result);
      progress.done();
      const seconds = result.budget.elapsed();
      if (opts.json) {
        printJson({
          html: written.html,
          json: written.json,
          summary: result.data.summary.map((v) => ({ sigma: v.sigma, verdict: v.kind, text: v.text })),
          not_done: result.data.notDone.map((s) => `${s.section}: ${s.item}: ${s.reason}`),
          notes: written.notes,
          seconds,
        });
        return;
      }
      const lines = [
        ...result.data.summary.map((v) => `σ = ${v.sigma.padEnd(9)} ${v.text}`),
        ...(result.data.notDone.length ? [`${result.data.notDone.length} item(s) did not fit the ${opts.timeBudget} s budget (listed in the report)`] : []),
        ...written.notes.map((n) => `note: ${n}`),
        `analysis took ${seconds.toFixed(1)} s`,
        `report: ${written.html}`,
        `data:   ${written.json}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

/**
 * The sweep's observable at each size: a single string acting with one letter on every qubit
 * (global Z) becomes that letter on all N qubits; any other observable is used as written and must
 * fit the smallest size.
 */
function sweepOf(spec: string, observable: Observable) {
  const source = ansatzSource(spec);
  const single = observable.terms.length === 1 ? observable.terms[0]! : null;
  const letters = single ? new Set(single.pauli.letters) : new Set<PauliLetter>();
  const global = single !== null && letters.size === 1 && single.pauli.qubits.every((q, i) => q === i) && single.pauli.qubits.length > 1;
  const maxQubit = Math.max(-1, ...observable.terms.flatMap((t) => t.pauli.qubits));
  const smallest = Math.min(...source.sizes);
  if (!global && maxQubit >= smallest) {
    throw new UserError(`--sweep '${spec}': the observable acts on qubit ${maxQubit}, which the size ${smallest} does not have; use an observable on low qubits (e.g. "Z0") or a global one (Z on every qubit)`);
  }
  const letter = [...letters][0] ?? 'Z';
  return {
    spec,
    sizes: source.sizes,
    build: source.build,
    observable: (N: number): Observable => global
      ? { name: `global_${letter}`, terms: [{ coeff: single!.coeff, pauli: { qubits: Array.from({ length: N }, (_, i) => i), letters: Array.from({ length: N }, () => letter as PauliLetter) } }] }
      : observable,
  };
}
