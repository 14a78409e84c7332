import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/ir/errors.js';
import { GATE_LIBRARY } from '../../src/ir/gate-library.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import { qasmFastPathStats } from '../../src/parsing/qasm/fast-path.js';

/**
 * The OpenQASM fast path (src/parsing/qasm/fast-path.ts) against the parser and elaborator:
 * random OpenQASM 2 and 3 programs mixing flat gate lines with declarations, definitions,
 * modifiers, barriers, measurements, pragmas and comments, and random corruptions of them, must
 * give deep-equal circuits (and notices) or the same error on both paths.
 */

const SEED = Number(process.env.FC_SEED ?? 5_550_2026);
const FILE = 'p.qasm';

type Outcome = { circuit: unknown; notices: string[] } | { error: string; name: string };

/** Included files of the edge-case test, by name. */
const INCLUDES: Record<string, string> = {
  'flat.inc': 'h q[0];\ncx q[0], q[1]; rz(a/2) q[2];\n',
  'bad.inc': 'h q[0];\n  cx q[0], q[0];\n',
  'defs.inc': 'gate gg(x) p { rz(x) p; }\nh q[1]; gg(0.5) q[2];\n',
};

function outcome(text: string, fastPath: boolean, maxGates = 2_000): Outcome {
  const notices: string[] = [];
  try {
    const circuit = parseQasm(text, FILE, {
      fastPath,
      maxGates,
      maxQubits: 64,
      onNotice: (m) => notices.push(m),
      readInclude: (name) => (Object.hasOwn(INCLUDES, name) ? { file: name, text: INCLUDES[name]! } : null),
    });
    return { circuit, notices };
  } catch (e) {
    if (e instanceof UserError) return { error: e.message, name: e.name };
    throw e;
  }
}

/** Programs both paths accepted (the properties check that many did, not only errors). */
let accepted = 0;

function agree(text: string, maxGates?: number): number {
  const before = qasmFastPathStats.statements;
  const fast = outcome(text, true, maxGates);
  const taken = qasmFastPathStats.statements - before;
  const slow = outcome(text, false, maxGates);
  expect(qasmFastPathStats.statements - before - taken, 'the slow path used the fast path').toBe(0);
  expect(fast, text).toStrictEqual(slow);
  if ('circuit' in slow) accepted++;
  return taken;
}

const blank = fc.constantFrom('', ' ', ' ', ' ', '\t', '\n', '\r\n', ' /* c */ ', '/*\n*/', ' // c\n', '\u00a0', '\f', ' // nearclifford:param x\n');
const numberText = fc.oneof(
  fc.nat(12).map(String),
  fc.tuple(fc.nat(99), fc.nat(999)).map(([a, b]) => `${a}.${b}`),
  fc.nat(999).map((b) => `.${b}`),
  fc.tuple(fc.nat(20), fc.constantFrom('e', 'E', '.e'), fc.constantFrom('', '+', '-'), fc.nat(30)).map((p) => p.join('')),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map(String),
  fc.constantFrom('1.', '1_000', '0x1F', '0b1', '1e999', '1.5ns', '2im', '3s', '2e', '007', '9007199254740993', '0.1'),
);
const atom = fc.oneof(
  { weight: 4, arbitrary: numberText },
  { weight: 2, arbitrary: fc.constantFrom('pi', 'π', 'tau', 'euler', 'ℇ') },
  { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'k', 'n', '_θ_0_', 'unknown', 'q', 'sin(0.5)', 'theta') },
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: -1, max: 7 }), fc.constantFrom('', ' ', '.0', '+0')).map(([i, x]) => `theta[${i}${x}]`) },
);
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(fc.constantFrom('-', '+', '- ', '--', '++'), tie('e')).map(([s, e]) => s + e),
    tie('e').map((e) => `(${e})`),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '**', '^', '%', ' + ', ' * ', '->', '+=', '/ '), tie('e')).map(([a, op, b]) => a + op + b),
  ),
})).e;

