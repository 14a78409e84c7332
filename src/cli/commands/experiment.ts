import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { EXPERIMENTS, findExperiment, runExperiment, taylorOrderPaperExperiment, type ExperimentOption, type RunResult } from '../../experiments/index.js';
import type { ExperimentDefinition } from '../../experiments/framework.js';
import type { KeyedRecord } from '../../experiments/store.js';
import { UsageError } from '../../ir/errors.js';
import { timeLimitReached } from '../../memory/time.js';
import { formatSeconds } from '../../reports/markdown.js';
import type { TaskExecutor } from '../../tasks/executor.js';
import { createProgress, intOption, numberOption, printJson } from '../common.js';
import { toCsv } from '../csv.js';
import { addQueueOption, addWorkersOption, executorFor, withInterrupt, type ParallelCliOptions } from '../parallel-options.js';

interface ExperimentOptions extends ParallelCliOptions {
  out?: string;
  quick?: boolean;
  resume?: boolean;
  timeCap?: number;
  timeLimit?: number;
  json?: boolean;
  csv?: boolean;
  criterion?: string;
  family?: string;
  maxQubits?: number;
  qubits?: number;
  seeds?: number;
}

const OPTION_FLAGS: Record<ExperimentOption, string> = { family: '--family', maxQubits: '--max-qubits', qubits: '--qubits', seeds: '--seeds' };

