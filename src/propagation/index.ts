/** Numeric Heisenberg Pauli propagation: public surface (exact Clifford points: clifford-point/). */
export type { Truncation, PropagationOptions, PropagationResult, PropagationStats } from './options.js';
export { DEFAULT_MIN_ABS } from './options.js';
export type { PropagationSumResult } from './propagate.js';
export { propagate, propagateToSum } from './propagate.js';
export { machineThreads } from './threaded.js';
