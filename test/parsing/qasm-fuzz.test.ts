import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/ir/errors.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';

/**
 * The importer's contract under arbitrary input: it returns a circuit or throws a UserError whose
 * message starts with `fuzz.qasm:line:column:` pointing inside the text. Anything else (a
 * TypeError, a RangeError from deep recursion, an unpositioned message) fails the property.
 */

const SEED = Number(process.env.FC_SEED ?? 20240611);
const FILE = 'fuzz.qasm';

function importerContract(text: string): void {
  try {
    parseQasm(text, FILE, { onNotice: () => {}, maxGates: 50_000, maxQubits: 4096 });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const m = /^fuzz\.qasm:(\d+):(\d+): \S/.exec(e.message);
    if (!m) throw new Error(`unpositioned error message: ${e.message}`);
    const lines = text.split('\n');
    const line = Number(m[1]);
    const column = Number(m[2]);
    if (line < 1 || line > lines.length || column < 1 || column > lines[line - 1]!.length + 1) {
      throw new Error(`position ${line}:${column} is outside the input: ${e.message}`);
    }
  }
}

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');

const SEEDS: readonly string[] = [
  example('efficient_su2_qiskit.qasm'),
  example('efficient_su2_bound_qasm2.qasm'),
  `OPENQASM 2.0;
include "qelib1.inc";
gate g(a, b) p, r { u3(a, b/2, -pi) p; cx p, r; crz(a^2) r, p; barrier p; }
qreg q[3];
qreg s[3];
creg c[3];
h q;
cx q, s;
g(0.3, -1e-2) q[0], s[2];
ccx q[0], q[1], q[2];
measure q -> c;
`,
  `OPENQASM 3.0;
include "stdgates.inc";
// nearclifford:param theta[2] theta_
// nearclifford:observable H = 0.5*Z0 Z1 - X1
input float[64] theta_0;
input float[64] theta_1;
gate rzz(th) q0, q1 { cx q0, q1; rz(th) q1; cx q0, q1; }
qubit[3] q;
bit[3] c;
let pair = q[0:1] ++ q[2];
rzz(2*theta_0 - pi/4) q[0], q[2];
ctrl @ rx(theta_1) q[1], q[0];
inv @ pow(2) @ s pair[1];
negctrl(2) @ x q[0], q[1], q[-1];
h q[{0, 2}];
c = measure q;
`,
];

const VOCABULARY: readonly string[] = [
  'OPENQASM', '2.0', '3.0', '3', ';', 'include', '"qelib1.inc"', '"stdgates.inc"', 'qreg', 'creg', 'qubit', 'bit',
  'input', 'float', 'angle', '[64]', 'gate', 'opaque', 'measure', 'reset', 'barrier', 'if', 'for', 'let', 'ctrl',
  'negctrl', 'inv', 'pow', '@', 'gphase', 'U', 'CX', 'h', 'cx', 'rz', 'rzz', 'u3', 'ccx', 'q', 'r', 'c', 'a', 'θ',
  '$0', '$2', 'pi', 'π', 'sin', '(', ')', '[', ']', '{', '}', ',', ':', '->', '=', '+', '-', '*', '/', '^', '**',
  '++', '0', '1', '2', '-1', '0.5', '1e-3', '1e999', '100ns', '2im', '//', '/*', '*/', '\n', '#pragma x', '"',
  '// nearclifford:param a a', '// nearclifford:param t[2] t_', '// nearclifford:observable H = Z0', 'constructor',
  '__proto__', 'toString',
];

const QASM_CHARS = [...'abcdefghijklmnopqrstuvwxyzACGMOQSUX0123456789 \n\t;,()[]{}:+-*/^@$"\'=<>!.#_θπ'];

