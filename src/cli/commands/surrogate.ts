import { resolve } from 'node:path';
import type { Command } from 'commander';
import { decodeNumbers, EVALUATE_BATCH_KIND, EVALUATE_DATA_KIND } from '../../parallel/local-tasks.js';
import { MAX_PAYLOAD_CHARS } from '../../tasks/executor.js';
import { addQueueOption, executorFor } from '../parallel-options.js';
import { createLocalExecutor, defaultWorkers } from '../../parallel/pool.js';
import { DEFAULT_TAIL_PROBABILITY, regionDisplacementBound, type Region } from '../../bounds/order.js';
import { parseScaleExpression } from '../../bounds/scale.js';
import { UsageError, UserError } from '../../ir/errors.js';
import { bindParameters } from '../../ir/parameters.js';
import { parseInitialState } from '../../ir/states.js';
import type { ParameterDecl } from '../../ir/types.js';
import { ensureFits } from '../../memory/limit.js';
import { AngleForms } from '../../surrogate/forms.js';
import type { Surrogate } from '../../surrogate/interface.js';
import { buildPathSurrogate } from '../../surrogate/paths-build.js';
import { saveSurrogate, surrogateFromJSON } from '../../surrogate/serialize.js';
import { buildTaylorSurrogate } from '../../surrogate/taylor-build.js';
import { TaylorSurrogate } from '../../surrogate/taylor.js';
import { buildWithAutoOrder, type AutoOrderResult } from '../../cost/auto-order.js';
import type { BoundsByKind } from '../../surrogate/meta.js';
import { estimateSurrogateError, estimateToJSON, type SurrogateErrorEstimate } from '../../cost/estimate-error.js';
import {
  createProgress, intOption, loadCircuit, numberOption, printJson, printWarnings, readCenter, readJsonFile, resolveObservable } from '../common.js';
import { maxTermsHelp } from '../max-terms-help.js';
import { pointBoundWarnings, regionBoundWarnings } from '../hollow.js';

interface SurrogateOptions {
  observable?: string;
  order?: number;
  eps?: number;
  sigma?: string;
  radius?: string;
  tailProb: number;
  center: string;
  kind: string;
  maxSins?: number;
  eval?: string;
  save?: string;
  state: string;
  maxTerms?: number;
  coefficients?: boolean;
  dense?: boolean;
  json?: boolean;
  aposteriori: boolean;
  estimate?: number;
  seed: number;
}

/** Per-kind bounds as JSON (null: kind not available for this surrogate). */
function kindsJSON(k: BoundsByKind): Record<string, unknown> {
  return { apriori: k.apriori, 'light-cone': k.lightCone, aposteriori: k.aposteriori, tightest: k.tightest, kind: k.kind };
}

/** Per-point bounds: the tightest, which kind it was, and every kind. */
function pointBounds(s: Surrogate, flat: Float64Array, count: number): { bounds: number[]; kinds: string[]; byKind: Record<string, (number | null)[]> } {
  const D = s.meta.numParameters;
  const bounds: number[] = [];
  const kinds: string[] = [];
  const byKind: Record<string, (number | null)[]> = { apriori: [], 'light-cone': [], aposteriori: [] };
  for (let i = 0; i < count; i++) {
    const k = s.boundsByKind(flat.subarray(i * D, (i + 1) * D));
    bounds.push(k.tightest);
    kinds.push(k.kind);
    byKind.apriori!.push(k.apriori);
    byKind['light-cone']!.push(k.lightCone);
    byKind.aposteriori!.push(k.aposteriori);
  }
  return { bounds, kinds, byKind };
}

interface EvaluateOptions {
  workers?: number;
  queue?: string;
  at: string;
  json?: boolean;
}

