import { decayVerdict, type DecayFit } from '../gradients/fits.js';
import { centralValues, type CentralValues } from '../gradients/statistics.js';
import { l2Norm } from '../gradients/sampling.js';
import { parseScaleExpression } from '../bounds/scale.js';
import { randomPauliObservable } from '../random/observables.js';
import { encodeLce } from '../encoder/lce.js';
import { UserError } from '../ir/errors.js';
import { createRng } from '../random/rng.js';
import { expectationAndGradient } from '../simulators/statevector/index.js';
import { markdownTable } from '../reports/markdown.js';
import { seriesPlot } from '../reports/specs.js';
import { writeJson, writePlot, writeText } from '../reports/write.js';
import { s } from '../tasks/schema.js';
import { buildConfig, GRADIENT_CONFIGS, type AnsatzConfig } from './ansatz-configs.js';
import { collectSeries, findSeries, grid, range, type ExperimentDefinition, type Observation, type TaskSpec } from './framework.js';
import { seedFor, type KeyedRecord } from './store.js';

/**
 * Experiment 3 of docs/science.md §6: trainability in the regions around θ* = 0, for the paper's four
 * families (mHEA with L = N and L = 1, fHEA with L = 1, rPQC of depth 5). Each seed is a fresh
 * instance: it draws a random Pauli observable, a random target k, one standard normal direction
 * z and, for rPQC, its own random circuit; for every σ the point is θ = σ·z (common random numbers
 * across σ), and ‖∇C(θ)‖ and ∂_k C are computed exactly (adjoint state vector) for the plain and
 * the LCE circuit. One task is one (family, N, seed) cell.
 */
export interface TrainabilityRecord extends KeyedRecord {
  /** Family id (mhea-deep, mhea-shallow, fhea-shallow, rpqc); absent in records of older runs (mhea-deep). */
  readonly family?: string;
  readonly N: number;
  readonly D: number;
  readonly seed: number;
  readonly target: number;
  readonly results: readonly {
    readonly sigmaLabel: string;
    readonly sigma: number;
    readonly norm: number;
    readonly normLce: number;
    readonly derivative: number;
    readonly derivativeLce: number;
  }[];
  readonly seconds: number;
}

export const TRAINABILITY_SIGMAS: readonly { label: string; text: string }[] = [
  { label: 'σ = D^−1', text: 'D^-1' },
  { label: 'σ = D^−1/2', text: 'D^(-1/2)' },
  { label: 'σ = D^−1/3', text: 'D^(-1/3)' },
  { label: 'σ = D^−1/5', text: 'D^(-1/5)' },
  { label: 'σ = 1', text: '1' },
];

export const TRAINABILITY_FAMILIES = GRADIENT_CONFIGS.map((c) => c.id);

/** Exact state vectors: 2^N amplitudes per gradient; beyond this a run takes hours. */
export const TRAINABILITY_MAX_QUBITS = 24;

export interface TrainabilitySizes {
  readonly maxN: number;
  readonly seeds: number;
}

/**
 * N = 2…16 and 50 seeds (--quick: N ≤ 10, 10 seeds) for every family. The paper takes the shallow
 * families to N = 32, out of reach of exact state-vector gradients; --max-qubits goes up to 24.
 */
export function trainabilitySizes(quick: boolean, maxQubits?: number, seeds?: number): TrainabilitySizes {
  const base = quick ? { maxN: 10, seeds: 10 } : { maxN: 16, seeds: 50 };
  return { maxN: maxQubits ?? base.maxN, seeds: seeds ?? base.seeds };
}

export interface TrainabilityPayload {
  readonly family: string;
  readonly N: number;
  readonly seed: number;
}

const payloadSchema = s.object({
  family: s.oneOf(TRAINABILITY_FAMILIES),
  N: s.int(2, TRAINABILITY_MAX_QUBITS),
  seed: s.int(0, 1_000_000),
});

function configOf(family: string): AnsatzConfig {
  const c = GRADIENT_CONFIGS.find((x) => x.id === family);
  if (!c) throw new UserError(`--family: unknown family '${family}' (one of ${TRAINABILITY_FAMILIES.join(', ')}, all)`);
  return c;
}

