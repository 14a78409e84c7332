import { parameterName } from '../ir/parameters.js';
import type { Circuit, Observable } from '../ir/types.js';
import { UserError } from '../ir/errors.js';
import { formatObservable } from '../pauli/observable-text.js';
import type { PhaseDiagram } from '../cost/phase-diagram.js';
import { costToJSON } from '../cost/report.js';
import { TimeBudget, type SkippedItem } from './budget.js';
import { centerSection, topComponents } from './center.js';
import { circuitInfo, type CircuitInfo } from './circuit-info.js';
import { landscapeSection, type LandscapeSection } from './landscape.js';
import { parseSigmas, simulabilitySection, type BuildRecord } from './simulability.js';
import { verdicts, type Verdict } from './summary.js';
import { trainabilitySection, type GradientCell, type GradientVariant, type SweepSection } from './trainability.js';

/**
 * `nearclifford analyze`: the whole analysis of one circuit around one Clifford center, spending a
 * time budget in order of cost: the circuit and its light cones, the exact value and gradient at
 * the center and the LCE there (always; they are cheap at any size), then the measured simulability
 * (surrogate ladder, paths, propagation), the gradient statistics, the landscape, leaving a reserve
 * for writing the report. What did not fit is listed in `notDone`, with the prediction that ruled
 * it out. Every number the report shows is in the returned data (report.json).
 */
export const DEFAULT_SIGMAS = ['1/D', 'D^-0.5', 'D^(-1/3)', 'D^-0.2', '1'];
export const DEFAULT_EPS = 1e-3;
export const DEFAULT_TIME_BUDGET = 60;

/** What `runAnalysis` analyses: one circuit, one observable, a Clifford center and the regions around it. */
export interface AnalyzeInput {
  readonly circuit: Circuit;
  readonly observable: Observable;
  readonly center: Float64Array;
  /** How the center was given (`zero`, `random-clifford:3`, a file). */
  readonly centerText: string;
  readonly file: string;
  readonly sigmas?: readonly string[];
  readonly eps?: number;
  readonly timeBudget?: number;
  /** Verdicts from the LCE-encoded circuit's gradients. */
  readonly lce?: boolean;
  /** A family over sizes for decay fits and barren-plateau verdicts (`FAMILY:SIZES:LAYERS`). */
  readonly sweep?: {
    readonly spec: string;
    readonly sizes: readonly number[];
    /** The family's circuit with N qubits. */
    build(N: number): Circuit;
    /** The observable measured at size N. */
    observable(N: number): Observable;
  };
  readonly seed?: number;
  /** Largest qubit count for exact state-vector work (gradients, landscape). */
  readonly exactMaxQubits?: number;
  /** Seconds held back for writing the report and rendering its plots. */
  readonly reserveSeconds?: number;
  /** Called with the name of each section as it starts. */
  onProgress?(text: string): void;
}

export interface SigmaRow {
  readonly sigma: string;
  readonly sigmaValue: number;
  readonly regime: string;
  readonly regimeReason: string;
  readonly pointExponent: number | null;
  readonly order: number;
  readonly orderAtMean: number;
  readonly bound: number;
  readonly certifiedOrder: number | null;
  readonly certifiedBound: number | null;
  readonly certifiedBuild: BuildRecord | null;
  readonly predictedSeconds: number | null;
  readonly parameterShift: { readonly exact: number | string | null; readonly log10: number | null };
  readonly paths: { readonly maxSins: number; readonly measured: BuildRecord | null; readonly note: string };
  readonly propagation: { readonly measured: unknown; readonly note: string };
  readonly cost: Record<string, unknown>;
}

export interface AnalysisData {
  readonly format: 'nearclifford-analysis';
  readonly version: 1;
  readonly input: {
    readonly file: string; readonly observable: string; readonly observableText: string; readonly center: string;
    readonly sigmas: readonly string[]; readonly eps: number; readonly timeBudgetSeconds: number; readonly lce: boolean;
    readonly sweep: string | null; readonly seed: number; readonly exactMaxQubits: number;
  };
  readonly summary: readonly Verdict[];
  readonly sigmas: readonly string[];
  readonly eps: number;
  readonly circuit: Omit<CircuitInfo, 'layers'>;
  readonly parameterNames: readonly string[];
  readonly center: {
    readonly engine: string; readonly value: number; readonly gradient: readonly number[]; readonly gradientNorm: number;
    readonly nonzero: number; readonly seconds: number; readonly top: readonly { name: string; value: number }[];
    readonly lce: Record<string, unknown>;
    readonly lceGradient: readonly number[] | null;
    readonly conclusion: string;
  };
  readonly simulability: readonly SigmaRow[];
  readonly taylorBuilds: readonly BuildRecord[];
  readonly ladderNote: string;
  readonly phase: PhaseDiagram;
  readonly trainability: { readonly randomCircuitRms: number; readonly cells: readonly (Omit<GradientCell, 'sigma'> & { sigma: string; sigmaValue: number })[]; readonly sweep: SweepSection | null };
  readonly landscape: LandscapeSection;
  readonly notDone: readonly SkippedItem[];
  readonly timing: { readonly sections: Record<string, number>; readonly totalSeconds: number };
  readonly conclusions: Record<string, string>;
}

