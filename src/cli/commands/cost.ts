import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { measureCost } from '../../cost/measure.js';
import { PHASE_EPS, phaseExponents, phaseQubits, writePhaseDiagram, type PhaseCell, type PhaseDiagram } from '../../cost/phase-diagram.js';
import { createLocalExecutor, defaultWorkers } from '../../parallel/pool.js';
import { PHASE_ROW_KIND } from '../../parallel/local-tasks.js';
import { boundsCost, boundsCostToJSON, costRegionToRegion, formatBoundsCost, type BoundsCost } from '../../cost/bounds-prediction.js';
import { costToJSON, formatCostText } from '../../cost/report.js';
import { estimateCost, type CostRegion, type CostSubject, type SigmaCriterion } from '../../cost/estimate.js';
import { DEFAULT_TAIL_PROBABILITY } from '../../bounds/order.js';
import { UsageError, UserError } from '../../ir/errors.js';
import { cliMeasurement } from '../flag-messages.js';
import { parseInitialState } from '../../ir/states.js';
import type { Circuit, Observable } from '../../ir/types.js';
import { toCsv } from '../csv.js';
import { createProgress, intOption, loadCircuit, numberOption, printJson, readCenter, resolveObservable } from '../common.js';
import { maxTermsHelp } from '../max-terms-help.js';

interface CostCliOptions {
  noise?: string;
  workers?: number;
  parameters?: number;
  eps?: number;
  sigma?: string;
  radius?: string;
  l1?: string;
  tailProb: number;
  sigmaCriterion: SigmaCriterion;
  observable?: string;
  dense?: boolean;
  center: string;
  state: string;
  measure?: boolean;
  maxTerms?: number;
  phaseDiagram?: boolean;
  out?: string;
  quick?: boolean;
  json?: boolean;
  csv?: boolean;
  certify?: boolean;
}

export function registerCostCommand(program: Command): void {
  program
    .command('cost')
    .description(
      'What simulating a region around a Clifford point would cost: the Taylor order\n' +
        'for --eps and its bound, the paper\'s parameter-shift count C(2D + m, m), upper\n' +
        'bounds on the Taylor and Pauli-path surrogates from the observable\'s light cone\n' +
        '(--measure builds them), the state-vector memory, and the regime (polynomial,\n' +
        'transition or super-polynomial, from how the region scales with D).\n' +
        '--phase-diagram --out DIR sweeps σ = D^-a over a grid of a and N (mHEA, L = N).',
    )
    .argument('[file]', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3); or give --parameters D instead')
    .option('-D, --parameters <D>', 'no circuit: D parameters, each driving one gate (‖O‖₁ = 1)', intOption('--parameters', 0))
    .option('--eps <ε>', 'target error of the surrogate over the region', numberOption('--eps'))
    .option('--sigma <σ>', 'Gaussian region δ ~ N(0, σ²I); σ may use D, e.g. 0.01, 1/D, D^-0.5')
    .option('--radius <r>', 'hypercube region |δ_k| ≤ r (may use D)')
    .option('--l1 <t>', 'a bound t on ‖δ‖₁ directly (may use D)')
    .option('--tail-prob <p>', 'Gaussian regions: the bound holds except with probability ≤ p', numberOption('--tail-prob'), DEFAULT_TAIL_PROBABILITY)
    .addOption(
      new Option('--sigma-criterion <c>', 'Gaussian regions: quantile (rigorous, as `surrogate`) or mean (E‖δ‖₁, the paper\'s criterion)')
        .choices(['quantile', 'mean'])
        .default('quantile'),
    )
    .option('-o, --observable <obs>', 'observable name from the file, or a Pauli sum such as "0.5*Z0 Z1 - X3" (default: first in file)')
    .option('--dense', 'read --observable as dense labels (rightmost letter = qubit 0)')
    .option('--center <c>', 'expansion point: zero, random-clifford[:seed], or a params JSON file', 'zero')
    .option('--state <state>', '--measure: initial state (zero, plus, or a bitstring)', 'zero')
    .option('--measure', 'build both surrogates and report their real terms, monomials, time and memory')
    .option('--max-terms <n>', maxTermsHelp('--measure: budget of live terms per build'), intOption('--max-terms', 16))
    .option('--certify', 'build upward from order 0 until the tightest rigorous bound (docs/bounds.md) certifies ε; report that order and its size')
    .option('--phase-diagram', 'sweep σ = D^-a over a grid of a and N (mHEA, L = N, ε = --eps or 1e-6) into --out')
    .option('--out <dir>', '--phase-diagram: output directory (JSON, SVG, PNG, summary.md)')
    .option('--quick', '--phase-diagram: a coarser grid')
    .option('--csv', 'print the estimate as a one-row CSV table (nested fields as dotted columns); --phase-diagram: also write phase-diagram.csv')
    .option('--workers <n>', `--phase-diagram: worker threads, one row of the grid per task (default: available cores, ${defaultWorkers()} here)`, intOption('--workers', 1))
    .option(
      '--json',
      'print JSON: {"order", "bound", "parameter_shift_evaluations", "regime", …}; counts beyond 2^53 are exact ' +
        'decimal strings (null past 2000 digits), each with a *_log10 field',
    )
    .action(async (file: string | undefined, opts: CostCliOptions) => {
      if (opts.phaseDiagram) return runPhaseDiagram(file, opts);
      runCost(file, opts);
    });
}

