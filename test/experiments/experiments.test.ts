import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment, type ExperimentDefinition } from '../../src/experiments/framework.js';
import { gradientNormExperiment, type GradientNormRecord } from '../../src/experiments/gradient-norm.js';
import { taylorOrderExperiment, neededOrder } from '../../src/experiments/taylor-order.js';
import { trainabilityRecord } from '../../src/experiments/trainability.js';
import { runtimeRecord } from '../../src/experiments/surrogate-runtime.js';
import type { KeyedRecord } from '../../src/experiments/store.js';
import { s } from '../../src/tasks/schema.js';
import { parseSvg, pngSize } from '../reports/svg-png.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nc-exp-'));
const readRecords = <R>(dir: string): R[] =>
  readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as R);

interface Fake extends KeyedRecord {
  i: number;
}

function fakeExperiment(failAt: number | null, log: number[]): ExperimentDefinition<{ i: number }, Fake> {
  return {
    name: 'fake', number: 0, title: 'fake', description: 'fake',
    payload: s.object({ i: s.int(0, 100) }),
    plan: () => Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, label: `${i}`, payload: { i } })),
    compute: ({ i }, key) => {
      if (i === failAt) throw new Error('interrupted');
      log.push(i);
      return { key, i };
    },
    report: async (records) => {
      writeFileSync(join(dirOf.current, 'report.txt'), records.map((r) => r.i).join(','));
      return [];
    },
  };
}
const dirOf = { current: '' };

describe('experiment runner', () => {
  it('appends records as they finish and resumes after an interruption', async () => {
    const dir = (dirOf.current = tmp());
    const log: number[] = [];
    await expect(runExperiment(fakeExperiment(3, log), { outDir: dir })).rejects.toThrow('interrupted');
    expect(readRecords<Fake>(dir).map((r) => r.i)).toEqual([0, 1, 2]);
    // A write cut off mid-line is dropped on resume.
    writeFileSync(join(dir, 'records.jsonl'), readFileSync(join(dir, 'records.jsonl'), 'utf8') + '{"key":"k3","i"');
    const r = await runExperiment(fakeExperiment(null, log), { outDir: dir, resume: true });
    expect(log).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r).toMatchObject({ records: 6, computed: 3, skipped: 3, planned: 6, stoppedEarly: false });
    expect(readRecords<Fake>(dir).map((x) => x.i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(readFileSync(join(dir, 'report.txt'), 'utf8')).toBe('0,1,2,3,4,5');
    // Without --resume the file starts over.
    await runExperiment(fakeExperiment(null, log), { outDir: dir });
    expect(log.length).toBe(12);
  });

  it('stops starting tasks at the time cap and still writes a summary', async () => {
    const dir = (dirOf.current = tmp());
    const r = await runExperiment(fakeExperiment(null, []), { outDir: dir, timeCapSeconds: 0 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.records).toBe(0);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/No records/);
    // Resuming without a cap completes the run.
    const done = await runExperiment(fakeExperiment(null, []), { outDir: dir, resume: true });
    expect(done.records).toBe(6);
    expect(existsSync(join(dir, 'report.txt'))).toBe(true);
  });
});

describe('experiment 1 (gradient-norm, --quick)', () => {
  it('LCE norms are ≥ 1, plain norms vanish with N, files are valid, and resume reproduces the records', async () => {
    const dir = tmp();
    const first = await runExperiment(gradientNormExperiment, { outDir: dir, quick: true });
    const records = readRecords<GradientNormRecord>(dir);
    expect(records.length).toBe(first.planned);
    for (const r of records) {
      expect(r.normLce).toBeGreaterThanOrEqual(1);
      expect(Math.abs(r.derivativeLce)).toBe(1);
      expect(r.lceSign).toBe(r.derivativeLce);
    }
    expect(records.some((r) => r.norm === 0)).toBe(true);
    const svg = parseSvg(readFileSync(join(dir, 'gradient-norm.svg'), 'utf8'));
    for (const t of ['without LCE', 'with LCE', 'mHEA, L = N', 'fHEA, L = 1', 'rPQC, depth 5']) expect(svg.texts).toContain(t);
    expect(pngSize(readFileSync(join(dir, 'gradient-norm.png'))).width).toBeGreaterThan(400);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/## What the run shows/);
    // Drop the second half, rerun with --resume: the same records come back.
    const lines = readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter((l) => l);
    writeFileSync(join(dir, 'records.jsonl'), lines.slice(0, lines.length >> 1).join('\n') + '\n');
    const second = await runExperiment(gradientNormExperiment, { outDir: dir, quick: true, resume: true });
    expect(second.computed).toBe(lines.length - (lines.length >> 1));
    const strip = (r: GradientNormRecord) => ({ ...r, seconds: 0 });
    expect(readRecords<GradientNormRecord>(dir).map(strip)).toEqual(records.map(strip));
  });
});

describe('experiment 4 (taylor-order)', () => {
  it('reproduces the REFERENCE landmarks: σ = 1/D needs order 8 at every D', () => {
    for (const N of [2, 10, 100, 10_000]) expect(neededOrder('D^-1', N).order).toBe(8);
    expect(neededOrder('0', 50).order).toBe(0);
    // σ = D^-1/2 grows like √D; σ = 1 like D.
    expect(neededOrder('D^-0.5', 1000).order).toBeGreaterThan(neededOrder('D^-0.5', 100).order * 5);
    expect(neededOrder('1', 1000).order).toBeGreaterThan(2 * 1000 * 1001 * 0.79);
  });

  it('plots the curves with the transition-zone bands shaded', async () => {
    const dir = tmp();
    await runExperiment(taylorOrderExperiment, { outDir: dir, quick: true });
    const svg = parseSvg(readFileSync(join(dir, 'taylor-order.svg'), 'utf8'));
    expect(svg.classes.some((c) => c.startsWith('mark-area role-mark'))).toBe(true);
    for (const t of ['σ = D^−1', 'σ = D^−1/2', 'σ = 1', 'transition zone (D^−1 … D^−1/2)']) expect(svg.texts).toContain(t);
    pngSize(readFileSync(join(dir, 'taylor-order.png')));
  });
});

describe('experiments 3 and 5, single records', () => {
  it('trainability: LCE keeps ∂_k C near ±1 for σ = 1/D', () => {
    const r = trainabilityRecord('x', 4, 0);
    const small = r.results.find((x) => x.sigmaLabel === 'σ = D^−1')!;
    expect(Math.abs(small.derivativeLce)).toBeGreaterThan(0.9);
    expect(r.results.length).toBe(5);
  });

  it('surrogate-runtime: builds and bounds', () => {
    const r = runtimeRecord('x', 'mhea', 8, 2);
    expect(r.error).toBeUndefined();
    expect(r.monomials).toBeGreaterThan(0);
    expect(r.regionBound).toBeGreaterThan(0);
    expect(r.log10ParameterShifts).toBeCloseTo(Math.log10(((2 * 32 + 2) * (2 * 32 + 1)) / 2), 10);
  });
});
