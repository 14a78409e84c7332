import type { CliffordName } from '../../ir/types.js';
import type { InitialState } from '../../ir/states.js';
import { popcount32 } from '../../pauli/packed.js';
import type { NoiseChannel } from '../../noise/channels.js';
import { singleQubitPauliProbabilities } from '../../noise/channels.js';
import { allocateArray } from '../../memory/limit.js';
import type { PauliMask } from '../statevector/pauli-mask.js';
import { highestBit } from '../statevector/pauli-mask.js';

/**
 * An exact n-qubit density matrix ρ (2^n × 2^n complex, row-major, separate real and imaginary
 * planes; qubit q is bit q of the row and column index, as in the state-vector simulator).
 *
 * Every unitary is applied through Pauli operations only: a rotation R = exp(−iθP/2) = cI − isP
 * gives RρR† = c²ρ + ics·ρP − ics·Pρ + s²·PρP, where P acts on indices as a signed permutation
 * (P|k⟩ = i^numY (−1)^popcount(k & z) |k ^ x⟩). Clifford gates are short products of π/2 rotations
 * and Pauli conjugations (global phases cancel in UρU†), so no 2×2 or 4×4 gate matrices are needed
 * and every generator weight costs the same O(4^n) pass.
 *
 * The same object holds a Heisenberg-evolved observable M in the adjoint gradient: the dual of a
 * rotation by θ is the rotation by −θ, the dual of a Pauli channel is itself, and amplitude damping
 * has its own dual (`applyChannelDual`).
 */
export class DensityMatrix {
  readonly dim: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
  // Scratch: (−1)^popcount(k & z) for the current generator, reused across gates.
  private readonly sign: Int8Array;

  private constructor(readonly numQubits: number, re: Float64Array, im: Float64Array) {
    this.dim = 2 ** numQubits;
    this.re = re;
    this.im = im;
    this.sign = new Int8Array(this.dim);
  }

  /** Bytes one matrix of `numQubits` qubits occupies (two Float64 planes of 4^n entries). */
  static bytesFor(numQubits: number): number {
    return 16 * 4 ** numQubits;
  }

  /** A zero matrix, allocated after checking the memory limit. */
  static allocate(numQubits: number): DensityMatrix {
    const n2 = 4 ** numQubits;
    const what = `density matrix of ${numQubits} qubits`;
    const advice = 'use fewer qubits, or Pauli propagation for noisy circuits';
    const re = allocateArray(Float64Array, n2, `${what} (real part)`, advice);
    const im = allocateArray(Float64Array, n2, `${what} (imaginary part)`, advice);
    return new DensityMatrix(numQubits, re, im);
  }

  /** |ψ0⟩⟨ψ0| for a product initial state. */
  static initial(numQubits: number, state: InitialState): DensityMatrix {
    const rho = DensityMatrix.allocate(numQubits);
    rho.reset(state);
    return rho;
  }

  /** Sets ρ = |ψ0⟩⟨ψ0| for a product initial state. */
  reset(state: InitialState): void {
    this.im.fill(0);
    if (state.kind === 'plus') {
      this.re.fill(1 / this.dim);
      return;
    }
    this.re.fill(0);
    let b = 0;
    if (state.kind === 'basis') state.bits.forEach((bit, q) => { if (bit) b |= 1 << q; });
    this.re[b * this.dim + b] = 1;
  }

  /** Copies another matrix of the same size into this one. */
  copyFrom(other: DensityMatrix): void {
    this.re.set(other.re);
    this.im.set(other.im);
  }

  /** M = Σ c_j P_j as a matrix (for the adjoint pass). */
  setObservable(masks: readonly PauliMask[], coeffs: ArrayLike<number>): void {
    this.re.fill(0);
    this.im.fill(0);
    const dim = this.dim;
    for (let t = 0; t < masks.length; t++) {
      const { x, z, numY } = masks[t]!;
      const c = coeffs[t]!;
      // P[r, k] with r = k ^ x: i^numY (−1)^popcount(k & z).
      for (let k = 0; k < dim; k++) {
        const s = popcount32(k & z) & 1 ? -c : c;
        const idx = (k ^ x) * dim + k;
        switch (numY & 3) {
          case 0: this.re[idx]! += s; break;
          case 1: this.im[idx]! += s; break;
          case 2: this.re[idx]! -= s; break;
          default: this.im[idx]! -= s;
        }
      }
    }
  }