const registerOperand = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('q', 'q', 'r'), fc.nat(4), fc.constantFrom('', ' ')).map(([r, i, s]) => `${r}${s}[${s}${i}${s}]`) },
  { weight: 2, arbitrary: fc.constantFrom('q', 'r', 's') },
  { weight: 1, arbitrary: fc.constantFrom('q[-1]', 'q[0:1]', 'q[{0,1}]', 'c[0]', 'al', 'q[1.]', 'q[0x1]', 'q[1_0]', 'a', '$1', 'q[9]', 'q[n]') },
);
const physicalOperand = fc.oneof(
  { weight: 8, arbitrary: fc.nat(5).map((i) => `$${i}`) },
  { weight: 1, arbitrary: fc.constantFrom('$', '$1a', '$99', 'q[0]', '$007') },
);

const GATE_NAMES = [...GATE_LIBRARY.keys()];
const COMMON = ['h', 'x', 'cx', 'CX', 'U', 'rz', 'rx', 'ry', 'sx', 'u3', 'u2', 'u1', 'p', 'cp', 'rzz', 'swap', 'ccx', 't', 'sdg', 'id'];

function gateLine(operand: fc.Arbitrary<string>) {
  return fc
    .tuple(
      fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...COMMON) }, { weight: 2, arbitrary: fc.constantFrom(...GATE_NAMES) }, { weight: 1, arbitrary: fc.constantFrom('g', 'foo', 'inv @ h', 'ctrl @ x', 'pow(2) @ s', 'measure', 'barrier', 'pragma') }),
      fc.option(fc.array(expr, { maxLength: 4 }), { freq: 2 }),
      fc.array(operand, { maxLength: 4 }),
      blank,
      fc.boolean(),
    )
    .map(([name, angles, ops, s, exact]) => {
      const def = GATE_LIBRARY.get(name);
      let args = angles;
      let operands = ops;
      if (exact && def) {
        args = def.numAngles === 0 ? null : Array.from({ length: def.numAngles }, (_, i) => angles?.[i] ?? String(i / 4));
        operands = Array.from({ length: def.numQubits }, (_, i) => ops[i] ?? `q[${i}]`);
      }
      const list = args === null ? '' : `(${args.join(`,${s}`)})`;
      return `${name}${list} ${operands.join(`,${s}`)}${s};`;
    });
}

const otherLine = fc.constantFrom(
  'barrier q;',
  'barrier q[0], r[1];',
  'gate g(x) a, b { rz(x) a; cx a, b; }',
  'gate rz(x) a { ry(x) a; }',
  'measure q[0] -> c[0];',
  'c[1] = measure q[1];',
  'let al = q[0:1];',
  '#pragma something',
  'pragma other',
  '// nearclifford:observable Z0\n',
  '// plain comment\n',
  '/* block\n comment */',
  ';',
  'qubit[2] t;',
  'reset q[0];',
  'inv @ rz(a) q[0];',
  'ctrl @ x q[0], q[1];',
);

const headers = {
  v3: 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[4] q;\nqubit[2] r;\nqubit s;\nbit[4] c;\ninput float[64] a;\ninput angle b;\ninput array[float[64], 6] theta;\ninput float[64] _θ_0_;\nconst float[64] k = 0.25;\nconst int n = 2;\n',
  v2: 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[4];\nqreg r[2];\ncreg c[4];\n',
  bare: 'qubit[4] q;\nqreg r[2];\ninput float[64] a;\n',
  physical: 'OPENQASM 3;\ninput float[64] a;\n',
};

