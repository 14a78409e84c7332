import type { Circuit, Observable } from '../ir/types.js';
import type { Rng } from '../random/rng.js';
import type { InitialState } from '../ir/states.js';
import { expectationAndGradient } from '../simulators/statevector/index.js';
import { densityExpectationAndGradient } from '../simulators/density/index.js';
import { summarize, type Summary } from './statistics.js';

/**
 * Gradient statistics over a region around a center θ*: points θ* + δ with δ ~ N(0, σ²I) or
 * uniform in the hypercube |δ_k| ≤ r; per point ‖∇C‖ and every ∂_k C; summaries of ‖∇C‖, of C,
 * of a target component, and Var[∂_k C] per parameter (Welford, no stored gradients).
 */
export type GradientRegion =
  | { readonly kind: 'gaussian'; readonly sigma: number }
  | { readonly kind: 'hypercube'; readonly radius: number };

export function describeRegion(region: GradientRegion): string {
  return region.kind === 'gaussian' ? `Gaussian σ = ${region.sigma.toPrecision(4)}` : `hypercube r = ${region.radius.toPrecision(4)}`;
}

/** out = center + δ with δ drawn from the region. */
export function drawPoint(rng: Rng, center: ArrayLike<number>, region: GradientRegion, out: Float64Array): Float64Array {
  for (let k = 0; k < out.length; k++) {
    const d = region.kind === 'gaussian' ? region.sigma * rng.normal() : region.radius * (2 * rng.next() - 1);
    out[k] = (center[k] as number) + d;
  }
  return out;
}

/** C and ∇C at a point; `errorBound` bounds ‖∇C − returned gradient‖₂ when not exact. */
export interface GradientEvaluation {
  readonly value: number;
  readonly gradient: Float64Array;
  readonly gradientErrorBound?: number;
}

/** Evaluates C and ∇C at an absolute parameter point. */
export type GradientEvaluator = (point: Float64Array) => GradientEvaluation;

/** Exact adjoint gradients by state-vector simulation. */
export function exactGradientEvaluator(
  circuit: Circuit, observable: Observable, options: { initialState?: InitialState; maxQubits?: number } = {},
): GradientEvaluator {
  return (point) => expectationAndGradient(circuit, point, observable, options);
}

/**
 * Exact gradients of a circuit with noise channels: the density-matrix simulator's adjoint pass
 * through the channels (simulators/density). `maxQubits` is its qubit cap; the memory limit bounds
 * its stored matrices (fewer stored means more recomputation, and below four matrices a clear
 * ResourceLimitError).
 */
export function densityGradientEvaluator(
  circuit: Circuit, observable: Observable, options: { initialState?: InitialState; maxQubits?: number } = {},
): GradientEvaluator {
  return (point) => {
    const r = densityExpectationAndGradient(circuit, point, observable, options);
    return { value: r.value, gradient: r.gradient };
  };
}

/** Euclidean norm of a vector. */
export function l2Norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
}

/** Summaries of ‖∇C‖₂, C and the per-parameter variances over the sampled points. */
export interface GradientStatistics {
  readonly samples: number;
  /** ‖∇C‖₂ over the samples. */
  readonly norm: Summary;
  /** C over the samples. */
  readonly value: Summary;
  /** ∂_k C of the target parameter, with its variance; null without a target. */
  readonly target: (Summary & { readonly variance: number }) | null;
  /** Var[∂_k C] per parameter, summarised over k (mean is the usual barren-plateau measure). */
  readonly componentVariance: { readonly mean: number; readonly min: number; readonly max: number };
  /** Largest stated bound on ‖∇C − ∇C_engine‖₂ over the samples (0 when exact). */
  readonly maxGradientErrorBound: number;
}

/**
 * Collects samples of (C, ∇C). The target may differ per sample (random targets); its component
 * is passed explicitly. Per-parameter variances assume a common parameter count.
 */
export class GradientAccumulator {
  private readonly norms: number[] = [];
  private readonly values: number[] = [];
  private readonly targets: number[] = [];
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private count = 0;
  private maxBound = 0;

  constructor(readonly numParameters: number) {
    this.mean = new Float64Array(numParameters);
    this.m2 = new Float64Array(numParameters);
  }

  add(evaluation: GradientEvaluation, targetComponent?: number): void {
    const g = evaluation.gradient;
    this.norms.push(l2Norm(g));
    this.values.push(evaluation.value);
    if (targetComponent !== undefined) this.targets.push(targetComponent);
    this.maxBound = Math.max(this.maxBound, evaluation.gradientErrorBound ?? 0);
    this.count++;
    const n = Math.min(this.numParameters, g.length);
    for (let k = 0; k < n; k++) {
      const x = g[k]!;
      const d = x - this.mean[k]!;
      this.mean[k] = this.mean[k]! + d / this.count;
      this.m2[k] = this.m2[k]! + d * (x - this.mean[k]!);
    }
  }

  /** ‖∇C‖₂ of every sample, in order (for bootstrap verdicts). */
  normSamples(): Float64Array {
    return Float64Array.from(this.norms);
  }

  /** Var[∂_k C] per parameter (unbiased). */
  componentVariances(): Float64Array {
    const out = new Float64Array(this.numParameters);
    if (this.count < 2) return out;
    for (let k = 0; k < this.numParameters; k++) out[k] = this.m2[k]! / (this.count - 1);
    return out;
  }

  statistics(): GradientStatistics {
    const vars = this.componentVariances();
    let sum = 0, min = Infinity, max = -Infinity;
    for (const v of vars) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const t = this.targets.length > 0 ? summarize(this.targets) : null;
    return {
      samples: this.count,
      norm: summarize(this.norms),
      value: summarize(this.values),
      target: t ? { ...t, variance: t.std * t.std } : null,
      componentVariance: { mean: vars.length ? sum / vars.length : 0, min: vars.length ? min : 0, max: vars.length ? max : 0 },
      maxGradientErrorBound: this.maxBound,
    };
  }
}

/** Samples `samples` points of the region around `center` with one evaluator. */
export function sampleGradients(
  evaluator: GradientEvaluator,
  center: ArrayLike<number>,
  region: GradientRegion,
  samples: number,
  rng: Rng,
  target?: number,
): GradientStatistics {
  const acc = new GradientAccumulator(center.length);
  const point = new Float64Array(center.length);
  for (let s = 0; s < samples; s++) {
    const e = evaluator(drawPoint(rng, center, region, point));
    acc.add(e, target === undefined ? undefined : e.gradient[target]);
  }
  return acc.statistics();
}
