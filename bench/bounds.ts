/**
 * Bound tightness benchmark (issue 14, item 6). Run: `npx tsx bench/bounds.ts [--quick]`; writes
 * bench/results/bounds.json.
 *
 * Cases like the issue's: mHEA N = 8, L = 2; mHEA N = 12, L = 1; fHEA N = 6, L = 1; observables
 * Z0 (local) and Σ_i Z_i (summed); orders 2, 3, 4; δ ~ N(0, σ²I) with σ = D^−1/2 and D^−1/3
 * around θ* = 0; 24 seeded points per case (864 in all). For each bound kind (a priori, light
 * cone, a posteriori, tightest) the median and quartiles of bound/|true error| against the exact
 * state vector, and the number of violations (bound < |error| − 1e−12, must be 0). Points whose
 * true error is below 1e−14 enter the violation count but not the ratios.
 * Cost: CPU seconds of builds with and without recording the a-posteriori data, the median of
 * interleaved builds (after a warm-up), summed over the tightness cases and over larger builds
 * (mHEA N = 12, L = 3, Σ Z, order 4; mHEA N = 64, L = 1, Σ Z, order 3; mHEA N = 16, L = 2,
 * Z0, order 4); target: ratio ≤ 1.5. The machine may be shared: ratios are from the same run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAnsatz } from '../src/ansatz/index.js';
import { parseObservableText } from '../src/pauli/observable-text.js';
import { createRng } from '../src/random/rng.js';
import { expectation } from '../src/simulators/statevector/index.js';
import { buildTaylorSurrogate } from '../src/surrogate/taylor-build.js';

const quick = process.argv.includes('--quick');
const POINTS = quick ? 6 : 24;
const REPS = quick ? 3 : 9;
const cpuSeconds = (f: () => void): number => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
/** Median CPU seconds of interleaved builds without and with recording. */
function costOf(circuit: ReturnType<typeof buildAnsatz>, obs: ReturnType<typeof parseObservableText>, m: number, reps: number): { without: number; with: number } {
  buildTaylorSurrogate(circuit, obs, { order: m, aposteriori: false });
  buildTaylorSurrogate(circuit, obs, { order: m });
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < reps; r++) {
    a.push(cpuSeconds(() => buildTaylorSurrogate(circuit, obs, { order: m, aposteriori: false })));
    b.push(cpuSeconds(() => buildTaylorSurrogate(circuit, obs, { order: m })));
  }
  return { without: median(a), with: median(b) };
}
const CIRCUITS = [
  { family: 'mhea' as const, N: 8, L: 2 },
  { family: 'mhea' as const, N: 12, L: 1 },
  { family: 'fhea' as const, N: 6, L: 1 },
];
const KINDS = ['apriori', 'lightCone', 'aposteriori', 'tightest'] as const;
type Kind = (typeof KINDS)[number];

const quantile = (v: number[], q: number) => {
  const s = [...v].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (i - lo);
};
const median = (v: number[]) => quantile(v, 0.5);

