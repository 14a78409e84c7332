import { parameterName, unbindParameters } from '../ir/parameters.js';
import type { ParameterDecl } from '../ir/types.js';
import type { CheckResult, PointResult } from './check.js';
import { formatClaim } from './claim.js';

/** JSON and text forms of a claim check. Points are given as parameter objects (params format). */

function pointJson(decls: readonly ParameterDecl[], p: PointResult): Record<string, unknown> {
  return {
    point: unbindParameters(decls, p.theta),
    delta: unbindParameters(decls, p.delta),
    delta_l1: p.deltaL1,
    angle_l1: p.angleL1,
    approximation: p.approximation,
    reference: p.reference,
    error: p.error,
    reference_bound: p.referenceBound,
    claim_bound: p.claimBound,
    verdict: p.verdict,
  };
}

/** The `--json` document of `nearclifford check`. */
export function checkToJSON(r: CheckResult, decls: readonly ParameterDecl[], replay?: string): Record<string, unknown> {
  return {
    status: r.status,
    claim: formatClaim(r.claim),
    eps: r.claim.eps,
    worst_error: r.worst ? r.worst.error : null,
    seed: r.seed,
    samples: r.samples,
    points_evaluated: r.pointsEvaluated,
    refuted_points: r.refutedPoints,
    undecided_points: r.undecidedPoints,
    counterexample: r.counterexample
      ? {
        ...pointJson(decls, r.counterexample), shrinks: r.counterexample.shrinks, path: r.counterexample.path,
        radial_factor: r.counterexample.radialFactor,
      }
      : null,
    worst: r.worst ? pointJson(decls, r.worst) : null,
    region: {
      kind: r.region.kind, text: r.region.text, value: r.region.scale, angle_l1_bound: r.region.extent, coordinate_bound: r.region.box,
      ...(r.region.tail !== null ? { tail_probability: r.region.tail } : {}),
    },
    center: unbindParameters(decls, r.center),
    approximation: r.approximation,
    reference: r.reference,
    region_bound: r.regionBound,
    seconds: r.seconds,
    reason: r.reason,
    warnings: r.warnings,
    ...(replay ? { replay } : {}),
  };
}

function short(v: number): string {
  return v === 0 || !Number.isFinite(v) ? String(v) : v.toPrecision(6);
}

/** At most `n` non-zero coordinates of δ, largest first: `theta[3] = 0.012, …`. */
function sparseDelta(decls: readonly ParameterDecl[], p: PointResult, n = 6): string {
  const idx = [...p.delta.keys()].filter((k) => p.delta[k] !== 0).sort((a, b) => Math.abs(p.delta[b]!) - Math.abs(p.delta[a]!));
  if (idx.length === 0) return 'δ = 0 (the center)';
  const names = idx.slice(0, n).map((k) => `${parameterName(decls, k)} ${p.delta[k]! >= 0 ? '+' : '−'}${short(Math.abs(p.delta[k]!))}`);
  return `δ: ${names.join(', ')}${idx.length > n ? `, … (${idx.length} non-zero)` : ''}`;
}

/** The human-readable report. */
export function formatCheckText(r: CheckResult, decls: readonly ParameterDecl[], replay?: string): string {
  const head = r.status === 'held' ? 'HELD' : r.status === 'refuted' ? 'REFUTED' : 'UNDECIDED';
  const reg = r.region;
  const regionText = reg.kind === 'sigma'
    ? `σ = ${reg.text} = ${short(reg.scale)}, tested on ‖Aδ‖₁ ≤ ${short(reg.extent)}, |δ_k| ≤ ${short(reg.box)} (all but ≤ 2·${reg.tail} of the mass)`
    : reg.kind === 'radius' ? `|δ_k| ≤ ${reg.text} = ${short(reg.scale)}` : `‖δ‖₁ ≤ ${reg.text} = ${short(reg.scale)}`;
  const lines = [
    `${head}  ${formatClaim(r.claim)}`,
    `samples        ${r.samples} probes, ${r.pointsEvaluated} points (${r.refutedPoints} refuting, ${r.undecidedPoints} undecided), seed ${r.seed}, ${r.seconds.toFixed(2)} s`,
    `region         ${regionText}`,
    `approximation  ${r.approximation}`,
    `reference      ${r.reference}`,
  ];
  if (r.regionBound !== null) {
    lines.push(`region bound   ${short(r.regionBound)} (the surrogate's own guarantee over the region; ${r.regionBound <= r.claim.eps ? '≤' : '>'} ε = ${r.claim.eps})`);
  }
  if (r.worst) {
    lines.push(`worst error    ${short(r.worst.error)} (reference ± ${short(r.worst.referenceBound)}) at ‖δ‖₁ = ${short(r.worst.deltaL1)}; ${sparseDelta(decls, r.worst)}`);
  }
  if (r.counterexample) {
    const c = r.counterexample;
    lines.push(
      `counterexample error ${short(c.error)} > ε = ${r.claim.eps} (approximation ${c.approximation}, reference ${c.reference} ± ${short(c.referenceBound)})`,
      `               at ‖δ‖₁ = ${short(c.deltaL1)}: fast-check shrank it ${c.shrinks} times, then ×${short(c.radialFactor)} toward the center; ${sparseDelta(decls, c)}`,
      `               full point in --json; fast-check path ${c.path.length > 80 ? c.path.slice(0, 77) + '…' : c.path} (--path, with the seed)`,
    );
  }
  if (r.status === 'undecided' && r.reason) lines.push(`reason         ${r.reason}`);
  if (replay) lines.push(`replay         ${replay}`);
  return lines.join('\n') + '\n';
}
