import type { Command } from 'commander';
import { defaultWorkers } from '../../parallel/pool.js';
import { DEFAULT_LOCK_SECONDS, runQueueWorker } from '../../parallel/queue.js';
import { UserError } from '../../ir/errors.js';
import { intOption, numberOption } from '../common.js';
import { withInterrupt } from '../parallel-options.js';

interface WorkerOptions {
  queue?: string;
  workers?: number;
  concurrency?: number;
  lockSeconds: number;
  quiet?: boolean;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'Takes tasks of `experiment`, `gradients`, `check` and `evaluate` runs given --queue from a Redis job queue,\n' +
        'computes them on a local pool of threads and returns the results. Run it on any number of\n' +
        'machines (all with the same nearclifford build). Every job is validated against the task\n' +
        'schemas and refused otherwise: jobs are data, never code. A worker killed mid-task loses\n' +
        'nothing: once its lock expires (--lock-seconds) another worker runs the task again. A task\n' +
        'that fails keeps failing only a few times (3 attempts), then the submitter reports its error.\n' +
        'Ctrl-C finishes the tasks in hand, then exits; a second Ctrl-C exits at once.\n' +
        'Keep Redis private: bind it to 127.0.0.1 or a private network, set a password, use rediss:// (TLS)\n' +
        'across networks (see the README, "Running on many machines").',
    )
    .requiredOption('--queue <url>', 'redis://[:PASSWORD@]HOST:PORT[/DB], or rediss://… for TLS')
    .option('--workers <n>', `threads computing tasks (default: available cores, ${defaultWorkers()} here)`, intOption('--workers', 1))
    .option('--concurrency <k>', 'tasks taken from the queue at once (default: --workers)', intOption('--concurrency', 1))
    .option('--lock-seconds <s>', 'a worker silent this long is presumed dead and its task runs elsewhere', numberOption('--lock-seconds'), DEFAULT_LOCK_SECONDS)
    .option('--quiet', 'do not log each task')
    .action(async (opts: WorkerOptions) => {
      if (!(opts.lockSeconds >= 1)) throw new UserError('--lock-seconds must be at least 1');
      const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      const workers = opts.workers ?? defaultWorkers();
      const summary = await withInterrupt(
        (signal) => runQueueWorker({
          url: opts.queue!,
          workers,
          concurrency: opts.concurrency ?? workers,
          lockSeconds: opts.lockSeconds,
          signal,
          log: (line) => {
            if (!opts.quiet || !/^done /.test(line)) log(line);
          },
        }),
        () => log('stopping: finishing the tasks in hand (Ctrl-C again to exit now)'),
      );
      log(`stopped: ${summary.completed} task(s) done, ${summary.failed} failed`);
      // Reconnection timers of a lost Redis connection must not keep the process alive.
      process.exit(0);
    });
}
