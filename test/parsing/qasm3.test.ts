import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { constantExpr, parameterExpr } from '../../src/ir/affine.js';
import { CircuitAssembler } from '../../src/ir/circuit.js';
import { ResourceLimitError } from '../../src/ir/errors.js';
import { cliffordGate, GATE_LIBRARY, rotationGate } from '../../src/ir/gate-library.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import {
  add, adjoint, CLIFFORD_MATRICES, circuitUnitary, controlled, denseFinalState, diffUpToPhase, embed, identity, kron, matrix,
  mul, mulAll, PAULI, phaseGate, rotationMatrix, rx, ry, rz, type CMatrix,
} from '../helpers/dense.js';
import { bareGates, expectQasmError, expectSameUnitary } from './qasm-test-utils.js';

const HEADER = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n';
const ANGLES = [0.37, -1.21, 2.05, 0.61];
const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');

/** The gates of stdgates.inc (and the built-in U) with their arities. */
const STDGATES: readonly [name: string, angles: number, qubits: number][] = [
  ['p', 1, 1], ['x', 0, 1], ['y', 0, 1], ['z', 0, 1], ['h', 0, 1], ['s', 0, 1], ['sdg', 0, 1], ['t', 0, 1],
  ['tdg', 0, 1], ['sx', 0, 1], ['rx', 1, 1], ['ry', 1, 1], ['rz', 1, 1], ['cx', 0, 2], ['cy', 0, 2], ['cz', 0, 2],
  ['cp', 1, 2], ['crx', 1, 2], ['cry', 1, 2], ['crz', 1, 2], ['ch', 0, 2], ['swap', 0, 2], ['ccx', 0, 3],
  ['cswap', 0, 3], ['cu', 4, 2], ['CX', 0, 2], ['phase', 1, 1], ['cphase', 1, 2], ['id', 0, 1], ['u1', 1, 1],
  ['u2', 2, 1], ['u3', 3, 1], ['U', 3, 1],
];

/**
 * stdgates.inc's definitions (OpenQASM 3 spec) that use only U, gphase and the modifiers we
 * support, prefixed `my_`. (The others use `pow(1/2) @` or `ctrl @` on user gates; their
 * matrices are checked directly.)
 */
const STDGATES_DEFINITIONS = `
gate my_p(λ) a { ctrl @ gphase(λ) a; }
gate my_x a { U(π, 0, π) a; gphase(-π/2); }
gate my_y a { U(π, π/2, π/2) a; gphase(-π/2); }
gate my_z a { my_p(π) a; }
gate my_h a { U(π/2, 0, π) a; gphase(-π/4); }
gate my_rx(θ) a { U(θ, -π/2, π/2) a; gphase(-θ/2); }
gate my_ry(θ) a { U(θ, 0, 0) a; gphase(-θ/2); }
gate my_rz(λ) a { gphase(-λ/2); U(0, 0, λ) a; }
gate my_swap a, b { cx a, b; cx b, a; cx a, b; }
gate my_phase(λ) q { U(0, 0, λ) q; }
gate my_id a { U(0, 0, 0) a; }
gate my_u1(λ) q { U(0, 0, λ) q; }
gate my_u2(φ, λ) q { gphase(-(φ+λ+π/2)/2); U(π/2, φ, λ) q; }
gate my_u3(θ, φ, λ) q { gphase(-(φ+λ+θ)/2); U(θ, φ, λ) q; }
`;

function call(name: string, numAngles: number, qubits: readonly number[]): string {
  const args = numAngles ? `(${ANGLES.slice(0, numAngles).join(', ')})` : '';
  return `${name}${args} ${qubits.map((q) => `q[${q}]`).join(', ')};`;
}

