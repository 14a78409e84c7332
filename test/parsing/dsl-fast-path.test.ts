import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/ir/errors.js';
import { GATE_LIBRARY } from '../../src/ir/gate-library.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { dslFastPathStats } from '../../src/parsing/dsl/fast-path.js';

/**
 * The DSL fast path (src/parsing/dsl/fast-path.ts) against the grammar path: random programs
 * mixing flat statements with loops, declarations, observables and comments, and random
 * corruptions of them, must give deep-equal circuits or the same error (class, message with
 * file:line:column) with the fast path on and off. Each property also checks that the fast path
 * did take statements, so it cannot pass by never running.
 */

const SEED = Number(process.env.FC_SEED ?? 7_310_2026);
const FILE = 'p.ncl';
const N = 5;
const THETA = 6;

type Outcome = { circuit: unknown } | { error: string; name: string };

function outcome(text: string, fastPath: boolean, maxGates = 400): Outcome {
  try {
    return { circuit: parseDsl(text, FILE, { fastPath, maxGates, maxLoopIterations: 2_000 }) };
  } catch (e) {
    if (e instanceof UserError) return { error: e.message, name: e.name };
    throw e;
  }
}

/** Programs both paths accepted (the properties check that many did, not only errors). */
let accepted = 0;

/** Both paths agree on `text`; returns how many statements the fast path took. */
function agree(text: string, maxGates?: number): number {
  const before = dslFastPathStats.statements;
  const fast = outcome(text, true, maxGates);
  const taken = dslFastPathStats.statements - before;
  const slow = outcome(text, false, maxGates);
  expect(dslFastPathStats.statements - before - taken, 'the grammar path used the fast path').toBe(0);
  expect(fast, text).toStrictEqual(slow);
  if ('circuit' in slow) accepted++;
  return taken;
}

// ---- random programs

const blank = fc.constantFrom('', ' ', ' ', ' ', '  ', '\t', '\n', '\r\n', ' /* c */ ', '/*\n*/', ' // c\n', '# c\n', '\f', '\u00a0');
const sep = fc.constantFrom(' ', ' ', ' ', '\t', '  ');

const numberText = fc.oneof(
  fc.nat(12).map(String),
  fc.tuple(fc.nat(99), fc.nat(999)).map(([a, b]) => `${a}.${b}`),
  fc.nat(999).map((b) => `.${b}`),
  fc.tuple(fc.nat(20), fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.nat(30)).map((p) => p.join('')),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map(String),
  fc.constantFrom('0', '00', '007', '1e999', '1e-400', '0.1', '12345678901234567890', '3.14159265358979323846', '9007199254740993', '1.', '2e', '0x1'),
);

const atom = fc.oneof(
  { weight: 4, arbitrary: numberText },
  { weight: 2, arbitrary: fc.constant('pi') },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', 't', 'θ', 'théta', 'c', 'theta', 'a[0]', 'for', 'q') },
  { weight: 4, arbitrary: fc.tuple(sep, fc.integer({ min: 0, max: THETA + 1 }), fc.constantFrom('', ' ', '.0', '+0', '*1')).map(([s, i, x]) => `theta${s}[${i}${x}]`) },
);

const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(fc.constantFrom('-', '+', '- ', '--'), tie('e')).map(([s, e]) => s + e),
    tie('e').map((e) => `(${e})`),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', ' + ', ' - ', ' * ', ' / '), tie('e')).map(([a, op, b]) => a + op + b),
  ),
})).e;

const GATE_NAMES = [...GATE_LIBRARY.keys()];
const COMMON = ['h', 'x', 'cx', 'cz', 'rx', 'ry', 'rz', 'rzz', 'rxx', 'u3', 't', 'swap', 'ccx', 'gphase', 'id', 'u2', 'cu'];

const operand = fc.oneof(
  { weight: 6, arbitrary: fc.nat(N).map(String) },
  { weight: 3, arbitrary: fc.tuple(fc.nat(N), blank).map(([i, s]) => `q${s}[${s}${i}${s}]`) },
  { weight: 1, arbitrary: fc.constantFrom('1.0', '1e0', '-1', '(1)', 'i', 'q[1+1]', 'p[0]', 'x', '2q[0]', `${N + 3}`, '0.5') },
);

const gateStatement = fc
  .tuple(
    fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...COMMON) }, { weight: 2, arbitrary: fc.constantFrom(...GATE_NAMES) }, { weight: 1, arbitrary: fc.constantFrom('foo', 'depolarize', 'rot', 'X0') }),
    fc.option(fc.array(expr, { maxLength: 4 }), { freq: 2 }),
    fc.array(operand, { maxLength: 4 }),
    blank,
    fc.boolean(),
  )
  .map(([name, angles, ops, s, exact]) => {
    const def = GATE_LIBRARY.get(name);
    // Mostly the right number of angles and operands, so most statements are valid.
    let args = angles;
    let operands = ops;
    if (exact && def) {
      args = def.numAngles === 0 ? null : Array.from({ length: def.numAngles }, (_, i) => angles?.[i] ?? String(i));
      operands = Array.from({ length: def.numQubits }, (_, i) => ops[i] ?? String(i));
    }
    const list = args === null ? '' : `(${args.join(`,${s}`)})`;
    return `${name}${list}${operands.length ? ' ' : ''}${operands.join(' ')}${s};`;
  });

