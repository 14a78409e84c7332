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
import { UserError } from '../../ir/errors.js';
import type { Circuit } from '../../ir/types.js';
import { parseObservableText } from '../../pauli/observable-text.js';
import { formatNumberShort, markdownTable } from '../../reports/markdown.js';
import { seriesPlot } from '../../reports/specs.js';
import { writeJson, writePlot, writeText } from '../../reports/write.js';
import {
  createProgress, intOption, loadCircuit, numberOption, printJson, readCenter, readJsonFile, readTextFile, resolveObservable,
} from '../common.js';

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
  order?: number;
  eps: number;
  maxOrder: number;
  json?: boolean;
  out?: string;
}

export const DEFAULT_SIGMAS = ['D^-1', 'D^-0.5', 'D^(-1/3)', 'D^-0.2', '1'];

export function registerGradientsCommand(program: Command): void {
  const cmd = program
    .command('gradients')
    .description(
      'Gradient statistics around a Clifford center θ*: draws θ = θ* + δ (Gaussian δ ~ N(0, σ²I) per σ,\n' +
        'or a hypercube), computes ‖∇C‖ and every ∂_k C, and reports mean, std, median, quantiles and\n' +
        'Var[∂_k C]. With --ansatz over several sizes (mhea:2-12:N) it fits exponential against\n' +
        'polynomial decay in N per σ and gives a barren-plateau verdict. Exact adjoint gradients up to\n' +
        '--exact-max-qubits; beyond, the Taylor surrogate with a stated bound on ‖∇C − ∇T‖₂.',
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
    .option('--variant <v>', 'LCE variant: paper or compact', 'paper')
    .option('--engine <e>', 'exact, surrogate, or auto (exact up to --exact-max-qubits)', 'auto')
    .option('--exact-max-qubits <n>', 'largest qubit count for exact state-vector gradients', intOption('--exact-max-qubits', 1), 20)
    .option('--order <m>', 'surrogate engine: Taylor order (default: chosen for --eps)', intOption('--order', 0))
    .option('--eps <e>', 'surrogate engine: target bound on ‖∇C − ∇T‖₂ over the region', numberOption('--eps'), 1e-3)
    .option('--max-order <m>', 'surrogate engine: cap on the chosen order', intOption('--max-order', 0), 4)
    .option('--json', 'print JSON: {"cells": [{N, D, sigma, engine, norm: {mean, std, median, q05, …}, …}], "fits": […]}')
    .option('--out <dir>', 'also write gradients.json, summary.md and (for sweeps) a plot of mean ‖∇C‖ versus N');
  addWorkersOption(cmd, 'cells (N, region)');
  addQueueOption(cmd);
  cmd.action(async (file: string | undefined, opts: GradientsOptions) => {
      if (!['exact', 'surrogate', 'auto'].includes(opts.engine)) throw new UserError(`--engine must be exact, surrogate or auto, got '${opts.engine}'`);
      if (opts.variant !== 'paper' && opts.variant !== 'compact') throw new UserError(`--variant must be paper or compact, got '${opts.variant}'`);
      if ((file === undefined) === (opts.ansatz === undefined)) throw new UserError('give either a circuit FILE or --ansatz family:N:L');
      if (opts.sigma !== undefined && opts.radius !== undefined) throw new UserError('--sigma and --radius exclude each other');
      const source = file !== undefined ? fileSource(file) : ansatzSource(opts.ansatz!);
      // Check the inputs here, once, so mistakes are reported before any task is sent anywhere.
      const first = source.build(source.sizes[0]!);
      if (opts.observable !== 'random') {
        if (file !== undefined) resolveObservable(first, opts.observable);
        else if (opts.observable === undefined) throw new UserError('--ansatz needs --observable (a Pauli sum such as "Z0", or random)');
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
        ...(opts.lce ? { lce: { target: opts.target, variant: opts.variant as 'paper' | 'compact' } } : {}),
        engine: opts.engine as GradientEngineChoice,
        exactMaxQubits: opts.exactMaxQubits,
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
      const result: SweepResult = { cells, fits: fitSweep(regions.map(regionLabel), cells) };
      const json = toJson(result, opts);
      if (opts.out) await writeOutputs(opts.out, result, json, opts);
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

/** `mhea:2-12:N`, `fhea:8:1`, `rpqc:4,8,16:5`. */
export function ansatzSource(spec: string): Source {
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

function toJson(result: SweepResult, opts: GradientsOptions) {
  return {
    samples: opts.samples,
    seed: opts.seed,
    center: opts.center,
    lce: opts.lce ?? false,
    cells: result.cells.map((c) => ({
      N: c.N,
      D: c.D,
      region: c.label,
      ...(c.region.kind === 'gaussian' ? { sigma: c.region.sigma } : { radius: c.region.radius }),
      engine: c.engine,
      ...(c.order !== undefined
        ? { order: c.order, order_capped: c.orderCapped ?? false, max_gradient_error_bound: c.statistics.maxGradientErrorBound }
        : {}),
      norm: c.statistics.norm,
      value: c.statistics.value,
      target: c.statistics.target,
      component_variance: c.statistics.componentVariance,
      seconds: c.seconds,
    })),
    fits: result.cells.length > 0 && new Set(result.cells.map((c) => c.N)).size > 1
      ? result.fits.map((f) => ({ region: f.label, norm: f.norm, variance: f.variance }))
      : [],
  };
}

function formatText(result: SweepResult, opts: GradientsOptions): string {
  const rows = result.cells.map((c) => [
    c.N, c.D, c.label, c.engine + (c.order !== undefined ? ` (m=${c.order})` : ''),
    c.statistics.norm.mean, c.statistics.norm.std, c.statistics.norm.median, c.statistics.norm.q05, c.statistics.norm.q95,
    c.statistics.componentVariance.mean,
    ...(opts.lce ? [c.statistics.target?.mean ?? NaN, c.statistics.target?.variance ?? NaN] : []),
    ...(c.order !== undefined ? [c.statistics.maxGradientErrorBound] : []),
  ]);
  const anySurrogate = result.cells.some((c) => c.order !== undefined);
  const lines = [
    `${opts.samples} samples per cell, seed ${opts.seed}, center ${opts.center}${opts.lce ? `, LCE (${opts.variant}, target ${opts.target})` : ''}`,
    '',
    plainTable(
      ['N', 'D', 'region', 'engine', 'mean ‖∇C‖', 'std', 'median', 'q05', 'q95', 'mean Var[∂C]',
        ...(opts.lce ? ['E[∂_k C]', 'Var[∂_k C]'] : []), ...(anySurrogate ? ['‖err‖ bound'] : [])],
      rows,
    ),
  ];
  if (result.cells.some((c) => c.orderCapped)) {
    lines.push('', `note: --eps ${opts.eps} needs a surrogate order above --max-order ${opts.maxOrder}; the bounds shown hold for the capped order`);
  }
  if (new Set(result.cells.map((c) => c.N)).size > 1) {
    lines.push('', 'decay of mean ‖∇C‖ with N:');
    for (const f of result.fits) {
      lines.push(
        `  ${f.label.padEnd(14)} ${f.norm.verdict.padEnd(17)} exp: rate ${fmt(f.norm.exponential.rate)}/qubit R² ${fmt(f.norm.exponential.r2)}; ` +
          `poly: N^${fmt(f.norm.polynomial.exponent)} R² ${fmt(f.norm.polynomial.r2)}  (${f.norm.explanation})`,
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
      title: `Mean ‖∇C‖ versus N${opts.lce ? ' (with LCE)' : ''}`,
      subtitle: `${opts.samples} samples per point, seed ${opts.seed}`,
      data: result.cells.filter((c) => c.statistics.norm.mean > 0).map((c) => ({ N: c.N, norm: c.statistics.norm.mean, region: c.label })),
      x: { field: 'N', title: 'qubits N' },
      y: { field: 'norm', title: 'mean ‖∇C‖', scale: 'log' },
      color: { field: 'region', title: 'region', sort: result.fits.map((f) => f.label) },
    }));
  }
  const lines = ['# Gradient statistics', '', markdownTable(
    ['N', 'D', 'region', 'engine', 'mean ‖∇C‖', 'std', 'median', 'mean Var[∂_k C]'],
    result.cells.map((c) => [c.N, c.D, c.label, c.engine, c.statistics.norm.mean, c.statistics.norm.std, c.statistics.norm.median, c.statistics.componentVariance.mean]),
  )];
  if (sweep) {
    lines.push('', '## Decay fits (mean ‖∇C‖ versus N)', '', markdownTable(
      ['region', 'verdict', 'exp rate', 'R² exp', 'poly exponent', 'R² poly'],
      result.fits.map((f) => [f.label, f.norm.verdict, f.norm.exponential.rate, f.norm.exponential.r2, f.norm.polynomial.exponent, f.norm.polynomial.r2]),
    ));
  }
  writeText(dir, 'summary.md', lines.join('\n') + '\n');
}
