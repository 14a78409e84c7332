import { describe, expect, it } from 'vitest';
import { buildAnsatz } from '../../src/ansatz/index.js';
import { runAnalysis } from '../../src/analyze/analyze.js';
import { DeadlineExceeded, formatSeconds, TimeBudget } from '../../src/analyze/budget.js';
import { asapLayers, circuitInfo } from '../../src/analyze/circuit-info.js';
import { verdicts } from '../../src/analyze/summary.js';
import { randomCircuitRms, VANISHING_FACTOR } from '../../src/analyze/trainability.js';
import { snakeKeys } from '../../src/analyze/write.js';
import { circuitDiagramSvg } from '../../src/analyze/html/diagram.js';
import { runGradientSweep } from '../../src/gradients/sweep.js';
import { parseDsl } from '../../src/parsing/dsl/index.js';
import { parseObservableText } from '../../src/pauli/observable-text.js';
import { expectationAndGradient } from '../../src/simulators/statevector/index.js';
import type { Observable } from '../../src/ir/types.js';

const globalZ = (N: number): Observable => parseObservableText(Array.from({ length: N }, (_, i) => `Z${i}`).join(' '), { name: 'gz', numQubits: N });

describe('time budget', () => {
  it('runs what fits, records what does not with its prediction, and stops builds at the deadline', () => {
    const budget = new TimeBudget(10);
    const s = budget.section('sim', 0.5);
    expect(s.seconds).toBeLessThanOrEqual(5);
    expect(s.fits('small', 0.01)).toBe(true);
    expect(s.fits('huge', 1e6)).toBe(false);
    expect(budget.skipped).toEqual([expect.objectContaining({ section: 'sim', item: 'huge', predictedSeconds: 1e6 })]);
    const none = budget.section('none', 0);
    expect(() => none.guard('build')()).toThrow(DeadlineExceeded);
  });
});

describe('circuit facts', () => {
  it('counts gates by kind, shared parameters, fixed non-Clifford gates, ASAP depth and per-term light cones', () => {
    const c = parseDsl('qubits 3;\nparam a, b;\nh 0;\nrx(a) 0;\nrz(a) 1;\nt 2;\ncx 0 1;\nry(b) 2;\nobservable O = Z1 + X2;\n', 'f.ncl');
    const info = circuitInfo(c, c.observables[0]!, new Float64Array(2));
    expect(info.gates).toBe(6);
    // h0 | rx0, rz1, t2 → layers: h 0, rx 1, rz 0, t 0, cx 2, ry 1.
    expect(Array.from(asapLayers(c).layers)).toEqual([0, 1, 0, 0, 2, 1]);
    expect(info.depth).toBe(3);
    expect(info.sharedParameters).toEqual([{ name: 'a', gates: 2 }]);
    expect(info.fixedNonClifford.map((g) => g.gate)).toEqual([3]);
    expect(Object.fromEntries(info.gateKinds.map((k) => [k.kind, k.count]))).toEqual({ h: 1, rx: 1, rz: 2, cx: 1, ry: 1 });
    // Z1 sees cx, rz(a), rx(a), h: qubits {0, 1}, one parameter; X2 sees ry(b) and t.
    expect(info.lightCones.map((l) => [l.pauli, l.qubits, l.parameters, l.fixedRotations])).toEqual([['Z1', 2, 1, 0], ['X2', 1, 1, 1]]);
  });

  it('draws small circuits gate by gate and summarises large ones', () => {
    const small = buildAnsatz('mhea', { qubits: 3, layers: 1 });
    const d1 = circuitDiagramSvg(small, asapLayers(small).layers, small.parameters.map((p) => p.name));
    expect(d1.summarised).toBe(false);
    expect((d1.svg.match(/<g>/g) ?? []).length).toBe(small.gates.length);
    const big = buildAnsatz('hea', { qubits: 127, layers: 1 });
    const d2 = circuitDiagramSvg(big, asapLayers(big).layers, []);
    expect(d2.summarised).toBe(true);
    expect(d2.svg).toMatch(/127 qubits/);
  });
});

