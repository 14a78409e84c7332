import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { constantExpr, evaluateExpr, parameterExpr } from '../../src/ir/affine.js';
import { GATE_LIBRARY } from '../../src/ir/gate-library.js';
import type { AffineExpr } from '../../src/ir/types.js';
import type { CMatrix } from '../helpers/dense.js';
import { uniformArb } from '../helpers/random-circuits.js';
import {
  CLIFFORD_MATRICES, controlled, diffUpToPhase, embed, expi, formatMatrix, gateMatrix, identity, matrix, mul,
  phaseGate, rx, ry, rz, scale,
} from '../helpers/dense.js';

/**
 * Every front-end gate must lower to IR gates whose product equals its textbook matrix up to a
 * global phase. The textbook matrices below are written from the standard definitions (Qiskit /
 * OpenQASM qelib1 / stdgates.inc), in big-endian order: the gate's first qubit is the most
 * significant local bit.
 */

const SEED = Number(process.env.NC_SEED ?? 1729);
const R = Math.SQRT1_2;
const PI = Math.PI;

/** U3(θ, φ, λ) exactly as OpenQASM defines it (including its phase convention). */
function u3(theta: number, phi: number, lambda: number): CMatrix {
  const c = Math.cos(theta / 2), s = Math.sin(theta / 2);
  const e = (a: number, m: number) => [m * Math.cos(a), m * Math.sin(a)] as const;
  return matrix([
    [c, e(lambda, -s)],
    [e(phi, s), e(phi + lambda, c)],
  ]);
}

/** A permutation matrix from |in⟩ ↦ |f(in)⟩ on k qubits (big-endian indices). */
function permutation(k: number, f: (bits: number[]) => number[]): CMatrix {
  const dim = 1 << k;
  const rows = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  for (let i = 0; i < dim; i++) {
    const bits = Array.from({ length: k }, (_, b) => (i >> (k - 1 - b)) & 1);
    const out = f(bits);
    const j = out.reduce((acc, b) => (acc << 1) | b, 0);
    rows[j]![i] = 1;
  }
  return matrix(rows);
}

