import { ANSATZ_FAMILIES, buildAnsatz, type AnsatzFamily } from '../ansatz/index.js';
import { parseScaleExpression } from '../bounds/scale.js';
import { parseParameterRef, resolveCenter } from '../clifford-point/resolve-center.js';
import { computeSweepCell, type RegionSpec, type SweepCell } from '../gradients/sweep.js';
import { UserError } from '../ir/errors.js';
import type { Circuit, Observable } from '../ir/types.js';
import { applyNoiseModel, parseNoiseModel, type NoiseModel } from '../noise/model.js';
import { parseCircuitText, resolveObservable } from '../parsing/circuit-source.js';
import { parseObservableText } from '../pauli/observable-text.js';
import type { TaskHandler } from '../tasks/executor.js';
import { s } from '../tasks/schema.js';

/**
 * One cell (N, region) of a `gradients` sweep as a task. The payload carries everything a worker
 * on another machine needs: the circuit itself (an ansatz spec or the file's text, never a path),
 * the observable text, the region's expression, the sampling settings and the center (its JSON
 * when it came from a file). The cell's random stream depends on (seed, N, region label) only.
 */
export const GRADIENT_CELL_KIND = 'gradients/cell';

export interface GradientCellPayload {
  readonly circuit: { readonly family?: string; readonly layers?: number | 'N'; readonly file?: string; readonly text?: string };
  /** Observable name, Pauli-sum text or 'random'; absent: the file's first observable. */
  readonly observable?: string;
  readonly N: number;
  readonly region: { readonly kind: 'gaussian' | 'hypercube'; readonly text: string };
  readonly samples: number;
  readonly seed: number;
  /** `zero` or `random-clifford[:seed]`; or `file` with the file's parsed JSON in centerValues. */
  readonly center: string;
  readonly centerValues?: unknown;
  readonly lce?: { readonly target: string; readonly variant: 'paper' | 'reduced' | 'compact' };
  readonly engine: 'exact' | 'surrogate' | 'auto';
  readonly exactMaxQubits: number;
  /** Noise model (`--noise`) inserted into the circuit where the task runs; validated again there. */
  readonly noise?: NoiseModel;
  /** Noisy circuits: the density-matrix qubit cap of the exact engine. */
  readonly densityMaxQubits?: number;
  readonly order?: number;
  readonly eps: number;
  readonly maxOrder: number;
}

export interface GradientCellRecord {
  readonly key: string;
  readonly cell: SweepCell;
}

const payloadSchema = s.object({
  circuit: s.object({
    family: s.optional(s.oneOf(ANSATZ_FAMILIES)),
    layers: s.optional(s.union(s.int(0, 100_000), s.oneOf(['N'] as const))),
    file: s.optional(s.string(500)),
    text: s.optional(s.string(900_000)),
  }),
  observable: s.optional(s.string(100_000)),
  N: s.int(1, 100_000),
  region: s.object({ kind: s.oneOf(['gaussian', 'hypercube'] as const), text: s.string(200) }),
  samples: s.int(1, 100_000_000),
  seed: s.int(0, 2 ** 53),
  center: s.string(200, /^(zero|random-clifford(:\d+)?|file)$/),
  centerValues: s.optional(s.json(500_000)),
  lce: s.optional(s.object({ target: s.string(200), variant: s.oneOf(['paper', 'reduced', 'compact'] as const) })),
  engine: s.oneOf(['exact', 'surrogate', 'auto'] as const),
  exactMaxQubits: s.int(1, 64),
  noise: s.optional(s.json(200_000)),
  densityMaxQubits: s.optional(s.int(1, 64)),
  order: s.optional(s.int(0, 64)),
  eps: s.number(0),
  maxOrder: s.int(0, 64),
});

export function regionLabel(region: GradientCellPayload['region']): string {
  return region.kind === 'gaussian' ? `σ=${region.text}` : `r=${region.text}`;
}

export function regionSpec(region: GradientCellPayload['region']): RegionSpec {
  const expr = parseScaleExpression(region.text, region.kind === 'gaussian' ? 'σ' : 'r');
  return {
    label: regionLabel(region),
    region: (D) => (region.kind === 'gaussian' ? { kind: 'gaussian', sigma: expr.at(D) } : { kind: 'hypercube', radius: expr.at(D) }),
  };
}

export const gradientCellKey = (p: Pick<GradientCellPayload, 'N' | 'region'>): string => `N${p.N}/${regionLabel(p.region)}`;

/** The circuit of a payload at size N (a file's circuit has one size), with the payload's noise model applied. */
export function payloadCircuit(p: Pick<GradientCellPayload, 'circuit' | 'noise'>, N: number): Circuit {
  const c = p.circuit;
  let circuit: Circuit;
  if (c.text !== undefined) circuit = parseCircuitText(c.file ?? 'circuit.ncl', c.text);
  else if (c.family === undefined || c.layers === undefined) throw new UserError('a gradient task needs a circuit: family and layers, or file text');
  else circuit = buildAnsatz(c.family as AnsatzFamily, { qubits: N, layers: c.layers === 'N' ? N : c.layers, seed: 0 });
  return p.noise === undefined ? circuit : applyNoiseModel(circuit, parseNoiseModel(p.noise, 'the task\'s noise model'));
}

export function computeGradientCell(p: GradientCellPayload, key: string): GradientCellRecord {
  const circuit = payloadCircuit(p, p.N);
  if (p.circuit.text !== undefined && circuit.numQubits !== p.N) throw new UserError(`the circuit has ${circuit.numQubits} qubits, the task says N = ${p.N}`);
  const observable = (): Observable | 'random' => {
    if (p.observable === 'random') return 'random';
    if (p.circuit.text !== undefined) return resolveObservable(circuit, p.observable);
    if (p.observable === undefined) throw new UserError('--ansatz needs --observable (a Pauli sum such as "Z0", or random)');
    return parseObservableText(p.observable, { name: 'observable', numQubits: p.N });
  };
  const fixed = observable();
  const target = p.lce === undefined ? undefined
    : p.lce.target === 'auto' || p.lce.target === 'random' ? p.lce.target : parseParameterRef(circuit, p.lce.target);
  const cell = computeSweepCell({
    buildCircuit: () => circuit,
    observable: () => fixed,
    samples: p.samples,
    seed: p.seed,
    center: (c) => resolveCenter(c, p.center === 'file' ? 'center.json' : p.center, () => p.centerValues),
    ...(p.lce !== undefined ? { lce: { target: target!, variant: p.lce.variant } } : {}),
    engine: p.engine,
    exactMaxQubits: p.exactMaxQubits,
    ...(p.densityMaxQubits !== undefined ? { densityMaxQubits: p.densityMaxQubits } : {}),
    ...(p.order !== undefined ? { order: p.order } : {}),
    eps: p.eps,
    maxOrder: p.maxOrder,
  }, p.N, regionSpec(p.region));
  return { key, cell };
}

export const gradientCellHandler: TaskHandler<GradientCellPayload, GradientCellRecord> = {
  kind: GRADIENT_CELL_KIND,
  payload: payloadSchema as unknown as TaskHandler<GradientCellPayload, GradientCellRecord>['payload'],
  compute: computeGradientCell,
};
