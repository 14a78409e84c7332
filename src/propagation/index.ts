/** Numeric Heisenberg Pauli propagation and exact Clifford-point evaluation: public surface. */
export type { Truncation, PropagationOptions, PropagationResult, PropagationStats } from './options.js';
export { DEFAULT_MIN_ABS } from './options.js';
export type { PropagationSumResult } from './propagate.js';
export { propagate, propagateToSum } from './propagate.js';
export { isCliffordPoint, cliffordExpectation, simulateViaClifford, quarterTurns } from './clifford-point.js';
