import { fastCheck } from './fast-check.js';
import { DEFAULT_TAIL_PROBABILITY, type Region } from '../bounds/order.js';
import { ResourceLimitError, UserError } from '../ir/errors.js';
import { secondsLeft, timeLimitReached } from '../memory/time.js';
import { ZERO_STATE, type InitialState } from '../ir/states.js';
import type { Circuit, Observable } from '../ir/types.js';
import { randomCliffordCenter } from '../clifford-point/center.js';
import { AngleForms } from '../surrogate/forms.js';
import type { Claim } from './claim.js';
import {
  buildReference, claimEvaluator, EXACT_REFERENCE_MAX_QUBITS, type ReferenceSpec,
} from './evaluators.js';
import { decodeProbe, probeArbitrary, samplingRegion, type ProbeLatent, type SamplingRegion } from './sampling.js';

/**
 * Property-testing a simulability claim on the user's circuit with fast-check: every sample is a
 * probe (a point of the region plus a few points of a small sub-region around it, see
 * sampling.ts); at each point the claimed approximation is compared with the reference. With
 * reference value R ± u (u: the reference's rigorous error bound) and claimed value A, a point
 *  - refutes the claim when |A − R| > ε + u (certainly wrong by more than ε),
 *  - supports it when |A − R| + u ≤ ε,
 *  - is undecided otherwise (the reference is not accurate enough there).
 * Phase 1 evaluates all `samples` probes (worst error, counts); if some point refuted the claim,
 * phase 2 replays the same seed with a failing predicate so fast-check shrinks the first refuting
 * probe toward the center, giving a minimal counterexample and the path to replay it.
 */
export type Verdict = 'held' | 'refuted' | 'undecided';

/** Options of {@link checkClaim}: sample count, seed and replay path, center, reference engine, budgets. */
export interface CheckOptions {
  /** Number of probes (default 100). */
  samples?: number;
  /** fast-check seed (default: drawn at random and reported). */
  seed?: number;
  /** fast-check replay path of a previous counterexample (with its seed). */
  path?: string;
  /** Extra points per probe in a small sub-region around it (default 3). */
  subRegionPoints?: number;
  /** Expansion point; default from the claim's `center=`, else all zeros. */
  center?: Float64Array;
  initialState?: InitialState;
  reference?: ReferenceSpec;
  /** The `auto` reference is exact up to this many qubits (default 24). */
  exactMaxQubits?: number;
  /** Term budget of the surrogate builds and propagations. */
  maxTerms?: number;
  /** Time budget for shrinking a counterexample (default 10 s); the best one so far is reported. */
  shrinkSeconds?: number;
  /** Called after each probe of phase 1. */
  onProgress?: (done: number, total: number) => void;
  /** Called during the surrogate builds (claim and reference) after each gate. */
  onBuildProgress?: (what: string, done: number, total: number, liveTerms: number) => void;
  /**
   * Phase 1 computed elsewhere (e.g. by worker threads over batches of `sampleProbes`): its counts
   * and worst point are used as they are, and only shrinking (phase 2) runs here.
   */
  phaseOne?: PhaseOneResult;
}

/** The outcome of evaluating a list of probes (phase 1, or one batch of it). */
export interface PhaseOneResult {
  readonly pointsEvaluated: number;
  readonly refutedPoints: number;
  readonly undecidedPoints: number;
  /** The first point with the largest error. */
  readonly worst: PointResult | null;
}

/** The probes phase 1 evaluates, in order: fast-check's sequence for this seed, without evaluating. */
export function sampleProbes(numParameters: number, subRegionPoints: number, seed: number, samples: number): ProbeLatent[] {
  const fc = fastCheck();
  const probes: ProbeLatent[] = [];
  fc.check(fc.property(probeArbitrary(numParameters, subRegionPoints), (p) => {
    probes.push(p);
    return true;
  }), { seed, numRuns: samples });
  return probes;
}

