import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { twoSidedNormalQuantile } from '../../src/bounds/angle-rows.js';
import { RemainderAccumulator } from '../../src/bounds/aposteriori.js';
import { estimateFromErrors, studentQuantile } from '../../src/bounds/estimates.js';
import { taylorRemainderFactor } from '../../src/bounds/order.js';
import { parameterExpr } from '../../src/ir/affine.js';
import { rotationGate } from '../../src/ir/gate-library.js';
import type { Circuit } from '../../src/ir/types.js';
import { buildAnsatz } from '../../src/ansatz/index.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { createRng } from '../../src/random/rng.js';
import { surrogateDocument, surrogateFromJSON } from '../../src/surrogate/serialize.js';
import { SURROGATE_VERSION, withContentHash } from '../../src/surrogate/meta-json.js';
import { buildTaylorSurrogate } from '../../src/surrogate/taylor-build.js';
import { cliBuilt, runCli } from '../cli/run-cli.js';
import { estimateSurrogateError } from '../../src/cost/estimate-error.js';

const oneRotation: Circuit = {
  numQubits: 1, parameters: [{ name: 'a', length: null, offset: 0 }], numParameters: 1,
  gates: [rotationGate('Y', [0], parameterExpr(0))], observables: [],
};

describe('a-posteriori bound', () => {
  it('ry(a) on Z: exactly the Lagrange remainder of cos a (the sin branch X has zero overlap with |0⟩)', () => {
    for (let m = 0; m <= 6; m++) {
      const s = buildTaylorSurrogate(oneRotation, parseObservableText('Z0'), { order: m });
      for (const a of [0.01, 0.3, 1.2]) {
        const b = s.boundsByKind([a]);
        // cos kept to degree m: the first dropped power is the next even one, 2⌊m/2⌋ + 2.
        const p = 2 * Math.floor(m / 2) + 2;
        let f = 1;
        for (let k = 2; k <= p; k++) f *= k;
        expect(b.aposteriori).toBeCloseTo(a ** p / f, 15);
        expect(Math.abs(s.value([a]) - Math.cos(a))).toBeLessThanOrEqual(b.aposteriori! + 1e-16);
        expect(b.apriori).toBeCloseTo(taylorRemainderFactor(a, m), 15);
      }
    }
  });

  it('saved version-2 files (hashed, no certificates) still load and fall back to the a-priori bound', () => {
    const s = buildTaylorSurrogate(oneRotation, parseObservableText('Z0'), { order: 2 });
    const doc = surrogateDocument(s);
    expect(doc.version).toBe(SURROGATE_VERSION);
    // What a version-2 writer produced: the same envelope without certificates, hashed.
    const { content_hash: _h, certificates: _c, ...rest } = doc;
    const v2 = withContentHash({ ...rest, version: 2 });
    const old = surrogateFromJSON(v2);
    const k = old.boundsByKind([0.2]);
    expect(k.lightCone).toBeNull();
    expect(k.aposteriori).toBeNull();
    expect(k.tightest).toBe(k.apriori);
    expect(() => surrogateFromJSON(withContentHash({ ...rest, version: 2, certificates: {} }), 'v2.json')).toThrow(/v2\.json: version 2 files carry no certificates/);
    // A malformed certificate is refused with the file's name, after the hash check passed.
    const bad = withContentHash({ ...rest, certificates: { aposteriori: { max_reach: 0 } } });
    expect(() => surrogateFromJSON(bad, 'bad.json')).toThrow(/bad\.json: aposteriori: max_reach/);
    // Unchanged but unhashed: refused (an edited file must not carry stale certificates).
    expect(() => surrogateFromJSON({ ...rest }, 'x.json')).toThrow(/x\.json: no content_hash/);
  });

  it('an accumulator past its entry budget yields no certificate rather than an incomplete one', () => {
    const steps = { numSteps: 1, rowOf: Int32Array.of(-1), fixedGain: Float64Array.of(1) };
    const acc = new RemainderAccumulator(steps, 3, 1024);
    const degree = new Uint8Array(5000);
    for (let mono = 0; mono < 1024; mono++) acc.pruned(1, mono, 1, 1);
    expect(acc.finish(degree, new Int32Array(0), 0)?.entries).toBe(1024);
    const over = new RemainderAccumulator(steps, 3, 1024);
    for (let mono = 0; mono < 5000; mono++) over.pruned(1, mono, 1, 1);
    expect(over.overflowed).toBe(true);
    expect(over.finish(degree, new Int32Array(0), 0)).toBeNull();
  });

  it('the light cone makes the needed order of a local observable independent of N', () => {
    const orders = [8, 16, 32].map((N) => {
      const c = buildAnsatz('mhea', { qubits: N, layers: 1 });
      const s = buildTaylorSurrogate(c, parseObservableText('Z0'), { order: 2 });
      const r = s.regionBoundsByKind({ kind: 'hypercube', radius: 0.01 });
      return { lc: r.lightCone!, ap: r.apriori };
    });
    expect(orders[0]!.lc).toBeCloseTo(orders[2]!.lc, 15);
    expect(orders[2]!.ap).toBeGreaterThan(orders[0]!.ap * 10);
  });
});

