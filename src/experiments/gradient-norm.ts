import { freezeCircuit, cliffordPointGradient } from '../clifford-point/frozen.js';
import { decayVerdict } from '../gradients/fits.js';
import { l2Norm } from '../gradients/sampling.js';
import { randomPauliObservable } from '../random/observables.js';
import { encodeLce, LceCancellationError } from '../encoder/lce.js';
import type { Circuit, Observable } from '../ir/types.js';
import { createRng } from '../random/rng.js';
import { formatNumberShort, markdownTable } from '../reports/markdown.js';
import { seriesPlot } from '../reports/specs.js';
import { writeJson, writePlot, writeText } from '../reports/write.js';
import { buildConfig, GRADIENT_CONFIGS, type AnsatzConfig } from './ansatz-configs.js';
import { s } from '../tasks/schema.js';
import { collectSeries, grid, range, sizeRange, type ExperimentDefinition, type TaskSpec } from './framework.js';
import { seedFor, type KeyedRecord } from './store.js';

/**
 * Experiments 1 and 2 of docs/science.md §6: ‖∇C(θ*)‖ at θ* = 0 versus N, with and without LCE, for a
 * random Pauli observable (1) or random Pauli sums of ⌊√N⌋ terms, unweighted and weighted (2);
 * random target parameter per seed. θ* is a Clifford point, so every gradient is exact at any N
 * (`cliffordPointGradient`), no state vector involved.
 */
export type Weighting = 'single' | 'unweighted' | 'weighted';

export interface GradientNormRecord extends KeyedRecord {
  readonly config: string;
  readonly label: string;
  readonly N: number;
  readonly D: number;
  readonly seed: number;
  readonly weighting: Weighting;
  readonly terms: number;
  readonly target: number;
  /** ‖∇C(θ*)‖ and ∂_k C(θ*) of the plain circuit. */
  readonly norm: number;
  readonly derivative: number;
  /** The same with the LCE built on the largest-|coefficient| term. */
  readonly normLce: number;
  readonly derivativeLce: number;
  readonly lceSign: number;
  /** The term and target the LCE used (the requested target unless every term cancelled on it). */
  readonly lceTerm: number;
  readonly lceTarget: number;
  /** Term/target pairs rejected because the full sum's derivative cancelled. */
  readonly lceCancelled: number;
  readonly gatesAdded: number;
  readonly seconds: number;
}

const SEEDS = 10;
const QUICK_SEEDS = 5;

export function gradientNormAtCenter(circuit: Circuit, observable: Observable, target: number) {
  const center = new Float64Array(circuit.numParameters);
  const plain = cliffordPointGradient(freezeCircuit(circuit.gates, circuit.numQubits, center), circuit.numParameters, observable.terms);
  let lce;
  let cancelledOnTarget = 0;
  try {
    lce = encodeLce(circuit, observable, { target, center });
  } catch (e) {
    // Every term cancels on the requested target: fall back to the auto target order (docs/science.md §4).
    if (!(e instanceof LceCancellationError)) throw e;
    cancelledOnTarget = e.cancelled.length;
    lce = encodeLce(circuit, observable, { target: 'auto', center });
  }
  const enc = lce.circuit;
  const encoded = cliffordPointGradient(freezeCircuit(enc.gates, enc.numQubits, center), enc.numParameters, observable.terms);
  return {
    norm: l2Norm(plain.gradient),
    derivative: plain.gradient[target]!,
    normLce: l2Norm(encoded.gradient),
    derivativeLce: encoded.gradient[lce.target]!,
    lceSign: lce.sign,
    lceTerm: lce.term,
    lceTarget: lce.target,
    lceCancelled: cancelledOnTarget + lce.cancelled.length,
    gatesAdded: lce.prefix.length + lce.suffix.length,
  };
}

export interface GradientNormPayload {
  readonly config: string;
  readonly N: number;
  readonly weighting: Weighting;
  readonly seed: number;
}

const payloadSchema = s.object({
  config: s.oneOf(GRADIENT_CONFIGS.map((c) => c.id)),
  N: s.int(2, 4096),
  weighting: s.oneOf(['single', 'unweighted', 'weighted'] as const),
  seed: s.int(0, 1_000_000),
});

