import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEfficientSu2, entanglementPairs } from '../../src/ansatz/efficient-su2.js';
import { standardObservable } from '../../src/ansatz/observables.js';
import { UserError } from '../../src/ir/errors.js';
import type { Circuit, Observable } from '../../src/ir/types.js';
import { parseObservableText, parseSparsePauliOp } from '../../src/pauli/observable-text.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import { closestName } from '../../src/parsing/suggest.js';
import { circuitToDsl } from '../../src/printing/dsl.js';
import { circuitToQasm3 } from '../../src/printing/qasm.js';
import { circuitToQasm2 } from '../../src/printing/qasm2.js';
import {
  apply, basisVector, circuitUnitary, denseExpectation, denseFinalState, diffUpToPhase, embed, matrix, mul, mulAll,
  observableMatrix, rx, ry, rz, scale, type CMatrix, type CVector, identity, expi,
} from '../helpers/dense.js';
import { bareGates, expectQasmError } from './qasm-test-utils.js';

/**
 * Qiskit interoperability, on files written in the shapes Qiskit emits (test/fixtures/qiskit):
 * ParameterVector exports, ecr-transpiled circuits, local includes, `const`, Qiskit-only standard
 * gates; SparsePauliOp observables; the EfficientSU2 ansatz. Values are checked against dense
 * matrices built here from Qiskit's documented definitions, and against the independent
 * `quantum-circuit` simulator through our OpenQASM 2 export.
 */

const SEED = Number(process.env.NC_SEED ?? 20240917);
const FIX = join(import.meta.dirname, '../fixtures/qiskit');
const read = (name: string) => readFileSync(join(FIX, name), 'utf8');
const quiet = { onNotice: () => {} };
const load = (name: string) => parseQasm(read(name), join(FIX, name), quiet);
const anglesArb = (n: number) => fc.array(fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), { minLength: n, maxLength: n });

/** Little-endian (Qiskit) local matrix → our embed convention (first qubit most significant). */
function fromLittleEndian(k: number, m: CMatrix): CMatrix {
  const dim = 1 << k;
  const rev = (i: number) => Array.from({ length: k }, (_, b) => ((i >> b) & 1) << (k - 1 - b)).reduce((x, y) => x | y, 0);
  const out = { rows: dim, cols: dim, re: new Float64Array(dim * dim), im: new Float64Array(dim * dim) };
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      out.re[rev(i) * dim + rev(j)] = m.re[i * dim + j]!;
      out.im[rev(i) * dim + rev(j)] = m.im[i * dim + j]!;
    }
  }
  return out;
}

const R = Math.SQRT1_2;
const CX = matrix([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]);
const H = matrix([[R, R], [R, -R]]);
const X = matrix([[0, 1], [1, 0]]);
const SX = matrix([[[0.5, 0.5], [0.5, -0.5]], [[0.5, -0.5], [0.5, 0.5]]]);
/** Qiskit's ECRGate matrix (little-endian), from its documentation. */
const ECR = fromLittleEndian(2, scale(matrix([[0, 1, 0, [0, 1]], [1, 0, [0, -1], 0], [0, [0, 1], 0, 1], [[0, -1], 0, 1, 0]]), R));
function rzz(t: number): CMatrix {
  const m = expi(-t / 2), p = expi(t / 2);
  return matrix([[m, 0, 0, 0], [0, p, 0, 0], [0, 0, p, 0], [0, 0, 0, m]]);
}

/** Applies (local matrix, qubits) steps in order to |0…0⟩. */
function run(n: number, steps: [CMatrix, number[]][]): CVector {
  let u = identity(1 << n);
  for (const [m, qs] of steps) u = mul(embed(m, qs, n), u);
  return apply(u, basisVector(0, n));
}

