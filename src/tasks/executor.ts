import { UserError } from '../ir/errors.js';
import { PayloadError, s, type Schema } from './schema.js';

/**
 * Tasks as data. A task is an envelope `{v, kind, key, payload}`: `kind` names a handler known to
 * every process (an experiment's compute, a gradient-sweep cell), `payload` is JSON validated by
 * the handler's schema, `key` names the record the task produces. Executors run envelopes in this
 * thread, in a worker pool or through a queue; all of them JSON-encode the envelope and the record
 * on the way, so a record cannot depend on where it was computed.
 */
export interface KeyedResult {
  readonly key: string;
}

export interface TaskHandler<P = unknown, R extends KeyedResult = KeyedResult> {
  readonly kind: string;
  readonly payload: Schema<P>;
  /** Reads local files named in its payload: runs in this machine's pool only, never from a queue. */
  readonly localOnly?: boolean;
  compute(payload: P, key: string): R;
}

export type HandlerLookup = (kind: string) => TaskHandler<unknown, KeyedResult> | undefined;

export const ENVELOPE_VERSION = 1;

export interface TaskEnvelope {
  readonly v: typeof ENVELOPE_VERSION;
  readonly kind: string;
  readonly key: string;
  readonly payload: unknown;
  /** Fingerprint of the code that planned the task (queued tasks only; see parallel/pool.ts). */
  readonly code?: string;
}

/** The envelope is bounded so a hostile job cannot make a worker parse megabytes of nonsense. */
export const MAX_PAYLOAD_CHARS = 1_000_000;

const envelopeSchema = s.object({
  v: s.oneOf([ENVELOPE_VERSION] as const),
  kind: s.string(80, /^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/),
  key: s.string(300, /^[^\s\x00-\x1f\x7f]+$/u),
  payload: s.json(MAX_PAYLOAD_CHARS),
  code: s.optional(s.string(64, /^[0-9a-f]+$/)),
});

export function parseEnvelope(value: unknown): TaskEnvelope {
  return envelopeSchema.parse(value, 'task') as TaskEnvelope;
}

/** How a task ended; failures are data too, so they cross thread and process boundaries intact. */
export type TaskOutcome =
  | { readonly ok: true; readonly record: KeyedResult }
  | { readonly ok: false; readonly error: { readonly message: string; readonly kind: 'payload' | 'user' | 'internal'; readonly stack?: string } };

/**
 * Validates and runs one envelope. Never throws for a task's own failure: a malformed payload,
 * a user error (e.g. too many qubits for the simulator) or a bug are returned as outcomes.
 */
export function executeEnvelope(lookup: HandlerLookup, value: unknown): TaskOutcome {
  try {
    const env = parseEnvelope(value);
    const handler = lookup(env.kind);
    if (!handler) throw new PayloadError(`unknown task kind '${env.kind}'`);
    const payload = handler.payload.parse(env.payload, 'payload');
    const record = handler.compute(payload, env.key);
    if (record.key !== env.key) throw new Error(`task '${env.key}' produced a record keyed '${record.key}'`);
    return { ok: true, record: JSON.parse(JSON.stringify(record)) as KeyedResult };
  } catch (e) {
    const err = e as Error;
    const kind = e instanceof PayloadError ? 'payload' : e instanceof UserError ? 'user' : 'internal';
    return { ok: false, error: { message: err?.message ?? String(e), kind, ...(kind === 'internal' && err?.stack ? { stack: err.stack } : {}) } };
  }
}

/**
 * A task that failed where it ran; `failureKind` says whether retrying could help ('internal'
 * only). A UserError, so the CLI reports it in one line: the message carries the worker's error.
 */
export class TaskFailedError extends UserError {
  constructor(readonly key: string, message: string, readonly failureKind: 'payload' | 'user' | 'internal') {
    super(message);
    this.name = 'TaskFailedError';
  }
}

/** The record of a successful outcome; a user error is rethrown as UserError (one line at the CLI). */
export function recordOf<R>(key: string, outcome: TaskOutcome): R {
  if (outcome.ok) return outcome.record as R;
  if (outcome.error.kind === 'user') throw new UserError(outcome.error.message);
  throw new TaskFailedError(key, `task '${key}' failed: ${outcome.error.message}`, outcome.error.kind);
}

/**
 * How many times a task is tried before it is reported as failed, locally and through the queue
 * alike. Only internal errors (a bug, a crashed thread) are retried: a rejected payload or a user
 * error fails the same way every time.
 */
export const TASK_ATTEMPTS = 3;

/**
 * Runs `attempt` until it succeeds, fails for good, or has failed `attempts` times with an
 * internal error; a rejected promise (a worker thread that died) counts as an internal error.
 */
export async function withAttempts<R>(key: string, attempt: () => TaskOutcome | Promise<TaskOutcome>, attempts = TASK_ATTEMPTS): Promise<R> {
  let message = '';
  for (let i = 1; i <= attempts; i++) {
    let outcome: TaskOutcome;
    try {
      outcome = await attempt();
    } catch (e) {
      outcome = { ok: false, error: { message: (e as Error)?.message ?? String(e), kind: 'internal' } };
    }
    if (outcome.ok || outcome.error.kind !== 'internal') return recordOf<R>(key, outcome);
    message = outcome.error.message;
  }
  throw new TaskFailedError(key, `task '${key}' failed after ${attempts} attempt(s): ${message}`, 'internal');
}

export function makeEnvelope(kind: string, key: string, payload: unknown): TaskEnvelope {
  // The JSON round trip is what a remote worker sees; doing it everywhere keeps results identical.
  return { v: ENVELOPE_VERSION, kind, key, payload: JSON.parse(JSON.stringify(payload)) as unknown };
}

/** Where tasks run. `concurrency` is how many tasks it usefully takes at once. */
export interface TaskExecutor {
  readonly concurrency: number;
  /**
   * Tasks keep running elsewhere when the caller stops waiting (a queue): a time cap then ends the
   * wait instead of draining the tasks in flight.
   */
  readonly detached?: boolean;
  run<R>(kind: string, key: string, payload: unknown): Promise<R>;
  close(): Promise<void>;
}

/** Runs tasks one at a time on this thread. */
export function inlineExecutor(lookup: HandlerLookup): TaskExecutor {
  return {
    concurrency: 1,
    async run<R>(kind: string, key: string, payload: unknown): Promise<R> {
      const envelope = makeEnvelope(kind, key, payload);
      return withAttempts<R>(key, () => executeEnvelope(lookup, envelope));
    },
    async close() {},
  };
}
