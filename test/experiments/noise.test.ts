import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerExperimentCommand } from '../../src/cli/commands/experiment.js';
import { runExperiment } from '../../src/experiments/framework.js';
import { findExperiment } from '../../src/experiments/index.js';
import {
  NOISE_SIGMAS, noiseExperiment, noiseGradientSeries, noisePropagationSeries, strengthLabel, type NoiseGradientSeries, type NoiseRecord,
} from '../../src/experiments/noise.js';
import { TASK_KINDS } from '../../src/parallel/registry.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nc-noise-exp-'));
const readRecords = (dir: string): NoiseRecord[] =>
  readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as NoiseRecord);

/** Geometric mean of ‖∇C‖ over seeds at the shallowest and the deepest depth of a series. */
const ends = (x: NoiseGradientSeries) => [x.central[0]!.geometricMean, x.central[x.central.length - 1]!.geometricMean] as const;

describe('experiment noise (--quick)', () => {
  it('shows the noise-induced barren plateau that the LCE cannot remove, and cheaper propagation under noise', async () => {
    const dir = tmp();
    const run = await runExperiment(noiseExperiment, { outDir: dir, quick: true });
    const records = readRecords(dir);
    expect(records.length).toBe(run.planned);
    const series = noiseGradientSeries(records);
    const get = (p: number, lce: boolean, sigma: string) => series.find((x) => x.p === p && x.lce === lce && x.sigma === sigma)!;
    for (const { label: sigma } of NOISE_SIGMAS) {
      // Strong noise: with and without the LCE the gradient decays with depth, and faster than
      // the noiseless circuit's (the damping relative to p = 0 grows with depth).
      for (const lce of [false, true]) {
        const [noisyFirst, noisyLast] = ends(get(5e-2, lce, sigma));
        const [cleanFirst, cleanLast] = ends(get(0, lce, sigma));
        expect(noisyLast / noisyFirst, `${sigma}, LCE ${lce}`).toBeLessThan(0.5);
        expect(noisyLast / cleanLast, `${sigma}, LCE ${lce}`).toBeLessThan(0.5 * (noisyFirst / cleanFirst));
      }
    }
    // Noiseless with LCE at σ = D^−1: the encoded derivative stays near ±1 at every depth, so no decay.
    const clean = get(0, true, NOISE_SIGMAS[0]!.label);
    for (const c of clean.central) expect(c.geometricMean).toBeGreaterThan(0.5);
    const [a, b] = ends(clean);
    expect(b / a).toBeGreaterThan(0.5);
    // Weak noise sits between: damped, but less than strong noise at the deepest depth.
    expect(ends(get(1e-3, true, NOISE_SIGMAS[0]!.label))[1]).toBeGreaterThan(ends(get(5e-2, true, NOISE_SIGMAS[0]!.label))[1]);

    // Propagation: fewer terms at p = 5e-2 than noiseless at the same truncation, and the truncation
    // error stays within the dropped weight (channels are contractions).
    const prop = noisePropagationSeries(records);
    expect(prop.length).toBeGreaterThan(0);
    for (const x of prop) expect(x.peakTerms[x.p.indexOf(5e-2)]!).toBeLessThan(x.peakTerms[x.p.indexOf(0)]!);
    for (const r of records) {
      if (r.part !== 'propagation') continue;
      for (const x of r.results) expect(Math.abs(x.value - x.exact)).toBeLessThanOrEqual(x.droppedWeight + 1e-12);
    }

    for (const f of ['noise-gradients.svg', 'noise-gradients.png', 'noise-propagation.svg', 'noise-propagation.png', 'results.json', 'summary.md']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain(strengthLabel(5e-2));
    expect(summary).toMatch(/cannot remove a noise-induced barren plateau/);
    // Resuming recomputes nothing and gives the same records.
    const again = await runExperiment(noiseExperiment, { outDir: dir, quick: true, resume: true });
    expect(again).toMatchObject({ computed: 0, skipped: run.planned });
    expect(readRecords(dir)).toEqual(records);
  }, 120_000);

  it('is registered: by name and number, as a worker task kind, with --qubits and --seeds on the CLI', async () => {
    expect(findExperiment('noise')).toBe(noiseExperiment);
    expect(findExperiment('8')).toBe(noiseExperiment);
    expect(TASK_KINDS).toContain('experiment/noise');
    expect(strengthLabel(0)).toBe('p = 0');
    expect(strengthLabel(1e-3)).toBe('p = 10⁻³');
    expect(strengthLabel(5e-2)).toBe('p = 5·10⁻²');
    expect(strengthLabel(0.25)).toBe('p = 2.5·10⁻¹');
    const dir = tmp();
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    registerExperimentCommand(program);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(['node', 'nc', 'experiment', 'noise', '--quick', '--qubits', '2', '--seeds', '1', '--out', dir, '--workers', '1']);
    } finally {
      spy.mockRestore();
    }
    const records = readRecords(dir);
    expect(records.filter((r) => r.part === 'gradients').every((r) => r.N === 2)).toBe(true);
    expect(records.filter((r) => r.part === 'propagation').every((r) => r.N === 4)).toBe(true);
    expect(new Set(records.map((r) => r.seed))).toEqual(new Set([0]));
    const bad = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    registerExperimentCommand(bad);
    await expect(bad.parseAsync(['node', 'nc', 'experiment', 'trainability', '--qubits', '3', '--out', dir])).rejects.toThrow(/--qubits applies to experiment noise, not to trainability/);
    await expect(bad.parseAsync(['node', 'nc', 'experiment', 'noise', '--qubits', '11', '--out', tmp()])).rejects.toThrow(/--qubits must be between 2 and 10/);
  }, 60_000);
});
