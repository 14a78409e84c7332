import { describe, expect, it } from 'vitest';
import { constantExpr } from '../../src/ir/affine.js';
import { UserError } from '../../src/ir/errors.js';
import { GATE_LIBRARY } from '../../src/ir/gate-library.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import { circuitUnitary, controlled, diffUpToPhase, embed, expi, matrix, PAULI, CLIFFORD_MATRICES } from '../helpers/dense.js';
import { bareGates, expectQasmError, expectSameUnitary } from './qasm-test-utils.js';

const HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n';
const ANGLES = [0.37, -1.21, 2.05, 0.61];

/** Every gate of Qiskit's qelib1.inc (plus ryy, which Qiskit writes as a definition) with its arity. */
const QELIB1: readonly [name: string, angles: number, qubits: number][] = [
  ['u3', 3, 1], ['u2', 2, 1], ['u1', 1, 1], ['cx', 0, 2], ['id', 0, 1], ['u0', 1, 1], ['u', 3, 1], ['p', 1, 1],
  ['x', 0, 1], ['y', 0, 1], ['z', 0, 1], ['h', 0, 1], ['s', 0, 1], ['sdg', 0, 1], ['t', 0, 1], ['tdg', 0, 1],
  ['rx', 1, 1], ['ry', 1, 1], ['rz', 1, 1], ['sx', 0, 1], ['sxdg', 0, 1], ['cz', 0, 2], ['cy', 0, 2], ['swap', 0, 2],
  ['ch', 0, 2], ['ccx', 0, 3], ['cswap', 0, 3], ['crx', 1, 2], ['cry', 1, 2], ['crz', 1, 2], ['cu1', 1, 2], ['cp', 1, 2],
  ['cu3', 3, 2], ['csx', 0, 2], ['cu', 4, 2], ['rxx', 1, 2], ['rzz', 1, 2], ['ryy', 1, 2], ['rccx', 0, 3], ['rc3x', 0, 4],
  ['c3x', 0, 4], ['c3sqrtx', 0, 4], ['c4x', 0, 5], ['U', 3, 1], ['CX', 0, 2],
];

/**
 * qelib1.inc's definitions (OpenQASM 2 paper and Qiskit's copy) renamed with a `my_` prefix, so
 * that they are built from the built-in U and CX only and check every library lowering.
 */
