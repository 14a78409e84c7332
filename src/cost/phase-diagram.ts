import type { TopLevelSpec } from 'vega-lite';
import { markdownTable } from '../reports/markdown.js';
import { writeJson, writePlot, writeText } from '../reports/write.js';
import { log10Binomial } from '../bounds/counts.js';
import { POLYNOMIAL_EXPONENT, regimeOfExponent, TRANSITION_EXPONENT, type Regime } from './regime.js';
import {
  DEFAULT_TAIL_PROBABILITY, gaussianL1Mean, gaussianL1Quantile, identityAngleMapStats, taylorOrderFor,
} from '../bounds/order.js';

/**
 * `cost --phase-diagram`: the complexity phase diagram of docs/science.md §5 / experiment 4 of §6 as a
 * grid. σ = D^−a for a grid of exponents a, mHEA with L = N (D = 2N(N+1)), N up to 10⁴, ε = 1e−6:
 * the needed order (the paper's criterion t = E‖δ‖₁ = σD√(2/π); the rigorous Gaussian-quantile
 * order is recorded too), log10 of the parameter-shift count C(2D + m, m) and log10 of the Taylor
 * monomial bound C(D + m, m), with the regime bands (a ≥ 1 polynomial, 1/3 ≤ a < 1 transition).
 */
export interface PhaseCell {
  readonly a: number;
  readonly N: number;
  readonly D: number;
  readonly sigma: number;
  /** E‖δ‖₁ and its order (the paper's criterion). */
  readonly tMean: number;
  readonly order: number;
  /** The Gaussian quantile bound (tail 1e−6) and its order (what `surrogate --sigma` uses). */
  readonly tQuantile: number;
  readonly orderQuantile: number;
  /** log10 C(2D + m, m) and log10 C(D + m, m) at the paper-criterion order. */
  readonly log10ParameterShift: number;
  readonly log10Monomials: number;
  readonly regime: Regime;
}

export interface PhaseDiagram {
  readonly eps: number;
  readonly exponents: readonly number[];
  readonly qubits: readonly number[];
  readonly cells: readonly PhaseCell[];
}

export interface PhaseDiagramOptions {
  /** A coarser grid (a step 0.1, 4 N per decade). */
  readonly quick?: boolean;
  readonly eps?: number;
  readonly exponents?: readonly number[];
  readonly qubits?: readonly number[];
}

export const PHASE_EPS = 1e-6;

/** a = 0, step, …, 1.5. */
export function phaseExponents(quick: boolean): number[] {
  const step = quick ? 0.1 : 0.05;
  const out: number[] = [];
  for (let i = 0; i * step <= 1.5 + 1e-9; i++) out.push(Number((i * step).toFixed(4)));
  return out;
}

/** N = 2 … 10⁴ on a log grid. */
export function phaseQubits(quick: boolean): number[] {
  const perDecade = quick ? 4 : 10;
  const out = new Set<number>([2]);
  for (let k = 1; k <= 4 * perDecade; k++) {
    const N = Math.round(10 ** (k / perDecade));
    if (N >= 2) out.add(N);
  }
  return [...out].sort((x, y) => x - y);
}

export function phaseCell(a: number, N: number, eps: number): PhaseCell {
  const D = 2 * N * (N + 1);
  const sigma = D ** -a;
  const stats = identityAngleMapStats(D);
  const tMean = gaussianL1Mean(stats, sigma);
  const tQuantile = gaussianL1Quantile(stats, sigma, DEFAULT_TAIL_PROBABILITY);
  const order = taylorOrderFor(tMean, eps);
  return {
    a, N, D, sigma, tMean, order, tQuantile,
    orderQuantile: taylorOrderFor(tQuantile, eps),
    log10ParameterShift: log10Binomial(2 * D + order, order),
    log10Monomials: log10Binomial(D + order, order),
    regime: regimeOfExponent(a),
  };
}