describe('statistical estimates (labelled, not bounds)', () => {
  it('quantiles match standard tables', () => {
    expect(twoSidedNormalQuantile(0.05)).toBeCloseTo(1.959964, 5);
    expect(twoSidedNormalQuantile(1e-6)).toBeCloseTo(4.891638, 5);
    expect(studentQuantile(0.05, 10)).toBeCloseTo(2.228, 2);
    expect(studentQuantile(0.05, 30)).toBeCloseTo(2.042, 3);
  });

  it('intervals cover at their nominal rate on synthetic error distributions', () => {
    const rng = createRng(20251201);
    const dists: [string, () => number, number, (q: number) => number][] = [
      ['exponential', () => -Math.log(1 - rng.next()), 1, (q) => -Math.log(1 - q)],
      ['uniform', () => rng.next(), 0.5, (q) => q],
      ['half-normal', () => Math.abs(rng.normal()), Math.sqrt(2 / Math.PI), (q) => twoSidedNormalQuantile(1 - q)],
    ];
    const trials = 400;
    for (const [name, draw, mean, quantile] of dists) {
      let meanCovered = 0;
      let maxCovered = 0;
      for (let t = 0; t < trials; t++) {
        const e = estimateFromErrors(Array.from({ length: 60 }, draw), 0.95);
        expect(e.label).toBe('estimate (not a bound)');
        if (e.meanInterval[0] <= mean && mean <= e.meanInterval[1]) meanCovered++;
        if (quantile(e.maxCoversFraction) <= e.max) maxCovered++;
      }
      // 95 % nominal; binomial sd over 400 trials ≈ 1.1 %.
      expect(meanCovered / trials, `${name}: mean interval`).toBeGreaterThan(0.91);
      expect(meanCovered / trials, `${name}: mean interval`).toBeLessThan(0.985);
      expect(maxCovered / trials, `${name}: max statement`).toBeGreaterThan(0.92);
    }
  });
});

describe('estimates against a higher-order reference', () => {
  it('over-estimate each sampled error (reference error plus its rigorous bound) and stay labelled', () => {
    const c = buildAnsatz('mhea', { qubits: 6, layers: 1 });
    const obs = parseObservableText('Z0 + 0.5*Z1 Z2', { numQubits: 6 });
    const s = buildTaylorSurrogate(c, obs, { order: 2 });
    const region = { kind: 'gaussian' as const, sigma: 0.1, tailProbability: 1e-6 };
    const opts = { samples: 40, seed: 3, center: new Float64Array(c.numParameters), initialState: { kind: 'zero' as const } };
    const exact = estimateSurrogateError(s, c, obs, region, opts);
    const ref = estimateSurrogateError(s, c, obs, region, { ...opts, exactMaxQubits: 0 });
    expect(exact.reference).toBe('exact state vector');
    expect(ref.reference).toBe('Taylor order 4 (+ its rigorous bound)');
    // Same points (same seed): every reference-based error is at least the exact one.
    expect(ref.estimate.mean).toBeGreaterThanOrEqual(exact.estimate.mean);
    expect(ref.estimate.max).toBeGreaterThanOrEqual(exact.estimate.max);
    expect(ref.estimate.label).toBe('estimate (not a bound)');
  });
});

describe.runIf(cliBuilt)('bounds in the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nc-bounds-'));
  const file = join(dir, 'm.ncl');
  writeFileSync(file, runCli(['ansatz', 'mhea', '--qubits', '6', '--layers', '1']).stdout);

  it('cost reports the paper and light-cone predictions and, with --certify, the certified order', () => {
    const r = runCli(['cost', file, '--observable', 'Z0', '--eps', '1e-3', '--radius', '0.05', '--certify', '--json']);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j.predicted_order_paper).toBe(j.order);
    expect(j.predicted_order_light_cone).toBeLessThanOrEqual(j.predicted_order_paper);
    expect(j.certified.order).toBeLessThanOrEqual(j.predicted_order_light_cone);
    expect(j.certified.bound).toBeLessThanOrEqual(1e-3);
  });

  it('check takes bound=…; surrogate --estimate labels its estimate', () => {
    for (const bound of ['apriori', 'light-cone', 'aposteriori']) {
      const r = runCli(['check', file, '--observable', 'Z0', '--claim', `order=3 eps=1e-2 radius=0.05 bound=${bound}`, '--samples', '20', '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).claim).toContain(`bound=${bound}`);
    }
    const bad = runCli(['check', file, '--claim', 'order=3 eps=1e-2 radius=0.05 bound=exact']);
    expect(bad.status).toBe(2); // a malformed claim is a usage error
    expect(bad.stderr).toMatch(/bound must be one of/);
    const s = JSON.parse(runCli(['surrogate', file, '--observable', 'Z0', '--order', '2', '--sigma', 'D^-0.5', '--estimate', '30', '--json']).stdout);
    expect(s.estimates.label).toBe('estimate (not a bound)');
    expect(s.estimates.max_error).toBeLessThanOrEqual(s.estimates.max_bound_at_points);
    expect(s.bounds_by_kind.apriori).toBeGreaterThanOrEqual(s.bound);
  });
});
