import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeText } from '../reports/write.js';
import { RecordStore, type KeyedRecord } from './store.js';

/**
 * The shape every experiment of REFERENCE §5 follows: a plan of independent tasks (one record
 * each, ordered small to large so a time cap keeps a complete small-size picture), and a report
 * built from whatever records exist. The runner appends each record as soon as it is computed and,
 * with `resume`, skips the keys already on disk.
 */
export interface Task<R extends KeyedRecord> {
  readonly key: string;
  /** Shown by the progress display. */
  readonly label: string;
  run(): R | Promise<R>;
}

export interface ExperimentSettings {
  readonly quick: boolean;
}

export interface ExperimentDefinition<R extends KeyedRecord> {
  readonly name: string;
  /** Number in REFERENCE §5. */
  readonly number: number;
  readonly title: string;
  readonly description: string;
  plan(settings: ExperimentSettings): Task<R>[];
  /** Writes plots, summary.md and results.json into `outDir`; returns the files written. */
  report(records: readonly R[], settings: ExperimentSettings & { outDir: string; complete: boolean }): Promise<string[]>;
}

export interface ExperimentProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export interface RunOptions {
  readonly outDir: string;
  readonly quick?: boolean;
  readonly resume?: boolean;
  /** Stop starting new tasks after this many seconds (the report covers what finished). */
  readonly timeCapSeconds?: number;
  readonly onProgress?: (p: ExperimentProgress) => void;
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
  readonly files: readonly string[];
}

export const RECORDS_FILE = 'records.jsonl';

export async function runExperiment<R extends KeyedRecord>(def: ExperimentDefinition<R>, options: RunOptions): Promise<RunResult> {
  const quick = options.quick ?? false;
  mkdirSync(options.outDir, { recursive: true });
  const store = new RecordStore<R>(join(options.outDir, RECORDS_FILE), options.resume ?? false);
  const tasks = def.plan({ quick });
  const start = performance.now();
  let computed = 0;
  let skipped = 0;
  let stoppedEarly = false;
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    if (store.has(task.key)) {
      skipped++;
      continue;
    }
    if (options.timeCapSeconds !== undefined && (performance.now() - start) / 1000 >= options.timeCapSeconds) {
      stoppedEarly = true;
      break;
    }
    options.onProgress?.({ done: i, total: tasks.length, label: task.label });
    const record = await task.run();
    if (record.key !== task.key) throw new Error(`task '${task.key}' returned a record keyed '${record.key}'`);
    store.append(record);
    computed++;
  }
  options.onProgress?.({ done: tasks.length, total: tasks.length, label: 'report' });
  const planned = new Set(tasks.map((t) => t.key));
  const records = store.all().filter((r) => planned.has(r.key));
  const complete = records.length === tasks.length;
  const files = records.length > 0
    ? await def.report(records, { quick, outDir: options.outDir, complete })
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
    files: [join(options.outDir, RECORDS_FILE), ...files],
  };
}

/** 2, 3, …, max (every size up to 16, then every other, then every fourth). */
export function sizeRange(min: number, max: number): number[] {
  const out: number[] = [];
  for (let n = min; n <= max; n += n < 16 ? 1 : n < 24 ? 2 : 4) out.push(n);
  if (out[out.length - 1] !== max) out.push(max);
  return out;
}