export function phaseDiagram(options: PhaseDiagramOptions = {}): PhaseDiagram {
  const eps = options.eps ?? PHASE_EPS;
  const exponents = options.exponents ?? phaseExponents(options.quick ?? false);
  const qubits = options.qubits ?? phaseQubits(options.quick ?? false);
  const cells: PhaseCell[] = [];
  for (const a of exponents) for (const N of qubits) cells.push(phaseCell(a, N, eps));
  return { eps, exponents, qubits, cells };
}

// ---------------------------------------------------------------------------------------------
// Plots

function fmtEps(eps: number): string {
  return eps.toExponential().replace('e-', 'e−');
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const X_TITLE = 'qubits N (mHEA, L = N, D = 2N(N+1))';
const REGIME_COLORS = { range: ['#b7e4c7', '#ffd9a8', '#f4a6a6'] };

/** Cell edges: midpoints between neighbouring grid values (geometric on the log N axis). */
function edges(values: readonly number[], geometric: boolean): { lo: number[]; hi: number[] } {
  const f = geometric ? Math.log : (v: number) => v;
  const inv = geometric ? Math.exp : (v: number) => v;
  const u = values.map(f);
  const half = (i: number) => (u.length > 1 ? (u[Math.min(i + 1, u.length - 1)]! - u[Math.max(i - 1, 0)]!) / (i === 0 || i === u.length - 1 ? 2 : 4) : 0.05);
  return {
    lo: u.map((v, i) => inv(i > 0 ? (u[i - 1]! + v) / 2 : v - half(i))),
    hi: u.map((v, i) => inv(i < u.length - 1 ? (v + u[i + 1]!) / 2 : v + half(i))),
  };
}

function heatRows(d: PhaseDiagram, value: (c: PhaseCell) => number, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  const xe = edges(d.qubits, true);
  const ye = edges(d.exponents, false);
  return d.cells.map((c) => {
    const i = d.qubits.indexOf(c.N), j = d.exponents.indexOf(c.a);
    return { N: c.N, a: c.a, x: xe.lo[i], x2: xe.hi[i], y: ye.lo[j], y2: ye.hi[j], value: value(c), order: c.order, regime: c.regime, ...extra };
  });
}

/** Regime boundaries as horizontal rules (y = a) with labels. */
function boundaryLayers(xMax: number): Record<string, unknown>[] {
  const rules = [
    { a: POLYNOMIAL_EXPONENT, label: 'a = 1: polynomial above' },
    { a: TRANSITION_EXPONENT, label: 'a = 1/3: transition zone above, super-polynomial below' },
  ];
  return [
    { data: { values: rules }, mark: { type: 'rule', strokeWidth: 2, strokeDash: [6, 3], color: 'black' }, encoding: { y: { field: 'a', type: 'quantitative' } } },
    {
      data: { values: rules.map((r) => ({ ...r, x: xMax })) },
      mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -3, dx: -4, fontSize: 11, fontWeight: 'bold', color: 'black' },
      encoding: { y: { field: 'a', type: 'quantitative' }, x: { field: 'x', type: 'quantitative' }, text: { field: 'label' } },
    },
  ];
}

function heatmap(rows: Record<string, unknown>[], colorTitle: string, scheme: string, width = 520): Record<string, unknown> {
  // Log colours when every value is positive (orders span 1 … 4·10⁸), symlog otherwise.
  const colorScale = rows.every((r) => (r.value as number) > 0) ? 'log' : 'symlog';
  const xMax = Math.max(...rows.map((r) => r.x2 as number));
  const x = { field: 'x', type: 'quantitative', title: X_TITLE, scale: { type: 'log', domain: [Math.min(...rows.map((r) => r.x as number)), xMax], nice: false } };
  const y = { field: 'y', type: 'quantitative', title: 'exponent a (σ = D^−a)', scale: { domain: [Math.min(...rows.map((r) => r.y as number)), Math.max(...rows.map((r) => r.y2 as number))], nice: false } };
  return {
    width,
    height: 320,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'rect' },
        encoding: {
          x, x2: { field: 'x2' }, y, y2: { field: 'y2' },
          color: { field: 'value', type: 'quantitative', title: colorTitle, scale: { type: colorScale, scheme } },
          tooltip: [{ field: 'N' }, { field: 'a' }, { field: 'order' }, { field: 'value' }],
        },
      },
      ...boundaryLayers(xMax),
    ],
  };
}

