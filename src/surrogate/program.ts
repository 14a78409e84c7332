import { evaluateExpr } from '../ir/affine.js';
import { UserError } from '../ir/errors.js';
import type { Circuit, Observable } from '../ir/types.js';
import { channelFactors, channelToIdentity } from '../propagation/compile.js';
import { AngleForms } from './forms.js';
import { CliffordFrame } from './frame.js';

/** Step kinds of a lowered program. @internal */
export const STEP_FIXED = 0;
export const STEP_SYMBOLIC = 1;
/** A noise channel: a fixed Pauli transfer map read through the frame (see SurrogateProgram). @internal */
export const STEP_CHANNEL = 2;

/**
 * A circuit lowered around an expansion point φ* for the surrogate builders: a list of Pauli
 * rotations acting on the initial state (time order) and an observable, with every Clifford
 * moved into the observable (see CliffordFrame). A rotation with angle a(φ* + δ) = qπ/2 + r + ℓ(δ)
 * becomes up to three commuting factors: R(qπ/2) joins the frame, R(r) (r ≠ 0, a fixed
 * non-Clifford angle) is a FIXED step with numeric cos r / sin r branches, R(ℓ(δ)) (ℓ linear
 * in δ, non-empty) is a SYMBOLIC step whose angle form is row `form[s]` of `forms`.
 *
 * A noise channel Φ is a CHANNEL step. Moving the Clifford V absorbed so far past it turns it into
 * Φ'(σ) = V†Φ(VσV†)V, whose Heisenberg map is Q ↦ T(Φ†(T⁻¹Q)) with T(P) = V†PV the frame: a
 * string's pre-image letter on a channel qubit q has its X bit set iff the string anticommutes with
 * T(Z_q) and its Z bit iff it anticommutes with T(X_q) (T keeps commutation), so the factor is a
 * table lookup on those probes. Amplitude damping's Z → I branch, Φ†(P) ∋ g·Z_q·P, becomes
 * g·T(Z_q)·Q: the step's generator gens[s] is T(Z_q) with its sign (zero for unital channels).
 */
export interface SurrogateProgram {
  readonly numQubits: number;
  readonly W: number;
  readonly stride: number;
  readonly numSteps: number;
  /** Step s's generator in the frame at s·stride, with its sign (R_{−G}(x) = R_G(−x)). */
  readonly gens: Uint32Array;
  readonly genSigns: Int8Array;
  readonly kind: Uint8Array;
  readonly fixedCos: Float64Array;
  readonly fixedSin: Float64Array;
  readonly form: Int32Array;
  /** Angle forms of the symbolic gates, in circuit order (row g belongs to the g-th symbolic step). */
  readonly forms: AngleForms;
  /** Observable in the frame: term j's string at j·stride, coefficient with sign. */
  readonly obsKeys: Uint32Array;
  readonly obsCoeffs: Float64Array;
  /** Σ|c| over the observable's non-identity terms (identity terms have no derivatives). */
  readonly observableNorm1: number;
  /**
   * Π over fixed steps of (|cos r| + |sin r|): the Pauli 1-norm gain of the fixed branches.
   * Channel steps contribute nothing: they are contractions of the Pauli 1-norm (docs/bounds.md §4).
   */
  readonly fixedGain: number;
  /** Counts for reports. */
  readonly cliffordRotations: number;
  /** Channel steps: per step the channel's index c below, −1 for rotation steps. */
  readonly channelOf: Int32Array;
  readonly numChannels: number;
  /** Channel c acts on channelArity[c] qubits; its probes T(Z_q0), T(X_q0)[, T(Z_q1), T(X_q1)] at (4c + k)·stride. */
  readonly channelArity: Uint8Array;
  readonly channelProbes: Uint32Array;
  /** Channel c's factors by pre-image letter code (CoreChannel.factors) at 16c (4 or 16 used). */
  readonly channelFactors: Float64Array;
  /** Channel c's amplitude-damping g (Z → I branch along gens[s]); 0 for unital channels. */
  readonly channelToIdentity: Float64Array;
}

