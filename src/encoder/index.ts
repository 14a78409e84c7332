export { encodeLce, defaultTermIndex, verifyEncoding, parameterAnchors, autoTargetOrder, termTryOrder, LceCancellationError, LCE_VARIANTS } from './lce.js';
export type { LceOptions, LceResult, LceVariant, LceVerification, LceCancellation } from './lce.js';
export { crossCheckEncoding } from './cross-check.js';
export type { CrossCheck } from './cross-check.js';