describe('Qiskit ParameterVector exports', () => {
  it('_θ_0_ … _θ_11_ become the vector θ[12] in Qiskit order, gate for gate equal to our efficientsu2', () => {
    const c = load('efficient_su2_paramvector.qasm');
    expect(c.parameters).toEqual([{ name: 'θ', length: 12, offset: 0 }]);
    expect(bareGates(c.gates)).toEqual(bareGates(buildEfficientSu2({ qubits: 3, reps: 1 }).gates));
  });

  it('two vectors and a scalar keep declaration order; values match a hand-built dense circuit', () => {
    const c = load('qaoa_two_vectors.qasm');
    expect(c.parameters).toEqual([
      { name: 'β', length: 2, offset: 0 },
      { name: 'γ', length: 2, offset: 2 },
      { name: 'offset', length: null, offset: 4 },
    ]);
    fc.assert(
      fc.property(anglesArb(5), ([b0, b1, g0, g1, off]) => {
        const steps: [CMatrix, number[]][] = [[H, [0]], [H, [1]], [H, [2]]];
        for (const [g, b, o] of [[g0!, b0!, 0], [g1!, b1!, off!]] as const) {
          steps.push([rzz(2 * g), [0, 1]], [rzz(2 * g), [1, 2]], [rx(2 * b + o), [0]], [rx(2 * b), [1]], [rx(2 * b), [2]]);
        }
        const want = run(3, steps);
        const got = denseFinalState(c, [b0!, b1!, g0!, g1!, off!]);
        expect(diffUpToPhase(want, got)).toBeLessThan(1e-12);
      }),
      { seed: SEED, numRuns: 20 },
    );
  });

  it('incomplete or clashing families stay scalars; input arrays are vectors used as θ[i]', () => {
    const H3 = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n';
    const gap = parseQasm(`${H3}input float[64] _a_0_;\ninput float[64] _a_2_;\nqubit[1] q;\nrx(_a_0_ + _a_2_) q[0];\n`);
    expect(gap.parameters.map((p) => [p.name, p.length])).toEqual([['_a_0_', null], ['_a_2_', null]]);
    const clash = parseQasm(`${H3}input float[64] a;\ninput float[64] _a_0_;\nqubit[1] q;\nrx(a + _a_0_) q[0];\n`);
    expect(clash.parameters.map((p) => p.name)).toEqual(['a', '_a_0_']);
    const arr = parseQasm(`${H3}input array[float[64], 3] θ;\nqubit[2] q;\nrx(θ[2] - θ[0]) q[1];\n`);
    expect(arr.parameters).toEqual([{ name: 'θ', length: 3, offset: 0 }]);
    const g = arr.gates[0]!;
    expect(g.kind === 'rotation' && g.angle.terms).toEqual([{ param: 0, coeff: -1 }, { param: 2, coeff: 1 }]);
    expectQasmError(`${H3}input array[float[64], 3] θ;\nqubit[2] q;\nrx(θ[3]) q[1];\n`, 5, 6, 'index 3 is out of range');
  });

  it('QASM 3 → DSL → QASM 3 keeps names (θ, Qiskit-style _θ_k_ inputs) and values', () => {
    for (const name of ['efficient_su2_paramvector.qasm', 'qaoa_two_vectors.qasm']) {
      const c = load(name);
      const dsl = circuitToDsl(c);
      expect(dsl).toContain(c.parameters[0]!.name === 'θ' ? 'param θ[12];' : 'param β[2];');
      const viaDsl = parseDsl(dsl, 'x.ncl');
      const qasm = circuitToQasm3(viaDsl);
      expect(qasm).not.toContain('nearclifford:param');
      expect(qasm).toMatch(/input float\[64\] _(θ|β)_0_;/);
      const back = parseQasm(qasm, 'y.qasm');
      expect(back.parameters).toEqual(c.parameters);
      fc.assert(
        fc.property(anglesArb(c.numParameters), (p) => {
          expect(diffUpToPhase(denseFinalState(c, p), denseFinalState(back, p))).toBeLessThan(1e-12);
        }),
        { seed: SEED, numRuns: 10 },
      );
    }
  });
});

