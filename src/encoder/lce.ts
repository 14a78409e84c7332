import { UserError } from '../ir/errors.js';
import { parameterName } from '../ir/parameters.js';
import type { InitialState } from '../ir/states.js';
import { ZERO_STATE } from '../ir/states.js';
import type { Circuit, Gate, Observable, PauliTerm } from '../ir/types.js';
import { commutes, wordsFor } from '../pauli/packed.js';
import { packedFromSparse } from '../pauli/sparse.js';
import { formatSparsePauli } from '../pauli/sparse.js';
import { observableNorm1 } from '../pauli/observable-text.js';
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
  paperDiagonalizingSteps,
  paperLocalFix,
  reduceToAnticommutingLetter,
  toTimeOrder,
} from './fixups.js';
import { inverseSkeleton } from './inverse.js';

/**
 * Linear Clifford Encoder (docs/science.md §4): Clifford gates Q before and Q̃ after U(θ) such that, at
 * the Clifford center θ*, the cost of one Pauli term P_O has ∂_k C(θ*) = ±1 and C(θ*) = 0.
 *
 * Construction, for the target rotation R_G (angle a_k, gate index g), with B the gates before g
 * (plus R_G's own quarter turns at θ*) and A the gates after it, all frozen at θ*:
 *   1. suffix Q̃ with O' := (Q̃·A)† P_O (Q̃·A) anticommuting with G. Then
 *      ∂C/∂a_k(θ*) = ⟨ψ| i·G·O' |ψ⟩ and C(θ*) = ⟨ψ|O'|ψ⟩ with ψ = B·Q|ψ0⟩.
 *      - 'paper' (default): the authors' construction (docs/science.md §4), gate for gate:
 *        Q̃ = W_a⁻¹ followed by a local fix-up F (nothing; H or S on the rotation's qubit j; or one
 *        CX between j and the lowest qubit of P_O, then H on j if needed), so Q̃·A = F and
 *        O' = F†P_O F has the weight of P_O (or one more). The prefix is the authors' too: H on X,
 *        H then S on Y. Gradient scaling of the encoded circuit is the paper's.
 *      - 'reduced': Q̃ = F·A⁻¹ where F folds P_O down to a single letter on a qubit of G. O' has
 *        weight 1: the effective observable is local, which changes the gradient scaling (no barren
 *        plateau on shallow circuits even where the paper's encoding has one). Short paths.
 *      - 'compact': no A⁻¹; F is the 0–2 gate fix making F†P_O F anticommute with A·G·A†.
 *   2. prefix Q: single-qubit Cliffords making P̃ := (B·Q)† (i·G·O') (B·Q) diagonal in the initial
 *      state's basis (Z-type for |0…0⟩). Then ∂ = ⟨ψ0|P̃|ψ0⟩ = ±1, and O' — which anticommutes
 *      with i·G·O', hence its pull-back anticommutes with the diagonal P̃ — has expectation 0.
 * Other gate-angle derivatives at θ* are expectations of Pauli strings in a stabilizer state, so in
 * {−1, 0, 1}. The result is verified (`verification`) on the encoded circuit before returning.
 */
/**
 * Which construction the encoder uses: `paper` (default: the authors' W_a⁻¹ plus a local H/S/CX fix-up),
 * `reduced` (the observable folded to one letter: changes the effective weight) or `compact` (at most two gates).
 */
export type LceVariant = 'paper' | 'reduced' | 'compact';
/** The variants, in the order `--help` lists them. */
export const LCE_VARIANTS: readonly LceVariant[] = ['paper', 'reduced', 'compact'];

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
  /**
   * 'avoid' (default): for a Pauli sum, reject an encoding whose full-observable derivative
   * ∂_k C_O(θ*) is 0 (the other terms cancel the encoded one) and try further term/target pairs —
   * terms by decreasing |coefficient| (index on ties; only the given one with `term`), for each term
   * the targets in `--target auto` order (only the given one with `target`). 'allow': the authors'
   * behaviour, the first encodable pair whatever the sum does.
   */
  cancellation?: 'avoid' | 'allow';
}

