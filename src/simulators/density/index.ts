export { DensityMatrix } from './density-matrix.js';
export {
  DEFAULT_DENSITY_MAX_QUBITS, densityExpectation, densityExpectationAndGradient, densityExpectationBatch,
  finalDensityMatrix, type DensityOptions, type NoisyCircuit,
} from './simulate.js';
