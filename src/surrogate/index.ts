/** Taylor and Pauli-path surrogates around Clifford points (issue 4). */
export { AngleForms } from './forms.js';
export { CliffordFrame } from './frame.js';
export { hasChannels, lowerForSurrogate, STEP_CHANNEL, STEP_FIXED, STEP_SYMBOLIC, type SurrogateProgram } from './program.js';
export { MonomialTable } from './monomials.js';
export type { SurrogateMeta } from './meta.js';
export type { Surrogate, SurrogateSize } from './interface.js';
export { TaylorSurrogate, type TaylorCoefficient } from './taylor.js';
export { PathSurrogate } from './paths.js';
export {
  buildTaylorSurrogate, defaultMaxTerms, surrogateBytesPerTerm, type SurrogateBuildOptions, type TaylorBuildOptions,
} from './taylor-build.js';
export { buildPathSurrogate, type PathBuildOptions } from './paths-build.js';
export { SURROGATE_FORMAT, SURROGATE_VERSION } from './meta-json.js';
export { saveSurrogate, surrogateFromJSON, surrogateToJSONText } from './serialize.js';
export { parseCenterSpec, randomCliffordCenter, type CenterSpec } from '../clifford-point/center.js';
