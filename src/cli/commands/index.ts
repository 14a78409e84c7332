import { InvalidArgumentError, type Command } from 'commander';
import { applyRuntimeOptions, configureNoise, memorySizeOption, NOISE_COMMANDS, NOISE_HELP, numberOption } from '../common.js';

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

type Register = (program: Command) => void;

/**
 * Every subcommand, in the order `--help` lists them, with the names it registers and a loader of
 * its module. The modules are imported only when their command runs (the bundle splits each into
 * its own chunks): `propagate` need not compile the state-vector, surrogate, experiment, plotting
 * and queue code, which was most of the start-up of a small job.
 */
const COMMANDS: readonly { readonly names: readonly string[]; readonly load: () => Promise<Register> }[] = [
  { names: ['simulate'], load: async () => (await import('./simulate.js')).registerSimulateCommand },
  { names: ['propagate'], load: async () => (await import('./propagate.js')).registerPropagateCommand },
  { names: ['surrogate', 'evaluate'], load: async () => (await import('./surrogate.js')).registerSurrogateCommands },
  { names: ['encode'], load: async () => (await import('./encode.js')).registerEncodeCommand },
  { names: ['gradients'], load: async () => (await import('./gradients.js')).registerGradientsCommand },
  { names: ['experiment'], load: async () => (await import('./experiment.js')).registerExperimentCommand },
  { names: ['cost'], load: async () => (await import('./cost.js')).registerCostCommand },
  { names: ['check'], load: async () => (await import('./check.js')).registerCheckCommand },
  { names: ['analyze'], load: async () => (await import('./analyze.js')).registerAnalyzeCommand },
  { names: ['ansatz'], load: async () => (await import('./ansatz.js')).registerAnsatzCommand },
  { names: ['convert'], load: async () => (await import('./convert.js')).registerConvertCommand },
  { names: ['worker'], load: async () => (await import('./worker.js')).registerWorkerCommand },
];

/**
 * The subcommand commander will dispatch `args` (argv after the script) to, when that is certain
 * without the command table: the first operand, with only the program's own options
 * (`--include-path <dir>`, `--qasm-lenient`) before it. This mirrors commander's parseOptions:
 * program options are read anywhere, an unknown option sends the rest to the subcommand, so the
 * first operand is the command unless an unknown option (or `--`) comes before it. Anything else
 * (no operand, `help`, a misspelt command, `-h`, `-V`, an unknown option first) is undefined and
 * loads every command, so that help listings, suggestions and errors stay exactly as they are.
 */
export function dispatchedCommand(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--include-path') i++;
    else if (a === '--qasm-lenient' || a.startsWith('--include-path=')) continue;
    else if (a.length > 1 && a.startsWith('-')) return undefined;
    else return COMMANDS.some((c) => c.names.includes(a)) ? a : undefined;
  }
  return undefined;
}

/**
 * Registers the subcommands `args` can reach: only the dispatched one when it is certain
 * (dispatchedCommand), else all of them.
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const name = dispatchedCommand(args);
  const needed = name === undefined ? COMMANDS : COMMANDS.filter((c) => c.names.includes(name));
  // Loaded together (the imports overlap in time), registered in table order.
  const registers = await Promise.all(needed.map((c) => c.load()));
  for (const register of registers) register(program);
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
