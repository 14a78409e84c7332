/**
 * A small, deliberately naive dense complex linear-algebra reference for tests. Nothing here is
 * fast or clever, so it can be trusted as an independent path against the real engines.
 *
 * Conventions
 * - Matrices are row-major with separate real and imaginary parts (`CMatrix`); vectors are `CVector`.
 * - Register index convention (same as the state-vector simulator): qubit q is bit q of the
 *   amplitude index, so qubit 0 is the least significant bit.
 * - Local (textbook) k-qubit matrices list their qubits most-significant first: in `embed(M, [c, t], n)`
 *   `qubits[0]` is the left Kronecker factor. So the textbook CX matrix embedded on [c, t] is CX with
 *   control c, matching the IR's "control first" rule.
 * - `kron(A, B)` = A ⊗ B (A acts on the more significant bits).
 */
import type { CliffordName, Circuit, Gate, Observable, PauliLetter, SparsePauli } from '../../src/ir/types.js';
import { evaluateExpr } from '../../src/ir/affine.js';
import { CLIFFORD_GATES } from '../../src/ir/clifford-gates.js';
import type { InitialState } from '../../src/ir/states.js';

export type Complex = readonly [re: number, im: number];

export interface CMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export interface CVector {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

// ---------------------------------------------------------------- construction

export function zeros(rows: number, cols = rows): CMatrix {
  return { rows, cols, re: new Float64Array(rows * cols), im: new Float64Array(rows * cols) };
}

export function identity(dim: number): CMatrix {
  const m = zeros(dim);
  for (let i = 0; i < dim; i++) m.re[i * dim + i] = 1;
  return m;
}

/** Builds a matrix from rows of entries; an entry is a real number or a [re, im] pair. */
export function matrix(rows: readonly (readonly (number | Complex)[])[]): CMatrix {
  const r = rows.length;
  const c = rows[0]!.length;
  const m = zeros(r, c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new Error('ragged matrix');
    row.forEach((e, j) => {
      const [re, im] = typeof e === 'number' ? [e, 0] : e;
      m.re[i * c + j] = re;
      m.im[i * c + j] = im;
    });
  });
  return m;
}

/** e^{iφ}. */
export function expi(phi: number): Complex {
  return [Math.cos(phi), Math.sin(phi)];
}

export function entry(m: CMatrix, i: number, j: number): Complex {
  return [m.re[i * m.cols + j]!, m.im[i * m.cols + j]!];
}

// ---------------------------------------------------------------- arithmetic

export function mul(a: CMatrix, b: CMatrix): CMatrix {
  if (a.cols !== b.rows) throw new Error(`shape mismatch ${a.rows}x${a.cols} · ${b.rows}x${b.cols}`);
  const out = zeros(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const ar = a.re[i * a.cols + k]!;
      const ai = a.im[i * a.cols + k]!;
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < b.cols; j++) {
        const br = b.re[k * b.cols + j]!;
        const bi = b.im[k * b.cols + j]!;
        out.re[i * b.cols + j]! += ar * br - ai * bi;
        out.im[i * b.cols + j]! += ar * bi + ai * br;
      }
    }
  }
  return out;
}

/** Product of matrices in the order written: mulAll(A, B, C) = A·B·C. */
export function mulAll(...ms: CMatrix[]): CMatrix {
  return ms.reduce((acc, m) => mul(acc, m));
}

export function add(a: CMatrix, b: CMatrix): CMatrix {
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < a.re.length; i++) {
    out.re[i] = a.re[i]! + b.re[i]!;
    out.im[i] = a.im[i]! + b.im[i]!;
  }
  return out;
}

export function scale(a: CMatrix, s: number | Complex): CMatrix {
  const [sr, si] = typeof s === 'number' ? [s, 0] : s;
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < a.re.length; i++) {
    out.re[i] = sr * a.re[i]! - si * a.im[i]!;
    out.im[i] = sr * a.im[i]! + si * a.re[i]!;
  }
  return out;
}