const QELIB1_DEFINITIONS = `
gate my_u3(theta,phi,lambda) q { U(theta,phi,lambda) q; }
gate my_u2(phi,lambda) q { U(pi/2,phi,lambda) q; }
gate my_u1(lambda) q { U(0,0,lambda) q; }
gate my_cx c,t { CX c,t; }
gate my_id a { U(0,0,0) a; }
gate my_u0(gamma) q { U(0,0,0) q; }
gate my_u(theta,phi,lambda) q { U(theta,phi,lambda) q; }
gate my_p(lambda) q { U(0,0,lambda) q; }
gate my_x a { my_u3(pi,0,pi) a; }
gate my_y a { my_u3(pi,pi/2,pi/2) a; }
gate my_z a { my_u1(pi) a; }
gate my_h a { my_u2(0,pi) a; }
gate my_s a { my_u1(pi/2) a; }
gate my_sdg a { my_u1(-pi/2) a; }
gate my_t a { my_u1(pi/4) a; }
gate my_tdg a { my_u1(-pi/4) a; }
gate my_rx(theta) a { my_u3(theta,-pi/2,pi/2) a; }
gate my_ry(theta) a { my_u3(theta,0,0) a; }
gate my_rz(phi) a { my_u1(phi) a; }
gate my_sx a { my_sdg a; my_h a; my_sdg a; }
gate my_sxdg a { my_s a; my_h a; my_s a; }
gate my_cz a,b { my_h b; my_cx a,b; my_h b; }
gate my_cy a,b { my_sdg b; my_cx a,b; my_s b; }
gate my_swap a,b { my_cx a,b; my_cx b,a; my_cx a,b; }
gate my_ch a,b { my_h b; my_sdg b; my_cx a,b; my_h b; my_t b; my_cx a,b; my_t b; my_h b; my_s b; my_x b; my_s a; }
gate my_ccx a,b,c {
  my_h c; my_cx b,c; my_tdg c; my_cx a,c; my_t c; my_cx b,c; my_tdg c; my_cx a,c;
  my_t b; my_t c; my_h c; my_cx a,b; my_t a; my_tdg b; my_cx a,b;
}
gate my_cswap a,b,c { my_cx c,b; my_ccx a,b,c; my_cx c,b; }
gate my_crx(lambda) a,b { my_u1(pi/2) b; my_cx a,b; my_u3(-lambda/2,0,0) b; my_cx a,b; my_u3(lambda/2,-pi/2,0) b; }
gate my_cry(lambda) a,b { my_ry(lambda/2) b; my_cx a,b; my_ry(-lambda/2) b; my_cx a,b; }
gate my_crz(lambda) a,b { my_rz(lambda/2) b; my_cx a,b; my_rz(-lambda/2) b; my_cx a,b; }
gate my_cu1(lambda) a,b { my_u1(lambda/2) a; my_cx a,b; my_u1(-lambda/2) b; my_cx a,b; my_u1(lambda/2) b; }
gate my_cp(lambda) a,b { my_p(lambda/2) a; my_cx a,b; my_p(-lambda/2) b; my_cx a,b; my_p(lambda/2) b; }
gate my_cu3(theta,phi,lambda) c,t {
  my_u1((lambda+phi)/2) c; my_u1((lambda-phi)/2) t; my_cx c,t;
  my_u3(-theta/2,0,-(phi+lambda)/2) t; my_cx c,t; my_u3(theta/2,phi,0) t;
}
gate my_csx a,b { my_h b; my_cu1(pi/2) a,b; my_h b; }
gate my_cu(theta,phi,lambda,gamma) c,t {
  my_p(gamma) c; my_p((lambda+phi)/2) c; my_p((lambda-phi)/2) t; my_cx c,t;
  my_u(-theta/2,0,-(phi+lambda)/2) t; my_cx c,t; my_u(theta/2,phi,0) t;
}
gate my_rxx(theta) a,b { my_u3(pi/2,theta,0) a; my_h b; my_cx a,b; my_u1(-theta) b; my_cx a,b; my_h b; my_u2(-pi,pi-theta) a; }
gate my_rzz(theta) a,b { my_cx a,b; my_u1(theta) b; my_cx a,b; }
gate my_ryy(theta) a,b { my_rx(pi/2) a; my_rx(pi/2) b; my_cx a,b; my_rz(theta) b; my_cx a,b; my_rx(-pi/2) a; my_rx(-pi/2) b; }
gate my_rccx a,b,c {
  my_u2(0,pi) c; my_u1(pi/4) c; my_cx b,c; my_u1(-pi/4) c; my_cx a,c; my_u1(pi/4) c; my_cx b,c; my_u1(-pi/4) c; my_u2(0,pi) c;
}
gate my_rc3x a,b,c,d {
  my_u2(0,pi) d; my_u1(pi/4) d; my_cx c,d; my_u1(-pi/4) d; my_u2(0,pi) d; my_cx a,d; my_u1(pi/4) d; my_cx b,d;
  my_u1(-pi/4) d; my_cx a,d; my_u1(pi/4) d; my_cx b,d; my_u1(-pi/4) d; my_u2(0,pi) d; my_u1(pi/4) d; my_cx c,d;
  my_u1(-pi/4) d; my_u2(0,pi) d;
}
`;

function call(name: string, numAngles: number, qubits: readonly number[]): string {
  const args = numAngles ? `(${ANGLES.slice(0, numAngles).join(', ')})` : '';
  return `${name}${args} ${qubits.map((q) => `q[${q}]`).join(', ')};`;
}

