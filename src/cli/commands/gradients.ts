import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { parseParameterRef } from '../../clifford-point/resolve-center.js';
import { fitSweep, type GradientEngineChoice, type RegionSpec, type SweepCell, type SweepResult } from '../../gradients/sweep.js';
import { parseCenterSpec } from '../../clifford-point/center.js';
import {
  GRADIENT_CELL_KIND, gradientCellKey, regionLabel, regionSpec, type GradientCellPayload, type GradientCellRecord,
} from '../../parallel/gradient-task.js';
import { addQueueOption, addWorkersOption, executorFor, withInterrupt, type ParallelCliOptions } from '../parallel-options.js';
import { parseScaleExpression } from '../../bounds/scale.js';
import { ANSATZ_FAMILIES, buildAnsatz, type AnsatzFamily } from '../../ansatz/index.js';
import { UsageError, UserError } from '../../ir/errors.js';
import type { Circuit } from '../../ir/types.js';
import { LCE_VARIANTS, type LceVariant } from '../../encoder/lce.js';
import type { DecayFit } from '../../gradients/fits.js';
import { geometricMean } from '../../gradients/statistics.js';
import { parseObservableText } from '../../pauli/observable-text.js';
import { formatNumberShort, markdownTable } from '../../reports/markdown.js';
import { seriesPlot } from '../../reports/specs.js';
import { writeJson, writePlot, writeText } from '../../reports/write.js';
import { toCsv } from '../csv.js';
import {
  createProgress, intOption, loadCircuit, noiseModelSetting, numberOption, printJson, printWarnings, readCenter, readJsonFile, readTextFile, resolveObservable,
} from '../common.js';
import { applyNoiseModel, type NoiseModel } from '../../noise/model.js';
import { DEFAULT_DENSITY_MAX_QUBITS } from '../../simulators/density/index.js';

interface GradientsOptions extends ParallelCliOptions {
  ansatz?: string;
  observable?: string;
  sigma?: string;
  radius?: string;
  samples: number;
  seed: number;
  center: string;
  lce?: boolean;
  target: string;
  variant: string;
  engine: string;
  exactMaxQubits: number;
  maxDensityQubits: number;
  order?: number;
  eps: number;
  maxOrder: number;
  json?: boolean;
  csv?: boolean;
  out?: string;
}

export const DEFAULT_SIGMAS = ['D^-1', 'D^-0.5', 'D^(-1/3)', 'D^-0.2', '1'];

