/**
 * Pauli propagation benchmarks (issue 3, item 8). Run: `npx tsx bench/propagation.ts`
 * [--repeat N] (heavy case repetitions, default 3). Writes bench/results/propagation.json.
 *
 *  - TFI Trotter circuit on the periodic brick topology (buildAnsatz('tfi'): rzz layer on bonds
 *    (0,1),(2,3),…,(30,31) then (1,2),…,(29,30),(31,0); then (rx layer, rzz layer)×(L−1); then
 *    an rx layer; every angle θ), observable Z15 of 32 qubits, |0…0⟩:
 *      light: L = 32, θ = 0.1, max weight 6, min |c| 1e−4;
 *      heavy: L = 20, θ = 0.3, max weight 10, min |c| 1e−6.
 *    Each run is a fresh child process; `process_seconds` is its whole wall time (start-up,
 *    module loading and circuit construction included), `seconds` the propagation alone.
 *  - Clifford fast path: 1,000 qubits × 1,000 layers of (rx, rz at multiples of π/2 on every
 *    qubit; cx on even then odd neighbour pairs), about 2.5 M gates.
 *  - worker_threads: two heavy runs at once in two workers against one run alone. Propagation is
 *    memory-bound; if two concurrent runs take about as long as one, a two-thread engine could
 *    gain, otherwise the memory system is the limit.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread } from 'node:worker_threads';
import { buildAnsatz } from '../src/ansatz/index.js';
import { constantExpr } from '../src/ir/affine.js';
import { CircuitAssembler } from '../src/ir/circuit.js';
import { cliffordGate, rotationGate } from '../src/ir/gate-library.js';
import type { Observable } from '../src/ir/types.js';
import { cliffordExpectation, isCliffordPoint } from '../src/clifford-point/heisenberg.js';
import { propagate } from '../src/propagation/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

interface TfiCase {
  qubits: number;
  layers: number;
  theta: number;
  maxWeight: number;
  minAbs: number;
}
const CASES: Record<string, TfiCase> = {
  light: { qubits: 32, layers: 32, theta: 0.1, maxWeight: 6, minAbs: 1e-4 },
  heavy: { qubits: 32, layers: 20, theta: 0.3, maxWeight: 10, minAbs: 1e-6 },
};
const Z15: Observable = { name: 'Z15', terms: [{ coeff: 1, pauli: { qubits: [15], letters: ['Z'] } }] };

function runTfi(name: string) {
  const k = CASES[name]!;
  const circuit = buildAnsatz('tfi', { qubits: k.qubits, layers: k.layers });
  const params = new Float64Array(circuit.numParameters).fill(k.theta);
  const r = propagate(circuit, params, Z15, { maxWeight: k.maxWeight, minAbs: k.minAbs });
  return {
    ...k,
    gates: circuit.gates.length,
    value: r.value,
    terms: r.terms,
    peak_terms: r.peakTerms,
    dropped_weight: r.droppedWeight,
    term_updates: r.termUpdates,
    seconds: r.seconds,
    term_updates_per_second: r.termUpdates / r.seconds,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

function runClifford() {
  const n = 1000, layers = 1000;
  const t0 = performance.now();
  const b = new CircuitAssembler();
  b.setQubits(n);
  const quarter = [0, 1, 2, 3].map((k) => constantExpr((k * Math.PI) / 2));
  let h = 12345;
  const nextK = () => ((h = (Math.imul(h, 1103515245) + 12345) >>> 0) >>> 16) & 3;
  for (let l = 0; l < layers; l++) {
    const gates = [];
    for (let q = 0; q < n; q++) {
      gates.push(rotationGate('X', [q], quarter[nextK()]!));
      gates.push(rotationGate('Z', [q], quarter[nextK()]!));
    }
    for (let q = 0; q + 1 < n; q += 2) gates.push(cliffordGate('cx', [q, q + 1]));
    for (let q = 1; q + 1 < n; q += 2) gates.push(cliffordGate('cx', [q, q + 1]));
    b.addGates(gates);
  }
  const circuit = b.build();
  const buildSeconds = (performance.now() - t0) / 1000;
  const obs: Observable = {
    name: 'O',
    terms: [
      { coeff: 1, pauli: { qubits: [500], letters: ['Z'] } },
      { coeff: 0.5, pauli: { qubits: [0, 999], letters: ['X', 'Y'] } },
    ],
  };
  const params = new Float64Array(0);
  const t1 = performance.now();
  const clifford = isCliffordPoint(circuit, params);
  const t2 = performance.now();
  const value = cliffordExpectation(circuit, params, obs);
  const t3 = performance.now();
  return {
    qubits: n,
    layers,
    gates: circuit.gates.length,
    observable_terms: obs.terms.length,
    value,
    is_clifford_point: clifford,
    build_seconds: buildSeconds,
    check_seconds: (t2 - t1) / 1000,
    seconds: (t3 - t2) / 1000,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

async function runWorkers() {
  // Workers do not inherit tsx's module hooks: register them before importing this file.
  const tsxApi = createRequire(import.meta.url).resolve('tsx/esm/api');
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    require(workerData.tsxApi).register();
    import(workerData.url).then((m) => parentPort.postMessage(m.heavyOnce()));`;
  const url = new URL(import.meta.url).href;
  const runIn = (count: number) =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      let left = count;
      for (let i = 0; i < count; i++) {
        const w = new Worker(source, { eval: true, workerData: { tsxApi, url } });
        w.once('message', () => {
          void w.terminate();
          if (--left === 0) resolve((performance.now() - t0) / 1000);
        });
        w.once('error', reject);
      }
    });
  const one = await runIn(1);
  const two = await runIn(2);
  return { one_run_seconds: one, two_concurrent_runs_seconds: two, throughput_gain: (2 * one) / two };
}

/** Used by the worker experiment. */
export function heavyOnce(): number {
  return runTfi('heavy').seconds;
}

