import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { writeText } from '../reports/write.js';
import type { Schema } from '../tasks/schema.js';
import { inlineExecutor, type TaskExecutor, type TaskHandler } from '../tasks/executor.js';
import { RecordStore, type KeyedRecord } from './store.js';

/**
 * The shape every experiment of REFERENCE §5 follows: a plan of independent tasks, each a key and
 * a JSON payload (data, never code, so a task can run in another thread or on another machine),
 * a pure `compute(payload) → record` whose random streams depend only on the payload, and a
 * report built from whatever records exist. The runner hands tasks to an executor (this thread, a
 * worker pool or a Redis queue), appends each record as it arrives, and with `resume` skips the
 * keys already on disk. Because a record depends only on its payload, the records are the same for
 * any executor and any scheduling (timing fields aside).
 */
export interface TaskSpec<P> {
  readonly key: string;
  /** Shown by the progress display. */
  readonly label: string;
  readonly payload: P;
}

/** Experiment-specific scaling options (`--family`, `--max-qubits`, `--qubits`, `--seeds`). */
export type ExperimentOption = 'family' | 'maxQubits' | 'qubits' | 'seeds';

export interface ExperimentSettings {
  readonly quick: boolean;
  readonly family?: string;
  readonly maxQubits?: number;
  /** A fixed register size (experiments that sweep something else, such as depth). */
  readonly qubits?: number;
  readonly seeds?: number;
}

export interface ExperimentDefinition<P, R extends KeyedRecord> {
  readonly name: string;
  /** Number in REFERENCE §5. */
  readonly number: number;
  readonly title: string;
  readonly description: string;
  /**
   * Names the task kind when two definitions share `name` (taylor-order and its `--criterion paper`
   * variant): workers look compute functions up by kind, so each variant needs its own.
   */
  readonly taskName?: string;
  /** Which of the scaling options the experiment understands (others are usage errors). */
  readonly options?: readonly ExperimentOption[];
  /** Records wall times as their result: parallel runs would disturb them, so one worker by default. */
  readonly measuresTime?: boolean;
  /** Validates a payload received from elsewhere. */
  readonly payload: Schema<P>;
  plan(settings: ExperimentSettings): TaskSpec<P>[];
  compute(payload: P, key: string): R;
  /** Writes plots, summary.md and results.json into `outDir`; returns the files written. */
  report(records: readonly R[], settings: ExperimentSettings & { outDir: string; complete: boolean }): Promise<string[]>;
}

export interface ExperimentProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export interface RunOptions extends Partial<Omit<ExperimentSettings, 'quick'>> {
  readonly outDir: string;
  readonly quick?: boolean;
  readonly resume?: boolean;
  /** Stop starting new tasks after this many seconds (the report covers what finished). */
  readonly timeCapSeconds?: number;
  readonly onProgress?: (p: ExperimentProgress) => void;
  /** Where tasks run (default: this thread). The runner does not close it. */
  readonly executor?: TaskExecutor;
  /**
   * Aborting stops dispatching and returns at once, keeping every record that arrived; the caller
   * then closes the executor, which ends the tasks in flight.
   */
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly name: string;
  readonly outDir: string;
  readonly records: number;
  readonly computed: number;
  readonly skipped: number;
  readonly planned: number;
  readonly seconds: number;
  readonly stoppedEarly: boolean;
  /** Set when the run was aborted (Ctrl-C): no report was written. */
  readonly interrupted: boolean;
  readonly files: readonly string[];
}

export const RECORDS_FILE = 'records.jsonl';

/** The task kind under which an experiment's tasks travel (see parallel/tasks.ts). */
export const experimentTaskKind = (name: string): string => `experiment/${name}`;

export function experimentSettings(options: RunOptions): ExperimentSettings {
  return {
    quick: options.quick ?? false,
    ...(options.family !== undefined ? { family: options.family } : {}),
    ...(options.maxQubits !== undefined ? { maxQubits: options.maxQubits } : {}),
    ...(options.qubits !== undefined ? { qubits: options.qubits } : {}),
    ...(options.seeds !== undefined ? { seeds: options.seeds } : {}),
  };
}