function regionOf(opts: CostCliOptions): CostRegion {
  const given = (['sigma', 'radius', 'l1'] as const).filter((k) => opts[k] !== undefined);
  if (given.length !== 1) {
    throw new UsageError(given.length === 0 ? 'give a region: --sigma σ, --radius r or --l1 t' : `give one region, not ${given.map((k) => `--${k}`).join(' and ')}`);
  }
  const kind = given[0]!;
  return { kind, text: opts[kind]! };
}

function runCost(file: string | undefined, opts: CostCliOptions): void {
  if (opts.eps === undefined) throw new UsageError('--eps ε is required (the target error of the surrogate)');
  if (file !== undefined && opts.parameters !== undefined) throw new UsageError('give a circuit file or --parameters D, not both');
  if (file === undefined && opts.parameters === undefined) throw new UsageError('give a circuit file or --parameters D');
  if (file === undefined && opts.noise !== undefined) throw new UsageError('--noise applies to a circuit file; --parameters D counts parameters only');
  if (opts.out !== undefined || opts.quick || opts.workers !== undefined) throw new UsageError('--out, --quick and --workers apply to --phase-diagram');
  const region = regionOf(opts);
  const costOpts = { eps: opts.eps, region, tailProbability: opts.tailProb, sigmaCriterion: opts.sigmaCriterion };
  let subject: CostSubject;
  let circuit: Circuit | null = null;
  let observable: Observable | null = null;
  let center: Float64Array | undefined;
  if (file !== undefined) {
    circuit = loadCircuit(file);
    observable = opts.observable === undefined && circuit.observables.length === 0 && !opts.measure
      ? null
      : resolveObservable(circuit, opts.observable, opts.dense);
    center = readCenter(circuit, opts.center);
    subject = { circuit, observable, center };
  } else {
    if (opts.measure) throw new UsageError('--measure builds the surrogates and needs a circuit file');
    if (opts.observable !== undefined) throw new UsageError('--observable needs a circuit file');
    subject = { numParameters: opts.parameters! };
  }
  const estimate = estimateCost(subject, costOpts);
  let measured;
  if (opts.measure && circuit) {
    // Progress of both builds on stderr (a terminal, or --progress); --time-limit ends a build as its error.
    const progress = createProgress('cost --measure');
    try {
      measured = cliMeasurement(measureCost(circuit, observable, estimate, {
        center, initialState: parseInitialState(opts.state, circuit.numQubits), maxTerms: opts.maxTerms,
        onProgress: (build, done, total, live) => progress.update(`${build} build: gate ${done}/${total}, ${live} terms`, done / total),
      }));
    } finally {
      progress.done();
    }
  }
  // Light-cone prediction (and with --certify the certified order) next to the paper's.
  let sharper: BoundsCost | undefined;
  if (opts.certify && (!circuit || !observable)) throw new UserError('--certify builds the surrogate and needs a circuit file with an observable');
  const boundRegion = circuit ? costRegionToRegion(region, circuit.numParameters, opts.tailProb) : null;
  if (opts.certify && boundRegion === null) throw new UserError('--certify needs --sigma or --radius (an ℓ1 bound names no per-gate displacement)');
  if (circuit && observable && boundRegion) {
    sharper = boundsCost(circuit, observable, boundRegion, opts.eps, {
      certify: opts.certify ?? false, ...(center ? { center } : {}), initialState: parseInitialState(opts.state, circuit.numQubits), maxTerms: opts.maxTerms,
    });
  }
  const json = { ...(costToJSON(estimate, measured) as Record<string, unknown>), ...(sharper ? boundsCostToJSON(sharper) : {}) };
  if (opts.csv) process.stdout.write(toCsv([json]));
  else if (opts.json) printJson(json);
  else process.stdout.write(formatCostText(estimate, measured) + (sharper ? formatBoundsCost(sharper) : ''));
}