export function phaseOrderSpec(d: PhaseDiagram): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: {
      text: `Needed Taylor order m for ε = ${fmtEps(d.eps)}, σ = D^−a`,
      subtitle: 't = E‖δ‖₁ = σD√(2/π) (the paper\'s criterion); dashed: regime boundaries (docs/science.md §5)',
    },
    ...heatmap(heatRows(d, (c) => c.order), 'order m', 'viridis'),
  } as unknown as TopLevelSpec;
}

export function phaseCostSpec(d: PhaseDiagram): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: {
      text: `log10 cost at the needed order (ε = ${fmtEps(d.eps)}, σ = D^−a)`,
      subtitle: 'left: parameter-shift evaluations C(2D + m, m); right: Taylor monomial bound C(D + m, m)',
    },
    hconcat: [
      heatmap(heatRows(d, (c) => c.log10ParameterShift), 'log10 count', 'inferno', 400),
      heatmap(heatRows(d, (c) => c.log10Monomials), 'log10 count', 'inferno', 400),
    ],
    resolve: { scale: { color: 'shared' } },
  } as unknown as TopLevelSpec;
}

/** Lines versus a for a few N, on the shaded regime bands. */
export function phaseLinesSpec(d: PhaseDiagram): TopLevelSpec {
  const wanted = [10, 100, 1000, 10_000];
  const shown = d.qubits.filter((N) => wanted.includes(N));
  const Ns = shown.length > 0 ? shown : [d.qubits[d.qubits.length - 1]!];
  const aMax = Math.max(...d.exponents);
  const bands = [
    { from: 0, to: TRANSITION_EXPONENT, regime: 'super-polynomial' },
    { from: TRANSITION_EXPONENT, to: POLYNOMIAL_EXPONENT, regime: 'transition' },
    { from: POLYNOMIAL_EXPONENT, to: aMax, regime: 'polynomial' },
  ];
  const rows = d.cells.filter((c) => Ns.includes(c.N)).map((c) => ({
    a: c.a, series: `N = ${c.N}`, order: c.order, orderQuantile: c.orderQuantile,
    log10ParameterShift: c.log10ParameterShift, log10Monomials: c.log10Monomials,
  }));
  const x = { field: 'a', type: 'quantitative', title: 'exponent a (σ = D^−a)', scale: { domain: [0, aMax], nice: false } };
  const bandLayer = {
    data: { values: bands },
    mark: { type: 'rect', opacity: 0.55 },
    encoding: {
      x: { field: 'from', type: 'quantitative', scale: { domain: [0, aMax], nice: false } },
      x2: { field: 'to' },
      fill: { field: 'regime', type: 'nominal', title: 'regime', sort: ['polynomial', 'transition', 'super-polynomial'], scale: { domain: ['polynomial', 'transition', 'super-polynomial'], ...REGIME_COLORS } },
    },
  };
  const color = { field: 'series', type: 'nominal', title: 'mHEA, L = N', sort: Ns.map((N) => `N = ${N}`) };
  const panel = (field: string, title: string, scale: Record<string, unknown>) => ({
    width: 360,
    height: 260,
    layer: [
      bandLayer,
      { data: { values: rows }, mark: { type: 'line', point: { size: 18 }, strokeWidth: 2 }, encoding: { x, y: { field, type: 'quantitative', title, scale }, color } },
    ],
    resolve: { scale: { color: 'independent' } },
  });
  return {
    $schema: SCHEMA,
    title: { text: `Phase transition at ε = ${fmtEps(d.eps)}`, subtitle: 'shaded: polynomial (a ≥ 1), transition (1/3 ≤ a < 1), super-polynomial (a < 1/3)' },
    hconcat: [
      panel('order', 'needed order m', { type: 'symlog' }), // symlog: order 0 occurs at large a
      // Already a log10: a linear axis (a log axis of a log10 would distort it, and 0 occurs).
      panel('log10ParameterShift', 'log10 C(2D + m, m) (parameter shifts, linear axis)', { type: 'linear', zero: false }),
    ],
  } as unknown as TopLevelSpec;
}

