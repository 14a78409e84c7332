import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerExperimentCommand } from '../../src/cli/commands/experiment.js';
import { parseRegions, parseSizeList, registerGradientsCommand } from '../../src/cli/commands/gradients.js';
import { UserError } from '../../src/ir/errors.js';

/** The experiment and gradients commands, run in-process through commander. */
async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerExperimentCommand(program);
  registerGradientsCommand(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'nearclifford', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('nearclifford experiment', () => {
  it('runs an experiment by number with --json and writes its files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-cli-exp-'));
    const json = JSON.parse(await run(['experiment', '4', '--quick', '--out', dir, '--json']));
    expect(json[0]).toMatchObject({ name: 'taylor-order', stopped_early: false });
    expect(json[0].records).toBe(json[0].planned);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/Taylor order/);
  });

  it('runs the --criterion paper variant on worker threads (its tasks have their own kind)', async () => {
    // Regression: both variants of experiment 4 are named taylor-order; a worker looked the task up
    // by that name, got the default criterion's schema and refused every payload.
    const dir = mkdtempSync(join(tmpdir(), 'nc-cli-exp-'));
    const json = JSON.parse(await run(['experiment', 'taylor-order', '--criterion', 'paper', '--quick', '--workers', '2', '--out', dir, '--json']));
    expect(json[0]).toMatchObject({ name: 'taylor-order', stopped_early: false });
    expect(json[0].records).toBe(json[0].planned);
    const paper = JSON.parse(readFileSync(join(dir, 'results-paper.json'), 'utf8')) as { criterion: string; records: unknown[] };
    expect(paper.criterion).toBe('paper');
    expect(paper.records).toHaveLength(json[0].planned);
  });

  it('rejects unknown names and a missing --out', async () => {
    await expect(run(['experiment', 'nope', '--out', '/tmp/x'])).rejects.toThrow(/unknown experiment/);
    await expect(run(['experiment', '1'])).rejects.toThrow(UserError);
  });
});

describe('nearclifford gradients', () => {
  it('sweeps an ansatz with LCE and reports statistics and fits as JSON', async () => {
    const json = JSON.parse(await run(['gradients', '--ansatz', 'mhea:2-4:1', '--observable', 'random', '--sigma', 'D^-1,1',
      '--samples', '10', '--lce', '--target', 'random', '--json']));
    expect(json.cells.length).toBe(6);
    for (const c of json.cells) {
      expect(c.engine).toBe('exact');
      expect(c.norm.count).toBe(10);
      for (const k of ['mean', 'std', 'median', 'q05', 'q95']) expect(typeof c.norm[k]).toBe('number');
      expect(c.component_variance.mean).toBeGreaterThanOrEqual(0);
    }
    expect(json.fits.map((f: { region: string }) => f.region)).toEqual(['σ=D^-1', 'σ=1']);
    // Three sizes: no verdict either way, but the interval and the criterion are reported.
    for (const f of json.fits) {
      expect(f.verdict).toBe('inconclusive');
      expect(f.reason).toMatch(/only 3 size/);
      expect(f.rate_ci).toHaveLength(2);
      expect(f.rate_ci[0]).toBeLessThanOrEqual(f.rate_ci[1]);
      expect(f.criterion.name).toBe('BIC on log-values');
    }
    expect(json.fits.map((f: { sigma: string }) => f.sigma)).toEqual(['D^-1', '1']);
    expect(json.cells.every((c: { informative: boolean }) => c.informative)).toBe(true);
  });

  it('marks a surrogate cell whose error bound exceeds the mean norm as uninformative', async () => {
    // Order 1 at σ = 1 on mHEA 3×1: the bound ‖O‖₁·t·‖col‖ is far above any gradient norm.
    const json = JSON.parse(await run(['gradients', '--ansatz', 'mhea:3:1', '--observable', 'Z0 Z1', '--sigma', '1',
      '--samples', '4', '--engine', 'surrogate', '--order', '1', '--json']));
    const c = json.cells[0];
    expect(c.max_gradient_error_bound).toBeGreaterThan(c.norm.mean);
    expect(c.informative).toBe(false);
    expect(c.suggestion).toMatch(/--engine exact/);
  });

  it('is reproducible with --seed and uses the surrogate with a stated bound on request', async () => {
    const args = ['gradients', '--ansatz', 'mhea:3:1', '--observable', 'Z0 Z1', '--sigma', '0.05', '--samples', '8', '--seed', '3', '--json'];
    const a = JSON.parse(await run(args));
    const b = JSON.parse(await run(args));
    expect(b.cells[0].norm).toEqual(a.cells[0].norm);
    const s = JSON.parse(await run([...args, '--engine', 'surrogate', '--order', '3']));
    expect(s.cells[0]).toMatchObject({ engine: 'surrogate', order: 3 });
    expect(Math.abs(s.cells[0].norm.mean - a.cells[0].norm.mean)).toBeLessThanOrEqual(s.cells[0].max_gradient_error_bound + 1e-12);
  });

  it('parses size lists and regions, and rejects bad input', async () => {
    expect(parseSizeList('2-4,8,3')).toEqual([2, 3, 4, 8]);
    expect(() => parseSizeList('4-2')).toThrow(UserError);
    const [r] = parseRegions(undefined, '1/D');
    expect(r!.region(10)).toEqual({ kind: 'hypercube', radius: 0.1 });
    expect(parseRegions(undefined, undefined).length).toBe(5);
    await expect(run(['gradients', '--ansatz', 'foo:2:1', '--observable', 'Z0'])).rejects.toThrow(/unknown family/);
    await expect(run(['gradients', '--ansatz', 'mhea:2:1'])).rejects.toThrow(/needs --observable/);
    await expect(run(['gradients', '--ansatz', 'mhea:2:1', '--observable', 'Z0', '--engine', 'magic'])).rejects.toThrow(/--engine/);
  });
});