/** Textbook matrices of the stdgates definitions (qubits of the local matrix: first operand most significant). */
function stdgateMatrix(name: string, a: readonly number[]): CMatrix | null {
  const u = (t: number, p: number, l: number) =>
    matrix([
      [Math.cos(t / 2), [-Math.cos(l) * Math.sin(t / 2), -Math.sin(l) * Math.sin(t / 2)]],
      [[Math.cos(p) * Math.sin(t / 2), Math.sin(p) * Math.sin(t / 2)], [Math.cos(p + l) * Math.cos(t / 2), Math.sin(p + l) * Math.cos(t / 2)]],
    ]);
  const [t = 0, p = 0, l = 0, g = 0] = a;
  const table: Record<string, () => CMatrix> = {
    p: () => phaseGate(t), phase: () => phaseGate(t), u1: () => phaseGate(t), x: () => PAULI.X, y: () => PAULI.Y, z: () => PAULI.Z,
    h: () => CLIFFORD_MATRICES.h, s: () => CLIFFORD_MATRICES.s, sdg: () => CLIFFORD_MATRICES.sdg, t: () => phaseGate(Math.PI / 4),
    tdg: () => phaseGate(-Math.PI / 4), sx: () => CLIFFORD_MATRICES.sx, rx: () => rx(t), ry: () => ry(t), rz: () => rz(t),
    cx: () => CLIFFORD_MATRICES.cx, CX: () => CLIFFORD_MATRICES.cx, cy: () => CLIFFORD_MATRICES.cy, cz: () => CLIFFORD_MATRICES.cz,
    cp: () => controlled(phaseGate(t)), cphase: () => controlled(phaseGate(t)), crx: () => controlled(rx(t)),
    cry: () => controlled(ry(t)), crz: () => controlled(rz(t)), ch: () => controlled(CLIFFORD_MATRICES.h),
    swap: () => CLIFFORD_MATRICES.swap, ccx: () => controlled(controlled(PAULI.X)), cswap: () => controlled(CLIFFORD_MATRICES.swap),
    cu: () => controlled(mul(matrix([[[Math.cos(g), Math.sin(g)], 0], [0, [Math.cos(g), Math.sin(g)]]]), u(t, p, l))),
    id: () => identity(2), u2: () => u(Math.PI / 2, t, p), u3: () => u(t, p, l), U: () => u(t, p, l),
  };
  return table[name]?.() ?? null;
}

describe('OpenQASM 3 stdgates', () => {
  it.each(STDGATES)('%s imports to its GATE_LIBRARY lowering', (name, numAngles, numQubits) => {
    const qubits = [2, 0, 3].slice(0, numQubits);
    const c = parseQasm(`${HEADER}qubit[4] q;\n${call(name, numAngles, qubits)}\n`);
    const expected = GATE_LIBRARY.get(name)!.lower(qubits, ANGLES.slice(0, numAngles).map(constantExpr));
    expect(bareGates(c.gates)).toEqual(bareGates(expected));
  });

  it.each(STDGATES)('%s has the matrix of its stdgates.inc definition', (name, numAngles, numQubits) => {
    const qubits = [2, 0, 3].slice(0, numQubits);
    const m = stdgateMatrix(name, ANGLES.slice(0, numAngles))!;
    const c = parseQasm(`${HEADER}qubit[4] q;\n${call(name, numAngles, qubits)}\n`);
    expect(diffUpToPhase(embed(m, qubits, 4), circuitUnitary(c, []))).toBeLessThan(1e-12);
  });

  const defined = STDGATES.filter(([name]) => STDGATES_DEFINITIONS.includes(`gate my_${name}(`) || STDGATES_DEFINITIONS.includes(`gate my_${name} `));
  it.each(defined)("%s equals stdgates.inc's definition through U and gphase", (name, numAngles, numQubits) => {
    const qubits = [2, 0, 3].slice(0, numQubits);
    const lib = parseQasm(`${HEADER}qubit[4] q;\n${call(name, numAngles, qubits)}\n`);
    const def = parseQasm(`${HEADER}${STDGATES_DEFINITIONS}qubit[4] q;\n${call(`my_${name}`, numAngles, qubits)}\n`);
    expectSameUnitary(lib, def);
  });
});

