import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { runCli } from '../cli/run-cli.js';

/**
 * `--noise MODEL.json` end to end through the built CLI: the channels land where the model says
 * (visible in `convert`), `simulate` and `gradients` give the values of the same circuit written
 * with its channels in the DSL (and of the closed form), and a bad model is one clear line.
 */

const dir = mkdtempSync(join(tmpdir(), 'nc-noise-cli-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const PLAIN = file('plain.ncl', 'qubits 2;\nparam t[2];\nry(t[0]) 0;\nry(t[1]) 1;\ncx 0 1;\nobservable H = Z0 Z1;\n');
// The same circuit with the model's channels written out by hand.
const WRITTEN_TEXT = 'qubits 2;\nparam t[2];\nry(t[0]) 0; depolarize(0.1) 0;\nry(t[1]) 1; depolarize(0.1) 1;\ncx 0 1; depolarize2(0.05) 0 1;\nobservable H = Z0 Z1;\n';
const WRITTEN = file('written.ncl', WRITTEN_TEXT);
const MODEL = file('model.json', JSON.stringify({ after: { '1q': [['depolarize', 0.1]], cx: [['depolarize2', 0.05]] } }));
const PARAMS = file('p.json', JSON.stringify({ t: [0.3, 0.7] }));

const json = (args: string[]) => {
  const r = runCli(args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
};

describe('--noise MODEL.json', () => {
  it('inserts the channels visibly: convert prints the circuit written by hand', () => {
    const r = runCli(['convert', PLAIN, '--to', 'ncl', '--noise', MODEL]);
    expect(r.status).toBe(0);
    const strip = (c: ReturnType<typeof parseDsl>) => c.gates.map((g) => ({ ...g, source: undefined }));
    expect(strip(parseDsl(r.stdout, 'out.ncl'))).toEqual(strip(parseDsl(WRITTEN_TEXT, 'written.ncl')));
    expect(r.stdout.match(/depolarize\(0\.1\)/g)).toHaveLength(2);
    expect(r.stdout).toContain('depolarize2(0.05) 0 1;');
    // OpenQASM 3 output carries them as pragma lines.
    const q = runCli(['convert', PLAIN, '--to', 'qasm', '--noise', MODEL]);
    expect(q.stdout.match(/^#pragma nearclifford noise /gm)).toHaveLength(3);
  });

  it('simulate: the hand-written circuit\'s value and gradient, the closed form, not the noiseless one', () => {
    const noisy = json(['simulate', PLAIN, '-p', PARAMS, '--gradient', '--json', '--noise', MODEL]);
    const written = json(['simulate', WRITTEN, '-p', PARAMS, '--gradient', '--json']);
    const clean = json(['simulate', PLAIN, '-p', PARAMS, '--gradient', '--json']);
    expect(noisy.engine).toBe('density-matrix');
    expect(noisy.value).toBeCloseTo(written.value, 14);
    expect(noisy.gradient.t[0]).toBeCloseTo(written.gradient.t[0], 14);
    expect(noisy.gradient.t[1]).toBeCloseTo(written.gradient.t[1], 14);
    // Heisenberg by hand: Z0Z1 → 0.95·Z0Z1 (depolarize2) → 0.95·Z1 (CX) → 0.95·0.9·Z1 (depolarize on 1) → cos t1.
    expect(clean.value).toBeCloseTo(Math.cos(0.7), 12);
    expect(noisy.value).toBeCloseTo(0.95 * 0.9 * Math.cos(0.7), 12);
    expect(noisy.gradient.t[1]).toBeCloseTo(-0.95 * 0.9 * Math.sin(0.7), 12);
  });

  it('propagate applies the inserted channels (untruncated: the closed form)', () => {
    const r = json(['propagate', PLAIN, '-p', PARAMS, '--min-abs', '0', '--json', '--noise', MODEL]);
    expect(r.value).toBeCloseTo(0.95 * 0.9 * Math.cos(0.7), 12);
  });

  it('works on OpenQASM input and inline JSON too', () => {
    const qasm = file('plain.qasm', 'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] a;\nqubit[2] q;\nry(a) q[1];\ncx q[0], q[1];\n');
    const r = json(['simulate', qasm, '-o', 'Z1', '-p', '[0.7]', '--json', '--noise', '{"after": {"cx": [["depolarize2", 0.05]]}}']);
    expect(r.value).toBeCloseTo(0.95 * Math.cos(0.7), 12);
  });

  it('gradients: the hand-written circuit\'s statistics, also for --ansatz, smaller than noiseless', () => {
    const args = ['--sigma', '0.2', '--samples', '6', '--seed', '4', '--json', '--workers', '1'];
    const noisy = json(['gradients', PLAIN, ...args, '--noise', MODEL]);
    const written = json(['gradients', WRITTEN, ...args]);
    const clean = json(['gradients', PLAIN, ...args]);
    expect(noisy.cells[0].norm.mean).toBeCloseTo(written.cells[0].norm.mean, 12);
    expect(noisy.cells[0].value.mean).toBeCloseTo(written.cells[0].value.mean, 12);
    expect(noisy.cells[0].norm.mean).toBeLessThan(clean.cells[0].norm.mean);
    const ansatz = ['gradients', '--ansatz', 'mhea:3:2', '-o', 'Z0', ...args];
    const a = json([...ansatz, '--noise', MODEL]);
    expect(a.cells[0].engine).toBe('exact');
    expect(a.cells[0].norm.mean).toBeLessThan(json(ansatz).cells[0].norm.mean);
    // On two worker threads the tasks carry the model: the same statistics.
    expect(json([...ansatz.slice(0, -2), '--workers', '2', '--noise', MODEL]).cells[0].norm).toEqual(a.cells[0].norm);
  });

  it('gradients beyond the density-matrix limit: one line naming the limit', () => {
    const r = runCli(['gradients', PLAIN, '--sigma', '0.1', '--samples', '2', '--engine', 'exact', '--max-density-qubits', '1', '--noise', MODEL]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^nearclifford: error: .*noise channels and 2 qubits exceed the density-matrix limit of 1 \(--max-density-qubits/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('check: a propagation claim on the noisy circuit holds against the density matrix, on worker threads too', () => {
    const args = ['check', PLAIN, '--claim', 'propagate min-abs=1e-12 eps=1e-9 sigma=0.2', '--samples', '6', '--seed', '2', '--json', '--noise', MODEL];
    const one = json([...args, '--workers', '1']);
    expect(one.status).toBe('held');
    expect(one.reference).toMatch(/density-matrix/);
    expect(one.replay).toContain(`--noise ${MODEL}`);
    // The probe batches carry the model: the same worst point and error from two threads.
    const two = json([...args, '--workers', '2']);
    expect(two.status).toBe('held');
    expect(two.worst).toEqual(one.worst);
    // The worst point's reference is the noisy value: the closed form 0.95·0.9·cos t1 at that point.
    expect(one.worst.reference).toBeCloseTo(0.95 * 0.9 * Math.cos(one.worst.point.t[1]), 12);
    // Without the model the claim is checked on the noiseless circuit, against the state vector.
    expect(json(args.slice(0, -2).concat('--workers', '1')).reference).toMatch(/state-vector/);
  });

  it('cost: estimates, certifies and measures a noisy circuit; --noise without a circuit file is a usage error', () => {
    const r = json(['cost', PLAIN, '--eps', '1e-3', '--sigma', '0.1', '--json', '--noise', MODEL]);
    expect(r).toMatchObject({ parameters: 2, qubits: 2 });
    expect(r.order).toBeGreaterThan(0);
    // --certify and --measure build the noisy surrogates.
    const built = json(['cost', PLAIN, '--eps', '1e-3', '--sigma', '0.1', '--certify', '--measure', '--json', '--noise', MODEL]);
    expect(built.certified.bound).toBeLessThanOrEqual(1e-3);
    expect(built.measured.taylor.monomials).toBeGreaterThan(0);
    const bad = runCli(['cost', '--parameters', '16', '--eps', '1e-3', '--sigma', '0.1', '--noise', MODEL]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--noise applies to a circuit file/);
  });

  it('encode: the LCE of the unitary skeleton around the noisy circuit, channels kept, derivative damped', () => {
    const out = join(dir, 'encoded.ncl');
    const r = json(['encode', WRITTEN, '--out', out, '--json']);
    expect(r.noise_channels).toBe(3);
    const viaModel = json(['encode', PLAIN, '--out', join(dir, 'encoded-model.ncl'), '--json', '--noise', MODEL]);
    expect(viaModel.noise_channels).toBe(3);
    const encoded = parseDsl(readFileSync(out, 'utf8'), 'encoded.ncl');
    expect(encoded.gates.filter((g) => g.kind === 'channel')).toHaveLength(3);
    expect(encoded.gates.length).toBe(6 + r.gates_added);
    // At the center the noiseless skeleton has ∂C/∂θ_k = sign (verified by encode); with the
    // channels on the path it is that value damped, same sign, magnitude below 1.
    const at = JSON.stringify({ t: [0, 0] });
    const g = json(['simulate', out, '-p', at, '--gradient', '--json']);
    expect(g.engine).toBe('density-matrix');
    const d = g.gradient.t[r.target] as number;
    expect(Math.sign(d)).toBe(r.sign);
    expect(Math.abs(d)).toBeGreaterThan(0.5);
    expect(Math.abs(d)).toBeLessThan(1 - 1e-6);
  });

  it('analyze reports on a noisy circuit: noisy center, LCE around the channels, density-matrix landscape', () => {
    const out = join(dir, 'report');
    const r = runCli(['analyze', PLAIN, '--out', out, '--time-budget', '20', '--sigma', '0.1', '--json', '--noise', MODEL]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const text = JSON.stringify(report);
    // The center comes from the noisy order-1 surrogate: its value is the closed form at θ* = 0.
    expect(text).toContain('taylor-order-1');
    expect(report.center.value).toBeCloseTo(0.95 * 0.9, 12);
    // The landscape's exact cuts are density-matrix values of the noisy circuit (the closed form).
    const cut = (report.landscape.cuts as { series: string; value: number }[]).filter((c) => c.series === 'exact');
    expect(cut.length).toBeGreaterThan(0);
    for (const c of cut) expect(Math.abs(c.value)).toBeLessThanOrEqual(0.95 * 0.9 + 1e-12);
    // Without the model: the noiseless center value 1.
    const clean = runCli(['analyze', PLAIN, '--out', join(dir, 'report-clean'), '--time-budget', '20', '--sigma', '0.1', '--json']);
    expect(clean.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'report-clean', 'report.json'), 'utf8')).center.value).toBeCloseTo(1, 12);
  });

  it('a bad model is one line naming the file and what was expected', () => {
    const err = (model: string) => runCli(['simulate', PLAIN, '-p', PARAMS, '--noise', model]);
    const missing = err(join(dir, 'nope.json'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read noise model '.*nope\.json' \(ENOENT\)/);
    expect(err(file('bad.json', '{"after": ')).stderr).toMatch(/noise model '.*bad\.json' is not valid JSON/);
    expect(err(file('typo.json', '{"after": {"cx": [["depolarise", 0.1]]}}')).stderr)
      .toMatch(/noise model '.*typo\.json': after\.cx\[0\]: unknown channel "depolarise" \(expected one of depolarize, /);
    expect(err(file('range.json', '{"after": {"1q": [["depolarize", 2]]}}')).stderr).toMatch(/range\.json': after\.1q\[0\]: depolarize: p must be a number in \[0, 1\], got 2/);
    expect(err(file('key.json', '{"before": {}}')).stderr).toMatch(/key\.json': unknown key "before" \(expected "after" or "idle"\)/);
    expect(err('{"after": 1').stderr).toMatch(/--noise: not valid JSON/);
    for (const e of [missing]) expect(e.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('is documented in --help of every command that takes it', () => {
    for (const cmd of ['simulate', 'propagate', 'surrogate', 'gradients', 'check', 'cost', 'convert']) {
      expect(runCli([cmd, '--help']).stdout, cmd).toMatch(/--noise <model\.json>\s+noise model: a JSON file/);
    }
    expect(runCli(['ansatz', '--help']).stdout).not.toContain('--noise');
  });
});
