import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderPlot, svgToPng } from '../../src/reports/render.js';
import { seriesPlot } from '../../src/reports/specs.js';
import { UserError } from '../../src/ir/errors.js';
import { markdownTable } from '../../src/reports/markdown.js';
import { parseSvg, pngSize } from './svg-png.js';

const data = [2, 4, 8, 16].flatMap((N) => [
  { N, y: Math.exp(-N / 3), series: 'decaying', lce: 'without LCE' },
  { N, y: 1 + 0.01 * N, series: 'flat', lce: 'with LCE' },
]);

describe('plots', () => {
  const saved = process.env.NEARCLIFFORD_FONT_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.NEARCLIFFORD_FONT_DIR;
    else process.env.NEARCLIFFORD_FONT_DIR = saved;
  });

  it('render to a well-formed SVG with the series, facets and marks, and a PNG of twice its size', async () => {
    const spec = seriesPlot({
      title: 'Test plot', data,
      x: { field: 'N', title: 'qubits N' },
      y: { field: 'y', title: 'norm', scale: 'log' },
      color: { field: 'series', title: 'series' },
      column: { field: 'lce', sort: ['without LCE', 'with LCE'] },
      samples: true,
      rule: 1,
    });
    const { svg, png } = await renderPlot(spec);
    const info = parseSvg(svg);
    for (const t of ['Test plot', 'decaying', 'flat', 'without LCE', 'with LCE', 'qubits N', 'norm']) expect(info.texts).toContain(t);
    expect(info.classes.some((c) => c.startsWith('mark-line role-mark'))).toBe(true);
    expect(info.classes.some((c) => c.startsWith('mark-symbol role-mark'))).toBe(true);
    expect(info.classes.some((c) => c.startsWith('mark-rule role-mark'))).toBe(true);
    const size = pngSize(png);
    expect(size.width).toBe(Math.round(info.width * 2));
    expect(size.height).toBe(Math.round(info.height * 2));
  });

  it('fail with a clear message when the fonts are missing', async () => {
    process.env.NEARCLIFFORD_FONT_DIR = mkdtempSync(join(tmpdir(), 'nc-nofonts-'));
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
    await expect(svgToPng(svg)).rejects.toThrow(UserError);
    await expect(svgToPng(svg)).rejects.toThrow(/fonts-dejavu-core|NEARCLIFFORD_FONT_DIR/);
  });

  it('the SVG checker rejects malformed documents', () => {
    expect(() => parseSvg('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).toThrow();
    expect(() => parseSvg('<html></html>')).toThrow();
  });
});

describe('markdown tables', () => {
  it('format numbers and escape pipes', () => {
    expect(markdownTable(['a', 'b'], [[1, 'x|y'], [0.000012345, 1234.5678]])).toBe(
      '| a | b |\n| --- | --- |\n| 1 | x\\|y |\n| 1.234e-5 | 1235 |',
    );
  });
});