describe('OpenQASM 3 declarations and parameters', () => {
  it('turns input declarations into scalar parameters in declaration order', () => {
    const c = parseQasm(`${HEADER}input float[64] a;\ninput angle b;\ninput angle[32] c;\ninput float d;\nqubit[2] q;\nrz(2*a - pi/4) q[0];\nrzz(-b + c/2 + 0.5*d) q[1], q[0];\n`);
    expect(c.parameters).toEqual([
      { name: 'a', length: null, offset: 0 },
      { name: 'b', length: null, offset: 1 },
      { name: 'c', length: null, offset: 2 },
      { name: 'd', length: null, offset: 3 },
    ]);
    expect(bareGates(c.gates)).toEqual(
      bareGates([
        rotationGate('Z', [0], { constant: -Math.PI / 4, terms: [{ param: 0, coeff: 2 }] }),
        rotationGate('ZZ', [1, 0], { constant: 0, terms: [{ param: 1, coeff: -1 }, { param: 2, coeff: 0.5 }, { param: 3, coeff: 0.5 }] }),
      ]),
    );
  });

  it('accepts Unicode identifiers and constants (Qiskit writes θ[0] as _θ_0_)', () => {
    const c = parseQasm(`${HEADER}input float[64] _θ_0_;\ninput float[64] φ;\nqubit[1] q;\nrx(_θ_0_ + π - τ/2 + φ*ℇ) q[0];\n`);
    // A complete `_θ_K_` family (here just K = 0) is one Qiskit ParameterVector: θ[1].
    expect(c.parameters).toEqual([{ name: 'θ', length: 1, offset: 0 }, { name: 'φ', length: null, offset: 1 }]);
    const g = c.gates[0]!;
    expect(g.kind === 'rotation' && g.angle.terms).toEqual([{ param: 0, coeff: 1 }, { param: 1, coeff: Math.E }]);
  });

  it('imports the Qiskit-style EfficientSU2 example exactly', () => {
    const notices: string[] = [];
    const c = parseQasm(example('efficient_su2_qiskit.qasm'), 'su2.qasm', { onNotice: (m) => notices.push(m) });
    expect(c.numQubits).toBe(4);
    expect(c.parameters).toEqual([{ name: 'θ', length: 24, offset: 0 }]);
    // EfficientSU2(4, reps=2): [ry layer, rz layer, reverse-linear CX] × 2, then ry, rz.
    const b = new CircuitAssembler();
    b.setQubits(4);
    b.declareParameter('θ', 24);
    let k = 0;
    for (let r = 0; r < 3; r++) {
      for (const letter of ['Y', 'Z']) for (let q = 0; q < 4; q++) b.addGates([rotationGate(letter, [q], parameterExpr(k++))]);
      if (r < 2) for (let q = 2; q >= 0; q--) b.addGates([cliffordGate('cx', [q, q + 1])]);
    }
    expect(bareGates(c.gates)).toEqual(bareGates(b.build().gates));
    expect(notices).toEqual([expect.stringMatching(/^su2\.qasm:\d+:1: ignoring final measurements \(4 qubits\)/)]);
  });

  it('agrees with the bound OpenQASM 2 export of the same ansatz', () => {
    const q2text = example('efficient_su2_bound_qasm2.qasm');
    const values = [...q2text.matchAll(/^r[yz]\(([^)]+)\)/gm)].map((m) => Number(m[1]));
    expect(values).toHaveLength(24);
    const q3 = parseQasm(example('efficient_su2_qiskit.qasm'), 'a', { onNotice: () => {} });
    const q2 = parseQasm(q2text, 'b', { onNotice: () => {} });
    expect(diffUpToPhase(denseFinalState(q3, values), denseFinalState(q2, []))).toBeLessThan(1e-12);
  });

  it("expands Qiskit's wrapped-gate form (a gate definition holding the whole ansatz)", () => {
    const wrapped = `${HEADER}input float[64] _θ_0_;\ninput float[64] _θ_1_;\ninput float[64] _θ_2_;\ninput float[64] _θ_3_;
gate EfficientSU2(_gate_p_0, _gate_p_1, _gate_p_2, _gate_p_3) _gate_q_0, _gate_q_1 {
  ry(_gate_p_0) _gate_q_0;
  ry(_gate_p_1) _gate_q_1;
  cx _gate_q_0, _gate_q_1;
  rz(_gate_p_2) _gate_q_0;
  rz(2*_gate_p_3 + pi) _gate_q_1;
}
qubit[2] q;
EfficientSU2(_θ_0_, _θ_1_, _θ_2_, _θ_3_) q[0], q[1];
`;
    const flat = `${HEADER}input float[64] _θ_0_;\ninput float[64] _θ_1_;\ninput float[64] _θ_2_;\ninput float[64] _θ_3_;
qubit[2] q;\nry(_θ_0_) q[0];\nry(_θ_1_) q[1];\ncx q[0], q[1];\nrz(_θ_2_) q[0];\nrz(2*_θ_3_ + pi) q[1];\n`;
    expect(bareGates(parseQasm(wrapped).gates)).toEqual(bareGates(parseQasm(flat).gates));
  });

  it('supports qubit declarations, aliases, ranges, index sets, negative indices and physical qubits', () => {
    const c = parseQasm(`${HEADER}qubit[4] a;\nqubit b;\nlet pair = a[1:2] ++ b;\nh pair;\nx a[-1];\nz a[{0, 2}];\ny a[0:2:3];\ncz b, a[0];\n`);
    const names = c.gates.map((g) => (g.kind === 'clifford' ? `${g.name}${g.qubits.join('')}` : '?'));
    expect(names).toEqual(['h1', 'h2', 'h4', 'x3', 'z0', 'z2', 'y0', 'y2', 'cz40']);
    const phys = parseQasm(`${HEADER}h $3;\ncx $0, $3;\n`);
    expect(phys.numQubits).toBe(4);
    expectQasmError(`${HEADER}qubit[2] q;\nh $0;\n`, 4, 3, 'cannot be used together with declared qubit registers');
  });

  it('ignores barriers, gphase and pragmas', () => {
    const c = parseQasm(`${HEADER}#pragma whatever here\npragma also ignored\nqubit[2] q;\nbarrier;\nbarrier q;\ngphase(0.3);\nh q[0];\n`);
    expect(bareGates(c.gates)).toEqual([{ kind: 'clifford', name: 'h', qubits: [0] }]);
  });

  it('rejects parameter expressions that are not affine, at the operator', () => {
    const pre = `${HEADER}input float[64] a;\ninput float[64] b;\nqubit[1] q;\n`;
    expectQasmError(`${pre}rz(a*b) q[0];\n`, 6, 5, 'product of two parameter-dependent expressions');
    expectQasmError(`${pre}rz(1/a) q[0];\n`, 6, 5, 'dividing by a parameter-dependent expression');
    expectQasmError(`${pre}rz(a**2) q[0];\n`, 6, 5, 'power of a parameter-dependent expression');
    expectQasmError(`${pre}rz(sin(a)) q[0];\n`, 6, 4, 'sin(…) of a parameter-dependent expression');
    expectQasmError(`${pre}rz(a^2) q[0];\n`, 6, 5, "'^' is bitwise xor");
    expectQasmError(`${pre}rz(2*(a + 1)*b) q[0];\n`, 6, 13, 'not affine');
    expectQasmError(`${pre}h q[a];\n`, 6, 5, 'a qubit index must be a constant integer');
    // inside a gate body, the error points into the body and names the call site
    expectQasmError(`${pre}gate sq(t) r { rz(t*t) r; }\nsq(a) q[0];\n`, 6, 20, /product of two .* \(while expanding 'sq' at 7:1\)/);
    expectQasmError(`${pre}gate bad r { rz(a) r; }\nbad q[0];\n`, 6, 17, "cannot use the input 'a' directly");
  });
});

