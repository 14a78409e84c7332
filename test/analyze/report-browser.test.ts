import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliBuilt, runCli } from '../cli/run-cli.js';
import { CHROMIUM, loadReport } from './browser.js';

/**
 * End to end: `nearclifford analyze` on two known circuits, then the report in a real browser
 * (Debian's Chromium via playwright-core, network blocked). The expected verdicts follow from the
 * paper: a small mHEA at σ = 1/D has a certified constant-order surrogate ("simulable"); the same
 * family at σ = 1 without the LCE at N = 12 has gradients at the level of a random circuit
 * ("vanishing gradients"). The README's screenshot comes from the same driver
 * (scripts/readme-screenshot.ts).
 */
if (!cliBuilt) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before the analyze tests`);
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (.ci/run does) for the browser test`);
}

const dir = mkdtempSync(join(tmpdir(), 'nc-analyze-'));

interface AnalyzeJson { summary: { sigma: string; verdict: string }[]; seconds: number; html: string }

/** Runs `analyze` asynchronously, so the two reports are computed side by side. */
function analyze(file: string, out: string, extra: string[]): Promise<AnalyzeJson> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'analyze', file, '--out', out, '--json', ...extra], { env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || /\n\s+at /.test(stderr)) reject(new Error(`analyze exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as AnalyzeJson);
    });
  });
}

function mhea(N: number, L: number): string {
  const r = runCli(['ansatz', 'mhea', '--qubits', String(N), '--layers', String(L)]);
  expect(r.status, r.stderr).toBe(0);
  const global = Array.from({ length: N }, (_, i) => `Z${i}`).join(' ');
  const path = join(dir, `mhea-${N}-${L}.ncl`);
  writeFileSync(path, `${r.stdout}\nobservable global_z = ${global};\n`);
  return path;
}

describe.skipIf(!haveChromium)('analyze report in Chromium', () => {
  let small: AnalyzeJson, twelve: AnalyzeJson;
  beforeAll(async () => {
    [small, twelve] = await Promise.all([
      analyze(mhea(4, 1), join(dir, 'small'), ['--sigma', '1/D,1', '--time-budget', '8']),
      analyze(mhea(12, 1), join(dir, 'twelve'), ['--sigma', '1', '--time-budget', '6']),
    ]);
  });

  it('small mHEA at σ = 1/D: simulable; every plot renders offline without console errors', async () => {
    const out = join(dir, 'small');
    const res = small;
    expect(res.summary.find((v) => v.sigma === '1/D')?.verdict).toBe('simulable');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const page = await loadReport(res.html);
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.plotErrors).toBe('');
    expect(page.plots.map((p) => p.id).sort()).toEqual(report.figures.map((f: { id: string }) => f.id).sort());
    for (const p of page.plots) {
      expect(p.rendered, p.id).toBe(true);
      expect(p.width, p.id).toBeGreaterThan(50);
      expect(p.height, p.id).toBeGreaterThan(30);
      expect(p.marks, p.id).toBeGreaterThan(5);
    }
    const row = page.verdicts.find((v) => v.sigma === '1/D');
    expect(row?.verdict).toBe('simulable');
    expect(row?.text).toMatch(/^simulable \(order \d+, \d+ terms, [\d.e-]+ seconds\)$/);
    expect(page.verdicts.map((v) => v.sigma)).toEqual(['1/D', '1']);
    expect(page.pixelVariance).toBeGreaterThan(100);
  });

  it('the same family at σ = 1 without LCE at N = 12: vanishing gradients', async () => {
    const res = twelve;
    expect(res.summary).toEqual([expect.objectContaining({ sigma: '1', verdict: 'vanishing-gradients' })]);
    const page = await loadReport(res.html);
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.plots.length).toBeGreaterThan(5);
    expect(page.plots.every((p) => p.rendered && p.marks > 5)).toBe(true);
    expect(page.verdicts).toEqual([{ sigma: '1', verdict: 'vanishing-gradients', text: 'vanishing gradients' }]);
    expect(page.pixelVariance).toBeGreaterThan(100);
  });
});