describe('Qiskit standard gates in OpenQASM files', () => {
  it('ecr-transpiled circuits: Qiskit\'s QASM 2 definition (via rzx) and the bare QASM 3 ecr agree with the documented matrix', () => {
    const q2 = load('ecr_transpiled_qasm2.qasm');
    const q3 = load('ecr_transpiled_qasm3.qasm');
    const steps: [CMatrix, number[]][] = [
      [rz(-Math.PI / 2), [0]], [SX, [0]], [rz(Math.PI / 4), [0]], [rz(-Math.PI), [1]], [SX, [1]], [rz(Math.PI / 2), [1]],
      [ECR, [0, 1]], [rz(Math.PI / 2), [0]], [SX, [0]], [X, [1]], [rz(1.2), [2]], [SX, [2]], [ECR, [2, 1]], [rz(-0.4), [1]], [X, [2]],
    ];
    const want = run(3, steps);
    expect(diffUpToPhase(want, denseFinalState(q2, []))).toBeLessThan(1e-12);
    expect(diffUpToPhase(want, denseFinalState(q3, []))).toBeLessThan(1e-12);
    // Both ecr forms are Clifford: only Clifford gates and quarter-turn rotations remain.
    expect(parseQasm('OPENQASM 3.0;\nqubit[2] q;\necr q[0], q[1];\n').gates.every((g) => g.kind === 'clifford')).toBe(true);
  });

  it('every Qiskit-only gate of the fixture is accepted by both front ends with the same unitary', () => {
    const c = load('standard_gates.qasm');
    const dsl = circuitToDsl(c);
    // The DSL spells the same calls with the same names.
    const direct = parseDsl(
      `qubits 4;\nparam a, b;\nh 0; ry(0.3) 1; rx(0.8) 2; ry(-1.1) 3;\necr 1 0; cs 0 2; csdg 3 1; rzx(a) 2 3;
xx_plus_yy(a, b) 0 1; xx_minus_yy(0.4 + b, 0.9) 3 2; rccx 0 1 2; rcccx 0 1 3 2; c3sx 3 0 1 2; u0(0.5) 1; gphase(a);
dcx 2 0; iswap 1 3;\n`,
      'g.ncl',
    );
    fc.assert(
      fc.property(anglesArb(2), (p) => {
        const u = circuitUnitary(c, p);
        expect(diffUpToPhase(u, circuitUnitary(direct, p))).toBeLessThan(1e-11);
        expect(diffUpToPhase(u, circuitUnitary(parseDsl(dsl, 'd.ncl'), p))).toBeLessThan(1e-11);
      }),
      { seed: SEED, numRuns: 8 },
    );
  });

  it('an unknown gate suggests the closest name', () => {
    expectQasmError('OPENQASM 3.0;\nqubit[2] q;\necrr q[0], q[1];\n', 3, 1, "unknown gate 'ecrr' (did you mean 'ecr'?)");
    expect(() => parseDsl('qubits 2;\nxx_plus_yyy(1, 2) 0 1;\n', 'f.ncl')).toThrow("f.ncl:2:1: unknown gate 'xx_plus_yyy' (did you mean 'xx_plus_yy'?)");
    expect(closestName('CZ', ['cx', 'cz', 'cy'])).toBe('cz');
    expect(closestName('completely_different', ['cx', 'cz'])).toBeNull();
  });
});

