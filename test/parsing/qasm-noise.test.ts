import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Circuit, Gate } from '../../src/ir/types.js';
import { makeChannel } from '../../src/noise/channels.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import { circuitToQasm3 } from '../../src/printing/qasm.js';
import { gateArb, parameterDeclsArb, uniformArb } from '../helpers/random-circuits.js';
import { bareGates, expectQasmError } from './qasm-test-utils.js';

/**
 * `#pragma nearclifford noise …` lines: what the OpenQASM 3 exporter writes for noise channels is
 * read back into the same channels, in circuit order; mistakes in them are positioned errors;
 * other pragmas are still ignored.
 */

const SEED = Number(process.env.FC_SEED ?? 1515);

/** Strengths with the edges (0, 1, tiny, many digits) as well as uniform values. */
const strengthArb = fc.oneof(fc.constantFrom(0, 1, 1e-3, 1e-17, 0.1 + 0.2), uniformArb(0, 1));

const channelArb = (n: number): fc.Arbitrary<Gate> => {
  const one = fc.nat({ max: n - 1 });
  const options: fc.Arbitrary<Gate>[] = [
    fc.tuple(fc.constantFrom('depolarize' as const, 'dephase' as const, 'amplitude_damp' as const), one, strengthArb)
      .map(([name, q, p]) => makeChannel(name, [q], [p])),
    fc.tuple(one, uniformArb(0, 1 / 3), uniformArb(0, 1 / 3), uniformArb(0, 1 / 3))
      .map(([q, px, py, pz]) => makeChannel('pauli_noise', [q], [px, py, pz])),
  ];
  if (n >= 2) {
    options.push(fc.tuple(fc.shuffledSubarray([...Array(n).keys()], { minLength: 2, maxLength: 2 }), strengthArb)
      .map(([qs, p]) => makeChannel('depolarize2', qs, [p])));
  }
  return fc.oneof(...options);
};

const noisyCircuitArb: fc.Arbitrary<Circuit> = fc.integer({ min: 1, max: 4 }).chain((n) =>
  parameterDeclsArb(['theta', 'a', 'q', 'depolarize', 'noise'], 2, 3).chain((parameters) => {
    const numParameters = parameters.reduce((s, d) => s + (d.length ?? 1), 0);
    return fc
      .array(fc.oneof(gateArb(n, numParameters), channelArb(n)), { minLength: 1, maxLength: 14 })
      .map((gates): Circuit => ({ numQubits: n, parameters, numParameters, gates, observables: [] }));
  }),
);