const TEXTBOOK: Record<string, (a: number[]) => CMatrix> = {
  h: () => matrix([[R, R], [R, -R]]),
  s: () => matrix([[1, 0], [0, [0, 1]]]),
  sdg: () => matrix([[1, 0], [0, [0, -1]]]),
  x: () => matrix([[0, 1], [1, 0]]),
  y: () => matrix([[0, [0, -1]], [[0, 1], 0]]),
  z: () => matrix([[1, 0], [0, -1]]),
  sx: () => matrix([[[0.5, 0.5], [0.5, -0.5]], [[0.5, -0.5], [0.5, 0.5]]]),
  sxdg: () => matrix([[[0.5, -0.5], [0.5, 0.5]], [[0.5, 0.5], [0.5, -0.5]]]),
  cx: () => permutation(2, ([c, t]) => [c!, c! ^ t!]),
  CX: () => permutation(2, ([c, t]) => [c!, c! ^ t!]),
  cy: () => controlled(matrix([[0, [0, -1]], [[0, 1], 0]])),
  cz: () => matrix([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, -1]]),
  swap: () => permutation(2, ([a, b]) => [b!, a!]),
  id: () => identity(2),
  u0: () => identity(2),
  rx: ([t]) => rx(t!),
  ry: ([t]) => ry(t!),
  rz: ([t]) => rz(t!),
  rxx: ([t]) => {
    const c = Math.cos(t! / 2), s = Math.sin(t! / 2);
    return matrix([[c, 0, 0, [0, -s]], [0, c, [0, -s], 0], [0, [0, -s], c, 0], [[0, -s], 0, 0, c]]);
  },
  ryy: ([t]) => {
    const c = Math.cos(t! / 2), s = Math.sin(t! / 2);
    return matrix([[c, 0, 0, [0, s]], [0, c, [0, -s], 0], [0, [0, -s], c, 0], [[0, s], 0, 0, c]]);
  },
  rzz: ([t]) => {
    const m = expi(-t! / 2), p = expi(t! / 2);
    return matrix([[m, 0, 0, 0], [0, p, 0, 0], [0, 0, p, 0], [0, 0, 0, m]]);
  },
  // Qiskit RZX(θ) = exp(−iθ/2 · Z⊗X) with Z on the first qubit.
  rzx: ([t]) => {
    const c = Math.cos(t! / 2), s = Math.sin(t! / 2);
    return matrix([[c, [0, -s], 0, 0], [[0, -s], c, 0, 0], [0, 0, c, [0, s]], [0, 0, [0, s], c]]);
  },
  t: () => phaseGate(PI / 4),
  tdg: () => phaseGate(-PI / 4),
  p: ([l]) => phaseGate(l!),
  u1: ([l]) => phaseGate(l!),
  phase: ([l]) => phaseGate(l!),
  u3: ([t, p, l]) => u3(t!, p!, l!),
  u: ([t, p, l]) => u3(t!, p!, l!),
  U: ([t, p, l]) => u3(t!, p!, l!),
  u2: ([p, l]) => scale(matrix([[1, [-Math.cos(l!), -Math.sin(l!)]], [expi(p!), expi(p! + l!)]]), R),
  // R(θ, φ) = exp(−iθ/2 (cos φ X + sin φ Y))
  r: ([t, p]) => {
    const c = Math.cos(t! / 2), s = Math.sin(t! / 2);
    const e = expi(-p!), f = expi(p!);
    return matrix([[c, [s * e[1], -s * e[0]]], [[s * f[1], -s * f[0]], c]]);
  },
  crx: ([t]) => controlled(rx(t!)),
  cry: ([t]) => controlled(ry(t!)),
  crz: ([t]) => controlled(rz(t!)),
  cp: ([l]) => controlled(phaseGate(l!)),
  cu1: ([l]) => controlled(phaseGate(l!)),
  cphase: ([l]) => controlled(phaseGate(l!)),
  ch: () => controlled(matrix([[R, R], [R, -R]])),
  csx: () => controlled(matrix([[[0.5, 0.5], [0.5, -0.5]], [[0.5, -0.5], [0.5, 0.5]]])),
  cu3: ([t, p, l]) => controlled(u3(t!, p!, l!)),
  // stdgates.inc: cu(θ, φ, λ, γ) = controlled(e^{iγ}·U3(θ, φ, λ))
  cu: ([t, p, l, g]) => controlled(scale(u3(t!, p!, l!), expi(g!))),
  iswap: () => matrix([[1, 0, 0, 0], [0, 0, [0, 1], 0], [0, [0, 1], 0, 0], [0, 0, 0, 1]]),
  // Qiskit DCX: CX(q0→q1) then CX(q1→q0): |a b⟩ ↦ |b, a⊕b⟩
  dcx: () => permutation(2, ([a, b]) => [b!, a! ^ b!]),
  ccx: () => permutation(3, ([a, b, t]) => [a!, b!, t! ^ (a! & b!)]),
  ccz: () => matrix(Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? (i === 7 ? -1 : 1) : 0)))),
  cswap: () => permutation(3, ([c, a, b]) => (c ? [c, b!, a!] : [c!, a!, b!])),
  c3x: () => multiControlled(X(), 3),
  c4x: () => multiControlled(X(), 4),
  c3sqrtx: () => multiControlled(SX(), 3),
  rccx: () => fromLittleEndian(3, RCCX_LE()),
  rc3x: () => fromLittleEndian(4, RC3X_LE()),
  rcccx: () => fromLittleEndian(4, RC3X_LE()),
  c3sx: () => multiControlled(SX(), 3),
  // Qiskit CSGate / CSdgGate: S (S†) on the second qubit controlled by the first.
  cs: () => controlled(matrix([[1, 0], [0, [0, 1]]])),
  csdg: () => controlled(matrix([[1, 0], [0, [0, -1]]])),
  // The matrices below are Qiskit's documented ones, in its little-endian order (index = q0 + 2·q1).
  ecr: () => fromLittleEndian(2, scale(matrix([[0, 1, 0, [0, 1]], [1, 0, [0, -1], 0], [0, [0, 1], 0, 1], [[0, -1], 0, 1, 0]]), R)),
  xx_plus_yy: ([t, b]) => {
    const c = Math.cos(t! / 2), s = Math.sin(t! / 2);
    const e = expi(-b!), f = expi(b!);
    return fromLittleEndian(2, matrix([
      [1, 0, 0, 0],
      [0, c, [s * e[1], -s * e[0]], 0],
      [0, [s * f[1], -s * f[0]], c, 0],
      [0, 0, 0, 1],
    ]));
  },
  xx_minus_yy: ([t, b]) => {
    const c = Math.cos(t! / 2), s = Math.sin(t! / 2);
    const e = expi(-b!), f = expi(b!);
    return fromLittleEndian(2, matrix([
      [c, 0, 0, [s * e[1], -s * e[0]]],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [[s * f[1], -s * f[0]], 0, 0, c],
    ]));
  },
  gphase: ([g]) => scale(identity(1), expi(g!)),
};

