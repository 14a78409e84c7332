import { l2Norm } from '../gradients/sampling.js';
import { parseScaleExpression } from '../bounds/scale.js';
import { buildAnsatz } from '../ansatz/index.js';
import { encodeLce } from '../encoder/lce.js';
import type { Circuit, Observable } from '../ir/types.js';
import { parseObservableText } from '../pauli/observable-text.js';
import { createRng } from '../random/rng.js';
import { expectationAndGradient } from '../simulators/statevector/index.js';
import { formatNumberShort, markdownTable } from '../reports/markdown.js';
import { writeJson, writePlot, writeText } from '../reports/write.js';
import type { TopLevelSpec } from 'vega-lite';
import type { ExperimentDefinition, Task } from './framework.js';
import { seedFor, type KeyedRecord } from './store.js';

/**
 * Experiment 6 of REFERENCE §5: VQE by plain gradient descent (exact adjoint gradients), with and
 * without LCE, for the global-Z, Heisenberg and transverse-field Ising Hamiltonians on an open
 * chain, from starting points θ* + δ, δ ~ N(0, σ²I), on mHEA with L = N. The LCE is built on the
 * Hamiltonian's largest-|coefficient| term (the first on ties). Energies are divided by ‖H‖₁ so
 * the three models share a scale.
 */
export interface VqeRecord extends KeyedRecord {
  readonly hamiltonian: string;
  readonly N: number;
  readonly D: number;
  readonly sigmaLabel: string;
  readonly seed: number;
  /** E/‖H‖₁ every `every` steps, starting with the initial point. */
  readonly every: number;
  readonly energies: readonly number[];
  readonly energiesLce: readonly number[];
  readonly initialGradient: number;
  readonly initialGradientLce: number;
  readonly seconds: number;
}

export const HAMILTONIANS = ['global-Z', 'Heisenberg', 'TFIM'] as const;

export function hamiltonian(name: (typeof HAMILTONIANS)[number], N: number): Observable {
  const bonds = Array.from({ length: N - 1 }, (_, i) => i);
  const text =
    name === 'global-Z' ? Array.from({ length: N }, (_, i) => `Z${i}`).join(' ')
    : name === 'Heisenberg' ? bonds.map((i) => `X${i} X${i + 1} + Y${i} Y${i + 1} + Z${i} Z${i + 1}`).join(' + ')
    : [...bonds.map((i) => `-Z${i} Z${i + 1}`), ...Array.from({ length: N }, (_, i) => `-X${i}`)].join(' ');
  return parseObservableText(text, { name, numQubits: N });
}

const SIGMAS = [
  { label: 'σ = D^−1', text: 'D^-1' },
  { label: 'σ = D^−1/2', text: 'D^(-1/2)' },
  { label: 'σ = 1', text: '1' },
];

interface VqeSettings {
  sizes: number[];
  seeds: number;
  steps: number;
  every: number;
  learningRate: number;
}

export function vqeSettings(quick: boolean): VqeSettings {
  return quick ? { sizes: [4, 6], seeds: 3, steps: 80, every: 5, learningRate: 0.1 } : { sizes: [4, 6, 8], seeds: 10, steps: 200, every: 10, learningRate: 0.1 };
}

function descend(circuit: Circuit, obs: Observable, start: Float64Array, s: VqeSettings, norm1: number) {
  const theta = Float64Array.from(start);
  const energies: number[] = [];
  let initialGradient = NaN;
  for (let step = 0; step <= s.steps; step++) {
    const { value, gradient } = expectationAndGradient(circuit, theta, obs);
    if (step === 0) initialGradient = l2Norm(gradient);
    if (step % s.every === 0) energies.push(value / norm1);
    if (step === s.steps) break;
    for (let k = 0; k < theta.length; k++) theta[k] = theta[k]! - s.learningRate * gradient[k]!;
  }
  return { energies, initialGradient };
}

export function vqeRecord(key: string, name: (typeof HAMILTONIANS)[number], N: number, sigmaText: string, sigmaLabel: string, seed: number, s: VqeSettings): VqeRecord {
  const t0 = performance.now();
  const circuit = buildAnsatz('mhea', { qubits: N, layers: N });
  const D = circuit.numParameters;
  const H = hamiltonian(name, N);
  const norm1 = H.terms.reduce((a, t) => a + Math.abs(t.coeff), 0);
  const rng = createRng(seedFor('vqe', name, N, sigmaLabel, seed));
  const sigma = parseScaleExpression(sigmaText).at(D);
  const start = Float64Array.from({ length: D }, () => sigma * rng.normal());
  const lce = encodeLce(circuit, H, { target: rng.int(D) });
  const plain = descend(circuit, H, start, s, norm1);
  const enc = descend(lce.circuit, H, start, s, norm1);
  return {
    key, hamiltonian: name, N, D, sigmaLabel, seed, every: s.every,
    energies: plain.energies, energiesLce: enc.energies,
    initialGradient: plain.initialGradient, initialGradientLce: enc.initialGradient,
    seconds: (performance.now() - t0) / 1000,
  };
}

