import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { UserError } from '../ir/errors.js';
import { makeEnvelope, parseEnvelope, TASK_ATTEMPTS, TaskFailedError, type KeyedResult, type TaskEnvelope, type TaskExecutor } from '../tasks/executor.js';
import { codeFingerprint, createEnvelopePool } from './pool.js';
import { lookupHandler } from './registry.js';
import { bullmq, ioredis } from './lazy-deps.js';

/**
 * Sweeps on many machines: a Redis-backed job queue (BullMQ). The submitter (`experiment … --queue`)
 * adds one job per task and waits for results; workers (`nearclifford worker --queue`) on any
 * number of machines take jobs and compute them on their local thread pool.
 *
 * * A job's id is a hash of the code fingerprint, the task kind, key and payload: the task's
 *   identity. Identical tasks share one result, different runs or parameters never mix, and
 *   re-submitting a sweep (`--resume`) re-attaches to the jobs already queued or done.
 * * Jobs are data: workers validate every envelope and payload, and refuse (fail without retry)
 *   anything that is not a known task built by the same code.
 * * A worker that dies mid-task stops renewing its lock; after the lock time another worker's
 *   stalled-job check puts the job back and it runs elsewhere. A job that throws is retried a few
 *   times (internal errors only), then reported with its error.
 */
export const QUEUE_NAME = 'tasks';
export const QUEUE_PREFIX = 'nearclifford';
export const DEFAULT_ATTEMPTS = TASK_ATTEMPTS;
export const DEFAULT_LOCK_SECONDS = 30;
/** Results and failures stay in Redis this long, so a sweep can be re-attached for a week. */
const KEEP_SECONDS = 7 * 24 * 3600;

/** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
export function checkQueueUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`--queue '${redact(url)}' is not a URL: write redis://HOST:PORT or rediss://HOST:PORT (TLS)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UserError(`--queue must be a redis:// or rediss:// URL, got '${redact(url)}'`);
  if (!u.hostname) throw new UserError(`--queue '${redact(url)}' has no host`);
  return u;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^@/]*:)[^@/]*@/, '//$1***@');
}

/**
 * A connection that fails fast when Redis cannot be reached at first (a clear error instead of
 * endless retries), and reconnects after a drop once it has worked.
 */
async function openConnection(url: string): Promise<Redis> {
  const u = checkQueueUrl(url);
  let connected = false;
  const conn = new (ioredis().Redis)(url, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectTimeout: 10_000,
    retryStrategy: (times) => (connected ? Math.min(200 * times, 5000) : null),
    // rediss:// turns TLS on; the server name is checked against the certificate as usual.
    ...(u.protocol === 'rediss:' ? { tls: { servername: u.hostname } } : {}),
  });
  conn.on('error', () => {}); // reported through the failing command or connect() below
  try {
    await conn.connect();
  } catch (e) {
    conn.disconnect();
    throw new UserError(`cannot reach Redis at ${redact(url)}: ${(e as Error).message}`);
  }
  connected = true;
  return conn;
}

export function taskJobId(envelope: TaskEnvelope): string {
  const h = createHash('sha256').update(JSON.stringify([envelope.code ?? '', envelope.kind, envelope.key, envelope.payload])).digest('hex');
  return `nc-${h.slice(0, 40)}`;
}

export interface QueueExecutorOptions {
  /** Put failed jobs of this sweep back in the queue (`--resume`). */
  readonly retryFailed?: boolean;
  readonly attempts?: number;
}

interface Waiter {
  readonly key: string;
  resolve(record: unknown): void;
  reject(e: unknown): void;
}

/**
 * The submitting side as a TaskExecutor: `run` enqueues (in batches) and resolves when a worker
 * has returned the record. Events give prompt answers; a periodic check of the open jobs makes
 * sure none is missed (events are a trimmed stream).
 */
export async function connectQueueExecutor(url: string, options: QueueExecutorOptions = {}): Promise<TaskExecutor> {
  const conn = await openConnection(url);
  const eventsConn = await openConnection(url);
  const queue = new (bullmq().Queue)(QUEUE_NAME, { connection: conn, prefix: QUEUE_PREFIX });
  const events = new (bullmq().QueueEvents)(QUEUE_NAME, { connection: eventsConn, prefix: QUEUE_PREFIX });
  await events.waitUntilReady();
  const code = codeFingerprint();
  const waiting = new Map<string, Waiter>();
  let batch: { id: string; envelope: TaskEnvelope }[] = [];
  let flushing: Promise<void> | null = null;
  let closed = false;

  const settle = async (id: string): Promise<void> => {
    const w = waiting.get(id);
    if (!w) return;
    // State first, then the job: a job read while still active has no return value yet.
    const state = await queue.getJobState(id);
    if (state !== 'completed' && state !== 'failed') return;
    const job = await queue.getJob(id);
    if (!job || !waiting.has(id)) return;
    if (state === 'completed') {
      waiting.delete(id);
      w.resolve(job.returnvalue);
    } else if (state === 'failed') {
      waiting.delete(id);
      w.reject(new TaskFailedError(w.key, `task '${w.key}' failed on a worker after ${job.attemptsMade} attempt(s): ${job.failedReason}`, 'internal'));
    }
  };
  const settleQuietly = (id: string) => void settle(id).catch(() => {});
  events.on('completed', ({ jobId }) => settleQuietly(jobId));
  events.on('failed', ({ jobId }) => settleQuietly(jobId));
  const poll = setInterval(() => {
    for (const id of [...waiting.keys()].slice(0, 2000)) settleQuietly(id);
  }, 3000);

  const flush = async (): Promise<void> => {
    while (batch.length > 0) {
      const items = batch.splice(0, 500);
      const existing = await Promise.all(items.map((i) => queue.getJob(i.id)));
      const fresh = items.filter((_, j) => !existing[j]);
      await queue.addBulk(fresh.map((i) => ({
        name: i.envelope.kind,
        data: i.envelope,
        opts: {
          jobId: i.id,
          attempts: options.attempts ?? DEFAULT_ATTEMPTS,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: KEEP_SECONDS },
          removeOnFail: { age: KEEP_SECONDS },
        },
      })));
      for (const job of existing) {
        if (!job) continue;
        if (options.retryFailed && (await job.getState()) === 'failed') await job.retry('failed');
        settleQuietly(job.id!);
      }
    }
  };

  return {
    concurrency: Number.MAX_SAFE_INTEGER,
    detached: true,
    run<R>(kind: string, key: string, payload: unknown): Promise<R> {
      if (closed) return Promise.reject(new Error('the queue connection is closed'));
      const envelope = { ...makeEnvelope(kind, key, payload), code };
      const id = taskJobId(envelope);
      const result = new Promise<R>((resolve, reject) => {
        const prev = waiting.get(id);
        // Two identical tasks in one plan share the job; each gets the record.
        waiting.set(id, {
          key,
          resolve: (r) => {
            prev?.resolve(r);
            resolve(r as R);
          },
          reject: (e) => {
            prev?.reject(e);
            reject(e);
          },
        });
      });
      batch.push({ id, envelope });
      if (!flushing) {
        flushing = new Promise<void>((r) => setImmediate(r)).then(flush).finally(() => {
          flushing = null;
        });
        flushing.catch((e: unknown) => {
          for (const w of waiting.values()) w.reject(e);
          waiting.clear();
        });
      }
      return result;
    },
    async close() {
      closed = true;
      clearInterval(poll);
      await events.close();
      await queue.close();
      await Promise.allSettled([conn.quit(), eventsConn.quit()]);
    },
  };
}