  private fillSigns(z: number): Int8Array {
    const sign = this.sign;
    for (let k = 0; k < this.dim; k++) sign[k] = popcount32(k & z) & 1 ? -1 : 1;
    return sign;
  }

  /** ρ → RρR† with R = exp(−iθP/2). */
  applyPauliRotation(mask: PauliMask, theta: number): void {
    const { x, z } = mask;
    const ky = mask.numY & 3;
    const c = Math.cos(theta / 2), s = Math.sin(theta / 2);
    const cc = c * c, cs = c * s, ss = s * s * (ky & 1 ? -1 : 1); // s²·i^(2ky) = s²·(−1)^ky
    // w = i^(1+ky): the phase of the ics·(ρP − Pρ) terms.
    const k1 = (1 + ky) & 3;
    const wr = k1 === 0 ? 1 : k1 === 2 ? -1 : 0;
    const wi = k1 === 1 ? 1 : k1 === 3 ? -1 : 0;
    const sign = this.fillSigns(z);
    const { re, im, dim } = this;
    if (x === 0) {
      // Diagonal generator (ky = 0 here): entry (r, c) with sign[r] ≠ sign[c] turns by e^{iθ·sign[c]}.
      const pr = Math.cos(theta), ps = Math.sin(theta);
      for (let r = 0; r < dim; r++) {
        const sr = sign[r]!;
        const row = r * dim;
        for (let col = 0; col < dim; col++) {
          const sc = sign[col]!;
          if (sc === sr) continue; // c² + s² = 1
          const pi = ps * sc;
          const a = re[row + col]!, b = im[row + col]!;
          re[row + col] = a * pr - b * pi;
          im[row + col] = a * pi + b * pr;
        }
      }
      return;
    }
    const hb = highestBit(x);
    // Rows and columns without the pivot bit hb, in blocks of hb (no per-index branch).
    for (let r0 = 0; r0 < dim; r0 += 2 * hb) for (let r = r0; r < r0 + hb; r++) {
      const r2 = r ^ x;
      const sr = sign[r]!, sr2 = sign[r2]!;
      const rowA = r * dim, rowB = r2 * dim;
      for (let c0 = 0; c0 < dim; c0 += 2 * hb) for (let col = c0; col < c0 + hb; col++) {
        const col2 = col ^ x;
        const sc = sign[col]!, sc2 = sign[col2]!;
        const iA = rowA + col, iB = rowA + col2, iD = rowB + col, iE = rowB + col2;
        const ar = re[iA]!, ai = im[iA]!, br = re[iB]!, bi = im[iB]!;
        const dr = re[iD]!, di = im[iD]!, er = re[iE]!, ei = im[iE]!;
        // new(r,c) = c²ρ(r,c) + cs·w·(sc[c]ρ(r,c') − sc[r']ρ(r',c)) + s²(−1)^ky sc[r']sc[c] ρ(r',c').
        let ur = sc * br - sr2 * dr, ui = sc * bi - sr2 * di;
        re[iA] = cc * ar + cs * (wr * ur - wi * ui) + ss * sr2 * sc * er;
        im[iA] = cc * ai + cs * (wr * ui + wi * ur) + ss * sr2 * sc * ei;
        // (r, c'): T1 = ρ(r,c), T2 = ρ(r',c'), T3 = ρ(r',c).
        ur = sc2 * ar - sr2 * er; ui = sc2 * ai - sr2 * ei;
        re[iB] = cc * br + cs * (wr * ur - wi * ui) + ss * sr2 * sc2 * dr;
        im[iB] = cc * bi + cs * (wr * ui + wi * ur) + ss * sr2 * sc2 * di;
        // (r', c): T1 = ρ(r',c'), T2 = ρ(r,c), T3 = ρ(r,c').
        ur = sc * er - sr * ar; ui = sc * ei - sr * ai;
        re[iD] = cc * dr + cs * (wr * ur - wi * ui) + ss * sr * sc * br;
        im[iD] = cc * di + cs * (wr * ui + wi * ur) + ss * sr * sc * bi;
        // (r', c'): T1 = ρ(r',c), T2 = ρ(r,c'), T3 = ρ(r,c).
        ur = sc2 * dr - sr * br; ui = sc2 * di - sr * bi;
        re[iE] = cc * er + cs * (wr * ur - wi * ui) + ss * sr * sc2 * ar;
        im[iE] = cc * ei + cs * (wr * ui + wi * ur) + ss * sr * sc2 * ai;
      }
    }
  }

