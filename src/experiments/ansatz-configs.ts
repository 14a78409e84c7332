import { buildAnsatz, type AnsatzFamily } from '../ansatz/index.js';
import type { Circuit } from '../ir/types.js';

/** The circuit families of the paper's gradient experiments (REFERENCE §5, experiments 1–3). */
export interface AnsatzConfig {
  readonly id: string;
  readonly label: string;
  readonly family: AnsatzFamily;
  /** Layers (rPQC: depth) as a function of N. */
  readonly layers: (N: number) => number;
  /** Largest N of the full run and of --quick. */
  readonly maxN: number;
  readonly quickMaxN: number;
}

export const GRADIENT_CONFIGS: readonly AnsatzConfig[] = [
  { id: 'mhea-deep', label: 'mHEA, L = N', family: 'mhea', layers: (N) => N, maxN: 16, quickMaxN: 10 },
  { id: 'mhea-shallow', label: 'mHEA, L = 1', family: 'mhea', layers: () => 1, maxN: 32, quickMaxN: 16 },
  { id: 'fhea-shallow', label: 'fHEA, L = 1', family: 'fhea', layers: () => 1, maxN: 32, quickMaxN: 16 },
  { id: 'rpqc', label: 'rPQC, depth 5', family: 'rpqc', layers: () => 5, maxN: 32, quickMaxN: 16 },
];

export function buildConfig(config: AnsatzConfig, N: number, seed: number): Circuit {
  return buildAnsatz(config.family, { qubits: N, layers: config.layers(N), seed });
}
