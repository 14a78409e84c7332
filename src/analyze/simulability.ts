import { DEFAULT_TAIL_PROBABILITY, type Region } from '../bounds/order.js';
import { parseScaleExpression } from '../bounds/scale.js';
import { estimateCost, type CostEstimate } from '../cost/estimate.js';
import { phaseDiagram, type PhaseDiagram } from '../cost/phase-diagram.js';
import { ResourceLimitError, UserError } from '../ir/errors.js';
import type { Circuit, Observable } from '../ir/types.js';
import { propagate } from '../propagation/index.js';
import { createRng } from '../random/rng.js';
import type { Surrogate } from '../surrogate/interface.js';
import { buildPathSurrogate } from '../surrogate/paths-build.js';
import { buildTaylorSurrogate } from '../surrogate/taylor-build.js';
import { DeadlineExceeded, type SectionBudget } from './budget.js';

/**
 * The classical-simulability section, per σ: the a-priori cost estimate (needed order, parameter-shift
 * count, light-cone size bounds, regime), then real builds where the budget allows. Taylor surrogates
 * are built order by order (0, 1, 2, …) up to the largest order any σ needs; each build's time predicts
 * the next one (measured growth ratio, or the monomial-count ratio before two builds exist), and a
 * build that is predicted not to fit, or that reaches the section deadline, ends the ladder. A σ is
 * certified when a built surrogate's own region bound (`regionBound`, which improves as the bounds do)
 * is ≤ ε. Pauli-path surrogates and one truncated numeric propagation per σ are measured the same way.
 */
export interface SigmaSpec {
  /** As written (`1/D`, `D^-0.5`, `0.01`). */
  readonly text: string;
  readonly sigma: number;
}

export interface BuildRecord {
  readonly truncation: number;
  readonly terms: number;
  readonly monomials: number;
  readonly nodes: number;
  readonly peakTerms: number;
  readonly seconds: number;
}

export interface PropagationRecord {
  readonly terms: number;
  readonly peakTerms: number;
  readonly seconds: number;
  readonly minAbs: number;
  /** Σ|c| of the dropped terms: bounds the truncation error at that point. */
  readonly droppedWeight: number;
  readonly value: number;
}

export interface SigmaSimulability {
  readonly sigma: SigmaSpec;
  readonly region: Region;
  readonly estimate: CostEstimate;
  /** Smallest built order whose region bound is ≤ ε, with that bound; null when none was built. */
  readonly certified: { readonly order: number; readonly bound: number; readonly build: BuildRecord } | null;
  /** Predicted seconds of the order-`estimate.order` build when it was not built (log10 when huge). */
  readonly predictedBuildSeconds: number | null;
  readonly paths: { readonly measured: BuildRecord | null; readonly note: string };
  readonly propagation: { readonly measured: PropagationRecord | null; readonly note: string };
}

export interface SimulabilitySection {
  readonly taylorBuilds: readonly BuildRecord[];
  /** Why the ladder stopped where it did. */
  readonly ladderNote: string;
  readonly perSigma: readonly SigmaSimulability[];
  readonly phase: PhaseDiagram;
  /** Built surrogates by order, for the landscape section. */
  readonly surrogates: ReadonlyMap<number, Surrogate>;
}

export function parseSigmas(texts: readonly string[], D: number): SigmaSpec[] {
  // Without parameters every region is the single point θ* (and 1/D has no value): σ = 0.
  if (D === 0) return texts.map((text) => ({ text, sigma: 0 }));
  return texts.map((text) => {
    const sigma = parseScaleExpression(text, '--sigma').at(D);
    if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new UserError(`--sigma '${text}' is ${sigma} at D = ${D}; give a finite width ≥ 0`);
    return { text, sigma };
  });
}

function record(s: Surrogate): BuildRecord {
  const size = s.size();
  return { truncation: s.truncation, terms: size.terms, monomials: size.monomials, nodes: size.nodes, peakTerms: s.meta.peakTerms, seconds: s.meta.buildSeconds };
}

/** Most Taylor surrogates kept alive for the landscape (the largest orders are the interesting ones). */
const KEEP_TERMS = 2_000_000;
/** Builds faster than this are timer noise: predictions use at least this. */
const MIN_SECONDS = 0.002;

