import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { EXPERIMENTS, findExperiment, runExperiment, taylorOrderPaperExperiment, type RunResult } from '../../experiments/index.js';
import type { ExperimentDefinition } from '../../experiments/framework.js';
import type { KeyedRecord } from '../../experiments/store.js';
import { UsageError, UserError } from '../../ir/errors.js';
import { timeLimitReached } from '../../memory/time.js';
import { formatSeconds } from '../../reports/markdown.js';
import { createProgress, numberOption, printJson } from '../common.js';
import { toCsv } from '../csv.js';

interface ExperimentOptions {
  out?: string;
  quick?: boolean;
  resume?: boolean;
  timeCap?: number;
  timeLimit?: number;
  json?: boolean;
  csv?: boolean;
  criterion?: string;
}

export function registerExperimentCommand(program: Command): void {
  const list = EXPERIMENTS.map((e) => `  ${String(e.number).padEnd(2)} ${e.name.padEnd(20)} ${e.title}`).join('\n');
  program
    .command('experiment')
    .description(
      "Reproduces the paper's experiments (docs/science.md §6): records as JSON\n" +
        'lines (records.jsonl, appended as computed), SVG and PNG plots, results.json\n' +
        'and a markdown summary in --out. An interrupted run continues with --resume.\n' +
        'NAME is a name or number, or all:\n' + list,
    )
    .argument('<name>', 'experiment name or number, or all')
    .option('--out <dir>', 'output directory (for all: one subdirectory per experiment)')
    .option('--quick', 'small sizes and few seeds: under a minute per experiment')
    .option('--resume', 'keep the records already in DIR/records.jsonl and compute only the missing ones')
    .option('--time-cap <seconds>', 'stop starting new computations after this long; the report covers what finished', numberOption('--time-cap'))
    .option('--csv', 'also write DIR/records.csv: the records as a table, nested fields as dotted columns')
    .option('--json', 'print JSON: [{"name", "records", "planned", "seconds", "stopped_early", "files"}]')
    .option('--criterion <c>', "taylor-order only: ours (exact threshold for E‖δ‖₁, default) or paper (the authors' rule: one\n" +
      'sampled ‖θ‖₁ per N with their seed and draw order, their Lambert-W step; the summary compares cell for cell)', 'ours')
    .action(async (name: string, opts: ExperimentOptions) => {
      if (!opts.out) throw new UsageError('--out DIR is required: where to write records, plots and the summary');
      const defs = name === 'all' ? EXPERIMENTS : [findExperiment(name)];
      if (defs.some((d) => d === undefined)) {
        throw new UsageError(`unknown experiment '${name}'; one of: ${EXPERIMENTS.map((e) => `${e.number} ${e.name}`).join(', ')}, all`);
      }
      if (opts.criterion !== 'ours' && opts.criterion !== 'paper') throw new UserError(`--criterion must be ours or paper, got '${opts.criterion}'`);
      if (opts.criterion === 'paper' && !defs.some((d) => d?.name === 'taylor-order')) throw new UserError('--criterion paper applies to experiment taylor-order (4) only');
      const withCriterion = (d: ExperimentDefinition<KeyedRecord>) =>
        opts.criterion === 'paper' && d.name === 'taylor-order' ? (taylorOrderPaperExperiment as unknown as ExperimentDefinition<KeyedRecord>) : d;
      const results: RunResult[] = [];
      const start = performance.now();

      for (const def of defs) {
        const progress = createProgress(def!.name);
        const outDir = name === 'all' ? join(opts.out, def!.name) : opts.out;
        const r = await runExperiment(withCriterion(def!), {
          outDir,
          quick: opts.quick ?? false,
          resume: opts.resume ?? false,
          // --time-cap counts per experiment; --time-limit from the start of the command. Either
          // way the run stops starting tasks and still writes its report over what finished.
          ...(opts.timeCap !== undefined || opts.timeLimit !== undefined
            ? { timeCapSeconds: Math.max(0, Math.min(opts.timeCap ?? Infinity, (opts.timeLimit ?? Infinity) - (performance.now() - start) / 1000)) }
            : {}),
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
        if (!opts.json) {
          process.stdout.write(
            `${def!.number} ${def!.name}: ${r.records}/${r.planned} records (${r.computed} computed, ${r.skipped} resumed) in ${formatSeconds(r.seconds)}` +
              `${r.stoppedEarly ? ' — stopped at the time cap' : ''}\n  ${join(outDir, 'summary.md')}\n`,
          );
        }
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
