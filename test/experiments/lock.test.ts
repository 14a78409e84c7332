import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDirectory } from '../../src/experiments/lock.js';
import { RecordStore } from '../../src/experiments/store.js';
import { CLI, cliBuilt } from '../cli/run-cli.js';

if (!cliBuilt) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before the CLI tests`);

/** A PID that certainly names no process: one of a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function runAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('experiment output directory lock', () => {
  it('two concurrent runs into one --out: one runs, the other fails naming it; no record is duplicated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-lock-'));
    const args = ['experiment', 'taylor-order', '--quick', '--out', dir];
    const [a, b] = await Promise.all([runAsync(args), runAsync(args)]);
    const results = [a, b].sort((x, y) => (x.status ?? 9) - (y.status ?? 9));
    expect(results.map((r) => r.status)).toEqual([0, 1]);
    expect(results[1]!.stderr).toMatch(/^nearclifford: error: another nearclifford run \(PID \d+.*\) is writing to '.*'; wait for it/);
    const keys = readFileSync(join(dir, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).key as string);
    expect(new Set(keys).size).toBe(keys.length);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false); // released at exit
  });

  it('a stale lock (its owner is gone) is taken over; a live one is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-lock-'));
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: '', started: 'yesterday' }));
    const lock = lockDirectory(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    // A garbage lock file is stale too.
    writeFileSync(join(dir, LOCK_FILE), 'half-writ');
    lockDirectory(dir).release();
    // A lock held by a live process (the parent of this test runner is alive) is refused.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: '', started: 'now' }));
    expect(() => lockDirectory(dir)).toThrow(new RegExp(`another nearclifford run \\(PID ${process.ppid}, started now\\)`));
  });

  it('--resume compacts duplicated records in the file itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-lock-'));
    const file = join(dir, 'records.jsonl');
    const rec = (k: string, v: number) => JSON.stringify({ key: k, v }) + '\n';
    writeFileSync(file, rec('a', 1) + rec('b', 2) + rec('a', 1) + rec('c', 3) + rec('b', 2) + '{"key": "d", "v"');
    const store = new RecordStore<{ key: string; v: number }>(file, true);
    expect(store.all().map((r) => r.key)).toEqual(['a', 'b', 'c']);
    expect(readFileSync(file, 'utf8')).toBe(rec('a', 1) + rec('b', 2) + rec('c', 3));
  });
});
