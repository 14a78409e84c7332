import { EXPERIMENTS, experimentHandler, taylorOrderPaperExperiment } from '../experiments/index.js';
import type { HandlerLookup, KeyedResult, TaskHandler } from '../tasks/executor.js';
import { checkBatchHandler } from './check-task.js';
import { withInjectedFaults } from './faults.js';
import { gradientCellHandler } from './gradient-task.js';
import { evaluateBatchHandler, evaluateDataHandler, phaseRowHandler } from './local-tasks.js';

/**
 * Every task kind a worker accepts: each experiment's compute and the gradient-sweep cell. A job
 * naming any other kind is refused; there is no way to send a worker code.
 */
const HANDLERS: ReadonlyMap<string, TaskHandler<unknown, KeyedResult>> = new Map(
  [
    ...EXPERIMENTS.map((e) => experimentHandler(e)),
    experimentHandler(taylorOrderPaperExperiment) as unknown as TaskHandler<unknown, KeyedResult>,
    ...[gradientCellHandler, phaseRowHandler, evaluateBatchHandler, evaluateDataHandler, checkBatchHandler] as unknown as TaskHandler<unknown, KeyedResult>[],
  ].map((h) => [h.kind, h]),
);

export const lookupHandler: HandlerLookup = (kind) => {
  const h = HANDLERS.get(kind);
  return h && withInjectedFaults(h);
};

export const TASK_KINDS: readonly string[] = [...HANDLERS.keys()];
