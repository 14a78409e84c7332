import { parseScaleExpression } from '../bounds/scale.js';
import type { LceVariant } from '../encoder/lce.js';
import type { Circuit, Observable } from '../ir/types.js';
import { runGradientSweep, type SweepCell, type SweepFit } from '../gradients/sweep.js';
import { DeadlineExceeded, type SectionBudget } from './budget.js';
import type { SigmaSpec } from './simulability.js';

/**
 * The trainability section: gradient-norm statistics per σ with and without the LCE, through the
 * library's gradient sweep (exact adjoint up to `exactMaxQubits`, the Taylor surrogate with a stated
 * error bound beyond), with uncertainty, and a single-circuit "vanishing" test against the level of
 * a random circuit. Sample counts follow the budget: a 3-sample pilot per cell measures the cost of a
 * sample, and the cell then gets as many samples as its share of the section allows (8 … 200).
 *
 * Vanishing (single circuit). For a unitary 2-design, E⟨ψ|P|ψ⟩² = 1/(2^N + 1) for a Pauli string P,
 * so an observable Σ c_j P_j has E C² = Σ c_j²/(2^N + 1); with the two-point parameter shift
 * ∂_k C = [C(θ + π/2·e_k) − C(θ − π/2·e_k)]/2 and nearly independent shifted values, the mean
 * squared component is about Σ c_j² / (2(2^N + 1)). The cell's gradients "vanish" when the upper
 * 95% bound of its RMS component √(E‖∇C‖²/D) is within a factor 2 of that random-circuit level, and
 * that level is itself small (≤ 0.05, i.e. N ≳ 8 for a unit-norm observable): at fewer qubits even a
 * random circuit has sizeable gradients and the single-circuit test cannot tell.
 */
export type GradientVariant = 'plain' | 'lce';

export interface GradientCell {
  readonly sigma: SigmaSpec;
  readonly variant: GradientVariant;
  readonly engine: 'exact' | 'surrogate';
  readonly order: number | null;
  readonly samples: number;
  readonly mean: number;
  readonly std: number;
  readonly median: number;
  readonly q05: number;
  readonly q95: number;
  /** 95% confidence interval of the mean ‖∇C‖ (normal approximation, clipped at 0). */
  readonly ci95: readonly [number, number];
  /** √(E‖∇C‖²/D) and the upper end of its 95% interval (delta method). */
  readonly rmsComponent: number;
  readonly rmsComponentUpper: number;
  /** LCE target ∂_k C: mean and variance. */
  readonly target: { readonly mean: number; readonly variance: number } | null;
  /** Largest bound on ‖∇C − ∇T‖₂ (surrogate engine); 0 when exact. */
  readonly gradientErrorBound: number;
  readonly seconds: number;
  readonly vanishing: boolean;
}

export interface SweepSection {
  readonly spec: string;
  readonly variant: GradientVariant;
  readonly samples: number;
  readonly cells: readonly { readonly N: number; readonly D: number; readonly sigma: string; readonly mean: number; readonly std: number; readonly samples: number }[];
  readonly fits: readonly (SweepFit & { readonly sigma: string })[];
}

export interface TrainabilitySection {
  readonly randomCircuitRms: number;
  readonly cells: readonly GradientCell[];
  readonly sweep: SweepSection | null;
}

export const VANISHING_FACTOR = 2;
export const VANISHING_LEVEL = 0.05;
const MIN_SAMPLES = 8;
const MAX_SAMPLES = 200;
const PILOT = 3;

/** RMS gradient component of a random (2-design) circuit for this observable (see the module comment). */
export function randomCircuitRms(observable: Observable, numQubits: number): number {
  let s = 0;
  for (const t of observable.terms) if (t.pauli.qubits.length > 0) s += t.coeff * t.coeff;
  return Math.sqrt(s / (2 * (2 ** numQubits + 1)));
}

