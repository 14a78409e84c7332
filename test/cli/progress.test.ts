import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAnsatz } from '../../src/ansatz/families.js';
import { circuitToDsl } from '../../src/printing/dsl.js';
import { CLI, cliBuilt, runCli } from './run-cli.js';

/**
 * Progress of simulate, cost --measure and evaluate: on stderr only with --progress (or a
 * terminal; the test's stderr is a pipe, so none without the flag), never on --json's stdout, and
 * the same place where --time-limit stops the run.
 */
if (!cliBuilt) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before the CLI tests`);

const dir = mkdtempSync(join(tmpdir(), 'nc-progress-'));
const c12 = join(dir, 'tfi12.ncl');
writeFileSync(c12, circuitToDsl(buildAnsatz('tfi', { qubits: 12, layers: 4, seed: 0, angle: 0.2, periodic: true })));

describe('progress lines on stderr', () => {
  it('simulate: gates and state-vector size with --progress; quiet without; JSON stdout untouched', () => {
    const q = runCli(['simulate', c12, '-o', 'Z0', '--json']);
    expect(q.status).toBe(0);
    expect(q.stderr).toBe('');
    const p = runCli(['simulate', c12, '-o', 'Z0', '--json', '--progress']);
    expect(p.status).toBe(0);
    expect(p.stderr).toMatch(/^simulate: gate \d+ of \d+, 65\.5 kB of state vectors \(.*resident\)$/m);
    expect(JSON.parse(p.stdout).value).toBe(JSON.parse(q.stdout).value);
    const g = runCli(['simulate', c12, '-o', 'Z0', '--gradient', '--progress']);
    expect(g.status).toBe(0);
    expect(g.stderr).toMatch(/^simulate: gate \d+ of \d+, 131 kB of state vectors/m);
  });

  it('simulate stops at --time-limit at a gate, one line, exit 1', () => {
    const r = runCli(['simulate', c12, '-o', 'Z0', '--time-limit', '0.000001']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^nearclifford: error: time limit of 0\.000001 s reached at simulate: gate 1 of \d+/);
  });

  it('simulate on the density-matrix path: operations and matrix size; --time-limit stops it', () => {
    const file = join(dir, 'noisy5.ncl');
    writeFileSync(file, [
      'qubits 5;', 'param t[5];',
      'for l in 0..4 { for i in 0..5 { ry(t[i]) i; depolarize(0.01) i; } for i in 0..4 { cx i i+1; amplitude_damp(0.02) i+1; } }',
      'observable z = Z0 Z4;',
    ].join('\n') + '\n');
    const args = ['simulate', file, '-p', '[0.1, 0.2, 0.3, 0.4, 0.5]', '--json'];
    const q = runCli(args);
    expect(q.status).toBe(0);
    expect(JSON.parse(q.stdout).engine).toBe('density-matrix');
    expect(q.stderr).toBe('');
    const p = runCli([...args, '--progress']);
    expect(p.status).toBe(0);
    expect(p.stderr).toMatch(/^simulate: operation \d+ of \d+, 16\.4 kB per density matrix \(.*resident\)$/m);
    expect(JSON.parse(p.stdout).value).toBe(JSON.parse(q.stdout).value);
    const g = runCli([...args, '--gradient', '--progress']);
    expect(g.status).toBe(0);
    expect(g.stderr).toMatch(/^simulate: operation \d+ of \d+, 16\.4 kB per density matrix/m);
    const t = runCli([...args, '--gradient', '--time-limit', '0.000001']);
    expect(t.status).toBe(1);
    expect(t.stderr).toMatch(/^nearclifford: error: time limit of 0\.000001 s reached at simulate: operation 1 of \d+/);
  });

  it('simulate on the Clifford path (too large for a state vector): Clifford operations', () => {
    const file = join(dir, 'clifford40.ncl');
    const lines = ['qubits 40;'];
    for (let l = 0; l < 250; l++) for (let i = 0; i < 40; i++) lines.push(`h ${i}; cx ${i} ${(i + 1) % 40};`);
    lines.push('observable z = Z0;');
    writeFileSync(file, lines.join('\n') + '\n');
    const p = runCli(['simulate', file, '--json', '--progress']);
    expect(p.status).toBe(0);
    expect(JSON.parse(p.stdout).engine).toBe('clifford');
    expect(p.stderr).toMatch(/^simulate: Clifford operation 16384 of 20000 \(.*resident\)$/m);
  });

  it('cost --measure: the builds report their progress', () => {
    const file = join(dir, 'mhea6.ncl');
    writeFileSync(file, circuitToDsl(buildAnsatz('mhea', { qubits: 6, layers: 1 })));
    const args = ['cost', file, '--observable', 'Z0', '--eps', '1e-6', '--sigma', '1/D', '--measure', '--json'];
    const q = runCli(args);
    expect(q.status).toBe(0);
    expect(q.stderr).toBe('');
    const p = runCli([...args, '--progress']);
    expect(p.status).toBe(0);
    expect(p.stderr).toMatch(/^cost --measure: taylor build: gate \d+\/\d+, \d+ terms/m);
    expect(Object.keys(JSON.parse(p.stdout))).toEqual(Object.keys(JSON.parse(q.stdout)));
  });

  it('evaluate: points done of all, in this thread and on workers, same numbers', () => {
    const saved = join(dir, 's.json');
    expect(runCli(['surrogate', 'examples/mhea-4.ncl', '--order', '2', '--save', saved]).status).toBe(0);
    const pts = join(dir, 'pts.json');
    writeFileSync(pts, JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ theta: Array.from({ length: 16 }, (_, k) => 0.001 * ((i * 7 + k) % 13)) }))));
    const one = runCli(['evaluate', saved, '--at', pts, '--json', '--workers', '1', '--progress']);
    expect(one.status).toBe(0);
    expect(one.stderr).toMatch(/^evaluate: point 256 of 300/m);
    const two = runCli(['evaluate', saved, '--at', pts, '--json', '--workers', '2', '--progress']);
    expect(two.status).toBe(0);
    expect(two.stderr).toMatch(/^evaluate: point 150 of 300/m);
    expect(JSON.parse(two.stdout).values).toEqual(JSON.parse(one.stdout).values);
    const quiet = runCli(['evaluate', saved, '--at', pts, '--json']);
    expect(quiet.stderr).toBe('');
  });
});