export async function runExperiment<P, R extends KeyedRecord>(def: ExperimentDefinition<P, R>, options: RunOptions): Promise<RunResult> {
  const settings = experimentSettings(options);
  mkdirSync(options.outDir, { recursive: true });
  const store = new RecordStore<R>(join(options.outDir, RECORDS_FILE), options.resume ?? false);
  const tasks = def.plan(settings);
  const start = performance.now();
  const kind = experimentTaskKind(def.taskName ?? def.name);
  const executor = options.executor ?? inlineExecutor((k) => (k === kind ? experimentHandler(def) : undefined));
  const pending = tasks.filter((t) => !store.has(t.key));
  const skipped = tasks.length - pending.length;
  let computed = 0;
  let stoppedEarly = false;
  let failure: unknown = null;
  let abandoned = false;
  const overCap = () => options.timeCapSeconds !== undefined && (performance.now() - start) / 1000 >= options.timeCapSeconds;
  // A bounded window of tasks in flight: enough to keep every worker busy, few enough that a time
  // cap or Ctrl-C leaves little work abandoned.
  const window = Math.max(1, executor.concurrency);
  let next = 0;
  const inFlight = new Set<Promise<void>>();
  const aborted = () => options.signal?.aborted === true;
  const abortWait = options.signal ? new Promise<void>((r) => options.signal!.addEventListener('abort', () => r(), { once: true })) : null;
  while ((next < pending.length || inFlight.size > 0) && failure === null && !aborted() && !abandoned) {
    while (next < pending.length && inFlight.size < window && failure === null && !aborted()) {
      if (overCap()) {
        stoppedEarly = true;
        next = pending.length;
        break;
      }
      const task = pending[next++]!;
      options.onProgress?.({ done: skipped + computed, total: tasks.length, label: task.label });
      const p: Promise<void> = executor
        .run<R>(kind, task.key, task.payload)
        .then((record) => {
          if (record.key !== task.key) throw new Error(`task '${task.key}' returned a record keyed '${record.key}'`);
          if (!aborted() && !abandoned) {
            store.append(record);
            computed++;
            options.onProgress?.({ done: skipped + computed, total: tasks.length, label: task.label });
          }
        })
        .catch((e: unknown) => {
          if (!aborted() && !abandoned && failure === null) failure = e;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    if (inFlight.size > 0) {
      const waits: Promise<unknown>[] = [...inFlight];
      if (abortWait) waits.push(abortWait);
      // A queue computes elsewhere: at the time cap stop waiting (the tasks stay queued for --resume).
      const capLeft = executor.detached && options.timeCapSeconds !== undefined ? options.timeCapSeconds - (performance.now() - start) / 1000 : Infinity;
      if (Number.isFinite(capLeft)) waits.push(new Promise((r) => setTimeout(r, Math.max(0, capLeft) * 1000).unref()));
      await Promise.race(waits);
      if (executor.detached && overCap() && inFlight.size > 0) {
        stoppedEarly = abandoned = true;
        break;
      }
    }
    // Lets signal handlers (Ctrl-C) run between tasks even when tasks compute on this thread.
    await nextTurn();
  }
  if (failure !== null) {
    await Promise.allSettled([...inFlight]);
    throw failure;
  }
  const interrupted = aborted();
  if (interrupted) {
    return {
      name: def.name, outDir: options.outDir, records: store.size, computed, skipped, planned: tasks.length,
      seconds: (performance.now() - start) / 1000, stoppedEarly: true, interrupted: true, files: [join(options.outDir, RECORDS_FILE)],
    };
  }
  options.onProgress?.({ done: tasks.length, total: tasks.length, label: 'report' });
  const records = inPlanOrder(tasks, store.all());
  const complete = records.length === tasks.length;
  const files = records.length > 0
    ? await def.report(records, { ...settings, outDir: options.outDir, complete })
    : [writeText(options.outDir, 'summary.md', `# ${def.title}\n\nNo records were computed yet (time cap ${options.timeCapSeconds ?? 'none'} s); run again with --resume.\n`)];
  return {
    name: def.name,
    outDir: options.outDir,
    records: records.length,
    computed,
    skipped,
    planned: tasks.length,
    seconds: (performance.now() - start) / 1000,
    stoppedEarly,
    interrupted: false,
    files: [join(options.outDir, RECORDS_FILE), ...files],
  };
}

/** An experiment's compute as a task handler (what pools and queue workers run). */
export function experimentHandler<P, R extends KeyedRecord>(def: ExperimentDefinition<P, R>): TaskHandler<P, R> {
  return { kind: experimentTaskKind(def.taskName ?? def.name), payload: def.payload, compute: (p, key) => def.compute(p, key) };
}

/** The planned records in plan order (records arrive in completion order, which varies). */
export function inPlanOrder<R extends KeyedRecord>(tasks: readonly TaskSpec<unknown>[], records: readonly R[]): R[] {
  const byKey = new Map(records.map((r) => [r.key, r]));
  return tasks.flatMap((t) => {
    const r = byKey.get(t.key);
    return r ? [r] : [];
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the experiments: the seeds × sizes grid, and series of per-x statistics.

/** 2, 3, …, max (every size up to 16, then every other, then every fourth). */
export function sizeRange(min: number, max: number): number[] {
  const out: number[] = [];
  for (let n = min; n <= max; n += n < 16 ? 1 : n < 24 ? 2 : 4) out.push(n);
  if (out[out.length - 1] !== max) out.push(max);
  return out;
}

/** 0, 1, …, count − 1. */
export function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

type Axes = Record<string, readonly unknown[]>;
type Cell<A extends Axes> = { [K in keyof A]: A[K][number] };

/**
 * Every combination of the axes, the first axis outermost: `grid({ N: [2, 3], seed: [0, 1] })` is
 * N = 2 with seeds 0, 1, then N = 3. Plans list sizes outermost so a time cap keeps complete curves.
 */
export function grid<A extends Axes>(axes: A): Cell<A>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [name, values] of Object.entries(axes)) {
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [name]: v })));
  }
  return out as Cell<A>[];
}

