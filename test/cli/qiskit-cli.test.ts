import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observable } from '../../src/ir/types.js';
import { parseSparsePauliOp } from '../../src/pauli/observable-text.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { parseQasm } from '../../src/parsing/qasm/index.js';
import { adjoint, circuitUnitary, denseExpectation, mul, observableMatrix } from '../helpers/dense.js';
import { CLI, cliBuilt, runCli } from './run-cli.js';

/** The Qiskit-interop conveniences of the CLI, end to end on the built executable. */

const dir = mkdtempSync(join(tmpdir(), 'nc-qiskit-cli-'));
const FIX = 'test/fixtures/qiskit';
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

if (!cliBuilt) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before the CLI tests`);

const NCL = 'qubits 2;\nparam θ[2];\nparam a;\nry(θ[0]) 0;\ncx 0 1;\nrz(θ[1] + a) 1;\nrx(a) 0;\nobservable energy = Z0 Z1 + 0.5*X0;\n';
const circuit = parseDsl(NCL, 'x.ncl');
const nclFile = file('x.ncl', NCL);
const valueAt = (p: number[]) => denseExpectation(circuit, p, circuit.observables[0]!);

describe('stdin, --json errors and suggestions', () => {
  it('- reads the circuit from standard input (DSL or QASM by its header)', () => {
    const r = runCli(['simulate', '-', '--params', '[0.3, -0.7, 0.2]', '--json'], NCL);
    expect(JSON.parse(r.stdout).value).toBeCloseTo(valueAt([0.3, -0.7, 0.2]), 12);
    const q = runCli(['convert', '-', '--to', 'ncl'], readFileSync(join(FIX, 'qaoa_two_vectors.qasm'), 'utf8'));
    expect(q.stdout).toContain('param β[2];\nparam γ[2];\nparam offset;');
    const bad = runCli(['simulate', '-', '--params', 'zero'], 'qubits 1;\nhx 0;\n');
    expect(bad.stderr).toMatch(/^nearclifford: error: <stdin>:2:1: unknown gate 'hx' \(did you mean 'h'\?\)/);
  });

  it('under --json, errors are {"error": {message, file, line, column}} on stdout', () => {
    const pos = runCli(['simulate', file('e.ncl', 'qubits 1;\nrx(b) 0;\n'), '--json']);
    expect(pos.status).toBe(1);
    expect(JSON.parse(pos.stdout)).toEqual({ error: { message: "unknown parameter 'b'", file: join(dir, 'e.ncl'), line: 2, column: 4 } });
    const plain = runCli(['simulate', nclFile, '--json']);
    expect(JSON.parse(plain.stdout).error).toMatchObject({ file: null, line: null, column: null });
    expect(JSON.parse(plain.stdout).error.message).toMatch(/pass --params/);
    const usage = runCli(['simulate', nclFile, '--no-such-option', '--json']);
    expect(usage.status).toBe(2);
    expect(JSON.parse(usage.stdout).error.message).toMatch(/unknown option '--no-such-option'/);
  });

});

describe('OpenQASM options', () => {
  it('--include-path and --qasm-lenient work before or after the command', () => {
    const inc = file('inc.qasm', 'OPENQASM 2.0;\ninclude "qelib1.inc";\ninclude "toffoli_parts.inc";\nqreg q[3];\nx q[0];\nx q[1];\nmy_ccx q[0],q[1],q[2];\n');
    expect(runCli(['simulate', inc, '-o', 'Z2']).stderr).toMatch(/inc\.qasm:3:1: cannot include 'toffoli_parts\.inc'/);
    expect(JSON.parse(runCli(['--include-path', join(FIX, 'includes/lib'), 'simulate', inc, '-o', 'Z2', '--json']).stdout).value).toBeCloseTo(-1, 12);
    const legacy = file('legacy.qasm', 'OPENQASM 3;\nqreg q[1];\nx q[0];\n');
    expect(JSON.parse(runCli(['simulate', legacy, '-o', 'Z0', '--qasm-lenient', '--json']).stdout).value).toBeCloseTo(-1, 12);
  });
});

describe('observables from SparsePauliOp files and sums out', () => {
  const qaoa = join(FIX, 'qaoa_two_vectors.qasm');
  const point = '[0.1, 0.2, 0.3, 0.4, 0.5]';

  it('propagate --dump-sum writes U†OU as a sparse list that equals the dense Heisenberg operator', () => {
    const out = join(dir, 'sum.json');
    const r = runCli(['propagate', qaoa, '--params', point, '-o', 'Z0 Z1 + X2', '--min-abs', '0', '--dump-sum', out, '--json']);
    expect(r.status).toBe(0);
    const dumped = JSON.parse(readFileSync(out, 'utf8'));
    expect(dumped.num_qubits).toBe(3);
    expect(dumped.value).toBe(JSON.parse(r.stdout).value);
    const sum: Observable = parseSparsePauliOp(dumped, { numQubits: 3 });
    const c = parseQasm(readFileSync(qaoa, 'utf8'), qaoa);
    const u = circuitUnitary(c, [0.1, 0.2, 0.3, 0.4, 0.5]);
    const o = parseSparsePauliOp([['ZZ', [0, 1], 1], ['X', [2], 1]], { numQubits: 3 });
    const heis = mul(adjoint(u), mul(observableMatrix(o, 3), u));
    const got = observableMatrix(sum, 3);
    let worst = 0;
    for (let i = 0; i < heis.re.length; i++) worst = Math.max(worst, Math.abs(heis.re[i]! - got.re[i]!), Math.abs(heis.im[i]! - got.im[i]!));
    expect(worst).toBeLessThan(1e-12);
    // Fed back as an observable, the dump is accepted as is.
    expect(runCli(['simulate', qaoa, '--params', point, '-o', `@${out}`]).status).toBe(0);
  });
});

describe('outputs: qasm2, csv, ansatz', () => {
  it('convert --to qasm2 binds --params and refuses free parameters', () => {
    const free = runCli(['convert', nclFile, '--to', 'qasm2']);
    expect(free.status).toBe(1);
    expect(free.stderr).toMatch(/OpenQASM 2 has no free parameters/);
    const r = runCli(['convert', nclFile, '--to', 'qasm2', '--params', '[0.3, -0.7, 0.2]']);
    const back = parseQasm(r.stdout, 'b.qasm');
    expect(denseExpectation(back, [], back.observables[0]!)).toBeCloseTo(valueAt([0.3, -0.7, 0.2]), 12);
  });

  it('gradients --csv prints one row per cell with dotted statistic columns', () => {
    const r = runCli(['gradients', '--ansatz', 'mhea:2,3:1', '-o', 'Z0', '--samples', '4', '--sigma', '0.1', '--csv']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    const header = lines[0]!.split(',');
    expect(header.slice(0, 4)).toEqual(['N', 'D', 'region', 'sigma']);
    expect(header).toContain('norm.mean');
    const json = JSON.parse(runCli(['gradients', '--ansatz', 'mhea:2,3:1', '-o', 'Z0', '--samples', '4', '--sigma', '0.1', '--json']).stdout);
    const col = header.indexOf('norm.mean');
    expect(Number(lines[2]!.split(',')[col])).toBe(json.cells[1].norm.mean);
  });

  it('cost --csv is a one-row table', () => {
    const r = runCli(['cost', '--parameters', '40', '--eps', '1e-6', '--sigma', '1/D', '--csv']);
    const [header, row, extra] = r.stdout.trim().split('\n');
    expect(extra).toBeUndefined();
    const h = header!.split(',');
    expect(row!.split(',')[h.indexOf('order')]).toBe(String(JSON.parse(runCli(['cost', '--parameters', '40', '--eps', '1e-6', '--sigma', '1/D', '--json']).stdout).order));
  });

  it('experiment --csv writes records.csv with the same rows as records.jsonl', () => {
    const out = join(dir, 'exp');
    const r = runCli(['experiment', 'taylor-order', '--quick', '--out', out, '--csv']);
    expect(r.status).toBe(0);
    const records = readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const [header, ...rows] = readFileSync(join(out, 'records.csv'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(records.length);
    const h = header!.split(',');
    expect(Number(rows[5]!.split(',')[h.indexOf('order')])).toBe(records[5].order);
  });

  it('ansatz efficientsu2 follows Qiskit and --observable appends a standard observable', () => {
    const r = runCli(['ansatz', 'efficientsu2', '-n', '3', '--reps', '1', '--entanglement', 'circular', '--observable', 'heisenberg']);
    expect(r.status).toBe(0);
    const c = parseDsl(r.stdout, 'a.ncl');
    expect(c.parameters).toEqual([{ name: 'θ', length: 12, offset: 0 }]);
    expect(r.stdout).toContain('cx 2 0;\ncx 0 1;\ncx 1 2;\n');
    expect(c.observables.map((o) => o.name)).toEqual(['heisenberg']);
    const q = runCli(['ansatz', 'mhea', '-n', '2', '-l', '1', '--observable', 'sumz', '-f', 'qasm']);
    expect(q.stdout).toContain('// nearclifford:observable sumz = Z0 + Z1');
    expect(runCli(['ansatz', 'mhea', '-n', '2']).stderr).toMatch(/needs --layers/);
  });
});
