import { UserError } from '../../ir/errors.js';
import type { Circuit } from '../../ir/types.js';
import { fastPathDefault } from '../scan.js';
import { lowerWithFastPath } from './fast-path.js';
import { DEFAULT_LIMITS, Lowering, type LoweringLimits } from './lower.js';
import { forEachStatement } from './syntax.js';

/** Limits on the expanded size of a DSL program (see {@link LoweringLimits}). */
export interface ParseDslOptions extends Partial<LoweringLimits> {
  /**
   * Read flat statements (`rx(theta[3]) 2;`) without the grammar (fast-path.ts); the result and
   * every error are the same either way. Default: on, unless NEARCLIFFORD_PARSE_FAST_PATH=0. For
   * tests and benchmarks that compare the two paths.
   * @internal
   */
  fastPath?: boolean;
}

/**
 * Parses a circuit written in the nearclifford DSL (docs/dsl.md) into the IR, expanding loops.
 * Every mistake is a UserError whose message starts with `file:line:column:`.
 *
 * @example
 * ```ts
 * const circuit = parseDsl('qubits 2; param theta[2]; ry(theta[0]) 0; cx 0 1; rz(theta[1]) 1; observable H = Z0 Z1;', 'bell.ncl');
 * circuit.numParameters; // 2
 * ```
 */
export function parseDsl(text: string, file = '<input>', options: ParseDslOptions = {}): Circuit {
  // A UTF-8 byte-order mark (editors on Windows write one) is not part of the program, as in QASM.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const { fastPath = fastPathDefault(), ...limits } = options;
  const merged = { ...DEFAULT_LIMITS, ...limits };
  // A flat gate statement takes ≥ 4 characters (`h 0;` and a newline is 5): text.length / 8 sizes the
  // IR for typical flat files without doubling, and loops grow it as they expand.
  const lowering = new Lowering(file, merged, Math.min(text.length >> 3, merged.maxGates));
  try {
    // Statements are lowered as they are parsed: tokens and trees never pile up.
    if (fastPath) lowerWithFastPath(text, file, lowering);
    else forEachStatement(text, file, (s) => lowering.statement(s));
  } catch (e) {
    // Lowering recurses over expressions and loop nests; absurd nesting must not crash the caller.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new UserError('statement is nested too deeply', { file, line: lowering.currentLine, column: lowering.currentCol });
    }
    throw e;
  }
  return lowering.finish();
}