function planFor(weightings: readonly Weighting[], quick: boolean): TaskSpec<GradientNormPayload>[] {
  const tasks = GRADIENT_CONFIGS.flatMap((config) =>
    grid({ N: sizeRange(2, quick ? config.quickMaxN : config.maxN), weighting: weightings, seed: range(quick ? QUICK_SEEDS : SEEDS) }).map(({ N, weighting, seed }) => ({
      key: `${config.id}/N${N}/${weighting}/s${seed}`,
      label: `${config.label}, N = ${N}, seed ${seed}`,
      payload: { config: config.id, N, weighting, seed },
    })));
  // Small sizes of every family first, so a time cap still gives complete curves (stable sort).
  return tasks.sort((x, y) => x.payload.N - y.payload.N);
}

function runOne(experiment: string, key: string, p: GradientNormPayload): GradientNormRecord {
  const t0 = performance.now();
  const config: AnsatzConfig = GRADIENT_CONFIGS.find((c) => c.id === p.config)!;
  const { N, weighting, seed } = p;
  const rng = createRng(seedFor(experiment, config.id, N, weighting, seed));
  const circuit = buildConfig(config, N, rng.int(2 ** 31));
  const terms = weighting === 'single' ? 1 : Math.floor(Math.sqrt(N));
  const observable = randomPauliObservable(rng, N, terms, weighting === 'weighted');
  const target = rng.int(circuit.numParameters);
  const r = gradientNormAtCenter(circuit, observable, target);
  return {
    key, config: config.id, label: config.label, N, D: circuit.numParameters, seed, weighting, terms, target, ...r,
    seconds: (performance.now() - t0) / 1000,
  };
}

const LCE_SORT = ['without LCE', 'with LCE'];

function plotRows(records: readonly GradientNormRecord[]) {
  return records.flatMap((r) => [
    { N: r.N, ansatz: r.label, lce: 'without LCE', norm: r.norm, weighting: r.weighting },
    { N: r.N, ansatz: r.label, lce: 'with LCE', norm: r.normLce, weighting: r.weighting },
  ]);
}

interface SeriesSummary {
  config: string;
  weighting: Weighting;
  lce: boolean;
  N: number[];
  mean: number[];
  stderr: number[];
  min: number[];
  zeroFraction: number[];
  /** Per-seed norms per N (for the verdict). */
  values: number[][];
}

function summarizeSeries(records: readonly GradientNormRecord[]): SeriesSummary[] {
  const series = collectSeries(records.flatMap((r) => [false, true].map((lce) => ({
    group: { config: r.label, weighting: r.weighting, lce }, x: r.N, y: lce ? r.normLce : r.norm,
  }))));
  return series.map(({ group, x, points, values }) => ({
    ...group, N: x,
    mean: points.map((p) => p.mean), stderr: points.map((p) => p.stderr),
    min: points.map((p) => p.min), zeroFraction: points.map((p) => p.zeroFraction),
    values,
  }));
}