/** Statements that are valid (mostly): the shapes the fast path exists for. */
const validNumber = fc.oneof(fc.nat(9).map(String), fc.double({ min: 0, max: 100, noNaN: true }).map(String), fc.constantFrom('0.5', '.25', '1e-3', '2.5E+1'));
const validAtom = fc.oneof(validNumber, fc.constantFrom('pi', 'a', 'b', 't', 'θ', 'théta'), fc.nat(THETA - 1).map((i) => `theta[${i}]`));
const validTerm = fc
  .tuple(fc.option(validNumber), validAtom, fc.option(fc.integer({ min: 1, max: 9 })), fc.constantFrom('', '-', '+'))
  .map(([k, x, d, sign]) => `${sign}${k === null ? '' : `${k}*`}${x}${d === null ? '' : `/${d}`}`);
const validExpr = fc
  .tuple(validTerm, fc.array(fc.tuple(fc.constantFrom(' + ', ' - ', '+', '-'), validTerm), { maxLength: 3 }))
  .map(([first, rest]) => first + rest.map(([op, t]) => op + t).join(''));
const validFlat = fc
  .tuple(fc.constantFrom(...COMMON, ...GATE_NAMES), fc.array(validExpr, { minLength: 4, maxLength: 4 }), fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 5, maxLength: 5 }), blank, fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }))
  .map(([name, angles, qs, s, indexed]) => {
    const def = GATE_LIBRARY.get(name)!;
    const list = def.numAngles === 0 ? '' : `(${angles.slice(0, def.numAngles).join(`,${s}`)})`;
    const ops = qs.slice(0, def.numQubits).map((q, i) => (indexed[i] ? `q[${q}]` : String(q)));
    return `${name}${list} ${ops.join(' ')}${s};`;
  });
const validRot = fc
  .tuple(validExpr, fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom('X', 'Y', 'Z'), { minLength: 4, maxLength: 4 }))
  .map(([e, qs, ls]) => `rot(${e}) ${qs.map((q, i) => `${ls[i]}${q}`).join(' ')};`);

const factor = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom('X', 'Y', 'Z'), fc.nat(N)).map(([l, q]) => `${l}${q}`) },
  { weight: 1, arbitrary: fc.constantFrom('I', 'I2', 'X[1]', 'Z007', 'W1', 'X1Y2', 'x1', `Z${N + 4}`) },
);

const rotStatement = fc
  .tuple(expr, fc.array(factor, { minLength: 0, maxLength: 4 }), blank)
  .map(([e, fs, s]) => `rot(${e})${s}${fs.join(' ')};`);

const loopStatement = fc
  .tuple(fc.nat(4), fc.constantFrom('h i;', 'rx(theta[i]) i;', 'cx i (i+1)%5;', 'rz(i*pi/2 + a) q[i];', 'rot(a) Z[i];'))
  .map(([n, body]) => `for i in 0..${n} { ${body} }`);

const otherStatement = fc.constantFrom(
  'param d;',
  'param e[2];',
  'param a;',
  'observable O = 0.5*Z0 Z1 - X3 + 0.25;',
  'observable P = sum i in 0..3 { Z[i] Z[i+1] };',
  'qubits 3;',
  'for i in 0..2 { for j in i+1..3 { cz i j; } }',
  '// comment only\n',
  '/* block\ncomment */',
  '',
);

const statement = fc.oneof(
  { weight: 12, arbitrary: validFlat },
  { weight: 4, arbitrary: validRot },
  { weight: 3, arbitrary: gateStatement },
  { weight: 1, arbitrary: rotStatement },
  { weight: 2, arbitrary: loopStatement },
  { weight: 2, arbitrary: otherStatement },
);

const header = fc.constantFrom(
  `qubits ${N + 1};\nparam a, b, t, θ, théta, theta[${THETA}];\n`,
  `qubits ${N + 1}; param a, b, t, θ, théta, theta[${THETA}];`,
  `\uFEFF// header\nqubits ${N + 1};\r\nparam a,b,t,θ,théta,theta[${THETA}];\r\n`,
  `param a, b, t, θ, théta, theta[${THETA}];\n`,
  '',
);

const program = fc
  .tuple(header, fc.array(fc.tuple(statement, blank), { maxLength: 20 }))
  .map(([h, stmts]) => h + stmts.map(([s, b]) => s + b).join(''));