const ratios: Record<Kind, number[]> = { apriori: [], lightCone: [], aposteriori: [], tightest: [] };
const violations: Record<Kind, number> = { apriori: 0, lightCone: 0, aposteriori: 0, tightest: 0 };
const cases: unknown[] = [];
let tinyErrors = 0;
const missing = { lightCone: 0, aposteriori: 0 };
let points = 0;
let secondsWith = 0;
let secondsWithout = 0;
const rng = createRng(20251201);
for (const { family, N, L } of CIRCUITS) {
  const circuit = buildAnsatz(family, { qubits: N, layers: L });
  const D = circuit.numParameters;
  for (const obsName of ['Z0', 'sumZ'] as const) {
    const obs = parseObservableText(obsName === 'Z0' ? 'Z0' : Array.from({ length: N }, (_, i) => `Z${i}`).join(' + '), { numQubits: N });
    for (const a of [1 / 2, 1 / 3]) {
      const sigma = D ** -a;
      const xs = Array.from({ length: POINTS }, () => Float64Array.from({ length: D }, () => sigma * rng.normal()));
      const exact = xs.map((x) => expectation(circuit, x, obs));
      for (let m = 2; m <= 4; m++) {
        const s = buildTaylorSurrogate(circuit, obs, { order: m });
        const cost = costOf(circuit, obs, m, REPS);
        secondsWith += cost.with;
        secondsWithout += cost.without;
        const caseRatios: Record<Kind, number[]> = { apriori: [], lightCone: [], aposteriori: [], tightest: [] };
        xs.forEach((x, i) => {
          const err = Math.abs(s.value(x) - exact[i]!);
          const k = s.boundsByKind(x);
          // A kind the surrogate lacks (no certificate) counts as ∞: never a violation, listed in `missing`.
          if (k.lightCone === null) missing.lightCone++;
          if (k.aposteriori === null) missing.aposteriori++;
          const val: Record<Kind, number> = { apriori: k.apriori, lightCone: k.lightCone ?? Infinity, aposteriori: k.aposteriori ?? Infinity, tightest: k.tightest };
          points++;
          for (const kind of KINDS) if (val[kind] < err - 1e-12) violations[kind]++;
          if (err < 1e-14) {
            tinyErrors++;
            return;
          }
          for (const kind of KINDS) {
            if (!Number.isFinite(val[kind])) continue;
            ratios[kind].push(val[kind] / err);
            caseRatios[kind].push(val[kind] / err);
          }
        });
        const entry = {
          family, N, L, D, observable: obsName, sigma: `D^-${a === 0.5 ? '1/2' : '1/3'}`, order: m,
          median_ratio: Object.fromEntries(KINDS.map((k) => [k, caseRatios[k].length ? median(caseRatios[k]) : null])),
          build_cpu_seconds_with: cost.with, build_cpu_seconds_without: cost.without,
          aposteriori_entries: s.meta.certificates?.aposteriori?.entries ?? null,
        };
        cases.push(entry);
        process.stdout.write(`${family} N=${N} L=${L} ${obsName} σ=${entry.sigma} m=${m}: median ratio a priori ${entry.median_ratio.apriori?.toExponential(2)}, light cone ${entry.median_ratio.lightCone?.toExponential(2)}, a posteriori ${entry.median_ratio.aposteriori?.toExponential(2)}\n`);
      }
    }
  }
}
const large: unknown[] = [];
for (const [family, N, L, obsName, m] of [['mhea', 12, 3, 'sumZ', 4], ['mhea', 64, 1, 'sumZ', 3], ['mhea', 16, 2, 'Z0', 4]] as const) {
  const circuit = buildAnsatz(family, { qubits: N, layers: L });
  const obs = parseObservableText(obsName === 'Z0' ? 'Z0' : Array.from({ length: N }, (_, i) => `Z${i}`).join(' + '), { numQubits: N });
  const cost = costOf(circuit, obs, m, REPS);
  secondsWith += cost.with;
  secondsWithout += cost.without;
  const entries = buildTaylorSurrogate(circuit, obs, { order: m }).meta.certificates?.aposteriori?.entries ?? null;
  large.push({ family, N, L, observable: obsName, order: m, build_cpu_seconds_with: cost.with, build_cpu_seconds_without: cost.without, ratio: cost.with / cost.without, aposteriori_entries: entries });
  process.stdout.write(`cost ${family} N=${N} L=${L} ${obsName} m=${m}: ${(cost.with / cost.without).toFixed(2)}×\n`);
}
const summary = Object.fromEntries(
  KINDS.map((k) => [k, {
    median: median(ratios[k]), q1: quantile(ratios[k], 0.25), q3: quantile(ratios[k], 0.75),
    min: Math.min(...ratios[k]), max: Math.max(...ratios[k]), violations: violations[k],
  }]),
);
const result = {
  benchmark: 'bounds',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  load_average_1min: loadavg()[0],
  note: 'machine loaded while measured (2 cores shared by up to 8 concurrent jobs, and this run overlapped the test suite); cost ratio is from interleaved builds in the same run',
  quick,
  setup: {
    circuits: 'mHEA N=8 L=2, mHEA N=12 L=1, fHEA N=6 L=1 (REFERENCE §4), θ* = 0',
    observables: 'Z0 and Σ_i Z_i',
    orders: [2, 3, 4],
    sigmas: ['D^-1/2', 'D^-1/3'],
    points_per_case: POINTS,
    reference: 'exact state vector',
  },
  points,
  points_with_error_below_1e_14: tinyErrors,
  points_without_certificate: missing,
  ratio_bound_over_true_error: summary,
  issue_baseline_apriori_median: 3.25e4,
  target_median: 3.25e3,
  cost: {
    build_cpu_seconds_with_aposteriori: secondsWith,
    build_cpu_seconds_without: secondsWithout,
    ratio: secondsWith / secondsWithout,
    target_ratio: 1.5,
    large_cases: large,
  },
  cases,
};
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'bounds.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
process.stdout.write(`\nmedian bound/|error|: ${KINDS.map((k) => `${k} ${summary[k]!.median.toExponential(2)}`).join(', ')}\n`);
process.stdout.write(`violations: ${KINDS.map((k) => `${k} ${violations[k]}`).join(', ')}\n`);
process.stdout.write(`build cost with/without a-posteriori: ${(secondsWith / secondsWithout).toFixed(2)}× (${secondsWith.toFixed(3)} s / ${secondsWithout.toFixed(3)} s)\nwrote ${out}\n`);