export function registerGradientsCommand(program: Command): void {
  const cmd = program
    .command('gradients')
    .description(
      'Gradient statistics around a Clifford center θ*: draws θ = θ* + δ (Gaussian\n' +
        'δ ~ N(0, σ²I) per σ, or a hypercube), computes ‖∇C‖ and every ∂_k C, and\n' +
        'reports mean, median, geometric mean, std, quantiles and Var[∂_k C]. With\n' +
        '--ansatz over several sizes (mhea:2-12:N) it fits exponential against\n' +
        'polynomial decay of the per-sample ‖∇C‖ on a log scale per σ (seeded bootstrap\n' +
        'intervals, BIC; docs/science.md §7) and gives a verdict: barren-plateau,\n' +
        'no-barren-plateau or inconclusive, with the reason (fewer than 5 sizes or 10\n' +
        'samples per size are always inconclusive). Exact adjoint gradients up to\n' +
        '--exact-max-qubits; beyond, the Taylor surrogate with a stated bound on\n' +
        '‖∇C − ∇T‖₂; a cell whose bound is not below its mean ‖∇C‖ is marked\n' +
        'uninformative, with the engine that would decide it. Circuits with noise\n' +
        'channels (in the file, or inserted by --noise, also into --ansatz circuits)\n' +
        'get exact gradients from the density matrix (adjoint pass through the\n' +
        'channels) up to --max-density-qubits; with --lce the encoder\'s own gates\n' +
        'are noiseless and the channels stay where they were.',
    )
    .argument('[file]', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3); or use --ansatz')
    .option('--ansatz <spec>', `family:N:L with family in ${ANSATZ_FAMILIES.join('|')}; N a size, list or range (2-12, 4,8,16); L a number or N`)
    .option('-o, --observable <obs>', 'observable name or Pauli sum ("Z0 Z1"), or random (a fresh random Pauli string per sample)')
    .option('--sigma <list>', `comma-separated Gaussian widths in D (default ${DEFAULT_SIGMAS.join(',')})`)
    .option('--radius <list>', 'comma-separated hypercube half-widths in D instead of --sigma (e.g. 0.1,1/D)')
    .option('--samples <S>', 'points per (N, σ)', intOption('--samples', 1), 100)
    .option('--seed <s>', 'random seed', intOption('--seed', 0), 0)
    .option('--center <c>', 'Clifford center θ*: zero, random-clifford[:seed], or a params JSON file', 'zero')
    .option('--lce', 'encode the circuit with the Linear Clifford Encoder first (per sample for random observables)')
    .option('--target <k>', 'LCE target: auto, random (per sample), a name (theta[3]) or a flat index', 'auto')
    .option('--variant <v>', 'LCE variant: paper (the authors\' construction), reduced or compact (see encode --help)', 'paper')
    .option('--engine <e>', 'exact, surrogate, or auto (exact up to --exact-max-qubits)', 'auto')
    .option('--exact-max-qubits <n>', 'largest qubit count for exact state-vector gradients', intOption('--exact-max-qubits', 1), 20)
    .option('--max-density-qubits <n>', 'noisy circuits: largest qubit count for exact density-matrix gradients (16·4^n bytes per matrix)', intOption('--max-density-qubits', 1), DEFAULT_DENSITY_MAX_QUBITS)
    .option('--order <m>', 'surrogate engine: Taylor order (default: chosen for --eps)', intOption('--order', 0))
    .option('--eps <e>', 'surrogate engine: target bound on ‖∇C − ∇T‖₂ over the region', numberOption('--eps'), 1e-3)
    .option('--max-order <m>', 'surrogate engine: cap on the chosen order', intOption('--max-order', 0), 4)
    .option('--json', 'print JSON: {"cells": [{N, D, sigma, engine, norm: {mean, std, median, q05, …}, …}], "fits": […]}')
    .option('--csv', 'print the cells as CSV, one row per (N, region), nested statistics as norm.mean, norm.std, …')
    .option('--out <dir>', 'also write gradients.json, gradients.csv, summary.md and (for sweeps) a plot of mean ‖∇C‖ versus N');
  addWorkersOption(cmd, 'cells (N, region)');
  addQueueOption(cmd);
  cmd.action(async (file: string | undefined, opts: GradientsOptions) => {
      if (!['exact', 'surrogate', 'auto'].includes(opts.engine)) throw new UsageError(`--engine must be exact, surrogate or auto, got '${opts.engine}'`);
      if (!(LCE_VARIANTS as readonly string[]).includes(opts.variant)) throw new UsageError(`--variant must be paper, reduced or compact, got '${opts.variant}'`);
      if ((file === undefined) === (opts.ansatz === undefined)) throw new UsageError('give either a circuit FILE or --ansatz family:N:L');
      if (opts.sigma !== undefined && opts.radius !== undefined) throw new UsageError('--sigma and --radius exclude each other');
      const noise = noiseModelSetting();
      const source = file !== undefined ? fileSource(file) : ansatzSource(opts.ansatz!, noise);
      // Check the inputs here, once, so mistakes are reported before any task is sent anywhere.
      const first = source.build(source.sizes[0]!);
      if (opts.observable !== 'random') {
        if (file !== undefined) resolveObservable(first, opts.observable);
        else if (opts.observable === undefined) throw new UsageError('--ansatz needs --observable (a Pauli sum such as "Z0", or random)');
        else for (const N of source.sizes) parseObservableText(opts.observable, { name: 'observable', numQubits: N });
      }
      if (opts.lce && opts.target !== 'auto' && opts.target !== 'random') parseParameterRef(first, opts.target);
      const regions = parseRegionTexts(opts.sigma, opts.radius);
      const center = centerPayload(opts.center);
      readCenter(first, opts.center);
      const payloads: GradientCellPayload[] = source.sizes.flatMap((N) => regions.map((region) => ({
        circuit: source.payload,
        ...(opts.observable !== undefined ? { observable: opts.observable } : {}),
        N,
        region,
        samples: opts.samples,
        seed: opts.seed,
        ...center,
        ...(opts.lce ? { lce: { target: opts.target, variant: opts.variant as LceVariant } } : {}),
        engine: opts.engine as GradientEngineChoice,
        exactMaxQubits: opts.exactMaxQubits,
        densityMaxQubits: opts.maxDensityQubits,
        ...(noise ? { noise } : {}),
        ...(opts.order !== undefined ? { order: opts.order } : {}),
        eps: opts.eps,
        maxOrder: opts.maxOrder,
      })));
      const progress = createProgress('gradients');
      const cells = await runCells(payloads, opts, (done, label) => progress.update(`${done}/${payloads.length} cells, ${label}`));
      progress.done();
      if (cells === null) {
        process.stderr.write('interrupted: no output written\n');
        process.exitCode = 130;
        return;
      }
      const result: SweepResult = { cells, fits: fitSweep(regions.map(regionLabel), cells, opts.seed) };
      const json = { ...toJson(result, opts), ...(noise ? { noise } : {}) };
      printWarnings(json.warnings);
      if (opts.out) {
        await writeOutputs(opts.out, result, json, opts);
        writeText(opts.out, 'gradients.csv', toCsv(json.cells));
      }
      if (opts.csv) {
        process.stdout.write(toCsv(json.cells));
        return;
      }
      if (opts.json) {
        printJson(json);
        return;
      }
      process.stdout.write(formatText(result, opts) + '\n');
    });
}

