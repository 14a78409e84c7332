import { InvalidArgumentError, type Command } from 'commander';
import { applyRuntimeOptions, configureNoise, memorySizeOption, NOISE_COMMANDS, NOISE_HELP, numberOption } from '../common.js';
import { registerAnalyzeCommand } from './analyze.js';
import { registerAnsatzCommand } from './ansatz.js';
import { registerCheckCommand } from './check.js';
import { registerConvertCommand } from './convert.js';
import { registerCostCommand } from './cost.js';
import { registerEncodeCommand } from './encode.js';
import { registerExperimentCommand } from './experiment.js';
import { registerGradientsCommand } from './gradients.js';
import { registerPropagateCommand } from './propagate.js';
import { registerSimulateCommand } from './simulate.js';
import { registerSurrogateCommands } from './surrogate.js';
import { registerWorkerCommand } from './worker.js';

/** One-line summaries for the top-level command list; each command's --help has the details. */
const SUMMARIES: Record<string, string> = {
  simulate: 'exact expectation value and adjoint gradient (state vector; Clifford points at any size)',
  propagate: 'expectation value by Pauli propagation with truncations (PauliPropagation.jl semantics)',
  surrogate: 'build a Taylor (or Pauli-path) surrogate around a Clifford point, with error bounds',
  evaluate: 'evaluate a saved surrogate at parameter points',
  encode: 'apply the Linear Clifford Encoder (verified: dC/dθ_k = ±1 at the center)',
  gradients: 'gradient statistics around a Clifford point; barren-plateau fits over N',
  experiment: "reproduce the paper's experiments with JSON data, plots and a summary",
  cost: 'cost of simulating a region classically: order, counts, regime; --phase-diagram',
  check: 'property-test a simulability claim on your circuit (exit 1 when refuted)',
  ansatz: "print one of the paper's circuit families (mhea, fhea, rpqc, tfi, hea)",
  convert: 'convert between the DSL and OpenQASM 3',
  worker: 'take sweep tasks from a Redis job queue and compute them (run on many machines)',
};

/** Every subcommand, in the order `--help` lists them. */
export function registerCommands(program: Command): void {
  registerSimulateCommand(program);
  registerPropagateCommand(program);
  registerSurrogateCommands(program);
  registerEncodeCommand(program);
  registerGradientsCommand(program);
  registerExperimentCommand(program);
  registerCostCommand(program);
  registerCheckCommand(program);
  registerAnalyzeCommand(program);
  registerAnsatzCommand(program);
  registerConvertCommand(program);
  registerWorkerCommand(program);
  for (const c of program.commands) {
    const summary = SUMMARIES[c.name()];
    if (summary) c.summary(summary);
    // Shared by every command, given after the command name like its other options.
    c.option('--max-memory <size>', 'memory limit of this run, e.g. 4G, 512M, 2GiB (default: env NEARCLIFFORD_MAX_MEMORY, else half of RAM)', memorySizeOption);
    // One definition for every command that reads circuits; loadCircuit applies it.
    if (NOISE_COMMANDS.has(c.name())) c.option('--noise <model.json>', NOISE_HELP);
    if (TIMED.has(c.name())) {
      c.option('--time-limit <s>', 'stop cleanly after this many seconds (with what is finished where the command can)', positiveSeconds);
      c.option('--progress', 'show progress on stderr even when it is not a terminal');
    }
  }
  program.hook('preAction', (_program, action) => {
    applyRuntimeOptions(action.opts());
    configureNoise(NOISE_COMMANDS.has(action.name()) ? (action.opts() as { noise?: string }).noise : undefined);
  });
}

/** Commands that can run long enough for progress and a time limit to matter. */
const TIMED = new Set(['propagate', 'surrogate', 'gradients', 'experiment', 'check', 'simulate', 'cost', 'evaluate']);

function positiveSeconds(v: string): number {
  const n = numberOption('--time-limit')(v);
  if (!(n > 0)) throw new InvalidArgumentError('--time-limit must be a positive number of seconds');
  return n;
}
