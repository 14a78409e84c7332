import { UserError } from '../../ir/errors.js';
import type { Circuit } from '../../ir/types.js';
import { DEFAULT_LIMITS, Lowering, type LoweringLimits } from './lower.js';
import { forEachStatement } from './syntax.js';

/** Limits on the expanded size of a DSL program (see {@link LoweringLimits}). */
export type ParseDslOptions = Partial<LoweringLimits>;

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
  const lowering = new Lowering(file, { ...DEFAULT_LIMITS, ...options });
  try {
    // Statements are lowered as they are parsed: tokens and trees never pile up.
    forEachStatement(text, file, (s) => lowering.statement(s));
  } catch (e) {
    // Lowering recurses over expressions and loop nests; absurd nesting must not crash the caller.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      const at = lowering.current;
      throw new UserError('statement is nested too deeply', { file, line: at?.line ?? 1, column: at?.col ?? 1 });
    }
    throw e;
  }
  return lowering.finish();
}