describe('OpenQASM importer fuzzing', () => {
  it('random character strings only ever give positioned user errors', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...QASM_CHARS), maxLength: 200 }), (s) => {
        importerContract(s);
        importerContract(`OPENQASM 3.0;\n${s}`);
        importerContract(`OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\n${s}`);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('arbitrary Unicode only ever gives positioned user errors', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (s) => importerContract(`OPENQASM 3;\nqubit[2] q;\n${s}`)),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('token soup only ever gives positioned user errors', () => {
    const tokens = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 60 });
    fc.assert(
      fc.property(tokens, fc.constantFrom(' ', '', '\n'), (ts, sep) => importerContract(ts.join(sep))),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('mutated valid programs only ever give positioned user errors', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...VOCABULARY) }),
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.constantFrom(...QASM_CHARS) }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 6 }), (seed, muts) => {
        let text = seed;
        for (const m of muts) {
          const at = m.at % (text.length + 1);
          if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.length);
          else if (m.kind === 'insert') text = `${text.slice(0, at)} ${m.text} ${text.slice(at)}`;
          else if (m.kind === 'replace') text = text.slice(0, at) + m.text + text.slice(at + 1);
          else text = text.slice(0, at) + text.slice(at, at + m.length) + text.slice(at);
        }
        importerContract(text);
      }),
      { seed: SEED, numRuns: 800 },
    );
  });

  it('pathological sizes and depths give positioned user errors, not stack overflows', () => {
    const q = 'OPENQASM 3;\nqubit[1] q;\n';
    importerContract(`${q}rz(${Array(100_000).fill('1').join('+')}) q[0];`);
    importerContract(`${q}rz(${'-'.repeat(100_000)}1) q[0];`);
    importerContract(`${q}rz(${Array(50_000).fill('2').join('**')}) q[0];`);
    importerContract(`${q}rz(${'('.repeat(20_000)}1${')'.repeat(20_000)}) q[0];`);
    const chain = Array.from({ length: 700 }, (_, i) => (i === 0 ? 'gate g0 a { h a; }' : `gate g${i} a { g${i - 1} a; }`)).join('\n');
    importerContract(`${q}${chain}\ng699 q[0];`);
    importerContract(`${q}${'inv @ '.repeat(10_000)}h q[0];`);
    importerContract('OPENQASM 3;\nqubit[4000] q;\nlet a = q;\nh a;\npow(100000) @ h a[0];');
  });

  it('random bytes (decoded as UTF-8, invalid sequences included) only ever give positioned user errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, header) =>
        importerContract((header ? 'OPENQASM 3;\n' : '') + Buffer.from(bytes).toString('utf8')),
      ),
      { seed: SEED + 7, numRuns: 500 },
    );
  });

  it('the stress shapes of issue 12 fail fast with positioned errors', () => {
    // Doubling towers of gate definitions: the expanded size is known before anything expands.
    for (const depth of [25, 30, 40, 60]) {
      const tower = ['gate g0 a { h a; }'];
      for (let i = 1; i <= depth; i++) tower.push(`gate g${i} a { g${i - 1} a; g${i - 1} a; }`);
      const t0 = performance.now();
      expect(() => parseQasm(`OPENQASM 2.0;\ninclude "qelib1.inc";\n${tower.join('\n')}\nqreg q[1];\ng${depth} q[0];\n`, FILE, { onNotice: () => {} }))
        .toThrow(new RegExp(`^fuzz\\.qasm:${depth + 5}:1: the circuit expands to more than 5000000 gates: gate 'g${depth}' expands to up to ${2 ** depth} `));
      // Refused without expanding (5M gates used to take seconds and gigabytes first).
      expect(performance.now() - t0).toBeLessThan(5000);
    }
    // The shared caps: qubits (2^20) and nesting (400), positioned.
    expect(() => parseQasm('OPENQASM 3;\nqubit[2000000] q;\n', FILE)).toThrow(/^fuzz\.qasm:2:1: 2000000 qubits exceed the limit of 1048576/);
    expect(() => parseQasm(`OPENQASM 3;\nqubit[1] q;\nrz(${'('.repeat(401)}1${')'.repeat(401)}) q[0];`, FILE)).toThrow(/^fuzz\.qasm:3:\d+: expression is nested too deeply \(more than 400 levels\)/);
    const chain = Array.from({ length: 450 }, (_, i) => (i === 0 ? 'gate g0 a { h a; }' : `gate g${i} a { g${i - 1} a; }`)).join('\n');
    expect(() => parseQasm(`OPENQASM 3;\nqubit[1] q;\n${chain}\ng449 q[0];`, FILE)).toThrow(/nested more than 400 deep/);
    // A BOM is accepted, as by the DSL.
    expect(parseQasm('\uFEFFOPENQASM 3;\nqubit[1] q;\nh q[0];\n', FILE).gates).toHaveLength(1);
  });

  it('the seeds themselves import', () => {
    for (const s of SEEDS) parseQasm(s, FILE, { onNotice: () => {} });
  });
});