/** `surrogate` builds a Taylor or Pauli-path surrogate; `evaluate` evaluates a saved one. */
export function registerSurrogateCommands(program: Command): void {
  program
    .command('surrogate')
    .description(
      [
        'Taylor surrogate T_m(δ) of the cost around a Clifford point, built in one',
        'symbolic backward pass. Error bounds are the tightest of three rigorous kinds',
        '(docs/bounds.md): a priori ‖O‖₁·‖Aδ‖₁^(m+1)/(m+1)!, light cone (per observable',
        'term, only the gates that can reach it) and a posteriori (what the build dropped).',
        'Give the order, or a target --eps with a region (--sigma or --radius) to choose the',
        'smallest order whose tightest bound meets ε (orders are built and checked).',
        "The paper's truncation threshold is our order + 1. --kind paths builds the",
        'Pauli-path surrogate (at most S sin branches per term) for comparison.',
      ].join('\n'),
    )
    .argument('<file>', 'circuit: .ncl (DSL) or .qasm (OpenQASM 2/3)')
    .option('-o, --observable <obs>', 'observable name from the file, or a Pauli sum such as "0.5*Z0 Z1 - X3" (default: first in file)')
    .option('-m, --order <m>', 'Taylor order m (monomials of total degree ≤ m)', intOption('--order', 0))
    .option('--eps <ε>', 'target error: choose the smallest order (or S) whose bound over the region is ≤ ε', numberOption('--eps'))
    .option('--sigma <σ>', 'Gaussian region δ ~ N(0, σ²I); σ may use D, e.g. 0.01, 1/D, D^-0.5, exp(-D)')
    .option('--radius <r>', 'hypercube region |δ_k| ≤ r; r may use D like --sigma')
    .option('--tail-prob <p>', 'Gaussian regions: the bound holds except with probability ≤ p', numberOption('--tail-prob'), DEFAULT_TAIL_PROBABILITY)
    .option('--center <c>', 'expansion point: zero, random-clifford[:seed], or a params JSON file', 'zero')
    .option('--kind <kind>', 'taylor or paths', 'taylor')
    .option('--max-sins <S>', 'paths: keep terms with at most S sin branches', intOption('--max-sins', 0))
    .option('--eval <points.json>', 'evaluate at a list of parameter objects (absolute values, params format)')
    .option('--save <s.json>', 'save the surrogate as versioned JSON (evaluate it later with `nearclifford evaluate`)')
    .option('--state <state>', 'initial state: zero, plus, or a bitstring (leftmost = qubit 0)', 'zero')
    .option('--max-terms <n>', maxTermsHelp('budget of live terms during the build'), intOption('--max-terms', 16))
    .option('--coefficients', 'taylor: also list every coefficient (monomial, value, derivative)')
    .option('--dense', 'read --observable as dense labels (rightmost letter = qubit 0)')
    .option('--estimate <n>', 'also estimate the error statistically at n points of the region (exact simulator ≤ 24 qubits, else order + 2): an estimate, never a bound', intOption('--estimate', 2))
    .option('--seed <s>', '--estimate: seed of the sampled points', intOption('--seed', 0), 1)
    .option('--no-aposteriori', 'do not record what the build drops (no a-posteriori bound; a slightly faster build)')
    .option(
      '--json',
      'print JSON: {"order", "terms", "monomials", "build_seconds", "bound", "bound_kind", "bounds_by_kind", "values"?, "bounds"?, …}',
    )
    .action((file: string, opts: SurrogateOptions) => runSurrogate(file, opts));

  const evaluate = program
    .command('evaluate')
    .description('Evaluate a saved surrogate (from `surrogate --save`) at parameter points, with error bounds.')
    .argument('<surrogate>', 'surrogate JSON file')
    .requiredOption('--at <points.json>', 'a list of parameter objects (absolute values, params format)')
    .option('--workers <n>', `worker threads, each evaluating a contiguous batch of points (default: available cores, ${defaultWorkers()} here)`, intOption('--workers', 1));
  addQueueOption(evaluate)
    .option('--json', 'print JSON: {"values", "bounds", "kind", "order"|"max_sins"}')
    .action(async (file: string, opts: EvaluateOptions) => {
      const json = readJsonFile(file, 'surrogate file');
      const s = surrogateFromJSON(json, file);
      const points = readPoints(s.meta.parameters, opts.at);
      const { values, bounds } = opts.queue !== undefined
        ? await evaluateOnQueue(json, points, opts)
        : await evaluateOnWorkers(s, resolve(file), points, opts.workers ?? defaultWorkers());
      const warnings = pointBoundWarnings(values, bounds, 'surrogate');
      printWarnings(warnings);
      if (opts.json) {
        // The per-kind breakdown is cheap next to evaluation and computed here: the workers
        // return only the tightest bound (the same number, by the same code).
        const pb = pointBounds(s, points.flat, points.count);
        printJson({
          kind: s.kind,
          ...(s.kind === 'taylor' ? { order: s.truncation } : { max_sins: s.truncation }),
          values: Array.from(values),
          bounds: Array.from(bounds),
          bound_kinds: pb.kinds,
          bounds_by_kind: pb.byKind,
          warnings,
        });
        return;
      }
      const lines = Array.from(values, (v, i) => `${v}  ± ${bounds[i]}`);
      process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
    });
}

