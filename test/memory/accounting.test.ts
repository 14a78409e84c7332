import { buildSync } from 'esbuild';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { newOwnerId, releaseReservation, releaseSlotsOf, reservedBytes, sharedAccounting, tryReserve } from '../../src/memory/accounting.js';
import { MemoryLimitError, ensureFits, setMemoryLimit } from '../../src/memory/limit.js';

afterEach(() => {
  setMemoryLimit(undefined);
  releaseReservation();
});

// The worker runs the source of src/memory/accounting.ts, bundled for it (a worker thread cannot
// load TypeScript through the test runner's transform).
const workerFile = join(mkdtempSync(join(tmpdir(), 'nc-accounting-')), 'worker.mjs');
buildSync({ entryPoints: [new URL('./accounting-worker.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', outfile: workerFile, logLevel: 'silent' });

function startWorker(owner: number): Worker {
  return new Worker(workerFile, { workerData: { memory: sharedAccounting(), owner } });
}

async function ask<T>(w: Worker, message: object): Promise<T> {
  w.postMessage(message);
  const [reply] = await once(w, 'message');
  return reply as T;
}

describe('reserved-bytes accounting across threads', () => {
  it('a reservation approved on one thread (not yet resident) counts against another thread', async () => {
    const owner = newOwnerId();
    const w = startWorker(owner);
    try {
      const MB = 1e6;
      const limit = process.memoryUsage.rss() + 400 * MB;
      setMemoryLimit(limit);
      // Main thread: 250 MB approved, never touched, so resident memory does not show it.
      ensureFits(250 * MB, 'a table of the main thread');
      expect(reservedBytes()).toBeGreaterThanOrEqual(250 * MB);
      // By resident memory alone the worker's 250 MB would fit: that was the old race.
      expect(process.memoryUsage.rss() + 250 * MB).toBeLessThanOrEqual(limit);
      const refused = await ask<{ ok: boolean; usedBytes: number }>(w, { bytes: 250 * MB, limit });
      expect(refused.ok).toBe(false);
      expect(refused.usedBytes).toBeGreaterThanOrEqual(250 * MB);
      // The main thread finished with its table: the worker's request now fits.
      releaseReservation();
      const approved = await ask<{ ok: boolean }>(w, { bytes: 250 * MB, limit });
      expect(approved.ok).toBe(true);
      // ... and the main thread is the one refused now, with the one-line error.
      expect(() => ensureFits(250 * MB, 'a second table')).toThrow(MemoryLimitError);
      expect(() => ensureFits(250 * MB, 'a second table')).toThrow(/a second table needs 250 MB/);
      // The worker's task ends: its slot shrinks to what it holds.
      await ask(w, { release: true });
      expect(() => ensureFits(250 * MB, 'a second table')).not.toThrow();
    } finally {
      await w.terminate();
      releaseSlotsOf(owner);
    }
  });

  it('closing a pool clears the slots of its threads', async () => {
    const owner = newOwnerId();
    const w = startWorker(owner);
    try {
      const before = reservedBytes();
      const r = await ask<{ ok: boolean }>(w, { bytes: 100e6, limit: Number.MAX_SAFE_INTEGER });
      expect(r.ok).toBe(true);
      expect(reservedBytes()).toBeGreaterThanOrEqual(before + 100e6);
    } finally {
      await w.terminate();
    }
    releaseSlotsOf(owner);
    expect(reservedBytes()).toBeLessThan(100e6 + process.memoryUsage().heapTotal + process.memoryUsage().arrayBuffers);
  });

  it('a lock left by a thread terminated inside its locked section is taken over', async () => {
    const owner = newOwnerId();
    const w = startWorker(owner);
    try {
      await ask(w, { holdLock: true });
    } finally {
      await w.terminate();
      // The lock is still taken: releaseSlotsOf (which also locks) must not hang either.
      releaseSlotsOf(owner);
    }
    // Without the takeover the main thread would wait here for ever (the Ctrl-C hang).
    const t0 = performance.now();
    expect(tryReserve(1e6, Number.MAX_SAFE_INTEGER).ok).toBe(true);
    expect(tryReserve(1e6, Number.MAX_SAFE_INTEGER).ok).toBe(true);
    // One takeover wait (~1 s), not one per call: the lock was released properly after it.
    expect(performance.now() - t0).toBeLessThan(10_000);
    const t1 = performance.now();
    reservedBytes();
    expect(performance.now() - t1).toBeLessThan(500);
  });

  it('a refused request reserves nothing', () => {
    const before = reservedBytes();
    expect(tryReserve(1e15, 1e12).ok).toBe(false);
    expect(reservedBytes()).toBeLessThan(before + 1e9);
  });
});
