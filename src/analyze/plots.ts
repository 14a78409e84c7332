import type { TopLevelSpec } from 'vega-lite';
import type { AnalysisData } from './analyze.js';

/**
 * Vega-Lite specs of the report's figures. The same spec is rendered to SVG/PNG files (headless vega)
 * and embedded in the HTML page (vega-embed, with tooltips), so the two never disagree.
 */
export interface Figure {
  readonly id: string;
  readonly section: 'circuit' | 'center' | 'simulability' | 'trainability' | 'landscape';
  readonly title: string;
  readonly spec: TopLevelSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function spec(s: Record<string, unknown>): TopLevelSpec {
  return { $schema: SCHEMA, ...s } as unknown as TopLevelSpec;
}

const REGIME_BANDS = [
  { from: 1, to: 1.5, regime: 'polynomial' },
  { from: 1 / 3, to: 1, regime: 'transition' },
  { from: 0, to: 1 / 3, regime: 'super-polynomial' },
];
const REGIME_COLORS = { domain: ['polynomial', 'transition', 'super-polynomial'], range: ['#d9f0d3', '#fee8c8', '#f4cccc'] };

export function figures(d: AnalysisData): Figure[] {
  const out: Figure[] = [];
  const { circuit } = d;
  out.push({
    id: 'gate-kinds', section: 'circuit', title: 'Gates by kind',
    spec: spec({
      title: 'Gates by kind', width: 320, height: { step: 16 },
      data: { values: circuit.gateKinds },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'kind', type: 'nominal', sort: '-x', title: null },
        x: { field: 'count', type: 'quantitative', title: 'gates' },
      },
    }),
  });
  const cones = circuit.lightCones.slice(0, 40).flatMap((c) => [
    { term: `${c.term}: ${c.pauli}`, what: 'qubits in cone', value: c.qubits },
    { term: `${c.term}: ${c.pauli}`, what: 'parameters in cone', value: c.parameters },
  ]);
  out.push({
    id: 'light-cones', section: 'circuit', title: 'Backward light cone of each observable term',
    spec: spec({
      title: { text: 'Backward light cone per observable term', subtitle: circuit.lightCones.length > 40 ? `first 40 of ${circuit.lightCones.length} terms` : `${circuit.lightCones.length} term(s)` },
      width: 320, height: { step: 14 },
      data: { values: cones },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'term', type: 'nominal', title: null, sort: null },
        yOffset: { field: 'what' },
        x: { field: 'value', type: 'quantitative', title: 'count' },
        color: { field: 'what', type: 'nominal', title: null },
      },
    }),
  });

  // Center: gradient components, plain and with LCE (beyond 200 parameters only the nonzero ones).
  const comp: Record<string, unknown>[] = [];
  const D = d.center.gradient.length;
  const nonzero = (k: number) => d.center.gradient[k] !== 0 || (d.center.lceGradient?.[k] ?? 0) !== 0;
  const shown = D <= 200 ? Array.from({ length: D }, (_, k) => k) : Array.from({ length: D }, (_, k) => k).filter(nonzero).slice(0, 200);
  for (const k of shown) {
    comp.push({ k, name: d.parameterNames[k], value: d.center.gradient[k], circuit: 'circuit' });
    if (d.center.lceGradient) comp.push({ k, name: d.parameterNames[k], value: d.center.lceGradient[k], circuit: 'with LCE' });
  }
  const Dshow = shown.length;
  out.push({
    id: 'center-gradient', section: 'center', title: 'Gradient at the Clifford center',
    spec: spec({
      title: { text: '∂C/∂θ_k at the center θ*', subtitle: D > 200 ? `exact; the ${Dshow} nonzero components of ${D} parameters (all others are 0)` : 'exact' },
      width: 560, height: 90,
      data: { values: comp },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'k', type: 'ordinal', title: 'parameter index k', axis: { labelOverlap: true, labelAngle: 0 } },
        y: { field: 'value', type: 'quantitative', title: '∂_k C(θ*)', scale: { domain: [-1, 1] } },
        row: { field: 'circuit', type: 'nominal', title: null },
        tooltip: [{ field: 'name', title: 'parameter' }, { field: 'value', format: '.3g' }],
      },
    }),
  });

  // Simulability: needed orders per σ and the build ladder.
  const orderRows = d.simulability.flatMap((s) => [
    { sigma: s.sigma, what: 'a-priori order (rigorous)', order: s.order },
    { sigma: s.sigma, what: "paper's criterion (E‖δ‖₁)", order: s.orderAtMean },
    ...(s.certifiedOrder !== null ? [{ sigma: s.sigma, what: 'certified (built, own bound)', order: s.certifiedOrder }] : []),
  ]);
  out.push({
    id: 'orders', section: 'simulability', title: 'Needed Taylor order per σ',
    spec: spec({
      title: { text: `Taylor order needed for ε = ${d.eps}`, subtitle: 'per σ, by each available bound' },
      width: 360, height: 220,
      data: { values: orderRows },
      mark: { type: 'point', filled: true, size: 80, tooltip: true },
      encoding: {
        x: { field: 'sigma', type: 'nominal', title: 'σ', sort: d.sigmas },
        y: { field: 'order', type: 'quantitative', title: 'order m' },
        color: { field: 'what', type: 'nominal', title: null },
        shape: { field: 'what', type: 'nominal', title: null },
      },
    }),
  });
  const ladder = [
    ...d.taylorBuilds.map((b) => ({ order: b.truncation, seconds: Math.max(b.seconds, 1e-5), terms: b.terms, monomials: b.monomials, kind: 'measured' })),
    ...d.simulability.filter((s) => s.predictedSeconds !== null).map((s) => ({ order: s.order, seconds: s.predictedSeconds, kind: `predicted (σ = ${s.sigma})` })),
  ].filter((r) => r.seconds !== null && Number.isFinite(r.seconds as number) && (r.seconds as number) < 1e300);
  out.push({
    id: 'build-ladder', section: 'simulability', title: 'Surrogate build time by order',
    spec: spec({
      title: { text: 'Taylor surrogate build time by order', subtitle: 'measured builds, and predictions where the budget ended' },
      width: 360, height: 220,
      data: { values: ladder },
      mark: { type: 'point', filled: true, size: 70, tooltip: true },
      encoding: {
        x: { field: 'order', type: 'quantitative', title: 'order m' },
        y: { field: 'seconds', type: 'quantitative', title: 'seconds', scale: { type: 'log' }, axis: { format: '.0e' } },
        color: { field: 'kind', type: 'nominal', title: null },
      },
    }),
  });
  // Phase diagram: order versus D for σ = D^−a (mHEA reference grid), the circuit's σ as points.
  const exps = [1, 0.5, 1 / 3, 0.2, 0];
  const lines = d.phase.cells.filter((c) => exps.some((a) => Math.abs(a - c.a) < 0.051 && Math.abs(a - c.a) === Math.min(...d.phase.exponents.map((x) => Math.abs(a - x)))))
    .filter((c) => c.order > 0).map((c) => ({ D: c.D, order: c.order, a: `a = ${c.a}`, regime: c.regime }));
  const mine = d.simulability.filter((s) => s.orderAtMean > 0).map((s) => ({ D: d.circuit.parameters, order: s.orderAtMean, a: `this circuit, σ = ${s.sigma}`, regime: s.regime }));
  out.push({
    id: 'phase-diagram', section: 'simulability', title: "The circuit's place on the phase diagram",
    spec: spec({
      title: { text: 'Phase diagram: order for σ = D^−a (E‖δ‖₁ criterion)', subtitle: `ε = ${d.eps}; lines: reference grid; points: this circuit` },
      width: 420, height: 240,
      layer: [
        {
          data: { values: lines },
          mark: { type: 'line', tooltip: true },
          encoding: {
            x: { field: 'D', type: 'quantitative', scale: { type: 'log' }, title: 'parameters D' },
            y: { field: 'order', type: 'quantitative', scale: { type: 'log' }, title: 'order m', axis: { format: '~g' } },
            color: { field: 'a', type: 'nominal', title: 'σ = D^−a' },
          },
        },
        {
          data: { values: mine },
          mark: { type: 'point', shape: 'diamond', size: 120, filled: true, color: 'black', tooltip: true },
          encoding: {
            x: { field: 'D', type: 'quantitative' },
            y: { field: 'order', type: 'quantitative' },
            tooltip: [{ field: 'a', title: 'point' }, { field: 'order' }, { field: 'regime' }],
          },
        },
      ],
    }),
  });
  const aRows = d.simulability.map((s) => ({ sigma: s.sigma, a: s.pointExponent, regime: s.regime }))
    .filter((r) => r.a !== null && Number.isFinite(r.a as number));
  out.push({
    id: 'regimes', section: 'simulability', title: 'Regime of each σ',
    spec: spec({
      title: { text: 'Regime of each σ = D^−a', subtitle: 'bands: polynomial (a ≥ 1), transition (1/3 ≤ a < 1), super-polynomial' },
      width: 420, height: 70,
      layer: [
        { data: { values: REGIME_BANDS }, mark: { type: 'rect', tooltip: true }, encoding: { x: { field: 'from', type: 'quantitative', scale: { domain: [0, 1.5] }, title: 'exponent a' }, x2: { field: 'to' }, color: { field: 'regime', type: 'nominal', scale: REGIME_COLORS, title: null } } },
        { data: { values: aRows }, mark: { type: 'point', filled: true, size: 90, color: 'black', tooltip: true }, encoding: { x: { field: 'a', type: 'quantitative' }, tooltip: [{ field: 'sigma' }, { field: 'a', format: '.3f' }, { field: 'regime' }] } },
        { data: { values: aRows }, mark: { type: 'text', dy: -12 }, encoding: { x: { field: 'a', type: 'quantitative' }, text: { field: 'sigma' } } },
      ],
    }),
  });

  // Trainability.
  const gRows = d.trainability.cells.map((c) => ({
    sigma: c.sigma, variant: c.variant === 'lce' ? 'with LCE' : 'without LCE', mean: Math.max(c.mean, 1e-12),
    lo: Math.max(c.ci95[0], 1e-12), hi: Math.max(c.ci95[1], 1e-12), samples: c.samples, engine: c.engine,
  }));
  out.push({
    id: 'gradient-norms', section: 'trainability', title: 'Gradient norm per σ',
    spec: spec({
      title: { text: 'Mean ‖∇C‖ per σ, with 95% intervals', subtitle: `dashed: random-circuit level √D·${d.trainability.randomCircuitRms.toPrecision(2)}` },
      width: 380, height: 230,
      layer: [
        {
          data: { values: gRows },
          layer: [
            { mark: { type: 'rule' }, encoding: { x: { field: 'sigma', type: 'nominal', sort: d.sigmas, title: 'σ' }, xOffset: { field: 'variant' }, y: { field: 'lo', type: 'quantitative', scale: { type: 'log' }, title: 'mean ‖∇C‖' }, y2: { field: 'hi' }, color: { field: 'variant', type: 'nominal', title: null } } },
            { mark: { type: 'point', filled: true, size: 70, tooltip: true }, encoding: { x: { field: 'sigma', type: 'nominal', sort: d.sigmas }, xOffset: { field: 'variant' }, y: { field: 'mean', type: 'quantitative' }, color: { field: 'variant', type: 'nominal' } } },
          ],
        },
        { data: { values: [{ level: Math.max(1e-12, d.trainability.randomCircuitRms * Math.sqrt(Math.max(1, d.circuit.parameters))) }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#666', tooltip: true }, encoding: { y: { field: 'level', type: 'quantitative', title: 'mean ‖∇C‖' } } },
      ],
    }),
  });
  if (d.trainability.sweep) {
    const s = d.trainability.sweep;
    out.push({
      id: 'sweep', section: 'trainability', title: `Gradient norm versus N (${s.spec})`,
      spec: spec({
        title: { text: `Mean ‖∇C‖ versus N, ${s.spec}${s.variant === 'lce' ? ' with LCE' : ''}`, subtitle: `${s.samples} samples per point` },
        width: 380, height: 230,
        data: { values: s.cells.filter((c) => c.mean > 0) },
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: { field: 'N', type: 'quantitative', title: 'qubits N' },
          y: { field: 'mean', type: 'quantitative', scale: { type: 'log' }, title: 'mean ‖∇C‖' },
          color: { field: 'sigma', type: 'nominal', title: 'σ', sort: d.sigmas },
        },
      }),
    });
  }

  // Landscape.
  if (d.landscape.cuts.length > 0) {
    out.push({
      id: 'cuts', section: 'landscape', title: 'Cuts through the center',
      spec: spec({
        title: { text: 'C(θ* + t·u) along cuts through the center', subtitle: 'bands: the surrogates\' rigorous pointwise bounds' },
        data: { values: d.landscape.cuts },
        facet: { column: { field: 'direction', type: 'nominal', title: null } },
        spec: {
          width: 250, height: 200,
          layer: [
            { transform: [{ filter: "datum.series !== 'exact'" }], mark: { type: 'area', opacity: 0.15 }, encoding: { x: { field: 't', type: 'quantitative', title: 't' }, y: { field: 'lo', type: 'quantitative', title: 'C' }, y2: { field: 'hi' }, color: { field: 'series', type: 'nominal', title: null } } },
            { mark: { type: 'line', tooltip: true }, encoding: { x: { field: 't', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, color: { field: 'series', type: 'nominal' }, strokeDash: { condition: { test: "datum.series === 'exact'", value: [1, 0] }, value: [4, 2] } } },
          ],
        },
        resolve: { scale: { y: 'shared' } },
      }),
    });
  }
  if (d.landscape.heat) {
    out.push({
      id: 'heat-map', section: 'landscape', title: 'Landscape in the plane of two random directions',
      spec: spec({
        title: { text: 'C over the plane θ* + x·u₁ + y·u₂', subtitle: d.landscape.heat.source },
        width: 300, height: 300,
        data: { values: d.landscape.heat.cells },
        mark: { type: 'rect', tooltip: true },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: 'x (along u₁)', scale: { nice: false, zero: false } },
          x2: { field: 'x1' },
          y: { field: 'y0', type: 'quantitative', title: 'y (along u₂)', scale: { nice: false, zero: false } },
          y2: { field: 'y1' },
          color: { field: 'value', type: 'quantitative', title: 'C', scale: { scheme: 'viridis' } },
          tooltip: [{ field: 'x', format: '.3f' }, { field: 'y', format: '.3f' }, { field: 'value', title: 'C', format: '.4g' }],
        },
      }),
    });
  }
  return out;
}
