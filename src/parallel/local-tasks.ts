import { readFileSync } from 'node:fs';
import { PHASE_EPS, phaseCell, type PhaseCell } from '../cost/phase-diagram.js';
import { UserError } from '../ir/errors.js';
import { surrogateFromJSON } from '../surrogate/serialize.js';
import { MAX_PAYLOAD_CHARS, type TaskHandler } from '../tasks/executor.js';
import { s } from '../tasks/schema.js';

/**
 * Two more sweeps as tasks: a row (one exponent a) of `cost --phase-diagram`, and a batch of points
 * of `evaluate`. Both results are independent of how the work is split: a phase cell is a pure
 * function of (a, N, ε), and a surrogate evaluates each point on its own.
 */
export const PHASE_ROW_KIND = 'cost/phase-row';
export const EVALUATE_BATCH_KIND = 'surrogate/evaluate-batch';
export const EVALUATE_DATA_KIND = 'surrogate/evaluate-data';

export interface PhaseRowPayload {
  readonly a: number;
  readonly qubits: number[];
  readonly eps: number;
}

export const phaseRowHandler: TaskHandler<PhaseRowPayload, { key: string; cells: PhaseCell[] }> = {
  kind: PHASE_ROW_KIND,
  payload: s.object({ a: s.number(0, 100), qubits: s.array(s.int(1, 100_000_000), 100_000), eps: s.number(0, 1) }),
  compute: (p, key) => ({ key, cells: p.qubits.map((N) => phaseCell(p.a, N, p.eps ?? PHASE_EPS)) }),
};

export interface EvaluateBatchPayload {
  /** Absolute path of the saved surrogate (a local file: this kind never comes from a queue). */
  readonly file: string;
  /** Row-major points, `count` of them. */
  readonly points: number[];
  readonly count: number;
}

/** JSON has no Infinity or NaN: non-finite numbers travel as their names. */
const encode = (v: ArrayLike<number>): (number | string)[] => Array.from(v, (x) => (Number.isFinite(x) ? x : String(x)));
export const decodeNumbers = (v: readonly (number | string)[]): number[] => v.map(Number);

export const evaluateBatchHandler: TaskHandler<EvaluateBatchPayload, { key: string; values: (number | string)[]; bounds: (number | string)[] }> = {
  kind: EVALUATE_BATCH_KIND,
  localOnly: true,
  payload: s.object({ file: s.string(4096), points: s.array(s.number(), 50_000_000), count: s.int(0, 50_000_000) }),
  compute(p, key) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(p.file, 'utf8'));
    } catch (e) {
      throw new UserError(`cannot read surrogate file '${p.file}': ${(e as Error).message}`);
    }
    const sur = surrogateFromJSON(json, p.file);
    const flat = Float64Array.from(p.points);
    return { key, values: encode(sur.evaluate(flat, p.count)), bounds: encode(sur.bounds(flat, p.count)) };
  },
};

export interface EvaluateDataPayload {
  /** The saved surrogate's JSON itself: a queue worker on another machine has no access to the file. */
  readonly surrogate: unknown;
  readonly points: number[];
  readonly count: number;
}

/**
 * `evaluate --queue`: the batch carries the surrogate as data (checked by surrogateFromJSON, which
 * validates every field of the format), so it may come from a queue. Limited by the envelope's
 * size bound: a larger surrogate is evaluated locally (see evaluate's message).
 */
export const evaluateDataHandler: TaskHandler<EvaluateDataPayload, { key: string; values: (number | string)[]; bounds: (number | string)[] }> = {
  kind: EVALUATE_DATA_KIND,
  payload: s.object({ surrogate: s.json(MAX_PAYLOAD_CHARS), points: s.array(s.number(), 50_000_000), count: s.int(0, 50_000_000) }),
  compute(p, key) {
    const sur = surrogateFromJSON(p.surrogate, 'surrogate (queued)');
    if (p.points.length !== p.count * sur.meta.parameters.reduce((n, d) => n + (d.length ?? 1), 0)) {
      throw new UserError(`task '${key}': ${p.count} points do not match ${p.points.length} coordinates for this surrogate`);
    }
    const flat = Float64Array.from(p.points);
    return { key, values: encode(sur.evaluate(flat, p.count)), bounds: encode(sur.bounds(flat, p.count)) };
  },
};
