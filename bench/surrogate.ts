/**
 * Taylor-surrogate benchmark (issue 4, item 8; REFERENCE §5 experiment 5). Run:
 * `npx tsx bench/surrogate.ts [--quick] [--cap SECONDS]`; writes bench/results/surrogate.json.
 *
 * mHEA and fHEA (REFERENCE §4) with L = 1 around θ* = 0, orders 1…4 for N ≤ 128 and orders 1–2
 * up to N = 1,024, for three observables: Z on qubit 0 (the primary case), Σ_i Z_i and Σ_i X_i
 * (every qubit in the light cone). Per case: build seconds, live terms, monomials, peak memory of the build,
 * the time to evaluate 10,000 points δ ~ N(0, σ²I) with σ = 1/D, the region bound at σ = 1/D,
 * and the number of stabilizer simulations the paper's parameter-shift method would need,
 * C(2D + m, m). A case that exceeds the per-case cap is stopped and recorded as skipped, and so
 * are the larger N of the same series.
 * `--compare`: builds on the propagation core against the previous builds (see compareWithPrevious).
 * Targets: mHEA N = 16 order 2 ≤ 0.1 s; mHEA N = 128 order 3 ≤ 30 s; 10,000 evaluations of an
 * N = 32 order-2 surrogate ≤ 1 s.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { lnGamma } from '../src/bounds/order.js';
import { buildAnsatz } from '../src/ansatz/index.js';
import type { Observable } from '../src/ir/types.js';
import { createRng } from '../src/random/rng.js';
import { buildPathSurrogate } from '../src/surrogate/paths-build.js';
import { buildTaylorSurrogate } from '../src/surrogate/taylor-build.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const capIndex = args.indexOf('--cap');
const CAP_SECONDS = capIndex >= 0 ? Number(args[capIndex + 1]) : quick ? 10 : 60;
const EVAL_POINTS = 10_000;
const TAIL = 1e-6;

type Family = 'mhea' | 'fhea';
type ObsKind = 'Z0' | 'sumZ' | 'sumX';

class CapExceeded extends Error {}

function observable(kind: ObsKind, n: number): Observable {
  const qubits = kind === 'Z0' ? [0] : [...Array(n).keys()];
  const letter = kind === 'sumX' ? 'X' : 'Z';
  return { name: kind, terms: qubits.map((q) => ({ coeff: 1, pauli: { qubits: [q], letters: [letter] } })) };
}

// `node --expose-gc` does not reach the process tsx starts, so enable gc from inside.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const memNow = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Peak of heapUsed + arrayBuffers during one build, above the level before it (after gc). */
function measurePeak(build: (onProgress: () => void) => void, everyStep: boolean): number {
  gc();
  const base = memNow();
  let peak = base;
  let last = 0;
  build(() => {
    const now = performance.now();
    if (!everyStep && now - last < 20) return;
    last = now;
    peak = Math.max(peak, memNow());
  });
  return (Math.max(peak, memNow()) - base) / 1e6;
}

interface CaseResult {
  family: Family;
  observable: ObsKind;
  qubits: number;
  parameters: number;
  order: number;
  build_seconds: number;
  build_cpu_seconds: number;
  terms: number;
  peak_terms: number;
  monomials: number;
  nodes: number;
  peak_memory_mb: number;
  eval_points: number;
  eval_seconds: number;
  eval_cpu_seconds: number;
  region_bound_sigma_1_over_D: number;
  paper_parameter_shift_simulations: number;
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

function binomLog10(n: number, k: number): number {
  return (lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1)) / Math.LN10;
}

function runCase(family: Family, obsKind: ObsKind, n: number, order: number): CaseResult {
  const circuit = buildAnsatz(family, { qubits: n, layers: 1 });
  const obs = observable(obsKind, n);
  const D = circuit.numParameters;
  gc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let last = 0;
  let peakTimed = memNow();
  const baseTimed = peakTimed;
  const s = buildTaylorSurrogate(circuit, obs, {
    order,
    onProgress: () => {
      const now = performance.now();
      if (now - last < 20) return;
      last = now;
      peakTimed = Math.max(peakTimed, memNow());
      if ((now - t0) / 1000 > CAP_SECONDS) throw new CapExceeded();
    },
  });
  const buildSeconds = (performance.now() - t0) / 1000;
  const buildCpu = cpuSeconds(process.cpuUsage(cpu0));
  // Fast builds finish between samples: measure their memory in a second, untimed build that
  // samples after every step.
  const peakMb = buildSeconds < 2
    ? measurePeak((onProgress) => buildTaylorSurrogate(circuit, obs, { order, onProgress }), true)
    : (Math.max(peakTimed, memNow()) - baseTimed) / 1e6;
  const rng = createRng(n * 31 + order);
  const sigma = 1 / D;
  const points = new Float64Array(EVAL_POINTS * D);
  for (let i = 0; i < points.length; i++) points[i] = sigma * rng.normal();
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  s.evaluate(points, EVAL_POINTS);
  const evalSeconds = (performance.now() - t1) / 1000;
  const evalCpu = cpuSeconds(process.cpuUsage(cpu1));
  const size = s.size();
  return {
    family,
    observable: obsKind,
    qubits: n,
    parameters: D,
    order,
    build_seconds: buildSeconds,
    build_cpu_seconds: buildCpu,
    terms: size.terms,
    peak_terms: s.meta.peakTerms,
    monomials: size.monomials,
    nodes: size.nodes,
    peak_memory_mb: peakMb,
    eval_points: EVAL_POINTS,
    eval_seconds: evalSeconds,
    eval_cpu_seconds: evalCpu,
    region_bound_sigma_1_over_D: s.regionBound({ kind: 'gaussian', sigma, tailProbability: TAIL }),
    paper_parameter_shift_simulations: Math.round(10 ** binomLog10(2 * D + order, order)),
  };
}

