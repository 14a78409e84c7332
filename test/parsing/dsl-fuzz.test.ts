import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/ir/errors.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';

/**
 * Fuzzing the DSL front end: random text, random token soups and mutated valid programs must
 * either parse or throw a UserError whose message starts with `file:line:column:` — never a
 * TypeError, a stack overflow, an "internal error" (an ambiguous parse) or a hang. Small expansion
 * limits keep mutated loop bounds from turning into long runs.
 */

const SEED = Number(process.env.FC_SEED ?? 424242);
const FILE = 'fuzz.ncl';
const LIMITS = { maxGates: 20_000, maxLoopIterations: 20_000 };
const POSITIONED = /^fuzz\.ncl:\d+:\d+: \S/;

const examples = readdirSync(join(import.meta.dirname, '../../examples'))
  .filter((f) => f.endsWith('.ncl'))
  .map((f) => readFileSync(join(import.meta.dirname, '../../examples', f), 'utf8'));

const SEEDS = [
  ...examples,
  `qubits 5; param a, b[4];
h 0; cx 0 1; cx q[1] q[2]; rx(b[0]) 2; rzz(2*a - pi/4) 0 1;
rot(2*a - pi/4) X0 Y2 Z4; t 3; u3(a, 0, pi/2) 1;
for i in 0..4 { ry(b[i]) i; cx i (i+1)%5; }
for i in 0..3 { for j in i+1..4 { cz i j; } }
observable H = 0.5*Z0 Z1 - X3 + 0.25;`,
];

/** Runs the parser; fails the property on anything but a positioned UserError. */
function check(text: string): void {
  try {
    parseDsl(text, FILE, LIMITS);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    if (!POSITIONED.test(e.message)) throw new Error(`unpositioned message: ${e.message}`);
  }
}

const TOKENS = [
  'qubits', 'param', 'observable', 'for', 'in', 'rot', 'pi', 'h', 'cx', 'rx', 'rzz', 'u3', 'ccx', 't', 'q',
  'a', 'theta', 'i', 'j', 'X0', 'Y1', 'Z[i]', 'I', 'foo', '0', '1', '2', '7', '0.5', '1e-3', '.5', '1e999',
  '..', ';', ',', '(', ')', '[', ']', '{', '}', '=', '+', '-', '*', '/', '%', '//', '#', '/*', '*/', '\n', '@', 'θ',
];

const ALPHABET = [...'qubitsparmhcxyzrotfin0123456789XYZI ;,.()[]{}=+-*/%#\n\t_@$θ"'];

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace'; at: number; length: number; text: string }
  | { kind: 'duplicate'; at: number; length: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), fc.constantFrom(...ALPHABET)) }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 4 }),
    text: fc.oneof(fc.constantFrom(...TOKENS), fc.constantFrom(...ALPHABET)),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
);

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
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

describe('DSL fuzzing', () => {
  it('random character strings give a positioned UserError or a circuit', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 120 }), (chars) => check(chars.join(''))),
      { seed: SEED, numRuns: 1500 },
    );
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => check(s)), { seed: SEED + 1, numRuns: 1000 });
  });

  it('random token sequences give a positioned UserError or a circuit', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), fc.boolean(), (toks, header) =>
        check((header ? 'qubits 4; param a, theta[8];\n' : '') + toks.join(' ')),
      ),
      { seed: SEED + 2, numRuns: 1500 },
    );
  });

  it('mutated valid programs give a positioned UserError or a circuit', () => {
    for (const s of SEEDS) check(s); // the seeds themselves are valid
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (seed, ms) =>
        check(ms.reduce(mutate, seed)),
      ),
      { seed: SEED + 3, numRuns: 1500 },
    );
  });

  it('random bytes (decoded as UTF-8, invalid sequences included) give a positioned UserError or a circuit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), fc.boolean(), (bytes, header) =>
        check((header ? 'qubits 3;\n' : '') + Buffer.from(bytes).toString('utf8')),
      ),
      { seed: SEED + 4, numRuns: 800 },
    );
  });

  it('the stress shapes of issue 12 fail fast with positioned errors (shared caps with QASM)', () => {
    expect(() => parseDsl('qubits 2000000;\n', FILE)).toThrow(/^fuzz\.ncl:1:1: 2000000 qubits exceed the limit of 1048576/);
    expect(() => parseDsl('qubits 1;\nparam t[100000000];\n', FILE)).toThrow(/^fuzz\.ncl:2:7: 100000000 parameters exceed the limit of 4194304/);
    expect(() => parseDsl(`qubits 1;\nrx(${'('.repeat(401)}1${')'.repeat(401)}) 0;\n`, FILE)).toThrow(/^fuzz\.ncl:2:\d+: brackets and blocks are nested more than 400 deep/);
    const loops = `${'for i in 0..1 { '.repeat(401)}h 0;${' }'.repeat(401)}`;
    expect(() => parseDsl(`qubits 1;\n${loops}\n`, FILE)).toThrow(/^fuzz\.ncl:2:\d+: brackets and blocks are nested more than 400 deep/);
    // 400 deep is still fine.
    expect(parseDsl(`qubits 1;\nrx(${'('.repeat(399)}1${')'.repeat(399)}) 0;\n`, FILE).gates).toHaveLength(1);
    // A UTF-8 byte-order mark is accepted, as by the QASM importer.
    expect(parseDsl('\uFEFFqubits 1;\nh 0;\n', FILE).gates).toHaveLength(1);
    for (const shape of [
      `qubits 1;\n${'rx('.repeat(2000)}`, '\uFEFF\uFEFFqubits 1;', `qubits 4;\nfor i in 0..100000000 { h 0; }`,
      `qubits 1;\nparam ${Array.from({ length: 3000 }, (_, i) => `p${i}[1000]`).join(', ')};`,
    ]) check(shape);
  });

  it('every statement-level truncation of a valid program is positioned', () => {
    // Cutting a file anywhere exercises "unexpected end of input" from every parser state.
    const text = SEEDS[SEEDS.length - 1]!;
    for (let cut = 0; cut <= text.length; cut++) check(text.slice(0, cut));
  });
});
