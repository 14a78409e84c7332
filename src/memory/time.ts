import { ResourceLimitError, UserError } from '../ir/errors.js';

/**
 * The process-wide time limit (`--time-limit S`), the companion of the memory limit: long-running
 * loops call `checkTimeLimit(where)` at points where stopping is clean (after a gate, a probe, a
 * sample), so a run past its limit ends with one line naming how far it got instead of being
 * killed from outside. Commands that can report partial results catch TimeLimitError or ask
 * `timeLimitReached()` and stop early with what is finished.
 */
export class TimeLimitError extends ResourceLimitError {
  constructor(message: string, readonly limitSeconds: number) {
    super(message);
    this.name = 'TimeLimitError';
  }
}

let deadline: number | null = null;
let limitSeconds: number | null = null;
/** Set when the limit in force is a command's default rather than the user's `--time-limit`. */
let defaultOf: string | null = null;

/** Starts the clock: the limit counts from now. `undefined` removes the limit. */
export function setTimeLimit(seconds: number | undefined): void {
  defaultOf = null;
  if (seconds === undefined) {
    deadline = null;
    limitSeconds = null;
    return;
  }
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new RangeError('time limit must be a positive number of seconds');
  limitSeconds = seconds;
  deadline = performance.now() + seconds * 1000;
}

/**
 * A command's default time limit (`propagate` has one, so that a run that cannot finish never
 * runs away silently): applied only when the user gave no `--time-limit`. Env
 * NEARCLIFFORD_DEFAULT_TIME_LIMIT overrides `seconds` (0 or `none`: no default). Returns the
 * seconds in force, or null when there is none.
 */
export function applyDefaultTimeLimit(seconds: number, command: string): number | null {
  if (deadline !== null) return limitSeconds;
  const env = process.env.NEARCLIFFORD_DEFAULT_TIME_LIMIT?.trim();
  let s = seconds;
  if (env !== undefined && env !== '') {
    s = env === 'none' ? 0 : Number(env);
    if (!Number.isFinite(s) || s < 0) throw new UserError(`NEARCLIFFORD_DEFAULT_TIME_LIMIT must be a number of seconds or 'none', got '${env}'`);
  }
  if (s === 0) return null;
  setTimeLimit(s);
  defaultOf = command;
  return s;
}

/** The limit in seconds, or null when none is set. */
export function timeLimit(): number | null {
  return limitSeconds;
}

/** True once the time limit has passed. */
export function timeLimitReached(): boolean {
  return deadline !== null && performance.now() > deadline;
}

/** Seconds left before the limit (Infinity without one). */
export function secondsLeft(): number {
  return deadline === null ? Infinity : Math.max(0, (deadline - performance.now()) / 1000);
}

/** Throws a TimeLimitError naming `where` ("gate 120 of 400") once the limit has passed. */
export function checkTimeLimit(where: string, advice?: string): void {
  if (deadline === null || performance.now() <= deadline) return;
  if (defaultOf !== null) {
    throw new TimeLimitError(
      `default time limit of ${limitSeconds} s of ${defaultOf} reached at ${where}` + (advice ? `; ${advice}` : '') +
        '; pass --time-limit S to allow a longer run',
      limitSeconds!,
    );
  }
  throw new TimeLimitError(
    `time limit of ${limitSeconds} s reached at ${where}` + (advice ? `; ${advice}` : '') + '; or raise --time-limit',
    limitSeconds!,
  );
}