describe('OpenQASM includes, const and version headers', () => {
  it('resolves includes next to the including file, nested, and equals the pasted-in program', () => {
    const c = load('includes/main.qasm');
    const pasted = read('includes/main.qasm')
      .replace('include "oracle.inc";', read('includes/lib/toffoli_parts.inc') + 'gate oracle a,b,t { my_ccx a,b,t; }');
    expect(bareGates(c.gates)).toEqual(bareGates(parseQasm(pasted, 'p.qasm', quiet).gates));
    // The oracle is a Toffoli: with the |−⟩ ancilla, qubits 0 and 1 end in (|00⟩+|01⟩+|10⟩−|11⟩)/2 after H.
    const want = run(3, [[H, [0]], [H, [1]], [X, [2]], [H, [2]], [fromLittleEndian(3, toffoliLE()), [0, 1, 2]], [H, [0]], [H, [1]]]);
    expect(diffUpToPhase(want, denseFinalState(c, []))).toBeLessThan(1e-12);
  });

  it('include cycles and errors inside included files are positioned in those files', () => {
    const cyc = join(FIX, 'includes/cycle_a.qasm');
    expect(() => parseQasm(read('includes/cycle_a.qasm'), cyc)).toThrow(/cycle_c\.inc:2:1: include cycle: 'cycle_b\.inc'/);
    let err: unknown;
    try {
      parseQasm(read('includes/bad_inner.qasm'), join(FIX, 'includes/bad_inner.qasm'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).location).toMatchObject({ line: 2, column: 14 });
    expect((err as UserError).location!.file).toMatch(/includes\/bad\.inc$/);
    expect((err as UserError).message).toMatch(/unknown gate 'hh' \(did you mean 'h'\?\) \(in the file included at .*bad_inner\.qasm:3:1\)/);
    expectQasmError('OPENQASM 2.0;\ninclude "nowhere.inc";\nqreg q[1];\n', 2, 1, "cannot include 'nowhere.inc'");
  });

  it('--include-path directories are searched after the including file\'s own', () => {
    const text = 'OPENQASM 2.0;\ninclude "qelib1.inc";\ninclude "toffoli_parts.inc";\nqreg q[3];\nmy_ccx q[0],q[1],q[2];\n';
    expect(() => parseQasm(text, '/tmp/elsewhere.qasm')).toThrow(/cannot include 'toffoli_parts\.inc'/);
    const c = parseQasm(text, '/tmp/elsewhere.qasm', { includePath: [join(FIX, 'includes/lib')] });
    expect(diffUpToPhase(circuitUnitary(c, []), embed(fromLittleEndian(3, toffoliLE()), [0, 1, 2], 3))).toBeLessThan(1e-12);
  });

  it('const declarations work in angles, register sizes and indices', () => {
    const c = load('const_angles.qasm');
    expect(c.numQubits).toBe(3);
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), (t) => {
        const want = run(3, [[rx(Math.PI / 2), [0]], [ry(Math.PI / 4 - t), [1]], [rz(Math.PI / 2 + 0.25 + 2 * t), [2]], [CX, [0, 2]]]);
        expect(diffUpToPhase(want, denseFinalState(c, [t]))).toBeLessThan(1e-12);
      }),
      { seed: SEED, numRuns: 10 },
    );
    const H3 = 'OPENQASM 3.0;\n';
    expectQasmError(`${H3}input float[64] a;\nconst float[64] b = a;\n`, 3, 21, "the constant 'b' cannot depend on the input 'a'");
    expectQasmError(`${H3}const int n = 1.5;\n`, 2, 15, "the integer constant 'n' has the non-integer value 1.5");
    expectQasmError(`${H3}const float[64] c = 1;\nconst float[64] c = 2;\n`, 3, 17, "'c' is already declared");
  });

  it('version headers are strict (2.0, 3, 3.x); qreg needs 2.0, a bare file or the lenient option', () => {
    expectQasmError('OPENQASM 2.6;\nqreg q[1];\n', 1, 10, 'unsupported OpenQASM version 2.6');
    expectQasmError('OPENQASM 3;\nqreg q[1];\n', 2, 1, "'qreg' is OpenQASM 2 syntax, but the file declares OpenQASM 3");
    expectQasmError('OPENQASM 3.0;\nqubit[1] q;\ncreg c[1];\n', 3, 1, "'creg' is OpenQASM 2 syntax");
    expect(parseQasm('OPENQASM 3;\nqreg q[1];\n', 'f', { lenient: true }).numQubits).toBe(1);
    expect(parseQasm('OPENQASM 2.6;\nqreg q[2];\n', 'f', { lenient: true }).numQubits).toBe(2);
    expect(parseQasm('qreg q[2];\nh q[0];\n').numQubits).toBe(2);
    expect(parseQasm('OPENQASM 3.1;\nqubit[1] q;\n').numQubits).toBe(1);
  });
});

/** The Toffoli (controls 0, 1; target 2) in little-endian order. */
function toffoliLE(): CMatrix {
  const rows = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => {
    const image = (j & 3) === 3 ? j ^ 4 : j;
    return i === image ? 1 : 0;
  }));
  return matrix(rows);
}