/** |0⟩⟨0| ⊗ U + |1⟩⟨1| ⊗ I, the control being the most significant qubit. */
function negControlled(m: CMatrix): CMatrix {
  return add(kron(matrix([[1, 0], [0, 0]]), m), kron(matrix([[0, 0], [0, 1]]), identity(m.rows)));
}

describe('OpenQASM 3 gate modifiers', () => {
  const u = (body: string, n: number) => circuitUnitary(parseQasm(`${HEADER}qubit[${n}] q;\n${body}\n`), []);
  const close = (a: CMatrix, b: CMatrix) => expect(diffUpToPhase(a, b)).toBeLessThan(1e-12);

  it('inv @ and pow(k) @ invert and repeat any gate, user-defined ones included', () => {
    close(u('inv @ u3(0.3, 0.8, -1.1) q[0];', 1), adjoint(mulAll(rz(0.8), ry(0.3), rz(-1.1))));
    close(u('pow(2) @ sx q[0];', 1), PAULI.X);
    close(u('pow(-3) @ t q[0];', 1), phaseGate((-3 * Math.PI) / 4));
    close(u('pow(0) @ h q[0];', 1), identity(2));
    const def = 'gate g(a) x, y { rx(a) x; cx x, y; s y; }\n';
    close(u(`${def}inv @ g(0.4) q[1], q[0];`, 2), adjoint(u(`${def}g(0.4) q[1], q[0];`, 2)));
    close(u(`${def}inv @ pow(2) @ g(0.4) q[0], q[1];`, 2), adjoint(u(`${def}g(0.4) q[0], q[1]; g(0.4) q[0], q[1];`, 2)));
  });

  it.each([
    ['ctrl @ x q[0], q[1];', () => embed(controlled(PAULI.X), [0, 1], 3)],
    ['ctrl @ y q[2], q[0];', () => embed(controlled(PAULI.Y), [2, 0], 3)],
    ['ctrl @ z q[1], q[2];', () => embed(controlled(PAULI.Z), [1, 2], 3)],
    ['ctrl @ h q[0], q[2];', () => embed(controlled(CLIFFORD_MATRICES.h), [0, 2], 3)],
    ['ctrl @ s q[0], q[1];', () => embed(controlled(CLIFFORD_MATRICES.s), [0, 1], 3)],
    ['ctrl @ inv @ s q[0], q[1];', () => embed(controlled(CLIFFORD_MATRICES.sdg), [0, 1], 3)],
    ['ctrl @ t q[1], q[0];', () => embed(controlled(phaseGate(Math.PI / 4)), [1, 0], 3)],
    ['ctrl @ sx q[2], q[1];', () => embed(controlled(CLIFFORD_MATRICES.sx), [2, 1], 3)],
    ['ctrl @ p(0.7) q[0], q[1];', () => embed(controlled(phaseGate(0.7)), [0, 1], 3)],
    ['ctrl @ rx(0.7) q[0], q[1];', () => embed(controlled(rx(0.7)), [0, 1], 3)],
    ['ctrl @ rxx(0.7) q[2], q[0], q[1];', () => embed(controlled(rotationMatrix({ qubits: [0, 1], letters: ['X', 'X'] }, 0.7, 2)), [2, 0, 1], 3)],
    ['ctrl @ swap q[1], q[0], q[2];', () => embed(controlled(CLIFFORD_MATRICES.swap), [1, 0, 2], 3)],
    ['ctrl(2) @ x q[0], q[1], q[2];', () => embed(controlled(controlled(PAULI.X)), [0, 1, 2], 3)],
    ['ctrl @ ctrl @ h q[2], q[1], q[0];', () => embed(controlled(controlled(CLIFFORD_MATRICES.h)), [2, 1, 0], 3)],
    ['ctrl @ cx q[1], q[2], q[0];', () => embed(controlled(controlled(PAULI.X)), [1, 2, 0], 3)],
    ['ctrl(2) @ rz(0.4) q[0], q[1], q[2];', () => embed(controlled(controlled(rz(0.4))), [0, 1, 2], 3)],
    ['ctrl(2) @ y q[0], q[1], q[2];', () => embed(controlled(controlled(PAULI.Y)), [0, 1, 2], 3)],
    ['negctrl @ x q[0], q[1];', () => embed(negControlled(PAULI.X), [0, 1], 3)],
    ['ctrl @ negctrl @ z q[0], q[1], q[2];', () => embed(controlled(negControlled(PAULI.Z)), [0, 1, 2], 3)],
    ['ctrl @ gphase(0.9) q[1];', () => embed(phaseGate(0.9), [1], 3)],
    ['pow(2) @ ctrl @ sx q[0], q[1];', () => embed(controlled(PAULI.X), [0, 1], 3)],
  ])('%s has the controlled matrix', (body, expected) => {
    close(u(body, 3), expected());
  });

  it('rejects modifiers it cannot apply exactly, with positions', () => {
    expectQasmError(`${HEADER}qubit[2] q;\nctrl @ u3(1, 2, 3) q[0], q[1];\n`, 4, 1, "'ctrl @' is not supported on 'u3'");
    expectQasmError(`${HEADER}gate g a { h a; }\nqubit[2] q;\nctrl @ g q[0], q[1];\n`, 5, 1, "'ctrl @' is not supported on 'g'");
    expectQasmError(`${HEADER}qubit[2] q;\npow(0.5) @ x q[0];\n`, 4, 5, "the exponent of 'pow' must be an integer");
    expectQasmError(`${HEADER}qubit[2] q;\nctrl @ x q[0];\n`, 4, 8, "gate 'x' takes 2 qubit operands (1 control included), got 1");
    expectQasmError(`${HEADER}qubit[2] q;\nctrl(0) @ x q[0];\n`, 4, 1, "count of 'ctrl' must be at least 1");
  });
});