describe('OpenQASM 2.0 gates', () => {
  it.each(QELIB1)('%s imports to its GATE_LIBRARY lowering', (name, numAngles, numQubits) => {
    const qubits = [4, 1, 3, 0, 2].slice(0, numQubits);
    const c = parseQasm(`${HEADER}qreg q[5];\n${call(name, numAngles, qubits)}\n`);
    const expected = GATE_LIBRARY.get(name)!.lower(qubits, ANGLES.slice(0, numAngles).map(constantExpr));
    expect(bareGates(c.gates)).toEqual(bareGates(expected));
    expect(c.gates.every((g) => g.source?.line === 4 && g.source.column === 1)).toBe(true);
  });

  const defined = QELIB1.filter(([name]) => QELIB1_DEFINITIONS.includes(`gate my_${name}`));
  it.each(defined)("%s equals qelib1.inc's definition in terms of U and CX", (name, numAngles, numQubits) => {
    const qubits = [2, 0, 3, 1].slice(0, numQubits);
    const lib = parseQasm(`${HEADER}qreg q[4];\n${call(name, numAngles, qubits)}\n`);
    const def = parseQasm(`${HEADER}${QELIB1_DEFINITIONS}qreg q[4];\n${call(`my_${name}`, numAngles, qubits)}\n`);
    expectSameUnitary(lib, def);
  });

  it('U(θ,φ,λ) has the textbook matrix', () => {
    const [t, p, l] = [0.7, -0.4, 1.9];
    const u = matrix([
      [Math.cos(t / 2), scaleC(expi(l), -Math.sin(t / 2))],
      [scaleC(expi(p), Math.sin(t / 2)), scaleC(expi(p + l), Math.cos(t / 2))],
    ]);
    const c = parseQasm(`${HEADER}qreg q[1];\nU(${t}, ${p}, ${l}) q[0];\n`);
    expect(diffUpToPhase(u, circuitUnitary(c, []))).toBeLessThan(1e-12);
  });

  it('c3x, c4x and c3sqrtx are the multi-controlled X and √X', () => {
    const c3x = parseQasm(`${HEADER}qreg q[4];\nc3x q[3], q[0], q[2], q[1];\n`);
    expect(diffUpToPhase(embed(controlled(controlled(controlled(PAULI.X))), [3, 0, 2, 1], 4), circuitUnitary(c3x, []))).toBeLessThan(1e-12);
    const c4x = parseQasm(`${HEADER}qreg q[5];\nc4x q[1], q[4], q[0], q[2], q[3];\n`);
    const x4 = controlled(controlled(controlled(controlled(PAULI.X))));
    expect(diffUpToPhase(embed(x4, [1, 4, 0, 2, 3], 5), circuitUnitary(c4x, []))).toBeLessThan(1e-12);
    const c3sx = parseQasm(`${HEADER}qreg q[4];\nc3sqrtx q[0], q[1], q[2], q[3];\n`);
    const sx3 = controlled(controlled(controlled(CLIFFORD_MATRICES.sx)));
    expect(diffUpToPhase(embed(sx3, [0, 1, 2, 3], 4), circuitUnitary(c3sx, []))).toBeLessThan(1e-12);
  });
});

function scaleC([re, im]: readonly [number, number], s: number): [number, number] {
  return [re * s, im * s];
}

describe('OpenQASM 2.0 registers and broadcasting', () => {
  it('concatenates registers in declaration order and ignores cregs', () => {
    const c = parseQasm(`${HEADER}qreg a[2];\ncreg c[5];\nqreg b[3];\nx b[1];\nh a[1];\n`);
    expect(c.numQubits).toBe(5);
    expect(bareGates(c.gates)).toEqual([
      { kind: 'clifford', name: 'x', qubits: [3] },
      { kind: 'clifford', name: 'h', qubits: [1] },
    ]);
  });

  it('broadcasts a gate over a register and pairs registers element-wise', () => {
    const c = parseQasm(`${HEADER}qreg a[2];\nqreg b[2];\nh a;\ncx a, b;\ncx a[1], b;\nrz(0.5) b;\n`);
    const names = c.gates.map((g) => (g.kind !== 'rotation' ? `${g.name}${g.qubits.join('')}` : `r${g.pauli.qubits.join('')}`));
    expect(names).toEqual(['h0', 'h1', 'cx02', 'cx13', 'cx12', 'cx13', 'r2', 'r3']);
  });

  it('rejects broadcasting registers of different sizes, with the position of the operand', () => {
    expectQasmError(`${HEADER}qreg a[2];\nqreg b[3];\ncx a, b;\n`, 5, 7, 'different sizes (2 and 3)');
  });

  it('rejects a gate applied twice to the same qubit', () => {
    expectQasmError(`${HEADER}qreg a[2];\ncx a[1], a[1];\n`, 4, 1, /same qubit twice \(qubit a\[1\]\)/);
    expectQasmError(`${HEADER}qreg a[2];\ncx a, a[0];\n`, 4, 1, 'same qubit twice');
  });

  it('rejects unknown registers, bad indices and bad sizes', () => {
    expectQasmError(`${HEADER}qreg q[2];\nh r[0];\n`, 4, 3, "unknown qubit register 'r'");
    expectQasmError(`${HEADER}qreg q[2];\nh q[2];\n`, 4, 5, "index 2 is out of range for 'q' of 2 qubits");
    expectQasmError(`${HEADER}qreg q[2];\nh q[-1];\n`, 4, 5, 'out of range');
    expectQasmError(`${HEADER}qreg q[2.5];\n`, 3, 8, 'must be an integer');
    expectQasmError(`${HEADER}qreg q[0];\n`, 3, 1, 'at least one qubit');
    expectQasmError(`${HEADER}qreg q[2];\nqreg q[3];\n`, 4, 1, "'q' is already declared at 3:1");
    expectQasmError(`${HEADER}creg c[2];\nh c[0];\n`, 4, 3, 'is a classical register');
  });
});