/** The analysis: every number the report shows (`data`, written as report.json), the diagram's layers and the spent budget. */
export interface AnalysisResult {
  readonly data: AnalysisData;
  /** ASAP layer per gate, for the diagram. */
  readonly layers: Int32Array;
  readonly budget: TimeBudget;
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}

/**
 * Answers the two questions about one circuit within a time budget: is it trainable around the
 * center (gradient statistics with and without the LCE), and is it classically simulable there, at
 * what cost (certified Taylor orders, surrogate and propagation sizes, the regime per σ)? Cheap exact
 * steps run first, measured builds while they fit, predictions after; what did not fit is listed.
 * @example
 * const result = runAnalysis({ circuit, observable, center: new Float64Array(circuit.numParameters),
 *   centerText: 'zero', file: 'mhea-4.ncl', timeBudget: 20 });
 * await writeReport('out/report', circuit, result);
 */
export function runAnalysis(input: AnalyzeInput): AnalysisResult {
  const { circuit, observable, center } = input;
  const sigmaTexts = input.sigmas ?? DEFAULT_SIGMAS;
  const eps = input.eps ?? DEFAULT_EPS;
  if (!(eps > 0) || !Number.isFinite(eps)) throw new UserError(`--eps must be a positive number, got ${eps}`);
  const total = input.timeBudget ?? DEFAULT_TIME_BUDGET;
  if (!(total > 0) || !Number.isFinite(total)) throw new UserError(`--time-budget must be a positive number of seconds, got ${total}`);
  const seed = input.seed ?? 0;
  const exactMaxQubits = input.exactMaxQubits ?? 20;
  const budget = new TimeBudget(total);
  // Writing the page and rendering ~11 plots to SVG and PNG takes a few seconds on its own
  // (vega's first load ~1.5 s, then 0.3–0.75 s per plot on a busy 2-core machine).
  const reserve = input.reserveSeconds ?? Math.min(total * 0.35, 1.5 + 0.75 * 11);
  const timing: Record<string, number> = {};
  const timed = <T>(name: string, f: () => T): T => {
    const t0 = performance.now();
    input.onProgress?.(name);
    try {
      return f();
    } finally {
      timing[name] = (performance.now() - t0) / 1000;
    }
  };
  const sigmas = parseSigmas(sigmaTexts, circuit.numParameters);

  const info = timed('circuit', () => circuitInfo(circuit, observable, center));
  const centerSec = timed('center', () => centerSection(circuit, observable, center, exactMaxQubits));
  const lceTarget = centerSec.lce.applied
    ? { index: centerSec.lce.result.target, name: centerSec.lce.result.targetName, circuit: centerSec.lce.result.circuit }
    : null;
  const analysed = input.lce && centerSec.lce.applied ? centerSec.lce.result.circuit : circuit;

  const sim = timed('simulability', () =>
    simulabilitySection(analysed, observable, center, sigmas, eps, budget.section('simulability', 0.35, reserve), seed));
  // Beyond the exact engine each gradient cell builds a Taylor surrogate: allow the highest order whose
  // measured ladder build, repeated for every cell (two pilots and the run), fits half the section.
  const cellsToRun = sigmas.length * (lceTarget ? 2 : 1) * 3 + (input.sweep ? 3 : 0);
  const trainSeconds = Math.max(0, budget.remaining() - reserve) * 0.7;
  let surrogateMaxOrder = 1;
  for (const b of sim.taylorBuilds) if (b.truncation >= 1 && b.truncation <= 12 && b.seconds * cellsToRun <= 0.5 * trainSeconds) surrogateMaxOrder = b.truncation;
  const train = timed('trainability', () => trainabilitySection({
    circuit, observable, center, sigmas, lceTarget: lceTarget?.index ?? null, variant: 'paper',
    exactMaxQubits, surrogateMaxOrder, eps, seed,
    ...(input.sweep ? { sweep: { ...input.sweep, variant: (input.lce ? 'lce' : 'plain') as GradientVariant } } : {}),
  }, budget.section('trainability', 0.7, reserve)));
  const land = timed('landscape', () =>
    landscapeSection(analysed, observable, center, sim.surrogates, lceTarget, exactMaxQubits, seed + 1, budget.section('landscape', 0.9, reserve)));
  const summary = verdicts(sim.perSigma, train.cells, train.sweep, input.lce === true && centerSec.lce.applied, eps, lceGuarantee(circuit, observable, centerSec.lce.applied));
  if (input.lce && !centerSec.lce.applied) {
    budget.skip('trainability', 'verdicts with LCE', `the LCE does not apply here (${(centerSec.lce as { reason: string }).reason}); verdicts use the circuit's own gradients`);
  }

  const D = circuit.numParameters;
  const names = Array.from({ length: D }, (_, k) => parameterName(circuit.parameters, k));
  const p = centerSec.point;
  const lceInfo: Record<string, unknown> = centerSec.lce.applied
    ? {
      applied: true,
      target: centerSec.lce.result.target,
      targetName: centerSec.lce.result.targetName,
      sign: centerSec.lce.result.sign,
      term: centerSec.lce.result.termText,
      gatesAdded: centerSec.lce.gatesAdded,
      value: centerSec.lce.point.value,
      gradientNorm: centerSec.lce.point.gradientNorm,
      nonzero: centerSec.lce.point.nonzero,
      nonUnitComponents: centerSec.lce.result.verification.nonUnitComponents.length,
    }
    : { applied: false, reason: centerSec.lce.reason };
  const rows: SigmaRow[] = sim.perSigma.map((s) => ({
    sigma: s.sigma.text,
    sigmaValue: s.sigma.sigma,
    regime: s.estimate.regime.regime,
    regimeReason: s.estimate.regime.reason,
    pointExponent: s.estimate.regime.pointExponent !== null && Number.isFinite(s.estimate.regime.pointExponent) ? s.estimate.regime.pointExponent : null,
    order: s.estimate.order,
    orderAtMean: s.estimate.orderAtMean ?? s.estimate.order,
    bound: s.estimate.bound,
    certifiedOrder: s.certified?.order ?? null,
    certifiedBound: s.certified?.bound ?? null,
    certifiedBuild: s.certified?.build ?? null,
    predictedSeconds: s.predictedBuildSeconds !== null && Number.isFinite(s.predictedBuildSeconds) ? s.predictedBuildSeconds : null,
    parameterShift: { exact: s.estimate.parameterShiftEvaluations.exact, log10: Number.isFinite(s.estimate.parameterShiftEvaluations.log10) ? s.estimate.parameterShiftEvaluations.log10 : null },
    paths: { maxSins: s.estimate.paths.maxSins, measured: s.paths.measured, note: s.paths.note },
    propagation: s.propagation,
    cost: costToJSON(s.estimate),
  }));
  const { layers, ...circuitData } = info;
  const lceG = centerSec.lce.applied ? Array.from(centerSec.lce.point.gradient) : null;
  const data: AnalysisData = {
    format: 'nearclifford-analysis',
    version: 1,
    input: {
      file: input.file, observable: observable.name, observableText: formatObservable(observable), center: input.centerText,
      sigmas: sigmaTexts, eps, timeBudgetSeconds: total, lce: input.lce === true, sweep: input.sweep?.spec ?? null, seed, exactMaxQubits,
    },
    summary,
    sigmas: sigmaTexts,
    eps,
    circuit: circuitData,
    parameterNames: names,
    center: {
      engine: p.engine, value: p.value, gradient: Array.from(p.gradient), gradientNorm: p.gradientNorm, nonzero: p.nonzero, seconds: p.seconds,
      top: topComponents(circuit, p.gradient, 10),
      lce: lceInfo,
      lceGradient: lceG,
      conclusion: '',
    },
    simulability: rows,
    taylorBuilds: sim.taylorBuilds,
    ladderNote: sim.ladderNote,
    phase: sim.phase,
    trainability: {
      randomCircuitRms: train.randomCircuitRms,
      cells: train.cells.map((c) => ({ ...c, sigma: c.sigma.text, sigmaValue: c.sigma.sigma })),
      sweep: train.sweep,
    },
    landscape: land,
    notDone: budget.skipped,
    timing: { sections: timing, totalSeconds: budget.elapsed() },
    conclusions: {},
  };
  const withConclusions = { ...data, conclusions: conclusions(data), center: { ...data.center, conclusion: '' } };
  withConclusions.center.conclusion = withConclusions.conclusions.center!;
  void round;
  return { data: withConclusions, layers, budget };
}