describe('OpenQASM 3 measurements', () => {
  it.each([
    ['c = measure q;'],
    ['c[0] = measure q[0];\nc[1] = measure q[1];'],
    ['measure q -> c;'],
    ['measure q[1];'],
  ])('%s is ignored with a notice', (stmt) => {
    const notices: string[] = [];
    const c = parseQasm(`${HEADER}qubit[2] q;\nbit[2] c;\nh q[0];\n${stmt}\n`, 'm.qasm', { onNotice: (m) => notices.push(m) });
    expect(bareGates(c.gates)).toEqual([{ kind: 'clifford', name: 'h', qubits: [0] }]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^m\.qasm:6:1: ignoring final measurements/);
  });

  it('rejects a gate after a measurement of its qubit', () => {
    expectQasmError(`${HEADER}qubit[2] q;\nbit[2] c;\nc[1] = measure q[1];\nh q[0];\ncx q[0], q[1];\n`, 7, 1, "mid-circuit measurement is not supported: 'cx' acts on q[1] after its measurement at 5:1");
  });
});

describe('OpenQASM 3 unsupported constructs', () => {
  it.each([
    ['reset q[0];', 1, "'reset' is not supported"],
    ['if (c[0]) x q[0];', 1, "classical control ('if') is not supported"],
    ['while (true) { x q[0]; }', 1, "'while' loops are not supported"],
    ['for int i in [0:1] { x q[i]; }', 1, "'for' loops are not supported"],
    ['switch (i) { }', 1, "'switch' statements are not supported"],
    ['def f(qubit a) { x a; }', 1, "subroutines ('def') are not supported"],
    ['defcal x $0 { }', 1, "'defcal'"],
    ['cal { }', 1, "'cal'"],
    ['delay[100ns] q[0];', 1, "'delay' instructions are not supported"],
    ['box { x q[0]; }', 1, "'box' blocks are not supported"],
    ['extern f(int) -> int;', 1, "'extern' functions are not supported"],
    ['int i = 3;', 1, "classical variable declarations ('int')"],
    ['const bool a = true;', 7, 'only numeric constants are supported'],
    ['float[64] a = 0.5;', 1, "classical variable declarations ('float')"],
    ['output bit[2] r;', 1, "'output' declarations are not supported"],
    ['input int n;', 7, "expected 'float' or 'angle' after 'input'"],
    ['c[0] = 1;', 8, 'classical assignments are not supported'],
    ['c = measure q; x q[1];', 16, 'mid-circuit measurement'],
    ['x[100ns] q[0];', 2, "gate durations ('x[…]') are not supported"],
    ['@annotation x q[0];', 1, 'annotations'],
    ['{ x q[0]; }', 1, 'scoped blocks'],
    ['opaque g a;', 1, 'opaque gates are not supported'],
    ['bit[2] d = "01";', 10, 'initialized classical bits'],
    ['rz(10ns) q[0];', 4, 'durations (10ns) are not supported'],
    ['rz(1.5im) q[0];', 4, 'imaginary numbers (1.5im) are not supported'],
  ])('%s is a positioned error', (stmt, column, message) => {
    expectQasmError(`${HEADER}qubit[2] q;\nbit[2] c;\n${stmt}\n`, 5, column, message);
  });

  it('enforces resource limits before expanding', () => {
    const nested = `${HEADER}gate a q { h q; h q; h q; h q; h q; h q; h q; h q; h q; h q; }
gate b q { a q; a q; a q; a q; a q; a q; a q; a q; a q; a q; }
gate c q { b q; b q; b q; b q; b q; b q; b q; b q; b q; b q; }
qubit[1] q;\nc q[0];\nc q[0];\n`;
    expect(() => parseQasm(nested, 'r.qasm', { maxGates: 1500 })).toThrow(ResourceLimitError);
    expect(() => parseQasm(nested, 'r.qasm', { maxGates: 1500 })).toThrow(/^r\.qasm:\d+:\d+: the circuit expands to more than 1500 gates/);
    expect(parseQasm(nested, 'r.qasm', { maxGates: 2000 }).gates).toHaveLength(2000);
    expect(() => parseQasm(`${HEADER}qubit[5] q;\npow(1000000000) @ x q[0];\n`, 'r.qasm', { maxGates: 100 })).toThrow(ResourceLimitError);
    expect(() => parseQasm(`${HEADER}qubit[2000000] q;\n`, 'r.qasm')).toThrow(/^r\.qasm:3:1: 2000000 qubits exceed the limit/);
  });
});

