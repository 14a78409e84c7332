import type { InitialState } from '../../ir/states.js';
import { ZERO_STATE } from '../../ir/states.js';
import { UserError } from '../../ir/errors.js';
import type { CliffordName, UnitaryGate, Observable, SparsePauli } from '../../ir/types.js';
import type { PauliSum } from '../../pauli/sum.js';
import { applyClifford, inverseClifford } from './clifford-kernels.js';
import { checkQubitLimit, DEFAULT_MAX_QUBITS, ensureStateVectorsFit } from './limits.js';
import type { PauliMask } from './pauli-mask.js';
import { maskFromPacked, maskFromSparse } from './pauli-mask.js';
import { accumulatePauli, pauliExpectation, pauliMatrixElement } from './pauli-kernels.js';
import { applyPauliRotation } from './rotation-kernels.js';
import { WasmAmplitudes } from './wasm/backend.js';

/**
 * A pure state of n qubits as 2^n complex Float64 amplitudes in split arrays `re`, `im`.
 * Index convention: qubit q is bit q of the amplitude index (qubit 0 = least significant bit),
 * so basis state |b_{n−1} … b_1 b_0⟩ in textbook (big-endian) notation is index Σ b_q·2^q.
 * From 14 qubits on (wasm/backend.ts) the arrays are views of a WebAssembly memory and the hot
 * gate and expectation kernels run as SIMD WebAssembly; everything else uses the JS kernels on
 * the same arrays, so callers may read and write `re`/`im` freely either way.
 */
export class StateVector {
  readonly numQubits: number;
  readonly dimension: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
  /** WebAssembly kernels over the same memory as re/im (large states only), else null. */
  private readonly wasm: WasmAmplitudes | null;

  private constructor(numQubits: number, wasm: WasmAmplitudes | null) {
    const dim = 2 ** numQubits;
    this.numQubits = numQubits;
    this.dimension = dim;
    this.wasm = wasm;
    this.re = wasm ? wasm.re : new Float64Array(dim);
    this.im = wasm ? wasm.im : new Float64Array(dim);
  }

  /** All-zero amplitudes; the qubit cap is checked before allocating. */
  static allocate(numQubits: number, maxQubits = DEFAULT_MAX_QUBITS): StateVector {
    if (!Number.isInteger(numQubits) || numQubits < 0) throw new RangeError(`invalid qubit count ${numQubits}`);
    checkQubitLimit(numQubits, maxQubits);
    ensureStateVectorsFit(numQubits, 1);
    return new StateVector(numQubits, WasmAmplitudes.tryAllocate(numQubits));
  }

  /** True when the WebAssembly kernels serve this state. */
  get accelerated(): boolean {
    return this.wasm !== null;
  }

  /** |0…0⟩, |+…+⟩ or a computational basis state. */
  static initial(numQubits: number, state: InitialState = ZERO_STATE, maxQubits = DEFAULT_MAX_QUBITS): StateVector {
    if (state.kind === 'basis' && state.bits.length !== numQubits) {
      throw new UserError(`initial state has ${state.bits.length} bits but the circuit has ${numQubits} qubits`);
    }
    const sv = StateVector.allocate(numQubits, maxQubits);
    sv.reset(state);
    return sv;
  }

  /** Overwrites the amplitudes with an initial product state. */
  reset(state: InitialState = ZERO_STATE): void {
    this.im.fill(0);
    if (state.kind === 'plus') {
      this.re.fill(1 / Math.sqrt(this.dimension));
      return;
    }
    this.re.fill(0);
    let index = 0;
    if (state.kind === 'basis') {
      if (state.bits.length !== this.numQubits) {
        throw new UserError(`initial state has ${state.bits.length} bits but the state has ${this.numQubits} qubits`);
      }
      for (let q = 0; q < state.bits.length; q++) if (state.bits[q]) index |= 1 << q;
    }
    this.re[index] = 1;
  }

  /** Copies the amplitudes of another state of the same size. */
  copyFrom(other: StateVector): void {
    if (other.numQubits !== this.numQubits) throw new RangeError('copyFrom: qubit counts differ');
    this.re.set(other.re);
    this.im.set(other.im);
  }

  /** An independent copy. */
  clone(): StateVector {
    ensureStateVectorsFit(this.numQubits, 1, 'copy of a state vector');
    const copy = new StateVector(this.numQubits, WasmAmplitudes.tryAllocate(this.numQubits));
    copy.copyFrom(this);
    return copy;
  }