describe('OpenQASM 3 noise pragmas', () => {
  it('random noisy circuits → export → import give back the same IR', () => {
    fc.assert(
      fc.property(noisyCircuitArb, (c) => {
        const text = circuitToQasm3(c);
        const back = parseQasm(text, 'rt.qasm');
        expect(back.numQubits).toBe(c.numQubits);
        expect(back.parameters).toEqual(c.parameters);
        expect(bareGates(back.gates)).toEqual(bareGates(c.gates));
        // Every channel was written as a pragma line, so none was dropped by the import.
        expect(text.match(/^#pragma nearclifford noise /gm)?.length ?? 0).toBe(c.gates.filter((g) => g.kind === 'channel').length);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('reads the documented forms: with or without `;`, registers broadcast, `pragma` without `#`, constants', () => {
    const c = parseQasm(
      [
        'OPENQASM 3.0;',
        'include "stdgates.inc";',
        'const float[64] p = 0.25;',
        'qubit[3] r;',
        'h r[0];',
        '#pragma nearclifford noise depolarize(0.01) r[0]',
        '#pragma   nearclifford noise depolarize2(0.02) r[0], r[2];',
        'pragma nearclifford noise dephase(p / 2) r;',
        '#pragma nearclifford noise pauli_noise(0.1, 0, 0.2) r[1] // a comment',
        'cx r[0], r[1];',
      ].join('\n'),
      'n.qasm',
    );
    expect(bareGates(c.gates)).toEqual([
      { kind: 'clifford', name: 'h', qubits: [0] },
      { kind: 'channel', name: 'depolarize', qubits: [0], strengths: [0.01] },
      { kind: 'channel', name: 'depolarize2', qubits: [0, 2], strengths: [0.02] },
      { kind: 'channel', name: 'dephase', qubits: [0], strengths: [0.125] },
      { kind: 'channel', name: 'dephase', qubits: [1], strengths: [0.125] },
      { kind: 'channel', name: 'dephase', qubits: [2], strengths: [0.125] },
      { kind: 'channel', name: 'pauli_noise', qubits: [1], strengths: [0.1, 0, 0.2] },
      { kind: 'clifford', name: 'cx', qubits: [0, 1] },
    ]);
    expect(c.gates[1]!.source).toEqual({ file: 'n.qasm', line: 6, column: 28 });
  });

  it('the DSL circuit and its export describe the same noisy circuit', () => {
    const dsl = parseDsl('qubits 2;\nparam t;\nry(t) 0; depolarize(0.01) 0;\ncx 0 1; depolarize2(0.02) 0 1; amplitude_damp(0.3) 1;\n', 'n.ncl');
    expect(bareGates(parseQasm(circuitToQasm3(dsl), 'n.qasm').gates)).toEqual(bareGates(dsl.gates));
  });

  it('other pragmas keep being ignored', () => {
    const c = parseQasm(
      'OPENQASM 3;\nqubit[1] q;\n#pragma nearclifford something else\n#pragma noise depolarize(0.5) q[0]\npragma nearclifford noisy q[0]\nx q[0];\n',
      'p.qasm',
    );
    expect(bareGates(c.gates)).toEqual([{ kind: 'clifford', name: 'x', qubits: [0] }]);
  });

  it('rejects unknown channels, bad strengths and bad operands at file:line:column', () => {
    const head = 'OPENQASM 3;\nqubit[2] q;\ninput float[64] a;\n';
    expectQasmError(`${head}#pragma nearclifford noise depolarise(0.1) q[0]\n`, 4, 28, /unknown noise channel 'depolarise' \(did you mean 'depolarize'/);
    expectQasmError(`${head}#pragma nearclifford noise depolarize(1.5) q[0]\n`, 4, 39, 'depolarize: strength 1.5 must be a number in [0, 1]');
    expectQasmError(`${head}#pragma nearclifford noise depolarize(-0.1) q[0]\n`, 4, 39, 'strength -0.1 must be a number in [0, 1]');
    expectQasmError(`${head}#pragma nearclifford noise dephase(a) q[0]\n`, 4, 36, 'cannot depend on parameters');
    expectQasmError(`${head}#pragma nearclifford noise pauli_noise(0.5, 0.4, 0.3) q[0]\n`, 4, 28, 'px + py + pz must be at most 1');
    expectQasmError(`${head}#pragma nearclifford noise pauli_noise(0.5) q[0]\n`, 4, 28, "'pauli_noise' takes 3 strengths, got 1");
    expectQasmError(`${head}#pragma nearclifford noise depolarize q[0]\n`, 4, 28, "'depolarize' takes 1 strength, got 0");
    expectQasmError(`${head}#pragma nearclifford noise depolarize2(0.1) q[1], q[1]\n`, 4, 28, 'depolarize2 needs two distinct qubits');
    expectQasmError(`${head}#pragma nearclifford noise depolarize2(0.1) q[1]\n`, 4, 28, "'depolarize2' acts on 2 qubits, got 1 operand");
    expectQasmError(`${head}#pragma nearclifford noise depolarize(0.1) q[0], q[1]\n`, 4, 28, "'depolarize' acts on 1 qubit, got 2 operands");
    expectQasmError(`${head}#pragma nearclifford noise depolarize(0.1) q[5]\n`, 4, 46, /out of range|index 5/);
    expectQasmError(`${head}#pragma nearclifford noise depolarize(0.1) r[0]\n`, 4, 44, "unknown qubit register 'r'");
    expectQasmError(`${head}#pragma nearclifford noise depolarize(0.1)\nx q[0];\n`, 4, 43, 'expected qubit operands');
    expectQasmError(`${head}#pragma nearclifford noise depolarize(0.1) q[0] q[1]\n`, 4, 49, 'expected the end of the noise pragma line');
    expectQasmError(`${head}#pragma nearclifford noise depolarize(0.1 q[0]\n`, 4, 43, "expected ')'");
    expectQasmError(`${head}#pragma nearclifford noise\n`, 4, 27, /expected a channel name|end of line/);
    expectQasmError(`${head}gate g a {\n#pragma nearclifford noise depolarize(0.1) a\n}\n`, 5, 1, 'cannot appear inside the body of gate');
  });
});
