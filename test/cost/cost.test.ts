import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  binomialCount, binomialPrefixCount, formatCount, log10Binomial, MAX_EXACT_DIGITS, multiplyCounts, powerOfTwoCount,
} from '../../src/bounds/counts.js';
import { measureCost } from '../../src/cost/measure.js';
import { phaseDiagram, phaseQubits, writePhaseDiagram } from '../../src/cost/phase-diagram.js';
import { classifyRegion, regimeOfExponent } from '../../src/cost/regime.js';
import { costToJSON } from '../../src/cost/report.js';
import { lightCone } from '../../src/bounds/light-cone.js';
import { estimateCost, type CostOptions } from '../../src/cost/estimate.js';
import { parseScaleExpression } from '../../src/bounds/scale.js';
import { buildAnsatz } from '../../src/ansatz/families.js';
import { UserError } from '../../src/ir/errors.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { circuitToQasm3 } from '../../src/printing/qasm.js';
import { buildPathSurrogate } from '../../src/surrogate/paths-build.js';
import { buildTaylorSurrogate } from '../../src/surrogate/taylor-build.js';
import { registerCostCommand } from '../../src/cli/commands/cost.js';
import { circuitArb, observableArb } from '../helpers/random-circuits.js';

const SEED = Number(process.env.FC_SEED ?? 20250610);

// ---------------------------------------------------------------------------------------------
// Independent references, written without the code under test.

function factorial(k: number): bigint {
  let f = 1n;
  for (let i = 2n; i <= BigInt(k); i++) f *= i;
  return f;
}

/** C(n, k) by the multiplicative formula in BigInt. */
function binom(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/**
 * Smallest m with t^{m+1}/(m+1)! ≤ ε for t = p/q and ε = 1/E, decided exactly:
 * p^k·E ≤ q^k·k! with k = m + 1.
 */
function exactOrder(p: bigint, q: bigint, E: bigint): number {
  for (let k = 1; k < 10_000; k++) {
    if (p ** BigInt(k) * E <= q ** BigInt(k) * factorial(k)) return k - 1;
  }
  throw new Error('no order below 10^4');
}

const l1 = (t: string): CostOptions => ({ eps: 1e-6, region: { kind: 'l1', text: t } });

/** Every number in a JSON value is finite (JSON has no NaN/Infinity; they would turn into null). */
function assertFiniteNumbers(v: unknown, path = '$'): void {
  if (typeof v === 'number') expect(Number.isFinite(v), path).toBe(true);
  else if (Array.isArray(v)) v.forEach((x, i) => assertFiniteNumbers(x, `${path}[${i}]`));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) assertFiniteNumbers(x, `${path}.${k}`);
}

