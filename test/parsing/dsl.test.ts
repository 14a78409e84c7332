import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { constantExpr, parameterExpr } from '../../src/ir/affine.js';
import { CircuitAssembler } from '../../src/ir/circuit.js';
import { ResourceLimitError, UserError } from '../../src/ir/errors.js';
import { cliffordGate, GATE_LIBRARY, rotationGate } from '../../src/ir/gate-library.js';
import type { AffineExpr, Circuit, Gate } from '../../src/ir/types.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { parseSyntax, parseSyntaxUncached, parseWholeProgram } from '../../src/parsing/dsl/syntax.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');
const exampleFiles = readdirSync(EXAMPLES).filter((f) => f.endsWith('.ncl'));

/** Gates without their source locations, for comparison with hand-built gate lists. */
function bare(c: Circuit): Gate[] {
  return c.gates.map((g) => {
    const { source: _source, ...rest } = g;
    return rest as Gate;
  });
}

/** The UserError thrown by parseDsl, or a test failure. */
function errorOf(text: string, options = {}): UserError {
  try {
    parseDsl(text, 'f.ncl', options);
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error(`expected an error for: ${text}`);
}

const PI = Math.PI;
const p = (i: number, c = 1) => parameterExpr(i, c);
const affine = (constant: number, ...terms: [number, number][]): AffineExpr => ({
  constant,
  terms: terms.map(([param, coeff]) => ({ param, coeff })),
});

describe('parseDsl: accepted programs', () => {
  it('lowers a small program to the gates written out by hand', () => {
    const c = parseDsl(
      `// header
      qubits 3;
      param a;          # scalar
      param theta[4];   /* vector */
      h 0; cx 0 1; cx q[1] q[2];
      rx(theta[0]) 2;
      rzz(2*a - pi/4) 0 1;
      rot(2*a - pi/4) X0 Y2;
      t 1;
      `,
      'small.ncl',
    );
    expect(c.numQubits).toBe(3);
    expect(c.parameters).toEqual([
      { name: 'a', length: null, offset: 0 },
      { name: 'theta', length: 4, offset: 1 },
    ]);
    expect(c.numParameters).toBe(5);
    const angle = affine(-PI / 4, [0, 2]);
    expect(bare(c)).toEqual([
      cliffordGate('h', [0]),
      cliffordGate('cx', [0, 1]),
      cliffordGate('cx', [1, 2]),
      rotationGate('X', [2], p(1)),
      rotationGate('ZZ', [0, 1], angle),
      { kind: 'rotation', pauli: { qubits: [0, 2], letters: ['X', 'Y'] }, angle },
      rotationGate('Z', [1], constantExpr(PI / 4)),
    ]);
    expect(c.gates[4]!.source).toEqual({ file: 'small.ncl', line: 7, column: 7 });
  });

  it('accepts every gate of GATE_LIBRARY and lowers it exactly as the library does', () => {
    for (const def of GATE_LIBRARY.values()) {
      const n = def.numQubits + 2;
      // Qubits in decreasing order, to check that operand order is kept (control first).
      const qubits = Array.from({ length: def.numQubits }, (_, i) => n - 1 - 2 * i).map((q) => Math.max(q, 0));
      const distinct = [...new Set(qubits)].length === qubits.length ? qubits : [...Array(def.numQubits).keys()].reverse();
      const angleText = Array.from({ length: def.numAngles }, (_, k) => `phi[${k}]`).join(', ');
      const head = def.numAngles > 0 ? `${def.name}(${angleText})` : def.name;
      const src = `qubits ${n};\nparam phi[4];\n${head} ${distinct.join(' ')};\n`;
      const c = parseDsl(src);
      const expected = def.lower(distinct, Array.from({ length: def.numAngles }, (_, k) => p(k)));
      expect(bare(c), def.name).toEqual(expected);
      // With numeric angles too, including the q[i] operand form.
      const nums = [0.25, -1.5, 3, 1e-3];
      const numHead = def.numAngles > 0 ? `${def.name}(${nums.slice(0, def.numAngles).join(', ')})` : def.name;
      const c2 = parseDsl(`qubits ${n};\n${numHead} ${distinct.map((q) => `q[${q}]`).join(' ')};`);
      expect(bare(c2), def.name).toEqual(def.lower(distinct, nums.slice(0, def.numAngles).map((x) => constantExpr(x))));
    }
  });

  it('expands half-open loops, nesting and index arithmetic', () => {
    const c = parseDsl(`
      qubits 5;
      param theta[10];
      for i in 0..4 { ry(theta[2*i + 1]) i; cx i i+1; }
      for i in 0..3 { for j in i+1..3 { cz i j; } }
      for i in 3..3 { h 0; }          // empty
      for i in 2..0 { h 0; }          // empty (upper bound below lower)
      for i in 0..5 { cx i (i+1)%5; }
      for i in 0..2 { x q[4 - i*2]; y 8/4*i; }
      for k in -2..0 { z k + 2; }
    `);
    const expected: Gate[] = [];
    for (let i = 0; i < 4; i++) expected.push(rotationGate('Y', [i], p(2 * i + 1)), cliffordGate('cx', [i, i + 1]));
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) expected.push(cliffordGate('cz', [i, j]));
    for (let i = 0; i < 5; i++) expected.push(cliffordGate('cx', [i, (i + 1) % 5]));
    for (let i = 0; i < 2; i++) expected.push(cliffordGate('x', [4 - i * 2]), cliffordGate('y', [2 * i]));
    for (let k = -2; k < 0; k++) expected.push(cliffordGate('z', [k + 2]));
    expect(bare(c)).toEqual(expected);
  });

  it('uses loop variables as numbers in angles', () => {
    const c = parseDsl('qubits 4; param a; for i in 0..4 { rz(i*pi/2 + a) i; rx(-i) i; }');
    const expected: Gate[] = [];
    for (let i = 0; i < 4; i++) {
      expected.push(rotationGate('Z', [i], affine((i * PI) / 2, [0, 1])), rotationGate('X', [i], constantExpr(-i + 0)));
    }
    expect(bare(c)).toEqual(expected);
  });

  it('evaluates affine angle expressions', () => {
    const cases: [string, AffineExpr][] = [
      ['2*a - pi/4', affine(-PI / 4, [0, 2])],
      ['a/4', affine(0, [0, 0.25])],
      ['a/3', affine(0, [0, 1 / 3])],
      ['(a + b[1])*3 - a', affine(0, [0, 2], [2, 3])],
      ['a - a', affine(0)],
      ['-(a - 1)', affine(1, [0, -1])],
      ['(a - a)*b[0]', affine(0)],
      ['2*(3*a)/6 + 0.5', affine(0.5, [0, 1])],
      ['1e-3 + .5 + 2.5E+1', affine(1e-3 + 0.5 + 25)],
      ['-+-a', affine(0, [0, 1])],
      ['7 % 4 * a', affine(0, [0, 3])],
      ['b[2 - 1] - b[0]*2', affine(0, [1, -2], [2, 1])],
    ];
    for (const [text, expected] of cases) {
      const c = parseDsl(`qubits 1; param a, b[3]; rx(${text}) 0;`);
      const g = c.gates[0]!;
      expect(g.kind === 'rotation' && g.angle, text).toEqual(expected);
    }
  });

  it('parses observables as Pauli sums, like parseObservableText', () => {
    const c = parseDsl(`
      qubits 4;
      observable H = 0.5*Z0 Z1 - X3 + 0.25;
      observable G = -2 Y2*X1 + Z[3] + 1e-2 * I - Z3 + (1/4)*X0;
      observable Zero = 0;
      observable cx = I;
    `);
    expect(c.observables.map((o) => o.name)).toEqual(['H', 'G', 'Zero', 'cx']);
    expect(c.observables[0]).toEqual(parseObservableText('0.5*Z0 Z1 - X3 + 0.25', { name: 'H', numQubits: 4 }));
    expect(c.observables[1]).toEqual(
      parseObservableText('-2 Y2 X1 + Z3 + 0.01 - Z3 + 0.25*X0', { name: 'G', numQubits: 4 }),
    );
    expect(c.observables[2]!.terms).toEqual([]);
    expect(c.observables[3]!.terms).toEqual([{ coeff: 1, pauli: { qubits: [], letters: [] } }]);
  });

  it('allows gate names as parameter names and general rotations inside loops', () => {
    const c = parseDsl('qubits 3; param t, h[2]; for i in 0..2 { rot(t + h[i]) X[i] Z[i+1]; }');
    expect(bare(c)).toEqual([
      { kind: 'rotation', pauli: { qubits: [0, 1], letters: ['X', 'Z'] }, angle: affine(0, [0, 1], [1, 1]) },
      { kind: 'rotation', pauli: { qubits: [1, 2], letters: ['X', 'Z'] }, angle: affine(0, [0, 1], [2, 1]) },
    ]);
  });

  it('builds the same circuit as CircuitAssembler for a hand-built ansatz (examples/mhea-4.ncl)', () => {
    const c = parseDsl(readFileSync(join(EXAMPLES, 'mhea-4.ncl'), 'utf8'));
    // REFERENCE §4: L × [ry layer, rz layer, circular CX] + final [ry, rz]; next parameter each.
    const b = new CircuitAssembler();
    const N = 4;
    b.setQubits(N);
    b.declareParameter('theta', 2 * N * 2);
    let k = 0;
    const rotationLayer = () => {
      for (const letter of ['Y', 'Z']) for (let q = 0; q < N; q++) b.addGates([rotationGate(letter, [q], p(k++))]);
    };
    rotationLayer();
    b.addGates([cliffordGate('cx', [N - 1, 0])]);
    for (let q = 0; q < N - 1; q++) b.addGates([cliffordGate('cx', [q, q + 1])]);
    rotationLayer();
    const expected = b.build();
    expect(bare(c)).toEqual(expected.gates);
    expect(c.parameters).toEqual(expected.parameters);
    expect(c.observables.map((o) => o.name)).toEqual(['global_z', 'heisenberg']);
  });

  it('parses every example file', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(3);
    for (const f of exampleFiles) {
      const c = parseDsl(readFileSync(join(EXAMPLES, f), 'utf8'), f);
      expect(c.gates.length, f).toBeGreaterThan(0);
      expect(c.observables.length, f).toBeGreaterThan(0);
    }
  });
});