export function registerExperimentCommand(program: Command): void {
  const list = EXPERIMENTS.map((e) => `  ${String(e.number).padEnd(2)} ${e.name.padEnd(20)} ${e.title}`).join('\n');
  const cmd = program
    .command('experiment')
    .description(
      "Reproduces the paper's experiments (docs/science.md §6): records as JSON lines (records.jsonl, appended\n" +
        'as computed), SVG and PNG plots, results.json and a markdown summary in --out. An interrupted\n' +
        'run (Ctrl-C keeps every finished record) continues with --resume. Tasks run on --workers threads\n' +
        'or, with --queue, on `nearclifford worker` processes on any number of machines; the records are\n' +
        'the same either way (timing fields aside). NAME is a name or number, or all:\n' + list,
    )
    .argument('<name>', 'experiment name or number, or all')
    .option('--out <dir>', 'output directory (for all: one subdirectory per experiment)')
    .option('--quick', 'small sizes and few seeds: under a minute per experiment')
    .option('--resume', 'keep the records already in DIR/records.jsonl and compute only the missing ones (with --queue: re-attach, retrying failed tasks)')
    .option('--time-cap <seconds>', 'stop starting new computations after this long; the report covers what finished', numberOption('--time-cap'))
    .option('--family <f>', 'trainability: mhea-deep, mhea-shallow, fhea-shallow, rpqc or all (default all)')
    .option('--max-qubits <n>', 'trainability: largest N (default 16, --quick 10; at most 24)', intOption('--max-qubits', 2))
    .option('--qubits <n>', 'noise: the fixed register size N (default 4; density-matrix gradients, at most 10)', intOption('--qubits', 2))
    .option('--seeds <s>', 'trainability: seeds (fresh instances) per N (default 50, --quick 10); noise: per depth (default 20, --quick 4)', intOption('--seeds', 1))
    .option('--csv', 'also write DIR/records.csv: the records as a table, nested fields as dotted columns')
    .option('--json', 'print JSON: [{"name", "records", "planned", "seconds", "stopped_early", "files"}]')
    .option('--criterion <c>', "taylor-order only: ours (exact threshold for E‖δ‖₁, default) or paper (the authors' rule: one\n" +
      'sampled ‖θ‖₁ per N with their seed and draw order, their Lambert-W step; the summary compares cell for cell)', 'ours');
  addWorkersOption(cmd, 'tasks (timing experiments: default 1)');
  addQueueOption(cmd);
  cmd.action(async (name: string, opts: ExperimentOptions) => {
    if (!opts.out) throw new UsageError('--out DIR is required: where to write records, plots and the summary');
    const defs = name === 'all' ? EXPERIMENTS : [findExperiment(name)];
    if (defs.some((d) => d === undefined)) {
      throw new UsageError(`unknown experiment '${name}'; one of: ${EXPERIMENTS.map((e) => `${e.number} ${e.name}`).join(', ')}, all`);
    }
    for (const [option, flag] of Object.entries(OPTION_FLAGS) as [ExperimentOption, string][]) {
      if (opts[option] === undefined) continue;
      const unsupported = defs.filter((d) => !d!.options?.includes(option));
      if (name !== 'all' && unsupported.length > 0) {
        const takers = EXPERIMENTS.filter((d) => d.options?.includes(option)).map((d) => d.name).join(' and ');
        throw new UsageError(`${flag} applies to experiment ${takers}, not to ${unsupported[0]!.name}`);
      }
    }
    if (opts.criterion !== 'ours' && opts.criterion !== 'paper') throw new UsageError(`--criterion must be ours or paper, got '${opts.criterion}'`);
    if (opts.criterion === 'paper' && !defs.some((d) => d?.name === 'taylor-order')) throw new UsageError('--criterion paper applies to experiment taylor-order (4) only');
    const withCriterion = (d: ExperimentDefinition<unknown, KeyedRecord>) =>
      opts.criterion === 'paper' && d.name === 'taylor-order' ? (taylorOrderPaperExperiment as unknown as ExperimentDefinition<unknown, KeyedRecord>) : d;
    const start = performance.now();
    const results: RunResult[] = [];
    const executors = new Map<number, TaskExecutor>();
    // One executor per worker count: timing experiments default to one worker so parallel runs do not disturb their clocks.
    const executorOf = async (measuresTime: boolean): Promise<TaskExecutor> => {
      const n = opts.queue !== undefined ? -1 : opts.workers ?? (measuresTime ? 1 : 0);
      let e = executors.get(n);
      if (!e) executors.set(n, (e = await executorFor(opts, n > 0 ? n : undefined, opts.resume ?? false)));
      return e;
    };
    let interrupted = false;
    try {
      await withInterrupt(async (signal) => {
        for (const def of defs) {
          if (signal.aborted) break;
          const progress = createProgress(def!.name);
          const outDir = name === 'all' ? join(opts.out!, def!.name) : opts.out!;
          const supported = (o: ExperimentOption) => def!.options?.includes(o) && opts[o] !== undefined;
          const r = await runExperiment(withCriterion(def!), {
            outDir,
            quick: opts.quick ?? false,
            resume: opts.resume ?? false,
            ...(supported('family') ? { family: opts.family! } : {}),
            ...(supported('maxQubits') ? { maxQubits: opts.maxQubits! } : {}),
            ...(supported('qubits') ? { qubits: opts.qubits! } : {}),
            ...(supported('seeds') ? { seeds: opts.seeds! } : {}),
            // --time-cap counts per experiment; --time-limit from the start of the command. Either
            // way the run stops starting tasks and still writes its report over what finished.
            ...(opts.timeCap !== undefined || opts.timeLimit !== undefined
              ? { timeCapSeconds: Math.max(0, Math.min(opts.timeCap ?? Infinity, (opts.timeLimit ?? Infinity) - (performance.now() - start) / 1000)) }
              : {}),
            executor: await executorOf(def!.measuresTime ?? false),
            signal,
            onProgress: (p) => {
              if (!timeLimitReached()) progress.update(`${bar(p.done / Math.max(1, p.total))} ${p.done}/${p.total} ${p.label}`, p.done / Math.max(1, p.total));
            },
          });
          progress.done();
          if (opts.csv) {
            const jsonl = join(outDir, 'records.jsonl');
            const records = existsSync(jsonl)
              ? readFileSync(jsonl, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown)
              : [];
            writeFileSync(join(outDir, 'records.csv'), toCsv(records));
            results.push({ ...r, files: [...r.files, join(outDir, 'records.csv')] });
          } else {
            results.push(r);
          }
          if (r.interrupted) {
            interrupted = true;
            process.stderr.write(`${def!.name}: interrupted with ${r.records}/${r.planned} records kept in ${join(outDir, 'records.jsonl')}; --resume continues\n`);
            break;
          }
          if (!opts.json) {
            process.stdout.write(
              `${def!.number} ${def!.name}: ${r.records}/${r.planned} records (${r.computed} computed, ${r.skipped} resumed) in ${formatSeconds(r.seconds)}` +
                `${r.stoppedEarly ? ' — stopped at the time cap' : ''}\n  ${join(outDir, 'summary.md')}\n`,
            );
          }
        }
      }, () => process.stderr.write('\ninterrupted: stopping the workers; finished records are kept\n'));
    } finally {
      await Promise.allSettled([...executors.values()].map((e) => e.close()));
    }
    if (interrupted) {
      process.exitCode = 130;
      return;
    }
    if (opts.json) {
      printJson(results.map((r) => ({
        name: r.name, out: r.outDir, records: r.records, planned: r.planned, computed: r.computed, skipped: r.skipped,
        seconds: r.seconds, stopped_early: r.stoppedEarly, files: r.files,
      })));
    }
  });
}

function bar(fraction: number, width = 20): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}
