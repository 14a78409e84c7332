import { createRequire } from 'node:module';

/*
 * fast-check, loaded on first use: it is a large library that only `check` needs, and a static
 * import made every command pay for it at start-up. `require` keeps the call sites synchronous
 * (fast-check ships a CommonJS build; `check` is its only user in the product).
 */
const require = createRequire(import.meta.url);
let module_: typeof import('fast-check') | undefined;

export function fastCheck(): typeof import('fast-check') {
  return (module_ ??= require('fast-check') as typeof import('fast-check'));
}