  /** ρ → PρP (P Hermitian, so this is also the conjugation by the unitary P). */
  applyPauliConjugation(mask: PauliMask): void {
    const { x, z } = mask;
    const ky = mask.numY & 3;
    const global = ky & 1 ? -1 : 1; // i^(2·numY) = (−1)^numY
    const sign = this.fillSigns(z);
    const { re, im, dim } = this;
    if (x === 0) {
      for (let r = 0; r < dim; r++) {
        const sr = sign[r]!;
        for (let col = 0; col < dim; col++) {
          if (sr * sign[col]! * global === 1) continue;
          re[r * dim + col] = -re[r * dim + col]!;
          im[r * dim + col] = -im[r * dim + col]!;
        }
      }
      return;
    }
    const hb = highestBit(x);
    for (let r = 0; r < dim; r++) {
      if (r & hb) continue;
      const r2 = r ^ x;
      const sr = sign[r]!, sr2 = sign[r2]!;
      for (let col = 0; col < dim; col++) {
        if (col & hb) continue;
        const col2 = col ^ x;
        const sc = sign[col]!, sc2 = sign[col2]!;
        const iA = r * dim + col, iB = r * dim + col2, iD = r2 * dim + col, iE = r2 * dim + col2;
        // (PρP)(r,c) = (−1)^numY sc[r'] sc[c] ρ(r',c').
        const ar = re[iA]!, ai = im[iA]!, br = re[iB]!, bi = im[iB]!;
        const fA = global * sr2 * sc, fB = global * sr2 * sc2, fD = global * sr * sc, fE = global * sr * sc2;
        re[iA] = fA * re[iE]!; im[iA] = fA * im[iE]!;
        re[iE] = fE * ar; im[iE] = fE * ai;
        re[iB] = fB * re[iD]!; im[iB] = fB * im[iD]!;
        re[iD] = fD * br; im[iD] = fD * bi;
      }
    }
  }

  /** ρ → UρU† for a Clifford gate (Schrödinger picture). */
  applyClifford(name: CliffordName, qubits: readonly number[]): void {
    if (this.applyPermutationGate(name, qubits)) return;
    for (const step of cliffordSteps(name, qubits)) this.applyStep(step, false);
  }

  /** M → U†MU for a Clifford gate (Heisenberg picture). */
  applyCliffordDual(name: CliffordName, qubits: readonly number[]): void {
    // cx, cz and swap are self-inverse: U†MU = UMU.
    if (this.applyPermutationGate(name, qubits)) return;
    const steps = cliffordSteps(name, qubits);
    for (let i = steps.length - 1; i >= 0; i--) this.applyStep(steps[i]!, true);
  }

