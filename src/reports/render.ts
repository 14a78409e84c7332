import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { UserError } from '../ir/errors.js';

/** vega, vega-lite and resvg are large: load them on first use so every other command starts fast. */
let renderers: Promise<{
  vega: typeof import('vega');
  compile: typeof import('vega-lite').compile;
  Resvg: typeof import('@resvg/resvg-js').Resvg;
}> | null = null;
function loadRenderers() {
  renderers ??= Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]).then(
    ([vega, vegaLite, resvg]) => ({ vega, compile: vegaLite.compile, Resvg: resvg.Resvg }),
  );
  return renderers;
}

/**
 * Vega-Lite spec → SVG (vega's headless View, renderer 'none': no DOM, no canvas) → PNG (resvg).
 * resvg has no system font lookup we can rely on, so the DejaVu font files are loaded explicitly:
 * from $NEARCLIFFORD_FONT_DIR, or Debian's fonts-dejavu-core location.
 */
export const FONT_FAMILY = 'DejaVu Sans';
const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF'];

/** Applied to every spec so the SVG names the font family that the PNG renderer loads. @internal */
export const PLOT_CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  view: { stroke: '#bbb' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 14 },
} as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, compile } = await loadRenderers();
  const withConfig = { ...spec, config: { ...PLOT_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  // vega-lite's warnings are about its own internals (e.g. "Maximum optimization runs(5) reached" from
  // its dataflow optimiser), not about the plot; a user's terminal should show only errors.
  const compiled = compile(withConfig, { logger: vega.logger(vega.Error) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The DejaVu font files to load, or a UserError saying how to install them. */
export function findFontFiles(): string[] {
  const dirs = process.env.NEARCLIFFORD_FONT_DIR ? [process.env.NEARCLIFFORD_FONT_DIR] : FONT_DIRS;
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    const files = readdirSync(dir).filter((f) => /^DejaVuSans(-Bold|-Oblique)?\.ttf$/.test(f));
    if (files.some((f) => f === 'DejaVuSans.ttf')) return files.map((f) => join(dir, f));
  }
  throw new UserError(
    `PNG rendering needs the DejaVu Sans font files (DejaVuSans.ttf), not found in ${dirs.join(', ')}: ` +
      'install them (Debian/Ubuntu: apt-get install fonts-dejavu-core) or set NEARCLIFFORD_FONT_DIR to a directory holding them',
  );
}

export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await loadRenderers();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: findFontFiles(), defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}

export interface RenderedPlot {
  readonly svg: string;
  readonly png: Buffer;
}

export async function renderPlot(spec: TopLevelSpec): Promise<RenderedPlot> {
  const svg = await renderSvg(spec);
  return { svg, png: await svgToPng(svg) };
}
