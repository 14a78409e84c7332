import { constantExpr, parameterExpr } from '../ir/affine.js';
import { CircuitAssembler } from '../ir/circuit.js';
import { UserError } from '../ir/errors.js';
import { cliffordGate, rotationGate } from '../ir/gate-library.js';
import type { AffineExpr, Circuit, PauliLetter } from '../ir/types.js';
import { createRng } from '../random/rng.js';
import { circularTopology, EAGLE_QUBITS, fullTopology, namedTopology, type Topology, type TopologyName } from './topology.js';

/**
 * The circuit families of REFERENCE §4, gate order exactly as specified there. Parametrized
 * families use one vector parameter `theta`, consumed in gate order; `angle` (tfi, hea) gives
 * every rotation that fixed numeric angle instead.
 */
export const ANSATZ_FAMILIES = ['mhea', 'fhea', 'rpqc', 'tfi', 'hea', 'kicked-ising'] as const;
/** The circuit families of the paper and of PauliPropagation.jl users (REFERENCE §4). */
export type AnsatzFamily = (typeof ANSATZ_FAMILIES)[number];

/** Size and variant of an ansatz circuit; `qubits` and `layers` are positive integers. */
export interface AnsatzOptions {
  qubits: number;
  layers: number;
  /** rPQC's random choices. */
  seed?: number;
  /** Fixed angle for every rotation (tfi, hea). */
  angle?: number;
  /** tfi/hea/kicked-ising: periodic brick topology (default true, as in the propagation benchmarks). */
  periodic?: boolean;
  /** tfi/hea/kicked-ising: coupling map of the two-qubit layers (default brick). */
  topology?: TopologyName;
}

/** The fixed RZZ angle of the kicked-Ising circuit (PauliPropagation.jl's utility example). */
export const KICKED_ISING_ZZ_ANGLE = -Math.PI / 2;

const ANGLE_FAMILIES: readonly AnsatzFamily[] = ['tfi', 'hea', 'kicked-ising'];

/** Allocates consecutive theta slots, or returns the fixed angle. */
class AngleSource {
  count = 0;
  constructor(private readonly fixed: number | undefined) {}
  next(): AffineExpr {
    return this.fixed !== undefined ? constantExpr(this.fixed) : parameterExpr(this.count++);
  }
}

/**
 * Builds an ansatz circuit with the parameter vector `theta` (Qiskit EfficientSU2 gate order for
 * mHEA and fHEA; see REFERENCE §4). Throws a UserError for a non-positive qubit or layer count.
 * @example
 * ```ts
 * const c = buildAnsatz('mhea', { qubits: 4, layers: 2 }); // D = 2·4·3 = 24 parameters
 * ```
 */
export function buildAnsatz(family: AnsatzFamily, options: AnsatzOptions): Circuit {
  const { qubits: n, layers: L } = options;
  if (!Number.isInteger(n) || n < 1) throw new UserError(`\`qubits\` must be a positive integer, got ${n}`);
  if (!Number.isInteger(L) || L < 1) throw new UserError(`\`layers\` must be a positive integer, got ${L}`);
  if (options.angle !== undefined && !ANGLE_FAMILIES.includes(family)) {
    throw new UserError(`\`angle\` applies to tfi, hea and kicked-ising only; ${family} is parametrized by theta`);
  }
  if (options.topology !== undefined && !ANGLE_FAMILIES.includes(family)) {
    throw new UserError(`\`topology\` applies to tfi, hea and kicked-ising only; ${family} has its own entangling pattern`);
  }
  if (options.topology === 'eagle' && n !== EAGLE_QUBITS) {
    throw new UserError(`\`topology\` eagle is IBM Eagle's 127-qubit heavy-hex map; use \`qubits\` ${EAGLE_QUBITS}, not ${n}`);
  }
  const angles = new AngleSource(options.angle);
  const gates: ReturnType<typeof rotationGate>[] = [];
  const rotLayer = (letters: readonly PauliLetter[]) => {
    for (const l of letters) for (let q = 0; q < n; q++) gates.push(rotationGate(l, [q], angles.next()));
  };
  const cxLayer = (top: Topology) => {
    for (const [c, t] of top) gates.push(cliffordGate('cx', [c, t]));
  };
  const pairLayer = (letters: string, top: Topology) => {
    for (const [a, b] of top) gates.push(rotationGate(letters, [a, b], angles.next()));
  };
  const periodic = options.periodic ?? true;
  const coupling = () => namedTopology(options.topology ?? 'brick', n, periodic);
  switch (family) {
    case 'mhea':
    case 'fhea': {
      const letters: PauliLetter[] = family === 'mhea' ? ['Y', 'Z'] : ['X', 'Y', 'Z'];
      const top = family === 'mhea' ? circularTopology(n) : fullTopology(n);
      for (let l = 0; l < L; l++) {
        rotLayer(letters);
        cxLayer(top);
      }
      rotLayer(letters);
      break;
    }
    case 'rpqc': {
      const rng = createRng(options.seed ?? 0);
      const choices: PauliLetter[] = ['X', 'Y', 'Z'];
      for (let l = 0; l < L; l++) {
        for (let q = 0; q < n; q++) gates.push(rotationGate(choices[rng.int(3)]!, [q], angles.next()));
        for (let q = 0; q < n; q++) {
          if (rng.next() < 0.5) gates.push(cliffordGate('h', [q]));
          if (rng.next() < 0.5) gates.push(cliffordGate('s', [q]));
        }
        if (n >= 2) {
          for (let k = 0; k < n; k++) {
            const c = rng.int(n);
            let t = rng.int(n - 1);
            if (t >= c) t++;
            gates.push(cliffordGate('cx', [c, t]));
          }
        }
      }
      break;
    }
    case 'tfi': {
      const top = coupling();
      pairLayer('ZZ', top);
      for (let l = 0; l < L - 1; l++) {
        rotLayer(['X']);
        pairLayer('ZZ', top);
      }
      rotLayer(['X']);
      break;
    }
    case 'hea': {
      const top = coupling();
      for (let l = 0; l < L; l++) {
        for (let q = 0; q < n; q++) {
          gates.push(rotationGate('X', [q], angles.next()));
          gates.push(rotationGate('Z', [q], angles.next()));
          gates.push(rotationGate('X', [q], angles.next()));
        }
        pairLayer('YY', top);
      }
      break;
    }
    case 'kicked-ising': {
      // Per layer: RX(θ) on every qubit, then the fixed RZZ(−π/2) on every coupling.
      const top = coupling();
      const zz = constantExpr(KICKED_ISING_ZZ_ANGLE);
      for (let l = 0; l < L; l++) {
        rotLayer(['X']);
        for (const [a, b] of top) gates.push(rotationGate('ZZ', [a, b], zz));
      }
      break;
    }
  }
  const b = new CircuitAssembler();
  b.setQubits(n);
  if (angles.count > 0) b.declareParameter('theta', angles.count);
  b.addGates(gates);
  return b.build();
}

/** Number of parameters D of a family without building it (mHEA: 2N(L+1), fHEA: 3N(L+1), …). */
export function ansatzParameterCount(family: AnsatzFamily, n: number, L: number, periodic = true, topology: TopologyName = 'brick'): number {
  const bonds = () => namedTopology(topology, n, periodic).length;
  switch (family) {
    case 'mhea': return 2 * n * (L + 1);
    case 'fhea': return 3 * n * (L + 1);
    case 'rpqc': return n * L;
    case 'tfi': return bonds() * L + n * L;
    case 'hea': return (3 * n + bonds()) * L;
    case 'kicked-ising': return n * L;
  }
}
