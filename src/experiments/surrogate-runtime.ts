import { linearFit } from '../gradients/fits.js';
import { DEFAULT_TAIL_PROBABILITY, logFactorial } from '../bounds/order.js';
import { buildAnsatz } from '../ansatz/index.js';
import { ResourceLimitError } from '../ir/errors.js';
import { parseObservableText } from '../pauli/observable-text.js';
import { buildTaylorSurrogate } from '../surrogate/taylor-build.js';
import { formatSeconds, markdownTable } from '../reports/markdown.js';
import { seriesPlot } from '../reports/specs.js';
import { writeJson, writePlot, writeText } from '../reports/write.js';
import { s } from '../tasks/schema.js';
import { collectSeries, grid, type ExperimentDefinition, type TaskSpec } from './framework.js';
import type { KeyedRecord } from './store.js';

/**
 * Experiment 5 of REFERENCE §5: wall time of building the Taylor surrogate versus N for orders
 * 0…3, mHEA and fHEA with L = 1, around θ* = 0, with the region bound at σ = 1/D. The observable is
 * Σ_i Z_i (a random Pauli string of weight ~3N/4 gives the zero polynomial at these orders: no path
 * reaches a Z-type string with ≤ 3 sin-branches, so its build time would say nothing). Times are
 * the median of repeated builds when one build is short. For comparison each record carries the
 * number of stabilizer simulations the paper's parameter-shift method needs, C(2D + m, m).
 */
export interface SurrogateRuntimeRecord extends KeyedRecord {
  readonly family: 'mhea' | 'fhea';
  readonly N: number;
  readonly D: number;
  readonly order: number;
  readonly seconds: number;
  readonly terms: number;
  readonly monomials: number;
  /** Bound on |C − T_m| over the σ = 1/D region (tail probability 1e−6). */
  readonly regionBound: number;
  /** log10 C(2D + m, m). */
  readonly log10ParameterShifts: number;
  /** Set when the build hit the term budget. */
  readonly error?: string;
}

const ORDERS = [0, 1, 2, 3];
const FAMILIES = ['mhea', 'fhea'] as const;

export function runtimeSizes(quick: boolean): number[] {
  return quick ? [2, 4, 8, 16, 32] : [2, 4, 8, 16, 32, 64, 128];
}

function log10Binomial(n: number, k: number): number {
  return (logFactorial(n) - logFactorial(k) - logFactorial(n - k)) / Math.LN10;
}

export function runtimeRecord(key: string, family: 'mhea' | 'fhea', N: number, order: number, maxTerms?: number): SurrogateRuntimeRecord {
  const circuit = buildAnsatz(family, { qubits: N, layers: 1 });
  const D = circuit.numParameters;
  const observable = parseObservableText(Array.from({ length: N }, (_, i) => `Z${i}`).join(' + '), { name: 'sumZ', numQubits: N });
  const base = { key, family, N, D, order, log10ParameterShifts: log10Binomial(2 * D + order, order) };
  const t0 = performance.now();
  try {
    const times: number[] = [];
    let s;
    let total = 0;
    while (times.length < 1 || (total < 0.2 && times.length < 25)) {
      const t = performance.now();
      s = buildTaylorSurrogate(circuit, observable, { order, ...(maxTerms ? { maxTerms } : {}) });
      times.push((performance.now() - t) / 1000);
      total += times[times.length - 1]!;
    }
    times.sort((a, b) => a - b);
    const seconds = times[Math.floor(times.length / 2)]!;
    s = s!;
    const size = s.size();
    const regionBound = s.regionBound({ kind: 'gaussian', sigma: 1 / D, tailProbability: DEFAULT_TAIL_PROBABILITY });
    return { ...base, seconds, terms: size.terms, monomials: size.monomials, regionBound };
  } catch (e) {
    if (!(e instanceof ResourceLimitError)) throw e;
    return { ...base, seconds: (performance.now() - t0) / 1000, terms: 0, monomials: 0, regionBound: NaN, error: e.message };
  }
}

export interface SurrogateRuntimePayload {
  readonly family: 'mhea' | 'fhea';
  readonly N: number;
  readonly order: number;
}

const payloadSchema = s.object({ family: s.oneOf(FAMILIES), N: s.int(1, 4096), order: s.int(0, 16) });

