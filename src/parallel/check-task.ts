import { evaluateProbes, type CheckOptions, type PhaseOneResult, type PointResult } from '../check/check.js';
import { parseClaim } from '../check/claim.js';
import { parseReferenceSpec } from '../check/evaluators.js';
import type { ProbeLatent } from '../check/sampling.js';
import { UserError } from '../ir/errors.js';
import { parseInitialState } from '../ir/states.js';
import { applyNoiseModel, parseNoiseModel, type NoiseModel } from '../noise/model.js';
import { parseCircuitText, resolveObservable } from '../parsing/circuit-source.js';
import type { TaskHandler } from '../tasks/executor.js';
import { s } from '../tasks/schema.js';

/**
 * A batch of `check` probes as a task: the circuit's text, the observable, the claim and the
 * reference travel as data; the worker builds the evaluators once and evaluates its probes (phase
 * 1 of `checkClaim`). Shrinking a counterexample stays in the submitting process.
 */
export const CHECK_BATCH_KIND = 'check/probes';

export interface CheckBatchPayload {
  readonly circuit: { readonly file: string; readonly text: string };
  /** Noise model (`--noise`) inserted into the circuit where the batch runs; validated again there. */
  readonly noise?: NoiseModel;
  readonly observable?: string;
  readonly dense: boolean;
  readonly claim: string;
  /** Resolved center values, or absent for the claim's own `center=` (or zero). */
  readonly center?: number[];
  readonly state: string;
  readonly reference: string;
  readonly exactMaxQubits: number;
  readonly maxTerms: number;
  readonly probes: ProbeLatent[];
}

const vector = s.array(s.int(-(2 ** 31), 2 ** 31), 1_000_000);
const payloadSchema = s.object({
  circuit: s.object({ file: s.string(500), text: s.string(900_000) }),
  noise: s.optional(s.json(200_000)),
  observable: s.optional(s.string(100_000)),
  dense: s.boolean(),
  claim: s.string(2000),
  center: s.optional(s.array(s.number(), 1_000_000)),
  state: s.string(10_000),
  reference: s.string(200),
  exactMaxQubits: s.int(1, 64),
  maxTerms: s.int(16, 2 ** 40),
  probes: s.array(s.object({ z: vector, boundary: s.int(0, 3), rho: s.int(0, 2 ** 31), jitter: s.array(vector, 10_000) }), 1_000_000),
});

/** PointResult with plain arrays (typed arrays do not survive JSON) and non-finite numbers by name. */
type PointJson = Record<string, unknown> & { theta: number[]; delta: number[] };

function toJson(p: PointResult): PointJson {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  return { ...out, theta: Array.from(p.theta), delta: Array.from(p.delta) };
}

function fromJson(p: PointJson): PointResult {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) out[k] = v === 'Infinity' || v === '-Infinity' || v === 'NaN' ? Number(v) : v;
  return { ...out, theta: Float64Array.from(p.theta), delta: Float64Array.from(p.delta) } as unknown as PointResult;
}
export interface CheckBatchRecord {
  readonly key: string;
  readonly pointsEvaluated: number;
  readonly refutedPoints: number;
  readonly undecidedPoints: number;
  readonly worst: PointJson | null;
}

export function checkBatchOptions(p: Omit<CheckBatchPayload, 'probes' | 'circuit' | 'noise' | 'observable' | 'dense' | 'claim'>, numQubits: number): CheckOptions {
  return {
    ...(p.center ? { center: Float64Array.from(p.center) } : {}),
    initialState: parseInitialState(p.state, numQubits),
    reference: parseReferenceSpec(p.reference),
    exactMaxQubits: p.exactMaxQubits,
    maxTerms: p.maxTerms,
  };
}

export function computeCheckBatch(p: CheckBatchPayload, key: string): CheckBatchRecord {
  const parsed = parseCircuitText(p.circuit.file, p.circuit.text);
  const circuit = p.noise === undefined ? parsed : applyNoiseModel(parsed, parseNoiseModel(p.noise, 'the task\'s noise model'));
  const observable = resolveObservable(circuit, p.observable, p.dense);
  if (p.center && p.center.length !== circuit.numParameters) throw new UserError(`the center has ${p.center.length} values, the circuit ${circuit.numParameters} parameters`);
  const r = evaluateProbes(circuit, observable, parseClaim(p.claim), checkBatchOptions(p, circuit.numQubits), p.probes);
  const worst = r.worst ? toJson(r.worst) : null;
  return { key, pointsEvaluated: r.pointsEvaluated, refutedPoints: r.refutedPoints, undecidedPoints: r.undecidedPoints, worst };
}

export function phaseOneOf(r: CheckBatchRecord): PhaseOneResult {
  return { pointsEvaluated: r.pointsEvaluated, refutedPoints: r.refutedPoints, undecidedPoints: r.undecidedPoints, worst: r.worst ? fromJson(r.worst) : null };
}

export const checkBatchHandler: TaskHandler<CheckBatchPayload, CheckBatchRecord> = {
  kind: CHECK_BATCH_KIND,
  payload: payloadSchema as unknown as TaskHandler<CheckBatchPayload, CheckBatchRecord>['payload'],
  compute: computeCheckBatch,
};
