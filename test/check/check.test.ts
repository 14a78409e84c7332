import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseTaylorOrder, gaussianL1Quantile } from '../../src/bounds/order.js';
import { buildAnsatz } from '../../src/ansatz/families.js';
import { checkClaim, type CheckResult } from '../../src/check/check.js';
import { parseClaim } from '../../src/check/claim.js';
import { decodeProbe, normalQuantile, probeArbitrary, samplingRegion } from '../../src/check/sampling.js';
import { registerCheckCommand } from '../../src/cli/commands/check.js';
import { propagate } from '../../src/propagation/index.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { circuitToQasm3 } from '../../src/printing/qasm.js';
import { expectation } from '../../src/simulators/statevector/index.js';
import { AngleForms } from '../../src/surrogate/forms.js';
import { buildTaylorSurrogate } from '../../src/surrogate/taylor-build.js';

const SEED = Number(process.env.FC_SEED ?? 424242);

const N = 4;
const circuit = buildAnsatz('mhea', { qubits: N, layers: 1 }); // D = 16
const observable = parseObservableText('Z0 Z1 + 0.5*X2', { numQubits: N });
const D = circuit.numParameters;
const quick = { seed: SEED, samples: 25, shrinkSeconds: 2 };

/** The counterexample, re-evaluated without the checker: exact simulation versus a fresh build. */
function expectGenuineRefutation(r: CheckResult, approximate: (theta: Float64Array) => number): void {
  expect(r.status).toBe('refuted');
  const c = r.counterexample!;
  expect(c).not.toBeNull();
  const exact = expectation(circuit, c.theta, observable);
  expect(Math.abs(approximate(c.theta) - exact)).toBeGreaterThan(r.claim.eps);
  expect(c.reference).toBeCloseTo(exact, 12);
  // It lies in the tested set.
  const forms = AngleForms.fromCircuit(circuit);
  expect(forms.displacementL1(c.delta)).toBeLessThanOrEqual(r.region.extent * (1 + 1e-12));
  for (const v of c.delta) expect(Math.abs(v)).toBeLessThanOrEqual(r.region.box * (1 + 1e-12));
  expect(r.worst!.error).toBeGreaterThanOrEqual(c.error);
  expect(r.seed).toBe(SEED);
}

describe('check: Taylor claims', () => {
  it('refutes an order too low for the region, with a shrunk, genuine counterexample', () => {
    const claim = parseClaim('order=1 eps=1e-6 sigma=0.05');
    const r = checkClaim(circuit, observable, claim, quick);
    const t1 = buildTaylorSurrogate(circuit, observable, { order: 1 });
    expectGenuineRefutation(r, (theta) => t1.value(theta));
    expect(r.reference).toMatch(/exact/);
    expect(r.regionBound!).toBeGreaterThan(1e-6);
    // Shrinking moved it toward the center: the refuting point is smaller than the worst one.
    expect(r.counterexample!.deltaL1).toBeLessThan(r.worst!.deltaL1);
    expect(r.counterexample!.radialFactor).toBeLessThanOrEqual(1);
  });

  it('replaying seed + path gives the same counterexample', () => {
    const claim = parseClaim('order=1 eps=1e-6 sigma=0.05');
    const r = checkClaim(circuit, observable, claim, quick);
    const again = checkClaim(circuit, observable, claim, { ...quick, path: r.counterexample!.path });
    expect(again.samples).toBe(1);
    expect(Array.from(again.counterexample!.theta)).toEqual(Array.from(r.counterexample!.theta));
  });

  it('accepts an order whose rigorous region bound is below ε', () => {
    const stats = AngleForms.fromCircuit(circuit).stats();
    const t = gaussianL1Quantile(stats, 1 / D, 1e-6);
    const norm = 1.5; // ‖O‖₁ of Z0 Z1 + 0.5 X2
    const { order, bound } = chooseTaylorOrder(norm, t, 1e-6);
    expect(bound).toBeLessThanOrEqual(1e-6);
    const r = checkClaim(circuit, observable, parseClaim(`order=${order} eps=1e-6 sigma=1/D`), quick);
    expect(r.status).toBe('held');
    expect(r.refutedPoints + r.undecidedPoints).toBe(0);
    expect(r.worst!.error).toBeLessThanOrEqual(1e-6);
    expect(r.pointsEvaluated).toBe(25 * 4);
    // The tightest kind by default; the paper's a-priori bound with bound=apriori.
    expect(r.regionBound!).toBeLessThanOrEqual(bound * (1 + 1e-12));
    const ap = checkClaim(circuit, observable, parseClaim(`order=${order} eps=1e-6 sigma=1/D bound=apriori`), quick);
    expect(ap.regionBound).toBeCloseTo(bound, 15);
  });

  it('hypercube and ℓ1 regions too', () => {
    expect(checkClaim(circuit, observable, parseClaim('order=2 eps=1e-8 radius=0.1'), quick).status).toBe('refuted');
    expect(checkClaim(circuit, observable, parseClaim('order=12 eps=1e-6 l1=1'), quick).status).toBe('held');
  });

  it('beyond the exact limit the Taylor reference reaches the same verdicts', () => {
    const opts = { ...quick, exactMaxQubits: 2 };
    const bad = checkClaim(circuit, observable, parseClaim('order=1 eps=1e-6 sigma=0.05'), opts);
    expect(bad.reference).toMatch(/^Taylor surrogate of order/);
    const t1 = buildTaylorSurrogate(circuit, observable, { order: 1 });
    expectGenuineRefutation(bad, (theta) => t1.value(theta));
    expect(checkClaim(circuit, observable, parseClaim('order=12 eps=1e-6 l1=1'), opts).status).toBe('held');
  });

  it('a reference too coarse to decide gives "undecided", never a false verdict', () => {
    const r = checkClaim(circuit, observable, parseClaim('order=12 eps=1e-6 l1=1'), { ...quick, reference: { kind: 'taylor', order: 2 } });
    expect(r.status).toBe('undecided');
    expect(r.refutedPoints).toBe(0);
  });
});