describe('OpenQASM 2.0 gate definitions', () => {
  it('expands nested definitions with parameters by substitution', () => {
    const defs = `${HEADER}gate rot2(a, b) p, r { rz(a + b/2) p; cx p, r; ry(2*a - pi) r; }
gate outer(t) x, y, z { rot2(t, -t) x, z; h y; barrier x, y; rot2(pi/4, t) y, x; }
qreg q[3];
outer(0.7) q[2], q[0], q[1];
`;
    const flat = `${HEADER}qreg q[3];
rz(0.7 + -0.7/2) q[2]; cx q[2], q[1]; ry(2*0.7 - pi) q[1];
h q[0];
rz(pi/4 + 0.7/2) q[0]; cx q[0], q[2]; ry(2*(pi/4) - pi) q[2];
`;
    const a = parseQasm(defs);
    const b = parseQasm(flat);
    expect(bareGates(a.gates)).toEqual(bareGates(b.gates));
    expectSameUnitary(a, b);
  });

  it('evaluates non-affine expressions of gate parameters when the arguments are constants', () => {
    const c = parseQasm(`${HEADER}gate g(a, b) q { rz(a*a + sin(b)) q; rx(a^2/b) q; }\nqreg q[1];\ng(0.5, 0.25) q[0];\n`);
    expect(bareGates(c.gates)).toEqual(
      bareGates([...GATE_LIBRARY.get('rz')!.lower([0], [constantExpr(0.5 * 0.5 + Math.sin(0.25))]), ...GATE_LIBRARY.get('rx')!.lower([0], [constantExpr(0.5 ** 2 / 0.25)])]),
    );
  });

  it('lets a definition shadow a library gate, and recognizes the standard rotation bodies', () => {
    // A redefinition with a different meaning wins over the library …
    const shadow = parseQasm(`${HEADER}gate h a { x a; }\nqreg q[1];\nh q[0];\n`);
    expect(bareGates(shadow.gates)).toEqual([{ kind: 'clifford', name: 'x', qubits: [0] }]);
    // … while Qiskit's definition of ryy becomes the single YY rotation.
    const ryy = parseQasm(
      `${HEADER}gate ryy(param0) q0,q1 { rx(pi/2) q0; rx(pi/2) q1; cx q0,q1; rz(param0) q1; cx q0,q1; rx(-pi/2) q0; rx(-pi/2) q1; }\nqreg q[3];\nryy(0.3) q[2], q[0];\n`,
    );
    expect(bareGates(ryy.gates)).toEqual(bareGates(GATE_LIBRARY.get('ryy')!.lower([2, 0], [constantExpr(0.3)])));
  });

  it('rejects bad definitions with positions', () => {
    expectQasmError(`${HEADER}gate g a { h b; }\n`, 3, 14, "'b' is not a qubit argument of gate 'g'");
    expectQasmError(`${HEADER}gate g a { foo a; }\n`, 3, 12, "unknown gate 'foo'");
    expectQasmError(`${HEADER}gate g a { cx a; }\n`, 3, 12, "gate 'cx' takes 2 qubit operands, got 1");
    expectQasmError(`${HEADER}gate g a, a { h a; }\n`, 3, 11, "'a' appears twice");
    expectQasmError(`${HEADER}gate g a { h a; }\ngate g b { x b; }\n`, 4, 6, "gate 'g' is already defined at 3:6");
    expectQasmError(`${HEADER}gate g a { h a[0]; }\n`, 3, 14, 'without indices');
    expectQasmError(`${HEADER}gate g(t) a { rz(s) a; }\nqreg q[1];\ng(1) q[0];\n`, 3, 18, /unknown name 's' in gate 'g'.*while expanding 'g' at 5:1/);
    expectQasmError(`${HEADER}gate g a { h a; \n`, 4, 1, "expected '}' to close the body of gate 'g'");
  });
});