/** One (family, N, seed) cell. mHEA L = N keeps the seed stream of earlier versions, so old records resume. */
export function trainabilityRecord(key: string, N: number, seed: number, family = 'mhea-deep'): TrainabilityRecord {
  const t0 = performance.now();
  const config = configOf(family);
  const rng = createRng(family === 'mhea-deep' ? seedFor('trainability', N, seed) : seedFor('trainability', family, N, seed));
  // Only rPQC consumes the circuit seed, but drawing it always keeps the streams alike.
  const circuitSeed = family === 'mhea-deep' ? 0 : rng.int(2 ** 31);
  const circuit = buildConfig(config, N, circuitSeed);
  const D = circuit.numParameters;
  const observable = randomPauliObservable(rng, N);
  const target = rng.int(D);
  const z = Float64Array.from({ length: D }, () => rng.normal());
  const lce = encodeLce(circuit, observable, { target });
  const point = new Float64Array(D);
  const results = TRAINABILITY_SIGMAS.map((sg) => {
    const sigma = parseScaleExpression(sg.text).at(D);
    for (let k = 0; k < D; k++) point[k] = sigma * z[k]!;
    const plain = expectationAndGradient(circuit, point, observable);
    const enc = expectationAndGradient(lce.circuit, point, observable);
    return {
      sigmaLabel: sg.label, sigma,
      norm: l2Norm(plain.gradient), normLce: l2Norm(enc.gradient),
      derivative: plain.gradient[target]!, derivativeLce: enc.gradient[target]!,
    };
  });
  return { key, family, N, D, seed, target, results, seconds: (performance.now() - t0) / 1000 };
}

function plan(quick: boolean, family: string | undefined, maxQubits: number | undefined, seeds: number | undefined): TaskSpec<TrainabilityPayload>[] {
  const families = family === undefined || family === 'all' ? TRAINABILITY_FAMILIES : [configOf(family).id];
  const sizes = trainabilitySizes(quick, maxQubits, seeds);
  if (sizes.maxN < 2 || sizes.maxN > TRAINABILITY_MAX_QUBITS) throw new UserError(`--max-qubits must be between 2 and ${TRAINABILITY_MAX_QUBITS} (exact state-vector gradients)`);
  if (sizes.seeds < 1) throw new UserError('--seeds must be at least 1');
  // Sizes outermost, so a time cap leaves every family complete up to some N.
  return grid({ N: range(sizes.maxN - 1).map((i) => i + 2), family: families, seed: range(sizes.seeds) }).map(({ N, family: f, seed }) => ({
    key: `${f}/N${N}/s${seed}`,
    label: `${f}, N = ${N}, seed ${seed}`,
    payload: { family: f, N, seed },
  }));
}

export interface TrainabilitySeries {
  readonly family: string;
  readonly sigma: string;
  readonly lce: boolean;
  readonly N: number[];
  /** The paper's statistic: the arithmetic mean over seeds. */
  readonly meanNorm: number[];
  /** Standard error of each mean over seeds. */
  readonly stderrNorm: number[];
  /** Mean, median, geometric mean and quantiles over seeds, per N. */
  readonly central: CentralValues[];
  /** Barren-plateau verdict from the per-seed norms (bootstrap over seeds, BIC; docs/science.md §7). */
  readonly fit: DecayFit;
}

const familyOf = (r: TrainabilityRecord): string => r.family ?? 'mhea-deep';

function observations(records: readonly TrainabilityRecord[]): Observation<{ family: string; sigma: string; lce: boolean }>[] {
  return records.flatMap((r) => r.results.flatMap((x) => [
    { group: { family: familyOf(r), sigma: x.sigmaLabel, lce: false }, x: r.N, y: x.norm },
    { group: { family: familyOf(r), sigma: x.sigmaLabel, lce: true }, x: r.N, y: x.normLce },
  ]));
}

/** Pure: records in, one series with its verdict per (family, σ, with/without LCE) out. */
export function trainabilitySeries(records: readonly TrainabilityRecord[], seed = 0): TrainabilitySeries[] {
  const all = collectSeries(observations(records));
  const families = TRAINABILITY_FAMILIES.filter((f) => records.some((r) => familyOf(r) === f));
  const out: TrainabilitySeries[] = [];
  for (const family of families) {
    const mine = records.filter((r) => familyOf(r) === family);
    for (const sg of TRAINABILITY_SIGMAS) {
      for (const lce of [false, true]) {
        const series = findSeries(all, { family, sigma: sg.label, lce });
        if (!series) continue;
        const perN = series.x.map((N) => mine.filter((r) => r.N === N).map((r) => {
          const x = r.results.find((q) => q.sigmaLabel === sg.label)!;
          return lce ? x.normLce : x.norm;
        }));
        out.push({
          family, sigma: sg.label, lce, N: series.x, meanNorm: series.mean, stderrNorm: series.stderr,
          central: perN.map((v) => centralValues(v)),
          fit: decayVerdict(series.x.map((N, i) => ({ N, values: perN[i]! })), { seed }),
        });
      }
    }
  }
  return out;
}

const familyLabel = (family: string): string => GRADIENT_CONFIGS.find((c) => c.id === family)?.label ?? family;

