/**
 * Noise benchmarks (issue "Noise channels", item 5). Run: `npx tsx bench/noise.ts` (`--quick`:
 * small sizes, a smoke run; `--density-only` / `--propagation-only` run one part). A full run
 * writes bench/results/noise.json (quick and partial runs only print).
 *  - exact density matrix at 10 and 12 qubits: 200 random gates with a channel after each
 *    (depolarize after 1-qubit gates, depolarize2 after 2-qubit gates, per qubit for larger ones),
 *    value and (10 qubits) adjoint gradient; the noiseless state vector of the same circuit is timed
 *    in the same run for scale.
 *  - noisy heavy TFI propagation: the heavy case of bench/propagation.ts (buildAnsatz('tfi') 32
 *    qubits × 20 layers, θ = 0.3, Z15, max weight 10, |c| ≥ 1e−6, narrow store) with depolarize(0.01)
 *    after every gate (on each qubit of the rzz gates), against the same case without noise:
 *    terms, peak terms and seconds of both (quick: 16 qubits × 8 layers, weight 6, |c| ≥ 1e−4).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyNoiseModel, parseNoiseModel } from '../src/noise/model.js';
import { densityExpectation, densityExpectationAndGradient } from '../src/simulators/density/index.js';
import { expectation } from '../src/simulators/statevector/index.js';
import type { Observable } from '../src/ir/types.js';
import { buildAnsatz } from '../src/ansatz/index.js';
import { runPropagation } from '../src/propagation/propagate.js';
import { randomCircuit } from './statevector.js';

const quick = process.argv.includes('--quick');
const runDensity = !process.argv.includes('--propagation-only');
const runTfi = !process.argv.includes('--density-only');
const model = parseNoiseModel({ after: { '1q': [['depolarize', 0.001]], '2q': [['depolarize2', 0.01]], '3q': [['depolarize', 0.001]] } }, 'bench model');

function time<T>(f: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

const cases = [];
for (const n of !runDensity ? [] : quick ? [10] : [10, 12]) {
  const { circuit, params } = randomCircuit(n, 200, 1000 + n);
  const noisy = applyNoiseModel(circuit, model);
  const channels = noisy.gates.length - circuit.gates.length;
  const obs: Observable = { name: 'O', terms: [{ coeff: 1, pauli: { qubits: [0, 1], letters: ['Z', 'Z'] } }, { coeff: 0.5, pauli: { qubits: [n - 1], letters: ['X'] } }] };
  const sv = time(() => expectation(circuit, params, obs));
  const dmClean = time(() => densityExpectation(circuit, params, obs));
  const dm = time(() => densityExpectation(noisy, params, obs));
  const grad = n <= 10 ? time(() => densityExpectationAndGradient(noisy, params, obs)) : null;
  const row = {
    qubits: n, gates: circuit.gates.length, channels,
    noiseless_statevector_seconds: sv.seconds,
    noiseless_density_seconds: dmClean.seconds,
    noiseless_density_matches_statevector: Math.abs(dmClean.value - sv.value) < 1e-10,
    noisy_value: dm.value, noisy_density_seconds: dm.seconds,
    noisy_gradient_seconds: grad?.seconds ?? null,
    noisy_gradient_recomputed_ops: grad?.value.recomputedOps ?? null,
    matrix_bytes: 16 * 4 ** n,
  };
  console.log(JSON.stringify(row));
  cases.push(row);
}

/** Heavy TFI with and without depolarize(p) after every gate: the cost of propagation versus noise. */
function noisyTfi(): Record<string, unknown> | null {
  if (!runTfi) return null;
  const k = quick ? { qubits: 16, layers: 8, maxWeight: 6, minAbs: 1e-4, q: 7 } : { qubits: 32, layers: 20, maxWeight: 10, minAbs: 1e-6, q: 15 };
  const p = 0.01;
  const clean = buildAnsatz('tfi', { qubits: k.qubits, layers: k.layers });
  const noisy = applyNoiseModel(clean, parseNoiseModel({ after: { '1q': [['depolarize', p]], '2q': [['depolarize', p]] } }, 'depolarize after each gate'));
  const params = new Float64Array(clean.numParameters).fill(0.3);
  const obs: Observable = { name: `Z${k.q}`, terms: [{ coeff: 1, pauli: { qubits: [k.q], letters: ['Z'] } }] };
  const truncation = { maxWeight: k.maxWeight, minAbs: k.minAbs };
  const run = (c: typeof clean) => {
    const { engine, stats } = runPropagation(c, params, obs, truncation, 'narrow');
    return { value: engine.overlap({ kind: 'zero' }), terms: stats.terms, peak_terms: stats.peakTerms, term_updates: stats.termUpdates, dropped_weight: stats.droppedWeight, seconds: stats.seconds };
  };
  const noiseless = run(clean);
  console.log(JSON.stringify({ tfi: 'noiseless', ...noiseless }));
  const withNoise = run(noisy);
  console.log(JSON.stringify({ tfi: `depolarize ${p}`, ...withNoise }));
  return {
    qubits: k.qubits, layers: k.layers, theta: 0.3, observable: obs.name, truncation: { max_weight: k.maxWeight, min_abs: k.minAbs },
    gates: clean.gates.length, channels: noisy.gates.length - clean.gates.length, depolarize: p, store: 'narrow',
    noiseless, noisy: withNoise,
    terms_ratio: withNoise.terms / Math.max(1, noiseless.terms),
    seconds_ratio: withNoise.seconds / noiseless.seconds,
  };
}
const tfi = noisyTfi();

// A quick (smoke) or partial run does not overwrite the recorded results.
if (quick || !runDensity || !runTfi) {
  console.log('quick or partial run: bench/results/noise.json not written');
} else {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'noise.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({
    benchmark: 'noise', date: new Date().toISOString(), node: process.version, load_average: loadavg(),
    note: 'machine shared with other work while measured (see load_average)',
    density_matrix: cases, noisy_tfi_propagation: tfi,
  }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}
