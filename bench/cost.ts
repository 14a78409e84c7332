/**
 * `cost` and `check` benchmark (issue 6). Run: `npx tsx bench/cost.ts` (`--quick` for the small
 * cases only). Writes bench/results/cost.json:
 *  - predicted (upper bounds) versus measured surrogate sizes for mHEA and fHEA, L = 1, σ = 1/D,
 *    ε = 1e−6, observable Z0 Z1, N = 8 … 128;
 *  - analytic estimate time at huge D (the phase-diagram corner, D = 2·10⁸);
 *  - `check` throughput: probes per second against the exact simulator (N = 12) and against the
 *    Taylor reference (N = 64).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureCost } from '../src/cost/measure.js';
import { phaseDiagram } from '../src/cost/phase-diagram.js';
import { estimateCost } from '../src/cost/estimate.js';
import { buildAnsatz } from '../src/ansatz/families.js';
import { checkClaim } from '../src/check/check.js';
import { parseClaim } from '../src/check/claim.js';
import { parseObservableText } from '../src/pauli/observable-text.js';

const quick = process.argv.includes('--quick');
const sizes = quick ? [8, 16, 32] : [8, 16, 32, 64, 128];
const eps = 1e-6;

const sizeRows: Record<string, unknown>[] = [];
for (const family of ['mhea', 'fhea'] as const) {
  for (const N of sizes) {
    const circuit = buildAnsatz(family, { qubits: N, layers: 1 });
    const observable = parseObservableText('Z0 Z1', { numQubits: N });
    const t0 = performance.now();
    const e = estimateCost({ circuit, observable }, { eps, region: { kind: 'sigma', text: '1/D' } });
    const estimateSeconds = (performance.now() - t0) / 1000;
    const m = measureCost(circuit, observable, e);
    const row = {
      family, N, D: e.numParameters, order: e.order, order_at_mean: e.orderAtMean, max_sins: e.paths.maxSins,
      estimate_seconds: estimateSeconds,
      cone: e.lightCone,
      monomials_upper_bound: e.taylor.monomialsUpperBound.exact, monomials_upper_bound_log10: e.taylor.monomialsUpperBound.log10,
      terms_upper_bound_log10: e.taylor.termsUpperBound.log10,
      paths_strings_upper_bound_log10: e.paths.stringsUpperBound.log10,
      parameter_shift_log10: e.parameterShiftEvaluations.log10,
      measured: m,
    };
    sizeRows.push(row);
    const tm = 'error' in m.taylor ? m.taylor.error : `${m.taylor.monomials} monomials, ${m.taylor.terms} terms, ${m.taylor.buildSeconds.toFixed(3)} s`;
    process.stdout.write(`${family} N=${N} D=${e.numParameters} m=${e.order}: bound ≤ 10^${e.taylor.monomialsUpperBound.log10.toFixed(1)} monomials; measured ${tm}\n`);
  }
}

const t1 = performance.now();
const huge = estimateCost({ numParameters: 2e8 }, { eps, region: { kind: 'sigma', text: '1' } });
const hugeSeconds = (performance.now() - t1) / 1000;
const t2 = performance.now();
const diagram = phaseDiagram({ quick: false });
const phaseSeconds = (performance.now() - t2) / 1000;
process.stdout.write(`estimate at D = 2e8, σ = 1: ${hugeSeconds.toFixed(3)} s (order ${huge.order}); full phase grid (${diagram.cells.length} cells): ${phaseSeconds.toFixed(2)} s\n`);

function checkRate(N: number, claim: string, samples: number): Record<string, unknown> {
  const circuit = buildAnsatz('mhea', { qubits: N, layers: 1 });
  const observable = parseObservableText('Z0 Z1', { numQubits: N });
  const r = checkClaim(circuit, observable, parseClaim(claim), { seed: 1, samples });
  process.stdout.write(`check N=${N} '${claim}': ${r.status}, ${r.pointsEvaluated} points in ${r.seconds.toFixed(2)} s (${r.reference})\n`);
  return { N, claim, status: r.status, samples, points: r.pointsEvaluated, seconds: r.seconds, points_per_second: r.pointsEvaluated / r.seconds, reference: r.reference };
}
const checks = [
  checkRate(12, 'order=8 eps=1e-6 sigma=1/D', quick ? 20 : 100),
  checkRate(quick ? 32 : 64, 'order=4 eps=1e-6 sigma=1/D', quick ? 20 : 100),
];

const out = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'cost.json'),
  JSON.stringify({
    benchmark: 'cost', date: new Date().toISOString(), node: process.version, loadavg: loadavg(), quick,
    sizes: sizeRows, huge_estimate_seconds: hugeSeconds, phase_grid_seconds: phaseSeconds, phase_cells: diagram.cells.length, checks,
  }, null, 2) + '\n',
);
process.stdout.write(`wrote ${join(out, 'cost.json')}\n`);