export interface TrainabilityInput {
  readonly circuit: Circuit;
  readonly observable: Observable;
  readonly center: Float64Array;
  readonly sigmas: readonly SigmaSpec[];
  /** The LCE target when the encoder applies. */
  readonly lceTarget: number | null;
  readonly variant: LceVariant;
  readonly exactMaxQubits: number;
  /** Beyond the exact engine: the highest Taylor order a cell may build for its gradients. */
  readonly surrogateMaxOrder: number;
  readonly eps: number;
  readonly seed: number;
  /** Size sweep: sizes, a builder and the observable per size. */
  readonly sweep?: { readonly spec: string; readonly sizes: readonly number[]; build(N: number): Circuit; observable(N: number): Observable; readonly variant: GradientVariant };
}

function cellStats(cell: SweepCell, sigma: SigmaSpec, variant: GradientVariant, rmsRandom: number): GradientCell {
  const { norm, target } = cell.statistics;
  const n = norm.count;
  const se = n > 1 ? norm.std / Math.sqrt(n) : Infinity;
  const ms = norm.mean ** 2 + (n > 1 ? (norm.std ** 2 * (n - 1)) / n : 0);
  const msSe = n > 1 ? (2 * norm.mean * norm.std) / Math.sqrt(n) : Infinity;
  const D = Math.max(1, cell.D);
  const rmsComponent = Math.sqrt(ms / D);
  const rmsComponentUpper = Math.sqrt((ms + 1.96 * msSe) / D);
  const errorBound = cell.statistics.maxGradientErrorBound;
  return {
    sigma, variant, engine: cell.engine, order: cell.order ?? null, samples: n,
    mean: norm.mean, std: norm.std, median: norm.median, q05: norm.q05, q95: norm.q95,
    ci95: [Math.max(0, norm.mean - 1.96 * se), norm.mean + 1.96 * se],
    rmsComponent, rmsComponentUpper,
    target: target ? { mean: target.mean, variance: target.variance } : null,
    gradientErrorBound: errorBound,
    seconds: cell.seconds,
    // A surrogate engine whose error bound exceeds the level tested cannot certify vanishing.
    vanishing: rmsComponentUpper <= VANISHING_FACTOR * rmsRandom && rmsRandom <= VANISHING_LEVEL && errorBound / Math.sqrt(D) <= rmsRandom,
  };
}

export function trainabilitySection(input: TrainabilityInput, budget: SectionBudget): TrainabilitySection {
  const { circuit, observable, center, sigmas } = input;
  const rmsRandom = randomCircuitRms(observable, circuit.numQubits);
  const variants: GradientVariant[] = input.lceTarget === null ? ['plain'] : ['plain', 'lce'];
  const jobs = sigmas.flatMap((sigma) => variants.map((variant) => ({ sigma, variant })));
  const sweepShare = input.sweep ? 0.4 : 0;
  const cells: GradientCell[] = [];
  const run = (sigma: SigmaSpec, variant: GradientVariant, samples: number, guard: () => void) => {
    const result = runGradientSweep({
      sizes: [circuit.numQubits],
      buildCircuit: () => circuit,
      observable: () => observable,
      regions: [{ label: `σ=${sigma.text}`, region: () => ({ kind: 'gaussian', sigma: sigma.sigma }) }],
      samples,
      seed: input.seed,
      center: () => center,
      ...(variant === 'lce' ? { lce: { target: input.lceTarget!, variant: input.variant } } : {}),
      engine: 'auto',
      exactMaxQubits: input.exactMaxQubits,
      eps: input.eps,
      // Beyond the exact engine every cell builds its own surrogate, up to what the ladder showed affordable.
      maxOrder: input.surrogateMaxOrder,
      onProgress: guard,
    });
    return result.cells[0]!;
  };
  jobs.forEach(({ sigma, variant }, j) => {
    const label = `gradients σ = ${sigma.text}${variant === 'lce' ? ' with LCE' : ''}`;
    const left = budget.left() * (1 - sweepShare);
    const slice = left / (jobs.length - j);
    const guard = budget.guard(label);
    // A 1-sample warm-up (kernel compilation, LCE encoding) keeps one-time costs out of the
    // PILOT-sample timing that sets the sample count.
    let pilot: SweepCell;
    let fixed: number, perSample: number;
    try {
      const one = run(sigma, variant, 1, guard);
      pilot = run(sigma, variant, PILOT, guard);
      void one;
      // Conservative: a surrogate cell's build is counted in every pilot sample.
      perSample = Math.max(1e-6, pilot.seconds / PILOT);
      fixed = 0;
    } catch (e) {
      if (!(e instanceof DeadlineExceeded)) throw e;
      budget.budget.skip(budget.name, label, e.message);
      return;
    }
    const samples = Math.min(MAX_SAMPLES, Math.floor((slice - fixed) / perSample));
    if (samples < MIN_SAMPLES) {
      budget.budget.skip(budget.name, `${label}: more than ${PILOT} samples`, `a sample takes ${perSample.toPrecision(2)} s (plus ${fixed.toPrecision(2)} s per cell); ${MIN_SAMPLES} did not fit the cell's ${slice.toPrecision(2)} s (the ${PILOT}-sample pilot is shown)`, fixed + MIN_SAMPLES * perSample);
      cells.push(cellStats(pilot, sigma, variant, rmsRandom));
      return;
    }
    try {
      cells.push(cellStats(run(sigma, variant, samples, guard), sigma, variant, rmsRandom));
    } catch (e) {
      if (!(e instanceof DeadlineExceeded)) throw e;
      budget.budget.skip(budget.name, `${label}: ${samples} samples`, `${e.message} (the ${PILOT}-sample pilot is shown)`);
      cells.push(cellStats(pilot, sigma, variant, rmsRandom));
    }
  });
  return { randomCircuitRms: rmsRandom, cells, sweep: input.sweep ? runSweep(input, budget) : null };
}