// ---------------------------------------------------------------------------------------------
// Report

function pick(d: PhaseDiagram, a: number, N: number): PhaseCell | undefined {
  return d.cells.find((c) => Math.abs(c.a - a) < 1e-9 && c.N === N);
}

export function phaseSummary(d: PhaseDiagram): string {
  const Ns = d.qubits.filter((N) => [2, 10, 100, 1000, 10_000].includes(N));
  const as = d.exponents.filter((a) => [0, 0.2, 0.3, 0.4, 0.5, 0.7, 1, 1.5].some((x) => Math.abs(x - a) < 1e-9));
  const table = (value: (c: PhaseCell) => string | number) =>
    markdownTable(['a', 'regime', ...Ns.map((N) => `N = ${N}`)], as.map((a) => [
      String(a), regimeOfExponent(a), ...Ns.map((N) => {
        const c = pick(d, a, N);
        return c ? value(c) : '';
      }),
    ]));
  const growth = (a: number) => {
    const first = pick(d, a, d.qubits[0]!), last = pick(d, a, d.qubits[d.qubits.length - 1]!);
    return first && last ? `${first.order} → ${last.order}` : 'n/a';
  };
  return [
    `# Complexity phase diagram (ε = ${fmtEps(d.eps)})`,
    '',
    `σ = D^−a for ${d.exponents.length} exponents a ∈ [${d.exponents[0]}, ${d.exponents[d.exponents.length - 1]}], ` +
      `mHEA with L = N (D = 2N(N+1)), N = ${d.qubits[0]} … ${d.qubits[d.qubits.length - 1]} (${d.qubits.length} sizes). ` +
      'The order m is ours (T_m keeps |α| ≤ m; the paper\'s threshold is m + 1), for t = E‖δ‖₁ = σD√(2/π), the paper\'s criterion; ' +
      '`results.json` also has the order for the rigorous Gaussian quantile (tail 1e−6).',
    '',
    '## Needed order m',
    '',
    table((c) => c.order),
    '',
    '## log10 of the parameter-shift count C(2D + m, m)',
    '',
    table((c) => c.log10ParameterShift.toFixed(1)),
    '',
    '## log10 of the Taylor monomial bound C(D + m, m)',
    '',
    table((c) => c.log10Monomials.toFixed(1)),
    '',
    '## Reading',
    '',
    `- a ≥ 1 (polynomial): the order stays bounded — a = 1: ${growth(1)} from N = ${d.qubits[0]} to ${d.qubits[d.qubits.length - 1]}; σ = 1/D gives order 8 for every D.`,
    `- 1/3 ≤ a < 1 (transition zone): the order grows like D^(1−a) — a = 0.5: ${growth(0.5)}.`,
    `- a < 1/3 (super-polynomial): a = 0: ${growth(0)}, the order grows like D.`,
    '',
    'Figures: `phase-order.png` (order heatmap), `phase-cost.png` (log10 costs), `phase-lines.png` (versus a, regimes shaded).',
    '',
  ].join('\n');
}

/** Writes results.json, the three plots (SVG, PNG, Vega-Lite JSON) and summary.md into outDir. */
export async function writePhaseDiagram(outDir: string, d: PhaseDiagram): Promise<string[]> {
  const files: string[] = [];
  files.push(writeJson(outDir, 'results.json', {
    kind: 'cost-phase-diagram', eps: d.eps, ansatz: 'mhea, L = N, D = 2N(N+1)', exponents: d.exponents, qubits: d.qubits,
    cells: d.cells,
  }));
  files.push(...(await writePlot(outDir, 'phase-order', phaseOrderSpec(d))));
  files.push(...(await writePlot(outDir, 'phase-cost', phaseCostSpec(d))));
  files.push(...(await writePlot(outDir, 'phase-lines', phaseLinesSpec(d))));
  files.push(writeText(outDir, 'summary.md', phaseSummary(d)));
  return files;
}
