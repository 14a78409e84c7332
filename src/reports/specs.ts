import type { TopLevelSpec } from 'vega-lite';

/**
 * Vega-Lite specs for the experiment plots: series versus N, one colour per series, optional
 * faceting (with/without LCE side by side), individual samples as faint points under the line
 * of their central value, quantile bands, and labelled reference lines. Every mark that is drawn
 * has a legend entry: colour names the series, line dash the statistic and the reference lines,
 * opacity the band, shape the individual samples.
 */
export interface AxisField {
  readonly field: string;
  readonly title: string;
  readonly scale?: 'linear' | 'log' | 'symlog';
  /** For symlog: the linear region around 0. */
  readonly constant?: number;
  /** Explicit tick values (symlog axes label sparsely otherwise). */
  readonly ticks?: readonly number[];
}

export interface FacetField {
  readonly field: string;
  readonly title?: string;
  readonly sort?: readonly string[];
}

export interface SeriesPlot {
  readonly title: string;
  readonly subtitle?: string;
  readonly data: readonly Record<string, unknown>[];
  readonly x: AxisField;
  readonly y: AxisField;
  readonly color: FacetField;
  readonly column?: FacetField;
  readonly row?: FacetField;
  /** Draw each row as a faint point and the line through the mean per (x, series). */
  readonly samples?: boolean;
  /** Optional dashed horizontal reference line at this y (e.g. the LCE guarantee ‖∇C‖ ≥ 1). */
  readonly rule?: number;
  /** Legend text of `rule` (default "reference y = …"). */
  readonly ruleLabel?: string;
  /** Legend text of the line (default "mean over samples" with `samples`, else none). */
  readonly lineLabel?: string;
  /** Legend text of the faint points (default "one sample"). */
  readonly pointLabel?: string;
  /**
   * Pre-aggregated rows only: a shaded band between the fields lo and hi of each row (e.g. the
   * q25–q75 of the seeds). Rows whose lo is not positive are left out of the band on a log axis.
   */
  readonly band?: { readonly lo: string; readonly hi: string; readonly label: string };
  /** Raw rows drawn as faint points under a pre-aggregated line (same x, y and colour fields). */
  readonly points?: readonly Record<string, unknown>[];
  readonly width?: number;
  readonly height?: number;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function scaleOf(a: AxisField): Record<string, unknown> {
  if (a.scale === 'log') return { type: 'log' };
  if (a.scale === 'symlog') return { type: 'symlog', constant: a.constant ?? 1 };
  return { type: 'linear', zero: false };
}

const KIND = '__layer';

export function seriesPlot(p: SeriesPlot): TopLevelSpec {
  // A log x axis ends at the data (vega would round it out to the next decade).
  const x = { field: p.x.field, type: 'quantitative', title: p.x.title, scale: { ...scaleOf(p.x), ...(p.x.scale === 'log' ? { nice: false } : {}) } };
  const yBase = { field: p.y.field, type: 'quantitative', title: p.y.title, scale: scaleOf(p.y), ...(p.y.ticks ? { axis: { values: p.y.ticks, format: '~g' } } : {}) };
  const color = {
    field: p.color.field, type: 'nominal', title: p.color.title ?? p.color.field, ...(p.color.sort ? { sort: p.color.sort } : {}),
    legend: { symbolOpacity: 1, symbolType: 'circle' },
  };
  const lineLabel = p.lineLabel ?? (p.samples ? 'mean over samples' : undefined);
  const pointLabel = p.pointLabel ?? (p.samples ? 'one sample' : 'one seed');
  const ruleLabel = p.ruleLabel ?? (p.rule !== undefined ? `reference y = ${p.rule}` : undefined);
  // One legend "shown" for everything that is not a series: the statistic (solid line), the band
  // (shaded square) and reference lines (dashed). Colour alone names the series.
  const bandLabel = p.band?.label;
  const dashDomain = [...(lineLabel ? [lineLabel] : []), ...(bandLabel ? [bandLabel] : []), ...(ruleLabel ? [ruleLabel] : [])];
  const dashRange = [...(lineLabel ? [[1, 0]] : []), ...(bandLabel ? [[1, 0]] : []), ...(ruleLabel ? [[5, 4]] : [])];
  const isBand = bandLabel ? `datum.label === ${JSON.stringify(bandLabel)}` : 'false';
  const dash = (label: string) => ({
    datum: label, type: 'nominal', scale: { domain: dashDomain, range: dashRange },
    legend: {
      title: 'shown',
      encode: {
        symbols: {
          update: {
            shape: { signal: `${isBand} ? 'square' : 'stroke'` },
            size: { signal: `${isBand} ? 120 : 300` },
            stroke: { signal: `${isBand} ? 'transparent' : '#444'` },
            strokeWidth: { value: 2 },
            fill: { signal: `${isBand} ? '#888' : 'transparent'` },
            fillOpacity: { value: 0.35 },
            opacity: { value: 1 },
          },
        },
      },
    },
  });
  const logY = p.y.scale === 'log';
  const rows: Record<string, unknown>[] = p.data.map((r) => ({ ...r, [KIND]: 'line' }));
  if (p.points) for (const r of p.points) rows.push({ ...r, [KIND]: 'point' });
  const only = (kind: string) => ({ filter: { field: KIND, equal: kind } });
  const layers: Record<string, unknown>[] = [];
  if (p.band) {
    const bandFilter = logY ? [only('line'), { filter: `datum['${p.band.lo}'] > 0` }] : [only('line')];
    layers.push({
      transform: bandFilter,
      mark: { type: 'area', opacity: 0.2 },
      encoding: {
        x,
        y: { field: p.band.lo, type: 'quantitative', scale: scaleOf(p.y), title: p.y.title },
        y2: { field: p.band.hi },
        color,
      },
    });
  }
  const pointShape = { datum: pointLabel, type: 'nominal', scale: { range: ['circle'] }, legend: { title: 'points', symbolOpacity: 0.7, symbolFillColor: '#777', symbolStrokeColor: '#777' } };
  if (p.samples) {
    layers.push({ mark: { type: 'point', opacity: 0.25, size: 18, filled: true }, encoding: { x, y: yBase, color, shape: pointShape } });
    layers.push({
      mark: { type: 'line', point: { size: 30 }, strokeWidth: 2 },
      encoding: { x, y: { ...yBase, aggregate: 'mean' }, color, ...(lineLabel ? { strokeDash: dash(lineLabel) } : {}) },
    });
  } else {
    if (p.points) {
      layers.push({ transform: [only('point')], mark: { type: 'point', opacity: 0.25, size: 18, filled: true }, encoding: { x, y: yBase, color, shape: pointShape } });
    }
    layers.push({
      ...(p.points || p.band ? { transform: [only('line')] } : {}),
      mark: { type: 'line', point: { size: 30 }, strokeWidth: 2 },
      encoding: { x, y: yBase, color, ...(lineLabel ? { strokeDash: dash(lineLabel) } : {}) },
    });
  }
  if (p.rule !== undefined) {
    layers.push({ mark: { type: 'rule', color: '#666' }, encoding: { y: { datum: p.rule }, strokeDash: dash(ruleLabel!) } });
  }
  const inner = { width: p.width ?? 260, height: p.height ?? 200, layer: layers };
  const facet: Record<string, unknown> = {};
  if (p.column) facet.column = { field: p.column.field, type: 'nominal', title: p.column.title ?? null, ...(p.column.sort ? { sort: p.column.sort } : {}) };
  if (p.row) facet.row = { field: p.row.field, type: 'nominal', title: p.row.title ?? null, ...(p.row.sort ? { sort: p.row.sort } : {}) };
  const title = p.subtitle ? { text: p.title, subtitle: p.subtitle } : p.title;
  if (p.column || p.row) {
    return { $schema: SCHEMA, title, data: { values: rows }, facet, spec: inner, resolve: { scale: { y: 'shared' } } } as unknown as TopLevelSpec;
  }
  return { $schema: SCHEMA, title, data: { values: rows }, ...inner } as unknown as TopLevelSpec;
}
