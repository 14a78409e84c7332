import { describe, expect, it } from 'vitest';
import type { Gate } from '../../src/ir/types.js';
import { applyNoiseModel, parseNoiseModel } from '../../src/noise/model.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { circuitToDsl } from '../../src/printing/dsl.js';
import { densityExpectation } from '../../src/simulators/density/index.js';

const brief = (gates: readonly Gate[]) => gates.map((g) =>
  g.kind === 'channel' ? `${g.name}(${g.strengths.join(',')})@${g.qubits.join(',')}`
    : g.kind === 'clifford' ? `${g.name}@${g.qubits.join(',')}` : `r${g.pauli.letters.join('').toLowerCase()}@${g.pauli.qubits.join(',')}`);

describe('noise models', () => {
  const c = parseDsl('qubits 3; param a; h 0; ry(a) 1; cx 0 1; rzz(a) 1 2; swap 0 2;', 'c.ncl');

  it('inserts channels after gates by IR name, falling back to arity', () => {
    const model = parseNoiseModel({ after: { '1q': [['depolarize', 0.001]], '2q': [['depolarize2', 0.01]], cx: [['depolarize2', 0.02], ['amplitude_damp', 0.003]] } }, 'm.json');
    expect(brief(applyNoiseModel(c, model).gates)).toEqual([
      'h@0', 'depolarize(0.001)@0',
      'ry@1', 'depolarize(0.001)@1',
      'cx@0,1', 'depolarize2(0.02)@0,1', 'amplitude_damp(0.003)@0', 'amplitude_damp(0.003)@1',
      'rzz@1,2', 'depolarize2(0.01)@1,2',
      'swap@0,2', 'depolarize2(0.01)@0,2',
    ]);
  });

  it('puts idle noise on the qubits no gate touches in each moment of the ASAP schedule', () => {
    const model = parseNoiseModel({ idle: [['dephase', 0.1]] }, 'm.json');
    // moments: {h 0, ry 1} · {cx 0 1} · {rzz 1 2} · {swap 0 2}
    expect(brief(applyNoiseModel(c, model).gates)).toEqual([
      'h@0', 'ry@1', 'dephase(0.1)@2',
      'cx@0,1', 'dephase(0.1)@2',
      'rzz@1,2', 'dephase(0.1)@0',
      'swap@0,2', 'dephase(0.1)@1',
    ]);
  });

  it('rescheduling for idle noise keeps the circuit: with zero-strength idle noise the values are equal', () => {
    const src = 'qubits 4; param t[6]; ry(t[0]) 0; cx 0 1; ry(t[1]) 3; rx(t[2]) 2; cx 2 3; cz 1 2; ry(t[3]) 0; rzz(t[4]) 0 3; h 1; rx(t[5]) 1; depolarize(0.2) 3; observable O = Z0 Z1 + X2 Y3 - 0.5*Z3;';
    const noisy = parseDsl(src, 'c.ncl');
    const scheduled = applyNoiseModel(noisy, parseNoiseModel({ idle: [['depolarize', 0]] }, 'm.json'));
    expect(scheduled.gates.length).toBeGreaterThan(noisy.gates.length);
    const p = Float64Array.of(0.3, -0.7, 1.1, 0.2, -0.4, 0.9);
    expect(densityExpectation(scheduled, p, noisy.observables[0]!)).toBeCloseTo(densityExpectation(noisy, p, noisy.observables[0]!), 13);
    // and the result prints as DSL that reads back
    expect(parseDsl(circuitToDsl(scheduled), 'x.ncl').gates.length).toBe(scheduled.gates.length);
  });

  it('rejects malformed models with the path of the mistake', () => {
    const err = (m: unknown) => { try { parseNoiseModel(m, 'm.json'); } catch (e) { return (e as Error).message; } return 'ok'; };
    expect(err({ after: { u3: [['depolarize', 0.1]] } })).toMatch(/^m\.json: after\.u3: noise attaches to IR gates/);
    expect(err({ after: { '1q': [['depolarise', 0.1]] } })).toMatch(/after\.1q\[0\]: unknown channel "depolarise"/);
    expect(err({ after: { '1q': [['depolarize', 1.1]] } })).toMatch(/after\.1q\[0\]: .*p must be a number in \[0, 1\]/);
    expect(err({ after: { '1q': [['pauli_noise', 0.1]] } })).toMatch(/pauli_noise takes 3 numeric strengths/);
    expect(err({ idle: [['depolarize2', 0.1]] })).toMatch(/idle\[0\]: idle noise must be a single-qubit channel/);
    expect(err({ before: {} })).toMatch(/unknown key "before"/);
    expect(() => applyNoiseModel(parseDsl('qubits 3; ccz 0 1 2; rot(0.3) X0 Y1 Z2;', 'c.ncl'), parseNoiseModel({ after: { '3q': [['depolarize2', 0.1]] } }, 'm.json')))
      .toThrow(/c\.ncl:1:\d+: noise model: depolarize2 acts on two qubits but 'rot' acts on 3/);
  });
});
