/**
 * nearclifford's public library API, in the order data flows: circuits (IR) → front ends →
 * engines → analysis → experiments and reports. Everything here is a named export; modules not
 * listed are internal and may change without notice.
 *
 * Conventions used throughout: qubit 0 is the first qubit of the register; a rotation is
 * exp(−i·angle·P/2) with the angle in radians; parameter vectors are flat `Float64Array`s in
 * declaration order (see {@link bindParameters}); user mistakes throw a {@link UserError} whose
 * message is one line (with `file:line:column:` when it comes from a source text).
 *
 * @example
 * ```ts
 * import { CircuitBuilder, expectationAndGradient } from 'nearclifford';
 *
 * const circuit = new CircuitBuilder(2).param('theta', 2)
 *   .ry('theta[0]', 0).cx(0, 1).rz('theta[1]', 1)
 *   .observable('H', 'Z0 Z1').build();
 * const { value, gradient } = expectationAndGradient(circuit, new Float64Array([0.3, 0.1]), circuit.observables[0]!);
 * ```
 * @packageDocumentation
 */

// ---- Circuits: the IR every engine consumes, parameters, states, errors.
export type {
  AffineExpr, AffineTerm, Circuit, CliffordGate, CliffordName, Gate, Observable, ParameterDecl, PauliLetter, PauliRotation,
  PauliTerm, SourceLocation, SparsePauli,
} from './ir/types.js';
export { CLIFFORD_GATE_NAMES } from './ir/types.js';
export { CLIFFORD_GATES, CLIFFORD_ARITY, type CliffordGateRecord } from './ir/clifford-gates.js';
export { UserError, ResourceLimitError } from './ir/errors.js';
export { constantExpr, parameterExpr, evaluateExpr, formatExpr } from './ir/affine.js';
export { bindParameters, unbindParameters, parameterName, countParameters, type ParameterValues } from './ir/parameters.js';
export { ZERO_STATE, parseInitialState, formatInitialState, type InitialState } from './ir/states.js';
export { GATE_LIBRARY, type GateDefinition } from './ir/gate-library.js';

// ---- Writing circuits: the fluent builder, the DSL and OpenQASM, ansatz families, observables.
export { CircuitBuilder, type Angle } from './builder/circuit-builder.js';
export { parseDsl, type ParseDslOptions } from './parsing/dsl/index.js';
export type { LoweringLimits } from './parsing/dsl/lower.js';
export { circuitToDsl } from './printing/dsl.js';
export { parseQasm, type QasmImportOptions } from './parsing/qasm/index.js';
export type { IncludeReader } from './parsing/qasm/includes.js';
export { circuitToQasm3 } from './printing/qasm.js';
export { circuitToQasm2 } from './printing/qasm2.js';
export {
  buildAnsatz, ansatzParameterCount, ANSATZ_FAMILIES, type AnsatzFamily, type AnsatzOptions,
} from './ansatz/families.js';
export { parseObservableText, formatObservable, observableNorm1, type ObservableTextOptions } from './pauli/observable-text.js';
export { createRng, type Rng } from './random/rng.js';
export { randomPauliObservable, randomPauliString } from './random/observables.js';

// ---- Noise: channels as data, noise models, and the exact density-matrix simulator.
export {
  makeChannel, heisenbergFactor, krausOperators, CHANNEL_NAMES, CHANNEL_SHAPE,
  type ChannelName, type KrausOperator,
} from './noise/channels.js';
export { applyNoiseModel, parseNoiseModel, type NoiseModel, type ChannelSpec } from './noise/model.js';
export {
  densityExpectation, densityExpectationAndGradient, densityExpectationBatch, finalDensityMatrix, DensityMatrix,
  DEFAULT_DENSITY_MAX_QUBITS, type DensityOptions, type NoisyCircuit,
} from './simulators/density/index.js';
export { hasNoise } from './ir/circuit.js';
export type { NoiseChannel, UnitaryGate } from './ir/types.js';

// ---- Exact state-vector simulation (up to a few tens of qubits).
export {
  expectation, expectationAndGradient, expectationBatch, finalState, type SimulatorOptions,
} from './simulators/statevector/simulate.js';
export { StateVector } from './simulators/statevector/state.js';
export { DEFAULT_MAX_QUBITS, HARD_MAX_QUBITS, stateVectorBytes } from './simulators/statevector/limits.js';

// ---- Clifford points: exact values and gradients at θ* for any register size.
export { cliffordExpectation, isCliffordPoint, quarterTurns } from './clifford-point/heisenberg.js';
export {
  freezeCircuit, cliffordPointGradient, type CliffordGradient, type FrozenCircuit,
} from './clifford-point/frozen.js';
export { parseCenterSpec, randomCliffordCenter, type CenterSpec } from './clifford-point/center.js';