export const trainabilityExperiment: ExperimentDefinition<TrainabilityPayload, TrainabilityRecord> = {
  name: 'trainability',
  number: 3,
  title: 'Trainability: mean ‖∇C(θ)‖ in Gaussian regions around θ* = 0, with and without LCE',
  description: 'mHEA (L = N, L = 1), fHEA (L = 1), rPQC (depth 5); N = 2…16, 50 fresh instances per N, σ ∈ {D^−1, D^−1/2, D^−1/3, D^−1/5, 1}, exact adjoint gradients',
  options: ['family', 'maxQubits', 'seeds'],
  payload: payloadSchema,
  plan: ({ quick, family, maxQubits, seeds }) => plan(quick, family, maxQubits, seeds),
  compute: (p, key) => trainabilityRecord(key, p.N, p.seed, p.family),
  async report(records, { outDir, complete }) {
    const series = trainabilitySeries(records);
    const families = [...new Set(series.map((x) => x.family))];
    const files: string[] = [];
    const lceName = (lce: boolean) => (lce ? 'with LCE' : 'without LCE');
    const seedCount = new Set(records.map((r) => r.seed)).size;
    for (const family of families) {
      const mine = series.filter((x) => x.family === family);
      const points = observations(records.filter((r) => familyOf(r) === family))
        .filter((o) => o.y > 0)
        .map((o) => ({ N: o.x, sigma: o.group.sigma, lce: lceName(o.group.lce), norm: o.y }));
      files.push(...await writePlot(outDir, `trainability-${family}`, seriesPlot({
        title: `Experiment 3: ‖∇C(θ)‖, θ ~ N(0, σ²I), ${familyLabel(family)}`,
        subtitle: `${seedCount} seeds per point; line: geometric mean, band: q25–q75 of the seeds, points: single seeds (log scale; exact zeros left out)`,
        data: mine.flatMap((x) => x.N.map((N, i) => ({
          N, sigma: x.sigma, lce: lceName(x.lce), norm: x.central[i]!.geometricMean, lo: x.central[i]!.q25, hi: x.central[i]!.q75,
        }))).filter((x) => x.norm > 0),
        points,
        x: { field: 'N', title: 'qubits N' },
        y: { field: 'norm', title: '‖∇C(θ)‖ (dimensionless, log scale)', scale: 'log' },
        color: { field: 'sigma', title: 'σ', sort: TRAINABILITY_SIGMAS.map((x) => x.label) },
        column: { field: 'lce', sort: [lceName(false), lceName(true)] },
        lineLabel: 'geometric mean over seeds',
        pointLabel: 'one seed',
        band: { lo: 'lo', hi: 'hi', label: 'q25–q75 of seeds' },
      })));
    }
    files.push(writeJson(outDir, 'results.json', { experiment: 'trainability', complete, records: records.length, series }));
    const lines = [
      '# Experiment 3: trainability around θ* = 0',
      '',
      complete ? '' : '**Partial run**: not every planned record was computed (`--resume` continues).',
      `Mean ‖∇C(θ)‖ (± standard error) over ${new Set(records.map((r) => r.seed)).size} seeds per N, θ ~ N(0, σ²I). ` +
        'Every seed is a fresh instance (its own observable, target, direction and, for rPQC, circuit); ' +
        "the authors' fHEA and rPQC runs reused one stale seed for every instance, which this run does not copy.",
    ];
    for (const family of families) {
      const mine = series.filter((x) => x.family === family);
      lines.push('', `## ${familyLabel(family)}`, '', markdownTable(
        ['σ', 'LCE', ...mine[0]!.N.map((N) => `N = ${N}`), 'verdict', 'rate /qubit (95% CI)'],
        mine.map((x) => [x.sigma, x.lce ? 'with' : 'without', ...x.meanNorm.map((m, i) => `${fmt(m)} ± ${fmt(x.stderrNorm[i]!)}`), x.fit.verdict,
          `${fmt(x.fit.rate)} [${fmt(x.fit.rateCi[0])}, ${fmt(x.fit.rateCi[1])}]`]),
      ), '', 'Median / geometric mean over seeds (robust to the heavy tail that carries the arithmetic mean):', '', markdownTable(
        ['σ', 'LCE', ...mine[0]!.N.map((N) => `N = ${N}`)],
        mine.map((x) => [x.sigma, x.lce ? 'with' : 'without', ...x.central.map((c) => `${fmt(c.median)} / ${fmt(c.geometricMean)}`)]),
      ), '');
      for (const sg of TRAINABILITY_SIGMAS) {
        const a = mine.find((x) => x.sigma === sg.label && !x.lce), b = mine.find((x) => x.sigma === sg.label && x.lce);
        if (a && b) lines.push(`- ${sg.label}: without LCE ${a.fit.verdict} (${a.fit.reason}); with LCE ${b.fit.verdict} (${b.fit.reason}).`);
      }
    }
    lines.push('', 'LCE guarantees E[(∂_k C)²] ≥ e^{−σ²D}, a constant for σ ≤ D^−1/2; for wider regions the guarantee fades and the plain decay returns.',
      'Verdicts: both decay laws fitted to the per-seed log-norms, 95% bootstrap intervals over seeds (seed 0), BIC (docs/science.md §7).',
      "The LCE circuits use the paper variant (the authors' construction).");
    files.push(writeText(outDir, 'summary.md', lines.join('\n') + '\n'));
    return files;
  },
};

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(3) : 'n/a';
}