function plan(quick: boolean): Task<VqeRecord>[] {
  const s = vqeSettings(quick);
  const tasks: Task<VqeRecord>[] = [];
  for (const N of s.sizes) {
    for (const h of HAMILTONIANS) {
      for (const sg of SIGMAS) {
        for (let seed = 0; seed < s.seeds; seed++) {
          // Quick and full runs differ in steps: the key says which, so --resume never mixes them.
          const key = `${h}/N${N}/${sg.text}/s${seed}/steps${s.steps}`;
          tasks.push({ key, label: `${h}, N = ${N}, ${sg.label}, seed ${seed}`, run: () => vqeRecord(key, h, N, sg.text, sg.label, seed, s) });
        }
      }
    }
  }
  return tasks;
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const vqeExperiment: ExperimentDefinition<VqeRecord> = {
  name: 'vqe',
  number: 6,
  title: 'VQE by gradient descent with and without LCE',
  description: 'global-Z, Heisenberg and TFIM chains, mHEA with L = N, starts θ* + N(0, σ²I), learning rate 0.1',
  plan: ({ quick }) => plan(quick),
  async report(records, { outDir, complete }) {
    const largestN = Math.max(...records.map((r) => r.N));
    const shown = records.filter((r) => r.N === largestN);
    const rows: Record<string, unknown>[] = [];
    const groups = new Map<string, VqeRecord[]>();
    for (const r of shown) {
      const k = `${r.hamiltonian}|${r.sigmaLabel}`;
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(r);
    }
    for (const [k, rs] of groups) {
      const [h, sg] = k.split('|');
      for (const lce of [false, true]) {
        const curves = rs.map((r) => (lce ? r.energiesLce : r.energies));
        for (let i = 0; i < curves[0]!.length; i++) {
          rows.push({ step: i * rs[0]!.every, energy: median(curves.map((c) => c[i]!)), hamiltonian: h, sigma: sg, lce: lce ? 'with LCE' : 'without LCE' });
        }
      }
    }
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: `Experiment 6: VQE, mHEA with L = N = ${largestN}`, subtitle: 'median over seeds of E/‖H‖₁ during gradient descent' },
      data: { values: rows },
      facet: {
        column: { field: 'hamiltonian', type: 'nominal', title: null, sort: [...HAMILTONIANS] },
        row: { field: 'sigma', type: 'nominal', title: null, sort: SIGMAS.map((s) => s.label) },
      },
      spec: {
        width: 220, height: 150,
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'gradient-descent step' },
          y: { field: 'energy', type: 'quantitative', title: 'E / ‖H‖₁', scale: { zero: false } },
          color: { field: 'lce', type: 'nominal', title: null, sort: ['without LCE', 'with LCE'] },
        },
      },
    } as unknown as TopLevelSpec;
    const files = await writePlot(outDir, 'vqe', spec);
    files.push(writeJson(outDir, 'results.json', { experiment: 'vqe', complete, records: records.length, medians: rows }));
    const summaryRows = [...groups].map(([k, rs]) => {
      const [h, sg] = k.split('|');
      const final = (lce: boolean) => median(rs.map((r) => (lce ? r.energiesLce : r.energies).at(-1)!));
      const g0 = (lce: boolean) => median(rs.map((r) => (lce ? r.initialGradientLce : r.initialGradient)));
      return [h!, sg!, g0(false), g0(true), final(false), final(true)];
    });
    const lines = [
      `# Experiment 6: VQE with and without LCE (N = ${largestN})`,
      '',
      complete ? '' : '**Partial run** (`--resume` continues).',
      markdownTable(['Hamiltonian', 'start', '‖∇E‖ at start', 'with LCE', 'final E/‖H‖₁', 'with LCE'], summaryRows),
      '',
      '## What the run shows',
      '',
      ...summaryRows.map(([h, sg, g0, g0l, e, el]) => {
        const d = (el as number) - (e as number);
        const cmp = Math.abs(d) < 1e-3 ? 'the same final energy' : d < 0 ? `a lower final energy (by ${(-d).toPrecision(2)} ‖H‖₁)` : `a higher final energy (by ${d.toPrecision(2)} ‖H‖₁)`;
        return `- ${h}, ${sg}: median start gradient ${formatNumberShort(g0 as number)} without and ${formatNumberShort(g0l as number)} with LCE; LCE reaches ${cmp}.`;
      }),
      '',
      'The encoder changes the landscape near θ* (a guaranteed gradient of at least |c_term| there); far from θ* (σ = 1) both circuits behave alike.',
    ];
    files.push(writeText(outDir, 'summary.md', lines.join('\n') + '\n'));
    return files;
  },
};
