import { cliffordGate } from '../ir/gate-library.js';
import type { CliffordGate, CliffordName } from '../ir/types.js';
import { conjugateByClifford } from '../pauli/clifford.js';
import { commutes, letterCode } from '../pauli/packed.js';

/**
 * Small Clifford circuits the LCE inserts, synthesised in the Heisenberg picture: each function
 * returns the gates in the order their conjugations are applied to a string (the gate nearest the
 * measurement first). `toTimeOrder` reverses that into circuit order. Letter codes follow
 * packed.ts: 0 = I, 1 = X, 2 = Z, 3 = Y.
 */

const X = 1;
const Z = 2;
const Y = 3;

export function toTimeOrder(steps: readonly CliffordGate[]): CliffordGate[] {
  return steps.slice().reverse();
}

/** Applies the steps to (s, so) in order; returns the accumulated sign. */
export function applySteps(steps: readonly CliffordGate[], s: Uint32Array, so: number, W: number): number {
  let sign = 1;
  for (const st of steps) if (conjugateByClifford(st.name, st.qubits, s, so, W)) sign = -sign;
  return sign;
}

function support(s: Uint32Array, W: number, n: number): number[] {
  const out: number[] = [];
  for (let q = 0; q < n; q++) if (letterCode(s, 0, W, q) !== 0) out.push(q);
  return out;
}

/** One-gate Heisenberg map of a single letter: H swaps X/Z, S swaps X/Y, SX swaps Z/Y. */
function letterMap(from: number, to: number): CliffordName {
  const pair = from | (to << 2);
  switch (pair) {
    case X | (Z << 2):
    case Z | (X << 2):
      return 'h';
    case X | (Y << 2):
    case Y | (X << 2):
      return 's';
    default:
      return 'sx';
  }
}

/**
 * Heisenberg steps that turn the string `o` into a single letter on one qubit j of `p`'s support,
 * chosen to anticommute with p there: every letter to Z (H or SX), a SWAP if o and p share no
 * qubit, CX(q→j) folds each Z_q·Z_j into Z_j, and a final H when p has Z at j. The result
 * anticommutes with p, and has weight 1 — which keeps the paths through the encoded circuit short.
 */
export function reduceToAnticommutingLetter(o: Uint32Array, p: Uint32Array, W: number, n: number): CliffordGate[] {
  const steps: CliffordGate[] = [];
  const oSupport = support(o, W, n);
  const pSupport = support(p, W, n);
  for (const q of oSupport) {
    const l = letterCode(o, 0, W, q);
    if (l !== Z) steps.push(cliffordGate(letterMap(l, Z), [q]) as CliffordGate);
  }
  let j = oSupport.find((q) => letterCode(p, 0, W, q) !== 0);
  const zSupport = oSupport.slice();
  if (j === undefined) {
    j = pSupport[0]!;
    const i = oSupport[0]!;
    steps.push(cliffordGate('swap', [i, j]) as CliffordGate);
    zSupport[0] = j;
  }
  for (const q of zSupport) if (q !== j) steps.push(cliffordGate('cx', [q, j]) as CliffordGate);
  if (letterCode(p, 0, W, j) === Z) steps.push(cliffordGate('h', [j]) as CliffordGate);
  return steps;
}

/**
 * The fewest Heisenberg steps (0, 1 or 2) after which `o` anticommutes with `p`. On a shared qubit
 * one letter change flips the commutation parity; with disjoint supports a CX copies a letter of
 * o onto a qubit of p (an X through the control, a Z through the target), after at most one
 * letter change.
 */
