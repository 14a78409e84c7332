import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { circuitToDsl } from '../../src/printing/dsl.js';
import { circuitToQasm3 } from '../../src/printing/qasm.js';
import { densityExpectation } from '../../src/simulators/density/index.js';
import { expectation } from '../../src/simulators/statevector/index.js';
import { runCli } from '../cli/run-cli.js';

const NOISY = `qubits 3;
param t[3];
for i in 0..3 { ry(t[i]) i; depolarize(0.01) i; }
cx 0 1; depolarize2(0.02) 0 1;
dephase(0.1) 2; pauli_noise(0.01, 0.02, 0.03) 1; amplitude_damp(0.05) 0;
observable H = Z0 Z1 + 0.5*X2;
`;

describe('noise channels in the DSL', () => {
  it('parses every channel, inside loops too, with its qubits, strengths and source position', () => {
    const c = parseDsl(NOISY, 'noisy.ncl');
    const channels = c.gates.filter((g) => g.kind === 'channel');
    expect(channels.map((g) => g.name)).toEqual([
      'depolarize', 'depolarize', 'depolarize', 'depolarize2', 'dephase', 'pauli_noise', 'amplitude_damp',
    ]);
    expect(channels[3]).toMatchObject({ qubits: [0, 1], strengths: [0.02], source: { file: 'noisy.ncl', line: 4, column: 9 } });
    expect(channels[5]).toMatchObject({ qubits: [1], strengths: [0.01, 0.02, 0.03] });
  });

  it('prints back to DSL that parses to the same circuit', () => {
    const c = parseDsl(NOISY, 'noisy.ncl');
    const again = parseDsl(circuitToDsl(c), 'printed.ncl');
    const strip = (x: typeof c) => x.gates.map((g) => ({ ...g, source: undefined }));
    expect(strip(again)).toEqual(strip(c));
  });

  it('exports channels to OpenQASM 3 as documented pragma lines', () => {
    const q = circuitToQasm3(parseDsl(NOISY, 'noisy.ncl'));
    expect(q).toContain('#pragma nearclifford noise depolarize2(0.02) q[0], q[1]');
    expect(q).toContain('#pragma nearclifford noise pauli_noise(0.01, 0.02, 0.03) q[1]');
    expect(q.match(/#pragma nearclifford noise/g)).toHaveLength(7);
  });

  it('rejects bad strengths and parameters in strengths at their position', () => {
    const err = (src: string) => { try { parseDsl(src, 'b.ncl'); } catch (e) { return (e as Error).message; } return 'no error'; };
    expect(err('qubits 1;\ndepolarize(1.5) 0;')).toBe('b.ncl:2:12: depolarize: strength 1.5 must be a number in [0, 1]');
    expect(err('qubits 1; param a;\ndephase(a) 0;')).toMatch(/^b\.ncl:2:9: parameter 'a' cannot be used in the strength of dephase/);
    expect(err('qubits 1; pauli_noise(0.5, 0.4, 0.3) 0;')).toMatch(/^b\.ncl:1:11: pauli_noise: px \+ py \+ pz must be at most 1/);
    expect(err('qubits 2; depolarize2(0.1) 1 1;')).toMatch(/^b\.ncl:1:11: depolarize2 needs two distinct qubits/);
    expect(err('qubits 1; amplitude_damp 0;')).toMatch(/^b\.ncl:1:11: channel 'amplitude_damp' takes 1 strength/);
  });

  it('engines that apply unitaries only refuse noisy circuits, naming the channel and its position', () => {
    const c = parseDsl(NOISY, 'noisy.ncl');
    const obs = c.observables[0]!;
    const p = Float64Array.of(0.1, 0.2, 0.3);
    expect(() => expectation(c, p, obs)).toThrow(/^noisy\.ncl:3:29: the state-vector simulator applies unitary gates only.*first: depolarize/);
    expect(Number.isFinite(densityExpectation(c, p, obs))).toBe(true);
  });

  it('`simulate` runs noisy circuits on the density matrix, with gradients', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-noise-'));
    writeFileSync(join(dir, 'noisy.ncl'), NOISY);
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ t: [0.1, 0.2, 0.3] }));
    const r = runCli(['simulate', join(dir, 'noisy.ncl'), '-p', join(dir, 'p.json'), '--gradient', '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.engine).toBe('density-matrix');
    const c = parseDsl(NOISY, 'noisy.ncl');
    expect(out.value).toBeCloseTo(densityExpectation(c, Float64Array.of(0.1, 0.2, 0.3), c.observables[0]!), 12);
    expect(out.gradient.t).toHaveLength(3);
    const big = runCli(['simulate', join(dir, 'noisy.ncl'), '-p', join(dir, 'p.json'), '--max-density-qubits', '2']);
    expect(big.status).toBe(1);
    expect(big.stderr).toMatch(/exceed the density-matrix limit \(--max-density-qubits 2\)/);
  });
});
