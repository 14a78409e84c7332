/**
 * Sweeps on every core and on many machines (issue 16): experiment 3 (trainability) run by the
 * built CLI with --workers 1, with --workers 2, and through the Redis queue with two local
 * `nearclifford worker --workers 1` processes. Targets: speed-up ≥ 1.8× for two workers, queue
 * overhead ≤ 10 % against the pool. Each time is one CLI process from start to exit (the queue
 * workers are started, and warm, before the clock starts, as on a cluster). The records of the
 * three runs are compared (timing fields aside) and must be identical.
 *
 * Sizes (all four families each; `--reduced`, `--medium`, `--full`, or NC_BENCH_SIZE=…):
 * * reduced: N ≤ 12, 8 seeds, ~20 s per run. Its tasks are so small (13 s of compute in 352
 *   tasks) that process start-up and the pool's warm-up hide the speed-up: a smoke test only.
 * * medium (the default): N = 2…16 like the full size but 12 seeds instead of 50, about a quarter
 *   of the full work (~80 s with one worker on a quiet machine, so ~3–4 min for the whole bench).
 *   Large enough tasks that the ratio means what the full size's does.
 * * full (`--full`, NC_BENCH_FULL=1): N = 2…16, 50 seeds, 3,000 cells (865 s with one worker,
 *   422 s with two on this 2-core machine, load ≈ 1).
 * Needs `npm run build` and Debian's redis-server. `--repeat=R` alternates R runs of each pool
 * mode and keeps the best (default 2 for reduced, 1 otherwise). The load average (1, 5, 15 min)
 * is recorded before and after every timed run: ratios measured under load (other jobs on the
 * cores) are not the machine's. Writes bench/results/parallel.json (medium), parallel-full.json or
 * parallel-reduced.json.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const SIZES = {
  reduced: ['--family', 'all', '--max-qubits', '12', '--seeds', '8'],
  medium: ['--family', 'all', '--max-qubits', '16', '--seeds', '12'],
  full: ['--family', 'all'],
} as const;
type Size = keyof typeof SIZES;
const flagged = (Object.keys(SIZES) as Size[]).filter((s) => process.argv.includes(`--${s}`));
const fromEnv = process.env.NC_BENCH_FULL === '1' ? 'full' : process.env.NC_BENCH_SIZE;
if (flagged.length > 1) throw new Error(`give one size: ${flagged.map((s) => `--${s}`).join(' ')}`);
if (fromEnv !== undefined && !(fromEnv in SIZES)) throw new Error(`NC_BENCH_SIZE must be one of ${Object.keys(SIZES).join(', ')}, got '${fromEnv}'`);
const size: Size = flagged[0] ?? (fromEnv as Size | undefined) ?? 'medium';
const full = size === 'full';
const sizeArgs: readonly string[] = SIZES[size];

if (!existsSync(cli) || !existsSync(join(root, 'dist', 'pool-worker.js'))) {
  process.stdout.write('building dist/ (npm run build) …\n');
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}
if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('redis-server is missing (apt-get install redis-server)');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Stopping the bench stops what it started (CLI runs, workers, redis-server), never anything else.
const started = new Set<ChildProcess>();
const track = (p: ChildProcess): ChildProcess => {
  started.add(p);
  p.once('exit', () => started.delete(p));
  return p;
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    for (const p of started) p.kill('SIGKILL');
    process.exit(130);
  });
}

/** Every timed run with the load average around it (1, 5 and 15 minutes, as `uptime` shows). */
const runs: { mode: string; seconds: number; loadBefore: number[]; loadAfter: number[] }[] = [];
function timed(mode: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const loadBefore = loadavg();
    const t0 = performance.now();
    const p = track(spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'inherit'] }));
    p.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}`));
      const seconds = (performance.now() - t0) / 1000;
      runs.push({ mode, seconds, loadBefore, loadAfter: loadavg() });
      resolve(seconds);
    });
  });
}
const records = (dir: string) => readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter((l) => l)
  .map((l) => JSON.stringify({ ...JSON.parse(l), seconds: 0 })).sort();
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const base = mkdtempSync(join(tmpdir(), 'nc-bench-parallel-'));
// A fresh directory per run: a run must compute every record, never resume another's.
let runCount = 0;
const run = (name: string, extra: string[]) => timed(name, ['experiment', 'trainability', ...sizeArgs, '--out', join(base, `${name}-${++runCount}`), ...extra]);
const lastDir = (name: string) => join(base, `${name}-${runs.map((r, i) => [r.mode, i + 1] as const).filter(([m]) => m === name).at(-1)![1]}`);
const loadBefore = loadavg();
process.stdout.write(`experiment 3, ${size} size (${sizeArgs.join(' ')}), out ${base}, load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}\n`);
// Alternating runs, best of each: on a shared machine the load drifts between runs.
const repeatArg = process.argv.find((a) => a.startsWith('--repeat='))?.slice('--repeat='.length)
  ?? (process.argv.includes('--repeat') ? process.argv[process.argv.indexOf('--repeat') + 1] : undefined);
const repeats = Number(repeatArg ?? 0) || (size === 'reduced' ? 2 : 1);
const times1: number[] = [], times2: number[] = [];
for (let i = 0; i < repeats; i++) {
  times1.push(await run('workers1', ['--workers', '1']));
  process.stdout.write(`  --workers 1: ${times1.at(-1)!.toFixed(1)} s\n`);
  times2.push(await run('workers2', ['--workers', '2']));
  process.stdout.write(`  --workers 2: ${times2.at(-1)!.toFixed(1)} s\n`);
}
const w1 = Math.min(...times1), w2 = Math.min(...times2);
process.stdout.write(`  best: ${w1.toFixed(1)} s vs ${w2.toFixed(1)} s (${(w1 / w2).toFixed(2)}×)\n`);

const port = await freePort();
const redis: ChildProcess = track(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
const url = `redis://127.0.0.1:${port}`;
await sleep(500);
const workers = [0, 1].map(() => track(spawn(process.execPath, [cli, 'worker', '--queue', url, '--workers', '1', '--quiet'], { stdio: 'ignore' })));
await sleep(4000);
let queued: number;
try {
  queued = await run('queue', ['--queue', url]);
} finally {
  for (const w of workers) w.kill('SIGTERM');
  await sleep(500);
  redis.kill('SIGTERM');
}
process.stdout.write(`  queue, two workers: ${queued.toFixed(1)} s (overhead ${((queued / w2 - 1) * 100).toFixed(1)} % against the pool)\n`);
const identical = JSON.stringify(records(lastDir('workers1'))) === JSON.stringify(records(lastDir('workers2')))
  && JSON.stringify(records(lastDir('workers1'))) === JSON.stringify(records(lastDir('queue')));
