import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/framework.js';
import { trainabilityExperiment } from '../../src/experiments/trainability.js';
import { createLocalExecutor } from '../../src/parallel/pool.js';
import { lookupHandler, TASK_KINDS } from '../../src/parallel/registry.js';
import { executeEnvelope, makeEnvelope, recordOf } from '../../src/tasks/executor.js';
import { PayloadError, s } from '../../src/tasks/schema.js';
import { UserError } from '../../src/ir/errors.js';
import { phaseDiagram, phaseExponents, phaseQubits } from '../../src/cost/phase-diagram.js';
import { writeFileSync } from 'node:fs';
import { CLI, cliBuilt, runCli } from '../cli/run-cli.js';

/** The worker pool: same records for any number of threads, validated payloads, clean Ctrl-C. */
if (!cliBuilt) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before the pool tests`);

const tmp = () => mkdtempSync(join(tmpdir(), 'nc-pool-'));
const lines = (dir: string) => (existsSync(join(dir, 'records.jsonl')) ? readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '') : []);
const records = (dir: string) => lines(dir).map((l) => ({ ...(JSON.parse(l) as Record<string, unknown>), seconds: 0 }) as Record<string, unknown>).sort((a, b) => String(a.key).localeCompare(String(b.key)));

describe('task envelopes and schemas', () => {
  it('knows every experiment and the gradient cell, and nothing else', () => {
    expect(TASK_KINDS).toContain('experiment/trainability');
    expect(TASK_KINDS).toContain('gradients/cell');
    expect(lookupHandler('experiment/nope')).toBeUndefined();
  });

  it('returns failures as data: payload errors, user errors, internal errors', () => {
    const ok = executeEnvelope(lookupHandler, makeEnvelope('experiment/taylor-order', 'D^-1/N10', { sigma: 'D^-1', N: 10 }));
    expect(ok.ok && ok.record).toMatchObject({ key: 'D^-1/N10', order: 8 });
    const bad = executeEnvelope(lookupHandler, makeEnvelope('experiment/taylor-order', 'k', { sigma: 'D^-1', N: 10, extra: 1 }));
    expect(bad).toMatchObject({ ok: false, error: { kind: 'payload' } });
    const wrongType = executeEnvelope(lookupHandler, { v: 1, kind: 'experiment/taylor-order', key: 'k', payload: { sigma: 'D^-1', N: '10' } });
    expect(wrongType.ok ? '' : wrongType.error.message).toMatch(/payload\.N must be an integer/);
    const user = executeEnvelope(lookupHandler, makeEnvelope('gradients/cell', 'N2/σ=1', {
      circuit: { family: 'mhea', layers: 1 }, observable: 'Z7', N: 2, region: { kind: 'gaussian', text: '1' }, samples: 1, seed: 0,
      center: 'zero', engine: 'exact', exactMaxQubits: 20, eps: 1e-3, maxOrder: 4,
    }));
    expect(user).toMatchObject({ ok: false, error: { kind: 'user' } });
    expect(() => recordOf('k', user)).toThrow(UserError);
  });

  it('a phase-diagram row as a task gives the cells of the one-thread diagram (JSON round trip included)', () => {
    const qubits = phaseQubits(true);
    const cells = phaseExponents(true).flatMap((a) => {
      const out = executeEnvelope(lookupHandler, makeEnvelope('cost/phase-row', `a=${a}`, { a, qubits, eps: 1e-6 }));
      return recordOf<{ cells: unknown[] }>('a', out).cells;
    });
    expect(cells).toEqual(phaseDiagram({ quick: true }).cells);
  });

  it('schemas are strict', () => {
    const schema = s.object({ a: s.int(0, 3), b: s.optional(s.oneOf(['x', 'y'] as const)) });
    expect(schema.parse({ a: 2 })).toEqual({ a: 2 });
    for (const v of [{ a: 4 }, { a: 1.5 }, { a: 1, b: 'z' }, { a: 1, c: 0 }, [], null, 'a', Object.create({ a: 1 })]) {
      expect(() => schema.parse(v)).toThrow(PayloadError);
    }
  });
});

describe('the worker pool', () => {
  it('gives the records of a one-thread run, whatever the scheduling', async () => {
    const settings = { quick: true, maxQubits: 5, seeds: 2 };
    const one = tmp(), two = tmp();
    await runExperiment(trainabilityExperiment, { outDir: one, ...settings });
    const pool = createLocalExecutor(2);
    try {
      const r = await runExperiment(trainabilityExperiment, { outDir: two, ...settings, executor: pool });
      expect(r).toMatchObject({ records: 4 * 4 * 2, computed: 4 * 4 * 2 });
    } finally {
      await pool.close();
    }
    expect(records(two)).toEqual(records(one));
    expect(readFileSync(join(two, 'summary.md'), 'utf8')).toBe(readFileSync(join(one, 'summary.md'), 'utf8'));
  });

  it('gradients --workers 2 prints the statistics of --workers 1', () => {
    const args = ['gradients', '--ansatz', 'rpqc:2-5:3', '--observable', 'random', '--sigma', 'D^-1,1', '--samples', '6', '--lce', '--target', 'random', '--json'];
    const a = runCli([...args, '--workers', '1']);
    const b = runCli([...args, '--workers', '2']);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const strip = (t: string) => JSON.stringify(JSON.parse(t), (k, v) => (k === 'seconds' ? 0 : v));
    expect(strip(b.stdout)).toBe(strip(a.stdout));
    expect(runCli([...args, '--workers', '0']).status).toBe(2);
  });

  it('evaluate --workers 2 prints the values and bounds of --workers 1', () => {
    const dir = tmp();
    const circuit = runCli(['ansatz', 'mhea', '--qubits', '4', '--layers', '1']);
    writeFileSync(join(dir, 'c.ncl'), circuit.stdout);
    expect(runCli(['surrogate', join(dir, 'c.ncl'), '--observable', 'Z0 Z1', '--order', '2', '--save', join(dir, 's.json')]).status).toBe(0);
    const points = Array.from({ length: 300 }, (_, i) => ({ theta: Array.from({ length: 16 }, (_, k) => 0.2 * Math.sin(7 * i + k)) }));
    writeFileSync(join(dir, 'p.json'), JSON.stringify(points));
    const args = ['evaluate', join(dir, 's.json'), '--at', join(dir, 'p.json'), '--json'];
    const a = runCli([...args, '--workers', '1']);
    const b = runCli([...args, '--workers', '2']);
    expect(a.status, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).values.length).toBe(300);
    expect(b.stdout).toBe(a.stdout);
  });

  it('check --workers 2 reports what --workers 1 does, counterexample included', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'c.ncl'), runCli(['ansatz', 'mhea', '--qubits', '4', '--layers', '1']).stdout);
    for (const claim of ['order=1 eps=1e-4 sigma=0.3', 'order=8 eps=1e-6 sigma=1/D']) {
      const args = ['check', join(dir, 'c.ncl'), '--observable', 'Z0 Z1 + 0.5*X2', '--claim', claim, '--samples', '30', '--seed', '7', '--shrink-seconds', '60', '--json'];
      const a = runCli([...args, '--workers', '1']);
      const b = runCli([...args, '--workers', '2']);
      expect(a.stdout.length, a.stderr).toBeGreaterThan(0);
      expect(b.status).toBe(a.status);
      // Timing: the seconds field and the build time inside the approximation's description.
      const strip = (t: string) => JSON.stringify(JSON.parse(t), (k, v) => (k === 'seconds' ? 0 : typeof v === 'string' ? v.replace(/built in [\d.]+ s/, 'built') : v));
      expect(strip(b.stdout)).toBe(strip(a.stdout));
    }
  });

  it('Ctrl-C stops the pool, keeps the finished records, and --resume completes the run', async () => {
    const dir = tmp();
    const args = ['experiment', 'trainability', '--family', 'mhea-deep', '--max-qubits', '10', '--seeds', '3', '--out', dir];
    const child = spawn(process.execPath, [CLI, ...args, '--workers', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while (lines(dir).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toMatch(/interrupted/);
    const kept = lines(dir).length;
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(27);
    const resumed = runCli([...args, '--workers', '2', '--resume', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)[0]).toMatchObject({ records: 27, skipped: kept, computed: 27 - kept });
    const reference = tmp();
    await runExperiment(trainabilityExperiment, { outDir: reference, family: 'mhea-deep', maxQubits: 10, seeds: 3 });
    expect(records(dir)).toEqual(records(reference));
  }, 180_000);
});