/** The LCE guarantee's conditions (summary.ts): one Pauli term, every parameter one rotation with slope ±1. */
function lceGuarantee(circuit: Circuit, observable: Observable, applied: boolean): ((sigma: number) => number) | null {
  if (!applied) return null;
  const terms = observable.terms.filter((t) => t.pauli.qubits.length > 0);
  if (terms.length !== 1) return null;
  const uses = new Int32Array(circuit.numParameters);
  for (const g of circuit.gates) {
    if (g.kind !== 'rotation') continue;
    if (g.angle.terms.length > 1) return null;
    for (const t of g.angle.terms) {
      if (Math.abs(t.coeff) !== 1) return null;
      uses[t.param]!++;
    }
  }
  if (uses.some((u) => u !== 1)) return null;
  const c = Math.abs(terms[0]!.coeff);
  const D = circuit.numParameters;
  return (sigma) => c * Math.exp((-sigma * sigma * D) / 2);
}

/** One sentence per section, in plain words, shown above its figures. */
export function conclusions(d: AnalysisData): Record<string, string> {
  const c = d.circuit;
  const maxCone = Math.max(0, ...c.lightCones.map((l) => l.qubits));
  const circuit = `${c.qubits} qubits, ${c.gates} gates in depth ${c.depth}, ${c.parameters} parameters` +
    `${c.sharedParameters.length ? ` (${c.sharedParameters.length} shared by several gates)` : ''}` +
    `${c.fixedNonClifford.length ? `, ${c.fixedNonClifford.length} rotations non-Clifford at the center` : ''}; ` +
    `the observable's ${c.observableTerms} term(s) see at most ${maxCone} of the ${c.qubits} qubits through their light cones.`;
  const lce = d.center.lce;
  const center = `At the center C(θ*) = ${fmt(d.center.value)} and ‖∇C(θ*)‖ = ${fmt(d.center.gradientNorm)} with ${d.center.nonzero} of ${c.parameters} components nonzero (exact, ${d.center.engine})` +
    (lce.applied
      ? `; the LCE (target ${lce.targetName}, ${lce.gatesAdded} Clifford gates added) makes it ${fmt(lce.gradientNorm as number)} with ${lce.nonzero} nonzero components.`
      : `; the LCE does not apply (${lce.reason}).`);
  const simulable = d.summary.filter((v) => v.kind === 'simulable').map((v) => v.sigma);
  const simulability = simulable.length === d.sigmas.length
    ? `Every σ has a certified Taylor surrogate within the budget (ε = ${d.eps}).`
    : simulable.length > 0
      ? `A certified Taylor surrogate (ε = ${d.eps}) was built for σ = ${simulable.join(', ')}; wider regions need orders that did not fit the budget (${d.ladderNote}).`
      : `No σ got a certified Taylor surrogate within the budget (ε = ${d.eps}; ${d.ladderNote}).`;
  const vanishing = d.summary.filter((v) => v.kind === 'vanishing-gradients' || v.kind === 'barren-plateau').map((v) => v.sigma);
  const cells = d.trainability.cells;
  const lceBetter = d.sigmas.filter((s) => {
    const a = cells.find((x) => x.sigma === s && x.variant === 'plain');
    const b = cells.find((x) => x.sigma === s && x.variant === 'lce');
    return a && b && b.ci95[0] > a.ci95[1];
  });
  const trainability = cells.length === 0
    ? 'No gradient statistics fitted the budget.'
    : `${vanishing.length ? `Gradients vanish (random-circuit level or exponential decay) for σ = ${vanishing.join(', ')}` : 'Gradients do not vanish at the random-circuit level for any σ'}` +
      `${lceBetter.length ? `; the LCE raises them significantly for σ = ${lceBetter.join(', ')}` : ''}.`;
  const L = d.landscape;
  const landscape = L.cuts.length === 0
    ? 'No landscape could be drawn within the budget.'
    : `${L.directions.length} cuts through the center over a quarter turn, ${L.exact ? 'exact' : 'without an exact reference'}${L.orders.length ? ` against Taylor surrogates of order ${L.orders.join(', ')} with their bounds` : ''}${L.note ? ` (${L.note})` : ''}.`;
  const summary = d.summary.map((v) => `σ = ${v.sigma}: ${v.text}`).join('; ') + '.';
  return { summary, circuit, center, simulability, trainability, landscape };
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}