export function minimalAnticommutingFix(o: Uint32Array, p: Uint32Array, W: number, n: number): CliffordGate[] {
  if (!commutes(o, 0, p, 0, W)) return [];
  const oSupport = support(o, W, n);
  const pSupport = support(p, W, n);
  const shared = oSupport.find((q) => letterCode(p, 0, W, q) !== 0);
  if (shared !== undefined) {
    const lo = letterCode(o, 0, W, shared);
    const lp = letterCode(p, 0, W, shared);
    // Equal letters: move o's letter elsewhere; different letters: make them equal.
    const to = lo === lp ? (lo === Z ? X : Z) : lp;
    return [cliffordGate(letterMap(lo, to), [shared]) as CliffordGate];
  }
  const i = oSupport[0]!;
  const j = pSupport[0]!;
  const lo = letterCode(o, 0, W, i);
  const lp = letterCode(p, 0, W, j);
  const steps: CliffordGate[] = [];
  if (lp !== X) {
    // Put an X on j (anticommutes with Z or Y): needs X or Y on the control i.
    if (lo === Z) steps.push(cliffordGate('h', [i]) as CliffordGate);
    steps.push(cliffordGate('cx', [i, j]) as CliffordGate);
  } else {
    // Put a Z on j (anticommutes with X): needs Z or Y on the target i.
    if (lo === X) steps.push(cliffordGate('h', [i]) as CliffordGate);
    steps.push(cliffordGate('cx', [j, i]) as CliffordGate);
  }
  return steps;
}

/**
 * Heisenberg steps of the prefix: one single-qubit Clifford per qubit so that `s` becomes a string
 * the initial state is an eigenvector of — Z-type for |0…0⟩ and basis states (H on X, SX on Y),
 * X-type for |+…+⟩ (H on Z, S on Y).
 */
export function diagonalizingSteps(s: Uint32Array, W: number, n: number, target: 'Z' | 'X'): CliffordGate[] {
  const want = target === 'Z' ? Z : X;
  const steps: CliffordGate[] = [];
  for (let q = 0; q < n; q++) {
    const l = letterCode(s, 0, W, q);
    if (l !== 0 && l !== want) steps.push(cliffordGate(letterMap(l, want), [q]) as CliffordGate);
  }
  return steps;
}

/**
 * The authors' local fix-up (variant 'paper'), in Heisenberg steps, for a single-qubit generator
 * with letter `v` on qubit j and the measured string o (pulled back through W_a⁻¹·W_a it reaches
 * the rotation unchanged, so the decision is made on o itself):
 *  - o has a letter other than v at j: nothing (o already anticommutes with the generator);
 *  - o has v at j: H on j for v ∈ {X, Z}, S on j for v = Y;
 *  - o is the identity at j: a CX between j and i, the lowest qubit where o is not the identity —
 *    control i when o has X or Y there (copies an X onto j), control j when o has Z at i (copies a
 *    Z onto j) — followed, when the copied letter equals v, by H on j (in time order the H comes
 *    before the CX).
 * Multi-qubit generators are outside the authors' construction; for them the nearest local
 * analogue is used: `minimalAnticommutingFix` (0–2 gates on the generator's support).
 */
export function paperLocalFix(o: Uint32Array, p: Uint32Array, W: number, n: number): CliffordGate[] {
  const pSupport = support(p, W, n);
  if (pSupport.length !== 1) return minimalAnticommutingFix(o, p, W, n);
  const j = pSupport[0]!;
  const v = letterCode(p, 0, W, j);
  const at = letterCode(o, 0, W, j);
  const localFor = (letter: number): CliffordGate => cliffordGate(letter === Y ? 's' : 'h', [j]) as CliffordGate;
  if (at !== 0) return at === v ? [localFor(v)] : [];
  const i = support(o, W, n)[0]!;
  const li = letterCode(o, 0, W, i);
  // Heisenberg order: the CX (nearest the measurement) first, then the optional H.
  const steps: CliffordGate[] = [cliffordGate('cx', li === Z ? [j, i] : [i, j]) as CliffordGate];
  const copied = li === Z ? Z : X;
  if (copied === v) steps.push(localFor(v));
  return steps;
}

/**
 * The authors' prefix (variant 'paper', zero or basis state): H where the string has X, and H then S
 * (time order) where it has Y, so that the string becomes Z-type. Heisenberg steps, nearest U first.
 */
export function paperDiagonalizingSteps(s: Uint32Array, W: number, n: number): CliffordGate[] {
  // Built in the authors' time order (qubit 0 first, H before S), returned as Heisenberg steps.
  const time: CliffordGate[] = [];
  for (let q = 0; q < n; q++) {
    const l = letterCode(s, 0, W, q);
    if (l === X) time.push(cliffordGate('h', [q]) as CliffordGate);
    if (l === Y) time.push(cliffordGate('h', [q]) as CliffordGate, cliffordGate('s', [q]) as CliffordGate);
  }
  return time.reverse();
}