/**
 * Runs the cells as tasks (this thread, the pool or the queue) and returns them in plan order;
 * null when interrupted.
 */
async function runCells(payloads: GradientCellPayload[], opts: GradientsOptions, onDone: (done: number, label: string) => void): Promise<SweepCell[] | null> {
  const executor = await executorFor(opts);
  try {
    return await withInterrupt(async (signal) => {
      let done = 0;
      const out: (SweepCell | undefined)[] = new Array(payloads.length);
      const window = Math.min(payloads.length, Math.max(1, executor.concurrency));
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < payloads.length && !signal.aborted) {
          const i = next++;
          const p = payloads[i]!;
          const key = gradientCellKey(p);
          const r = await executor.run<GradientCellRecord>(GRADIENT_CELL_KIND, key, p);
          out[i] = r.cell;
          onDone(++done, key);
        }
      };
      const aborted = new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      await Promise.race([Promise.all(Array.from({ length: window }, lane)), aborted]);
      return signal.aborted ? null : (out as SweepCell[]);
    }, () => process.stderr.write('\ninterrupted: stopping the workers\n'));
  } finally {
    await executor.close();
  }
}

function centerPayload(center: string): Pick<GradientCellPayload, 'center' | 'centerValues'> {
  const c = parseCenterSpec(center);
  if (c.kind !== 'file') return { center: center.trim() };
  // Workers elsewhere cannot read our files: the center travels as data.
  return { center: 'file', centerValues: readJsonFile(c.path, 'center file') };
}

interface Source {
  sizes: number[];
  build(N: number): Circuit;
  /** The circuit as task data: the ansatz spec, or the file's text (never its path). */
  payload: GradientCellPayload['circuit'];
}

function fileSource(file: string): Source {
  const circuit = loadCircuit(file);
  return { sizes: [circuit.numQubits], build: () => circuit, payload: { file: basename(file), text: readTextFile(file, 'circuit file') } };
}