function runSurrogate(file: string, opts: SurrogateOptions): void {
  const kind = opts.kind;
  if (kind !== 'taylor' && kind !== 'paths') throw new UsageError(`--kind must be taylor or paths, got '${kind}'`);
  if (opts.sigma !== undefined && opts.radius !== undefined) throw new UsageError('give either --sigma or --radius, not both');
  if (kind === 'paths' && opts.order !== undefined) throw new UsageError('--order applies to --kind taylor; paths take --max-sins S');
  if (kind === 'taylor' && opts.maxSins !== undefined) throw new UsageError('--max-sins applies to --kind paths');
  const circuit = loadCircuit(file);
  const observable = resolveObservable(circuit, opts.observable, opts.dense);
  const initialState = parseInitialState(opts.state, circuit.numQubits);
  const center = readCenter(circuit, opts.center);
  const D = circuit.numParameters;
  let region: Region | null = null;
  if (opts.sigma !== undefined) {
    region = { kind: 'gaussian', sigma: parseScaleExpression(opts.sigma, '--sigma').at(D), tailProbability: opts.tailProb };
  } else if (opts.radius !== undefined) {
    region = { kind: 'hypercube', radius: parseScaleExpression(opts.radius, '--radius').at(D) };
  }
  const displacementBound = region ? regionDisplacementBound(region, AngleForms.fromCircuit(circuit).stats()) : null;
  const needRegion = (what: string) =>
    new UsageError(`pass ${what}, or --eps ε together with a region (--sigma σ or --radius r) to choose it`);

  const progress = createProgress('surrogate');
  const onProgress = (done: number, total: number, live: number) => progress.update(`gate ${done}/${total}, ${live} terms`, done / total);
  const buildOpts = { center, initialState, maxTerms: opts.maxTerms, onProgress, aposteriori: opts.aposteriori };
  let s: Surrogate;
  let paperThreshold: number | null = null;
  let auto: AutoOrderResult | null = null;
  try {
    const explicit = kind === 'taylor' ? opts.order : opts.maxSins;
    if (explicit === undefined) {
      if (opts.eps === undefined || region === null) throw needRegion(kind === 'taylor' ? '--order m' : '--max-sins S');
      // The smallest truncation whose tightest rigorous bound over the region meets ε.
      auto = buildWithAutoOrder(circuit, observable, kind, region, opts.eps, buildOpts);
      s = auto.surrogate;
    } else if (kind === 'taylor') {
      s = buildTaylorSurrogate(circuit, observable, { ...buildOpts, order: explicit });
    } else {
      s = buildPathSurrogate(circuit, observable, { ...buildOpts, maxSins: explicit });
    }
    if (kind === 'taylor') paperThreshold = s.truncation + 1;
  } finally {
    progress.done();
  }

  const size = s.size();
  const regionKinds = region ? s.regionBoundsByKind(region) : null;
  const bound = regionKinds ? regionKinds.tightest : null;
  let values: Float64Array | undefined;
  let bounds: number[] | undefined;
  let pb: ReturnType<typeof pointBounds> | undefined;
  if (opts.eval !== undefined) {
    const points = readPoints(circuit.parameters, opts.eval);
    values = s.evaluate(points.flat, points.count);
    pb = pointBounds(s, points.flat, points.count);
    bounds = pb.bounds;
  }
  if (opts.save !== undefined) saveSurrogate(s, opts.save);
  let estimate: SurrogateErrorEstimate | undefined;
  if (opts.estimate !== undefined) {
    if (region === null) throw new UserError('--estimate needs a region (--sigma σ or --radius r) to sample from');
    estimate = estimateSurrogateError(s, circuit, observable, region, {
      samples: opts.estimate, seed: opts.seed, center, initialState, maxTerms: opts.maxTerms,
    });
  }
  const coefficients =
    opts.coefficients && s instanceof TaylorSurrogate
      ? s.coefficients().map((c) => ({ monomial: c.monomial, variables: c.variables, value: c.value, derivative: c.derivative }))
      : undefined;
  if (opts.coefficients && !(s instanceof TaylorSurrogate)) throw new UsageError('--coefficients applies to --kind taylor');
  const maxAbsValue = observable.terms.reduce((a, t) => a + Math.abs(t.coeff), 0);
  const observableNorm1 = observable.terms.reduce((a, t) => a + (t.pauli.qubits.length > 0 ? Math.abs(t.coeff) : 0), 0);
  const warnings = [
    ...regionBoundWarnings(bound, maxAbsValue),
    ...(values ? pointBoundWarnings(values, bounds!, 'surrogate') : []),
    ...(kind === 'paths' && size.terms === 0 && observableNorm1 > 0
      ? [`no Pauli path survived --max-sins ${s.truncation}: the observable was truncated away and the surrogate is a constant`]
      : []),
  ];
  printWarnings(warnings);

  if (opts.json) {
    printJson({
      kind,
      order: kind === 'taylor' ? s.truncation : null,
      ...(kind === 'paths' ? { max_sins: s.truncation } : { paper_threshold: paperThreshold }),
      terms: size.terms,
      monomials: size.monomials,
      nodes: size.nodes,
      peak_terms: s.meta.peakTerms,
      build_seconds: s.meta.buildSeconds,
      bound,
      bound_kind: regionKinds?.kind ?? null,
      bounds_by_kind: regionKinds ? kindsJSON(regionKinds) : null,
      ...(auto
        ? {
            order_selection: {
              predicted_apriori: auto.predicted.apriori,
              predicted_light_cone: auto.predicted.lightCone,
              certified: auto.truncation,
              certified_by: auto.kind,
              tried: auto.tried.map((t) => ({ truncation: t.truncation, bound: t.bound, kind: t.kind, build_seconds: t.buildSeconds })),
            },
          }
        : {}),
      displacement_bound: displacementBound,
      ...(region?.kind === 'gaussian' ? { tail_probability: region.tailProbability, sigma: region.sigma } : {}),
      ...(region?.kind === 'hypercube' ? { radius: region.radius } : {}),
      ...(values ? { values: Array.from(values), bounds: bounds!, bound_kinds: pb!.kinds, bounds_by_kind: pb!.byKind } : {}),
      ...(coefficients ? { coefficients } : {}),
      warnings,
      ...(estimate ? { estimates: estimateToJSON(estimate) } : {}),
    });
    return;
  }
  const lines: string[] = [];
  if (kind === 'taylor') lines.push(`order        ${s.truncation}   (paper's truncation threshold: ${paperThreshold})`);
  else lines.push(`max sins     ${s.truncation}`);
  lines.push(`terms        ${size.terms}   (peak ${s.meta.peakTerms})`);
  lines.push(`${kind === 'taylor' ? 'monomials' : 'path monos'}   ${size.monomials}   (${size.nodes} evaluation nodes)`);
  lines.push(`build        ${s.meta.buildSeconds.toFixed(3)} s`);
  if (region && bound !== null) {
    const where = region.kind === 'gaussian'
      ? `σ = ${region.sigma}, ‖Aδ‖₁ ≤ ${displacementBound} except with probability ${region.tailProbability}`
      : `|δ_k| ≤ ${region.radius}, ‖Aδ‖₁ ≤ ${displacementBound}`;
    lines.push(`bound        ${bound}   (${regionKinds!.kind}; ${where})`);
    lines.push(`  by kind    a priori ${regionKinds!.apriori}, light cone ${regionKinds!.lightCone ?? '—'}, a posteriori ${regionKinds!.aposteriori ?? '—'}`);
  }
  if (auto) {
    lines.push(`order choice predicted ${auto.predicted.apriori} (a priori), ${auto.predicted.lightCone} (light cone); certified ${auto.truncation} by the ${auto.kind} bound`);
  }

  if (coefficients) {
    lines.push('coefficients (T = Σ value·δ^α, derivative = ∂^α C at the center)');
    for (const c of coefficients) lines.push(`  ${c.monomial}: ${c.value}   (derivative ${c.derivative})`);
  }
  if (values) {
    lines.push('values');
    values.forEach((v, i) => lines.push(`  ${v}  ± ${bounds![i]}  (${pb!.kinds[i]})`));
  }
  if (estimate) {
    const e = estimate.estimate;
    lines.push(`estimate     (not a bound) vs ${estimate.reference}, ${e.samples} points: mean |error| ${e.mean.toExponential(2)} ` +
      `[${e.meanInterval[0].toExponential(2)}, ${e.meanInterval[1].toExponential(2)}] at ${e.confidence * 100}%, max ${e.max.toExponential(2)}`);
  }
  if (opts.save !== undefined) lines.push(`saved        ${opts.save}`);
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * Values and bounds at every point. Few points (or one worker) are evaluated here; otherwise the
 * points are cut into one contiguous batch per worker, each thread loading the surrogate file
 * itself. Every point is evaluated on its own, so the numbers do not depend on the split.
 */
async function evaluateOnWorkers(
  s: Surrogate, file: string, points: { flat: Float64Array; count: number }, workers: number,
): Promise<{ values: ArrayLike<number>; bounds: ArrayLike<number> }> {
  const MIN_BATCH = 64;
  const batches = Math.min(workers, Math.floor(points.count / MIN_BATCH));
  const D = points.count ? points.flat.length / points.count : 0;
  // Progress on stderr (a terminal, or --progress): points done of all, where --time-limit stops.
  const progress = createProgress('evaluate');
  let done = 0;
  const advance = (n: number) => {
    done += n;
    progress.update(`point ${done} of ${points.count}`, done / Math.max(1, points.count));
  };
  try {
    if (batches <= 1) {
      // Chunks of points, each point evaluated on its own: the same numbers as one call, with
      // progress between chunks.
      const CHUNK = 256;
      const values = new Float64Array(points.count), bounds = new Float64Array(points.count);
      for (let lo = 0; lo < points.count; lo += CHUNK) {
        const hi = Math.min(points.count, lo + CHUNK);
        const part = points.flat.subarray(lo * D, hi * D);
        values.set(s.evaluate(part, hi - lo), lo);
        bounds.set(s.bounds(part, hi - lo), lo);
        advance(hi - lo);
      }
      return { values, bounds };
    }
    const executor = createLocalExecutor(workers);
    try {
      const size = Math.ceil(points.count / batches);
      const parts = await Promise.all(Array.from({ length: batches }, async (_, b) => {
        const lo = b * size, hi = Math.min(points.count, lo + size);
        const r = await executor.run<{ values: (number | string)[]; bounds: (number | string)[] }>(EVALUATE_BATCH_KIND, `points:${lo}-${hi}`, {
          file, points: Array.from(points.flat.subarray(lo * D, hi * D)), count: hi - lo,
        });
        advance(hi - lo);
        return r;
      }));
      return { values: parts.flatMap((p) => decodeNumbers(p.values)), bounds: parts.flatMap((p) => decodeNumbers(p.bounds)) };
    } finally {
      await executor.close();
    }
  } finally {
    progress.done();
  }
}

/**
 * `evaluate --queue`: batches of points travel with the surrogate's JSON itself (a worker on
 * another machine cannot read the file), so the surrogate must fit in one task envelope.
 */
async function evaluateOnQueue(
  json: unknown, points: { flat: Float64Array; count: number }, opts: EvaluateOptions,
): Promise<{ values: ArrayLike<number>; bounds: ArrayLike<number> }> {
  const MIN_BATCH = 64, MAX_BATCHES = 16;
  const D = points.count ? points.flat.length / points.count : 0;
  const batches = Math.max(1, Math.min(MAX_BATCHES, Math.floor(points.count / MIN_BATCH)));
  const size = Math.max(1, Math.ceil(points.count / batches));
  // Points are written with at most 24 characters each in JSON.
  const chars = JSON.stringify(json).length + 24 * size * D;
  if (chars > MAX_PAYLOAD_CHARS) {
    throw new UserError(`the surrogate and its points (about ${Math.ceil(chars / 1e6)} MB of JSON per batch) exceed the queue's task size of ${MAX_PAYLOAD_CHARS / 1e6} MB: evaluate it with --workers on this machine`);
  }
  const executor = await executorFor(opts);
  try {
    const parts = await Promise.all(Array.from({ length: batches }, (_, b) => {
      const lo = Math.min(points.count, b * size), hi = Math.min(points.count, lo + size);
      return executor.run<{ values: (number | string)[]; bounds: (number | string)[] }>(EVALUATE_DATA_KIND, `points:${lo}-${hi}`, {
        surrogate: json, points: Array.from(points.flat.subarray(lo * D, hi * D)), count: hi - lo,
      });
    }));
    return { values: parts.flatMap((p) => decodeNumbers(p.values)), bounds: parts.flatMap((p) => decodeNumbers(p.bounds)) };
  } finally {
    await executor.close();
  }
}

/** A list of parameter objects (or one object) → a row-major batch of flat vectors. */
function readPoints(decls: readonly ParameterDecl[], file: string): { flat: Float64Array; count: number } {
  const json = readJsonFile(file, 'points file');
  const list = Array.isArray(json) ? json : [json];
  const D = decls.reduce((n, d) => n + (d.length ?? 1), 0);
  // The batch, the values and the bounds: checked against the memory limit before allocating.
  ensureFits(list.length * (D + 2) * 8, `evaluation buffers for ${list.length} points × ${D} parameters`, 'evaluate fewer points at a time');
  const flat = new Float64Array(list.length * D);
  list.forEach((entry, i) => flat.set(bindParameters(decls, entry, `points file '${file}', point ${i}`), i * D));
  return { flat, count: list.length };
}
