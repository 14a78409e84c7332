import type { CliffordName, SparsePauli } from '../ir/types.js';
import { conjugateByClifford } from '../pauli/clifford.js';
import { letterCode, multiply, setLetterCode, wordsFor } from '../pauli/packed.js';
import { LETTER_CODE, packSparse } from '../pauli/sparse.js';
import { rotateAtQuarterTurns } from '../clifford-point/heisenberg.js';

/**
 * The Heisenberg action P ↦ V†PV of an accumulated Clifford V, as a tableau: the images of X_q and
 * Z_q (row 2q and 2q+1, packed strings with a ±1 sign). Appending a gate c later in time gives
 * V' = cV, whose images are T'(P) = T(c†Pc): only the rows of c's qubits change.
 *
 * The surrogate moves every Clifford (Clifford gates and rotations at multiples of π/2) past the
 * rotations towards the observable: R_G(x)·V = V·R_{V†GV}(x). Rotations then act on the initial
 * state directly with generators T(G), the observable becomes T_final(O), and the propagation
 * loop never touches its terms for a Clifford gate.
 */
export class CliffordFrame {
  readonly numQubits: number;
  readonly W: number;
  readonly stride: number;
  /** Row r at r·2W: image of X_q (r = 2q) or Z_q (r = 2q+1). */
  readonly rows: Uint32Array;
  readonly signs: Int8Array;
  private readonly scratch: Uint32Array;
  /** Rows computed from the old tableau before any is written (at most 4 per gate). */
  private readonly pending: Uint32Array;
  private readonly pendingRow = new Int32Array(4);
  private readonly pendingSign = new Int8Array(4);
  private readonly qs = new Int32Array(2);
  private readonly cs = new Int32Array(2);

  constructor(numQubits: number) {
    this.numQubits = numQubits;
    this.W = wordsFor(numQubits);
    this.stride = 2 * this.W;
    this.rows = new Uint32Array(2 * numQubits * this.stride);
    this.signs = new Int8Array(2 * numQubits).fill(1);
    for (let q = 0; q < numQubits; q++) {
      const bit = (1 << (q & 31)) >>> 0;
      this.rows[2 * q * this.stride + (q >>> 5)] = bit;
      this.rows[(2 * q + 1) * this.stride + this.W + (q >>> 5)] = bit;
    }
    this.scratch = new Uint32Array(this.stride);
    this.pending = new Uint32Array(4 * this.stride);
  }

  /**
   * Writes the image of the Pauli with letter codes `codes[i]` (1 X, 2 Z, 3 Y) on `qubits[i]` into
   * out at oo and returns its sign (+1 or −1). Y = i·X·Z, so its image is i·T(X)·T(Z).
   */
  imageOf(qubits: ArrayLike<number>, codes: ArrayLike<number>, out: Uint32Array, oo: number): number {
    const { stride, rows, signs, W } = this;
    out.fill(0, oo, oo + stride);
    let e = 0; // phase exponent: product = i^e · out
    for (let i = 0; i < qubits.length; i++) {
      const q = qubits[i]!;
      const code = codes[i]!;
      if (code & 1) {
        e += multiply(out, oo, rows, 2 * q * stride, out, oo, W) + (signs[2 * q]! < 0 ? 2 : 0);
      }
      if (code & 2) {
        e += multiply(out, oo, rows, (2 * q + 1) * stride, out, oo, W) + (signs[2 * q + 1]! < 0 ? 2 : 0);
      }
      if (code === 3) e += 1;
    }
    e &= 3;
    if (e & 1) throw new Error('internal error: Clifford frame produced a non-Hermitian image');
    return e === 0 ? 1 : -1;
  }

  /** Image of a sparse Pauli (a rotation generator or an observable term). */
  imageOfSparse(p: SparsePauli, out: Uint32Array, oo: number): number {
    return this.imageOf(p.qubits, p.letters.map((l) => LETTER_CODE[l]), out, oo);
  }

  /** Image of a packed Pauli on the frame's register. */
  imageOfPacked(a: Uint32Array, ao: number, out: Uint32Array, oo: number): number {
    const qubits: number[] = [];
    const codes: number[] = [];
    for (let q = 0; q < this.numQubits; q++) {
      const c = letterCode(a, ao, this.W, q);
      if (c) {
        qubits.push(q);
        codes.push(c);
      }
    }
    return this.imageOf(qubits, codes, out, oo);
  }

  /** Appends a Clifford gate (later in time than everything absorbed so far). */
  applyClifford(name: CliffordName, qubits: readonly number[]): void {
    const { W, scratch, stride } = this;
    let nNew = 0;
    for (const q of qubits) {
      for (let code = 1; code <= 2; code++) {
        // c†·P·c for P = X_q or Z_q, supported on the gate's qubits.
        const w = code === 1 ? q >>> 5 : W + (q >>> 5);
        const bit = (1 << (q & 31)) >>> 0;
        for (const r of qubits) {
          scratch[r >>> 5] = 0;
          scratch[W + (r >>> 5)] = 0;
        }
        scratch[w] = bit;
        const flip = conjugateByClifford(name, qubits, scratch, 0, W);
        let n = 0;
        let same = !flip;
        for (const r of qubits) {
          const c = letterCode(scratch, 0, W, r);
          if (c) {
            this.qs[n] = r;
            this.cs[n++] = c;
            if (r !== q || c !== code) same = false;
          }
        }
        if (same) continue; // the row is unchanged
        const row = 2 * q + code - 1;
        this.pendingRow[nNew] = row;
        this.pendingSign[nNew] = this.imageOf(this.qs.subarray(0, n), this.cs.subarray(0, n), this.pending, nNew * stride) * (flip ? -1 : 1);
        nNew++;
      }
    }
    for (let i = 0; i < nNew; i++) {
      const row = this.pendingRow[i]!;
      this.rows.set(this.pending.subarray(i * stride, i * stride + stride), row * stride);
      this.signs[row] = this.pendingSign[i]!;
    }
  }

  /**
   * Appends the Clifford rotation exp(−i·k·(π/2)·G/2), k ∈ {1, 2, 3}. Heisenberg rule for an
   * anticommuting P: cos(kπ/2)·P + sin(kπ/2)·(iGP), i.e. iGP, −P, −iGP.
   */
  applyCliffordRotation(generator: SparsePauli, k: number): void {
    const { W, stride, scratch } = this;
    const gen = new Uint32Array(stride);
    packSparse(generator, gen, 0, W);
    // Up to two rows per generator qubit change; all are computed from the old tableau first.
    const pending = new Uint32Array(2 * generator.qubits.length * stride);
    const rows: number[] = [];
    const signs: number[] = [];
    for (let i = 0; i < generator.qubits.length; i++) {
      const q = generator.qubits[i]!;
      const g = LETTER_CODE[generator.letters[i]!];
      for (let code = 1; code <= 2; code++) {
        if (code === g) continue; // X_q / Z_q commutes with G's letter there, hence with G
        scratch.fill(0);
        setLetterCode(scratch, 0, W, q, code);
        const sign = rotateAtQuarterTurns(gen, 0, k, scratch, 0, W);
        signs.push(this.imageOfPacked(scratch, 0, pending, rows.length * stride) * sign);
        rows.push(2 * q + code - 1);
      }
    }
    scratch.fill(0);
    for (let i = 0; i < rows.length; i++) this.setRow(rows[i]!, pending.subarray(i * stride, (i + 1) * stride), signs[i]!);
  }

  private setRow(row: number, words: Uint32Array, sign: number): void {
    this.rows.set(words, row * this.stride);
    this.signs[row] = sign;
  }
}