/** C^k(U): k controls (most significant local bits) on a textbook matrix. */
function multiControlled(u: CMatrix, k: number): CMatrix {
  return k === 0 ? u : multiControlled(controlled(u), k - 1);
}

const SX = () => matrix([[[0.5, 0.5], [0.5, -0.5]], [[0.5, -0.5], [0.5, 0.5]]]);
const X = () => matrix([[0, 1], [1, 0]]);

/** Diagonal/sparse matrix from (row, col, value) entries on top of the identity pattern given. */
function sparseMatrix(dim: number, entries: [number, number, number | readonly [number, number]][]): CMatrix {
  const rows = Array.from({ length: dim }, () => new Array<number | readonly [number, number]>(dim).fill(0));
  for (const [i, j, v] of entries) rows[i]![j] = v;
  return matrix(rows);
}

/**
 * Qiskit's RCCXGate (qelib1 rccx): the Toffoli up to relative phases. Qiskit documents it in
 * little-endian order (index = a + 2b + 4c); we convert to our big-endian local order.
 */
function fromLittleEndian(k: number, m: CMatrix): CMatrix {
  const dim = 1 << k;
  const rev = (i: number) => Array.from({ length: k }, (_, b) => ((i >> b) & 1) << (k - 1 - b)).reduce((x, y) => x | y, 0);
  const out = sparseMatrix(dim, []);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      out.re[rev(i) * dim + rev(j)] = m.re[i * dim + j]!;
      out.im[rev(i) * dim + rev(j)] = m.im[i * dim + j]!;
    }
  }
  return out;
}

const RCCX_LE = () => sparseMatrix(8, [
  [0, 0, 1], [1, 1, 1], [2, 2, 1], [7, 3, [0, 1]], [4, 4, 1], [5, 5, -1], [6, 6, 1], [3, 7, [0, -1]],
]);
const RC3X_LE = () => sparseMatrix(16, [
  [0, 0, 1], [1, 1, 1], [2, 2, 1], [3, 3, [0, 1]], [4, 4, 1], [5, 5, 1], [6, 6, 1], [7, 15, 1],
  [8, 8, 1], [9, 9, 1], [10, 10, 1], [11, 11, [0, -1]], [12, 12, 1], [13, 13, 1], [14, 14, 1], [15, 7, -1],
]);

/** Product of the lowered IR gates on the given register qubits, angles evaluated at `params`. */
function loweredMatrix(name: string, qubits: number[], angles: AffineExpr[], params: Float64Array, n: number): CMatrix {
  const gates = GATE_LIBRARY.get(name)!.lower(qubits, angles);
  let u = identity(1 << n);
  for (const g of gates) {
    const a = g.kind === 'rotation' ? evaluateExpr(g.angle, params) : 0;
    u = mul(gateMatrix(g, a, n), u);
  }
  return u;
}