describe('verdict inputs', () => {
  it('the random-circuit level matches a deep random mHEA (exact gradients), and a shallow local cost stays far above it', () => {
    const N = 10;
    const deep = buildAnsatz('mhea', { qubits: N, layers: N });
    const sample = (obs: Observable, circuit = deep) => {
      const cell = runGradientSweep({
        sizes: [N], buildCircuit: () => circuit, observable: () => obs, regions: [{ label: 'σ=1', region: () => ({ kind: 'gaussian', sigma: 1 }) }],
        samples: 60, seed: 3, center: (c) => new Float64Array(c.numParameters), engine: 'exact', exactMaxQubits: 20, eps: 1e-3, maxOrder: 2,
      }).cells[0]!;
      const { mean, std, count } = cell.statistics.norm;
      return Math.sqrt((mean * mean + (std * std * (count - 1)) / count) / cell.D);
    };
    const level = randomCircuitRms(globalZ(N), N);
    expect(level).toBeCloseTo(Math.sqrt(1 / (2 * 1025)), 12);
    const rms = sample(globalZ(N));
    expect(rms / level).toBeGreaterThan(0.5);
    expect(rms / level).toBeLessThan(2);
    const local = sample(parseObservableText('Z0', { name: 'z0', numQubits: N }), buildAnsatz('mhea', { qubits: N, layers: 1 }));
    // …far enough that the vanishing test (within VANISHING_FACTOR of the level) does not fire.
    expect(local / randomCircuitRms(parseObservableText('Z0', { numQubits: N }), N)).toBeGreaterThan(2 * VANISHING_FACTOR);
  });
});

describe('runAnalysis', () => {
  it('fills every section and agrees with the state vector at the center', () => {
    const c = buildAnsatz('mhea', { qubits: 3, layers: 1 });
    const obs = globalZ(3);
    const center = new Float64Array(c.numParameters);
    // A generous budget, so the σ = 1/D verdict does not depend on the machine's load (budget adherence is benchmarked).
    const { data } = runAnalysis({ circuit: c, observable: obs, center, centerText: 'zero', file: 'mhea3', sigmas: ['1/D', '2/D'], timeBudget: 20, reserveSeconds: 0 });
    const sv = expectationAndGradient(c, center, obs);
    expect(data.center.value).toBeCloseTo(sv.value, 12);
    data.center.gradient.forEach((g, k) => expect(g).toBeCloseTo(sv.gradient[k]!, 12));
    expect(data.center.engine).toBe('clifford');
    expect(data.center.lce.applied).toBe(true);
    expect(Math.abs(data.center.lceGradient![data.center.lce.target as number]!)).toBeCloseTo(1, 12);
    expect(data.summary.map((v) => v.sigma)).toEqual(['1/D', '2/D']);
    expect(data.summary[0]!.kind).toBe('simulable');
    for (const key of ['summary', 'circuit', 'center', 'simulability', 'trainability', 'landscape']) expect(data.conclusions[key]).toMatch(/\w/);
    // The exact cut agrees with the state vector at t = 0 and the surrogate bands contain it.
    const zero = data.landscape.cuts.filter((r) => Math.abs(r.t) < 1e-12 && r.direction === 'random direction 1');
    const exact = zero.find((r) => r.series === 'exact')!;
    expect(exact.value).toBeCloseTo(sv.value, 12);
    for (const r of data.landscape.cuts.filter((x) => x.series !== 'exact')) {
      const e = data.landscape.cuts.find((x) => x.series === 'exact' && x.direction === r.direction && x.t === r.t);
      if (e) {
        expect(e.value).toBeGreaterThanOrEqual(r.lo - 1e-9);
        expect(e.value).toBeLessThanOrEqual(r.hi + 1e-9);
      }
    }
    for (const s of data.notDone) expect(s.reason).toMatch(/\w/);
  });
});

describe('runAnalysis at 127 qubits', () => {
  it('chooses engines by size: exact Clifford center, surrogate gradients, no state vector, a summarised diagram', () => {
    const c = buildAnsatz('hea', { qubits: 127, layers: 1 });
    const obs = parseObservableText('Z63', { numQubits: 127 });
    const { data, layers } = runAnalysis({ circuit: c, observable: obs, center: new Float64Array(c.numParameters), centerText: 'zero', file: 'hea127', sigmas: ['1/D'], timeBudget: 4, reserveSeconds: 0 });
    expect(data.center.engine).toBe('clifford');
    expect(data.center.lce.applied).toBe(true);
    expect(Math.abs(data.center.lceGradient![data.center.lce.target as number]!)).toBe(1);
    expect(data.trainability.cells.every((x) => x.engine === 'surrogate')).toBe(true);
    expect(data.landscape.exact).toBe(false);
    expect(data.landscape.note).toMatch(/no exact reference/);
    expect(circuitDiagramSvg(c, layers, data.parameterNames).summarised).toBe(true);
    expect(data.summary).toHaveLength(1);
  });
});