/** Conjugate transpose. */
export function adjoint(a: CMatrix): CMatrix {
  const out = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      out.re[j * a.rows + i] = a.re[i * a.cols + j]!;
      out.im[j * a.rows + i] = -a.im[i * a.cols + j]!;
    }
  }
  return out;
}

/** kron(A, B, …) = A ⊗ B ⊗ …, the left factor on the most significant bits. */
export function kron(...ms: CMatrix[]): CMatrix {
  return ms.reduce((a, b) => {
    const out = zeros(a.rows * b.rows, a.cols * b.cols);
    for (let i = 0; i < a.rows; i++) {
      for (let j = 0; j < a.cols; j++) {
        const ar = a.re[i * a.cols + j]!;
        const ai = a.im[i * a.cols + j]!;
        for (let k = 0; k < b.rows; k++) {
          for (let l = 0; l < b.cols; l++) {
            const br = b.re[k * b.cols + l]!;
            const bi = b.im[k * b.cols + l]!;
            const idx = (i * b.rows + k) * out.cols + (j * b.cols + l);
            out.re[idx] = ar * br - ai * bi;
            out.im[idx] = ar * bi + ai * br;
          }
        }
      }
    }
    return out;
  });
}

/**
 * The 2^n × 2^n matrix of a k-qubit textbook matrix acting on `qubits` (qubits[0] = most
 * significant local bit) of an n-qubit register (qubit q = bit q of the global index).
 */
export function embed(local: CMatrix, qubits: readonly number[], n: number): CMatrix {
  const k = qubits.length;
  if (local.rows !== 1 << k) throw new Error(`a ${local.rows}x${local.rows} matrix does not act on ${k} qubits`);
  const dim = 1 << n;
  const out = zeros(dim);
  const localIndex = (g: number) => {
    let li = 0;
    for (let b = 0; b < k; b++) li |= ((g >> qubits[b]!) & 1) << (k - 1 - b);
    return li;
  };
  let touched = 0;
  for (const q of qubits) touched |= 1 << q;
  for (let row = 0; row < dim; row++) {
    for (let col = 0; col < dim; col++) {
      if ((row & ~touched) !== (col & ~touched)) continue;
      const idx = localIndex(row) * local.cols + localIndex(col);
      out.re[row * dim + col] = local.re[idx]!;
      out.im[row * dim + col] = local.im[idx]!;
    }
  }
  return out;
}

// ---------------------------------------------------------------- textbook gates

const R = Math.SQRT1_2;

export const PAULI: Readonly<Record<'I' | PauliLetter, CMatrix>> = {
  I: identity(2),
  X: matrix([[0, 1], [1, 0]]),
  Y: matrix([[0, [0, -1]], [[0, 1], 0]]),
  Z: matrix([[1, 0], [0, -1]]),
};

/**
 * Matrices of the IR's Clifford gates, from the gate records (two-qubit ones in |control, target⟩
 * order); test/ir/clifford-gates.test.ts checks them against textbook definitions.
 */
export const CLIFFORD_MATRICES: Readonly<Record<CliffordName, CMatrix>> = Object.fromEntries(
  Object.values(CLIFFORD_GATES).map((g) => [g.name, matrix(g.matrix)]),
) as Record<CliffordName, CMatrix>;

export function rx(theta: number): CMatrix {
  const c = Math.cos(theta / 2), s = Math.sin(theta / 2);
  return matrix([[c, [0, -s]], [[0, -s], c]]);
}

export function ry(theta: number): CMatrix {
  const c = Math.cos(theta / 2), s = Math.sin(theta / 2);
  return matrix([[c, -s], [s, c]]);
}

export function rz(theta: number): CMatrix {
  return matrix([[expi(-theta / 2), 0], [0, expi(theta / 2)]]);
}

