/**
 * Wall time of the paper's experiments at full size (issue 5, item 5): experiment 1 (gradient
 * norm at θ* = 0: N ≤ 16 deep, ≤ 32 shallow, 10 seeds) and experiment 3 (trainability: mHEA with
 * L = N, N = 2…16, 50 seeds, five σ, exact adjoint gradients); `--all` adds 2, 4, 5 and 6, and
 * `--experiments a,b` picks by name. Run: `npx tsx bench/experiments.ts [--time-cap SECONDS]
 * [--out DIR]` (the cap applies per experiment; default 1800 s). Records what finished — tasks run
 * small to large, so a capped run still has complete curves up to some N — and merges the entries
 * into bench/results/experiments.json (with the load average: the machine is shared). Experiment
 * data go to --out (default a temp directory).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPERIMENTS, runExperiment, type RunResult } from '../src/experiments/index.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const timeCap = Number(option('--time-cap') ?? 1800);
const outRoot = option('--out') ?? join(tmpdir(), 'nearclifford-bench-experiments');
const names = option('--experiments')?.split(',')
  ?? (args.includes('--all') ? EXPERIMENTS.map((e) => e.name) : ['gradient-norm', 'trainability']);
for (const n of names) if (!EXPERIMENTS.some((e) => e.name === n)) throw new Error(`unknown experiment '${n}'`);

interface Entry {
  name: string;
  planned: number;
  records: number;
  seconds: number;
  stoppedEarly: boolean;
  /** Wall time of the records per N (sum over seeds and configurations), from the records themselves. */
  secondsByN: Record<string, number>;
  largestCompleteN: number | null;
  out: string;
  date: string;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
}

const results: Entry[] = [];
for (const name of names) {
  const def = EXPERIMENTS.find((e) => e.name === name)!;
  const out = join(outRoot, name);
  mkdirSync(out, { recursive: true });
  process.stdout.write(`experiment ${def.number} ${name} (cap ${timeCap} s) … `);
  const loadAverageBefore = loadavg();
  let last = 0;
  const r: RunResult = await runExperiment(def, {
    outDir: out,
    timeCapSeconds: timeCap,
    onProgress: (p) => {
      const now = Date.now();
      if (now - last > 30_000) {
        last = now;
        process.stdout.write(`\n  ${p.done}/${p.total} ${p.label}`);
      }
    },
  });
  const records = readFileSync(join(out, 'records.jsonl'), 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l) as { N?: number; seconds?: number });
  const secondsByN: Record<string, number> = {};
  for (const rec of records) {
    if (rec.N === undefined || rec.seconds === undefined) continue;
    secondsByN[rec.N] = (secondsByN[rec.N] ?? 0) + rec.seconds;
  }
  // Largest N up to which every planned task finished (tasks run smallest N first).
  const plannedPerN = new Map<number, number>();
  for (const t of def.plan({ quick: false })) {
    const N = Number(/N(\d+)/.exec(t.key)?.[1]);
    plannedPerN.set(N, (plannedPerN.get(N) ?? 0) + 1);
  }
  const donePerN = new Map<number, number>();
  for (const rec of records) if (rec.N !== undefined) donePerN.set(rec.N, (donePerN.get(rec.N) ?? 0) + 1);
  let largestCompleteN: number | null = null;
  for (const N of [...plannedPerN.keys()].sort((a, b) => a - b)) {
    if ((donePerN.get(N) ?? 0) < plannedPerN.get(N)!) break;
    largestCompleteN = N;
  }
  results.push({
    name, planned: r.planned, records: r.records, seconds: r.seconds, stoppedEarly: r.stoppedEarly,
    secondsByN, largestCompleteN, out,
    date: new Date().toISOString(), loadAverageBefore, loadAverageAfter: loadavg(),
  });
  process.stdout.write(`\n  ${r.records}/${r.planned} records in ${r.seconds.toFixed(1)} s${r.stoppedEarly ? ' (time cap)' : ''}\n`);
}

const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'experiments.json');
mkdirSync(dirname(file), { recursive: true });
// Merge with earlier entries so separate runs (e.g. --experiments vqe) add up.
const previous: Entry[] = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { results?: Entry[] }).results ?? []) : [];
const merged = [...previous.filter((p) => !results.some((r) => r.name === p.name)), ...results];
merged.sort((a, b) => EXPERIMENTS.findIndex((e) => e.name === a.name) - EXPERIMENTS.findIndex((e) => e.name === b.name));
writeFileSync(file, JSON.stringify({ node: process.version, cpus: cpus().length, timeCapSeconds: timeCap, results: merged }, null, 2) + '\n');
process.stdout.write(`wrote ${file}\n`);