/** `mhea:2-12:N`, `fhea:8:1`, `rpqc:4,8,16:5`; with a noise model, its channels inserted. */
export function ansatzSource(spec: string, noise: NoiseModel | null = null): Source {
  const parts = spec.split(':');
  if (parts.length !== 3) throw new UserError(`--ansatz '${spec}': write family:N:L, e.g. mhea:2-12:N or fhea:8:1`);
  const [family, sizes, layers] = parts as [string, string, string];
  if (!(ANSATZ_FAMILIES as readonly string[]).includes(family)) {
    throw new UserError(`--ansatz: unknown family '${family}' (one of ${ANSATZ_FAMILIES.join(', ')})`);
  }
  const Ns = parseSizeList(sizes);
  if (layers !== 'N' && !/^\d+$/.test(layers)) throw new UserError(`--ansatz '${spec}': L must be a positive integer or N`);
  const cache = new Map<number, Circuit>();
  return {
    sizes: Ns,
    payload: { family, layers: layers === 'N' ? 'N' : Number(layers) },
    build(N) {
      let c = cache.get(N);
      if (!c) {
        c = buildAnsatz(family as AnsatzFamily, { qubits: N, layers: layers === 'N' ? N : Number(layers), seed: 0 });
        if (noise) c = applyNoiseModel(c, noise);
        cache.set(N, c);
      }
      return c;
    },
  };
}

export function parseSizeList(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!m) throw new UserError(`size list '${text}': use sizes and ranges such as 2-12 or 4,8,16`);
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b < a) throw new UserError(`size list '${text}': ranges go from a positive size up`);
    for (let n = a; n <= b; n++) out.add(n);
  }
  return [...out].sort((x, y) => x - y);
}

export function parseRegions(sigma: string | undefined, radius: string | undefined): RegionSpec[] {
  return parseRegionTexts(sigma, radius).map(regionSpec);
}

/** The regions as data (kind and expression text), each expression checked. */
export function parseRegionTexts(sigma: string | undefined, radius: string | undefined): GradientCellPayload['region'][] {
  const kind = radius !== undefined ? 'hypercube' : 'gaussian';
  const list = (radius ?? sigma)?.split(',').map((s) => s.trim()).filter((s) => s !== '') ?? DEFAULT_SIGMAS;
  if (list.length === 0) throw new UserError(`--${kind === 'gaussian' ? 'sigma' : 'radius'}: give at least one value`);
  return list.map((text) => {
    parseScaleExpression(text, kind === 'gaussian' ? 'σ' : 'r');
    return { kind, text };
  });
}

/** The verdict of one region's fit, in the JSON shape `"fits": [{"sigma", "verdict", "rate", "rate_ci", "criterion", …}]`. */
export function fitJson(label: string, f: DecayFit) {
  const m = /^(σ|r)=(.*)$/.exec(label);
  return {
    region: label,
    ...(m ? (m[1] === 'σ' ? { sigma: m[2] } : { radius: m[2] }) : {}),
    verdict: f.verdict,
    reason: f.reason,
    rate: f.rate,
    rate_ci: f.rateCi,
    exponent: f.exponent,
    exponent_ci: f.exponentCi,
    criterion: {
      name: f.criterion.name,
      delta_bic: f.criterion.deltaBic,
      delta_aic: f.criterion.deltaAic,
      bic_exponential: f.criterion.bicExponential,
      bic_polynomial: f.criterion.bicPolynomial,
      exponential_preferred: f.criterion.exponentialPreferred,
      threshold: f.criterion.threshold,
    },
    level: f.level,
    resamples: f.resamples,
    sizes: f.sizes,
    min_samples: f.minSamples,
    zeros: f.zeros,
  };
}

