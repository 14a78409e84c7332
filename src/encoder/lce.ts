import { UserError } from '../ir/errors.js';
import { parameterName } from '../ir/parameters.js';
import type { InitialState } from '../ir/states.js';
import { ZERO_STATE } from '../ir/states.js';
import type { Circuit, Gate, Observable, PauliTerm } from '../ir/types.js';
import { commutes, wordsFor } from '../pauli/packed.js';
import { packedFromSparse } from '../pauli/sparse.js';
import { formatSparsePauli } from '../pauli/sparse.js';
import {
  freezeCircuit,
  cliffordPointGradient,
  propagateBack,
  type FrozenCircuit,
} from '../clifford-point/frozen.js';
import { timesIG } from '../clifford-point/heisenberg.js';
import {
  applySteps,
  diagonalizingSteps,
  minimalAnticommutingFix,
  reduceToAnticommutingLetter,
  toTimeOrder,
} from './fixups.js';
import { inverseSkeleton } from './inverse.js';

/**
 * Linear Clifford Encoder (REFERENCE §1): Clifford gates Q before and Q̃ after U(θ) such that, at
 * the Clifford center θ*, the cost of one Pauli term P_O has ∂_k C(θ*) = ±1 and C(θ*) = 0.
 *
 * Construction, for the target rotation R_G (angle a_k, gate index g), with B the gates before g
 * (plus R_G's own quarter turns at θ*) and A the gates after it, all frozen at θ*:
 *   1. suffix Q̃ with O' := (Q̃·A)† P_O (Q̃·A) anticommuting with G. Then
 *      ∂C/∂a_k(θ*) = ⟨ψ| i·G·O' |ψ⟩ and C(θ*) = ⟨ψ|O'|ψ⟩ with ψ = B·Q|ψ0⟩.
 *      - 'paper' (default): Q̃ = F·A⁻¹, so Q̃·A = F; F maps P_O to a single letter on a qubit of G
 *        anticommuting with G there. O' has weight 1, which keeps the paths (and the decay of
 *        E[∂_k C] under noise) short.
 *      - 'compact': no A⁻¹; F is the 0–2 gate fix making F†P_O F anticommute with A·G·A†.
 *   2. prefix Q: single-qubit Cliffords making P̃ := (B·Q)† (i·G·O') (B·Q) diagonal in the initial
 *      state's basis (Z-type for |0…0⟩). Then ∂ = ⟨ψ0|P̃|ψ0⟩ = ±1, and O' — which anticommutes
 *      with i·G·O', hence its pull-back anticommutes with the diagonal P̃ — has expectation 0.
 * Other gate-angle derivatives at θ* are expectations of Pauli strings in a stabilizer state, so in
 * {−1, 0, 1}. The result is verified (`verification`) on the encoded circuit before returning.
 */
/** Which suffix construction the encoder uses: `paper` (default, weight-1 pull-back) or `compact`. */
export type LceVariant = 'paper' | 'compact';

/** Target parameter, Clifford center, encoded term, variant and initial state of {@link encodeLce}. */
export interface LceOptions {
  /** Flat parameter index, or 'auto' (default; rule in `autoTarget`). */
  target?: number | 'auto';
  /** Clifford center θ* (default all zeros). */
  center?: ArrayLike<number>;
  /** Index of the observable term to encode (default: largest |coefficient|, first on ties). */
  term?: number;
  variant?: LceVariant;
  initialState?: InitialState;
}

/** Value and gradient of the encoded term at θ*, checked by the encoder before it returns. */
export interface LceVerification {
  /** C(θ*) of the encoded term (unit coefficient): 0. */
  readonly value: number;
  /** ∂C/∂φ_k(θ*) of the encoded term: ±1. */
  readonly targetDerivative: number;
  /** Full gradient of the encoded term at θ* (unit coefficient). */
  readonly gradient: Float64Array;
  /** Parameters whose component is outside {−1, 0, 1} (only possible with shared parameters). */
  readonly nonUnitComponents: readonly number[];
}

/** The encoded circuit, its target and sign, and the verification run on it. */
export interface LceResult {
  readonly circuit: Circuit;
  readonly target: number;
  readonly targetName: string;
  /** Index of the anchor rotation in the input circuit's gate list. */
  readonly anchorGate: number;
  readonly sign: 1 | -1;
  readonly term: number;
  readonly termText: string;
  readonly prefix: readonly Gate[];
  readonly suffix: readonly Gate[];
  readonly variant: LceVariant;
  readonly center: Float64Array;
  readonly verification: LceVerification;
}

