import { constantExpr } from '../ir/affine.js';
import { cliffordGate, rotationGate } from '../ir/gate-library.js';
import { CLIFFORD_GATES } from '../ir/clifford-gates.js';
import type { CliffordName, Gate, PauliLetter } from '../ir/types.js';
import type { FrozenCircuit } from '../clifford-point/frozen.js';

/** Named single-qubit Cliffords equal (up to phase) to R_P by 1, 2, 3 quarter turns (from the gate records). */
const QUARTER_TURN_GATES: Record<PauliLetter, (CliffordName | null)[]> = { X: [null, null, null, null], Y: [null, null, null, null], Z: [null, null, null, null] };
for (const g of Object.values(CLIFFORD_GATES)) if (g.quarterTurn) QUARTER_TURN_GATES[g.quarterTurn.letter][g.quarterTurn.turns] = g.name;

/**
 * The inverse of the Clifford skeleton of frame gates [from, to) in circuit order (last gate's
 * inverse first). Rotations at the point become the inverse quarter-turn: a named gate when one
 * exists (s, z, sdg, sx, x, sxdg, y), otherwise a fixed-angle rotation by −m·π/2; rotations at
 * angle 0 are the identity and are left out.
 */
export function inverseSkeleton(frame: FrozenCircuit, from: number, to: number): Gate[] {
  const out: Gate[] = [];
  for (let g = to - 1; g >= from; g--) {
    const gate = frame.gates[g]!;
    if (gate.kind === 'clifford') {
      out.push(cliffordGate(CLIFFORD_GATES[gate.name].inverse, gate.qubits));
      continue;
    }
    const m = frame.turns[g]!;
    if (m === 0) continue;
    const inv = (4 - m) % 4;
    if (gate.pauli.qubits.length === 1) {
      const named = QUARTER_TURN_GATES[gate.pauli.letters[0]!][inv] ?? null;
      if (named) {
        out.push(cliffordGate(named, gate.pauli.qubits));
        continue;
      }
    }
    out.push(rotationGate(gate.pauli.letters.join(''), gate.pauli.qubits, constantExpr(-m * (Math.PI / 2))));
  }
  return out;
}