export function simulabilitySection(
  circuit: Circuit, observable: Observable, center: Float64Array, sigmas: readonly SigmaSpec[], eps: number,
  budget: SectionBudget, seed: number,
): SimulabilitySection {
  const estimates = sigmas.map((s) => estimateCost({ circuit, observable, center }, { eps, region: { kind: 'sigma', text: circuit.numParameters === 0 ? '0' : s.text } }));
  const regions: Region[] = sigmas.map((s) => ({ kind: 'gaussian', sigma: s.sigma, tailProbability: DEFAULT_TAIL_PROBABILITY }));
  const maxOrder = Math.max(0, ...estimates.map((e) => e.order));
  const coneParams = Math.max(1, ...estimates.map((e) => e.lightCone.parameters));

  // Taylor ladder: the section's first 60% (paths and propagation share the rest).
  const taylorDeadline = budget.seconds * 0.6;
  const builds: BuildRecord[] = [];
  const surrogates = new Map<number, Surrogate>();
  let ladderNote = `built every order up to ${maxOrder}, the largest any σ needs`;
  let predictedNext = 0;
  for (let m = 0; m <= maxOrder; m++) {
    const last = builds[builds.length - 1];
    if (last) {
      const prev = builds[builds.length - 2];
      const monomialRatio = Math.min(50, (coneParams + m) / m);
      const ratio = prev ? Math.min(monomialRatio, Math.max(1.2, Math.max(last.seconds, MIN_SECONDS) / Math.max(prev.seconds, MIN_SECONDS))) : monomialRatio;
      predictedNext = Math.max(last.seconds, MIN_SECONDS) * ratio;
      if (predictedNext > taylorDeadline - budget.elapsed()) {
        budget.budget.skip(budget.name, `Taylor surrogate orders ${m}–${maxOrder}`, `order ${m} predicted to take ${predictedNext.toPrecision(2)} s; the section had ${Math.max(0, taylorDeadline - budget.elapsed()).toPrecision(2)} s left for builds`, predictedNext);
        ladderNote = `stopped before order ${m}: predicted ${predictedNext.toPrecision(2)} s, more than the time left`;
        break;
      }
    }
    const guard = budget.guard(`Taylor order ${m}`);
    const started = budget.elapsed();
    try {
      const s = buildTaylorSurrogate(circuit, observable, {
        order: m, center,
        onProgress: () => {
          guard();
          if (budget.elapsed() > taylorDeadline) throw new DeadlineExceeded(`Taylor order ${m}`, budget.elapsed() - started);
        },
      });
      const r = record(s);
      builds.push(r);
      if (r.terms <= KEEP_TERMS) surrogates.set(m, s);
      // Keep orders ≤ 3 (they show how the series converges) and the last two: memory stays bounded.
      if (m - 2 > 3) surrogates.delete(m - 2);
    } catch (e) {
      if (!(e instanceof DeadlineExceeded || e instanceof ResourceLimitError)) throw e;
      budget.budget.skip(budget.name, `Taylor surrogate order ${m}`, e.message);
      ladderNote = `stopped at order ${m}: ${e.message}`;
      break;
    }
  }
  if (surrogates.size === 0 && builds.length > 0) ladderNote += ' (surrogates too large to keep for the landscape)';

  const lastBuild = builds[builds.length - 1];
  const prevBuild = builds[builds.length - 2];
  const growth = lastBuild && prevBuild ? Math.max(1.2, Math.max(lastBuild.seconds, MIN_SECONDS) / Math.max(prevBuild.seconds, MIN_SECONDS)) : 10;

  const perSigma: SigmaSimulability[] = [];
  const rng = createRng(seed);
  let pathsStopped: string | null = null;
  let propStopped: string | null = null;
  sigmas.forEach((sigma, i) => {
    const estimate = estimates[i]!;
    const region = regions[i]!;
    let certified: SigmaSimulability['certified'] = null;
    for (let m = 0; m < builds.length && !certified; m++) {
      const s = surrogates.get(m);
      // Orders no longer kept: the a-priori bound at that order is what the built surrogate reports too.
      const bound = s ? s.regionBound(region) : m >= estimate.order ? estimate.bound : Infinity;
      if (bound <= eps) certified = { order: m, bound, build: builds[m]! };
    }
    const predictedBuildSeconds = certified || !lastBuild
      ? null
      : Math.max(lastBuild.seconds, MIN_SECONDS) * growth ** Math.max(1, estimate.order - lastBuild.truncation);

    // Pauli paths at the estimated S.
    let paths: SigmaSimulability['paths'];
    const S = estimate.paths.maxSins;
    if (pathsStopped) {
      paths = { measured: null, note: pathsStopped };
    } else {
      const guard = budget.guard(`Pauli-path surrogate S = ${S}`);
      try {
        if (budget.elapsed() >= budget.seconds * 0.85) throw new DeadlineExceeded(`Pauli-path surrogate S = ${S}`, 0);
        const p = buildPathSurrogate(circuit, observable, { maxSins: S, center, onProgress: guard });
        paths = { measured: record(p), note: `built with at most ${S} sin branches per path` };
      } catch (e) {
        if (!(e instanceof DeadlineExceeded || e instanceof ResourceLimitError)) throw e;
        pathsStopped = `not built: S = ${S} or an earlier σ's build did not fit the budget (${e.message})`;
        budget.budget.skip(budget.name, `Pauli-path surrogate for σ = ${sigma.text}`, e.message);
        paths = { measured: null, note: pathsStopped };
      }
    }

    // One numeric propagation at a point of the region: the truncation error is bounded by the dropped weight.
    let propagation: SigmaSimulability['propagation'];
    if (propStopped) {
      propagation = { measured: null, note: propStopped };
    } else {
      const point = Float64Array.from(center, (c) => c + sigma.sigma * rng.normal());
      const minAbs = eps * 1e-2;
      const guard = budget.guard(`propagation at σ = ${sigma.text}`);
      try {
        const r = propagate(circuit, point, observable, { minAbs, onProgress: guard });
        propagation = {
          measured: { terms: r.terms, peakTerms: r.peakTerms, seconds: r.seconds, minAbs, droppedWeight: r.droppedWeight, value: r.value },
          note: `one point drawn from the region, |c| < ${minAbs} dropped`,
        };
      } catch (e) {
        if (!(e instanceof DeadlineExceeded || e instanceof ResourceLimitError)) throw e;
        propStopped = `not run: the propagation at σ = ${sigma.text} did not fit (${e.message}); wider regions cost more`;
        budget.budget.skip(budget.name, `numeric propagation for σ = ${sigma.text} and wider`, e.message);
        propagation = { measured: null, note: propStopped };
      }
    }
    perSigma.push({ sigma, region, estimate, certified, predictedBuildSeconds, paths, propagation });
  });
  return { taylorBuilds: builds, ladderNote, perSigma, phase: phaseDiagram({ quick: true, eps }), surrogates };
}
