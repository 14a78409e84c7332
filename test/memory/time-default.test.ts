import { afterEach, describe, expect, it } from 'vitest';
import { TimeLimitError, applyDefaultTimeLimit, checkTimeLimit, setTimeLimit, timeLimit } from '../../src/memory/time.js';

afterEach(() => {
  setTimeLimit(undefined);
  delete process.env.NEARCLIFFORD_DEFAULT_TIME_LIMIT;
});

const busyWait = (ms: number) => {
  const t = performance.now();
  while (performance.now() - t < ms);
};

describe('a command default time limit', () => {
  it('applies only without a user --time-limit, and says it was the default', () => {
    expect(applyDefaultTimeLimit(0.01, 'propagate')).toBe(0.01);
    expect(timeLimit()).toBe(0.01);
    busyWait(20);
    expect(() => checkTimeLimit('gate 3 of 9')).toThrow(TimeLimitError);
    expect(() => checkTimeLimit('gate 3 of 9')).toThrow(/^default time limit of 0\.01 s of propagate reached at gate 3 of 9; pass --time-limit S/);
    // The user's limit wins over the default, and its message is the usual one.
    setTimeLimit(0.01);
    expect(applyDefaultTimeLimit(600, 'propagate')).toBe(0.01);
    busyWait(20);
    expect(() => checkTimeLimit('gate 3 of 9')).toThrow(/^time limit of 0\.01 s reached at gate 3 of 9; or raise --time-limit/);
  });

  it('NEARCLIFFORD_DEFAULT_TIME_LIMIT overrides the default; none (or 0) removes it; garbage is a user error', () => {
    process.env.NEARCLIFFORD_DEFAULT_TIME_LIMIT = '42';
    expect(applyDefaultTimeLimit(600, 'propagate')).toBe(42);
    setTimeLimit(undefined);
    process.env.NEARCLIFFORD_DEFAULT_TIME_LIMIT = 'none';
    expect(applyDefaultTimeLimit(600, 'propagate')).toBeNull();
    expect(timeLimit()).toBeNull();
    process.env.NEARCLIFFORD_DEFAULT_TIME_LIMIT = 'soon';
    expect(() => applyDefaultTimeLimit(600, 'propagate')).toThrow(/NEARCLIFFORD_DEFAULT_TIME_LIMIT must be a number of seconds or 'none', got 'soon'/);
  });
});