function plan(quick: boolean): TaskSpec<SurrogateRuntimePayload>[] {
  return grid({ N: runtimeSizes(quick), family: FAMILIES, order: ORDERS }).map(({ N, family, order }) => ({
    key: `${family}/N${N}/m${order}`, label: `${family} N = ${N}, order ${order}`, payload: { family, N, order },
  }));
}

/** Fitted exponent p of time ∝ N^p per family and order (builds under 1 ms are timer noise and left out). */
function scalingLines(records: readonly SurrogateRuntimeRecord[]): string[] {
  const out: string[] = [];
  const series = collectSeries(records.filter((r) => r.seconds >= 1e-3).map((r) => ({ group: { family: r.family, order: r.order }, x: r.N, y: r.seconds })));
  for (const family of FAMILIES) {
    const parts: string[] = [];
    for (const sr of series.filter((x) => x.group.family === family)) {
      const fit = linearFit(sr.x.map((N) => Math.log(N)), sr.mean.map((v) => Math.log(v)));
      if (sr.x.length >= 3 && Number.isFinite(fit.slope)) parts.push(`order ${sr.group.order}: N^${fit.slope.toFixed(2)} (R² ${fit.r2.toFixed(2)})`);
    }
    if (parts.length) out.push(`- ${family}: fitted build time ∝ ${parts.join(', ')}.`);
  }
  return out.length ? out : ['- Too few builds above 1 ms to fit a scaling law.'];
}

export const surrogateRuntimeExperiment: ExperimentDefinition<SurrogateRuntimePayload, SurrogateRuntimeRecord> = {
  name: 'surrogate-runtime',
  number: 5,
  title: 'Taylor-surrogate build time versus N',
  description: 'orders 0…3, mHEA and fHEA with L = 1, θ* = 0, σ = 1/D, N ≤ 128 (--quick: N ≤ 32)',
  measuresTime: true,
  payload: payloadSchema,
  plan: ({ quick }) => plan(quick),
  compute: (p, key) => runtimeRecord(key, p.family, p.N, p.order),
  async report(records, { outDir, complete }) {
    const ok = records.filter((r) => !r.error);
    const rows = ok.map((r) => ({ N: r.N, seconds: Math.max(r.seconds, 1e-5), order: `order ${r.order}`, family: r.family === 'mhea' ? 'mHEA, L = 1' : 'fHEA, L = 1' }));
    const files = await writePlot(outDir, 'surrogate-runtime', seriesPlot({
      title: 'Experiment 5: Taylor-surrogate build time',
      subtitle: 'θ* = 0, observable Σ_i Z_i, one backward pass with truncated polynomial coefficients',
      data: rows,
      x: { field: 'N', title: 'qubits N', scale: 'log' },
      y: { field: 'seconds', title: 'build time [s]', scale: 'log' },
      color: { field: 'order', title: 'order m' },
      column: { field: 'family', sort: ['mHEA, L = 1', 'fHEA, L = 1'] },
    }));
    files.push(writeJson(outDir, 'results.json', { experiment: 'surrogate-runtime', complete, records }));
    const table = markdownTable(
      ['family', 'N', 'D', 'order', 'build time', 'terms', 'monomials', 'bound (σ = 1/D)', 'paper: parameter shifts'],
      records.map((r) => [r.family, r.N, r.D, r.order, r.error ? `budget exceeded after ${formatSeconds(r.seconds)}` : formatSeconds(r.seconds), r.terms, r.monomials, r.regionBound, `10^${r.log10ParameterShifts.toFixed(1)}`]),
    );
    const largest = ok.reduce<SurrogateRuntimeRecord | null>((a, r) => (!a || r.N > a.N || (r.N === a.N && r.order > a.order) ? r : a), null);
    const lines = [
      '# Experiment 5: Taylor-surrogate build time versus N',
      '',
      complete ? '' : '**Partial run**: not every planned build was run (time cap or interruption; `--resume` continues).',
      table,
      '',
      '## What the run shows',
      '',
      largest
        ? `- The largest build, ${largest.family} N = ${largest.N} (D = ${largest.D}) at order ${largest.order}, took ${formatSeconds(largest.seconds)}; the paper's parameter-shift method would need 10^${largest.log10ParameterShifts.toFixed(1)} stabilizer simulations for the same coefficients.`
        : '- No build finished.',
      ...scalingLines(ok),
      ...(records.some((r) => r.error) ? ['- Some builds exceeded the term budget; they are listed above and left out of the plot.'] : []),
    ];
    files.push(writeText(outDir, 'summary.md', lines.join('\n') + '\n'));
    return files;
  },
};