describe('check: propagation and path claims', () => {
  it('untruncated propagation holds everywhere; weight truncation is refuted', () => {
    expect(checkClaim(circuit, observable, parseClaim('propagate min-abs=0 eps=1e-10'), quick).status).toBe('held');
    const claim = parseClaim('propagate max-weight=1 eps=1e-4 sigma=0.2');
    const r = checkClaim(circuit, observable, claim, quick);
    expectGenuineRefutation(r, (theta) => propagate(circuit, theta, observable, { maxWeight: 1 }).value);
  });

  it('the propagation reference (beyond the exact limit) agrees', () => {
    const opts = { ...quick, exactMaxQubits: 2 };
    const r = checkClaim(circuit, observable, parseClaim('propagate max-weight=1 eps=1e-4 sigma=0.2'), opts);
    expect(r.reference).toMatch(/Pauli propagation with min-abs/);
    expectGenuineRefutation(r, (theta) => propagate(circuit, theta, observable, { maxWeight: 1 }).value);
  });

  it('paths: S covering every gate is exact; S = 0 is refuted', () => {
    expect(checkClaim(circuit, observable, parseClaim(`paths max-sins=${D} eps=1e-10 radius=1`), quick).status).toBe('held');
    expect(checkClaim(circuit, observable, parseClaim('paths max-sins=0 eps=1e-6 radius=0.2'), quick).status).toBe('refuted');
  });
});

