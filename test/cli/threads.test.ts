import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from './run-cli.js';

/**
 * `propagate --threads`: a run large enough to move to threads (> 32,768 terms) prints the same
 * terms and statistics as one thread and says how many threads it used; bad counts are usage errors.
 */
describe.runIf(cliBuilt)('nearclifford propagate --threads', () => {
  const tfi = runCli(['ansatz', 'tfi', '--qubits', '20', '--layers', '12']);
  const params = JSON.stringify({ theta: Array(480).fill(0.3) });
  const args = (t: string) => ['propagate', '-', '-o', 'Z10', '-p', params, '--max-weight', '8', '--min-abs', '1e-7', '--json', '--threads', t];

  it('1, 2 and auto threads give the same report', () => {
    expect(tfi.status).toBe(0);
    const reports = ['1', '2', 'auto'].map((t) => {
      const r = runCli(args(t), tfi.stdout);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, number>;
    });
    const [one, two] = reports as [Record<string, number>, Record<string, number>];
    expect(one.terms).toBeGreaterThan(32768);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    for (const r of reports) {
      expect(r.terms).toBe(one.terms);
      expect(r.peak_terms).toBe(one.peak_terms);
      expect(r.term_updates).toBe(one.term_updates);
      expect(r.dropped_terms).toBe(one.dropped_terms);
      expect(Math.abs(r.value! - one.value!)).toBeLessThanOrEqual(1e-12);
    }
  });

  it.each(['0', '65', '1.5', 'many'])('--threads %s is a usage error (exit 2)', (t) => {
    const r = runCli(args(t), tfi.stdout);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--threads <n>.*expected auto or an integer from 1 to 64/);
  });
});