const sizesFor = (order: number) => {
  const small = quick ? [4, 8, 16, 32] : [4, 8, 16, 32, 64, 128];
  return order <= 2 && !quick ? [...small, 256, 512, 1024] : small;
};
const orders = quick ? [1, 2, 3] : [1, 2, 3, 4];

/**
 * `--compare`: the builds on the propagation core (issue 9) against the builds they replaced
 * (frozen copies in test/surrogate/legacy), interleaved, best CPU time of 3 each, same cases as
 * below at the sizes where a build takes long enough to time; writes bench/results/surrogate-core.json.
 */
async function compareWithPrevious(): Promise<void> {
  const legacy = await import('../test/surrogate/legacy/taylor-build.js');
  const legacyPaths = await import('../test/surrogate/legacy/paths-build.js');
  const cpu = (f: () => void) => {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  const rows: Record<string, unknown>[] = [];
  const specs: [Family, ObsKind, number, number][] = [];
  for (const family of ['mhea', 'fhea'] as Family[]) {
    for (const obsKind of ['Z0', 'sumZ', 'sumX'] as ObsKind[]) {
      specs.push([family, obsKind, 128, 2], [family, obsKind, family === 'mhea' ? 128 : 64, 3]);
      if (family === 'mhea') specs.push([family, obsKind, 1024, 2]);
    }
  }
  for (const [family, obsKind, n, order] of specs) {
    const circuit = buildAnsatz(family, { qubits: n, layers: 1 });
    const obs = observable(obsKind, n);
    const a: number[] = [], b: number[] = [];
    for (let k = 0; k < 3; k++) {
      a.push(cpu(() => legacy.buildTaylorSurrogate(circuit, obs, { order })));
      b.push(cpu(() => buildTaylorSurrogate(circuit, obs, { order })));
    }
    const row = { kind: 'taylor', family, observable: obsKind, qubits: n, order, previous_cpu_seconds: Math.min(...a), core_cpu_seconds: Math.min(...b), core_over_previous: Math.min(...b) / Math.min(...a) };
    rows.push(row);
    process.stdout.write(`compare ${family} ${obsKind} N=${n} m=${order}: previous ${row.previous_cpu_seconds.toFixed(3)} s, core ${row.core_cpu_seconds.toFixed(3)} s, ratio ${row.core_over_previous.toFixed(2)}\n`);
  }
  for (const n of [32, 64]) {
    for (const S of [2, 3]) {
      const circuit = buildAnsatz('mhea', { qubits: n, layers: 1 });
      const obs = observable('sumZ', n);
      const a: number[] = [], b: number[] = [];
      for (let k = 0; k < 3; k++) {
        a.push(cpu(() => legacyPaths.buildPathSurrogate(circuit, obs, { maxSins: S })));
        b.push(cpu(() => buildPathSurrogate(circuit, obs, { maxSins: S })));
      }
      const row = { kind: 'paths', family: 'mhea', observable: 'sumZ', qubits: n, max_sins: S, previous_cpu_seconds: Math.min(...a), core_cpu_seconds: Math.min(...b), core_over_previous: Math.min(...b) / Math.min(...a) };
      rows.push(row);
      process.stdout.write(`compare paths N=${n} S=${S}: previous ${row.previous_cpu_seconds.toFixed(3)} s, core ${row.core_cpu_seconds.toFixed(3)} s, ratio ${row.core_over_previous.toFixed(2)}\n`);
    }
  }
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'surrogate-core.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        benchmark: 'surrogate builds on the propagation core vs the previous builds (issue 9)',
        date: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model ?? 'unknown',
        note: 'shared 2-core machine, up to 8 other helpers running; CPU seconds of this process, best of 3, previous and core runs interleaved',
        worst_ratio: Math.max(...rows.map((r) => r.core_over_previous as number)),
        rows,
      },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`wrote ${file}\n`);
}
if (args.includes('--compare')) {
  await compareWithPrevious();
  process.exit(0);
}

