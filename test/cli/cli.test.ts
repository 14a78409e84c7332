import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { CLI, cliBuilt, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nc-cli-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A user error is one line on stderr, a non-zero exit, and no stack trace. */
function expectUserError(r: { status: number; stderr: string }, pattern: RegExp): void {
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

// `npm test` builds first; running these without a build is a mistake, not a reason to skip.
if (!cliBuilt) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before the CLI tests`);

describe('nearclifford CLI (built dist/cli.js)', () => {
  const twoQubit = file(
    'two.ncl',
    'qubits 2;\nparam a;\nparam theta[2];\nry(a) 0;\ncx 0 1;\nrx(2*theta[1] - pi/4) 1;\nobservable H = 0.5*Z0 Z1 - X1;\n',
  );
  const params = file('two.json', JSON.stringify({ a: 0.3, theta: [0.9, -0.4] }));

  it('simulate --json gives value and gradient matching the analytic expectation', () => {
    // ry(a) on |0⟩, CX copies Z: ⟨Z0 Z1⟩ after rx(φ) on qubit 1 is cos φ; ⟨X1⟩ = 0 (worked out by hand).
    const r = runCli(['simulate', twoQubit, '--params', params, '--gradient', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const phi = 2 * -0.4 - Math.PI / 4;
    expect(out.qubits).toBe(2);
    expect(out.parameters).toBe(3);
    expect(out.value).toBeCloseTo(0.5 * Math.cos(phi), 12);
    expect(out.gradient.a).toBeCloseTo(0, 12);
    expect(out.gradient.theta[0]).toBeCloseTo(0, 12);
    expect(out.gradient.theta[1]).toBeCloseTo(0.5 * -Math.sin(phi) * 2, 12);
  });

  it('simulate takes a Pauli-sum observable on the command line', () => {
    const r = runCli(['simulate', twoQubit, '--params', params, '--observable', 'Z0', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).value).toBeCloseTo(Math.cos(0.3), 12);
  });

  it('a missing parameter is a one-line error with a non-zero exit', () => {
    const p = file('missing.json', JSON.stringify({ a: 0.3 }));
    expectUserError(runCli(['simulate', twoQubit, '--params', p]), /missing parameter 'theta'/);
  });

  it('a syntax error names file:line:column', () => {
    const bad = file('bad.ncl', 'qubits 2;\nh 0\ncx 0 1;\n');
    expectUserError(runCli(['simulate', bad, '--observable', 'Z0']), /bad\.ncl:\d+:\d+:/);
  });

  it('the qubit cap fails cleanly before allocating', () => {
    const big = file('big.ncl', 'qubits 40;\nparam a;\nrx(a) 0;\n');
    const p = file('big.json', JSON.stringify({ a: 0.1 }));
    expectUserError(runCli(['simulate', big, '--params', p, '--observable', 'Z0']), /qubit/);
  });

  it('a Clifford circuit beyond the state-vector cap is evaluated exactly by propagation', () => {
    // GHZ-like chain on 60 qubits: ⟨Z0 Z59⟩ = 1, ⟨X0 … X59⟩ = 1 after H + CX ladder.
    const lines = ['qubits 60;', 'h 0;'];
    for (let i = 0; i < 59; i++) lines.push(`cx ${i} ${i + 1};`);
    const ghz = file('ghz.ncl', lines.join('\n') + '\n');
    const xs = Array.from({ length: 60 }, (_, i) => `X${i}`).join(' ');
    const r1 = runCli(['simulate', ghz, '--observable', 'Z0 Z59', '--json']);
    expect(r1.status).toBe(0);
    expect(JSON.parse(r1.stdout)).toMatchObject({ value: 1, engine: 'clifford', qubits: 60 });
    const r2 = runCli(['simulate', ghz, '--observable', xs, '--json']);
    expect(JSON.parse(r2.stdout).value).toBe(1);
    const r3 = runCli(['simulate', ghz, '--observable', 'X0', '--json']);
    expect(JSON.parse(r3.stdout).value).toBe(0);
  });

  it('ansatz mhea prints the REFERENCE §4 gate order and D = 2N(L+1)', () => {
    const r = runCli(['ansatz', 'mhea', '--qubits', '3', '--layers', '1']);
    expect(r.status).toBe(0);
    const c = parseDsl(r.stdout, 'mhea.ncl');
    expect(c.numParameters).toBe(12);
    const names = c.gates.map((g) =>
      g.kind !== 'rotation' ? `${g.name}${g.qubits.join('')}` : `r${g.pauli.letters.join('')}${g.pauli.qubits.join('')}:${g.angle.terms[0]!.param}`,
    );
    expect(names).toEqual([
      'rY0:0', 'rY1:1', 'rY2:2', 'rZ0:3', 'rZ1:4', 'rZ2:5',
      'cx20', 'cx01', 'cx12',
      'rY0:6', 'rY1:7', 'rY2:8', 'rZ0:9', 'rZ1:10', 'rZ2:11',
    ]);
  });

  it('ansatz tfi with --angle prints numeric angles and no parameters', () => {
    const r = runCli(['ansatz', 'tfi', '--qubits', '4', '--layers', '2', '--angle', '0.1']);
    expect(r.status).toBe(0);
    const c = parseDsl(r.stdout, 'tfi.ncl');
    expect(c.numParameters).toBe(0);
    // periodic brick on 4 qubits: 4 bonds; rzz, rx, rzz, rx = 4 + 4 + 4 + 4 gates
    expect(c.gates.length).toBe(16);
    expect(c.gates.every((g) => g.kind === 'rotation' && g.angle.constant === 0.1)).toBe(true);
  });

  it('convert to QASM and back preserves the expectation value and gradient', () => {
    const qasm = runCli(['convert', twoQubit, '--to', 'qasm']);
    expect(qasm.status).toBe(0);
    expect(qasm.stdout).toMatch(/^OPENQASM 3/m);
    const qfile = file('two.qasm', qasm.stdout);
    const back = runCli(['convert', qfile, '--to', 'ncl']);
    expect(back.status).toBe(0);
    const nfile = file('two-back.ncl', back.stdout + '\nobservable H2 = 0.5*Z0 Z1 - X1;\n');
    const a = JSON.parse(runCli(['simulate', twoQubit, '--params', params, '--observable', 'H', '--gradient', '--json']).stdout);
    const b = JSON.parse(runCli(['simulate', nfile, '--params', params, '--observable', 'H2', '--gradient', '--json']).stdout);
    expect(b.value).toBeCloseTo(a.value, 12);
    expect(b.gradient).toEqual({ a: expect.any(Number), theta: [expect.any(Number), expect.any(Number)] });
    expect(b.gradient.theta[1]).toBeCloseTo(a.gradient.theta[1], 12);
  });

  it('--help works for every command and unknown options are usage errors', () => {
    for (const cmd of [[], ['simulate'], ['ansatz'], ['convert'], ['propagate'], ['surrogate'], ['evaluate']]) {
      const r = runCli([...cmd, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/Usage: nearclifford/);
    }
    const r = runCli(['simulate', twoQubit, '--no-such-flag']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });
});