/** Whether the program has noise channels. */
export function hasChannels(program: SurrogateProgram): boolean {
  return program.numChannels > 0;
}

/** Residuals below a few ulps of the angle are rounding, not a fixed non-Clifford rotation. */
function snapResidual(angle: number, r: number): number {
  return Math.abs(r) <= 8 * Number.EPSILON * Math.max(1, Math.abs(angle)) ? 0 : r;
}

export function checkPoint(circuit: Circuit, point: ArrayLike<number>, what: string): void {
  if (point.length !== circuit.numParameters) {
    throw new UserError(`${what}: expected ${circuit.numParameters} parameter values, got ${point.length}`);
  }
  for (let i = 0; i < point.length; i++) {
    if (!Number.isFinite(point[i])) throw new UserError(`${what}: parameter value #${i} is not a finite number`);
  }
}

export function lowerForSurrogate(circuit: Circuit, observable: Observable, center: ArrayLike<number>): SurrogateProgram {
  checkPoint(circuit, center, 'expansion point');
  const n = circuit.numQubits;
  for (const t of observable.terms) {
    for (const q of t.pauli.qubits) {
      if (q >= n) throw new UserError(`observable '${observable.name}': qubit ${q} is out of range for ${n} qubits`);
    }
  }
  const frame = new CliffordFrame(n);
  const { W, stride } = frame;
  let numRot = 0, numCh = 0;
  for (const g of circuit.gates) {
    if (g.kind === 'rotation') numRot++;
    else if (g.kind === 'channel') numCh++;
  }
  const cap = 2 * numRot + numCh;
  const gens = new Uint32Array(cap * stride);
  const genSigns = new Int8Array(cap);
  const kind = new Uint8Array(cap);
  const fixedCos = new Float64Array(cap);
  const fixedSin = new Float64Array(cap);
  const form = new Int32Array(cap).fill(-1);
  const channelOf = new Int32Array(cap).fill(-1);
  const channelArity = new Uint8Array(numCh);
  const channelProbes = new Uint32Array(Math.max(1, 4 * numCh) * stride);
  const channelFactorsOut = new Float64Array(16 * numCh);
  const channelToId = new Float64Array(numCh);
  let channels = 0;
  const rows = [];
  let steps = 0;
  let fixedGain = 1;
  let cliffordRotations = 0;
  const halfPi = Math.PI / 2;
  for (const g of circuit.gates) {
    if (g.kind === 'channel') {
      const factors = channelFactors(g);
      const toIdentity = channelToIdentity(g);
      // A channel with every factor 1 and no identity branch (strength 0) is the identity map.
      if (toIdentity === 0 && factors.every((f) => f === 1)) continue;
      const c = channels++;
      channelArity[c] = g.qubits.length;
      g.qubits.forEach((q, i) => {
        // Probes: T(Z_q) (row 2q+1) reads the X bit, T(X_q) (row 2q) the Z bit; signs do not matter.
        channelProbes.set(frame.rows.subarray((2 * q + 1) * stride, (2 * q + 2) * stride), (4 * c + 2 * i) * stride);
        channelProbes.set(frame.rows.subarray(2 * q * stride, (2 * q + 1) * stride), (4 * c + 2 * i + 1) * stride);
      });
      channelFactorsOut.set(factors, 16 * c);
      channelToId[c] = toIdentity;
      if (toIdentity !== 0) {
        const q = g.qubits[0]!;
        gens.set(frame.rows.subarray((2 * q + 1) * stride, (2 * q + 2) * stride), steps * stride);
        genSigns[steps] = frame.signs[2 * q + 1]!;
      } else {
        genSigns[steps] = 1;
      }
      kind[steps] = STEP_CHANNEL;
      channelOf[steps] = c;
      steps++;
      continue;
    }
    if (g.kind === 'clifford') {
      frame.applyClifford(g.name, g.qubits);
      continue;
    }
    const a = evaluateExpr(g.angle, center);
    const q = Math.round(a / halfPi);
    const r = snapResidual(a, a - q * halfPi);
    const symbolic = g.angle.terms.length > 0;
    if (symbolic || r !== 0) {
      const sign = frame.imageOfSparse(g.pauli, gens, steps * stride);
      if (symbolic) {
        genSigns[steps] = sign;
        kind[steps] = STEP_SYMBOLIC;
        form[steps] = rows.length;
        rows.push(g.angle.terms);
        steps++;
      }
      if (r !== 0) {
        if (symbolic) gens.copyWithin(steps * stride, (steps - 1) * stride, steps * stride);
        genSigns[steps] = sign;
        kind[steps] = STEP_FIXED;
        fixedCos[steps] = Math.cos(r);
        fixedSin[steps] = Math.sin(r);
        fixedGain *= Math.abs(Math.cos(r)) + Math.abs(Math.sin(r));
        steps++;
      }
    }
    const k = ((q % 4) + 4) % 4;
    if (k !== 0) {
      frame.applyCliffordRotation(g.pauli, k);
      cliffordRotations++;
    }
  }
  const obsKeys = new Uint32Array(Math.max(1, observable.terms.length) * stride);
  const obsCoeffs = new Float64Array(observable.terms.length);
  let observableNorm1 = 0;
  observable.terms.forEach((t, j) => {
    const sign = frame.imageOfSparse(t.pauli, obsKeys, j * stride);
    obsCoeffs[j] = sign * t.coeff;
    if (t.pauli.qubits.length > 0) observableNorm1 += Math.abs(t.coeff);
  });
  return {
    numQubits: n,
    W,
    stride,
    numSteps: steps,
    gens: gens.slice(0, steps * stride),
    genSigns: genSigns.slice(0, steps),
    kind: kind.slice(0, steps),
    fixedCos: fixedCos.slice(0, steps),
    fixedSin: fixedSin.slice(0, steps),
    form: form.slice(0, steps),
    forms: AngleForms.fromRows(circuit.numParameters, rows),
    obsKeys,
    obsCoeffs,
    observableNorm1,
    fixedGain,
    cliffordRotations,
    channelOf: channelOf.slice(0, steps),
    numChannels: channels,
    channelArity: channelArity.slice(0, channels),
    channelProbes: channelProbes.slice(0, Math.max(1, 4 * channels) * stride),
    channelFactors: channelFactorsOut.slice(0, 16 * channels),
    channelToIdentity: channelToId.slice(0, channels),
  };
}

/**
 * The words where each step's generator is not the identity (indices within one plane), with
 * its X and Z words there: commutation tests then cost the generator's support, not the register.
 */
export interface GeneratorWords {
  readonly start: Int32Array;
  readonly word: Int32Array;
  readonly x: Uint32Array;
  readonly z: Uint32Array;
}

export function generatorWords(program: SurrogateProgram): GeneratorWords {
  const { W, stride, numSteps, gens } = program;
  const start = new Int32Array(numSteps + 1);
  const word: number[] = [];
  const x: number[] = [];
  const z: number[] = [];
  for (let s = 0; s < numSteps; s++) {
    for (let k = 0; k < W; k++) {
      const gx = gens[s * stride + k]!;
      const gz = gens[s * stride + W + k]!;
      if (gx === 0 && gz === 0) continue;
      word.push(k);
      x.push(gx);
      z.push(gz);
    }
    start[s + 1] = word.length;
  }
  return { start, word: Int32Array.from(word), x: Uint32Array.from(x), z: Uint32Array.from(z) };
}

// The build loops (taylor-build.ts, paths-build.ts) take parity32 from here.
export { parity32 } from '../pauli/packed.js';