/** Combines batch results in batch order (ties keep the earlier worst point, as one pass would). */
export function mergePhaseOne(parts: readonly PhaseOneResult[]): PhaseOneResult {
  let worst: PointResult | null = null;
  for (const p of parts) if (p.worst && (worst === null || p.worst.error > worst.error)) worst = p.worst;
  return {
    pointsEvaluated: parts.reduce((a, p) => a + p.pointsEvaluated, 0),
    refutedPoints: parts.reduce((a, p) => a + p.refutedPoints, 0),
    undecidedPoints: parts.reduce((a, p) => a + p.undecidedPoints, 0),
    worst,
  };
}

/**
 * Evaluates probes with the claim's and the reference's evaluators, as phase 1 of `checkClaim`
 * does; `checkClaim` with `phaseOne` then takes over. The options must be those of that call.
 */
export function evaluateProbes(circuit: Circuit, observable: Observable, claim: Claim, options: CheckOptions, probes: readonly ProbeLatent[]): PhaseOneResult {
  const c = prepare(circuit, observable, claim, options);
  // The calling checkClaim reports the early verdict itself; nothing to evaluate here.
  if (c.early) return { pointsEvaluated: 0, refutedPoints: 0, undecidedPoints: 0, worst: null };
  let refutedPoints = 0, undecidedPoints = 0;
  for (const p of probes) {
    for (const delta of decodeProbe(c.region, p)) {
      const r = c.evaluatePoint(delta);
      if (r.verdict === 'refuted') refutedPoints++;
      else if (r.verdict === 'undecided') undecidedPoints++;
    }
  }
  return { pointsEvaluated: c.points(), refutedPoints, undecidedPoints, worst: c.worst() };
}

function prepare(circuit: Circuit, observable: Observable, claim: Claim, options: CheckOptions) {
  const center = centerFor(claim, circuit, options.center);
  const forms = AngleForms.fromCircuit(circuit);
  const region = samplingRegion(claim.region, forms);
  const ctx = {
    circuit, observable, center, initialState: options.initialState ?? ZERO_STATE, maxTerms: options.maxTerms,
    onBuildProgress: options.onBuildProgress,
  };
  const warnings: string[] = [];
  // A check that cannot compare anything: the claim or every reference exceeds the limits.
  const early = (approximation: string, reference: string, reason: string) => ({ early: { approximation, reference, reason }, center, region, warnings } as const);
  let approx;
  try {
    approx = claimEvaluator(claim, ctx);
  } catch (e) {
    if (!(e instanceof ResourceLimitError)) throw e;
    return early('(not built)', '(not built)', `the claimed approximation could not be built within the limits: ${e.message}`);
  }
  const built = buildReference(claim, ctx, options.reference ?? { kind: 'auto' }, region.extent, options.exactMaxQubits ?? EXACT_REFERENCE_MAX_QUBITS);
  if (built.reference === null) return early(approx.description, '(none fits)', built.reason!);
  if (built.loosened) warnings.push(built.loosened);
  const reference = built.reference;
  const D = circuit.numParameters;
  const theta = new Float64Array(D);
  let pointsEvaluated = 0;
  let worst: PointResult | null = null;
  const evaluatePoint = (delta: Float64Array): PointResult => {
    for (let k = 0; k < D; k++) theta[k] = center[k]! + delta[k]!;
    const a = approx.evaluate(theta);
    const r = reference.evaluate(theta);
    pointsEvaluated++;
    const error = Math.abs(a.value - r.value);
    const verdict: Verdict = error > claim.eps + r.bound ? 'refuted' : error + r.bound <= claim.eps ? 'held' : 'undecided';
    let deltaL1 = 0;
    for (let k = 0; k < D; k++) deltaL1 += Math.abs(delta[k]!);
    const result: PointResult = {
      theta: Float64Array.from(theta), delta: Float64Array.from(delta), deltaL1, angleL1: forms.displacementL1(delta),
      approximation: a.value, reference: r.value, error, referenceBound: r.bound, claimBound: a.bound, verdict,
    };
    if (worst === null || error > worst.error) worst = result;
    return result;
  };
  return {
    early: null, center, forms, region, approx, reference, D, evaluatePoint, warnings,
    points: () => pointsEvaluated,
    worst: () => worst,
    setWorst: (w: PointResult | null) => {
      worst = w;
    },
  };
}