/** A term/target pair that encoded its term but cancelled for the full observable. */
export interface LceCancellation {
  readonly term: number;
  readonly termText: string;
  readonly target: number;
  readonly targetName: string;
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
  /** ∂C_O/∂φ_k(θ*) of the full observable (coefficients included); nonzero unless cancellation was allowed. */
  readonly observableDerivative: number;
  /** Pairs rejected before this one because the full observable's derivative cancelled (try order). */
  readonly cancelled: readonly LceCancellation[];
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

/** Terms in the order the encoder tries them: largest |coefficient| first, index on ties, identity terms left out. */
export function termTryOrder(observable: Observable): number[] {
  return observable.terms
    .map((t, i) => ({ i, a: Math.abs(t.coeff), id: t.pauli.qubits.length === 0 }))
    .filter((t) => !t.id)
    .sort((x, y) => y.a - x.a || x.i - y.i)
    .map((t) => t.i);
}

/**
 * Linear Clifford Encoder: adds Clifford gates before and after the circuit so that, at the Clifford
 * center θ*, the chosen term has C(θ*) = 0 and ∂C/∂φ_target(θ*) = ±1 (construction above and in
 * docs/science.md §5). Throws a UserError for a non-Clifford center, an identity observable or an
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
  if (options.term !== undefined) {
    const t = options.term;
    if (!Number.isInteger(t) || t < 0 || t >= observable.terms.length) {
      throw new UserError(`\`term\` ${t} is out of range: observable '${observable.name}' has ${observable.terms.length} term(s)`);
    }
    if (observable.terms[t]!.pauli.qubits.length === 0) {
      throw new UserError(`term ${t} of '${observable.name}' is the identity: its gradient vanishes identically`);
    }
  }
  defaultTermIndex(observable); // throws the identity-only message
  const termOrder = options.term !== undefined ? [options.term] : termTryOrder(observable);
  for (const ti of termOrder) {
    const outside = observable.terms[ti]!.pauli.qubits.find((q) => q >= circuit.numQubits);
    if (outside !== undefined) throw new UserError(`term ${ti} acts on qubit ${outside}, but the circuit has ${circuit.numQubits} qubits`);
  }
  const frame = freezeCircuit(circuit.gates, circuit.numQubits, center);
  const anchorsOf = parameterAnchors(circuit);
  if (!anchorsOf.some((a) => a.length > 0)) {
    throw new UserError('the circuit has no parametrized rotation: there is no gradient to encode');
  }
  const explicitTarget = options.target !== undefined && options.target !== 'auto' ? options.target : undefined;
  if (explicitTarget !== undefined) {
    const k = explicitTarget;
    if (!Number.isInteger(k) || k < 0 || k >= circuit.numParameters) {
      throw new UserError(`target ${k} is out of range: the circuit has ${circuit.numParameters} parameters`);
    }
    if (anchorsOf[k]!.length === 0) {
      throw new UserError(`parameter ${parameterName(circuit.parameters, k)} drives no rotation: its gradient is identically 0`);
    }
  }
  // A single term times ±1 cannot cancel; for a sum the other terms may.
  const isSum = observable.terms.filter((t) => t.pauli.qubits.length > 0).length > 1;
  const avoid = (options.cancellation ?? 'avoid') === 'avoid';
  const cancelled: LceCancellation[] = [];
  for (const termIndex of termOrder) {
    const term = observable.terms[termIndex]!;
    const unit: PauliTerm = { coeff: 1, pauli: term.pauli };
    const attempts: { param: number; gate: number }[] = [];
    if (explicitTarget === undefined) {
      for (const a of autoTargetOrder(circuit, frame, anchorsOf, unit, variant)) attempts.push(a);
    } else {
      // Latest gate first: the shortest skeleton to invert.
      for (const g of anchorsOf[explicitTarget]!.slice().reverse()) attempts.push({ param: explicitTarget, gate: g });
    }
    for (const { param, gate } of attempts) {
      const built = buildForAnchor(frame, gate, unit, variant, initialState);
      const encoded: Circuit = { ...circuit, gates: [...built.prefix, ...circuit.gates, ...built.suffix] };
      const verification = verifyEncoding(encoded, unit, param, center, initialState);
      if (Math.abs(verification.targetDerivative) !== 1 || verification.value !== 0) continue;
      let observableDerivative = term.coeff * verification.targetDerivative;
      if (isSum) {
        const full = cliffordPointGradient(freezeCircuit(encoded.gates, encoded.numQubits, center), encoded.numParameters, observable.terms, initialState);
        observableDerivative = full.gradient[param]!;
        if (avoid && Math.abs(observableDerivative) <= CANCELLATION_TOLERANCE * observableNorm1(observable)) {
          cancelled.push({ term: termIndex, termText: formatSparsePauli(term.pauli), target: param, targetName: parameterName(circuit.parameters, param) });
          continue;
        }
      }
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
        observableDerivative,
        cancelled,
      };
    }
  }
  if (cancelled.length > 0) {
    const first = cancelled[0]!;
    throw new LceCancellationError(cancelled, 
      `the LCE cancels: encoding term ${first.term} (${first.termText}) on ${first.targetName} gives ∂C/∂${first.targetName}(θ*) = ±1 for the term ` +
        `but 0 for the full observable '${observable.name}' (the other terms cancel it); ` +
        `all ${cancelled.length} encodable term/target pair(s) tried cancel the same way` +
        (options.term !== undefined || explicitTarget !== undefined ? ' (drop --term/--target to let the encoder try more)' : ''),
    );
  }
  const what = explicitTarget === undefined ? 'no parameter' : `parameter ${parameterName(circuit.parameters, explicitTarget)}`;
  throw new UserError(
    `${what} can be encoded: a parameter shared by several gates, or entering with a slope other than ±1, ` +
      'cannot be given a derivative of exactly ±1 at the center',
  );
}

/** Every encodable term/target pair tried cancels for the full observable. */
export class LceCancellationError extends UserError {
  constructor(readonly cancelled: readonly LceCancellation[], message: string) {
    super(message);
  }
}

/** |∂_k C_O(θ*)| at or below this fraction of ‖O‖₁ counts as a cancellation (the exact value is a sum of ±coefficients). */
const CANCELLATION_TOLERANCE = 1e-12;

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
  if (variant === 'paper' || variant === 'reduced') {
    const steps = variant === 'paper' ? paperLocalFix(o, generator, W, n) : reduceToAnticommutingLetter(o, generator, W, n);
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
  // The authors diagonalise for |0…0⟩ (H on X, H·S on Y); |+…+⟩ has no counterpart in their code.
  const prefix = toTimeOrder(variant === 'paper' && initialState.kind !== 'plus'
    ? paperDiagonalizingSteps(o, W, n)
    : diagonalizingSteps(o, W, n, initialState.kind === 'plus' ? 'X' : 'Z'));
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