// Sum of the records' own compute times: equal across modes when every thread has a core to
// itself; larger with two threads when the machine is loaded (the threads share cores with others).
const taskSeconds = (name: string) => readFileSync(join(lastDir(name), 'records.jsonl'), 'utf8').split('\n').filter((l) => l)
  .reduce((a, l) => a + (JSON.parse(l) as { seconds: number }).seconds, 0);
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  size,
  args: sizeArgs,
  records: records(lastDir('workers1')).length,
  seconds: { workers1: w1, workers2: w2, queueTwoWorkers: queued, allWorkers1: times1, allWorkers2: times2 },
  repeats,
  speedup: w1 / w2,
  /** Σ record.seconds of the last run of each mode (see above). */
  taskSecondsSum: { workers1: taskSeconds('workers1'), workers2: taskSeconds('workers2'), queue: taskSeconds('queue') },
  queueOverhead: queued / w2 - 1,
  targets: { speedup: 1.8, queueOverhead: 0.1 },
  identicalRecords: identical,
  loadAverageBefore: loadBefore,
  loadAverageAfter: loadavg(),
  /** Every timed run in order, with the 1/5/15-minute load averages just before and after it. */
  runs,
  note:
    `${size} size (${sizeArgs.join(' ')}) on a ${cpus().length}-core machine; 1-minute load average ${loadBefore[0]!.toFixed(2)} before, ` +
    `max ${Math.max(...runs.map((r) => r.loadAfter[0]!)).toFixed(2)} after a run. A load average above 0 before the bench means other ` +
    'jobs share the cores: speed-ups then fall short of the core count and are not the machine\'s; re-measure on a quiet machine' +
    (full ? '.' : ' and with --full.'),
};
// One file per size, so a quick re-measure never overwrites the full-size figures.
const file = join(root, 'bench', 'results', size === 'medium' ? 'parallel.json' : `parallel-${size}.json`);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
process.stdout.write(`records identical: ${identical}\nwrote ${file}\n`);
if (!identical) process.exit(1);