/** One evaluated point. */
export interface PointResult {
  /** Absolute parameters θ = θ* + δ (flat). */
  readonly theta: Float64Array;
  readonly delta: Float64Array;
  /** ‖δ‖₁ and ‖Aδ‖₁ (gate-angle displacement). */
  readonly deltaL1: number;
  readonly angleL1: number;
  readonly approximation: number;
  readonly reference: number;
  /** |approximation − reference|. */
  readonly error: number;
  /** The reference's rigorous error bound at this point. */
  readonly referenceBound: number;
  /** The claimed approximation's own rigorous bound at this point (surrogates; propagation: dropped weight). */
  readonly claimBound: number;
  readonly verdict: Verdict;
}

/** The outcome of {@link checkClaim}: verdict, worst error, shrunk counterexample and the seed to replay it. */
export interface CheckResult {
  readonly claim: Claim;
  readonly status: Verdict;
  readonly seed: number;
  readonly samples: number;
  /** Points evaluated over the samples (probes × (1 + sub-region points)), shrinking not counted. */
  readonly pointsEvaluated: number;
  readonly refutedPoints: number;
  readonly undecidedPoints: number;
  /** The point with the largest |approximation − reference| of all evaluated (samples and shrinking). */
  readonly worst: PointResult | null;
  /**
   * The shrunk refutation, or null: fast-check's shrunk probe (replayable by seed and path), its
   * worst refuting point δ, then moved toward the center along its ray to the smallest refuting
   * multiple λ·δ (found by bisection; `radialFactor` = λ; always a verified refuting point).
   */
  readonly counterexample: (PointResult & { readonly shrinks: number; readonly path: string; readonly radialFactor: number }) | null;
  readonly region: {
    readonly kind: SamplingRegion['kind'];
    readonly text: string;
    readonly scale: number;
    readonly tail: number | null;
    readonly extent: number;
    readonly box: number;
  };
  readonly center: Float64Array;
  readonly approximation: string;
  readonly reference: string;
  /** The claimed surrogate's own rigorous bound over the region (null for propagation claims). */
  readonly regionBound: number | null;
  readonly seconds: number;
  /**
   * Why the check could not decide everywhere it looked (the reference did not fit the memory or
   * time limit, the time limit stopped sampling, …); null when the verdict needs no explanation.
   */
  readonly reason: string | null;
  /** Hollow-answer warnings (a loosened reference, a claim bound above |value|, …). */
  readonly warnings: readonly string[];
}

const DEFAULT_SAMPLES = 100;
const DEFAULT_SUB_REGION_POINTS = 3;
const DEFAULT_SHRINK_SECONDS = 10;

function centerFor(claim: Claim, circuit: Circuit, given: Float64Array | undefined): Float64Array {
  if (given) {
    if (given.length !== circuit.numParameters) throw new UserError(`the center has ${given.length} values, the circuit ${circuit.numParameters} parameters`);
    return given;
  }
  const c = claim.center;
  if (c === null || c === 'zero') return new Float64Array(circuit.numParameters);
  const m = /^random-clifford(?::(\d+))?$/.exec(c);
  if (!m) throw new UserError(`unknown center '${c}'`);
  return randomCliffordCenter(circuit.numParameters, m[1] === undefined ? 0 : Number(m[1]));
}

/**
 * Tests `claim` on `circuit` / `observable` by seeded property testing against a more accurate
 * reference (see the module comment for the decision rule). Throws a UserError for claims the
 * circuit cannot meet (unknown center, too many qubits for an exact reference).
 *
 * @example
 * ```ts
 * const r = checkClaim(circuit, observable, parseClaim('order=8 eps=1e-6 sigma=1/D'), { samples: 20, seed: 1 });
 * r.status; // 'held' | 'refuted' | 'undecided'
 * ```
 */