/** Statistics of the observations at one x of a series: the mean with its standard error, and more. */
export interface PointStatistics {
  readonly n: number;
  readonly mean: number;
  /** Standard error of the mean, s/√n (0 for one observation). */
  readonly stderr: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Fraction of observations exactly 0. */
  readonly zeroFraction: number;
}

export function pointStatistics(values: readonly number[]): PointStatistics {
  const n = values.length;
  if (n === 0) return { n: 0, mean: NaN, stderr: NaN, median: NaN, min: NaN, max: NaN, zeroFraction: NaN };
  let sum = 0, zeros = 0, min = Infinity, max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const sorted = values.slice().sort((a, b) => a - b);
  const m = n >> 1;
  const median = n % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
  return { n, mean, stderr: n > 1 ? Math.sqrt(ss / (n - 1) / n) : 0, median, min, max, zeroFraction: zeros / n };
}

/** One observation: the series it belongs to (a few named fields), its x, its value. */
export interface Observation<G extends Record<string, string | number | boolean>> {
  readonly group: G;
  readonly x: number;
  readonly y: number;
}

export interface Series<G> {
  readonly group: G;
  /** Sorted x values with at least one observation. */
  readonly x: number[];
  readonly points: PointStatistics[];
  /** Shorthands for plots and fits. */
  readonly mean: number[];
  readonly stderr: number[];
  /** The observations themselves, per x (for verdicts that resample seeds). */
  readonly values: number[][];
}

/**
 * Groups observations into series (in order of first appearance of each group) and summarises
 * each x: this is the mean-over-seeds step every experiment shares.
 */
export function collectSeries<G extends Record<string, string | number | boolean>>(observations: Iterable<Observation<G>>): Series<G>[] {
  const groups = new Map<string, { group: G; byX: Map<number, number[]> }>();
  for (const o of observations) {
    const id = JSON.stringify(o.group);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { group: o.group, byX: new Map() }));
    let list = g.byX.get(o.x);
    if (!list) g.byX.set(o.x, (list = []));
    list.push(o.y);
  }
  return [...groups.values()].map(({ group, byX }) => {
    const x = [...byX.keys()].sort((a, b) => a - b);
    const points = x.map((v) => pointStatistics(byX.get(v)!));
    return { group, x, points, mean: points.map((p) => p.mean), stderr: points.map((p) => p.stderr), values: x.map((v) => byX.get(v)!) };
  });
}

/** The series whose group has these field values. */
export function findSeries<G extends Record<string, string | number | boolean>>(series: readonly Series<G>[], where: Partial<G>): Series<G> | undefined {
  return series.find((s) => Object.entries(where).every(([k, v]) => s.group[k] === v));
}
