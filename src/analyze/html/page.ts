import type { AnalysisData } from '../analyze.js';
import type { Figure } from '../plots.js';
import { browserBundles } from './assets.js';

/**
 * The analysis report as one self-contained HTML page: the vega libraries inlined, the figure specs
 * embedded as JSON and drawn by vega-embed (SVG renderer, tooltips), a Content-Security-Policy that
 * forbids every network request (so an accidental fetch fails loudly instead of leaking), and print
 * styles. When every view has rendered the page sets `data-plots="done"` on <body> (and lists
 * failures in `data-plot-errors`), which the browser test waits for.
 */
function esc(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON inside <script>: `</script>` and `<!--` must not appear literally. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function inlineScript(code: string): string {
  return `<script>${code.replace(/<\/script/gi, '<\\/script')}</script>`;
}

export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined) return '—';
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(digits - 1).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

function seconds(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return `${fmt(v, 2)} s`;
}

function table(headers: readonly string[], rows: readonly (readonly unknown[])[], cls = ''): string {
  return `<table class="${cls}"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('') + '</tbody></table>';
}

function figureDivs(figs: readonly Figure[], section: Figure['section']): string {
  return `<div class="figures">${figs.filter((f) => f.section === section).map((f) =>
    `<figure><div class="plot" id="plot-${esc(f.id)}" data-figure="${esc(f.id)}"></div><figcaption>${esc(f.title)} · <a href="${esc(f.id)}.svg">SVG</a> · <a href="${esc(f.id)}.png">PNG</a></figcaption></figure>`).join('')}</div>`;
}

const STYLE = `
:root { --fg:#1b1f24; --muted:#5b6570; --line:#d8dde3; --accent:#1f5f9f; }
* { box-sizing: border-box; }
body { font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif; color: var(--fg); margin: 0; background: #f6f7f9; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; background: white; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0 0 16px; font-size: 13px; }
.conclusion { font-weight: 600; margin: 6px 0 12px; }
#summary { border: 2px solid var(--accent); border-radius: 8px; padding: 12px 18px; background: #f3f8fd; }
#summary h2 { border: 0; margin: 0 0 6px; }
#summary ul { margin: 0; padding-left: 0; list-style: none; }
#summary li { margin: 5px 0; } #summary .sigma { display: inline-block; min-width: 110px; font-weight: 700; }
.verdict { padding: 1px 8px; border-radius: 10px; font-weight: 600; }
.v-simulable { background: #d9f0d3; } .v-transition-zone { background: #fee8c8; } .v-vanishing-gradients, .v-barren-plateau { background: #f4cccc; }
.v-trainable { background: #e0e7ff; } .v-undetermined { background: #eee; }
.reason { color: var(--muted); font-size: 13px; display: block; margin-left: 110px; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f1f3f5; }
.figures { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
figure { margin: 0; } figcaption { font-size: 12px; color: var(--muted); }
.diagram { overflow-x: auto; border: 1px solid var(--line); padding: 6px; max-height: 720px; overflow-y: auto; }
.notdone li { margin: 3px 0; } footer { color: var(--muted); font-size: 12px; margin-top: 28px; }
@media print {
  body { background: white; } main { max-width: none; padding: 0; }
  section, figure, table, #summary { break-inside: avoid; } .diagram { max-height: none; overflow: visible; }
  a { color: inherit; text-decoration: none; }
}`;

const DRIVER = `
(function () {
  var specs = JSON.parse(document.getElementById('nc-figures').textContent);
  var pending = specs.length, errors = [];
  function finish() { if (--pending === 0) { document.body.setAttribute('data-plot-errors', errors.join(' | ')); document.body.setAttribute('data-plots', 'done'); } }
  if (pending === 0) { document.body.setAttribute('data-plots', 'done'); return; }
  specs.forEach(function (f) {
    vegaEmbed('#plot-' + f.id, f.spec, { renderer: 'svg', actions: false, tooltip: true })
      .then(function (r) { return r.view.runAsync(); })
      .then(function () { document.getElementById('plot-' + f.id).setAttribute('data-rendered', 'yes'); finish(); })
      .catch(function (e) { errors.push(f.id + ': ' + e); console.error('plot ' + f.id + ' failed: ' + e); finish(); });
  });
})();`;

export function reportHtml(d: AnalysisData, figs: readonly Figure[], diagramSvg: string, summarised: boolean): string {
  const c = d.circuit;
  const lce = d.center.lce;
  const summary = `<section id="summary" aria-label="summary"><h2>Summary</h2><p class="conclusion">${esc(`Is it trainable here, and is it classically simulable here? Per region width σ around θ* (ε = ${d.eps}):`)}</p><ul>` +
    d.summary.map((v) => `<li data-sigma="${esc(v.sigma)}" data-verdict="${esc(v.kind)}"><span class="sigma">σ = ${esc(v.sigma)}</span> <span class="verdict v-${esc(v.kind)}">${esc(v.text)}</span><span class="reason">${esc(v.reason)}</span></li>`).join('') +
    '</ul></section>';

  const circuitSec = `<section id="circuit"><h2>The circuit</h2><p class="conclusion">${esc(d.conclusions.circuit)}</p>` +
    table(['qubits', 'gates', 'depth', 'parameters', 'parametrized rotations', 'shared parameters', 'fixed non-Clifford rotations', 'observable'],
      [[c.qubits, c.gates, c.depth, c.parameters, c.parametrizedRotations,
        c.sharedParameters.length ? c.sharedParameters.slice(0, 6).map((s) => `${s.name} (${s.gates} gates)`).join(', ') + (c.sharedParameters.length > 6 ? ', …' : '') : 'none',
        c.fixedNonClifford.length ? c.fixedNonClifford.slice(0, 6).map((g) => `gate ${g.gate + 1}: ${g.pauli} at ${fmt(g.angle)}`).join('; ') + (c.fixedNonClifford.length > 6 ? '; …' : '') : 'none',
        `${d.input.observable}: ${d.input.observableText.length > 120 ? d.input.observableText.slice(0, 119) + '…' : d.input.observableText}`]]) +
    table(['term', 'coefficient', 'qubits in light cone', 'parameters in cone', 'parametrized rotations in cone', 'fixed non-Clifford in cone'],
      c.lightCones.slice(0, 24).map((l) => [l.pauli, fmt(l.coeff), l.qubits, l.parameters, l.symbolicRotations, l.fixedRotations])) +
    (c.lightCones.length > 24 ? `<p class="sub">first 24 of ${c.lightCones.length} terms (all in report.json)</p>` : '') +
    `<p class="sub">${summarised ? 'Circuit summary (too large to draw gate by gate)' : 'Circuit diagram (ASAP layers; hover a gate for its definition)'}: blue = parametrized rotation, orange = fixed rotation, grey = Clifford.</p>` +
    `<div class="diagram" id="circuit-diagram">${diagramSvg}</div>` + figureDivs(figs, 'circuit') + '</section>';

  const centerSec = `<section id="center"><h2>At the Clifford center</h2><p class="conclusion">${esc(d.conclusions.center)}</p>` +
    table(['', 'C(θ*)', '‖∇C(θ*)‖', 'nonzero components', 'engine'],
      [['circuit', fmt(d.center.value, 6), fmt(d.center.gradientNorm, 6), `${d.center.nonzero} of ${c.parameters}`, d.center.engine],
        ...(lce.applied ? [[`with LCE (target ${lce.targetName}, sign ${lce.sign}, term ${lce.term}, +${lce.gatesAdded} gates)`, fmt(lce.value as number, 6), fmt(lce.gradientNorm as number, 6), `${lce.nonzero} of ${c.parameters}`, d.center.engine]] : [])]) +
    (lce.applied ? '' : `<p>LCE: ${esc(lce.reason)}</p>`) +
    (d.center.top.length ? `<p class="sub">largest components: ${esc(d.center.top.map((t) => `${t.name} = ${fmt(t.value)}`).join(', '))}</p>` : '') +
    figureDivs(figs, 'center') + '</section>';

  const simSec = `<section id="simulability"><h2>Classical simulability per σ</h2><p class="conclusion">${esc(d.conclusions.simulability)}</p>` +
    table(['σ', 'value', 'regime', 'order (rigorous)', "paper's threshold (E‖δ‖₁)", 'certified order · bound', 'terms · monomials', 'build time', 'Pauli paths: S · strings ≤ · measured', 'propagation: terms · time · dropped', 'parameter shifts'],
      d.simulability.map((s) => [
        s.sigma, fmt(s.sigmaValue), s.regime, `${s.order} (bound ${fmt(s.bound)})`, s.orderAtMean + 1,
        s.certifiedOrder !== null ? `${s.certifiedOrder} · ${fmt(s.certifiedBound)}` : 'none within budget',
        s.certifiedBuild ? `${s.certifiedBuild.terms} · ${s.certifiedBuild.monomials}` : '—',
        s.certifiedBuild ? `${seconds(s.certifiedBuild.seconds)} (measured)` : s.predictedSeconds !== null ? `${seconds(s.predictedSeconds)} (predicted)` : '—',
        `${s.paths.maxSins} · ${countText(s.cost['paths'] as Record<string, unknown>, 'strings_upper_bound')} · ${s.paths.measured ? `${s.paths.measured.terms} terms in ${seconds(s.paths.measured.seconds)}` : 'not built'}`,
        (() => {
          const m = s.propagation.measured as { terms: number; seconds: number; droppedWeight: number } | null;
          return m ? `${m.terms} · ${seconds(m.seconds)} · ≤ ${fmt(m.droppedWeight)}` : 'not run';
        })(),
        s.parameterShift.exact !== null && String(s.parameterShift.exact).length <= 15 ? String(s.parameterShift.exact) : `10^${fmt(s.parameterShift.log10)}`,
      ])) +
    `<ul class="sub">${d.simulability.map((s) => `<li>σ = ${esc(s.sigma)}: ${esc(s.regimeReason)}</li>`).join('')}<li>Taylor ladder: ${esc(d.ladderNote)}</li></ul>` +
    figureDivs(figs, 'simulability') + '</section>';

  const t = d.trainability;
  const trainSec = `<section id="trainability"><h2>Trainability per σ</h2><p class="conclusion">${esc(d.conclusions.trainability)}</p>` +
    table(['σ', 'circuit', 'engine', 'samples', 'mean ‖∇C‖ [95%]', 'median', 'q05 – q95', 'RMS ∂_k C (≤ at 95%)', 'random-circuit level', 'LCE target ∂_k C', 'vanishing'],
      t.cells.map((x) => [x.sigma, x.variant === 'lce' ? 'with LCE' : 'without LCE', x.engine + (x.order !== null ? ` (order ${x.order}, ‖err‖ ≤ ${fmt(x.gradientErrorBound)})` : ''), x.samples,
        `${fmt(x.mean)} [${fmt(x.ci95[0])}, ${fmt(x.ci95[1])}]`, fmt(x.median), `${fmt(x.q05)} – ${fmt(x.q95)}`, `${fmt(x.rmsComponent)} (≤ ${fmt(x.rmsComponentUpper)})`, fmt(t.randomCircuitRms),
        x.target ? `${fmt(x.target.mean)} (var ${fmt(x.target.variance)})` : '—', x.vanishing ? 'yes' : 'no'])) +
    (t.sweep ? table(['σ', 'verdict', 'explanation'], t.sweep.fits.map((f) => [f.sigma, f.norm.verdict, f.norm.reason])) : '<p class="sub">No size sweep (give --sweep FAMILY:SIZES:LAYERS for decay fits over N).</p>') +
    figureDivs(figs, 'trainability') + '</section>';

  const landSec = `<section id="landscape"><h2>The landscape</h2><p class="conclusion">${esc(d.conclusions.landscape)}</p>` + figureDivs(figs, 'landscape') + '</section>';

  const notDone = `<section id="not-done"><h2>What did not fit the budget</h2>` +
    (d.notDone.length === 0 ? '<p>Everything planned ran within the budget.</p>'
      : `<ul class="notdone">${d.notDone.map((s) => `<li><b>${esc(s.section)}</b> · ${esc(s.item)}: ${esc(s.reason)}</li>`).join('')}</ul>`) + '</section>';

  const timing = Object.entries(d.timing.sections).map(([k, v]) => `${k} ${fmt(v, 2)} s`).join(', ');
  const specs = figs.map((f) => ({ id: f.id, spec: f.spec }));
  const [vega, vegaLite, vegaEmbed] = browserBundles();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>nearclifford analyze: ${esc(d.input.file)}</title>
<style>${STYLE}</style>
</head><body>
<main>
<h1>nearclifford analyze — ${esc(d.input.file)}</h1>
<p class="sub">observable ${esc(d.input.observable)} · center ${esc(d.input.center)} · ε = ${esc(d.eps)} · σ ∈ {${esc(d.sigmas.join(', '))}} · budget ${esc(d.input.timeBudgetSeconds)} s${d.input.lce ? ' · verdicts with LCE' : ''}${d.input.sweep ? ` · sweep ${esc(d.input.sweep)}` : ''} · all numbers in <a href="report.json">report.json</a></p>
${summary}
${circuitSec}
${centerSec}
${simSec}
${trainSec}
${landSec}
${notDone}
<footer>${((d as { notes?: string[] }).notes ?? []).map((n) => `<p>Note: ${esc(n)}</p>`).join('')}Analysis took ${fmt(d.timing.totalSeconds, 3)} s of the ${esc(d.input.timeBudgetSeconds)} s budget (${esc(timing)}). Generated by nearclifford; works offline.</footer>
</main>
<script type="application/json" id="nc-figures">${scriptJson(specs)}</script>
${inlineScript(vega!)}
${inlineScript(vegaLite!)}
${inlineScript(vegaEmbed!)}
${inlineScript(DRIVER)}
</body></html>
`;
}

function countText(obj: Record<string, unknown> | undefined, key: string): string {
  if (!obj) return '—';
  const exact = obj[key];
  const log = obj[`${key}_log10`];
  if ((typeof exact === 'number' || typeof exact === 'string') && String(exact).length <= 12) return String(exact);
  return typeof log === 'number' ? `10^${fmt(log)}` : '—';
}