export function checkClaim(circuit: Circuit, observable: Observable, claim: Claim, options: CheckOptions = {}): CheckResult {
  const t0 = performance.now();
  const samples = options.samples ?? DEFAULT_SAMPLES;
  if (!Number.isInteger(samples) || samples < 1) throw new UserError(`the number of samples must be a positive integer, got ${samples}`);
  const subPoints = options.subRegionPoints ?? DEFAULT_SUB_REGION_POINTS;
  if (!Number.isInteger(subPoints) || subPoints < 0) throw new UserError(`sub-region points must be an integer ≥ 0, got ${subPoints}`);
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  if (!Number.isInteger(seed)) throw new UserError(`the seed must be an integer, got ${seed}`);
  const prep = prepare(circuit, observable, claim, options);
  const { center, region, warnings } = prep;
  const regionInfo = { kind: region.kind, text: claim.region.text, scale: region.scale, tail: region.tail, extent: region.extent, box: region.box };
  if (prep.early) {
    return {
      claim, status: 'undecided', seed, samples: 0, pointsEvaluated: 0, refutedPoints: 0, undecidedPoints: 0, worst: null,
      counterexample: null, region: regionInfo, center, approximation: prep.early.approximation, reference: prep.early.reference,
      regionBound: null, seconds: (performance.now() - t0) / 1000, reason: prep.early.reason, warnings,
    };
  }
  const { approx, reference, D, evaluatePoint } = prep;
  const evaluateProbe = (p: ProbeLatent): PointResult[] => decodeProbe(region, p).map(evaluatePoint);
  const fc = fastCheck();
  const arb = probeArbitrary(D, subPoints);
  let refutedPoints = 0;
  let undecidedPoints = 0;
  const record = (p: ProbeLatent) => {
    for (const r of evaluateProbe(p)) {
      if (r.verdict === 'refuted') refutedPoints++;
      else if (r.verdict === 'undecided') undecidedPoints++;
    }
  };
  /** The probe's worst refuting point, moved toward the center. */
  const refutation = (p: ProbeLatent, shrinks: number, path: string): NonNullable<CheckResult['counterexample']> | null => {
    const bad = evaluateProbe(p).filter((r) => r.verdict === 'refuted');
    if (bad.length === 0) return null;
    const pick = bad.reduce((x, y) => (y.error > x.error ? y : x));
    const { point, factor } = radialShrink(pick, evaluatePoint);
    return { ...point, shrinks, path, radialFactor: factor };
  };

  let counterexample: CheckResult['counterexample'] = null;
  let sampledPoints: number;
  let stopReason: string | null = null;
  let probes = samples;
  if (options.path !== undefined) {
    // Replay: fetch the probe at the path (the first value tried there), then evaluate it alone.
    const slot: { probe: ProbeLatent | null } = { probe: null };
    fc.check(fc.property(arb, (p) => ((slot.probe = p), false)), { seed, path: options.path, endOnFailure: true });
    const captured = slot.probe;
    if (captured === null) throw new UserError(`\`path\` '${options.path}' does not lead to a probe of seed ${seed}`);
    record(captured);
    probes = 1;
    sampledPoints = prep.points();
    counterexample = refutation(captured, 0, options.path);
  } else {
    // Phase 1: every probe, recording (unless computed elsewhere); the time limit or an evaluation
    // past the memory limit ends it early with the probes finished so far.
    const params = { seed, numRuns: samples };
    if (options.phaseOne) {
      refutedPoints = options.phaseOne.refutedPoints;
      undecidedPoints = options.phaseOne.undecidedPoints;
      prep.setWorst(options.phaseOne.worst);
      sampledPoints = options.phaseOne.pointsEvaluated;
    } else {
      let done = 0;
      const recorded = fc.check(
        fc.property(arb, (p) => {
          if (stopReason !== null || timeLimitReached()) return true;
          try {
            record(p);
          } catch (e) {
            if (!(e instanceof ResourceLimitError)) throw e;
            stopReason = `a point could not be evaluated within the limits after ${done} of ${samples} probes: ${e.message}`;
            return true;
          }
          done++;
          options.onProgress?.(done, samples);
          return true;
        }),
        params,
      );
      if (recorded.failed) throw (recorded.errorInstance as Error) ?? new Error('fast-check run failed');
      if (stopReason === null && done < samples) stopReason = `the time limit stopped sampling after ${done} of ${samples} probes`;
      probes = done;
      sampledPoints = prep.points();
    }
    // Phase 2: the same seed with a failing predicate, so fast-check shrinks the first refuting
    // probe. Past the time budget every further shrink candidate passes unevaluated, ending it.
    if (refutedPoints > 0) {
      const deadline = performance.now() + 1000 * Math.min(options.shrinkSeconds ?? DEFAULT_SHRINK_SECONDS, secondsLeft());
      let failures = 0;
      const run = fc.check(
        fc.property(arb, (p) => {
          if (failures > 0 && performance.now() > deadline) return true;
          for (const delta of decodeProbe(region, p)) {
            if (evaluatePoint(delta).verdict === 'refuted') {
              failures++;
              return false;
            }
          }
          return true;
        }),
        params,
      );
      if (run.failed && run.counterexample) counterexample = refutation(run.counterexample[0], run.numShrinks, run.counterexamplePath ?? '');
    }
  }
  // A refutation is final however the run ended; "held" needs every planned probe.
  const status: Verdict = refutedPoints > 0 ? 'refuted' : undecidedPoints > 0 || stopReason !== null ? 'undecided' : 'held';
  const regionBound = approx.regionBound ? approx.regionBound(region.extent, boundRegion(region)) : null;
  let reason: string | null = stopReason;
  if (reason === null && undecidedPoints > 0) {
    reason = `the reference is not accurate enough to decide ${undecidedPoints} of ${sampledPoints} points; try --reference exact or a tighter reference`;
  }
  return {
    claim,
    status,
    seed,
    samples: probes,
    pointsEvaluated: sampledPoints,
    refutedPoints,
    undecidedPoints,
    worst: prep.worst(),
    counterexample,
    region: regionInfo,
    center,
    approximation: approx.description,
    reference: reference.description,
    regionBound,
    seconds: (performance.now() - t0) / 1000,
    reason,
    warnings,
  };
}

