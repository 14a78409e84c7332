import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/framework.js';
import { trainabilityExperiment } from '../../src/experiments/trainability.js';
import { codeFingerprint } from '../../src/parallel/pool.js';
import { connectQueueExecutor, QUEUE_NAME, QUEUE_PREFIX, redact, runQueueWorker } from '../../src/parallel/queue.js';
import { taylorOrderExperiment } from '../../src/experiments/taylor-order.js';
import { CLI, cliBuilt } from '../cli/run-cli.js';
import { haveRedis, startRedis, type TestRedis } from './redis-server.js';

/**
 * The Redis path end to end with real parts: a redis-server on a random loopback port, two
 * `nearclifford worker` processes, a submitting `experiment … --queue`, one worker SIGKILLed in
 * the middle of a task; and hand-made malicious or malformed jobs, which must be refused.
 */
if (!cliBuilt) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before the queue tests`);

const tmp = () => mkdtempSync(join(tmpdir(), 'nc-queue-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readRecords = (dir: string) =>
  readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '')
    .map((l) => ({ ...(JSON.parse(l) as Record<string, unknown>), seconds: 0 }) as Record<string, unknown>)
    .sort((a, b) => String(a.key).localeCompare(String(b.key)));

const children: ChildProcess[] = [];
function node(args: string[]): ChildProcess & { output: () => string } {
  const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let out = '';
  p.stdout!.on('data', (d) => (out += String(d)));
  p.stderr!.on('data', (d) => (out += String(d)));
  children.push(p);
  return Object.assign(p, { output: () => out });
}
const exitOf = (p: ChildProcess) => new Promise<number>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve(p.exitCode ?? -1) : p.once('exit', (code) => resolve(code ?? -1))));
async function until<T>(what: string, f: () => Promise<T | undefined | null | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe.skipIf(!haveRedis)('the Redis job queue', () => {
  let redis: TestRedis;
  let queue: Queue;
  let survivor: ReturnType<typeof node>;
  beforeAll(async () => {
    redis = await startRedis();
    queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port }, prefix: QUEUE_PREFIX });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await queue?.close();
    await redis?.stop();
  });

  it('runs a sweep on two workers, survives one killed mid-task, and returns the records of a local run', async () => {
    const args = ['--family', 'mhea-deep', '--max-qubits', '10', '--seeds', '2'];
    const local = tmp();
    await runExperiment(trainabilityExperiment, { outDir: local, family: 'mhea-deep', maxQubits: 10, seeds: 2 });
    const workerArgs = ['worker', '--queue', redis.url, '--workers', '1', '--lock-seconds', '2'];
    const doomed = node(workerArgs);
    survivor = node(workerArgs);
    await until('workers to start', async () => /worker .* on redis/.test(doomed.output()) && /worker .* on redis/.test(survivor.output()));
    const out = tmp();
    const submitter = node(['experiment', 'trainability', ...args, '--queue', redis.url, '--out', out]);
    const doomedName = `${hostname()}:${doomed.pid}`;
    // Kill the first worker while it holds one of the larger tasks (≥ 0.1 s each). The task it
    // holds is read again after the kill: the one seen active may have finished in between (the
    // worker then holds the next one), and only a task held at the kill is taken over.
    await until('a large task on the first worker', async () => {
      const active = await queue.getActive();
      return active.find((j) => j.processedBy === doomedName && Number(/\/N(\d+)\//.exec(String((j.data as { key: string }).key))?.[1]) >= 7);
    });
    doomed.kill('SIGKILL');
    await exitOf(doomed);
    const victim = await until('the task the killed worker held', async () => (await queue.getActive()).find((j) => j.processedBy === doomedName), 1500);
    const status = await Promise.race([exitOf(submitter), sleep(150_000).then(() => -2)]);
    expect(status, submitter.output()).toBe(0);
    expect(readRecords(out)).toEqual(readRecords(local));
    // The killed task was taken over by the other worker after the lock expired.
    const job = await queue.getJob(victim.id!);
    expect(await job!.getState()).toBe('completed');
    expect(job!.processedBy).toBe(`${hostname()}:${survivor.pid}`);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/Experiment 3/);
  }, 200_000);

  it('refuses malformed and foreign jobs at once, without retries', async () => {
    const code = codeFingerprint();
    const bad: [string, unknown, RegExp][] = [
      ['out-of-range', { v: 1, kind: 'experiment/trainability', key: 'mhea-deep/N99/s0', payload: { family: 'mhea-deep', N: 99, seed: 0 }, code }, /payload\.N must be an integer/],
      ['extra field', { v: 1, kind: 'experiment/trainability', key: 'k', payload: { family: 'mhea-deep', N: 3, seed: 0, run: 'process.exit()' }, code }, /unknown field 'run'/],
      ['unknown kind', { v: 1, kind: 'shell/exec', key: 'k', payload: 'rm -rf /', code }, /unknown task kind 'shell\/exec'/],
      ['not an envelope', 'console.log(1)', /task must be an object/],
      ['other code', { v: 1, kind: 'experiment/trainability', key: 'k', payload: { family: 'mhea-deep', N: 3, seed: 0 }, code: 'deadbeef' }, /planned by other nearclifford code/],
    ];
    for (const [name, data, reason] of bad) {
      const job = await queue.add(name, data, { attempts: 3, jobId: `test-${name.replace(/ /g, '-')}` });
      await until(`job '${name}' to fail`, async () => (await job.getState()) === 'failed', 30_000);
      const failed = (await queue.getJob(job.id!))!;
      expect(failed.failedReason).toMatch(/^rejected: /);
      expect(failed.failedReason).toMatch(reason);
      expect(failed.attemptsMade).toBe(1);
    }
    expect(survivor.exitCode).toBeNull();
  }, 120_000);
});

describe.skipIf(!haveRedis)('a password-protected Redis', () => {
  it('needs the password, never prints it, and runs a sweep with it (in-process submitter and worker)', async () => {
    const redis = await startRedis('s3cret-pw');
    try {
      expect(redact(redis.url)).not.toContain('s3cret-pw');
      const wrong = redis.url.replace('s3cret-pw', 'nope');
      const failure = await connectQueueExecutor(wrong).then(() => null, (e: Error) => e);
      expect(failure?.message).toMatch(/cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1/);
      expect(failure?.message).not.toContain('nope');
      const stop = new AbortController();
      const worker = runQueueWorker({ url: redis.url, workers: 1, lockSeconds: 5, signal: stop.signal });
      const executor = await connectQueueExecutor(redis.url);
      const viaQueue = tmp(), local = tmp();
      try {
        const r = await runExperiment(taylorOrderExperiment, { outDir: viaQueue, quick: true, executor });
        expect(r.records).toBe(r.planned);
      } finally {
        await executor.close();
        stop.abort();
        expect((await worker).failed).toBe(0);
      }
      await runExperiment(taylorOrderExperiment, { outDir: local, quick: true });
      expect(readRecords(viaQueue)).toEqual(readRecords(local));
    } finally {
      await redis.stop();
    }
  }, 120_000);
});
