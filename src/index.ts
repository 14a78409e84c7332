/**
 * nearclifford's public library API, in the order data flows: text → IR → engines → reports.
 */

// IR: circuits, parameters, gates, states, errors.
export * from './ir/types.js';
export * from './ir/errors.js';
export * from './ir/affine.js';
export * from './ir/parameters.js';
export * from './ir/circuit.js';
export * from './ir/gate-library.js';
export * from './ir/states.js';
export * from './ansatz/index.js';
export * from './random/rng.js';

// Front ends and exporters.
export { parseDsl, type ParseDslOptions } from './parsing/dsl/index.js';
export { circuitToDsl } from './printing/dsl.js';
export * from './parsing/qasm/index.js';
export * from './printing/qasm.js';
export { circuitToQasm2 } from './printing/qasm2.js';

// Pauli algebra.
export * from './pauli/packed.js';
export * from './pauli/sparse.js';
export * from './pauli/table.js';
export * from './pauli/sum.js';
export * from './pauli/clifford.js';
export * from './pauli/observable-text.js';

// Engines.
export * from './simulators/statevector/index.js';
export * from './propagation/index.js';
export * from './surrogate/index.js';
export * from './encoder/index.js';

// Analysis: orders and bounds, gradients, cost, claim checking.
export * from './bounds/order.js';
export * from './bounds/scale.js';
export * from './clifford-point/frozen.js';
export * from './gradients/sampling.js';
export * from './gradients/sweep.js';
export * from './gradients/fits.js';
export * from './gradients/statistics.js';
export * from './gradients/noise-mean.js';
export { estimateCost } from './cost/estimate.js';
export { measureCost } from './cost/measure.js';
export { costToJSON, formatCostText } from './cost/report.js';
export { phaseDiagram } from './cost/phase-diagram.js';
export { classifyRegion, regimeOfExponent } from './cost/regime.js';
export { lightCone } from './bounds/light-cone.js';
export { binomialCount, binomialPrefixCount, powerOfTwoCount } from './bounds/counts.js';
export * from './check/index.js';

// Experiments and reports.
export * from './experiments/index.js';
export * from './reports/render.js';
export * from './reports/specs.js';

// The one-command analysis and its HTML report.
export * from './analyze/index.js';