/** The term LCE encodes by default: largest |coefficient|, first on ties, identity terms skipped. */
export function defaultTermIndex(observable: Observable): number {
  let best = -1;
  observable.terms.forEach((t, i) => {
    if (t.pauli.qubits.length === 0) return;
    if (best < 0 || Math.abs(t.coeff) > Math.abs(observable.terms[best]!.coeff)) best = i;
  });
  if (best < 0) throw new UserError(`observable '${observable.name}' is a multiple of the identity: its gradient vanishes identically, nothing to encode`);
  return best;
}

/**
 * Linear Clifford Encoder: adds Clifford gates before and after the circuit so that, at the Clifford
 * center θ*, the chosen term has C(θ*) = 0 and ∂C/∂φ_target(θ*) = ±1 (construction above and in
 * REFERENCE §1). Throws a UserError for a non-Clifford center, an identity observable or an
 * out-of-range target or term.
 * @example
 * ```ts
 * const enc = encodeLce(circuit, observable, { target: 'auto' });
 * enc.verification.targetDerivative; // +1 or −1
 * ```
 */
export function encodeLce(circuit: Circuit, observable: Observable, options: LceOptions = {}): LceResult {
  const variant = options.variant ?? 'paper';
  const initialState = options.initialState ?? ZERO_STATE;
  const center = Float64Array.from(options.center ?? new Float64Array(circuit.numParameters));
  if (center.length !== circuit.numParameters) {
    throw new UserError(`the center has ${center.length} values but the circuit has ${circuit.numParameters} parameters`);
  }
  const termIndex = options.term ?? defaultTermIndex(observable);
  if (!Number.isInteger(termIndex) || termIndex < 0 || termIndex >= observable.terms.length) {
    throw new UserError(`\`term\` ${termIndex} is out of range: observable '${observable.name}' has ${observable.terms.length} term(s)`);
  }
  const term = observable.terms[termIndex]!;
  if (term.pauli.qubits.length === 0) {
    throw new UserError(`term ${termIndex} of '${observable.name}' is the identity: its gradient vanishes identically`);
  }
  const outside = term.pauli.qubits.find((q) => q >= circuit.numQubits);
  if (outside !== undefined) throw new UserError(`term ${termIndex} acts on qubit ${outside}, but the circuit has ${circuit.numQubits} qubits`);
  const frame = freezeCircuit(circuit.gates, circuit.numQubits, center);
  const anchorsOf = parameterAnchors(circuit);
  if (!anchorsOf.some((a) => a.length > 0)) {
    throw new UserError('the circuit has no parametrized rotation: there is no gradient to encode');
  }
  const unit: PauliTerm = { coeff: 1, pauli: term.pauli };
  const attempts: { param: number; gate: number }[] = [];
  if (options.target === undefined || options.target === 'auto') {
    for (const a of autoTargetOrder(circuit, frame, anchorsOf, unit, variant)) attempts.push(a);
  } else {
    const k = options.target;
    if (!Number.isInteger(k) || k < 0 || k >= circuit.numParameters) {
      throw new UserError(`target ${k} is out of range: the circuit has ${circuit.numParameters} parameters`);
    }
    if (anchorsOf[k]!.length === 0) {
      throw new UserError(`parameter ${parameterName(circuit.parameters, k)} drives no rotation: its gradient is identically 0`);
    }
    // Latest gate first: the shortest skeleton to invert.
    for (const g of anchorsOf[k]!.slice().reverse()) attempts.push({ param: k, gate: g });
  }
  for (const { param, gate } of attempts) {
    const built = buildForAnchor(frame, gate, unit, variant, initialState);
    const encoded: Circuit = { ...circuit, gates: [...built.prefix, ...circuit.gates, ...built.suffix] };
    const verification = verifyEncoding(encoded, unit, param, center, initialState);
    if (Math.abs(verification.targetDerivative) === 1 && verification.value === 0) {
      return {
        circuit: encoded,
        target: param,
        targetName: parameterName(circuit.parameters, param),
        anchorGate: gate,
        sign: verification.targetDerivative as 1 | -1,
        term: termIndex,
        termText: formatSparsePauli(term.pauli),
        prefix: built.prefix,
        suffix: built.suffix,
        variant,
        center,
        verification,
      };
    }
  }
  const what = options.target === undefined || options.target === 'auto'
    ? 'no parameter'
    : `parameter ${parameterName(circuit.parameters, options.target)}`;
  throw new UserError(
    `${what} can be encoded: a parameter shared by several gates, or entering with a slope other than ±1, ` +
      'cannot be given a derivative of exactly ±1 at the center',
  );
}

