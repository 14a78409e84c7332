// `npm run demo`: the main job on a bundled example, through the built CLI, step by step.
// A 4-qubit mHEA near the Clifford point θ* = 0: exact value and gradient, Pauli propagation,
// the Taylor surrogate with its error bound, the Linear Clifford Encoder, and one experiment
// with a rendered plot.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli.js');
const out = join(root, 'out/demo');
mkdirSync(out, { recursive: true });

const steps = [
  ['Exact state-vector simulation with the adjoint gradient',
    ['simulate', 'examples/mhea-4.ncl', '--observable', 'global_z', '--params', 'examples/mhea-4.params.json', '--gradient']],
  ['Numeric Pauli propagation of the same observable (no truncation beyond |c| < 1e-10)',
    ['propagate', 'examples/mhea-4.ncl', '--observable', 'global_z', '--params', 'examples/mhea-4.params.json']],
  ['Order-3 Taylor surrogate around θ* = 0, evaluated at the same point, with its rigorous bound',
    ['surrogate', 'examples/mhea-4.ncl', '--observable', 'global_z', '--order', '3',
      '--eval', 'examples/mhea-4.points.json', '--save', join(out, 'mhea-4.surrogate.json')]],
  ['Linear Clifford Encoder on the same circuit (gradient at θ* is ±1 for the target)',
    ['encode', 'examples/mhea-4.ncl', '--observable', 'global_z', '--target', 'auto', '--out', join(out, 'mhea-4.lce.ncl')]],
  ['Experiment 1 of the paper (gradient norm at θ* = 0 vs N, with and without LCE), quick run, with plots',
    ['experiment', 'gradient-norm', '--quick', '--out', join(out, 'gradient-norm')]],
  ['One report answering both questions (trainable? simulable, at what cost?), within a 30 s budget',
    ['analyze', 'examples/mhea-4.ncl', '--observable', 'global_z', '--time-budget', '30', '--out', join(out, 'analyze')]],
];

for (const [title, args] of steps) {
  process.stdout.write(`\n── ${title}\n$ nearclifford ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    process.stderr.write(`demo step failed (exit ${r.status})\n`);
    process.exit(1);
  }
}
process.stdout.write(`\nDemo outputs are in ${out} (surrogate JSON, encoded circuit, gradient-norm/ plots and summary).\n`);
process.stdout.write(`The analysis report: ${join(out, 'analyze', 'report.html')} (open it in a browser; it works offline)\n`);