function runSweep(input: TrainabilityInput, budget: SectionBudget): SweepSection | null {
  const sweep = input.sweep!;
  const largest = Math.max(...sweep.sizes);
  const guard = budget.guard(`sweep ${sweep.spec}`);
  const base = (samples: number, sizes: readonly number[]) => runGradientSweep({
    sizes,
    buildCircuit: sweep.build,
    observable: sweep.observable,
    regions: input.sigmas.map((s) => ({ label: `σ=${s.text}`, region: (D: number) => ({ kind: 'gaussian', sigma: sigmaAt(s.text, D) }) })),
    samples,
    seed: input.seed,
    center: (c) => new Float64Array(c.numParameters),
    ...(sweep.variant === 'lce' ? { lce: { target: 'auto', variant: input.variant } } : {}),
    engine: 'auto',
    exactMaxQubits: input.exactMaxQubits,
    eps: input.eps,
    maxOrder: input.surrogateMaxOrder,
    onProgress: guard,
  });
  try {
    // Pilot at the largest size (it dominates the cost), then the whole sweep at what fits.
    const pilot = base(PILOT, [largest]);
    const perSample = pilot.cells.reduce((a, c) => a + c.seconds, 0) / PILOT;
    // Smaller sizes cost at most as much as the largest: a conservative count.
    const samples = Math.min(MAX_SAMPLES, Math.floor(budget.left() / Math.max(1e-6, perSample * sweep.sizes.length)));
    if (samples < MIN_SAMPLES) {
      budget.budget.skip(budget.name, `sweep ${sweep.spec}`, `a sample at N = ${largest} over all σ takes ${perSample.toPrecision(2)} s; ${MIN_SAMPLES} samples at ${sweep.sizes.length} sizes did not fit`, MIN_SAMPLES * perSample * sweep.sizes.length);
      return null;
    }
    const result = base(samples, sweep.sizes);
    return {
      spec: sweep.spec,
      variant: sweep.variant,
      samples,
      cells: result.cells.map((c) => ({ N: c.N, D: c.D, sigma: c.label.replace(/^σ=/, ''), mean: c.statistics.norm.mean, std: c.statistics.norm.std, samples: c.statistics.samples })),
      fits: result.fits.map((f) => ({ ...f, sigma: f.label.replace(/^σ=/, '') })),
    };
  } catch (e) {
    if (!(e instanceof DeadlineExceeded)) throw e;
    budget.budget.skip(budget.name, `sweep ${sweep.spec}`, e.message);
    return null;
  }
}

function sigmaAt(text: string, D: number): number {
  return parseScaleExpression(text, '--sigma').at(D);
}