describe('grammar: one parse, statement splitting and parse reuse are faithful', () => {
  const programs = [
    ...exampleFiles.map((f) => readFileSync(join(EXAMPLES, f), 'utf8')),
    'qubits 2; h 0; h (0); h() 0; cx 0 -1; cx i (i)+1; rx(a) 0 1 2 (3)*2 q[4];',
    'qubits 3; for i in 0..2 { for j in i..3 { rot(-a) X[i] Z[j]; } } observable O = -X0*Y1 + 2 - (3)Z1;',
    'qubits 1; param a, b[2], rz; u3(a, -b[0], rz/2) 0; rx(1) 0;',
    '',
  ];

  it('typical files have exactly one parse, equal to the statement-by-statement parse', () => {
    for (const text of programs) {
      const whole = parseWholeProgram(text, 'f');
      expect(whole.parses, text).toBe(1);
      expect(parseSyntaxUncached(text, 'f'), text).toEqual(whole.stmts);
      // Twice through the cached path: the second time every statement comes from a template.
      expect(parseSyntax(text, 'f'), text).toEqual(whole.stmts);
      expect(parseSyntax(text, 'f'), text).toEqual(whole.stmts);
    }
  });

  it('reports the same syntax errors as the whole-file parse', () => {
    const bad = [
      'qubits 2; h 0\ncx 0 1;',
      'qubits 2; for i in 0..2 { h i; ',
      'qubits 2; for i in 0..2 { h i; }}',
      'qubits 2; }',
      'qubits 2; rx(1 0;',
      'qubits 2; h 0; rx(;',
      'qubits 2; h 0 } h 1;',
      'qubits 2; observable = X0;',
      'qubits 2; for i in 0..2 h 0;',
      'qubits',
      'qubits 2; h @ 0;',
      'qubits 2; h 0; /* unterminated',
    ];
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    for (const text of bad) {
      const whole = message(() => parseWholeProgram(text, 'f'));
      expect(whole, text).toMatch(/^f:\d+:\d+: /);
      expect(message(() => parseSyntax(text, 'f')), text).toBe(whole);
    }
  });
});