describe('nearclifford:param and nearclifford:observable comments', () => {
  const pre = `${HEADER}// nearclifford:param theta[2] t_\n// nearclifford:param b beta\n`;

  it('rebuild vector parameters and observables, whatever the input order', () => {
    const c = parseQasm(`${pre}// nearclifford:observable H = 0.5*Z0 Z1 - X1\ninput float[64] beta;\ninput float[64] t_1;\ninput float[64] t_0;\nqubit[2] q;\nrz(t_1 + 2*beta) q[0];\nrx(t_0) q[1];\n`);
    expect(c.parameters).toEqual([
      { name: 'theta', length: 2, offset: 0 },
      { name: 'b', length: null, offset: 2 },
    ]);
    expect(bareGates(c.gates)).toEqual(
      bareGates([
        rotationGate('Z', [0], { constant: 0, terms: [{ param: 1, coeff: 1 }, { param: 2, coeff: 2 }] }),
        rotationGate('X', [1], { constant: 0, terms: [{ param: 0, coeff: 1 }] }),
      ]),
    );
    expect(c.observables).toEqual([
      { name: 'H', terms: [{ coeff: 0.5, pauli: { qubits: [0, 1], letters: ['Z', 'Z'] } }, { coeff: -1, pauli: { qubits: [1], letters: ['X'] } }] },
    ]);
  });

  it('must account for every input', () => {
    expectQasmError(`${pre}input float[64] beta;\ninput float[64] t_0;\ninput float[64] extra;\nqubit[1] q;\n`, 7, 1, "input 'extra' is not listed in the file's nearclifford:param comments");
    expectQasmError(`${pre}input float[64] beta;\ninput float[64] t_0;\nqubit[1] q;\n`, 3, 1, "input 't_1' named by this nearclifford:param comment is not declared");
    expectQasmError(`${HEADER}// nearclifford:param theta[two] t_\nqubit[1] q;\n`, 3, 1, 'malformed nearclifford:param comment');
    expectQasmError(`${HEADER}// nearclifford:observable H = Z5\nqubit[1] q;\n`, 3, 1, 'nearclifford:observable: H: column 1: qubit 5 is out of range');
  });
});