/**
 * The smallest λ ∈ [0, 1] (to 2⁻³⁰) whose point λ·δ still refutes, by bisection keeping a refuting
 * upper end; errors need not be monotone along the ray, so this is a refuting point, not a minimum.
 */
function radialShrink(p: PointResult, evaluate: (delta: Float64Array) => PointResult): { point: PointResult; factor: number } {
  const scaled = (f: number) => evaluate(p.delta.map((v) => v * f));
  const atCenter = scaled(0);
  if (atCenter.verdict === 'refuted') return { point: atCenter, factor: 0 };
  let lo = 0, hi = 1, best = p;
  for (let i = 0; i < 30 && hi - lo > 1e-9; i++) {
    const mid = (lo + hi) / 2;
    const r = scaled(mid);
    if (r.verdict === 'refuted') {
      hi = mid;
      best = r;
    } else {
      lo = mid;
    }
  }
  return { point: best, factor: hi };
}

/** The sampled region as the surrogates' bounds take it (ℓ1 balls: none, only ‖Aδ‖₁ is known). */
function boundRegion(r: { kind: string; scale: number; tail?: number | null }): Region | undefined {
  if (r.kind === 'sigma') return { kind: 'gaussian', sigma: r.scale, tailProbability: r.tail ?? DEFAULT_TAIL_PROBABILITY };
  if (r.kind === 'radius') return { kind: 'hypercube', radius: r.scale };
  return undefined;
}