describe('check: sampling', () => {
  /** Φ(x) by composite Simpson integration of the density from 0 (independent of the quantile code). */
  function normalCdf(x: number): number {
    const n = 20_000;
    const h = x / n;
    const f = (u: number) => Math.exp(-u * u / 2) / Math.sqrt(2 * Math.PI);
    let s = f(0) + f(x);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(i * h);
    return 0.5 + (s * h) / 3;
  }

  it('normalQuantile inverts the normal CDF', () => {
    for (const p of [1e-9, 1e-4, 0.01, 0.02425, 0.1, 0.3, 0.5, 0.77, 0.975, 0.999, 1 - 1e-7]) {
      const x = normalQuantile(p);
      const back = normalCdf(x);
      // Acklam: |Δx| ≤ 1.15e−9·|x|, so |Δp| ≤ φ(x)·1.15e−9·|x| (+ Simpson's own error).
      const density = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
      expect(Math.abs(back - p)).toBeLessThan(1.2e-9 * Math.abs(x) * density + 1e-13);
      expect(normalQuantile(1 - p)).toBeCloseTo(-x, 8);
    }
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
  });

  it('every decoded point lies in its tested set; the zero latent is the center', () => {
    const forms = AngleForms.fromCircuit(circuit);
    const regions = [
      samplingRegion({ kind: 'sigma', text: '1/D', tail: 1e-6 }, forms),
      samplingRegion({ kind: 'sigma', text: '0.3', tail: 0.1 }, forms),
      samplingRegion({ kind: 'radius', text: '0.2' }, forms),
      samplingRegion({ kind: 'l1', text: '1.5' }, forms),
    ];
    fc.assert(
      fc.property(probeArbitrary(D, 3), fc.constantFrom(...regions), (p, region) => {
        for (const d of decodeProbe(region, p)) {
          expect(forms.displacementL1(d)).toBeLessThanOrEqual(region.extent * (1 + 1e-12));
          let l1 = 0;
          for (const v of d) {
            expect(Math.abs(v)).toBeLessThanOrEqual(region.box * (1 + 1e-12));
            l1 += Math.abs(v);
          }
          if (region.kind === 'l1') expect(l1).toBeLessThanOrEqual(region.scale * (1 + 1e-12));
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
    const zero = { z: new Array(D).fill(0), boundary: 3, rho: 0, jitter: [new Array(D).fill(0)] };
    for (const region of regions) for (const d of decodeProbe(region, zero)) expect(Array.from(d).every((v) => v === 0)).toBe(true);
  });

  it('Gaussian probes have the right spread', () => {
    const forms = AngleForms.fromCircuit(circuit);
    const region = samplingRegion({ kind: 'sigma', text: '0.01', tail: 1e-6 }, forms);
    const probes = fc.sample(probeArbitrary(D, 0), { seed: SEED, numRuns: 400 }).filter((p) => p.boundary !== 3);
    let s2 = 0, n = 0;
    for (const p of probes) for (const v of decodeProbe(region, p)[0]!) {
      s2 += v * v;
      n++;
    }
    expect(Math.sqrt(s2 / n) / 0.01).toBeGreaterThan(0.93);
    expect(Math.sqrt(s2 / n) / 0.01).toBeLessThan(1.07);
  });
});

describe('check command: exit codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nc-check-'));
  const file = join(dir, 'mhea4.qasm');
  writeFileSync(file, circuitToQasm3(circuit));
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '', err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
    process.exitCode = undefined;
    const program = new Command().exitOverride();
    registerCheckCommand(program);
    await program.parseAsync(['node', 'nearclifford', 'check', file, '--observable', 'Z0 Z1', '--samples', '10', '--seed', '7', '--shrink-seconds', '1', ...args]);
    const code = Number(process.exitCode ?? 0);
    vi.restoreAllMocks();
    process.exitCode = undefined;
    return { code, out, err };
  }

  it('0 when the claim held, 1 when refuted, 2 on usage errors, 3 when undecided', async () => {
    const held = await run(['--claim', 'order=12 eps=1e-6 l1=1', '--json']);
    expect(held.code).toBe(0);
    expect(JSON.parse(held.out)).toMatchObject({ status: 'held', seed: 7, counterexample: null });
    const refuted = await run(['--claim', 'order=1 eps=1e-6 sigma=0.05', '--json']);
    expect(refuted.code).toBe(1);
    const j = JSON.parse(refuted.out);
    expect(j.status).toBe('refuted');
    expect(j.counterexample.point.theta).toHaveLength(D);
    expect(j.replay).toMatch(/--seed 7/);
    const usage = await run(['--claim', 'order=1 sigma=0.05']);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/missing eps/);
    const undecided = await run(['--claim', 'order=12 eps=1e-6 l1=1', '--reference', 'taylor:2']);
    expect(undecided.code).toBe(3);
    expect(undecided.out).toMatch(/^UNDECIDED/);
    expect((await run(['--claim', 'order=1 eps=1e-6 sigma=0.05', '--reference', 'bogus'])).code).toBe(2);
  });
});