/** Valid (mostly) gate lines: the shapes the fast path exists for. */
function validLine(names: readonly string[], operands: readonly string[]) {
  const num = fc.oneof(fc.nat(9).map(String), fc.double({ min: 0, max: 100, noNaN: true }).map(String), fc.constantFrom('0.5', '.25', '1e-3', '2.5E+1', '1.'));
  const atom = fc.oneof(num, fc.constantFrom('pi', 'π', 'tau', ...names));
  const term = fc
    .tuple(fc.option(num), atom, fc.option(fc.integer({ min: 1, max: 9 })), fc.constantFrom('', '-', '+'))
    .map(([k, x, d, sign]) => `${sign}${k === null ? '' : `${k}*`}${x}${d === null ? '' : `/${d}`}`);
  const expr = fc
    .tuple(term, fc.array(fc.tuple(fc.constantFrom(' + ', ' - ', '+', '-'), term), { maxLength: 3 }))
    .map(([first, rest]) => first + rest.map(([op, t]) => op + t).join(''));
  return fc
    .tuple(fc.constantFrom(...COMMON, ...GATE_NAMES.filter((g) => g !== 'gphase')), fc.array(expr, { minLength: 4, maxLength: 4 }), fc.shuffledSubarray([...operands], { minLength: 5, maxLength: 5 }), blank)
    .map(([name, angles, qs, s]) => {
      const def = GATE_LIBRARY.get(name)!;
      const list = def.numAngles === 0 ? '' : `(${angles.slice(0, def.numAngles).join(`,${s}`)})`;
      return `${name}${list} ${qs.slice(0, def.numQubits).join(`,${s}`)};`;
    });
}

function program(header: string, operand: fc.Arbitrary<string>, valid: fc.Arbitrary<string>) {
  const line = fc.oneof({ weight: 10, arbitrary: valid }, { weight: 3, arbitrary: gateLine(operand) }, { weight: 2, arbitrary: otherLine });
  return fc.array(fc.tuple(line, blank, fc.constantFrom('\n', ' ', '\r\n', '')), { maxLength: 12 }).map((ls) => header + ls.map((p) => p.join('')).join(''));
}

const REGISTER_OPERANDS = ['q[0]', 'q[1]', 'q[2]', 'q[3]', 'r[0]', 'r[1]'];
const programs = fc.oneof(
  program(headers.v3, registerOperand, validLine(['a', 'b', 'k', 'n', '_θ_0_', 'theta[0]', 'theta[5]'], [...REGISTER_OPERANDS, 's'])),
  program(headers.v2, registerOperand, validLine([], REGISTER_OPERANDS)),
  program(headers.bare, registerOperand, validLine(['a'], REGISTER_OPERANDS)),
  program(headers.physical, physicalOperand, validLine(['a'], ['$0', '$1', '$2', '$3', '$4', '$5'])),
);

const ALPHABET = [...'qhcxrz0123456789 ;,.()[]{}=+-*/%#\n\t_@$θ"e'];
type Mutation = { kind: 'delete' | 'insert' | 'replace'; at: number; length: number; text: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace'),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 6 }),
  text: fc.oneof(fc.constantFrom(...ALPHABET), fc.constantFrom('/*', '*/', '//', 'gate', 'cx', 'theta[', '1e', '->', '**')),
});

