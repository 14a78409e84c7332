import type { TopLevelSpec } from 'vega-lite';

/**
 * Vega-Lite specs for the experiment plots: series versus N, one colour per series, optional
 * faceting (with/without LCE side by side), individual samples as faint points under the line
 * of their mean.
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
  readonly width?: number;
  readonly height?: number;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function scaleOf(a: AxisField): Record<string, unknown> {
  if (a.scale === 'log') return { type: 'log' };
  if (a.scale === 'symlog') return { type: 'symlog', constant: a.constant ?? 1 };
  return { type: 'linear', zero: false };
}

export function seriesPlot(p: SeriesPlot): TopLevelSpec {
  // A log x axis ends at the data (vega would round it out to the next decade).
  const x = { field: p.x.field, type: 'quantitative', title: p.x.title, scale: { ...scaleOf(p.x), ...(p.x.scale === 'log' ? { nice: false } : {}) } };
  const yBase = { field: p.y.field, type: 'quantitative', title: p.y.title, scale: scaleOf(p.y), ...(p.y.ticks ? { axis: { values: p.y.ticks, format: '~g' } } : {}) };
  const color = { field: p.color.field, type: 'nominal', title: p.color.title ?? p.color.field, ...(p.color.sort ? { sort: p.color.sort } : {}) };
  const layers: Record<string, unknown>[] = [];
  if (p.samples) {
    layers.push({ mark: { type: 'point', opacity: 0.25, size: 18, filled: true }, encoding: { x, y: yBase, color } });
    layers.push({
      mark: { type: 'line', point: { size: 30 }, strokeWidth: 2 },
      encoding: { x, y: { ...yBase, aggregate: 'mean' }, color },
    });
  } else {
    layers.push({ mark: { type: 'line', point: { size: 30 }, strokeWidth: 2 }, encoding: { x, y: yBase, color } });
  }
  if (p.rule !== undefined) {
    layers.push({ mark: { type: 'rule', strokeDash: [4, 4], color: '#666' }, encoding: { y: { datum: p.rule } } });
  }
  const inner = { width: p.width ?? 260, height: p.height ?? 200, layer: layers };
  const facet: Record<string, unknown> = {};
  if (p.column) facet.column = { field: p.column.field, type: 'nominal', title: p.column.title ?? null, ...(p.column.sort ? { sort: p.column.sort } : {}) };
  if (p.row) facet.row = { field: p.row.field, type: 'nominal', title: p.row.title ?? null, ...(p.row.sort ? { sort: p.row.sort } : {}) };
  const title = p.subtitle ? { text: p.title, subtitle: p.subtitle } : p.title;
  if (p.column || p.row) {
    return { $schema: SCHEMA, title, data: { values: p.data as Record<string, unknown>[] }, facet, spec: inner, resolve: { scale: { y: 'shared' } } } as unknown as TopLevelSpec;
  }
  return { $schema: SCHEMA, title, data: { values: p.data as Record<string, unknown>[] }, ...inner } as unknown as TopLevelSpec;
}