  /**
   * cx, cz and swap in one pass: cx and swap permute basis states (ρ(r, c) ← ρ(π(r), π(c)) with π an
   * involution), cz flips the sign of entries whose row and column differ in parity of a∧b.
   * Returns false for other gates.
   */
  private applyPermutationGate(name: CliffordName, qubits: readonly number[]): boolean {
    const { re, im, dim } = this;
    const a = 1 << qubits[0]!, b = 1 << (qubits[1] ?? 0);
    if (name === 'cz') {
      const both = a | b;
      for (let r = 0; r < dim; r++) {
        const pr = (r & both) === both;
        const row = r * dim;
        for (let col = 0; col < dim; col++) {
          if (pr !== ((col & both) === both)) { re[row + col] = -re[row + col]!; im[row + col] = -im[row + col]!; }
        }
      }
      return true;
    }
    let perm: (k: number) => number;
    if (name === 'cx') perm = (k) => (k & a ? k ^ b : k);
    else if (name === 'swap') perm = (k) => (((k & a) !== 0) === ((k & b) !== 0) ? k : k ^ a ^ b);
    else return false;
    for (let r = 0; r < dim; r++) {
      const pr = perm(r);
      for (let col = 0; col < dim; col++) {
        const i = r * dim + col, j = pr * dim + perm(col);
        if (j <= i) continue;
        let t = re[i]!; re[i] = re[j]!; re[j] = t;
        t = im[i]!; im[i] = im[j]!; im[j] = t;
      }
    }
    return true;
  }

  private applyStep(step: Step, inverse: boolean): void {
    if (step.angle === 0) this.applyPauliConjugation(step.mask);
    else this.applyPauliRotation(step.mask, inverse ? -step.angle : step.angle);
  }

  /** ρ → Σ K ρ K† for a noise channel. */
  applyChannel(ch: NoiseChannel): void {
    this.channel(ch, false);
  }

  /** M → Σ K† M K (the Heisenberg dual of the channel). */
  applyChannelDual(ch: NoiseChannel): void {
    this.channel(ch, true);
  }

  private channel(ch: NoiseChannel, dual: boolean): void {
    const probs = singleQubitPauliProbabilities(ch);
    if (probs) return this.pauliChannel(ch.qubits[0]!, probs);
    if (ch.name === 'depolarize2') return this.depolarize2(ch.qubits[0]!, ch.qubits[1]!, ch.strengths[0]!);
    return this.amplitudeDamping(ch.qubits[0]!, ch.strengths[0]!, dual);
  }

  /** Visits every 2×2 block (row bit, column bit of qubit q) with the other bits fixed. */
  private pauliChannel(q: number, [pI, pX, pY, pZ]: readonly [number, number, number, number]): void {
    // ρ'00 = (pI+pZ)ρ00 + (pX+pY)ρ11, ρ'11 likewise; ρ'01 = (pI−pZ)ρ01 + (pX−pY)ρ10, ρ'10 likewise.
    const keep = pI + pZ, flip = pX + pY, keepOff = pI - pZ, flipOff = pX - pY;
    const m = 1 << q;
    const { re, im, dim } = this;
    for (let r = 0; r < dim; r++) {
      if (r & m) continue;
      const r1 = r | m;
      for (let col = 0; col < dim; col++) {
        if (col & m) continue;
        const c1 = col | m;
        const i00 = r * dim + col, i01 = r * dim + c1, i10 = r1 * dim + col, i11 = r1 * dim + c1;
        let a = re[i00]!, b = re[i11]!;
        re[i00] = keep * a + flip * b; re[i11] = keep * b + flip * a;
        a = im[i00]!; b = im[i11]!;
        im[i00] = keep * a + flip * b; im[i11] = keep * b + flip * a;
        a = re[i01]!; b = re[i10]!;
        re[i01] = keepOff * a + flipOff * b; re[i10] = keepOff * b + flipOff * a;
        a = im[i01]!; b = im[i10]!;
        im[i01] = keepOff * a + flipOff * b; im[i10] = keepOff * b + flipOff * a;
      }
    }
  }