/** Per parameter, the rotation gates whose angle depends on it (circuit order). */
export function parameterAnchors(circuit: Circuit): number[][] {
  const out: number[][] = Array.from({ length: circuit.numParameters }, () => []);
  circuit.gates.forEach((g, i) => {
    if (g.kind === 'rotation') for (const t of g.angle.terms) out[t.param]!.push(i);
  });
  return out;
}

/**
 * `--target auto`: the parametrized rotation nearest the measurement whose parameter drives only
 * that gate with slope ±1 — such a target always succeeds, and with the 'paper' variant it has the
 * shortest skeleton to invert. In the 'compact' variant a rotation at which the pulled-back
 * observable already anticommutes with the generator is preferred (it needs no suffix). Shared or
 * scaled parameters follow as fall-backs, each verified.
 */
export function autoTargetOrder(
  circuit: Circuit,
  frame: FrozenCircuit,
  anchorsOf: readonly (readonly number[])[],
  term: PauliTerm,
  variant: LceVariant,
): { param: number; gate: number }[] {
  const simple: { param: number; gate: number }[] = [];
  const rest: { param: number; gate: number }[] = [];
  for (let g = circuit.gates.length - 1; g >= 0; g--) {
    const gate = circuit.gates[g]!;
    if (gate.kind !== 'rotation') continue;
    for (const t of gate.angle.terms) {
      const single = anchorsOf[t.param]!.length === 1 && Math.abs(t.coeff) === 1;
      (single ? simple : rest).push({ param: t.param, gate: g });
    }
  }
  if (variant === 'compact') {
    const W = frame.W;
    const s = packedFromSparse(term.pauli, frame.numQubits);
    const anticommuting = new Set<number>();
    let done = frame.gates.length;
    for (const a of simple) {
      propagateBack(frame, a.gate + 1, done, s);
      done = a.gate + 1;
      if (!commutes(frame.generators, a.gate * 2 * W, s, 0, W)) anticommuting.add(a.gate);
    }
    simple.sort((x, y) => Number(anticommuting.has(y.gate)) - Number(anticommuting.has(x.gate)));
  }
  return [...simple, ...rest];
}

interface AnchorBuild {
  prefix: Gate[];
  suffix: Gate[];
}

function buildForAnchor(frame: FrozenCircuit, g: number, term: PauliTerm, variant: LceVariant, initialState: InitialState): AnchorBuild {
  const n = frame.numQubits;
  const W = wordsFor(n);
  const go = g * 2 * W;
  const generator = frame.generators.subarray(go, go + 2 * W);
  const o = packedFromSparse(term.pauli, n);
  let suffix: Gate[];
  if (variant === 'paper') {
    const steps = reduceToAnticommutingLetter(o, generator, W, n);
    applySteps(steps, o, 0, W);
    suffix = [...inverseSkeleton(frame, g + 1, frame.gates.length), ...toTimeOrder(steps)];
  } else {
    // G carried forward through A (Schrödinger): the pull-back of G through A⁻¹.
    const inv = inverseSkeleton(frame, g + 1, frame.gates.length);
    const invFrame = freezeCircuit(inv, n, []);
    const forwardG = Uint32Array.from(generator);
    propagateBack(invFrame, 0, inv.length, forwardG);
    const steps = minimalAnticommutingFix(o, forwardG, W, n);
    applySteps(steps, o, 0, W);
    propagateBack(frame, g + 1, frame.gates.length, o);
    suffix = toTimeOrder(steps);
  }
  // o is now O' (up to sign), anticommuting with G: pull i·G·O' back through gate g and B.
  timesIG(frame.generators, go, o, 0, W);
  propagateBack(frame, 0, g + 1, o);
  const prefix = toTimeOrder(diagonalizingSteps(o, W, n, initialState.kind === 'plus' ? 'X' : 'Z'));
  return { prefix, suffix };
}

/**
 * Checks the invariants on the encoded circuit from scratch (exact Clifford arithmetic): C(θ*) of
 * the unit term, ∂_k, and which gradient components fall outside {−1, 0, 1}.
 */
export function verifyEncoding(
  encoded: Circuit,
  term: PauliTerm,
  target: number,
  center: ArrayLike<number>,
  initialState: InitialState = ZERO_STATE,
): LceVerification {
  const frame = freezeCircuit(encoded.gates, encoded.numQubits, center);
  const grad = cliffordPointGradient(frame, encoded.numParameters, [{ coeff: 1, pauli: term.pauli }], initialState);
  const nonUnitComponents: number[] = [];
  grad.gradient.forEach((d, k) => {
    if (d !== 0 && d !== 1 && d !== -1) nonUnitComponents.push(k);
  });
  return { value: grad.value, targetDerivative: grad.gradient[target]!, gradient: grad.gradient, nonUnitComponents };
}
