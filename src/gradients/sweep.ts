import { encodeLce, LceCancellationError, type LceVariant } from '../encoder/lce.js';
import { unitarySkeleton, withEncoderGates } from '../encoder/noisy.js';

export { withEncoderGates };
import { hasNoise } from '../ir/circuit.js';
import { UserError } from '../ir/errors.js';
import type { Circuit, Observable } from '../ir/types.js';
import { DEFAULT_DENSITY_MAX_QUBITS } from '../simulators/density/index.js';
import { createRng, type Rng } from '../random/rng.js';
import { seedFor } from '../random/seeds.js';
import { decayVerdict, type DecayFit } from './fits.js';
import {
  densityGradientEvaluator,
  drawPoint,
  exactGradientEvaluator,
  GradientAccumulator,
  type GradientEvaluator,
  type GradientStatistics,
  type GradientRegion,
} from './sampling.js';
import { DEFAULT_TAIL_PROBABILITY, type Region } from '../bounds/order.js';
import { randomPauliObservable } from '../random/observables.js';
import { gradientOrderFor, surrogateGradientEngine } from './surrogate-engine.js';

/**
 * Gradient statistics over a sweep of circuit sizes and regions, with decay fits per region: the
 * library behind `nearclifford gradients`. Every (N, region) cell has its own seeded stream, so
 * a cell's statistics depend only on the seed, N and the region's label.
 */
export interface RegionSpec {
  /** e.g. `D^-0.5` or `r=0.1`; part of the seed. */
  readonly label: string;
  region(D: number): GradientRegion;
}

export type GradientEngineChoice = 'exact' | 'surrogate' | 'auto';

export interface SweepSpec {
  readonly sizes: readonly number[];
  buildCircuit(N: number): Circuit;
  /** A fixed observable per size, or a fresh random Pauli string per sample. */
  observable(N: number): Observable | 'random';
  readonly regions: readonly RegionSpec[];
  readonly samples: number;
  readonly seed: number;
  center(circuit: Circuit): Float64Array;
  readonly lce?: { readonly target: number | 'auto' | 'random'; readonly variant: LceVariant };
  readonly engine: GradientEngineChoice;
  /** Largest qubit count for the exact engine (auto switches to the surrogate above it). */
  readonly exactMaxQubits: number;
  /**
   * Circuits with noise channels: the exact engine is the density matrix, capped at this many
   * qubits (default DEFAULT_DENSITY_MAX_QUBITS) instead of `exactMaxQubits`.
   */
  readonly densityMaxQubits?: number;
  /** Surrogate: fixed order, or chosen for this bound on ‖∇C − ∇T‖₂ (capped at maxOrder). */
  readonly order?: number;
  readonly eps: number;
  readonly maxOrder: number;
  onProgress?(text: string): void;
}

export interface SweepCell {
  readonly N: number;
  readonly D: number;
  readonly label: string;
  readonly region: GradientRegion;
  readonly engine: 'exact' | 'surrogate';
  /** Surrogate order when used; `orderCapped` when --eps needed more than the cap. */
  readonly order?: number;
  readonly orderCapped?: boolean;
  readonly statistics: GradientStatistics;
  /** ‖∇C‖₂ per sample (the verdict's bootstrap resamples these). */
  /** ‖∇C‖ per sample (a plain array: cells travel as JSON between threads and machines). */
  readonly normSamples: readonly number[];
  /**
   * False when the surrogate's stated bound on ‖∇C − ∇T‖₂ is not below the mean ‖∇C‖ it
   * qualifies: the true mean could be 0 or twice as large, so the cell decides nothing.
   */
  readonly informative: boolean;
  /** With `informative: false`, the engine that would decide the cell. */
  readonly suggestion?: string;
  readonly seconds: number;
}

export interface SweepFit {
  readonly label: string;
  /** Barren-plateau verdict from the per-sample ‖∇C‖ (bootstrap intervals, BIC; see decayVerdict). */
  readonly norm: DecayFit;
  /**
   * The same verdict for the gradient variance: fitted to the per-sample mean squared component
   * ‖∇C‖²/D, whose expectation over θ is the mean over k of E[(∂_k C)²] = Var[∂_k C] + E[∂_k C]²
   * (the variance itself when the mean gradient vanishes, as in the paper's regions). One value per
   * sample keeps the bootstrap and the model criterion of the norm fit; the per-size mean variance
   * is in each cell's statistics.
   */
  readonly variance: DecayFit;
}

