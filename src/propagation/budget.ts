import { memoryLimit } from '../memory/limit.js';

/**
 * Thrown by an engine when its term table would have to hold more than the budget; the driver
 * turns it into a ResourceLimitError that names the gate.
 */
export class TermBudgetExceeded extends Error {
  /** `allocationFailed`: the budget was not reached but memory for more terms could not be had. */
  constructor(readonly budget: number, readonly liveTerms: number, readonly allocationFailed = false) {
    super(`term budget of ${budget} exceeded with ${liveTerms} live terms`);
    this.name = 'TermBudgetExceeded';
  }
}

/**
 * Default term budget: the number of terms whose tables (with the transient copy made while
 * growing) fit in the process memory limit (memory/limit.ts). `bytesPerTerm` is the engine's
 * steady footprint.
 */
export function defaultTermBudget(bytesPerTerm: number): number {
  const usable = memoryLimit();
  return Math.max(1 << 16, Math.floor(usable / (bytesPerTerm * 1.5)));
}