describe('SparsePauliOp observables', () => {
  const explicit = parseObservableText('0.5*Z1 Z2 - 0.25*X0 X1 + 0.75*Z0 Y2 + 0.1', { numQubits: 3 });
  const same = (a: Observable, b: Observable) => expect(diffUpToPhase(observableMatrix(a, 3), observableMatrix(b, 3))).toBe(0);

  it('the from_list form (rightmost letter = qubit 0) and the from_sparse_list form equal the explicit sum', () => {
    same(parseSparsePauliOp(JSON.parse(read('sparse_pauli_op_list.json')), { numQubits: 3 }), explicit);
    same(parseSparsePauliOp(JSON.parse(read('sparse_pauli_op_sparse.json')), { numQubits: 3 }), explicit);
    same(parseSparsePauliOp({ terms: JSON.parse(read('sparse_pauli_op_sparse.json')) }, { numQubits: 3 }), explicit);
    // Random dense labels against the explicit form written letter by letter.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.stringMatching(/^[IXYZ]{4}$/), fc.double({ min: -2, max: 2, noNaN: true })), { minLength: 1, maxLength: 5 }), (list) => {
        const text = list
          .map(([label, c]) => `${c >= 0 ? '+' : '-'} ${Math.abs(c)} ${[...label].map((l, i) => (l === 'I' ? '' : `${l}${3 - i}`)).join(' ')}`)
          .join(' ');
        same(parseSparsePauliOp(list, { numQubits: 4 }), parseObservableText(text, { numQubits: 4 }));
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('rejects complex coefficients, wrong label lengths and bad indices with the term named', () => {
    expect(() => parseSparsePauliOp([['ZZ', [1, 0.5]]], { numQubits: 2 })).toThrow('term 0: complex coefficient');
    expect(() => parseSparsePauliOp([['XX', 1], ['ZZZ', 1]], { numQubits: 2 })).toThrow("term 1: the label 'ZZZ' has 3 letters");
    expect(() => parseSparsePauliOp([['XZ', [0, 5], 1]], { numQubits: 2 })).toThrow('term 0: qubit 5 is out of range');
    expect(() => parseSparsePauliOp([['XZ', [1, 1], 1]], { numQubits: 2 })).toThrow('term 0:');
  });

  it('a dense label without the dense option gets a hint, not a guess', () => {
    expect(() => parseObservableText('ZZII', { numQubits: 4 })).toThrow("'ZZII' looks like a dense Qiskit label (rightmost letter = qubit 0): pass --dense to read it so, or write Z2 Z3");
  });
});

describe('DSL observable sums', () => {
  it('sum loops (nested, scaled, with loop-variable coefficients) equal the written-out sum', () => {
    const c = parseDsl(
      'qubits 5;\nobservable H = sum i in 0..4 { 0.5*Z[i] Z[i+1] } - 2*sum i in 0..5 { X[i] } + sum i in 0..2 { sum j in i+1..3 { (i+j)*Y[i] Y[j] } } + 1;\n',
      'o.ncl',
    );
    const want = parseObservableText(
      '0.5*Z0 Z1 + 0.5*Z1 Z2 + 0.5*Z2 Z3 + 0.5*Z3 Z4 - 2*X0 - 2*X1 - 2*X2 - 2*X3 - 2*X4 + 1*Y0 Y1 + 2*Y0 Y2 + 3*Y1 Y2 + 1',
      { numQubits: 5 },
    );
    expect(c.observables[0]!.terms).toEqual(want.terms);
    expect(() => parseDsl('qubits 2;\nobservable H = sum i in 0..3 { Z[i] };\n', 'o.ncl')).toThrow('o.ncl:2:32: qubit 2 is out of range for 2 qubits');
    expect(() => parseDsl('qubits 2;\nparam i;\nobservable H = sum i in 0..2 { Z[i] };\n', 'o.ncl')).toThrow("loop variable 'i' would hide parameter 'i'");
  });

  it('Unicode names are identifiers: parameters and observables keep them through the printer', () => {
    const c = parseDsl('qubits 1;\nparam θ[2], φ;\nrx(θ[1] - φ) 0;\nobservable énergie = Z0;\n', 'u.ncl');
    expect(c.parameters.map((p) => p.name)).toEqual(['θ', 'φ']);
    expect(circuitToDsl(c)).toBe('qubits 1;\nparam θ[2];\nparam φ;\nrx(θ[1] - φ) 0;\nobservable énergie = Z0;\n');
  });
});

describe('efficientsu2 (Qiskit EfficientSU2)', () => {
  it('entanglement patterns equal Qiskit\'s documented examples', () => {
    expect(entanglementPairs('full', 4)).toEqual([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
    expect(entanglementPairs('linear', 4)).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(entanglementPairs('reverse_linear', 4)).toEqual([[2, 3], [1, 2], [0, 1]]);
    expect(entanglementPairs('circular', 4)).toEqual([[3, 0], [0, 1], [1, 2], [2, 3]]);
    expect(entanglementPairs('circular', 2)).toEqual([[0, 1]]);
    expect(entanglementPairs('pairwise', 6)).toEqual([[0, 1], [2, 3], [4, 5], [1, 2], [3, 4]]);
    // sca on 4 qubits: offset 0 = circular; offset 1 shifted by one and flipped; offset 2 shifted by two.
    expect(entanglementPairs('sca', 4, 0)).toEqual([[3, 0], [0, 1], [1, 2], [2, 3]]);
    expect(entanglementPairs('sca', 4, 1)).toEqual([[3, 2], [0, 3], [1, 0], [2, 1]]);
    expect(entanglementPairs('sca', 4, 2)).toEqual([[1, 2], [2, 3], [3, 0], [0, 1]]);
  });

  it('equals the Qiskit export of EfficientSU2(4, reps=2) in examples/ gate for gate', () => {
    const q = parseQasm(readFileSync(join(import.meta.dirname, '../../examples/efficient_su2_qiskit.qasm'), 'utf8'), 'su2.qasm', quiet);
    const ours = buildEfficientSu2({ qubits: 4, reps: 2 });
    expect(ours.parameters).toEqual(q.parameters);
    expect(bareGates(ours.gates)).toEqual(bareGates(q.gates));
  });

  it('gate types, sca layers, Clifford su2 gates and the final layer follow n_local', () => {
    const c = buildEfficientSu2({ qubits: 3, reps: 2, su2Gates: ['rx', 'h'], entanglement: 'sca', skipFinalRotationLayer: true });
    expect(c.numParameters).toBe(6);
    const names = c.gates.map((g) => (g.kind !== 'rotation' ? `${g.name}${g.qubits.join('')}` : `r${g.pauli.letters[0]!.toLowerCase()}${g.pauli.qubits[0]}:${g.angle.terms[0]!.param}`));
    expect(names).toEqual([
      'rx0:0', 'rx1:1', 'rx2:2', 'h0', 'h1', 'h2', 'cx20', 'cx01', 'cx12',
      'rx0:3', 'rx1:4', 'rx2:5', 'h0', 'h1', 'h2', 'cx21', 'cx02', 'cx10',
    ]);
    expect(buildEfficientSu2({ qubits: 1, reps: 3 }).gates.every((g) => g.kind === 'rotation')).toBe(true);
    expect(() => buildEfficientSu2({ qubits: 2, su2Gates: ['u3'] })).toThrow("--su2-gates: 'u3' is not supported");
  });

  it('standard observables: sumz, zz, heisenberg, tfim on an open chain', () => {
    expect(standardObservable('tfim', 3).terms).toEqual(parseObservableText('-Z0 Z1 - Z1 Z2 - X0 - X1 - X2').terms);
    expect(standardObservable('heisenberg', 2).terms).toEqual(parseObservableText('X0 X1 + Y0 Y1 + Z0 Z1').terms);
    expect(standardObservable('sumz', 3).terms).toEqual(parseObservableText('Z0 + Z1 + Z2').terms);
    expect(standardObservable('zz', 3).terms).toEqual(parseObservableText('Z0 Z1 + Z1 Z2').terms);
  });
});

describe('OpenQASM 2 export', () => {
  it('binds parameters, inlines multi-qubit rotations, and reads back to the same state', () => {
    const c = load('standard_gates.qasm');
    expect(() => circuitToQasm2(c)).toThrow('OpenQASM 2 has no free parameters');
    fc.assert(
      fc.property(anglesArb(2), (p) => {
        const text = circuitToQasm2(c, p);
        expect(text).toMatch(/^OPENQASM 2\.0;\ninclude "qelib1\.inc";\n/);
        expect(text).not.toMatch(/^gate /m);
        const back = parseQasm(text, 'b.qasm');
        expect(back.numParameters).toBe(0);
        expect(diffUpToPhase(denseFinalState(c, p), denseFinalState(back, []))).toBeLessThan(1e-11);
      }),
      { seed: SEED, numRuns: 8 },
    );
  });

  it('observables travel as comments', () => {
    const c: Circuit = { ...parseDsl('qubits 2;\nh 0;\ncx 0 1;\nobservable zz = Z0 Z1;\n', 'a.ncl') };
    const back = parseQasm(circuitToQasm2(c), 'b.qasm');
    expect(back.observables).toEqual(c.observables);
    expect(denseExpectation(back, [], back.observables[0]!)).toBeCloseTo(1, 12);
  });
});

/** Keeps the import list honest for helpers used only in some branches. */
void mulAll;
