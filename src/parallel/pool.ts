import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../ir/errors.js';
import { inlineExecutor, makeEnvelope, withAttempts, type TaskEnvelope, type TaskExecutor, type TaskOutcome } from '../tasks/executor.js';
import { newOwnerId, releaseSlotsOf, sharedAccounting } from '../memory/accounting.js';
import { lookupHandler } from './registry.js';
import { piscina } from './lazy-deps.js';

/**
 * A pool of worker threads (piscina) that runs task envelopes. Workers load the compiled entry
 * dist/pool-worker.js: next to this module once bundled, or in the package's dist/ when this
 * module runs from source (tests, benchmarks), which needs `npm run build` first.
 */
export function defaultWorkers(): number {
  return availableParallelism();
}

export function workerFile(): string {
  const candidates = [new URL('./pool-worker.js', import.meta.url), new URL('../../dist/pool-worker.js', import.meta.url)];
  for (const c of candidates) {
    const path = fileURLToPath(c);
    if (existsSync(path)) return path;
  }
  throw new UserError('the worker pool needs the built worker dist/pool-worker.js: run `npm run build` (or use --workers 1)');
}

/**
 * A fingerprint of the compiled code the workers run (all of dist's JavaScript): part of every
 * queued task's identity, so results computed by other code are never reused and a worker of
 * another build refuses the task instead of mixing results.
 */
let fingerprint: string | null = null;
export function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const dir = dirname(workerFile());
  const h = createHash('sha256');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.js')).sort()) {
    h.update(f);
    h.update(readFileSync(join(dir, f)));
  }
  return (fingerprint = h.digest('hex').slice(0, 32));
}

export interface EnvelopePool {
  readonly size: number;
  runEnvelope(envelope: TaskEnvelope, signal?: AbortSignal): Promise<TaskOutcome>;
  close(): Promise<void>;
}

export function createEnvelopePool(workers: number): EnvelopePool {
  // The workers join this thread's reserved-bytes accounting, so all threads allocate against one
  // memory limit (src/memory/accounting.ts); their slots are cleared when the pool closes.
  const owner = newOwnerId();
  const pool = new (piscina().Piscina)({
    workerData: { memory: sharedAccounting(), memoryOwner: owner },
    filename: workerFile(),
    minThreads: workers,
    maxThreads: workers,
    // Threads stay up for the whole run; a sweep's tasks come back to back.
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
  });
  return {
    size: workers,
    runEnvelope: (envelope, signal) => pool.run(envelope, signal ? { signal } : {}) as Promise<TaskOutcome>,
    close: async () => {
      await pool.destroy();
      releaseSlotsOf(owner);
    },
  };
}

/** An executor on `workers` threads; one worker means this thread (no pool, no build needed). */
export function createLocalExecutor(workers: number): TaskExecutor {
  if (!Number.isInteger(workers) || workers < 1) throw new UserError(`--workers must be a positive integer, got ${workers}`);
  if (workers === 1) return inlineExecutor(lookupHandler);
  const pool = createEnvelopePool(workers);
  return {
    // Two tasks per thread keep every thread busy while results are being written.
    concurrency: 2 * workers,
    async run<R>(kind: string, key: string, payload: unknown): Promise<R> {
      const envelope = makeEnvelope(kind, key, payload);
      return withAttempts<R>(key, () => pool.runEnvelope(envelope));
    },
    close: () => pool.close(),
  };
}
