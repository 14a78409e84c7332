import { appendFileSync } from 'node:fs';
import type { KeyedResult, TaskHandler } from '../tasks/executor.js';

/**
 * Fault injection for the end-to-end failure tests: with NC_TEST_FAIL_KEYS=REGEX in the
 * environment of the process that computes (a `nearclifford worker`, or the submitter whose
 * threads inherit it), every task whose key matches throws an internal error, as a bug would; each
 * injected failure is logged as one line to NC_TEST_FAIL_LOG when set, so a test can count the
 * attempts. Without the variable, handlers are returned untouched. It can only make tasks fail,
 * never run anything else, so it opens no door.
 */
export const FAIL_KEYS_ENV = 'NC_TEST_FAIL_KEYS';
export const FAIL_LOG_ENV = 'NC_TEST_FAIL_LOG';

let pattern: RegExp | null | undefined;
function failPattern(): RegExp | null {
  if (pattern === undefined) {
    const text = process.env[FAIL_KEYS_ENV];
    pattern = text ? new RegExp(text) : null;
  }
  return pattern;
}

export function withInjectedFaults<H extends TaskHandler<unknown, KeyedResult>>(handler: H): H {
  const re = failPattern();
  if (!re) return handler;
  return {
    ...handler,
    compute(payload: unknown, key: string) {
      if (re.test(key)) {
        const log = process.env[FAIL_LOG_ENV];
        if (log) appendFileSync(log, `${key}\n`);
        throw new Error(`injected failure for task '${key}' (${FAIL_KEYS_ENV})`);
      }
      return handler.compute(payload, key);
    },
  };
}