export interface SweepResult {
  readonly cells: readonly SweepCell[];
  readonly fits: readonly SweepFit[];
}

interface Problem {
  circuit: Circuit;
  observable: Observable;
  target: number | undefined;
}

export function runGradientSweep(spec: SweepSpec): SweepResult {
  if (!Number.isInteger(spec.samples) || spec.samples < 1) throw new UserError(`\`samples\` must be a positive integer, got ${spec.samples}`);
  const cells: SweepCell[] = [];
  for (const N of spec.sizes) for (const r of spec.regions) cells.push(computeSweepCell(spec, N, r));
  return { cells, fits: fitSweep(spec.regions.map((r) => r.label), cells, spec.seed) };
}

/**
 * One (N, region) cell: its own random stream (seed, N, region label), so cells can be computed in
 * any order, in any process, with the same result.
 */
export function computeSweepCell(spec: Omit<SweepSpec, 'sizes' | 'regions'>, N: number, r: RegionSpec): SweepCell {
  if (!Number.isInteger(spec.samples) || spec.samples < 1) throw new UserError(`\`samples\` must be a positive integer, got ${spec.samples}`);
  const base = spec.buildCircuit(N);
  const center = spec.center(base);
  const fixedObservable = spec.observable(N);
  const noisy = hasNoise(base);
  const exactLimit = noisy ? spec.densityMaxQubits ?? DEFAULT_DENSITY_MAX_QUBITS : spec.exactMaxQubits;
  const engine = spec.engine === 'auto' ? (base.numQubits <= exactLimit ? 'exact' : 'surrogate') : spec.engine;
  if (engine === 'exact' && base.numQubits > exactLimit && spec.engine === 'exact') {
    // The simulator's own limit check gives the precise message; this is the friendlier one.
    throw new UserError(noisy
      ? `\`engine\` exact: the circuit has noise channels and ${base.numQubits} qubits exceed the density-matrix limit of ${exactLimit} ` +
          `(\`densityMaxQubits\`; 16·4^N bytes per matrix); use \`engine\` surrogate or auto`
      : `\`engine\` exact: ${base.numQubits} qubits exceed the exact limit of ${spec.exactMaxQubits}; use \`engine\` surrogate or auto`);
  }
  const t0 = performance.now();
  const region = r.region(base.numParameters);
  const rng = createRng(seedFor(spec.seed, N, r.label));
  const acc = new GradientAccumulator(base.numParameters);
  const point = new Float64Array(base.numParameters);
  let fixed: { problem: Problem; evaluator: GradientEvaluator } | null = null;
  let order: number | undefined;
  let orderCapped = false;
  let lastProblem: Problem | null = null;
  for (let s = 0; s < spec.samples; s++) {
    spec.onProgress?.(`N = ${N}, ${r.label}: sample ${s + 1}/${spec.samples}`);
    let current: { problem: Problem; evaluator: GradientEvaluator } | null = fixed;
    if (!current) {
      const problem = makeProblem(spec, base, center, fixedObservable, rng);
      const made = makeEvaluator(spec, engine, problem, center, region);
      order = made.order;
      orderCapped ||= made.capped ?? false;
      current = { problem, evaluator: made.evaluator };
      lastProblem = problem;
      const perSample = fixedObservable === 'random' || spec.lce?.target === 'random';
      if (!perSample) fixed = current;
    }
    const e = current.evaluator(drawPoint(rng, center, region, point));
    acc.add(e, current.problem.target === undefined ? undefined : e.gradient[current.problem.target]);
  }
  const statistics = acc.statistics();
  const informative = !(statistics.maxGradientErrorBound >= statistics.norm.mean) || statistics.maxGradientErrorBound === 0;
  return {
    N, D: base.numParameters, label: r.label, region, engine,
    ...(order !== undefined ? { order, orderCapped } : {}),
    statistics,
    normSamples: Array.from(acc.normSamples()),
    informative,
    ...(informative ? {} : { suggestion: suggestEngine(spec, lastProblem!, region, statistics.norm.mean) }),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Decay fits of mean ‖∇C‖ and mean Var[∂_k C] versus N, per region label, from cells in N order. */
export function fitSweep(labels: readonly string[], cells: readonly SweepCell[], seed = 0): SweepFit[] {
  return labels.map((label) => {
    const mine = cells.filter((c) => c.label === label);
    let norm = decayVerdict(mine.map((c) => ({ N: c.N, values: c.normSamples })), { seed });
    const blind = mine.filter((c) => !c.informative);
    if (blind.length > 0 && norm.verdict !== 'inconclusive') {
      norm = {
        ...norm,
        verdict: 'inconclusive',
        reason: `the surrogate's error bound exceeds mean ‖∇C‖ at N = ${blind.map((c) => c.N).join(', ')} (would be: ${norm.verdict}, ${norm.reason})`,
      };
    }
    return {
      label,
      norm,
      variance: decayVerdict(mine.map((c) => ({ N: c.N, values: c.normSamples.map((v) => (v * v) / Math.max(1, c.D)) })), { seed }),
    };
  });
}

/** Exact gradients where a state vector fits, else the surrogate order whose bound is a tenth of the statistic. */
function suggestEngine(spec: Omit<SweepSpec, 'sizes' | 'regions'>, problem: Problem, region: GradientRegion, statistic: number): string {
  if (problem.circuit.numQubits <= Math.max(spec.exactMaxQubits, 24)) return `--engine exact (${problem.circuit.numQubits} qubits fit a state vector)`;
  const orderRegion: Region = region.kind === 'gaussian'
    ? { kind: 'gaussian', sigma: region.sigma, tailProbability: DEFAULT_TAIL_PROBABILITY }
    : { kind: 'hypercube', radius: region.radius };
  const need = gradientOrderFor(problem.circuit, problem.observable, orderRegion, Math.max(statistic, 1e-12) / 10, 64);
  return need.capped ? 'no engine here: the surrogate would need an order above 64' : `--engine surrogate --max-order ${need.order} (bound ≤ ${need.bound.toPrecision(2)})`;
}

function makeProblem(spec: Omit<SweepSpec, 'sizes' | 'regions'>, base: Circuit, center: Float64Array, fixed: Observable | 'random', rng: Rng): Problem {
  const observable = fixed === 'random' ? randomPauliObservable(rng, base.numQubits) : fixed;
  if (!spec.lce) return { circuit: base, observable, target: undefined };
  const target = spec.lce.target === 'random' ? rng.int(base.numParameters) : spec.lce.target;
  // The encoder works on the unitary skeleton; a noisy circuit keeps its channels in place (below).
  const skeleton = unitarySkeleton(base);
  let lce;
  try {
    lce = encodeLce(skeleton, observable, { target, center, variant: spec.lce.variant });
  } catch (e) {
    // A randomly drawn target on which every term of the sum cancels: take the auto order instead
    // (docs/science.md §4). An explicit target keeps the error.
    if (!(e instanceof LceCancellationError) || spec.lce.target !== 'random') throw e;
    lce = encodeLce(skeleton, observable, { target: 'auto', center, variant: spec.lce.variant });
  }
  return { circuit: withEncoderGates(base, lce), observable, target: lce.target };
}

function makeEvaluator(
  spec: Omit<SweepSpec, 'sizes' | 'regions'>, engine: 'exact' | 'surrogate', problem: Problem, center: Float64Array, region: GradientRegion,
): { evaluator: GradientEvaluator; order?: number; capped?: boolean } {
  if (engine === 'exact') {
    return hasNoise(problem.circuit)
      ? { evaluator: densityGradientEvaluator(problem.circuit, problem.observable, { maxQubits: spec.densityMaxQubits ?? DEFAULT_DENSITY_MAX_QUBITS }) }
      : { evaluator: exactGradientEvaluator(problem.circuit, problem.observable, { maxQubits: spec.exactMaxQubits }) };
  }
  const orderRegion: Region = region.kind === 'gaussian'
    ? { kind: 'gaussian', sigma: region.sigma, tailProbability: DEFAULT_TAIL_PROBABILITY }
    : { kind: 'hypercube', radius: region.radius };
  const choice = spec.order === undefined ? gradientOrderFor(problem.circuit, problem.observable, orderRegion, spec.eps, spec.maxOrder) : null;
  const order = spec.order ?? choice!.order;
  const eng = surrogateGradientEngine(problem.circuit, problem.observable, { order, center });
  return { evaluator: eng.evaluator, order, capped: choice?.capped ?? false };
}