function shuffled<T>(xs: T[], rand: () => number): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('GATE_LIBRARY lowering', () => {
  it('has a textbook matrix for every entry (new gates must be added here)', () => {
    expect([...GATE_LIBRARY.keys()].sort()).toEqual(Object.keys(TEXTBOOK).sort());
  });

  it('textbook Clifford matrices in the dense helper agree with the ones written here', () => {
    for (const [name, m] of Object.entries(CLIFFORD_MATRICES)) {
      expect(diffUpToPhase(TEXTBOOK[name]!([]), m), name).toBeLessThan(1e-15);
    }
  });

  for (const [name, def] of GATE_LIBRARY) {
    it(`${name} equals its textbook matrix up to a global phase`, () => {
      const k = def.numQubits;
      fc.assert(
        fc.property(
          fc.array(uniformArb(-2 * PI, 2 * PI), { minLength: def.numAngles, maxLength: def.numAngles }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.boolean(),
          (values, qseed, symbolic) => {
            // Place the gate on shuffled qubits of a register one larger than the gate.
            let s = qseed;
            const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
            const n = k + 1;
            const qubits = shuffled([...Array(n).keys()], rand).slice(0, k);
            // Angles either as numbers or as parameters (exercises the affine arithmetic).
            const params = Float64Array.from(values);
            const angles = values.map((v, i) => (symbolic ? parameterExpr(i) : constantExpr(v)));
            const got = loweredMatrix(name, qubits, angles, params, n);
            const want = embed(TEXTBOOK[name]!(values), qubits, n);
            const d = diffUpToPhase(want, got);
            if (!(d < 1e-12)) {
              throw new Error(`${name}${JSON.stringify(values)} on ${qubits}: off by ${d}\nwant\n${formatMatrix(want)}\ngot\n${formatMatrix(got)}`);
            }
          },
        ),
        { seed: SEED, numRuns: def.numAngles === 0 ? 6 : 25 },
      );
    });
  }

  it('the rccx/rc3x textbook matrices equal the gate-by-gate products of their qelib1 definitions', () => {
    // qelib1 bodies with textbook u2(0, π), u1(λ) and cx matrices on register qubits a=0, b=1, …
    const u2h = () => scale(matrix([[1, [-Math.cos(PI), -Math.sin(PI)]], [1, expi(PI)]]), R);
    const run = (n: number, body: [string, number[], number?][]) => {
      let u = identity(1 << n);
      for (const [g, qs, a] of body) {
        const m = g === 'u2' ? u2h() : g === 'u1' ? phaseGate(a!) : permutation(2, ([c, t]) => [c!, c! ^ t!]);
        u = mul(embed(m, qs, n), u);
      }
      return u;
    };
    const t4 = PI / 4;
    const rccx = run(3, [
      ['u2', [2]], ['u1', [2], t4], ['cx', [1, 2]], ['u1', [2], -t4], ['cx', [0, 2]], ['u1', [2], t4],
      ['cx', [1, 2]], ['u1', [2], -t4], ['u2', [2]],
    ]);
    expect(diffUpToPhase(embed(TEXTBOOK.rccx!([]), [0, 1, 2], 3), rccx)).toBeLessThan(1e-12);
    const rc3x = run(4, [
      ['u2', [3]], ['u1', [3], t4], ['cx', [2, 3]], ['u1', [3], -t4], ['u2', [3]], ['cx', [0, 3]], ['u1', [3], t4],
      ['cx', [1, 3]], ['u1', [3], -t4], ['cx', [0, 3]], ['u1', [3], t4], ['cx', [1, 3]], ['u1', [3], -t4],
      ['u2', [3]], ['u1', [3], t4], ['cx', [2, 3]], ['u1', [3], -t4], ['u2', [3]],
    ]);
    expect(diffUpToPhase(embed(TEXTBOOK.rc3x!([]), [0, 1, 2, 3], 4), rc3x)).toBeLessThan(1e-12);
  });

  it('control-first convention: cx on [1, 0] flips qubit 0 when qubit 1 is set', () => {
    const u = loweredMatrix('cx', [1, 0], [], new Float64Array(0), 2);
    // index = q0 + 2·q1: |q1=1, q0=0⟩ (index 2) ↦ |q1=1, q0=1⟩ (index 3)
    expect(u.re[3 * 4 + 2]).toBe(1);
    expect(u.re[2 * 4 + 2]).toBe(0);
  });

  it('a gate differing by more than a phase is detected (the comparison is not vacuous)', () => {
    const got = loweredMatrix('rx', [0], [constantExpr(0.3)], new Float64Array(0), 1);
    expect(diffUpToPhase(rx(0.31), got)).toBeGreaterThan(1e-3);
    expect(diffUpToPhase(ry(0.3), got)).toBeGreaterThan(1e-3);
  });
});
