import { parameterExpr } from '../ir/affine.js';
import { CircuitAssembler } from '../ir/circuit.js';
import { UserError } from '../ir/errors.js';
import { cliffordGate, rotationGate } from '../ir/gate-library.js';
import type { Circuit, CliffordName, Gate } from '../ir/types.js';

/**
 * Qiskit's `efficient_su2` / `EfficientSU2` (an `n_local` circuit), gate for gate and parameter for
 * parameter: reps × [rotation layer; CX entanglement layer], then a final rotation layer unless
 * skipped. A rotation layer applies each gate of `su2Gates` in turn to qubits 0 … N−1; each
 * parametrized gate takes the next element of the vector θ (Qiskit's default prefix), so θ is
 * numbered exactly as Qiskit numbers it. The CX pairs of layer l come from the entanglement
 * pattern (see `entanglementPairs`; `sca` depends on l). Defaults are Qiskit's: gates ry, rz,
 * `reverse_linear`, 3 reps. On one qubit there is no entanglement layer.
 */
export const ENTANGLEMENTS = ['reverse_linear', 'linear', 'circular', 'full', 'pairwise', 'sca'] as const;
export type Entanglement = (typeof ENTANGLEMENTS)[number];

/** One-qubit gates a rotation layer may use: Pauli rotations (one parameter each) or fixed Cliffords. */
const ROTATIONS: Record<string, 'X' | 'Y' | 'Z'> = { rx: 'X', ry: 'Y', rz: 'Z', p: 'Z' };
const FIXED = new Set<string>(['h', 'x', 'y', 'z', 's', 'sdg', 'sx', 'sxdg']);

export interface EfficientSu2Options {
  qubits: number;
  reps?: number;
  su2Gates?: readonly string[];
  entanglement?: Entanglement;
  skipFinalRotationLayer?: boolean;
  parameterName?: string;
}

export function buildEfficientSu2(options: EfficientSu2Options): Circuit {
  const n = options.qubits;
  const reps = options.reps ?? 3;
  const su2 = options.su2Gates ?? ['ry', 'rz'];
  const ent = options.entanglement ?? 'reverse_linear';
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--qubits must be a positive integer, got ${n}`);
  if (!Number.isInteger(reps) || reps < 0) throw new UserError(`--reps must be a non-negative integer, got ${reps}`);
  if (su2.length === 0) throw new UserError('--su2-gates: give at least one gate (e.g. ry,rz)');
  for (const g of su2) {
    if (!(g in ROTATIONS) && !FIXED.has(g)) {
      throw new UserError(`--su2-gates: '${g}' is not supported (use rx, ry, rz, p or the Cliffords ${[...FIXED].join(', ')})`);
    }
  }
  if (!(ENTANGLEMENTS as readonly string[]).includes(ent)) throw new UserError(`--entanglement must be one of ${ENTANGLEMENTS.join(', ')}`);
  const gates: Gate[] = [];
  let k = 0;
  const rotationLayer = () => {
    for (const g of su2) {
      for (let q = 0; q < n; q++) {
        const letter = ROTATIONS[g];
        gates.push(letter ? rotationGate(letter, [q], parameterExpr(k++)) : cliffordGate(g as CliffordName, [q]));
      }
    }
  };
  for (let l = 0; l < reps; l++) {
    rotationLayer();
    if (n > 1) for (const [c, t] of entanglementPairs(ent, n, l)) gates.push(cliffordGate('cx', [c, t]));
  }
  if (!options.skipFinalRotationLayer) rotationLayer();
  const b = new CircuitAssembler();
  b.setQubits(n);
  if (k > 0) b.declareParameter(options.parameterName ?? 'θ', k);
  b.addGates(gates);
  return b.build();
}

/**
 * Two-qubit blocks of Qiskit's entanglement strategies on n qubits, for layer `layer`:
 * full = all (i, j), i < j, lexicographic; linear = (0,1), (1,2), …; reverse_linear = linear
 * reversed; circular = (n−1, 0) then linear (just (0,1) for n = 2); pairwise = linear's even-
 * then odd-indexed pairs; sca = circular rotated right by `layer` places, each pair flipped on
 * odd layers.
 */
export function entanglementPairs(ent: Entanglement, n: number, layer = 0): [number, number][] {
  if (n < 2) return [];
  const linear: [number, number][] = [];
  for (let i = 0; i + 1 < n; i++) linear.push([i, i + 1]);
  const circular: [number, number][] = n === 2 ? linear : [[n - 1, 0], ...linear];
  switch (ent) {
    case 'linear':
      return linear;
    case 'reverse_linear':
      return linear.slice().reverse();
    case 'circular':
      return circular;
    case 'full': {
      const out: [number, number][] = [];
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j]);
      return out;
    }
    case 'pairwise':
      return [...linear.filter((_, i) => i % 2 === 0), ...linear.filter((_, i) => i % 2 === 1)];
    case 'sca': {
      const m = circular.length;
      const split = (m - (layer % m)) % m;
      const shifted = [...circular.slice(split), ...circular.slice(0, split)];
      return layer % 2 === 0 ? shifted : shifted.map(([a, b]) => [b, a]);
    }
  }
}