// ---- corruptions

const ALPHABET = [...'qhcxrz0123456789 ;,.()[]{}=+-*/%#\n\t_@θ"eEpi'];
type Mutation = { kind: 'delete' | 'insert' | 'replace' | 'duplicate'; at: number; length: number; text: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate'),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 6 }),
  text: fc.oneof(fc.constantFrom(...ALPHABET), fc.constantFrom('/*', '*/', '//', 'for', 'cx', 'theta[', '1e', '..')),
});

function mutate(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + m.text + text.slice(at + m.length);
    case 'duplicate':
      return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
  }
}

describe('DSL fast path', () => {
  // The lower bounds on statements taken and programs accepted only check that the properties
  // exercise the fast path and successful parses, not only refusals and errors.
  it('random programs give deep-equal circuits or the same error on both paths', () => {
    let taken = 0;
    const accepted0 = accepted;
    fc.assert(
      fc.property(program, (text) => {
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
      fc.property(program, fc.array(mutation, { minLength: 1, maxLength: 3 }), (text, ms) => {
        taken += agree(ms.reduce(mutate, text));
      }),
      { seed: SEED + 1, numRuns: 1500 },
    );
    expect(taken).toBeGreaterThan(300);
  });

  it('the gate limit fails at the same statement on both paths', () => {
    fc.assert(
      fc.property(program, fc.integer({ min: 0, max: 12 }), (text, maxGates) => {
        agree(text, maxGates);
      }),
      { seed: SEED + 2, numRuns: 300 },
    );
  });

  it('examples and edge cases agree', () => {
    const dir = join(import.meta.dirname, '../../examples');
    let examples = 0;
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ncl'))) examples += agree(readFileSync(join(dir, f), 'utf8'));
    expect(examples).toBeGreaterThan(0);
    const head = 'qubits 4; param a, t, θ, theta[3];\n';
    const cases = [
      'h 0x;', 'cx 3q[0];', 'cx 0q[1];', 'rx(1e) 0;', 'rx(1e+) 0;', 'h 0 // c\n;', 'rx(a/*c*/*2) 0;', 'rx(a//c\n*2) 0;',
      'rot(a) X0Y1;', 'rot(a) X0 Y0;', 'rot(a) I;', 'rot(a);', 'h q [ 0 ] ;', 'h 1.0;', 'h 1e0;', 'h .5;', 'rx(-0) 0;', 'rz(0*a) 0;',
      'rz(a-a) 0;', 'rz(-a+a) 0;', 'rz(1e400) 0;', 'rz(1e308*10) 0;', 'rz(theta[1.5]) 0;', 'rz(theta[3]) 0;', 'rz(theta) 0;', 'rz(a[0]) 0;',
      'rz(t) 0;', 'rz(θ) 0;', 'rz(θ2) 0;', 'rz(a) 0 /* open', 'h 0; /*', 'h 0', 'h', 'h 0 0;', 'cx 0 0;', 'cx 1 4;', 'h() 0;', 'h(a) 0;',
      'rx 0;', 'rx() 0;', 'rx(a, a) 0;', 'u3(a,,a) 0;', 'rzz(a) 0 1 2;', 'gphase(a);', 'gphase(a) 0;', 'rx(a % 2) 0;', 'rx(4 % 0) 0;',
      'rx(a / 0) 0;', 'rx(a * a) 0;', 'rx(2 / a) 0;', 'rx((((((a)))))) 0;', `rx(${'('.repeat(40)}a${')'.repeat(40)}) 0;`,
      `rx(${'-'.repeat(40)}a) 0;`, 'rx(pi[0]) 0;', 'rx(for) 0;', 'h é;', 'hé 0;', 'h 0é;', 'h\u00a00;', 'h 0;\u00a0', 'x 0 ;;', ';',
      'depolarize(0.1) 0;', 'rot(a) X9;', 'rx(a) 9007199254740993;', 'rx(1e-400) 0;', 'rx(0.1e1) 0;', 'CX 0 1;', 'U(1,2,3) 0;',
      'for i in 0..2 { h i; } h 0;', 'h 0; for i in 0..2 { h i; }', 'param b; rx(b) 0;', 'rx(b) 0; param b;', 'h 0; qubits 4;',
    ];
    for (const c of cases) {
      agree(head + c);
      agree(c);
    }
    // Taken by the fast path: the common shapes, with blanks and comments anywhere.
    expect(agree(`${head}h 0; cx 0 1;\n\trx(2*theta[1] - pi/4) 3; rot(0.5*a) X0 Y2 Z3;\r\n/* x\n */ u3(a, 0, -pi/2) q[1]; // end\n`)).toBe(5);
    expect(agree(`${head}rz(θ) 0; rz(t/3) 1; rz(-(a)) 2; rz(.5e1) 3;`)).toBe(4);
  });
});