async function runPhaseDiagram(file: string | undefined, opts: CostCliOptions): Promise<void> {
  if (file !== undefined || opts.parameters !== undefined) throw new UsageError('--phase-diagram sweeps mHEA itself: give no circuit file or --parameters');
  if (opts.sigma !== undefined || opts.radius !== undefined || opts.l1 !== undefined) {
    throw new UsageError('--phase-diagram sweeps σ = D^-a itself: drop --sigma/--radius/--l1');
  }
  if (opts.out === undefined) throw new UsageError('--phase-diagram needs --out DIR');
  if (opts.measure) throw new UsageError('--measure does not apply to --phase-diagram');
  if (opts.noise !== undefined) throw new UsageError('--noise applies to a circuit file, not to --phase-diagram (noiseless mHEA)');
  const diagram = await phaseDiagramOnWorkers(opts);
  try {
    mkdirSync(opts.out, { recursive: true });
  } catch (e) {
    throw new UserError(`cannot create --out directory '${opts.out}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const files = await writePhaseDiagram(opts.out, diagram);
  if (opts.csv) {
    writeFileSync(join(opts.out, 'phase-diagram.csv'), toCsv(diagram.cells));
    files.push(join(opts.out, 'phase-diagram.csv'));
  }
  if (opts.json) {
    printJson({ eps: diagram.eps, exponents: diagram.exponents, qubits: diagram.qubits, cells: diagram.cells.length, files });
    return;
  }
  process.stdout.write(`phase diagram: ${diagram.exponents.length} exponents × ${diagram.qubits.length} sizes, ε = ${diagram.eps}\n`);
  for (const f of files) process.stdout.write(`  ${f}\n`);
}

/** The phase diagram, one exponent row per task: the same cells as `phaseDiagram` in one thread. */
async function phaseDiagramOnWorkers(opts: CostCliOptions): Promise<PhaseDiagram> {
  const eps = opts.eps ?? PHASE_EPS;
  const exponents = phaseExponents(opts.quick ?? false);
  const qubits = phaseQubits(opts.quick ?? false);
  const executor = createLocalExecutor(opts.workers ?? defaultWorkers());
  try {
    const rows = await Promise.all(exponents.map((a) => executor.run<{ cells: PhaseCell[] }>(PHASE_ROW_KIND, `a=${a}`, { a, qubits, eps })));
    return { eps, exponents, qubits, cells: rows.flatMap((r) => r.cells) };
  } finally {
    await executor.close();
  }
}