describe('parseDsl: rejected programs, with positions', () => {
  // [source, line, column, message fragment]
  const cases: [string, number, number, string][] = [
    // syntax
    ['qubits 2;\nh 0\ncx 0 1;', 3, 1, "expected ';' after gate"],
    ['qubits 2;\nh 0', 2, 4, "unexpected end of input, expected ';' after gate"],
    ['qubits 2; rx(0.5 0;', 1, 18, "expected ')'"],
    ['qubits 2;\n  h 0 @;', 2, 7, 'unexpected character "@"'],
    ['qubits 2;\nh 0; /* never closed\n h 1;', 2, 6, 'unterminated block comment'],
    ['qubits 2; for i 0..2 { h i; }', 1, 17, "expected 'in'"],
    ['qubits 2; for i in 0..2 h 0;', 1, 25, "expected '{'"],
    ['qubits 2; for x in 0..2 { }', 1, 15, 'expected a loop variable name'],
    ['qubits 2; }', 1, 11, 'expected a statement'],
    ['qubits 2; for i in 0..2 { param a; }', 1, 27, 'expected'],
    ['qubits 2; rot(1) ;', 1, 18, 'expected a Pauli factor'],
    ['qubits 2; observable H = ;', 1, 26, 'expected'],
    ['qubits 2; observable H = X0 +;', 1, 30, 'expected'],
    ['qubits 2; h 0;;', 1, 15, 'expected a statement'],
    ['qubits 2; h 0. ;', 1, 14, 'unexpected character "."'],
    // names and gates
    ['qubits 2;\n  foo 0;', 2, 3, "unknown gate 'foo'"],
    ['qubits 2; param a; rx(b) 0;', 1, 23, "unknown parameter 'b'"],
    ['qubits 2; rx(theta[0]) 0;', 1, 14, "unknown parameter 'theta'"],
    ['qubits 2; param a[3]; rx(a) 0;', 1, 26, "parameter 'a' is a vector of 3"],
    ['qubits 2; param a; rx(a[0]) 0;', 1, 23, "parameter 'a' is a scalar"],
    ['qubits 2; param a[3];\nrx(a[3]) 0;', 2, 4, 'index 3 is out of range for a[3]'],
    ['qubits 2; param a; param a;', 1, 26, "parameter 'a' is declared twice"],
    ['qubits 2; param a[0];', 1, 17, 'positive integer length'],
    ['qubits 2; rx 0;', 1, 11, "gate 'rx' takes 1 angle: write rx(…)"],
    ['qubits 2; u3(1, 2) 0;', 1, 11, "gate 'u3' takes 3 angles, got 2"],
    ['qubits 2; h(1) 0;', 1, 11, "gate 'h' takes 0 angles, got 1"],
    ['qubits 2; cx 0;', 1, 11, "gate 'cx' takes 2 qubits, got 1"],
    ['qubits 2; cx 1 1;', 1, 11, 'same qubit twice'],
    // qubits
    ['qubits 4;\nh 7;', 2, 3, 'qubit 7 is out of range for 4 qubits'],
    ['qubits 4; cx 0 q[2+2];', 1, 16, 'qubit 4 is out of range for 4 qubits'],
    ['qubits 4; h 0.5;', 1, 13, 'a qubit index must be an integer'],
    ['qubits 4; h -1 + 0;', 1, 13, "expected ';' after gate, '(' or a qubit operand, found '-'"],
    ['qubits 4; cx 0 0-1;', 1, 16, 'qubit -1 is out of range'],
    ['qubits 4; param a; h a;', 1, 22, "parameter 'a' cannot be used in a qubit index"],
    ['qubits 4; h i;', 1, 13, "unknown name 'i' in a qubit index"],
    ['qubits 4; h w[0];', 1, 13, "'w[…]' is not a qubit"],
    ['qubits 4; h r[0];', 1, 13, "expected ';' after gate, '(' or a qubit operand, found 'r'"],
    ['h 0; qubits 2;', 1, 1, 'declare the qubits first'],
    ['qubits 2; qubits 3;', 1, 11, 'qubits are declared twice'],
    ['qubits 0;', 1, 1, 'positive integer'],
    ['qubits 1e400;', 1, 8, 'number 1e400 is too large'],
    ['param a;', 1, 1, 'declares no qubits'],
    ['', 1, 1, 'declares no qubits'],
    // angles
    ['qubits 2; param a, b;\nrx(a*b) 0;', 2, 4, 'angle is not affine in the parameters: a*b'],
    ['qubits 2; param a, b; rx(1 + (a+1)*(b-1)) 0;', 1, 31, 'not affine in the parameters: (a+1)*(b-1)'],
    ['qubits 2; param a, b; rx(1/a) 0;', 1, 26, 'not affine in the parameters: 1/a divides by a parameter expression'],
    ['qubits 2; param a; rx(a/(1-1)) 0;', 1, 23, 'division by zero'],
    ['qubits 2; param a; rx(a % 2) 0;', 1, 23, "'%' needs operands that do not depend on parameters"],
    ['qubits 2; param a; rx(1e308*10) 0;', 1, 23, 'is not finite'],
    ['qubits 2; param a[2]; rx(a[0.5]) 0;', 1, 28, "the index of 'a' must be an integer"],
    ['qubits 2; param a[2]; for i in 0..1 { rx(i[0]) 0; }', 1, 42, "loop variable 'i' cannot be indexed"],
    // loops
    ['qubits 2; for i in 0..2 { for i in 0..2 { h i; } }', 1, 31, "loop variable 'i' is already in use"],
    ['qubits 2; param a; for a in 0..2 { h 0; }', 1, 24, "would hide parameter 'a'"],
    ['qubits 2; for i in 0..1.5 { h 0; }', 1, 23, 'a loop bound must be an integer'],
    ['qubits 2; param a; for i in 0..a { h 0; }', 1, 32, "parameter 'a' cannot be used in a loop bound"],
    ['qubits 2; for i in 0..3 { h i; }', 1, 29, 'qubit 2 is out of range for 2 qubits'],
    ['qubits 2; h 1 % 0;', 1, 13, 'modulo by zero'],
    // rot and observables
    ['qubits 3; rot(1) X0 Y0;', 1, 11, 'qubit 0 appears twice'],
    ['qubits 3; rot(1) I0 I;', 1, 11, 'non-identity Pauli string'],
    ['qubits 3; rot(1) W0;', 1, 18, "expected a Pauli factor such as X0 or Z[i], found 'W0'"],
    ['qubits 3; rot(1) XY[0];', 1, 18, "expected a Pauli letter I, X, Y or Z before '['"],
    ['qubits 3; rot(1) X5;', 1, 18, 'qubit 5 is out of range for 3 qubits'],
    ['qubits 3; observable H = X0 + Z9;', 1, 31, 'qubit 9 is out of range for 3 qubits'],
    ['qubits 3; observable H = X0 Z0;', 1, 26, 'qubit 0 appears twice'],
    ['qubits 3; param a; observable H = a*X0;', 1, 35, 'expected'],
    ['qubits 3; param a; observable H = (a)*X0;', 1, 36, "parameter 'a' cannot be used in an observable coefficient"],
    ['qubits 3; observable H = X0; observable H = Z1;', 1, 41, "observable 'H' is declared twice"],
    ['qubits 3; observable H = X[i];', 1, 28, "unknown name 'i'"],
  ];

  it.each(cases)('%j → %i:%i %s', (src, line, col, fragment) => {
    const e = errorOf(src);
    expect(e.message).toContain(fragment);
    expect(e.message.startsWith(`f.ncl:${line}:${col}: `), e.message).toBe(true);
    expect(e.location).toEqual({ file: 'f.ncl', line, column: col });
  });

  it('stops runaway expansion with a positioned ResourceLimitError before building it', () => {
    const g = errorOf('qubits 2;\nfor i in 0..1000 { h 0; h 1; }', { maxGates: 999 });
    expect(g).toBeInstanceOf(ResourceLimitError);
    expect(g.message).toMatch(/^f\.ncl:2:25: the circuit exceeds the limit of 999 gates/);
    const l = errorOf('qubits 2; for i in 0..1000000000 { }');
    expect(l).toBeInstanceOf(ResourceLimitError);
    expect(l.message).toMatch(/^f\.ncl:1:11: loops exceed the limit of 50000000 iterations/);
    const nested = errorOf('qubits 2; for i in 0..100 {\n  for j in 0..100 { } }', { maxLoopIterations: 1000 });
    expect(nested.message).toMatch(/^f\.ncl:2:3: loops exceed the limit of 1000 iterations/);
  });

  it('turns absurd nesting into a positioned error instead of a stack overflow', () => {
    let src = 'qubits 1;\n';
    for (let i = 0; i < 6000; i++) src += `for v${i} in 0..1 {`;
    src += '}'.repeat(6000);
    const e = errorOf(src);
    // The shared nesting cap (ir/limits.ts) stops it at the 401st block, before any recursion.
    expect(e.message).toMatch(/^f\.ncl:2:\d+: brackets and blocks are nested more than 400 deep/);
  });
});
