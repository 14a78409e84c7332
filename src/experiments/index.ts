import type { ExperimentDefinition } from './framework.js';
import { gradientNormExperiment, gradientNormSumsExperiment } from './gradient-norm.js';
import type { KeyedRecord } from './store.js';
import { surrogateRuntimeExperiment } from './surrogate-runtime.js';
import { taylorOrderExperiment } from './taylor-order.js';
import { trainabilityExperiment } from './trainability.js';
import { vqeExperiment } from './vqe.js';
import { frontierExperiment } from './frontier.js';
import { noiseExperiment } from './noise.js';

export {
  runExperiment, sizeRange, range, grid, collectSeries, findSeries, pointStatistics, inPlanOrder, experimentHandler, experimentTaskKind, RECORDS_FILE,
} from './framework.js';
export type {
  ExperimentDefinition, ExperimentOption, ExperimentProgress, ExperimentSettings, Observation, PointStatistics, RunOptions, RunResult, Series, TaskSpec,
} from './framework.js';
export { RecordStore } from './store.js';
export { gradientNormExperiment, gradientNormSumsExperiment, gradientNormAtCenter } from './gradient-norm.js';
export type { GradientNormRecord } from './gradient-norm.js';
export { trainabilityExperiment } from './trainability.js';
export type { TrainabilityRecord } from './trainability.js';
export { taylorOrderExperiment, neededOrder } from './taylor-order.js';
export type { TaylorOrderRecord } from './taylor-order.js';
export { taylorOrderPaperExperiment, paperRecord, paperThreshold, paperSizes } from './taylor-order-paper.js';
export type { TaylorPaperRecord } from './taylor-order-paper.js';
export { surrogateRuntimeExperiment } from './surrogate-runtime.js';
export type { SurrogateRuntimeRecord } from './surrogate-runtime.js';
export { vqeExperiment, hamiltonian } from './vqe.js';
export type { VqeRecord } from './vqe.js';
export { frontierExperiment, type FrontierPayload, type FrontierRecord } from './frontier.js';
export { noiseExperiment, noiseGradientSeries, noisePropagationSeries, noiseSizes } from './noise.js';
export type { NoiseGradientRecord, NoisePropagationRecord, NoiseRecord } from './noise.js';

/** The experiments of docs/science.md §6 in their numbering. */
export const EXPERIMENTS: readonly ExperimentDefinition<unknown, KeyedRecord>[] = [
  gradientNormExperiment,
  gradientNormSumsExperiment,
  trainabilityExperiment,
  taylorOrderExperiment,
  surrogateRuntimeExperiment,
  vqeExperiment,
  frontierExperiment,
  noiseExperiment,
] as unknown as readonly ExperimentDefinition<unknown, KeyedRecord>[];

/** By name (`trainability`) or number (`3`). */
export function findExperiment(name: string): ExperimentDefinition<unknown, KeyedRecord> | undefined {
  return EXPERIMENTS.find((e) => e.name === name || String(e.number) === name);
}