async function report(
  name: string, title: string, records: readonly GradientNormRecord[], outDir: string, complete: boolean, sums: boolean,
): Promise<string[]> {
  const rows = plotRows(records);
  const files = await writePlot(outDir, name, seriesPlot({
    title,
    subtitle: 'θ* = 0, random Pauli observable and target per seed; line = mean over seeds, points = seeds',
    data: rows,
    x: { field: 'N', title: 'qubits N' },
    y: { field: 'norm', title: '‖∇C(θ*)‖ (dimensionless, symlog scale)', scale: 'symlog', constant: 0.1, ticks: [0, 0.1, 0.5, 1, 2, 4, 8, 16] },
    color: { field: 'ansatz', title: 'ansatz' },
    column: { field: 'lce', sort: LCE_SORT },
    ...(sums ? { row: { field: 'weighting', title: 'observable' } } : {}),
    samples: true,
    lineLabel: 'mean over seeds',
    pointLabel: 'one seed',
    rule: 1,
    ruleLabel: 'LCE guarantee ‖∇C‖ ≥ 1',
  }));
  const series = summarizeSeries(records);
  const fits = series.map((s) => ({ ...s, fit: decayVerdict(s.N.map((N, i) => ({ N, values: s.values[i]! }))) }));
  files.push(writeJson(outDir, 'results.json', {
    experiment: name, complete, records: records.length,
    series: fits.map(({ values: _values, ...rest }) => rest),
    lce_fallbacks: records.filter((r) => r.lceCancelled > 0).map((r) => ({ key: r.key, term: r.lceTerm, target: r.lceTarget, requested_target: r.target, cancelled: r.lceCancelled })),
  }));
  const lines = [`# ${title}`, '', complete ? '' : '**Partial run**: not every planned record was computed (time cap or interruption; `--resume` continues).', ''];
  const byLce = (lce: boolean) => fits.filter((f) => f.lce === lce);
  lines.push('## Mean ‖∇C(θ*)‖ over seeds', '');
  lines.push(markdownTable(
    ['ansatz', ...(sums ? ['observable'] : []), 'N', 'without LCE', 'zero without', 'with LCE (mean)', 'with LCE (min)'],
    byLce(false).flatMap((s) => {
      const w = byLce(true).find((x) => x.config === s.config && x.weighting === s.weighting)!;
      return s.N.map((N, i) => [s.config, ...(sums ? [s.weighting] : []), N, s.mean[i]!, `${Math.round(s.zeroFraction[i]! * 100)}%`, w.mean[i]!, w.min[i]!]);
    }),
  ));
  lines.push('', '## What the run shows', '');
  for (const s of byLce(false)) {
    const w = byLce(true).find((x) => x.config === s.config && x.weighting === s.weighting)!;
    const firstAllZero = s.N.find((_, i) => s.zeroFraction.slice(i).every((z) => z === 1));
    const tag = sums ? `${s.config} (${s.weighting})` : s.config;
    const minLce = Math.min(...w.min);
    lines.push(
      `- **${tag}**: without LCE ${firstAllZero !== undefined ? `every seed has ‖∇C‖ = 0 from N = ${firstAllZero} on` : `the mean falls from ${formatNumberShort(s.mean[0]!)} to ${formatNumberShort(s.mean[s.mean.length - 1]!)}`}` +
        ` (verdict: ${s.fit.verdict} — ${s.fit.reason}); with LCE the smallest norm over all seeds and N is ${formatNumberShort(minLce)}` +
        (sums ? ' (the LCE fixes one term; the others can add or cancel)' : minLce >= 1 ? ' (≥ 1, as the construction guarantees)' : '') + '.',
    );
  }
  const fallbacks = records.filter((r) => r.lceCancelled > 0);
  if (sums) {
    lines.push('', `LCE on sums: ${fallbacks.length} of ${records.length} records needed a fallback because the full sum's derivative cancelled ` +
      'for the first term/target pair (docs/science.md §4); `results.json` lists them with the term and target used.');
  }
  files.push(writeText(outDir, 'summary.md', lines.join('\n') + '\n'));
  return files;
}

export const gradientNormExperiment: ExperimentDefinition<GradientNormPayload, GradientNormRecord> = {
  name: 'gradient-norm',
  number: 1,
  title: 'Gradient norm at θ* = 0 versus N, with and without LCE',
  description: 'mHEA (L = N and L = 1), fHEA (L = 1), rPQC(N, 5); random Pauli observable and target; 10 seeds; N ≤ 16 deep, ≤ 32 shallow',
  payload: payloadSchema,
  plan: ({ quick }) => planFor(['single'], quick),
  compute: (p, key) => runOne('gradient-norm', key, p),
  report: (records, { outDir, complete }) => report('gradient-norm', 'Experiment 1: gradient norm at θ* = 0', records, outDir, complete, false),
};

export const gradientNormSumsExperiment: ExperimentDefinition<GradientNormPayload, GradientNormRecord> = {
  name: 'gradient-norm-sums',
  number: 2,
  title: 'Gradient norm at θ* = 0 for random Pauli sums of ⌊√N⌋ terms',
  description: 'as experiment 1, observables Σ of ⌊√N⌋ random Pauli strings, unweighted (all 1) and weighted (uniform in [−1, 1])',
  payload: payloadSchema,
  plan: ({ quick }) => planFor(['unweighted', 'weighted'], quick),
  compute: (p, key) => runOne('gradient-norm-sums', key, p),
  report: (records, { outDir, complete }) => report('gradient-norm-sums', 'Experiment 2: gradient norm at θ* = 0, Pauli-sum observables', records, outDir, complete, true),
};
