/**
 * State-vector simulator benchmark (issue 2, item 9). Run: `npx tsx bench/statevector.ts`
 * (`--quick` skips the largest cases). Writes bench/results/statevector.json.
 * Targets: 20 qubits / 200 gates / 10-term observable ≤ 0.25 s per expectation;
 * adjoint gradient of mHEA N = 16, L = 16 (D = 544) ≤ 2 s.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parameterExpr } from '../src/ir/affine.js';
import { CircuitAssembler } from '../src/ir/circuit.js';
import { GATE_LIBRARY } from '../src/ir/gate-library.js';
import type { AffineExpr, Circuit, Observable, PauliLetter, PauliTerm } from '../src/ir/types.js';
import { sparsePauli } from '../src/pauli/sparse.js';
import { expectation, expectationAndGradient } from '../src/simulators/statevector/index.js';

/** mulberry32: small seeded PRNG so the benchmark circuits are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function distinctQubits(rand: () => number, n: number, k: number): number[] {
  const qs: number[] = [];
  while (qs.length < k) {
    const q = Math.floor(rand() * n);
    if (!qs.includes(q)) qs.push(q);
  }
  return qs;
}

function gate(b: CircuitAssembler, name: string, qubits: number[], angles: AffineExpr[] = []): void {
  b.addGates(GATE_LIBRARY.get(name)!.lower(qubits, angles));
}

/** 200-gate random circuit: 1q rotations, cx, rzz, some Clifford 1q gates, a few 3-qubit Pauli rotations. */
export function randomCircuit(n: number, numGates: number, seed: number): { circuit: Circuit; params: Float64Array } {
  const rand = rng(seed);
  const b = new CircuitAssembler();
  b.setQubits(n);
  b.declareParameter('theta', numGates);
  const letters: PauliLetter[] = ['X', 'Y', 'Z'];
  for (let g = 0; g < numGates; g++) {
    const angle = parameterExpr(g);
    const u = rand();
    if (u < 0.5) gate(b, ['rx', 'ry', 'rz'][Math.floor(rand() * 3)]!, distinctQubits(rand, n, 1), [angle]);
    else if (u < 0.7) gate(b, 'cx', distinctQubits(rand, n, 2));
    else if (u < 0.87) gate(b, 'rzz', distinctQubits(rand, n, 2), [angle]);
    else if (u < 0.95) gate(b, ['h', 's', 'sx'][Math.floor(rand() * 3)]!, distinctQubits(rand, n, 1));
    else {
      const qs = distinctQubits(rand, n, 3);
      b.addGates([{
        kind: 'rotation',
        pauli: sparsePauli(qs.map((q) => [q, letters[Math.floor(rand() * 3)]!] as const)),
        angle,
      }]);
    }
  }
  const params = Float64Array.from({ length: numGates }, () => (rand() - 0.5) * 2 * Math.PI);
  return { circuit: b.build(), params };
}

export function randomObservable(n: number, numTerms: number, seed: number): Observable {
  const rand = rng(seed);
  const letters: PauliLetter[] = ['X', 'Y', 'Z'];
  const terms: PauliTerm[] = [];
  for (let t = 0; t < numTerms; t++) {
    const w = 1 + Math.floor(rand() * 4);
    const qs = distinctQubits(rand, n, w);
    terms.push({ coeff: rand() * 2 - 1, pauli: sparsePauli(qs.map((q) => [q, letters[Math.floor(rand() * 3)]!] as const)) });
  }
  return { name: 'O', terms };
}

/** mHEA (REFERENCE §4): L × [ry layer, rz layer, circular CX] + final [ry, rz]; D = 2N(L+1). */
export function mhea(n: number, layers: number): Circuit {
  const b = new CircuitAssembler();
  b.setQubits(n);
  const D = 2 * n * (layers + 1);
  b.declareParameter('theta', D);
  let p = 0;
  const rotationLayer = () => {
    for (const name of ['ry', 'rz']) for (let q = 0; q < n; q++) gate(b, name, [q], [parameterExpr(p++)]);
  };
  for (let l = 0; l < layers; l++) {
    rotationLayer();
    if (n === 2) gate(b, 'cx', [0, 1]);
    else if (n > 2) {
      gate(b, 'cx', [n - 1, 0]);
      for (let q = 0; q < n - 1; q++) gate(b, 'cx', [q, q + 1]);
    }
  }
  rotationLayer();
  return b.build();
}

/**
 * Wall-clock and CPU seconds per run. The CPU figure (user + system of this process) is the one
 * to compare with the targets on a shared machine, where other processes stretch the wall clock.
 */
function time<T>(fn: () => T, repeats: number): { seconds: number[]; cpuSeconds: number[]; result: T } {
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let result!: T;
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = fn();
    seconds.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpuSeconds.push((c.user + c.system) / 1e6);
  }
  return { seconds, cpuSeconds, result };
}

const summary = (s: number[]) => ({ min: Math.min(...s), median: [...s].sort((a, b) => a - b)[Math.floor(s.length / 2)]!, runs: s });

function main(): void {
  const quick = process.argv.includes('--quick');
  const results: Record<string, unknown>[] = [];
  const log = (r: Record<string, unknown>) => {
    results.push(r);
    console.log(JSON.stringify(r));
  };

  for (const n of quick ? [20] : [20, 24]) {
    const { circuit, params } = randomCircuit(n, 200, 1000 + n);
    const obs = randomObservable(n, 10, 2000 + n);
    const t = time(() => expectation(circuit, params, obs), n >= 24 ? 3 : 5);
    log({
      case: 'expectation', qubits: n, gates: circuit.gates.length, observableTerms: obs.terms.length,
      seconds: summary(t.seconds), cpuSeconds: summary(t.cpuSeconds), value: t.result, target: n === 20 ? 0.25 : null,
    });
  }

  for (const n of quick ? [16] : [16, 20]) {
    const circuit = mhea(n, n);
    const rand = rng(3000 + n);
    const params = Float64Array.from({ length: circuit.numParameters }, () => (rand() - 0.5) * 0.2);
    const obs = randomObservable(n, 10, 4000 + n);
    const t = time(() => expectationAndGradient(circuit, params, obs), n >= 20 ? 1 : 3);
    let norm = 0;
    for (const g of t.result.gradient) norm += g * g;
    log({
      case: 'adjoint-gradient-mhea', qubits: n, layers: n, parameters: circuit.numParameters,
      gates: circuit.gates.length, observableTerms: obs.terms.length,
      seconds: summary(t.seconds), cpuSeconds: summary(t.cpuSeconds), value: t.result.value, gradientNorm: Math.sqrt(norm),
      target: n === 16 ? 2 : null,
    });
  }

  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'statevector.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({
    benchmark: 'statevector', node: process.version, date: new Date().toISOString(), quick,
    loadAverage: loadavg(), results,
  }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

// Run only when executed directly, so the circuit builders can be imported by other scripts.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