/** diag(1, e^{iλ}). */
export function phaseGate(lambda: number): CMatrix {
  return matrix([[1, 0], [0, expi(lambda)]]);
}

/** |0⟩⟨0| ⊗ I + |1⟩⟨1| ⊗ U, control = most significant (first) qubit. */
export function controlled(u: CMatrix): CMatrix {
  const d = u.rows;
  const out = zeros(2 * d);
  for (let i = 0; i < d; i++) out.re[i * 2 * d + i] = 1;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      out.re[(d + i) * 2 * d + d + j] = u.re[i * d + j]!;
      out.im[(d + i) * 2 * d + d + j] = u.im[i * d + j]!;
    }
  }
  return out;
}

// ---------------------------------------------------------------- Pauli strings, IR gates, circuits

/** Full matrix of a sparse Pauli string on n qubits (Hermitian Y). */
export function pauliStringMatrix(p: SparsePauli, n: number): CMatrix {
  const factors: CMatrix[] = [];
  for (let q = n - 1; q >= 0; q--) {
    const i = p.qubits.indexOf(q);
    factors.push(i < 0 ? PAULI.I : PAULI[p.letters[i]!]);
  }
  return kron(...factors);
}

/** exp(−iθP/2) = cos(θ/2)·I − i·sin(θ/2)·P on n qubits. */
export function rotationMatrix(p: SparsePauli, theta: number, n: number): CMatrix {
  return add(scale(identity(1 << n), Math.cos(theta / 2)), scale(pauliStringMatrix(p, n), [0, -Math.sin(theta / 2)]));
}

/** Full matrix of one IR gate; `angle` is the evaluated rotation angle (ignored for Cliffords). */
export function gateMatrix(gate: Gate, angle: number, n: number): CMatrix {
  if (gate.kind === 'channel') throw new Error('a noise channel has no unitary matrix');
  if (gate.kind === 'clifford') return embed(CLIFFORD_MATRICES[gate.name], gate.qubits, n);
  return rotationMatrix(gate.pauli, angle, n);
}

/** U = G_L ⋯ G_1 for the circuit's gates at the flat parameter vector. */
export function circuitUnitary(circuit: Circuit, params: ArrayLike<number>): CMatrix {
  let u = identity(1 << circuit.numQubits);
  for (const g of circuit.gates) {
    const angle = g.kind === 'rotation' ? evaluateExpr(g.angle, params) : 0;
    u = mul(gateMatrix(g, angle, circuit.numQubits), u);
  }
  return u;
}

/** Full matrix of Σ c_j P_j. */
export function observableMatrix(obs: Observable, n: number): CMatrix {
  let m = zeros(1 << n);
  for (const t of obs.terms) m = add(m, scale(pauliStringMatrix(t.pauli, n), t.coeff));
  return m;
}

// ---------------------------------------------------------------- vectors

export function basisVector(index: number, n: number): CVector {
  const v = { re: new Float64Array(1 << n), im: new Float64Array(1 << n) };
  v.re[index] = 1;
  return v;
}

/** The initial product state as a vector (basis bits: bits[q] is qubit q = bit q of the index). */
export function initialVector(state: InitialState, n: number): CVector {
  if (state.kind === 'zero') return basisVector(0, n);
  if (state.kind === 'basis') return basisVector(state.bits.reduce<number>((acc, b, q) => acc | (b << q), 0), n);
  const plus = kron(...Array.from({ length: n }, () => matrix([[R], [R]])));
  return { re: plus.re, im: plus.im };
}

export function apply(m: CMatrix, v: CVector): CVector {
  const out = { re: new Float64Array(m.rows), im: new Float64Array(m.rows) };
  for (let i = 0; i < m.rows; i++) {
    let sr = 0, si = 0;
    for (let j = 0; j < m.cols; j++) {
      const ar = m.re[i * m.cols + j]!, ai = m.im[i * m.cols + j]!;
      sr += ar * v.re[j]! - ai * v.im[j]!;
      si += ar * v.im[j]! + ai * v.re[j]!;
    }
    out.re[i] = sr;
    out.im[i] = si;
  }
  return out;
}

