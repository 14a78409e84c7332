import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { renderPlot } from './render.js';

/** Renders a spec to NAME.svg and NAME.png (and keeps the spec as NAME.vl.json); returns the paths. */
export async function writePlot(outDir: string, name: string, spec: TopLevelSpec): Promise<string[]> {
  const { svg, png } = await renderPlot(spec);
  const files = [join(outDir, `${name}.svg`), join(outDir, `${name}.png`), join(outDir, `${name}.vl.json`)];
  writeFileSync(files[0]!, svg);
  writeFileSync(files[1]!, png);
  writeFileSync(files[2]!, JSON.stringify(spec, null, 1) + '\n');
  return files;
}

export function writeText(outDir: string, name: string, text: string): string {
  const file = join(outDir, name);
  writeFileSync(file, text);
  return file;
}

export function writeJson(outDir: string, name: string, value: unknown): string {
  return writeText(outDir, name, JSON.stringify(value, null, 2) + '\n');
}