function toJson(result: SweepResult, opts: GradientsOptions) {
  return {
    samples: opts.samples,
    seed: opts.seed,
    center: opts.center,
    lce: opts.lce ?? false,
    ...(opts.lce ? { variant: opts.variant } : {}),
    cells: result.cells.map((c) => ({
      N: c.N,
      D: c.D,
      region: c.label,
      ...(c.region.kind === 'gaussian' ? { sigma: c.region.sigma } : { radius: c.region.radius }),
      engine: c.engine,
      ...(c.order !== undefined
        ? { order: c.order, order_capped: c.orderCapped ?? false, max_gradient_error_bound: c.statistics.maxGradientErrorBound }
        : {}),
      informative: c.informative,
      ...(c.suggestion ? { suggestion: c.suggestion } : {}),
      norm: { ...c.statistics.norm, geometric_mean: geometricMean(c.normSamples).value, zeros: geometricMean(c.normSamples).zeros },
      value: c.statistics.value,
      target: c.statistics.target,
      component_variance: c.statistics.componentVariance,
      seconds: c.seconds,
    })),
    warnings: gradientWarnings(result, opts),
    fits: result.cells.length > 0 && new Set(result.cells.map((c) => c.N)).size > 1
      ? result.fits.map((f) => ({ ...fitJson(f.label, f.norm), variance: fitJson(f.label, f.variance) }))
      : [],
  };
}

/** Cells whose surrogate gradients are not determined by their own error bound, or were capped. */
function gradientWarnings(result: SweepResult, opts: GradientsOptions): string[] {
  const out: string[] = [];
  for (const c of result.cells) {
    if (c.order === undefined) continue;
    const bound = c.statistics.maxGradientErrorBound;
    if (bound !== undefined && bound >= c.statistics.norm.mean && bound > 0) {
      out.push(`N = ${c.N}, ${c.label}: the gradient error bound ${bound.toPrecision(4)} is ≥ the mean ‖∇C‖ ${c.statistics.norm.mean.toPrecision(4)}; the surrogate's gradients say nothing there (use --engine exact or a higher --max-order)`);
    }
    if (c.orderCapped) out.push(`N = ${c.N}, ${c.label}: --eps ${opts.eps} needs an order above --max-order ${opts.maxOrder}; the surrogate was loosened to order ${c.order}`);
  }
  return out;
}

function formatText(result: SweepResult, opts: GradientsOptions): string {
  const rows = result.cells.map((c) => [
    c.N, c.D, c.label, c.engine + (c.order !== undefined ? ` (m=${c.order})` : ''),
    c.informative ? fmt(c.statistics.norm.mean) : `${fmt(c.statistics.norm.mean)}*`, c.statistics.norm.std, c.statistics.norm.median,
    geometricMean(c.normSamples).value, c.statistics.norm.q05, c.statistics.norm.q95,
    c.statistics.componentVariance.mean,
    ...(opts.lce ? [c.statistics.target?.mean ?? NaN, c.statistics.target?.variance ?? NaN] : []),
    ...(c.order !== undefined ? [c.statistics.maxGradientErrorBound] : []),
  ]);
  const anySurrogate = result.cells.some((c) => c.order !== undefined);
  const lines = [
    `${opts.samples} samples per cell, seed ${opts.seed}, center ${opts.center}${opts.lce ? `, LCE (${opts.variant}, target ${opts.target})` : ''}`,
    '',
    plainTable(
      ['N', 'D', 'region', 'engine', 'mean ‖∇C‖', 'std', 'median', 'geo mean', 'q05', 'q95', 'mean Var[∂C]',
        ...(opts.lce ? ['E[∂_k C]', 'Var[∂_k C]'] : []), ...(anySurrogate ? ['‖err‖ bound'] : [])],
      rows,
    ),
  ];
  if (result.cells.some((c) => c.orderCapped)) {
    lines.push('', `note: --eps ${opts.eps} needs a surrogate order above --max-order ${opts.maxOrder}; the bounds shown hold for the capped order`);
  }
  const blind = result.cells.filter((c) => !c.informative);
  if (blind.length > 0) {
    lines.push('', `* uninformative: the surrogate's error bound is not below mean ‖∇C‖ (${blind.length} cell(s)); ` +
      `try ${blind[0]!.suggestion ?? '--engine exact'}`);
  }
  if (new Set(result.cells.map((c) => c.N)).size > 1) {
    lines.push('', `barren-plateau verdicts (per-sample ‖∇C‖ on a log scale, ${Math.round((result.fits[0]?.norm.level ?? 0.95) * 100)}% bootstrap intervals, seed ${opts.seed}; docs/science.md §7):`);
    for (const f of result.fits) {
      const v = f.norm;
      lines.push(
        `  ${f.label.padEnd(14)} ${v.verdict.padEnd(17)} rate ${fmt(v.rate)}/qubit [${fmt(v.rateCi[0])}, ${fmt(v.rateCi[1])}]  ` +
          `exponent ${fmt(v.exponent)} [${fmt(v.exponentCi[0])}, ${fmt(v.exponentCi[1])}]  ΔBIC ${fmt(v.criterion.deltaBic)}`,
        `  ${''.padEnd(14)} ${v.reason}`,
      );
    }
  }
  return lines.join('\n');
}