// ---- Numeric Pauli propagation (PauliPropagation.jl semantics).
export {
  propagate, propagateToSum, DEFAULT_MIN_ABS,
  type PropagationOptions, type PropagationResult, type PropagationStats, type PropagationSumResult, type Truncation,
} from './propagation/index.js';
export type { PauliSum } from './pauli/sum.js';

// ---- Surrogates around a Clifford point: Taylor and Pauli-path, with rigorous error bounds.
export {
  buildTaylorSurrogate, defaultMaxTerms, surrogateBytesPerTerm, type SurrogateBuildOptions, type TaylorBuildOptions,
} from './surrogate/taylor-build.js';
export { buildPathSurrogate, type PathBuildOptions } from './surrogate/paths-build.js';
export type { Surrogate, SurrogateSize } from './surrogate/interface.js';
export type { SurrogateMeta } from './surrogate/meta.js';
export { TaylorSurrogate, type TaylorCoefficient } from './surrogate/taylor.js';
export { PathSurrogate } from './surrogate/paths.js';
export { saveSurrogate, surrogateFromJSON, surrogateToJSONText } from './surrogate/serialize.js';
export { SURROGATE_FORMAT, SURROGATE_VERSION } from './surrogate/meta-json.js';

// ---- Linear Clifford Encoder.
export {
  encodeLce, verifyEncoding, defaultTermIndex,
  type LceOptions, type LceResult, type LceVariant, type LceVerification, type LceCancellation,
} from './encoder/lce.js';
export { crossCheckEncoding, type CrossCheck } from './encoder/cross-check.js';

// ---- Bounds: Taylor orders, remainder factors, regions, light cones.
export {
  taylorOrderFor, chooseTaylorOrder, taylorRemainderFactor, regionDisplacementBound, gaussianL1Mean, gaussianL1Quantile,
  hypercubeL1Bound, identityAngleMapStats, DEFAULT_TAIL_PROBABILITY, type AngleMapStats, type OrderChoice, type Region,
} from './bounds/order.js';
export { lightCone, type LightCone } from './bounds/light-cone.js';

// ---- Certified error bounds (issue 14, docs/bounds.md): light-cone and a-posteriori kinds,
// order selection by the tightest, statistical estimates (labelled as such).
export { BOUND_KINDS, type BoundKind, type BoundsByKind, type BoundCertificates } from './surrogate/meta.js';
export { predictOrders, predictPathSins, buildWithAutoOrder, type OrderPrediction, type AutoOrderResult } from './cost/auto-order.js';
export { estimateSurrogateError, ESTIMATE_EXACT_MAX_QUBITS, type SurrogateErrorEstimate } from './cost/estimate-error.js';
export { estimateFromErrors, type ErrorEstimate } from './bounds/estimates.js';

// ---- Gradients: sampling over regions, statistics, decay fits, noise means at Clifford points.
export {
  sampleGradients, exactGradientEvaluator, l2Norm,
  type GradientRegion, type GradientEvaluation, type GradientEvaluator, type GradientStatistics,
} from './gradients/sampling.js';
export {
  linearFit, analyzeDecay, decayVerdict, type LinearFit, type DecayAnalysis, type DecayVerdict, type DecayFit, type BarrenPlateauVerdict,
  type VerdictOptions, type ModelComparison, type SizeSamples,
} from './gradients/fits.js';
export { summarize, type Summary } from './gradients/statistics.js';
export { survivingPath, expectedDerivative, type SurvivingPath } from './gradients/noise-mean.js';

// ---- Classical cost and claim checking.
export {
  estimateCost, type CostEstimate, type CostOptions, type CostRegion, type CostSubject, type SigmaCriterion,
} from './cost/estimate.js';
export type { RegimeClassification, Regime, ScaleKind } from './cost/regime.js';
export type { Count } from './bounds/counts.js';
export {
  parseClaim, formatClaim, checkClaim,
  type Claim, type ClaimRegion, type CheckOptions, type CheckResult, type PointResult, type Verdict,
} from './check/index.js';
export type { ClaimCommon, ClaimBound } from './check/claim.js';
export type { PhaseOneResult } from './check/check.js';
export type { ReferenceSpec } from './check/evaluators.js';

// ---- The one-command analysis: `nearclifford analyze` as a library call, and its HTML report.
export {
  runAnalysis, writeReport, type AnalyzeInput, type AnalysisResult, type AnalysisVerdict, type VerdictKind, type WrittenReport,
} from './analyze/index.js';