describe('cost: Taylor orders against exact hand computation', () => {
  // t = p/q; ε = 1e−6.
  const cases: [string, bigint, bigint][] = [
    ['0.1', 1n, 10n], ['0.8', 4n, 5n], ['1', 1n, 1n], ['2', 2n, 1n], ['10', 10n, 1n], ['100', 100n, 1n],
  ];
  for (const [t, p, q] of cases) {
    it(`‖δ‖₁ ≤ ${t}, ε = 1e−6`, () => {
      const expected = exactOrder(p, q, 1_000_000n);
      const e = estimateCost({ numParameters: 10 }, l1(t));
      expect(e.order).toBe(expected);
      expect(e.paperThreshold).toBe(expected + 1);
      expect(e.displacementBound).toBe(Number(t));
      expect(e.bound).toBeLessThanOrEqual(1e-6);
    });
  }

  it('the known values: t = 1 needs order 9, t = 0.1 order 4 (10!·1e−6 ≥ 1 > 9!·1e−6)', () => {
    expect(estimateCost({ numParameters: 1 }, l1('1')).order).toBe(9);
    expect(estimateCost({ numParameters: 1 }, l1('0.1')).order).toBe(4);
  });

  it('σ = 1/D with the paper\'s mean criterion gives order 8 for every D', () => {
    for (const D of [1, 2, 10, 64, 1000, 123_456, 1e9, 1e12]) {
      const e = estimateCost({ numParameters: D }, { eps: 1e-6, region: { kind: 'sigma', text: '1/D' }, sigmaCriterion: 'mean' });
      expect(e.order, `D = ${D}`).toBe(8);
      expect(e.displacementBound).toBeCloseTo(Math.sqrt(2 / Math.PI), 12);
      expect(e.regime.regime).toBe('polynomial');
    }
  });

  it('the rigorous quantile criterion needs more for small D and tends to order 8', () => {
    const orders = [16, 256, 4096, 1 << 20, 1e12].map(
      (D) => estimateCost({ numParameters: D }, { eps: 1e-6, region: { kind: 'sigma', text: '1/D' } }),
    );
    for (const e of orders) {
      expect(e.order).toBeGreaterThanOrEqual(8);
      expect(e.orderAtMean).toBe(8);
    }
    for (let i = 1; i < orders.length; i++) expect(orders[i]!.order).toBeLessThanOrEqual(orders[i - 1]!.order);
    expect(orders[orders.length - 1]!.order).toBe(8);
  });

  it('σ = D^−1/2 needs order ~ √D and σ = 1 order ~ D (REFERENCE §1)', () => {
    const at = (text: string, D: number) =>
      estimateCost({ numParameters: D }, { eps: 1e-6, region: { kind: 'sigma', text }, sigmaCriterion: 'mean' }).order;
    const r = at('D^-0.5', 40_000) / at('D^-0.5', 10_000);
    expect(r).toBeGreaterThan(1.7); // √4 = 2, with a slowly growing correction
    expect(r).toBeLessThan(2.2);
    const s = at('1', 40_000) / at('1', 10_000);
    expect(s).toBeGreaterThan(3.8);
    expect(s).toBeLessThan(4.2);
  });
});

describe('cost: regimes', () => {
  const regime = (kind: 'sigma' | 'radius' | 'l1', text: string, D: number) =>
    classifyRegion(kind, parseScaleExpression(text), D).regime;

  it('σ laws: a ≥ 1 polynomial, 1/3 ≤ a < 1 transition, a < 1/3 super-polynomial', () => {
    for (const D of [10, 1000, 1e6]) {
      expect(regime('sigma', '1/D', D)).toBe('polynomial');
      expect(regime('sigma', 'D^-1', D)).toBe('polynomial');
      expect(regime('sigma', '2*D^-1', D)).toBe('polynomial');
      expect(regime('sigma', 'D^-2', D)).toBe('polynomial');
      expect(regime('sigma', 'exp(-D)', D)).toBe('polynomial');
      expect(regime('sigma', 'D^-0.99', D)).toBe('transition');
      expect(regime('sigma', 'D^-0.5', D)).toBe('transition');
      expect(regime('sigma', 'D^(-1/3)', D)).toBe('transition');
      expect(regime('sigma', 'D^-0.33', D)).toBe('super-polynomial');
      expect(regime('sigma', 'D^-0.2', D)).toBe('super-polynomial');
      expect(regime('sigma', '1', D)).toBe('super-polynomial');
      expect(regime('sigma', '1/ln(D)', D)).toBe('super-polynomial');
      expect(regime('radius', 'D^-0.5', D)).toBe('transition');
    }
  });

  it('a constant is a constant family; the family through the point is reported beside it', () => {
    const at = (kind: 'sigma' | 'l1', text: string) => classifyRegion(kind, parseScaleExpression(text), 100);
    expect(at('sigma', '0.01').regime).toBe('super-polynomial'); // σ fixed while D grows: order ~ D
    expect(at('sigma', '0.01').exponentSource).toBe('constant');
    expect(at('sigma', '0.01').pointRegime).toBe('polynomial'); // = 1/D at D = 100
    expect(at('sigma', '0.1').pointRegime).toBe('transition'); // = D^−1/2
    expect(at('sigma', '0.3').pointRegime).toBe('super-polynomial'); // a ≈ 0.26
    expect(at('sigma', '0.1').pointExponent).toBeCloseTo(0.5, 12);
    expect(at('sigma', '1/D').exponentSource).toBe('law');
    expect(at('l1', '5').regime).toBe('polynomial'); // a fixed ℓ1 ball: constant order
    expect(at('l1', '5').pointRegime).toBe('transition'); // 5 = D^0.35 at D = 100
  });

  it('laws are classified by their behaviour as D → ∞, not at small D', () => {
    // 1/ln D falls like D^−0.38 around D = 10 but slower than any power eventually.
    expect(regime('sigma', '1/ln(D)', 10)).toBe('super-polynomial');
    expect(regime('sigma', '0.01 + 1/D', 10)).toBe('super-polynomial');
    expect(regime('sigma', 'D^-0.5*ln(D)', 10)).toBe('transition');
    expect(regime('sigma', 'exp(-D)', 3)).toBe('polynomial');
  });

  it('‖δ‖₁ ≤ t: bounded t polynomial, t ∝ D^b transition for 0 < b ≤ 2/3, super-polynomial beyond', () => {
    for (const D of [100, 1e6]) {
      expect(regime('l1', '1', D)).toBe('polynomial');
      expect(regime('l1', '5', D)).toBe('polynomial');
      expect(regime('l1', 'sqrt(D)', D)).toBe('transition');
      expect(regime('l1', 'D^(2/3)', D)).toBe('transition');
      expect(regime('l1', 'D^0.7', D)).toBe('super-polynomial');
      expect(regime('l1', 'D', D)).toBe('super-polynomial');
    }
  });

  it('boundaries are inclusive as REFERENCE §1 states them', () => {
    expect(regimeOfExponent(1)).toBe('polynomial');
    expect(regimeOfExponent(1 - 1e-6)).toBe('transition');
    expect(regimeOfExponent(1 / 3)).toBe('transition');
    expect(regimeOfExponent(1 / 3 - 1e-6)).toBe('super-polynomial');
    expect(regimeOfExponent(Infinity)).toBe('polynomial');
  });
});