function mutate(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  if (m.kind === 'delete') return text.slice(0, at) + text.slice(at + m.length);
  if (m.kind === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  return text.slice(0, at) + m.text + text.slice(at + m.length);
}

describe('OpenQASM fast path', () => {
  // The lower bounds on statements taken and programs accepted only check that the properties
  // exercise the fast path and successful parses, not only refusals and errors.
  it('random programs give deep-equal circuits or the same error on both paths', () => {
    let taken = 0;
    const accepted0 = accepted;
    fc.assert(
      fc.property(programs, (text) => {
        taken += agree(text);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    expect(taken).toBeGreaterThan(1000);
    expect(accepted - accepted0).toBeGreaterThan(150);
  });

  it('corrupted programs give the same error (message and file:line:column) on both paths', () => {
    let taken = 0;
    fc.assert(
      fc.property(programs, fc.array(mutation, { minLength: 1, maxLength: 3 }), (text, ms) => {
        taken += agree(ms.reduce(mutate, text));
      }),
      { seed: SEED + 1, numRuns: 1500 },
    );
    expect(taken).toBeGreaterThan(300);
  });

  it('the gate limit fails at the same call on both paths', () => {
    fc.assert(
      fc.property(programs, fc.integer({ min: 0, max: 12 }), (text, maxGates) => {
        agree(text, maxGates);
      }),
      { seed: SEED + 2, numRuns: 300 },
    );
  });

  it('examples and edge cases agree', () => {
    for (const name of ['efficient_su2_qiskit.qasm', 'efficient_su2_bound_qasm2.qasm']) {
      expect(agree(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'))).toBeGreaterThan(0);
    }
    const cases = [
      'h q[0]; measure q[0] -> c[0]; h q[0];', 'h q; measure q[1] -> c[1]; h q;', 'cx q, r;', 'cx q[0], q;', 'cx r, r;', 'h s;', 'h s[0];',
      'rz(theta[5]) q[0];', 'rz(theta[6]) q[0];', 'rz(theta) q[0];', 'rz(a[0]) q[0];', 'rz(k*a) q[0];', 'rz(n) q[0];', 'rz(a*a) q[0];',
      'rz(a/0) q[0];', 'rz(1/a) q[0];', 'rz(-0) q[0];', 'rz(1e308*10) q[0];', 'rz(2**3) q[0];', 'rz(2^3) q[0];', 'rz(5%2) q[0];',
      'rz(sin(1)) q[0];', 'rz(_θ_0_) q[0];', 'rz(π/2) q[0];', 'rz(1.) q[0];', 'rz(.5e1) q[0];', 'rz(1.e2) q[0];', 'h q[0]', 'h q[0],;',
      'h q[0] q[1];', 'h;', 'h q[4];', 'rz q[0];', 'rz() q[0];', 'h() q[0];', 'U(1,2,3) q[0];', 'CX q[0],q[1];', 'cx q[0], q[0];',
      'gate h a { x a; } h q[0];', 'h q[0]; gate h a { x a; } h q[0];', 'h $0;', 'h q[0]; // nearclifford:param a\n h q[1];',
      'h q[0]; /* open', 'h q[0] /* c */ ;', 'h q[0]; #pragma x\nh q[1];', 'h\u00a0q[0];', 'h q[0];\u00a0', 'h q[ 0 ] ;', 'rz(a) q[0]; input float[64] z;',
      'h q[0]; qubit[2] z; h z[1];', 'hq[0];', 'h q [0];', 'rz(- -a) q[0];', 'rz(a--a) q[0];', 'rz(a++a) q[0];', 'rz(a -> b) q[0];',
      `rz(${'('.repeat(40)}a${')'.repeat(40)}) q[0];`, `rz(${'-'.repeat(40)}a) q[0];`, `rz(${Array(70).fill('a').join('+')}) q[0];`,
    ];
    for (const body of cases) {
      agree(headers.v3 + body);
      agree(headers.v2 + body);
      agree(headers.bare + body);
    }
    for (const inc of Object.keys(INCLUDES)) {
      agree(`${headers.v3}h q[3];\ninclude "${inc}";\nh q[3];\n`);
      agree(`${headers.v2}include "${inc}";\n`);
    }
    // The parser reads an included file's first token to look for its version line, so that
    // file's first statement is parsed; the other two take the fast path.
    expect(agree(`${headers.v3}include "flat.inc";\n`)).toBe(2);
    for (const body of ['h $0; cx $1, $3;', 'h $0; qubit[2] q;', 'h $0; h q[0];', 'cx $0, $0;', 'h $70;', 'sx $3; rz(a) $2;']) agree(headers.physical + body);
    // Taken by the fast path: the common shapes, with blanks and comments between tokens.
    expect(agree(`${headers.v3}h q[0]; cx q[0], r[1];\n\trz(2*theta[1] - pi/4) q[3]; // c\nU(a, 0, -pi/2) /* c */ s;\n`)).toBe(4);
    expect(agree(`${headers.v3}h q; cx q[1], r;\n`)).toBe(2);
    expect(agree(`${headers.physical}rz(a) $2; cx $0, $4;`)).toBe(2);
  });
});
