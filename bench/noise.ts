/**
 * Noise benchmarks (issue "Noise channels", item 5). Run: `npx tsx bench/noise.ts` (`--quick`:
 * 10 qubits only). Writes bench/results/noise.json.
 *  - exact density matrix at 10 and 12 qubits: 200 random gates with a channel after each
 *    (depolarize after 1-qubit gates, depolarize2 after 2-qubit gates, per qubit for larger ones),
 *    value and (10 qubits) adjoint gradient; the noiseless state vector of the same circuit is timed
 *    in the same run for scale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyNoiseModel, parseNoiseModel } from '../src/noise/model.js';
import { densityExpectation, densityExpectationAndGradient } from '../src/simulators/density/index.js';
import { expectation } from '../src/simulators/statevector/index.js';
import type { Observable } from '../src/ir/types.js';
import { randomCircuit } from './statevector.js';

const quick = process.argv.includes('--quick');
const model = parseNoiseModel({ after: { '1q': [['depolarize', 0.001]], '2q': [['depolarize2', 0.01]], '3q': [['depolarize', 0.001]] } }, 'bench model');

function time<T>(f: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

const cases = [];
for (const n of quick ? [10] : [10, 12]) {
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

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'noise.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({
  benchmark: 'noise', date: new Date().toISOString(), node: process.version, load_average: loadavg(),
  note: 'machine shared with other work while measured (see load_average)', density_matrix: cases,
}, null, 2) + '\n');
console.log(`wrote ${out}`);