export interface QueueWorkerOptions {
  readonly url: string;
  /** Threads of the local pool. */
  readonly workers: number;
  /** Jobs taken at once (default: one per thread). */
  readonly concurrency?: number;
  /** A worker that stops renewing its lock for this long is presumed dead; its job runs elsewhere. */
  readonly lockSeconds?: number;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface QueueWorkerSummary {
  readonly completed: number;
  readonly failed: number;
}

/** Validates a job before any computation: envelope, known kind, same code. */
export function acceptJob(data: unknown, code: string): TaskEnvelope {
  let envelope: TaskEnvelope;
  try {
    envelope = parseEnvelope(data);
  } catch (e) {
    throw new (bullmq().UnrecoverableError)(`rejected: ${(e as Error).message}`);
  }
  const handler = lookupHandler(envelope.kind);
  if (!handler) throw new (bullmq().UnrecoverableError)(`rejected: unknown task kind '${envelope.kind}'`);
  if (handler.localOnly) throw new (bullmq().UnrecoverableError)(`rejected: task kind '${envelope.kind}' reads local files and is not accepted from a queue`);
  if (envelope.code !== code) {
    throw new (bullmq().UnrecoverableError)(
      `rejected: the task was planned by other nearclifford code (${(envelope.code ?? 'none').slice(0, 12)}, this worker runs ${code.slice(0, 12)}); run the same build everywhere`,
    );
  }
  return envelope;
}

/** Runs a queue worker until `signal` aborts; then finishes the jobs in hand and returns. */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerSummary> {
  const log = options.log ?? (() => {});
  const code = codeFingerprint();
  const conn = await openConnection(options.url);
  const pool = createEnvelopePool(options.workers);
  const lockMs = 1000 * (options.lockSeconds ?? DEFAULT_LOCK_SECONDS);
  let completed = 0;
  let failed = 0;
  const { Worker } = bullmq();
  const worker = new Worker<unknown, KeyedResult>(
    QUEUE_NAME,
    async (job: Job) => {
      const envelope = acceptJob(job.data, code);
      const outcome = await pool.runEnvelope(envelope);
      if (outcome.ok) return outcome.record;
      // Only internal errors may be transient; a rejected payload or a user error fails for good.
      if (outcome.error.kind === 'internal') throw new Error(outcome.error.message);
      throw new (bullmq().UnrecoverableError)(`${outcome.error.kind === 'payload' ? 'rejected' : 'error'}: ${outcome.error.message}`);
    },
    {
      connection: conn,
      prefix: QUEUE_PREFIX,
      concurrency: options.concurrency ?? options.workers,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: 2,
      name: `${hostname()}:${process.pid}`,
      autorun: false,
    },
  );
  worker.on('completed', (job) => {
    completed++;
    log(`done ${(job.data as { key?: string })?.key ?? job.id}`);
  });
  worker.on('failed', (job, err) => {
    failed++;
    log(`failed ${(job?.data as { key?: string })?.key ?? job?.id}: ${err.message}`);
  });
  worker.on('error', (err) => log(`error: ${err.message}`));
  const stopped = new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await worker.waitUntilReady();
  log(`worker ${hostname()}:${process.pid} on ${redact(options.url)}: ${options.workers} thread(s), up to ${options.concurrency ?? options.workers} job(s) at once`);
  const running = worker.run();
  await stopped;
  // Finish the jobs in hand; if Redis is gone, closing would wait for it forever, so give up after
  // the lock time (the jobs in hand then run elsewhere, as after a crash).
  const closed = await Promise.race([
    worker.close().then(() => running).then(() => true, () => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), lockMs).unref()),
  ]);
  if (!closed) log('Redis did not answer while stopping: leaving the jobs in hand to other workers');
  await pool.close();
  if (closed) await conn.quit().catch(() => conn.disconnect());
  else conn.disconnect();
  return { completed, failed };
}