describe('OpenQASM 2.0 angle expressions', () => {
  const angleOf = (expr: string): number => {
    const c = parseQasm(`${HEADER}qreg q[1];\nrz(${expr}) q[0];\n`);
    const g = c.gates[0]!;
    if (g.kind !== 'rotation') throw new Error('expected a rotation');
    return g.angle.constant;
  };

  it.each([
    ['pi', Math.PI],
    ['π/2', Math.PI / 2],
    ['-pi/4', -Math.PI / 4],
    ['-(1 + 2) * 3', -9],
    ['2^3^2', 2 ** 9],
    ['-2^2', -4],
    ['1.5e-3 + .25', 1.5e-3 + 0.25],
    ['sin(pi/2) + cos(0) + tan(0)', 2],
    ['exp(1) - ln(exp(2)) + sqrt(16)', Math.exp(1) - 2 + 4],
    ['((((1))))', 1],
    ['3*pi/4', (3 * Math.PI) / 4],
  ])('%s evaluates to the expected number', (expr, value) => {
    expect(angleOf(expr)).toBeCloseTo(value, 14);
  });

  it('rejects malformed or non-finite expressions with positions', () => {
    expectQasmError(`${HEADER}qreg q[1];\nrz(1/0) q[0];\n`, 4, 5, 'division by zero');
    expectQasmError(`${HEADER}qreg q[1];\nrz(ln(0)) q[0];\n`, 4, 4, 'finite');
    expectQasmError(`${HEADER}qreg q[1];\nrz(foo(1)) q[0];\n`, 4, 4, "unknown function 'foo'");
    expectQasmError(`${HEADER}qreg q[1];\nrz(1 +) q[0];\n`, 4, 7, 'expected a number, a name');
    expectQasmError(`${HEADER}qreg q[1];\nrz(theta) q[0];\n`, 4, 4, "unknown name 'theta'");
    expect(() => parseQasm(`${HEADER}qreg q[1];\nrz(${'('.repeat(500)}1${')'.repeat(500)}) q[0];\n`, 'f.qasm')).toThrow(
      /^f\.qasm:4:\d+: expression is nested too deeply/,
    );
  });
});

describe('OpenQASM 2.0 measurements and unsupported constructs', () => {
  it('ignores final measurements with a positioned notice', () => {
    const notices: string[] = [];
    const c = parseQasm(`${HEADER}qreg q[2];\ncreg c[2];\nh q[0];\nmeasure q -> c;\nbarrier q;\n`, 'm.qasm', { onNotice: (m) => notices.push(m) });
    expect(c.gates).toHaveLength(1);
    expect(notices).toEqual(['m.qasm:6:1: ignoring final measurements (2 qubits); the circuit is evaluated on its final state']);
  });

  it('allows gates on qubits that were not measured', () => {
    const c = parseQasm(`${HEADER}qreg q[2];\ncreg c[2];\nmeasure q[0] -> c[0];\nh q[1];\n`, 'm.qasm', { onNotice: () => {} });
    expect(c.gates).toHaveLength(1);
  });

  it('rejects gates after a measurement of the same qubit', () => {
    expectQasmError(`${HEADER}qreg q[2];\ncreg c[2];\nmeasure q -> c;\ncx q[1], q[0];\n`, 6, 1, /mid-circuit measurement is not supported: 'cx' acts on q\[1\] after its measurement at 5:1/);
  });

  it.each([
    ['reset q[0];', 4, 1, "'reset' is not supported"],
    ['if (c == 1) x q[0];', 4, 1, "classical control ('if') is not supported"],
    ['opaque magic a;', 4, 1, 'opaque gates are not supported'],
    ['measure q[0] -> d[0];', 4, 17, "'d' is not a declared classical register"],
    ['include "other.inc";', 4, 1, "cannot include 'other.inc'"],
    ['foo q[0];', 4, 1, "unknown gate 'foo'"],
    ['rz q[0];', 4, 1, "gate 'rz' takes 1 angle argument, got 0"],
    ['h(0.5) q[0];', 4, 1, "gate 'h' takes 0 angle arguments, got 1"],
    ['h q[0]', 5, 1, "expected ';' after the 'h' gate call, found end of file"],
    ['h q[0]; /* open', 4, 9, "unterminated block comment"],
    ['h q[0]; ?', 4, 9, "unexpected character '?'"],
    ['x q[0];\nOPENQASM 2.0;', 5, 1, "the 'OPENQASM' version statement must come first"],
  ])('%s is a positioned error', (stmt, line, column, message) => {
    expectQasmError(`${HEADER}qreg q[1]; creg c[1];\n${stmt}\n`, line, column, message);
  });

  it('reports a version other than 2 or 3', () => {
    expectQasmError('OPENQASM 4.0;\nqreg q[1];\n', 1, 10, 'unsupported OpenQASM version 4.0');
  });

  it('only ever throws UserError with a position for these inputs', () => {
    for (const text of ['', 'OPENQASM 2.0;', 'OPENQASM', '"', 'qreg', 'qreg q[', `${HEADER}qreg q[1]; U(1,2) q[0];`]) {
      try {
        parseQasm(text, 'e.qasm');
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as Error).message).toMatch(/^e\.qasm:\d+:\d+: /);
      }
    }
  });
});
