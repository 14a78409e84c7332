/** Exact state-vector simulator: public surface. */
export { StateVector } from './state.js';
export type { SimulatorOptions } from './simulate.js';
export { expectation, expectationAndGradient, expectationBatch, finalState } from './simulate.js';
export { DEFAULT_MAX_QUBITS, HARD_MAX_QUBITS, checkQubitLimit, stateVectorBytes } from './limits.js';
export type { PauliMask } from './pauli-mask.js';
export { maskFromSparse, maskFromPacked } from './pauli-mask.js';
