import { constantExpr, parameterExpr } from '../../src/ir/affine.js';
import { CircuitAssembler } from '../../src/ir/circuit.js';
import { cliffordGate, rotationGate } from '../../src/ir/gate-library.js';
import type { Circuit, CliffordName, Gate, Observable, PauliLetter } from '../../src/ir/types.js';
import { CLIFFORD_ARITY, CLIFFORD_GATE_NAMES } from '../../src/ir/types.js';
import type { Rng } from '../../src/random/rng.js';

/**
 * Random test circuits for the LCE: every Clifford gate of the IR, Pauli rotations of weight 1–4
 * (each with its own parameter of slope ±1, or a fixed multiple of π/2), a random Pauli
 * observable and a random Clifford center.
 */
export interface RandomCase {
  circuit: Circuit;
  observable: Observable;
  center: Float64Array;
}

const LETTERS: readonly PauliLetter[] = ['X', 'Y', 'Z'];

function distinctQubits(rng: Rng, n: number, k: number): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, k);
}

export function randomPauliLetters(rng: Rng, n: number, maxWeight = n): { qubits: number[]; letters: PauliLetter[] } {
  const w = 1 + rng.int(Math.min(maxWeight, n));
  const qubits = distinctQubits(rng, n, w).sort((a, b) => a - b);
  return { qubits, letters: qubits.map(() => LETTERS[rng.int(3)]!) };
}

export function randomCase(rng: Rng, n: number, numGates: number, observableTerms = 1): RandomCase {
  const gates: Gate[] = [];
  let params = 0;
  const slopes: number[] = [];
  for (let i = 0; i < numGates; i++) {
    const r = rng.next();
    if (r < 0.45) {
      const name = CLIFFORD_GATE_NAMES[rng.int(CLIFFORD_GATE_NAMES.length)] as CliffordName;
      if (CLIFFORD_ARITY[name] === 2 && n < 2) continue;
      gates.push(cliffordGate(name, distinctQubits(rng, n, CLIFFORD_ARITY[name])));
    } else {
      const p = randomPauliLetters(rng, n, 4);
      if (r < 0.9) {
        const slope = rng.next() < 0.5 ? 1 : -1;
        slopes.push(slope);
        gates.push(rotationGate(p.letters.join(''), p.qubits, parameterExpr(params++, slope)));
      } else {
        gates.push(rotationGate(p.letters.join(''), p.qubits, constantExpr(rng.int(4) * (Math.PI / 2))));
      }
    }
  }
  if (params === 0) {
    gates.push(rotationGate('Z', [rng.int(n)], parameterExpr(params++)));
  }
  const b = new CircuitAssembler();
  b.setQubits(n);
  b.declareParameter('theta', params);
  b.addGates(gates);
  const terms = Array.from({ length: observableTerms }, () => {
    const p = randomPauliLetters(rng, n);
    return { coeff: Math.round((rng.next() * 2 - 1) * 100) / 50 || 1, pauli: p };
  });
  const center = Float64Array.from({ length: params }, () => (rng.int(4) - 1) * (Math.PI / 2));
  return { circuit: b.build(), observable: { name: 'obs', terms }, center };
}
