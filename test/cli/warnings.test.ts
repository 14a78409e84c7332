import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAnsatz } from '../../src/ansatz/families.js';
import { circuitToDsl } from '../../src/printing/dsl.js';
import { propagate } from '../../src/propagation/index.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { CLI, cliBuilt, runCli } from './run-cli.js';

if (!cliBuilt) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before the CLI tests`);

/** Hollow answers: exit 0, but `"warnings"` in the JSON and `warning:` lines on stderr. */
describe('hollow-answer warnings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nc-warn-'));
  const circuit = buildAnsatz('hea', { qubits: 8, layers: 3, seed: 0, angle: 0.7, periodic: true });
  const file = join(dir, 'hea8.ncl');
  writeFileSync(file, circuitToDsl(circuit));

  it('propagate: an observable truncated away is flagged, exit code unchanged', () => {
    const obs = 'Z0 Z1 Z2 Z3';
    // Independently: the library run drops every term.
    const lib = propagate(circuit, new Float64Array(0), parseObservableText(obs, { numQubits: 8 }), { maxWeight: 3 });
    expect(lib.terms).toBe(0);
    expect(lib.droppedWeight).toBeGreaterThan(0);
    const r = runCli(['propagate', file, '-o', obs, '--max-weight', '3', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.warnings).toHaveLength(1);
    expect(j.warnings[0]).toMatch(/^the observable was truncated away: no term survived/);
    expect(r.stderr).toMatch(/^warning: the observable was truncated away/m);
  });

  it('propagate: dropped weight ≥ |value| is flagged; an untruncated run has no warning', () => {
    const obs = parseObservableText('Z0', { numQubits: 8 });
    const lib = propagate(circuit, new Float64Array(0), obs, { maxWeight: 2 });
    const r = JSON.parse(runCli(['propagate', file, '-o', 'Z0', '--max-weight', '2', '--json']).stdout);
    expect(r.warnings.length > 0).toBe(lib.droppedWeight >= Math.abs(lib.value) && lib.terms > 0);
    const exact = runCli(['propagate', file, '-o', 'Z0', '--min-abs', '0', '--json']);
    expect(JSON.parse(exact.stdout).warnings).toEqual([]);
    expect(exact.stderr).toBe('');
  });

  it('surrogate: a region bound above the largest possible |value| is flagged', () => {
    const r = runCli(['surrogate', 'examples/mhea-4.ncl', '--order', '1', '--radius', '1', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.bound).toBeGreaterThan(1);
    expect(j.warnings.join('\n')).toMatch(/region bound .* guarantees nothing on this region/);
  });

  it('--progress shows progress lines on a non-terminal stderr', () => {
    const r = runCli(['propagate', file, '-o', 'Z0', '--min-abs', '0', '--progress']);
    expect(r.status).toBe(0);
    // The first update shows at once, later ones at most once a second, each on its own line.
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toMatch(/^propagate: gate \d+ of \d+, \d+ live terms \(.* resident\)$/);
    expect(runCli(['propagate', file, '-o', 'Z0', '--min-abs', '0']).stderr).toBe('');
  });
});