function fmt(v: number): string {
  return Number.isFinite(v) ? formatNumberShort(v) : 'n/a';
}

function plainTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((v) => (typeof v === 'number' ? fmt(v) : v)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  return cells.map((r) => r.map((v, i) => String(v).padStart(widths[i]!)).join('  ')).join('\n');
}

async function writeOutputs(dir: string, result: SweepResult, json: unknown, opts: GradientsOptions): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeJson(dir, 'gradients.json', json);
  const sweep = new Set(result.cells.map((c) => c.N)).size > 1;
  if (sweep) {
    await writePlot(dir, 'gradients', seriesPlot({
      title: `‖∇C‖ versus N${opts.lce ? ` (with LCE, ${opts.variant})` : ''}`,
      subtitle: `${opts.samples} samples per point, seed ${opts.seed}; line: geometric mean, band: q25–q75 (log scale; exact zeros left out)`,
      data: result.cells.filter((c) => geometricMean(c.normSamples).value > 0).map((c) => ({
        N: c.N, norm: geometricMean(c.normSamples).value, lo: c.statistics.norm.q25, hi: c.statistics.norm.q75, region: c.label,
      })),
      x: { field: 'N', title: 'qubits N' },
      y: { field: 'norm', title: '‖∇C‖ (dimensionless)', scale: 'log' },
      color: { field: 'region', title: 'region', sort: result.fits.map((f) => f.label) },
      lineLabel: 'geometric mean over samples',
      band: { lo: 'lo', hi: 'hi', label: 'q25–q75 of samples' },
    }));
  }
  const lines = ['# Gradient statistics', '', markdownTable(
    ['N', 'D', 'region', 'engine', 'mean ‖∇C‖', 'std', 'median', 'geometric mean', 'informative', 'mean Var[∂_k C]'],
    result.cells.map((c) => [c.N, c.D, c.label, c.engine, c.statistics.norm.mean, c.statistics.norm.std, c.statistics.norm.median,
      geometricMean(c.normSamples).value, c.informative ? 'yes' : `no (${c.suggestion ?? ''})`, c.statistics.componentVariance.mean]),
  )];
  if (sweep) {
    lines.push('', '## Barren-plateau verdicts (per-sample ‖∇C‖, log scale, bootstrap intervals)', '', markdownTable(
      ['region', 'verdict', 'rate /qubit', 'rate CI', 'exponent', 'exponent CI', 'ΔBIC (exp favoured > 0)', 'reason'],
      result.fits.map((f) => [f.label, f.norm.verdict, f.norm.rate, `[${fmt(f.norm.rateCi[0])}, ${fmt(f.norm.rateCi[1])}]`,
        f.norm.exponent, `[${fmt(f.norm.exponentCi[0])}, ${fmt(f.norm.exponentCi[1])}]`, f.norm.criterion.deltaBic, f.norm.reason]),
    ));
  }
  writeText(dir, 'summary.md', lines.join('\n') + '\n');
}