const cases: CaseResult[] = [];
const skipped: { family: Family; observable: ObsKind; order: number; qubits: number[]; reason: string }[] = [];
for (const family of ['mhea', 'fhea'] as Family[]) {
  for (const obsKind of ['Z0', 'sumZ', 'sumX'] as ObsKind[]) {
    for (const order of orders) {
      const sizes = sizesFor(order);
      for (let i = 0; i < sizes.length; i++) {
        const n = sizes[i]!;
        try {
          const r = runCase(family, obsKind, n, order);
          cases.push(r);
          process.stdout.write(
            `${family} ${obsKind.padEnd(4)} N=${String(n).padStart(4)} m=${order}: build ${r.build_seconds.toFixed(3)} s, ` +
              `${r.terms} terms, ${r.monomials} monomials, ${r.peak_memory_mb.toFixed(1)} MB, ` +
              `eval 10k ${r.eval_seconds.toFixed(3)} s\n`,
          );
        } catch (e) {
          if (!(e instanceof CapExceeded)) throw e;
          const rest = sizes.slice(i);
          skipped.push({ family, observable: obsKind, order, qubits: rest, reason: `build exceeded the ${CAP_SECONDS} s cap at N = ${n}` });
          process.stdout.write(`${family} ${obsKind} m=${order}: N=${n} exceeded the ${CAP_SECONDS} s cap; skipping N ≥ ${n}\n`);
          break;
        }
      }
    }
  }
}

// A few Pauli-path surrogates for comparison (same circuits, S = max sins).
const paths: { family: Family; qubits: number; max_sins: number; build_seconds: number; terms: number; nodes: number; path_monomials: number }[] = [];
for (const n of quick ? [8, 16] : [8, 16, 32, 64]) {
  for (const S of [1, 2, 3]) {
    const circuit = buildAnsatz('mhea', { qubits: n, layers: 1 });
    const t0 = performance.now();
    const s = buildPathSurrogate(circuit, observable('sumZ', n), { maxSins: S });
    const size = s.size();
    paths.push({ family: 'mhea', qubits: n, max_sins: S, build_seconds: (performance.now() - t0) / 1000, terms: size.terms, nodes: size.nodes, path_monomials: size.monomials });
  }
}

const find = (f: Family, o: ObsKind, n: number, m: number) => cases.find((c) => c.family === f && c.observable === o && c.qubits === n && c.order === m);
const target = (name: string, value: number | undefined, limit: number) => ({ name, value: value ?? null, limit, met: value === undefined ? null : value <= limit });
const targets = [
  target('mHEA N=16 order 2 build seconds (Z0)', find('mhea', 'Z0', 16, 2)?.build_seconds, 0.1),
  target('mHEA N=16 order 2 build seconds (sumZ)', find('mhea', 'sumZ', 16, 2)?.build_seconds, 0.1),
  target('mHEA N=128 order 3 build seconds (Z0)', find('mhea', 'Z0', 128, 3)?.build_seconds, 30),
  target('mHEA N=128 order 3 build seconds (sumZ)', find('mhea', 'sumZ', 128, 3)?.build_seconds, 30),
  target('mHEA N=128 order 3 build seconds (sumX)', find('mhea', 'sumX', 128, 3)?.build_seconds, 30),
  target('10,000 evaluations, mHEA N=32 order 2 (sumZ), seconds', find('mhea', 'sumZ', 32, 2)?.eval_seconds, 1),
  target('10,000 evaluations, mHEA N=32 order 2 (sumX), seconds', find('mhea', 'sumX', 32, 2)?.eval_seconds, 1),
  target('10,000 evaluations, fHEA N=32 order 2 (sumZ), seconds', find('fhea', 'sumZ', 32, 2)?.eval_seconds, 1),
];
for (const t of targets) process.stdout.write(`target: ${t.name} = ${t.value} (≤ ${t.limit}: ${t.met === null ? 'not run' : t.met ? 'met' : 'NOT met'})\n`);

const out = {
  benchmark: 'surrogate',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  quick,
  cap_seconds: CAP_SECONDS,
  setup: {
    ansatz: 'mHEA (ry, rz; circular CX) and fHEA (rx, ry, rz; full CX), L = 1, REFERENCE §4',
    center: 'θ* = 0',
    observables: { Z0: 'Z on qubit 0', sumZ: 'Σ_i Z_i', sumX: 'Σ_i X_i' },
    evaluation: `${EVAL_POINTS} points δ ~ N(0, σ²I), σ = 1/D`,
    region_bound: `‖O‖₁·t^(m+1)/(m+1)! with t the ${1 - TAIL} quantile bound of ‖Aδ‖₁ at σ = 1/D`,
    timing: 'wall-clock seconds, and CPU seconds of this process (the machine may be shared)',
    peak_memory: 'max over the build of heapUsed + arrayBuffers (sampled after every step for builds under 2 s, every 20 ms otherwise), minus the value before the build, after gc',
  },
  targets,
  cases,
  skipped,
  paths,
};
const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'surrogate.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
process.stdout.write(`wrote ${file}\n`);