describe('verdicts', () => {
  const sim = (over: Record<string, unknown>) => ({
    sigma: { text: 'D^-0.5', sigma: 0.1 }, region: { kind: 'gaussian' as const, sigma: 0.1, tailProbability: 1e-6 },
    estimate: { order: 30, observableNorm1: 1, regime: { regime: 'transition' } }, certified: null, predictedBuildSeconds: 1e9,
    paths: { measured: null, note: '' }, propagation: { measured: null, note: '' }, ...over,
  }) as never;
  const cell = (over: Record<string, unknown>) => ({
    sigma: { text: 'D^-0.5', sigma: 0.1 }, variant: 'plain', engine: 'exact', order: null, samples: 100, mean: 0.5, std: 0.1, median: 0.5,
    q05: 0.3, q95: 0.7, ci95: [0.48, 0.52], rmsComponent: 0.1, rmsComponentUpper: 0.11, target: null, gradientErrorBound: 0, seconds: 1, vanishing: false, ...over,
  }) as never;
  it('orders simulable, vanishing, transition zone, and undetermined for uncertified or tiny gradients', () => {
    const build = { truncation: 5, terms: 40, monomials: 90, nodes: 100, peakTerms: 50, seconds: 0.01 };
    expect(verdicts([sim({ certified: { order: 5, bound: 1e-4, build } })], [cell({})], null, false, 1e-3)[0]!.text).toBe('simulable (order 5, 40 terms, 0.01 seconds)');
    expect(verdicts([sim({})], [cell({ vanishing: true })], null, false, 1e-3)[0]!.kind).toBe('vanishing-gradients');
    // Vanishing without LCE does not decide a --lce verdict.
    expect(verdicts([sim({})], [cell({ vanishing: true }), cell({ variant: 'lce', ci95: [0.9, 1.1] })], null, true, 1e-3)[0]!.text)
      .toBe('transition zone (gradients ≥ 0.9 with LCE; no certified surrogate within budget)');
    expect(verdicts([sim({})], [cell({ engine: 'surrogate', order: 2, gradientErrorBound: 10 })], null, false, 1e-3)[0]!.kind).toBe('undetermined');
    expect(verdicts([sim({})], [cell({ ci95: [1e-6, 1e-5] })], null, false, 1e-3)[0]!.kind).toBe('undetermined');
    expect(verdicts([sim({})], [cell({ engine: 'surrogate', order: 2, gradientErrorBound: 10 })], null, false, 1e-3, () => 0.6)[0]!.text)
      .toBe('transition zone (gradients ≥ 0.6 with LCE; no certified surrogate within budget)');
    expect(verdicts([sim({ estimate: { order: 30, observableNorm1: 1, regime: { regime: 'super-polynomial' } } })], [cell({})], null, false, 1e-3)[0]!.kind).toBe('trainable');
    expect(verdicts([sim({})], [], null, false, 1e-3)[0]!.kind).toBe('undetermined');
  });

  it('report.json keys are snake_case, typed arrays plain, non-finite numbers null', () => {
    expect(snakeKeys({ aB: [{ cDe: new Float64Array([1, 2]) }], x: Infinity })).toEqual({ a_b: [{ c_de: [1, 2] }], x: null });
  });
});

describe('formatSeconds', () => {
  it('writes durations in the unit a reader expects', () => {
    expect([0.004, 3.21, 400, 9000, 5.3e2 * 86400, 3e9, 1e20].map(formatSeconds)).toEqual(['4 ms', '3.2 s', '6.7 min', '2.5 h', '1.5 years', '95 years', '10^13 years']);
  });
});

describe('analyze CLI errors', () => {
  it('user mistakes are one line with exit 1, usage mistakes exit 2', async () => {
    const { runCli } = await import('../cli/run-cli.js');
    const noOut = runCli(['analyze', 'examples/mhea-4.ncl']);
    expect(noOut.status).toBe(2);
    const missing = runCli(['analyze', 'examples/nope.ncl', '--out', '/tmp/nc-analyze-never']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^nearclifford: error: cannot read circuit file 'examples\/nope.ncl'/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const budget = runCli(['analyze', 'examples/mhea-4.ncl', '--time-budget', '0', '--out', '/tmp/nc-analyze-never']);
    expect(budget.status).toBe(1);
    expect(budget.stderr).toMatch(/--time-budget must be a positive number/);
    const sweep = runCli(['analyze', 'examples/mhea-4.ncl', '--observable', 'X3', '--sweep', 'mhea:2-4:1', '--out', '/tmp/nc-analyze-never']);
    expect(sweep.status).toBe(1);
    expect(sweep.stderr).toMatch(/--sweep 'mhea:2-4:1': the observable acts on qubit 3/);
    expect(`${noOut.stderr}${missing.stderr}${budget.stderr}${sweep.stderr}`).not.toMatch(/\n\s+at /);
  });
});
