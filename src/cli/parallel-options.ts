import type { Command } from 'commander';
import { UserError } from '../ir/errors.js';
import { createLocalExecutor, defaultWorkers } from '../parallel/pool.js';
import { connectQueueExecutor } from '../parallel/queue.js';
import type { TaskExecutor } from '../tasks/executor.js';
import { intOption } from './common.js';

/** `--workers N` and `--queue URL`, shared by the commands whose work is a sweep of independent tasks. */
export interface ParallelCliOptions {
  workers?: number;
  queue?: string;
}

export function addWorkersOption(cmd: Command, what = 'tasks'): Command {
  return cmd.option(
    '--workers <n>',
    `worker threads for the ${what} (default: available cores, ${defaultWorkers()} here); results are identical for any number`,
    intOption('--workers', 1),
  );
}

export function addQueueOption(cmd: Command): Command {
  return cmd.option(
    '--queue <url>',
    'send the tasks to a Redis job queue (redis://[:PASSWORD@]HOST:PORT, rediss:// for TLS) and wait for `nearclifford worker`s to return them',
  );
}

/** The executor the options ask for; `fallbackWorkers` when --workers is absent. */
export async function executorFor(opts: ParallelCliOptions, fallbackWorkers = defaultWorkers(), retryFailed = false): Promise<TaskExecutor> {
  if (opts.queue !== undefined) {
    if (opts.workers !== undefined) throw new UserError('--workers and --queue exclude each other: with --queue, the workers are `nearclifford worker` processes');
    return connectQueueExecutor(opts.queue, { retryFailed });
  }
  return createLocalExecutor(opts.workers ?? fallbackWorkers);
}

/**
 * Ctrl-C while `body` runs aborts the signal (stop dispatching, keep what finished); a second
 * Ctrl-C exits at once.
 */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>, onFirst: () => void): Promise<T> {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    onFirst();
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
}
