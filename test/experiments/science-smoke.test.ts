import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiments/framework.js';
import { taylorOrderPaperExperiment, type TaylorPaperRecord } from '../../src/experiments/taylor-order-paper.js';
import { renderSvg } from '../../src/reports/render.js';
import { seriesPlot } from '../../src/reports/specs.js';
import { parseSvg } from '../reports/svg-png.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nc-sci-'));

describe('experiment taylor-order --criterion paper (--quick)', () => {
  it('writes the side-by-side table, the cause counts and a plot', async () => {
    const dir = tmp();
    const r = await runExperiment(taylorOrderPaperExperiment, { outDir: dir, quick: true });
    expect(r.records).toBe(29); // the authors' sizes up to N = 494
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/## Where and why they differ/);
    const counts = /- (\d+) cells, (\d+) equal, (\d+) different\./.exec(summary)!;
    expect(Number(counts[1])).toBe(29 * 9);
    expect(Number(counts[2]) + Number(counts[3])).toBe(29 * 9);
    const json = JSON.parse(readFileSync(join(dir, 'results-paper.json'), 'utf8')) as { records: TaylorPaperRecord[] };
    // θ = 0 needs threshold 1 under both criteria; σ = 1/D stays at 9 (order 8) for ours at every N.
    for (const rec of json.records) {
      expect(rec.cells[0]!.mPaper).toBe(1);
      expect(rec.cells[3]!.mOurs).toBe(9);
    }
    expect(existsSync(join(dir, 'taylor-order-paper.png'))).toBe(true);
    const svg = parseSvg(readFileSync(join(dir, 'taylor-order-paper.svg'), 'utf8'));
    expect(svg.texts).toContain("authors' rule (one sample)");
    expect(svg.texts).toContain('truncation threshold m (log scale)');
  });
});

describe('plots a reader understands', () => {
  it('name every line, band, point layer and reference line in a legend, and label the axes', async () => {
    const data = [2, 3, 4, 5].flatMap((N) => ['a', 'b'].map((s) => ({ N, y: 1 / N, lo: 0.5 / N, hi: 2 / N, s })));
    const svg = parseSvg(await renderSvg(seriesPlot({
      title: 't',
      data,
      points: data.map((d) => ({ ...d, y: d.y * 1.1 })),
      x: { field: 'N', title: 'qubits N' },
      y: { field: 'y', title: '‖∇C‖ (dimensionless)', scale: 'log' },
      color: { field: 's', title: 'series' },
      lineLabel: 'geometric mean',
      pointLabel: 'one seed',
      band: { lo: 'lo', hi: 'hi', label: 'q25–q75' },
      rule: 1,
      ruleLabel: 'LCE guarantee ‖∇C‖ = 1',
    })));
    for (const t of ['qubits N', '‖∇C‖ (dimensionless)', 'series', 'a', 'b', 'geometric mean', 'q25–q75', 'one seed', 'LCE guarantee ‖∇C‖ = 1']) {
      expect(svg.texts).toContain(t);
    }
    expect(svg.classes.some((c) => c.startsWith('mark-area role-mark'))).toBe(true);
  });

  it('leave non-positive band edges out on a log axis instead of drawing an empty band', () => {
    const spec = seriesPlot({
      title: 't', data: [{ N: 2, y: 1, lo: 0, hi: 2, s: 'a' }, { N: 3, y: 1, lo: 0.5, hi: 2, s: 'a' }],
      x: { field: 'N', title: 'N' }, y: { field: 'y', title: 'y', scale: 'log' }, color: { field: 's' },
      band: { lo: 'lo', hi: 'hi', label: 'band' },
    }) as unknown as { layer: { transform?: { filter: unknown }[] }[] };
    expect(JSON.stringify(spec.layer[0]!.transform)).toMatch(/datum\['lo'\] > 0/);
  });
});