describe('cost: exact counts', () => {
  it('binomials match Pascal\'s triangle and the BigInt product, as numbers ≤ 2^53 and strings beyond', () => {
    const row: bigint[][] = [[1n]];
    for (let n = 1; n <= 80; n++) {
      row.push([]);
      for (let k = 0; k <= n; k++) row[n]![k] = (k > 0 ? row[n - 1]![k - 1]! : 0n) + (k < n ? row[n - 1]![k]! : 0n);
    }
    for (let n = 0; n <= 80; n += 7) {
      for (let k = 0; k <= n; k += 3) {
        const c = binomialCount(n, k);
        const want = row[n]![k]!;
        expect(String(c.exact)).toBe(want.toString());
        expect(typeof c.exact).toBe(want <= BigInt(Number.MAX_SAFE_INTEGER) ? 'number' : 'string');
        expect(c.log10).toBeCloseTo(Math.log10(Number(want)), 9);
      }
    }
    expect(binomialCount(5, 7)).toEqual({ exact: 0, log10: -Infinity });
  });

  it('log10 of huge binomials agrees with exact digits; past the digit cap the exact value is null', () => {
    const c = binomialCount(2000, 1000);
    const want = binom(2000, 1000).toString();
    expect(c.exact).toBe(want);
    expect(c.log10).toBeCloseTo(want.length - 1 + Math.log10(Number(want.slice(0, 15)) / 1e14), 8);
    expect(log10Binomial(2000, 1000)).toBeCloseTo(c.log10, 8);
    const huge = binomialCount(4e8 + 4.3e8, 4.3e8);
    expect(huge.exact).toBeNull();
    expect(huge.log10).toBeGreaterThan(MAX_EXACT_DIGITS);
    expect(Number.isFinite(huge.log10)).toBe(true);
  });

  it('prefix sums Σ_{k≤s} C(g, k) match direct sums on both sides of g/2', () => {
    for (const [g, s] of [[10, 3], [50, 20], [50, 25], [50, 40], [200, 150], [7, 7], [7, 100]] as const) {
      let want = 0n;
      for (let k = 0; k <= Math.min(s, g); k++) want += binom(g, k);
      const c = binomialPrefixCount(g, s);
      expect(String(c.exact)).toBe(want.toString());
      const lw = want.toString();
      expect(c.log10).toBeCloseTo(lw.length - 1 + Math.log10(Number(lw.slice(0, 15)) / 10 ** Math.min(14, lw.length - 1)), 8);
    }
    const big = binomialPrefixCount(1e9, 5e8 + 3);
    expect(big.exact).toBeNull();
    expect(big.log10).toBeCloseTo(1e9 * Math.log10(2) - Math.log10(2), 0); // just above half of 2^g
  });

  it('state vectors: 2^n·16 bytes exactly', () => {
    expect(powerOfTwoCount(16, 16).exact).toBe(2 ** 20);
    expect(powerOfTwoCount(100, 16).exact).toBe((2n ** 104n).toString());
    expect(powerOfTwoCount(10_000, 16).exact).toBeNull();
    expect(powerOfTwoCount(10_000, 16).log10).toBeCloseTo(10_004 * Math.log10(2), 8);
    expect(multiplyCounts(powerOfTwoCount(60), powerOfTwoCount(3)).exact).toBe((2n ** 63n).toString());
    expect(formatCount(powerOfTwoCount(100))).toMatch(/^1\.267e\+30 \(31 digits/);
  });
});

describe('cost: huge D and t stay sane', () => {
  const regions: CostOptions['region'][] = [
    { kind: 'sigma', text: '1' }, { kind: 'sigma', text: '1/D' }, { kind: 'sigma', text: 'D^-0.5' },
    { kind: 'radius', text: '0.3' }, { kind: 'l1', text: '1e12' }, { kind: 'l1', text: '0' },
  ];
  for (const D of [1, 2, 2e8, 1e12]) {
    for (const region of regions) {
      it(`D = ${D}, ${region.kind} = ${region.text}`, () => {
        const e = estimateCost({ numParameters: D }, { eps: 1e-6, region });
        const json = costToJSON(e);
        assertFiniteNumbers(json);
        const text = JSON.stringify(json);
        expect(text).not.toMatch(/NaN|Infinity/);
        for (const key of ['parameter_shift_evaluations']) {
          const v = json[key];
          if (typeof v === 'number') expect(v).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
          else if (typeof v === 'string') expect(v).toMatch(/^\d+$/);
          else expect(v).toBeNull();
          expect(typeof json[`${key}_log10`]).toBe('number');
        }
        expect(Number.isInteger(e.order) && e.order >= 0).toBe(true);
        expect(e.bound).toBeLessThanOrEqual(1e-6);
      });
    }
  }

  it('σ = 1/D at D = 10^12: the parameter-shift count C(2D + 8, 8) is an exact decimal string', () => {
    const D = 1e12;
    const e = estimateCost({ numParameters: D }, { eps: 1e-6, region: { kind: 'sigma', text: '1/D' }, sigmaCriterion: 'mean' });
    expect(e.order).toBe(8);
    expect(costToJSON(e).parameter_shift_evaluations).toBe(binom(2 * D + 8, 8).toString());
  });

  it('D = 0: constants work, laws in D that are undefined there are usage errors', () => {
    const e = estimateCost({ numParameters: 0 }, { eps: 1e-6, region: { kind: 'sigma', text: '0.1' } });
    expect(e.order).toBe(0);
    expect(e.bound).toBe(0);
    assertFiniteNumbers(costToJSON(e));
    expect(() => estimateCost({ numParameters: 0 }, { eps: 1e-6, region: { kind: 'sigma', text: '1/D' } })).toThrow(UserError);
  });

  it('displacement bounds beyond exact-integer orders are rejected, not mis-computed', () => {
    expect(() => estimateCost({ numParameters: 10 }, l1('1e20'))).toThrow(UserError);
    expect(() => estimateCost({ numParameters: 1e18 }, l1('1'))).toThrow(UserError);
    expect(() => estimateCost({ numParameters: 10 }, { eps: 0, region: { kind: 'l1', text: '1' } })).toThrow(UserError);
  });
});

describe('cost: structure bounds against real surrogates', () => {
  it('mHEA N = 16, L = 1, Z0: the light cone is qubits {N−1, 0, 1}, 8 parameters', () => {
    // Backward from Z0: the final ry/rz on qubit 0 (2 parameters); the CX ring CX(15→0), CX(0→1),
    // …, CX(14→15) taken last to first meets qubit 0 at CX(0→1) (adds 1) then CX(15→0) (adds 15);
    // the first rotation layer on qubits 0, 1, 15 adds 6 parameters.
    const c = buildAnsatz('mhea', { qubits: 16, layers: 1 });
    const cone = lightCone(c, parseObservableText('Z0', { numQubits: 16 }));
    expect(cone).toEqual({ qubits: 3, symbolicRotations: 8, fixedRotations: 0, parameters: 8, observableTerms: 1 });
  });

  it('random circuits: measured Taylor and path sizes never exceed the predicted upper bounds', () => {
    fc.assert(
      fc.property(
        circuitArb({ maxQubits: 5, maxGates: 14, maxParams: 4 }).chain((c) =>
          fc.tuple(fc.constant(c), observableArb(c.numQubits, 3), fc.integer({ min: 0, max: 4 }), fc.constantFrom('0.05', '0.3', '1'))),
        ([circuit, observable, order, t]) => {
          const e = estimateCost({ circuit, observable }, { eps: 1e-3, region: { kind: 'l1', text: t } });
          const taylor = buildTaylorSurrogate(circuit, observable, { order });
          const size = taylor.size();
          // The bounds at this order, recomputed from the light cone.
          const cone = e.lightCone;
          const monoBound = binom(cone.parameters + order, order);
          let strings = 0n;
          for (let k = 0; k <= order; k++) strings += binom(cone.symbolicRotations, k);
          strings *= 2n ** BigInt(cone.fixedRotations) * BigInt(observable.terms.length);
          expect(BigInt(size.monomials)).toBeLessThanOrEqual(monoBound);
          expect(BigInt(size.terms)).toBeLessThanOrEqual(strings * monoBound);
          const S = e.paths.maxSins;
          const paths = buildPathSurrogate(circuit, observable, { maxSins: S });
          expect(BigInt(paths.size().terms)).toBeLessThanOrEqual(BigInt(e.paths.stringsUpperBound.exact!));
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('estimate and measurement agree with direct builds (mHEA N = 16, L = 1, σ = 1/D, ε = 1e−6)', () => {
    const c = buildAnsatz('mhea', { qubits: 16, layers: 1 });
    const o = parseObservableText('Z0', { numQubits: 16 });
    const e = estimateCost({ circuit: c, observable: o }, { eps: 1e-6, region: { kind: 'sigma', text: '1/D' } });
    expect(e.numParameters).toBe(64);
    expect(e.parameterShiftEvaluations.exact).toBe(Number(binom(128 + e.order, e.order)));
    expect(e.stateVectorBytes!.exact).toBe(2 ** 16 * 16);
    const m = measureCost(c, o, e);
    const direct = buildTaylorSurrogate(c, o, { order: e.order });
    if ('error' in m.taylor) throw new Error(m.taylor.error);
    expect(m.taylor.truncation).toBe(e.order);
    expect(m.taylor.monomials).toBe(direct.size().monomials);
    expect(m.taylor.terms).toBe(direct.size().terms);
    expect(BigInt(m.taylor.monomials)).toBeLessThanOrEqual(BigInt(e.taylor.monomialsUpperBound.exact!));
    if ('error' in m.paths) throw new Error(m.paths.error);
    expect(m.paths.truncation).toBe(e.paths.maxSins);
  });

  it('a term budget that is too small becomes the build\'s reported error, not a crash', () => {
    const c = buildAnsatz('mhea', { qubits: 6, layers: 3 });
    const o = parseObservableText('X0 X1 X2', { numQubits: 6 });
    const e = estimateCost({ circuit: c, observable: o }, { eps: 1e-9, region: { kind: 'sigma', text: '0.3' } });
    const m = measureCost(c, o, e, { maxTerms: 16 });
    expect('error' in m.taylor).toBe(true);
  });
});

describe('cost: phase diagram', () => {
  it('orders are constant at a = 1, fall with a, and grow with N below a = 1', () => {
    const d = phaseDiagram({ quick: true });
    expect(d.qubits[0]).toBe(2);
    expect(d.qubits[d.qubits.length - 1]).toBe(10_000);
    assertFiniteNumbers(d.cells);
    for (const c of d.cells) {
      if (Math.abs(c.a - 1) < 1e-12) expect(c.order).toBe(8);
      expect(c.regime).toBe(regimeOfExponent(c.a));
      expect(c.orderQuantile).toBeGreaterThanOrEqual(c.order);
    }
    for (const N of d.qubits) {
      const col = d.cells.filter((c) => c.N === N).sort((x, y) => x.a - y.a);
      for (let i = 1; i < col.length; i++) expect(col[i]!.order).toBeLessThanOrEqual(col[i - 1]!.order);
    }
    for (const a of d.exponents.filter((x) => x < 1)) {
      const row = d.cells.filter((c) => c.a === a).sort((x, y) => x.N - y.N);
      for (let i = 1; i < row.length; i++) expect(row[i]!.order).toBeGreaterThanOrEqual(row[i - 1]!.order);
    }
    expect(phaseQubits(false).length).toBeGreaterThan(phaseQubits(true).length);
  });

  it('writes JSON, SVG, PNG and a markdown summary', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nc-phase-'));
    const d = phaseDiagram({ exponents: [0, 0.5, 1, 1.5], qubits: [2, 10, 100] });
    const files = await writePhaseDiagram(out, d);
    for (const f of files) expect(existsSync(f)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).cells).toHaveLength(12);
    expect(readFileSync(join(out, 'phase-order.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(join(out, 'phase-lines.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/# Complexity phase diagram/);
  });
});

describe('cost command', () => {
  afterEach(() => vi.restoreAllMocks());

  async function run(args: string[]): Promise<string> {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    const program = new Command().exitOverride();
    registerCostCommand(program);
    await program.parseAsync(['node', 'nearclifford', ...args]);
    vi.restoreAllMocks();
    return out;
  }

  it('--json for a circuit file, with --measure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-cost-'));
    const file = join(dir, 'mhea.qasm');
    writeFileSync(file, circuitToQasm3(buildAnsatz('mhea', { qubits: 6, layers: 1 })));
    const j = JSON.parse(await run(['cost', file, '--observable', 'Z0', '--eps', '1e-6', '--sigma', '1/D', '--measure', '--json']));
    expect(j.parameters).toBe(24);
    expect(j.regime).toBe('polynomial');
    expect(j.order_at_mean).toBe(8);
    expect(j.parameter_shift_evaluations).toBe(Number(binom(48 + j.order, j.order)));
    expect(j.state_vector_bytes).toBe(2 ** 6 * 16);
    expect(j.measured.taylor.truncation).toBe(j.order);
    expect(j.measured.taylor.monomials).toBeLessThanOrEqual(j.surrogate.monomials_upper_bound);
  });

  it('--parameters D in text form, and usage mistakes as UserErrors', async () => {
    const text = await run(['cost', '--parameters', '1000', '--eps', '1e-6', '--sigma', 'D^-0.5']);
    expect(text).toMatch(/regime\s+transition/);
    await expect(run(['cost', '--parameters', '10', '--eps', '1e-6'])).rejects.toThrow(/give a region/);
    await expect(run(['cost', '--parameters', '10', '--eps', '1e-6', '--sigma', '1', '--l1', '2'])).rejects.toThrow(/one region/);
    await expect(run(['cost', '--parameters', '10', '--sigma', '1'])).rejects.toThrow(/--eps/);
    await expect(run(['cost', '--parameters', '10', '--eps', '1e-6', '--sigma', 'D^x'])).rejects.toThrow(UserError);
  });
});