  /** ρ → (1 − p)ρ + (p/4)·Tr_{q1 q2}(ρ) ⊗ I (self-dual). */
  private depolarize2(q1: number, q2: number, p: number): void {
    const m1 = 1 << q1, m2 = 1 << q2, both = m1 | m2;
    const offs = [0, m1, m2, both];
    const { re, im, dim } = this;
    for (let r = 0; r < dim; r++) {
      if (r & both) continue;
      for (let col = 0; col < dim; col++) {
        if (col & both) continue;
        let tr = 0, ti = 0;
        for (let k = 0; k < 4; k++) {
          const idx = (r | offs[k]!) * dim + (col | offs[k]!);
          tr += re[idx]!; ti += im[idx]!;
        }
        for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) {
          const idx = (r | offs[a]!) * dim + (col | offs[b]!);
          re[idx] = (1 - p) * re[idx]! + (a === b ? (p / 4) * tr : 0);
          im[idx] = (1 - p) * im[idx]! + (a === b ? (p / 4) * ti : 0);
        }
      }
    }
  }

  /**
   * Amplitude damping on qubit q. Schrödinger: ρ00 += γρ11, ρ11 *= 1 − γ, off-diagonal *= √(1−γ).
   * Dual: M11 = (1 − γ)M11 + γM00, off-diagonal *= √(1−γ), M00 unchanged.
   */
  private amplitudeDamping(q: number, g: number, dual: boolean): void {
    const m = 1 << q;
    const sq = Math.sqrt(1 - g);
    const { re, im, dim } = this;
    for (let r = 0; r < dim; r++) {
      if (r & m) continue;
      const r1 = r | m;
      for (let col = 0; col < dim; col++) {
        if (col & m) continue;
        const c1 = col | m;
        const i00 = r * dim + col, i01 = r * dim + c1, i10 = r1 * dim + col, i11 = r1 * dim + c1;
        if (dual) {
          re[i11] = (1 - g) * re[i11]! + g * re[i00]!;
          im[i11] = (1 - g) * im[i11]! + g * im[i00]!;
        } else {
          re[i00] = re[i00]! + g * re[i11]!;
          im[i00] = im[i00]! + g * im[i11]!;
          re[i11] = (1 - g) * re[i11]!;
          im[i11] = (1 - g) * im[i11]!;
        }
        re[i01] = sq * re[i01]!; im[i01] = sq * im[i01]!;
        re[i10] = sq * re[i10]!; im[i10] = sq * im[i10]!;
      }
    }
  }

  /** Tr(Pρ) (real for Hermitian ρ; the imaginary part is rounding). */
  pauliExpectation(mask: PauliMask): number {
    const { x, z } = mask;
    const ky = mask.numY & 3;
    const { re, im, dim } = this;
    // Tr(Pρ) = Σ_k P[k^x, k]·ρ[k, k^x] with P[k^x, k] = i^ky (−1)^popcount(k & z).
    let sr = 0, si = 0;
    for (let k = 0; k < dim; k++) {
      const idx = k * dim + (k ^ x);
      if (popcount32(k & z) & 1) { sr -= re[idx]!; si -= im[idx]!; } else { sr += re[idx]!; si += im[idx]!; }
    }
    // Multiply (sr + i si) by i^ky and keep the real part.
    return ky === 0 ? sr : ky === 1 ? -si : ky === 2 ? -sr : si;
  }

  /** Tr(ρ) real part (1 for a state; used by tests). */
  trace(): number {
    let t = 0;
    for (let k = 0; k < this.dim; k++) t += this.re[k * this.dim + k]!;
    return t;
  }

  /**
   * ∂/∂θ of Tr(M·RρR†) at the point where this matrix holds ρ_after = RρR† and `m` holds M, for
   * R = exp(−iθP/2): (−i/2)·Tr([M, P]·ρ_after) = Im(Tr(M·P·ρ) − Tr(M·ρ·P)) / 2.
   */
  rotationDerivative(m: DensityMatrix, mask: PauliMask): number {
    const { x, z } = mask;
    const ky = mask.numY & 3;
    const { re, im, dim } = this;
    const mr = m.re, mi = m.im;
    // T1 = Σ_{r,c} M(c,r)·(Pρ)(r,c),  (Pρ)(r,c) = i^ky (−1)^pc(r^x & z) ρ(r^x, c)
    // T2 = Σ_{r,c} M(c,r)·(ρP)(r,c),  (ρP)(r,c) = i^ky (−1)^pc(c & z) ρ(r, c^x)
    let t1r = 0, t1i = 0, t2r = 0, t2i = 0;
    for (let r = 0; r < dim; r++) {
      const rx = r ^ x;
      const s1 = popcount32(rx & z) & 1 ? -1 : 1;
      for (let col = 0; col < dim; col++) {
        const mIdx = col * dim + r;
        const a = mr[mIdx]!, b = mi[mIdx]!;
        const p1 = rx * dim + col;
        const vr = re[p1]!, vi = im[p1]!;
        t1r += s1 * (a * vr - b * vi);
        t1i += s1 * (a * vi + b * vr);
        const s2 = popcount32(col & z) & 1 ? -1 : 1;
        const p2 = r * dim + (col ^ x);
        const wr = re[p2]!, wi = im[p2]!;
        t2r += s2 * (a * wr - b * wi);
        t2i += s2 * (a * wi + b * wr);
      }
    }
    let dr = t1r - t2r, di = t1i - t2i;
    // times i^ky
    for (let k = 0; k < ky; k++) { const t = dr; dr = -di; di = t; }
    return di / 2;
  }
}

