/**
 * Build a Taylor surrogate around θ* = 0, save it, load it back, and evaluate it with its rigorous
 * error bound against exact simulation. Run: `npm run build && npx tsx examples/surrogate.ts`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildAnsatz, buildTaylorSurrogate, createRng, expectation, parseObservableText, saveSurrogate, surrogateFromJSON,
} from 'nearclifford';

const circuit = buildAnsatz('mhea', { qubits: 8, layers: 1 }); // D = 32 parameters
const D = circuit.numParameters;
const observable = parseObservableText('Z0 + 0.5*Z3 Z4', { numQubits: 8 });
const built = buildTaylorSurrogate(circuit, observable, { order: 3 });
console.log(`order-3 surrogate: ${built.size().monomials} monomials, ${built.size().terms} terms`);

const dir = mkdtempSync(join(tmpdir(), 'nearclifford-example-'));
try {
  const file = join(dir, 'mhea-8.surrogate.json');
  saveSurrogate(built, file);
  const loaded = surrogateFromJSON(JSON.parse(readFileSync(file, 'utf8')), file);

  // Points δ ~ N(0, σ²I) with σ = 1/D: the surrogate is accurate there.
  const rng = createRng(7);
  const sigma = 1 / D;
  let worst = 0;
  for (let i = 0; i < 20; i++) {
    const point = Float64Array.from({ length: D }, () => sigma * rng.normal());
    const approx = loaded.value(point);
    const exact = expectation(circuit, point, observable);
    const bound = loaded.bound(point);
    if (Math.abs(approx - exact) > bound) throw new Error(`error ${Math.abs(approx - exact)} exceeds the bound ${bound}`);
    worst = Math.max(worst, Math.abs(approx - exact));
  }
  const regionBound = loaded.regionBound({ kind: 'gaussian', sigma, tailProbability: 1e-6 });
  console.log(`worst |T₃ − C| over 20 points: ${worst.toExponential(2)}; bound on the region σ = 1/D: ${regionBound.toExponential(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('ok');