function child(kind: string): Record<string, unknown> {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', kind], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`benchmark child '${kind}' failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return { ...(JSON.parse(line) as Record<string, unknown>), process_seconds: wall };
}

const childKind = option('--child');
if (!isMainThread) {
  // Imported by a worker of the worker_threads experiment: only heavyOnce is wanted.
} else if (childKind !== undefined) {
  const result = childKind === 'clifford' ? runClifford() : childKind === 'workers' ? await runWorkers() : runTfi(childKind);
  process.stdout.write(JSON.stringify(result) + '\n');
} else {
  const repeat = Number(option('--repeat') ?? 3);
  const log = (s: string) => process.stdout.write(s + '\n');
  const light = child('light');
  log(`light: ${light.terms} terms, value ${light.value}, ${(light.seconds as number).toFixed(3)} s (process ${(light.process_seconds as number).toFixed(2)} s)`);
  const heavyRuns = [];
  for (let i = 0; i < repeat; i++) {
    const h = child('heavy');
    heavyRuns.push(h);
    log(
      `heavy #${i + 1}: ${h.terms} terms, value ${h.value}, ${(h.seconds as number).toFixed(3)} s ` +
        `(process ${(h.process_seconds as number).toFixed(2)} s), peak RSS ${(h.peak_rss_mb as number).toFixed(0)} MB, ` +
        `${((h.term_updates_per_second as number) / 1e6).toFixed(1)} M updates/s`,
    );
  }
  const best = heavyRuns.reduce((a, b) => ((a.process_seconds as number) <= (b.process_seconds as number) ? a : b));
  const clifford = child('clifford');
  log(`clifford 1000×1000: ${clifford.gates} gates, ${(clifford.seconds as number).toFixed(3)} s (circuit build ${(clifford.build_seconds as number).toFixed(2)} s)`);
  const workers = child('workers');
  log(`worker_threads: one heavy run ${(workers.one_run_seconds as number).toFixed(2)} s, two at once ${(workers.two_concurrent_runs_seconds as number).toFixed(2)} s`);
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    light,
    heavy: { best, runs: heavyRuns.map((h) => ({ seconds: h.seconds, process_seconds: h.process_seconds })) },
    clifford,
    worker_threads: workers,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'propagation.json'), JSON.stringify(out, null, 2) + '\n');
  log(`wrote bench/results/propagation.json`);
}