/** One step of a Clifford decomposition: a Pauli conjugation (angle 0) or a rotation by ±π/2. */
interface Step {
  readonly mask: PauliMask;
  readonly angle: number;
}

function mask1(q: number, letter: 'X' | 'Y' | 'Z'): PauliMask {
  const b = 1 << q;
  return { x: letter === 'Z' ? 0 : b, z: letter === 'X' ? 0 : b, numY: letter === 'Y' ? 1 : 0 };
}

function mask2(q1: number, l1: 'X' | 'Y' | 'Z', q2: number, l2: 'X' | 'Y' | 'Z'): PauliMask {
  const a = mask1(q1, l1), b = mask1(q2, l2);
  return { x: a.x | b.x, z: a.z | b.z, numY: a.numY + b.numY };
}

const HALF_PI = Math.PI / 2;

/**
 * Each Clifford gate as Pauli operations, in time order, up to a global phase (which cancels in
 * UρU†): H = X·R_Y(π/2); S = R_Z(π/2); SX = R_X(π/2); CX(c,t) = R_Zc(π/2)·R_Xt(π/2)·R_ZcXt(−π/2)
 * (from CX = exp(iπ/4·(I − Z_c)(I − X_t))), CY and CZ likewise; SWAP = exp(iπ/4·(XX + YY + ZZ)).
 */
function cliffordSteps(name: CliffordName, q: readonly number[]): Step[] {
  const a = q[0]!, b = q[1]!;
  switch (name) {
    case 'x': return [{ mask: mask1(a, 'X'), angle: 0 }];
    case 'y': return [{ mask: mask1(a, 'Y'), angle: 0 }];
    case 'z': return [{ mask: mask1(a, 'Z'), angle: 0 }];
    case 's': return [{ mask: mask1(a, 'Z'), angle: HALF_PI }];
    case 'sdg': return [{ mask: mask1(a, 'Z'), angle: -HALF_PI }];
    case 'sx': return [{ mask: mask1(a, 'X'), angle: HALF_PI }];
    case 'sxdg': return [{ mask: mask1(a, 'X'), angle: -HALF_PI }];
    case 'h': return [{ mask: mask1(a, 'Y'), angle: HALF_PI }, { mask: mask1(a, 'X'), angle: 0 }];
    case 'cx': return controlled(a, b, 'X');
    case 'cy': return controlled(a, b, 'Y');
    case 'cz': return controlled(a, b, 'Z');
    case 'swap': return [
      { mask: mask2(a, 'X', b, 'X'), angle: -HALF_PI },
      { mask: mask2(a, 'Y', b, 'Y'), angle: -HALF_PI },
      { mask: mask2(a, 'Z', b, 'Z'), angle: -HALF_PI },
    ];
  }
}

function controlled(c: number, t: number, letter: 'X' | 'Y' | 'Z'): Step[] {
  return [
    { mask: mask1(c, 'Z'), angle: HALF_PI },
    { mask: mask1(t, letter), angle: HALF_PI },
    { mask: mask2(c, 'Z', t, letter), angle: -HALF_PI },
  ];
}
