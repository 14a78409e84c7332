export { encodeLce, defaultTermIndex, verifyEncoding, parameterAnchors, autoTargetOrder } from './lce.js';
export type { LceOptions, LceResult, LceVariant, LceVerification } from './lce.js';
export { crossCheckEncoding } from './cross-check.js';
export type { CrossCheck } from './cross-check.js';
