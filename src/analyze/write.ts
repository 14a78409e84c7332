import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Circuit } from '../ir/types.js';
import { UserError } from '../ir/errors.js';
import { renderSvg, svgToPng } from '../reports/render.js';
import { circuitDiagramSvg } from './html/diagram.js';
import { reportHtml } from './html/page.js';
import type { AnalysisResult } from './analyze.js';
import { figures } from './plots.js';

/**
 * Writes the report directory: report.html (self-contained), report.json (every number shown, keys
 * in snake_case like the other commands' JSON), circuit.svg, and per figure NAME.svg, NAME.png and
 * NAME.vl.json (its Vega-Lite spec). PNG needs the DejaVu fonts; without them the SVGs are still
 * written and the report says so.
 */
export interface WrittenReport {
  readonly html: string;
  readonly json: string;
  readonly files: readonly string[];
  readonly notes: readonly string[];
}

/** camelCase → snake_case keys, recursively (typed arrays become plain arrays). */
export function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (v instanceof Map) return snakeKeys(Object.fromEntries(v));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = snakeKeys(x);
    return out;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

/** Writes report.html (self-contained, works offline), report.json and the plots (SVG, PNG, spec) into `dir`. */
export async function writeReport(dir: string, circuit: Circuit, result: AnalysisResult): Promise<WrittenReport> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(`cannot create --out directory '${dir}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const t0 = performance.now();
  const figs = figures(result.data);
  const files: string[] = [];
  const notes: string[] = [];
  const diagram = circuitDiagramSvg(circuit, result.layers, result.data.parameterNames);
  writeFileSync(join(dir, 'circuit.svg'), diagram.svg);
  files.push(join(dir, 'circuit.svg'));
  let pngOk = true;
  for (const f of figs) {
    const svg = await renderSvg(f.spec);
    writeFileSync(join(dir, `${f.id}.svg`), svg);
    writeFileSync(join(dir, `${f.id}.vl.json`), JSON.stringify(f.spec, null, 1) + '\n');
    files.push(join(dir, `${f.id}.svg`), join(dir, `${f.id}.vl.json`));
    if (!pngOk) continue;
    try {
      writeFileSync(join(dir, `${f.id}.png`), await svgToPng(svg, 1.5));
      files.push(join(dir, `${f.id}.png`));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      pngOk = false;
      notes.push(`PNG files not written: ${e.message}`);
    }
  }
  const renderSeconds = (performance.now() - t0) / 1000;
  const total = result.budget.elapsed();
  if (total > result.budget.totalSeconds * 1.05) {
    notes.push(`the analysis took ${total.toFixed(1)} s, over the ${result.budget.totalSeconds} s budget: rendering ${figs.length} plots took ${renderSeconds.toFixed(1)} s, more than the reserve held back for it`);
  }
  const data = {
    ...result.data,
    timing: { sections: { ...result.data.timing.sections, render: renderSeconds }, totalSeconds: result.budget.elapsed() },
    figures: figs.map((f) => ({ id: f.id, section: f.section, title: f.title, files: [`${f.id}.svg`, `${f.id}.vl.json`, ...(pngOk ? [`${f.id}.png`] : [])] })),
    notes,
  };
  const html = join(dir, 'report.html');
  const json = join(dir, 'report.json');
  writeFileSync(json, JSON.stringify(snakeKeys(data), null, 1) + '\n');
  writeFileSync(html, reportHtml(data, figs, diagram.svg, diagram.summarised));
  files.push(json, html);
  return { html, json, files, notes };
}
