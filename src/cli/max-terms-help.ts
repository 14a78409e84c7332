import { formatBytes, memoryLimit } from '../memory/limit.js';
import { defaultMaxTerms } from '../surrogate/taylor-build.js';

// Apart from common.ts because it needs the surrogate builder: common.ts is loaded by every
// command, and `propagate` should not compile the surrogate code to print its result.

/**
 * Help text of a `--max-terms` option whose default is derived from the memory limit (the value is
 * resolved when the build runs, after `--max-memory` is applied; here it is shown for the limit in
 * force when the help is printed).
 */
export function maxTermsHelp(text: string): string {
  return `${text} (default: derived from the memory limit: ${defaultMaxTerms()} for ≤ 32 qubits under ${formatBytes(memoryLimit())})`;
}
