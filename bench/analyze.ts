/**
 * `analyze` benchmark (issue 18): does the whole analysis, report included, stay within its time
 * budget on the bundled examples and on 127-qubit circuits? Runs the built CLI (npm run build first)
 * as a user would. Run: `npx tsx bench/analyze.ts` (`--quick`: examples only, 10 s budgets).
 * Writes bench/results/analyze.json: per input the budget, wall seconds of the process, seconds per
 * section (render included), the verdicts and what did not fit. The machine's load average is
 * recorded: wall times on a shared machine are upper bounds of quiet-machine times.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli.js');
const quick = process.argv.includes('--quick');
const work = mkdtempSync(join(tmpdir(), 'nc-bench-analyze-'));

function ansatz(family: string, N: number, L: number, observable: string): string {
  const r = spawnSync(process.execPath, [cli, 'ansatz', family, '--qubits', String(N), '--layers', String(L)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const file = join(work, `${family}-${N}-${L}.ncl`);
  writeFileSync(file, `${r.stdout}\nobservable O = ${observable};\n`);
  return file;
}

const exampleBudget = quick ? 10 : 20;
const cases: { name: string; file: string; budget: number; args: string[] }[] = [
  { name: 'examples/mhea-4.ncl', file: join(root, 'examples/mhea-4.ncl'), budget: exampleBudget, args: [] },
  { name: 'examples/tfi-8.ncl', file: join(root, 'examples/tfi-8.ncl'), budget: exampleBudget, args: [] },
  { name: 'examples/shared-params.ncl', file: join(root, 'examples/shared-params.ncl'), budget: exampleBudget, args: [] },
  { name: 'examples/efficient_su2_qiskit.qasm', file: join(root, 'examples/efficient_su2_qiskit.qasm'), budget: exampleBudget, args: [] },
  { name: 'examples/efficient_su2_bound_qasm2.qasm', file: join(root, 'examples/efficient_su2_bound_qasm2.qasm'), budget: exampleBudget, args: ['--observable', 'Z0 Z1'] },
];
if (!quick) {
  cases.push({ name: 'hea 127 qubits, 1 layer, Z63', file: ansatz('hea', 127, 1, 'Z63'), budget: 60, args: [] });
  cases.push({ name: 'tfi 127 qubits, 2 layers, Z0 Z1 + Z63', file: ansatz('tfi', 127, 2, 'Z0 Z1 + Z63'), budget: 60, args: [] });
}

const rows: Record<string, unknown>[] = [];
for (const c of cases) {
  const out = join(work, c.name.replace(/[^A-Za-z0-9]+/g, '_'));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'analyze', c.file, '--out', out, '--time-budget', String(c.budget), '--json', ...c.args], { encoding: 'utf8', cwd: root });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    rows.push({ name: c.name, budget: c.budget, error: r.stderr.trim() });
    process.stdout.write(`${c.name}: FAILED ${r.stderr}\n`);
    continue;
  }
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const row = {
    name: c.name, budget: c.budget, wall_seconds: wall, within_budget: wall <= c.budget,
    qubits: report.circuit.qubits, parameters: report.circuit.parameters,
    sections: report.timing.sections, analysis_seconds: report.timing.total_seconds,
    verdicts: report.summary.map((v: { sigma: string; text: string }) => `σ=${v.sigma}: ${v.text}`),
    not_done: report.not_done.length,
    center_engine: report.center.engine,
    gradient_engines: [...new Set(report.trainability.cells.map((x: { engine: string }) => x.engine))],
  };
  rows.push(row);
  process.stdout.write(`${c.name}: ${wall.toFixed(1)} s of ${c.budget} s (render ${report.timing.sections.render.toFixed(1)} s); ${row.verdicts.join('; ')}\n`);
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/analyze.json'), JSON.stringify({
  benchmark: 'analyze', date: new Date().toISOString(), node: process.version, loadavg: loadavg(), quick,
  note: 'wall seconds of the whole CLI process (start-up, analysis, rendering, writing) on a shared 2-core machine; load average recorded',
  cases: rows,
}, null, 2) + '\n');