  /** Amplitude of basis index k as [re, im]. */
  amplitude(k: number): [number, number] {
    return [this.re[k]!, this.im[k]!];
  }

  /** ⟨ψ|ψ⟩. */
  normSquared(): number {
    let s = 0;
    const { re, im } = this;
    for (let k = 0; k < re.length; k++) s += re[k]! * re[k]! + im[k]! * im[k]!;
    return s;
  }

  /** ⟨this|other⟩ as [re, im]. */
  innerProduct(other: StateVector): [number, number] {
    const out = new Float64Array(2);
    pauliMatrixElement({ x: 0, z: 0, numY: 0 }, this.re, this.im, other.re, other.im, out);
    return [out[0]!, out[1]!];
  }

  /** Applies an IR gate; `angle` is the evaluated rotation angle (ignored for Clifford gates). */
  applyGate(gate: UnitaryGate, angle = 0): void {
    if (gate.kind === 'clifford') {
      this.checkQubits(gate.qubits);
      this.applyClifford(gate.name, gate.qubits);
    } else {
      this.applyPauliRotation(gate.pauli, angle);
    }
  }

  /** Applies the inverse of an IR gate at the given angle. */
  applyInverseGate(gate: UnitaryGate, angle = 0): void {
    if (gate.kind === 'clifford') {
      this.checkQubits(gate.qubits);
      this.applyClifford(inverseClifford(gate.name), gate.qubits);
    } else {
      this.applyPauliRotation(gate.pauli, -angle);
    }
  }

  /** A Clifford gate by name on already validated qubits (control first). */
  applyClifford(name: CliffordName, qubits: readonly number[]): void {
    if (!this.wasm?.applyClifford(name, qubits)) applyClifford(name, qubits, this.re, this.im);
  }

  /** exp(−iθP/2) for a Pauli string in sparse or mask form. */
  applyPauliRotation(p: SparsePauli | PauliMask, theta: number): void {
    const mask = this.toMask(p);
    if (this.wasm) this.wasm.applyRotation(mask, theta);
    else applyPauliRotation(mask, theta, this.re, this.im);
  }

  /** ⟨ψ|P|ψ⟩ for one Pauli string. */
  pauliExpectation(p: SparsePauli | PauliMask): number {
    const mask = this.toMask(p);
    return this.wasm ? this.wasm.pauliExpectation(mask) : pauliExpectation(mask, this.re, this.im);
  }

  /** ⟨ψ|P|ψ⟩ for a packed string (layout of src/pauli/packed.ts). */
  packedPauliExpectation(a: Uint32Array, ao: number, W: number): number {
    return this.pauliExpectation(maskFromPacked(a, ao, W, this.numQubits));
  }

  /** ⟨ψ|O|ψ⟩ for an observable or a PauliSum: one read-only pass per term, no copies. */
  expectationOf(obs: Observable | PauliSum): number {
    let sum = 0;
    if ('terms' in obs) {
      for (const t of obs.terms) sum += t.coeff * this.pauliExpectation(maskFromSparse(t.pauli, this.numQubits));
    } else {
      const stride = obs.table.stride;
      for (let e = 0; e < obs.size; e++) {
        const c = obs.coeffs[e]!;
        if (c !== 0) sum += c * this.packedPauliExpectation(obs.table.keys, e * stride, obs.W);
      }
    }
    return sum;
  }

  /** ⟨other|P|this⟩ as [re, im]. */
  pauliMatrixElement(other: StateVector, p: SparsePauli | PauliMask): [number, number] {
    const out = new Float64Array(2);
    pauliMatrixElement(this.toMask(p), other.re, other.im, this.re, this.im, out);
    return [out[0]!, out[1]!];
  }

  /** target = O·this (target's previous contents are overwritten). */
  applyObservableInto(obs: Observable, target: StateVector): void {
    if (target === this) throw new RangeError('applyObservableInto needs a distinct target state');
    target.re.fill(0);
    target.im.fill(0);
    for (const t of obs.terms) {
      accumulatePauli(maskFromSparse(t.pauli, this.numQubits), t.coeff, this.re, this.im, target.re, target.im);
    }
  }

  private toMask(p: SparsePauli | PauliMask): PauliMask {
    return 'qubits' in p ? maskFromSparse(p, this.numQubits) : p;
  }

  private checkQubits(qubits: readonly number[]): void {
    for (const q of qubits) {
      if (!Number.isInteger(q) || q < 0 || q >= this.numQubits) {
        throw new UserError(`gate acts on qubit ${q} but the state has ${this.numQubits} qubits`);
      }
    }
  }
}
