import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/framework.js';
import { trainabilityExperiment } from '../../src/experiments/trainability.js';
import { UserError } from '../../src/ir/errors.js';
import { inlineExecutor, TaskFailedError, withAttempts, type TaskHandler } from '../../src/tasks/executor.js';
import { s } from '../../src/tasks/schema.js';
import { CLI, cliBuilt, runCli } from '../cli/run-cli.js';
import { haveRedis, startRedis, type TestRedis } from './redis-server.js';

/**
 * What happens when things go wrong, end to end with the built CLI: a task that really fails
 * (NC_TEST_FAIL_KEYS makes the computing process throw for one key, as a bug would) is tried 3
 * times, then the run ends with exit 1 and a one-line report naming the task, keeping every record
 * that finished; `--resume` then completes the run with the records of a clean run. The same for
 * the thread pool and the Redis queue (real redis-server, real `nearclifford worker` processes),
 * plus: an interrupted queued run resumes from its records, and `check` / `evaluate` through the
 * queue print what a local run prints.
 */
if (!cliBuilt) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before the failure tests`);

const tmp = () => mkdtempSync(join(tmpdir(), 'nc-fail-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lines = (dir: string) => (existsSync(join(dir, 'records.jsonl')) ? readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '') : []);
const records = (dir: string) => lines(dir).map((l) => ({ ...(JSON.parse(l) as Record<string, unknown>), seconds: 0 }) as Record<string, unknown>)
  .sort((a, b) => String(a.key).localeCompare(String(b.key)));
const attemptsLogged = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);

const children: ChildProcess[] = [];
function node(args: string[], env: Record<string, string> = {}): ChildProcess & { output: () => string; stderr: () => string } {
  const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...env } });
  let out = '', err = '';
  p.stdout!.on('data', (d) => (out += String(d)));
  p.stderr!.on('data', (d) => (err += String(d)));
  children.push(p);
  return Object.assign(p, { output: () => out, stderr: () => err });
}
const exitOf = (p: ChildProcess) => new Promise<number>((resolve) => (p.exitCode !== null ? resolve(p.exitCode) : p.once('exit', (code) => resolve(code ?? -1))));
/** Runs the CLI without blocking this process's event loop (in-process workers may be running). */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  const p = node(args, env);
  const status = await exitOf(p);
  return { status, stdout: p.output(), stderr: p.stderr() };
}
async function until(what: string, f: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!f()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
const startWorker = async (url: string, env: Record<string, string> = {}) => {
  const w = node(['worker', '--queue', url, '--workers', '1', '--lock-seconds', '5'], env);
  await until('the worker to start', () => /worker .* on redis/.test(w.stderr()));
  return w;
};
const stopWorker = async (w: ChildProcess) => {
  w.kill('SIGTERM');
  expect(await exitOf(w)).toBe(0);
};

// The queue's scenario uses another family: queued results are shared by task identity, and the
// interrupted run below computes every mhea-deep cell of this size.
const sizes = (family: string) => ({
  FAILING: `${family}/N4/s1`,
  small: ['--family', family, '--max-qubits', '6', '--seeds', '2'],
  smallSettings: { family, maxQubits: 6, seeds: 2 },
});
const faultEnv = (key: string, log: string) => ({ NC_TEST_FAIL_KEYS: `^${key}$`, NC_TEST_FAIL_LOG: log });
const failureLine = (key: string, where: string) => new RegExp(`^nearclifford: error: task '${key}' failed ${where}after 3 attempt\\(s\\): injected failure for task '${key}'`);

describe('attempts', () => {
  it('retries internal errors and crashed threads 3 times, payload and user errors never', async () => {
    let calls = 0;
    const handler = (fail: () => never): TaskHandler<unknown, { key: string }> => ({ kind: 't/x', payload: s.object({ n: s.int(0, 9) }), compute: () => { calls++; return fail(); } });
    const run = (h: TaskHandler<unknown, { key: string }>, payload: unknown = { n: 1 }) => inlineExecutor((k) => (k === 't/x' ? h : undefined)).run('t/x', 'k', payload);
    const bug = await run(handler(() => { throw new Error('boom'); })).catch((e: unknown) => e);
    expect(bug).toBeInstanceOf(TaskFailedError);
    expect((bug as Error).message).toBe("task 'k' failed after 3 attempt(s): boom");
    expect(calls).toBe(3);
    calls = 0;
    await expect(run(handler(() => { throw new UserError('too many qubits'); }))).rejects.toThrow(/^too many qubits$/);
    expect(calls).toBe(1);
    calls = 0;
    await expect(run(handler(() => { throw new Error('unreached'); }), { n: 10 })).rejects.toThrow(/payload\.n must be an integer/);
    expect(calls).toBe(0);
    // A rejected attempt (what a dead worker thread gives) counts as an internal failure; a later success wins.
    let tries = 0;
    const record = await withAttempts<{ key: string }>('k', async () => {
      if (++tries < 3) throw new Error('worker exited');
      return { ok: true, record: { key: 'k' } };
    });
    expect(record).toEqual({ key: 'k' });
    expect(tries).toBe(3);
  });
});

describe('a task that keeps failing, on the thread pool', () => {
  it.each([1, 2])('--workers %i: 3 attempts, exit 1 with the task named, finished records kept, --resume completes', async (workers) => {
    const { FAILING, small, smallSettings } = sizes('mhea-deep');
    const dir = tmp(), log = join(tmp(), 'attempts.log');
    const args = ['experiment', 'trainability', ...small, '--out', dir, '--workers', String(workers)];
    const failed = await cli(args, faultEnv(FAILING, log));
    expect(failed.status, failed.stderr).toBe(1);
    expect(failed.stderr.trim().split('\n').at(-1)).toMatch(failureLine(FAILING, ''));
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(attemptsLogged(log)).toEqual([FAILING, FAILING, FAILING]);
    const kept = records(dir);
    expect(kept.map((r) => r.key)).not.toContain(FAILING);
    const resumed = await cli([...args, '--resume', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const planned = 5 * 2;
    expect(JSON.parse(resumed.stdout)[0]).toMatchObject({ records: planned, skipped: kept.length, computed: planned - kept.length });
    const reference = tmp();
    await runExperiment(trainabilityExperiment, { outDir: reference, ...smallSettings });
    expect(records(dir)).toEqual(records(reference));
  }, 120_000);
});

describe('a check whose probe batch keeps failing', () => {
  it('ends undecided (exit 3) with the batch named, not as a refutation or a usage error', async () => {
    const dir = tmp(), log = join(tmp(), 'attempts.log');
    writeFileSync(join(dir, 'c.ncl'), runCli(['ansatz', 'mhea', '--qubits', '4', '--layers', '1']).stdout);
    const args = ['check', join(dir, 'c.ncl'), '--observable', 'Z0 Z1', '--claim', 'order=8 eps=1e-6 sigma=1/D', '--samples', '10', '--seed', '3', '--workers', '2'];
    const r = await cli(args, faultEnv('probes:1', log));
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^nearclifford: error: task 'probes:1' failed after 3 attempt\(s\): injected failure/m);
    expect(attemptsLogged(log)).toEqual(['probes:1', 'probes:1', 'probes:1']);
  });
});

describe.skipIf(!haveRedis)('the Redis queue from the CLI: failures, interruptions, check and evaluate', () => {
  let redis: TestRedis;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  beforeAll(async () => {
    redis = await startRedis();
    worker = await startWorker(redis.url);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await redis?.stop();
  });

  it('check --queue reports what check --workers 1 does, counterexample included', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'c.ncl'), runCli(['ansatz', 'mhea', '--qubits', '4', '--layers', '1']).stdout);
    const strip = (t: string) => JSON.stringify(JSON.parse(t), (k, v) => (k === 'seconds' ? 0 : typeof v === 'string' ? v.replace(/built in [\d.]+ s/, 'built') : v));
    for (const claim of ['order=1 eps=1e-4 sigma=0.3', 'order=8 eps=1e-6 sigma=1/D']) {
      const args = ['check', join(dir, 'c.ncl'), '--observable', 'Z0 Z1 + 0.5*X2', '--claim', claim, '--samples', '30', '--seed', '7', '--shrink-seconds', '60', '--json'];
      const local = await cli([...args, '--workers', '1']);
      const queued = await cli([...args, '--queue', redis.url]);
      expect(local.stdout.length, local.stderr).toBeGreaterThan(0);
      expect(queued.status, queued.stderr).toBe(local.status);
      expect(strip(queued.stdout)).toBe(strip(local.stdout));
    }
    expect(worker.stderr()).toMatch(/done probes:\d+/);
    const both = await cli(['check', join(dir, 'c.ncl'), '--observable', 'Z0', '--claim', 'order=1 eps=1e-4 sigma=0.3', '--queue', redis.url, '--workers', '2']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--workers and --queue exclude each other/);
  }, 120_000);

  it('evaluate --queue prints the values and bounds of evaluate --workers 1', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'c.ncl'), runCli(['ansatz', 'mhea', '--qubits', '4', '--layers', '1']).stdout);
    expect(runCli(['surrogate', join(dir, 'c.ncl'), '--observable', 'Z0 Z1', '--order', '2', '--save', join(dir, 's.json')]).status).toBe(0);
    const points = Array.from({ length: 300 }, (_, i) => ({ theta: Array.from({ length: 16 }, (_, k) => 0.2 * Math.sin(7 * i + k)) }));
    writeFileSync(join(dir, 'p.json'), JSON.stringify(points));
    const args = ['evaluate', join(dir, 's.json'), '--at', join(dir, 'p.json'), '--json'];
    const local = await cli([...args, '--workers', '1']);
    const queued = await cli([...args, '--queue', redis.url]);
    expect(local.status, local.stderr).toBe(0);
    expect(queued.status, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout).values.length).toBe(300);
    expect(queued.stdout).toBe(local.stdout);
    // Four batches of 75 points went through the worker.
    expect(worker.stderr().match(/done points:\d+-\d+/g)?.length).toBe(4);
  }, 120_000);

  it('an interrupted queued run resumes from its records and re-attaches to the results that arrived meanwhile', async () => {
    const dir = tmp();
    const args = ['experiment', 'trainability', '--family', 'mhea-deep', '--max-qubits', '10', '--seeds', '3', '--out', dir, '--queue', redis.url];
    const submitter = node(args);
    await until('three records', () => lines(dir).length >= 3, 90_000);
    submitter.kill('SIGINT');
    expect(await exitOf(submitter), submitter.stderr()).toBe(130);
    expect(submitter.stderr()).toMatch(/interrupted with \d+\/27 records kept .* --resume continues/);
    const kept = lines(dir).length;
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(27);
    const resumed = await cli([...args, '--resume', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)[0]).toMatchObject({ records: 27, skipped: kept, computed: 27 - kept });
    const reference = tmp();
    await runExperiment(trainabilityExperiment, { outDir: reference, family: 'mhea-deep', maxQubits: 10, seeds: 3 });
    expect(records(dir)).toEqual(records(reference));
  }, 200_000);

  it('a task failing 3 times on a worker: exit 1 with its error, finished records kept, --resume retries it and completes', async () => {
    const { FAILING, small, smallSettings } = sizes('fhea-shallow');
    await stopWorker(worker);
    const log = join(tmp(), 'attempts.log');
    const faulty = await startWorker(redis.url, faultEnv(FAILING, log));
    const dir = tmp();
    const args = ['experiment', 'trainability', ...small, '--out', dir, '--queue', redis.url];
    const failed = await cli(args);
    expect(failed.status, failed.stderr).toBe(1);
    expect(failed.stderr.trim().split('\n').at(-1)).toMatch(failureLine(FAILING, 'on a worker '));
    expect(attemptsLogged(log)).toEqual([FAILING, FAILING, FAILING]);
    expect(faulty.stderr()).toMatch(new RegExp(`failed ${FAILING}: injected failure`));
    expect(records(dir).map((r) => r.key)).not.toContain(FAILING);
    await stopWorker(faulty);
    // The failed job stays failed in Redis until a --resume puts it back; a healthy worker computes it.
    worker = await startWorker(redis.url);
    const resumed = await cli([...args, '--resume', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)[0]).toMatchObject({ records: 10 });
    const reference = tmp();
    await runExperiment(trainabilityExperiment, { outDir: reference, ...smallSettings });
    expect(records(dir)).toEqual(records(reference));
    expect(attemptsLogged(log)).toHaveLength(3);
  }, 200_000);
});