/** ⟨a|b⟩. */
export function inner(a: CVector, b: CVector): Complex {
  let sr = 0, si = 0;
  for (let i = 0; i < a.re.length; i++) {
    sr += a.re[i]! * b.re[i]! + a.im[i]! * b.im[i]!;
    si += a.re[i]! * b.im[i]! - a.im[i]! * b.re[i]!;
  }
  return [sr, si];
}

/** Re ⟨v|M|v⟩. */
export function expectationValue(m: CMatrix, v: CVector): number {
  return inner(v, apply(m, v))[0];
}

/** The final state U|ψ0⟩, applying full gate matrices one by one. */
export function denseFinalState(circuit: Circuit, params: ArrayLike<number>, state: InitialState = { kind: 'zero' }): CVector {
  let v = initialVector(state, circuit.numQubits);
  for (const g of circuit.gates) {
    const angle = g.kind === 'rotation' ? evaluateExpr(g.angle, params) : 0;
    v = apply(gateMatrix(g, angle, circuit.numQubits), v);
  }
  return v;
}

/** ⟨ψ|O|ψ⟩ with ψ = U|ψ0⟩, computed densely. */
export function denseExpectation(
  circuit: Circuit, params: ArrayLike<number>, obs: Observable, state: InitialState = { kind: 'zero' },
): number {
  return expectationValue(observableMatrix(obs, circuit.numQubits), denseFinalState(circuit, params, state));
}

// ---------------------------------------------------------------- comparison

export function maxAbsDiff(a: CMatrix | CVector, b: CMatrix | CVector): number {
  let d = 0;
  for (let i = 0; i < a.re.length; i++) d = Math.max(d, Math.hypot(a.re[i]! - b.re[i]!, a.im[i]! - b.im[i]!));
  return d;
}

/**
 * max |b − e^{iφ}·a| over entries, with e^{iφ} fixed by the largest entry of a. Zero (up to
 * rounding) exactly when a and b agree up to a global phase.
 */
export function diffUpToPhase(a: CMatrix | CVector, b: CMatrix | CVector): number {
  if (a.re.length !== b.re.length) throw new Error('shape mismatch');
  let best = 0, at = 0;
  for (let i = 0; i < a.re.length; i++) {
    const mag = Math.hypot(a.re[i]!, a.im[i]!);
    if (mag > best) {
      best = mag;
      at = i;
    }
  }
  // phase = b[at] / a[at], normalized to the unit circle.
  const ar = a.re[at]!, ai = a.im[at]!, br = b.re[at]!, bi = b.im[at]!;
  let pr = br * ar + bi * ai, pi = bi * ar - br * ai;
  const pm = Math.hypot(pr, pi);
  if (pm === 0) return maxAbsDiff(a, b);
  pr /= pm;
  pi /= pm;
  let d = 0;
  for (let i = 0; i < a.re.length; i++) {
    const xr = pr * a.re[i]! - pi * a.im[i]!;
    const xi = pr * a.im[i]! + pi * a.re[i]!;
    d = Math.max(d, Math.hypot(b.re[i]! - xr, b.im[i]! - xi));
  }
  return d;
}

/** Readable dump for failure messages. */
export function formatMatrix(m: CMatrix, digits = 3): string {
  const rows: string[] = [];
  for (let i = 0; i < m.rows; i++) {
    const cells: string[] = [];
    for (let j = 0; j < m.cols; j++) {
      const [re, im] = entry(m, i, j);
      cells.push(`${re.toFixed(digits)}${im < 0 ? '-' : '+'}${Math.abs(im).toFixed(digits)}i`);
    }
    rows.push(cells.join('  '));
  }
  return rows.join('\n');
}
