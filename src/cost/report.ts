import { formatCount, jsonLog10, type Count } from '../bounds/counts.js';
import type { BuildOutcome, CostMeasurement } from './measure.js';
import type { CostEstimate } from './estimate.js';

/**
 * JSON and text forms of a cost estimate. Counts appear twice: `name` (an exact number ≤ 2^53, an
 * exact decimal string beyond, or null when longer than 2000 digits) and `name_log10`.
 */

function countFields(name: string, c: Count): Record<string, unknown> {
  return { [name]: c.exact, [`${name}_log10`]: jsonLog10(c.log10) };
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function buildJson(b: BuildOutcome): Record<string, unknown> {
  if ('error' in b) return { error: b.error };
  return {
    truncation: b.truncation,
    terms: b.terms,
    peak_terms: b.peakTerms,
    monomials: b.monomials,
    nodes: b.nodes,
    build_seconds: b.buildSeconds,
    retained_bytes: b.retainedBytes,
    peak_rss_bytes: b.peakRssBytes,
  };
}

/** The `--json` document of `nearclifford cost`. */
export function costToJSON(e: CostEstimate, measured?: CostMeasurement): Record<string, unknown> {
  return {
    order: e.order,
    paper_threshold: e.paperThreshold,
    bound: e.bound,
    eps: e.eps,
    ...countFields('parameter_shift_evaluations', e.parameterShiftEvaluations),
    regime: e.regime.regime,
    regime_reason: e.regime.reason,
    scale_exponent: finite(e.regime.exponent),
    scale_exponent_source: e.regime.exponentSource,
    point_exponent: e.regime.pointExponent === null ? null : finite(e.regime.pointExponent),
    point_regime: e.regime.pointRegime,
    parameters: e.numParameters,
    qubits: e.numQubits,
    observable: e.observable,
    observable_norm1: e.observableNorm1,
    region: {
      kind: e.region.kind,
      text: e.region.text,
      value: e.region.value,
      ...(e.region.tailProbability !== null ? { tail_probability: e.region.tailProbability, criterion: e.region.criterion } : {}),
    },
    displacement_bound: e.displacementBound,
    ...(e.displacementMean !== null ? { displacement_mean: e.displacementMean, order_at_mean: e.orderAtMean } : {}),
    light_cone: {
      qubits: e.numQubits === null ? null : e.lightCone.qubits,
      parameters: e.lightCone.parameters,
      parametrized_rotations: e.lightCone.symbolicRotations,
      fixed_rotations: e.lightCone.fixedRotations,
      observable_terms: e.lightCone.observableTerms,
    },
    surrogate: {
      kind: 'taylor',
      size_basis: 'upper bound',
      ...countFields('monomials_upper_bound', e.taylor.monomialsUpperBound),
      ...countFields('strings_upper_bound', e.taylor.stringsUpperBound),
      ...countFields('terms_upper_bound', e.taylor.termsUpperBound),
    },
    paths: {
      max_sins: e.paths.maxSins,
      bound: e.paths.bound,
      size_basis: 'upper bound',
      ...countFields('strings_upper_bound', e.paths.stringsUpperBound),
    },
    ...(e.stateVectorBytes ? countFields('state_vector_bytes', e.stateVectorBytes) : { state_vector_bytes: null }),
    ...(measured ? { measured: { taylor: buildJson(measured.taylor), paths: buildJson(measured.paths) } } : {}),
    assumptions: e.assumptions,
  };
}

function bytes(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

function countBytes(c: Count): string {
  if (typeof c.exact === 'number') return bytes(c.exact);
  return `${formatCount(c)} bytes`;
}

function buildLine(label: string, b: BuildOutcome): string {
  if ('error' in b) return `${label}not built: ${b.error}`;
  return (
    `${label}${b.terms} terms (peak ${b.peakTerms}), ${b.monomials} monomials, ${b.nodes} nodes, ` +
    `${b.buildSeconds.toFixed(3)} s, retained ${bytes(b.retainedBytes)}, process peak RSS ${bytes(b.peakRssBytes)}`
  );
}

/** The human-readable report. */
export function formatCostText(e: CostEstimate, measured?: CostMeasurement): string {
  const r = e.region;
  const sym = r.kind === 'radius' ? 'r =' : '‖δ‖₁ ≤';
  const valueText = String(r.value) === r.text ? r.text : `${r.text} = ${r.value}`;
  const regionLine = r.kind === 'sigma'
    ? `σ = ${valueText}; ‖Aδ‖₁ ≤ ${e.displacementBound} (${r.criterion === 'mean' ? 'the mean E‖Aδ‖₁, the paper\'s criterion' : `except with probability ${r.tailProbability}`})`
    : `${sym} ${valueText}; ‖Aδ‖₁ ≤ ${e.displacementBound}`;
  const cone = e.lightCone;
  const lines = [
    `parameters    D = ${e.numParameters}${e.numQubits !== null ? `, ${e.numQubits} qubits` : ''}${e.observable ? `, observable ${e.observable.length > 60 ? e.observable.slice(0, 59) + '…' : e.observable} (‖O‖₁ = ${e.observableNorm1})` : ''}`,
    `region        ${regionLine}`,
    `order         ${e.order}   (paper's truncation threshold ${e.paperThreshold}); bound ${e.bound} ≤ ε = ${e.eps}` +
      (e.orderAtMean !== null && r.criterion !== 'mean' ? `; at t = E‖Aδ‖₁ = ${e.displacementMean!.toPrecision(6)}: order ${e.orderAtMean}` : ''),
    `regime        ${e.regime.regime}: ${e.regime.reason}`,
    `param. shift  ${formatCount(e.parameterShiftEvaluations)} stabilizer simulations, C(2D + m, m)`,
    `light cone    ${e.numQubits !== null ? `${cone.qubits} qubits, ` : ''}${cone.parameters} parameters, ${cone.symbolicRotations} parametrized and ${cone.fixedRotations} fixed non-Clifford rotations`,
    `taylor size   ≤ ${formatCount(e.taylor.monomialsUpperBound)} monomials, ≤ ${formatCount(e.taylor.stringsUpperBound)} Pauli strings, ` +
      `≤ ${formatCount(e.taylor.termsUpperBound)} (string, monomial) terms (upper bounds)`,
    `paths         S = ${e.paths.maxSins} sin branches, bound ${e.paths.bound}` +
      `${e.paths.bound === 0 && e.paths.maxSins === cone.symbolicRotations ? ' (S = every parametrized gate in the cone: exact)' : ''}; ` +
      `≤ ${formatCount(e.paths.stringsUpperBound)} Pauli strings (upper bound)`,
    `state vector  ${e.stateVectorBytes ? countBytes(e.stateVectorBytes) : 'n/a (no circuit)'}`,
  ];
  if (measured) {
    lines.push(buildLine('measured      taylor: ', measured.taylor));
    lines.push(buildLine('              paths:  ', measured.paths));
  }
  for (const a of e.assumptions) lines.push(`assumed       ${a}`);
  return lines.join('\n') + '\n';
}
