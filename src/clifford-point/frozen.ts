import { evaluateExpr } from '../ir/affine.js';
import { UserError } from '../ir/errors.js';
import type { InitialState } from '../ir/states.js';
import { packBasisBits, ZERO_STATE } from '../ir/states.js';
import type { Gate, SparsePauli, UnitaryGate } from '../ir/types.js';
import { conjugateByClifford } from '../pauli/clifford.js';
import { basisExpectation, commutes, plusExpectation, wordsFor } from '../pauli/packed.js';
import { packSparse } from '../pauli/sparse.js';
import { quarterTurns, rotateAtQuarterTurns, timesIG } from './heisenberg.js';

/**
 * A gate list frozen at a Clifford point: every rotation angle is a multiple of π/2 there, so the
 * Heisenberg image of a Pauli string through any stretch of gates is again ± one Pauli string.
 * This is the exact, size-independent arithmetic the LCE construction and the gradient-at-θ*
 * statistics are built on.
 */
export interface FrozenCircuit {
  readonly gates: readonly UnitaryGate[];
  readonly numQubits: number;
  readonly W: number;
  /** Per gate: quarter turns (0…3) of a rotation's angle at the point; 0 for Clifford gates. */
  readonly turns: Uint8Array;
  /** Packed generators, 2W words per gate (all zero for Clifford gates). */
  readonly generators: Uint32Array;
}

/** Freezes `gates` at `point`; a rotation whose angle is not a multiple of π/2 is a UserError. */
export function freezeCircuit(gates: readonly Gate[], numQubits: number, point: ArrayLike<number>): FrozenCircuit {
  const W = wordsFor(numQubits);
  const turns = new Uint8Array(gates.length);
  const generators = new Uint32Array(gates.length * 2 * W);
  gates.forEach((g, i) => {
    if (g.kind === 'clifford') return;
    if (g.kind === 'channel') {
      throw new UserError(`gate ${i + 1} is a noise channel (${g.name}): the Clifford-point algebra applies unitary gates only`, g.source);
    }
    const angle = evaluateExpr(g.angle, point);
    const m = quarterTurns(angle);
    if (m < 0) {
      const where = g.source ? `${g.source.file}:${g.source.line}:${g.source.column}: ` : '';
      throw new UserError(
        `${where}gate ${i + 1} has angle ${angle} at the center, not a multiple of π/2: the circuit is not Clifford there` +
          ' (fixed non-Clifford gates such as t are not supported here)',
      );
    }
    turns[i] = m;
    packSparse(g.pauli, generators, i * 2 * W, W);
  });
  return { gates: gates as readonly UnitaryGate[], numQubits, W, turns, generators };
}

/**
 * One Heisenberg step s ← G†·s·G through gate `g` of the frame, in place on (s, so). Returns the
 * sign factor (+1 or −1) picked up. A rotation by m quarter turns maps an anticommuting Q to
 * cos(mπ/2)·Q + sin(mπ/2)·iGQ (REFERENCE §2).
 */
export function conjugateByFrameGate(frame: FrozenCircuit, g: number, s: Uint32Array, so: number): number {
  const gate = frame.gates[g]!;
  if (gate.kind === 'clifford') return conjugateByClifford(gate.name, gate.qubits, s, so, frame.W) ? -1 : 1;
  return rotateAtQuarterTurns(frame.generators, g * 2 * frame.W, frame.turns[g]!, s, so, frame.W);
}

/** Heisenberg image through gates [from, to) (applied from `to − 1` down); returns the sign. */
export function propagateBack(frame: FrozenCircuit, from: number, to: number, s: Uint32Array, so = 0): number {
  let sign = 1;
  for (let g = to - 1; g >= from; g--) sign *= conjugateByFrameGate(frame, g, s, so);
  return sign;
}

/** ⟨ψ0|s|ψ0⟩ for a product initial state (0, ±1). */
export function initialStateExpectation(state: InitialState, s: Uint32Array, so: number, W: number, bits?: Uint32Array): number {
  switch (state.kind) {
    case 'zero':
      return basisExpectation(s, so, W, bits ?? new Uint32Array(W));
    case 'plus':
      return plusExpectation(s, so, W);
    case 'basis':
      return basisExpectation(s, so, W, bits ?? packBasisBits(state.bits, W));
  }
}

/** Exact value and gradient at a Clifford point (see {@link cliffordPointGradient}). */
export interface CliffordGradient {
  /** C(θ*) for the given terms. */
  readonly value: number;
  /** ∂C/∂(angle of gate g) at θ*; 0 for Clifford gates and constant-angle rotations. */
  readonly gateDerivatives: Float64Array;
  /** ∂C/∂φ_k by the chain rule over the affine angles. */
  readonly gradient: Float64Array;
}

/**
 * Exact value and gradient at a Clifford point, for any qubit count: the observable is pulled back
 * once, storing the string in front of every gate; each parametrized rotation g that anticommutes
 * with it contributes ⟨ψ0| (pull-back of i·G·O_g through gates ≤ g) |ψ0⟩, since
 * ∂/∂a [R(a)†·O·R(a)] = R(a)†·(i·G·O)·R(a). Cost O(#gates² · W) per term in the worst case.
 */
export function cliffordPointGradient(
  frame: FrozenCircuit,
  numParameters: number,
  terms: readonly { coeff: number; pauli: SparsePauli }[],
  initialState: InitialState = ZERO_STATE,
): CliffordGradient {
  const { gates, W } = frame;
  const G = gates.length;
  const words = 2 * W;
  const bits = initialState.kind === 'basis' ? packBasisBits(initialState.bits, W) : new Uint32Array(W);
  const stored = new Uint32Array((G + 1) * words);
  const storedSign = new Int8Array(G + 1);
  const work = new Uint32Array(words);
  const gateDerivatives = new Float64Array(G);
  let value = 0;
  for (const term of terms) {
    // Slot g holds O pulled back through gates g … G−1; slot g + 1 is what gate g sees.
    packSparse(term.pauli, stored, G * words, W);
    storedSign[G] = 1;
    for (let g = G - 1; g >= 0; g--) {
      stored.copyWithin(g * words, (g + 1) * words, (g + 2) * words);
      storedSign[g] = storedSign[g + 1]! * conjugateByFrameGate(frame, g, stored, g * words);
    }
    value += term.coeff * storedSign[0]! * initialStateExpectation(initialState, stored, 0, W, bits);
    for (let g = 0; g < G; g++) {
      const gate = gates[g]!;
      if (gate.kind !== 'rotation' || gate.angle.terms.length === 0) continue;
      const go = g * words;
      // The string seen by gate g is the one after pulling back through gates > g.
      if (commutes(frame.generators, go, stored, (g + 1) * words, W)) continue;
      work.set(stored.subarray((g + 1) * words, (g + 2) * words));
      let sign = storedSign[g + 1]! * timesIG(frame.generators, go, work, 0, W);
      sign *= propagateBack(frame, 0, g + 1, work, 0);
      const d = sign * initialStateExpectation(initialState, work, 0, W, bits);
      if (d !== 0) gateDerivatives[g] = gateDerivatives[g]! + term.coeff * d;
    }
  }
  const gradient = new Float64Array(numParameters);
  gates.forEach((gate, g) => {
    if (gate.kind !== 'rotation') return;
    const d = gateDerivatives[g]!;
    if (d === 0) return;
    for (const t of gate.angle.terms) gradient[t.param] = gradient[t.param]! + t.coeff * d;
  });
  return { value, gateDerivatives, gradient };
}
