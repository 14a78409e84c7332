/** Property-testing simulability claims on a user's circuit (`nearclifford check`). */
export { parseClaim, formatClaim, type Claim, type ClaimRegion } from './claim.js';
export { checkClaim, type CheckOptions, type CheckResult, type PointResult, type Verdict } from './check.js';
export {
  parseReferenceSpec, EXACT_REFERENCE_MAX_QUBITS, EXACT_SLACK, type ReferenceSpec,
} from './evaluators.js';
export { checkToJSON, formatCheckText } from './report.js';
export { normalQuantile, samplingRegion, decodeProbe, probeArbitrary, type SamplingRegion, type ProbeLatent } from './sampling.js';
