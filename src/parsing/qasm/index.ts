import { UserError } from '../../ir/errors.js';
import type { Circuit } from '../../ir/types.js';
import { elaborate, type QasmImportOptions } from './elaborate.js';
import { QasmLexer } from './lexer.js';
import { QasmParser } from './parser.js';

export type { QasmImportOptions } from './elaborate.js';

/**
 * Imports an OpenQASM 2.0 (`OPENQASM 2.0;`) or OpenQASM 3 (`OPENQASM 3;`/`3.x;`, also the default
 * when the version line is missing) program into the IR. Other version numbers, and `qreg`/`creg`
 * under an explicit OpenQASM 3 header, are errors unless `lenient` (Qiskit refuses them too).
 * Every problem with the input is a UserError whose message starts with `file:line:column:`
 * (inside an included file: that file's name and position).
 *
 * Supported: `include "qelib1.inc"`/`"stdgates.inc"` (built in: every GATE_LIBRARY gate is
 * available either way) and includes of other files, resolved next to the including file and then
 * in `includePath` (cycles are errors); `qreg`, `qubit[n]`, `qubit` (registers concatenate in
 * declaration order) and physical qubits `$n`; `creg`/`bit` (ignored); `const` numeric
 * declarations; `input float[64]|float|angle[…] name` (scalar parameters in declaration order;
 * Qiskit's ParameterVector elements `_θ_0_ … _θ_n_` grouped into the vector θ, see
 * parameter-vectors.ts; or the declarations of our `// nearclifford:param` comments) and
 * `input array[float[64], n] θ` (a vector, used as `θ[i]`); gate calls with
 * register broadcasting, slices `q[a:b]`/`q[a:s:b]` (inclusive), sets `q[{…}]`, negative indices
 * (QASM 3), `let` aliases with `++`; `gate` definitions (expanded by substitution; our exporter's
 * and Qiskit's rxx/ryy/rzz/rzx/sxdg bodies become single IR gates); `inv @`, `pow(k) @` for
 * integer k, and `ctrl @`/`negctrl @` on gates whose controlled form is exact (modifiers.ts);
 * `gphase`, `barrier`, `#pragma` (ignored, except our exporter's noise channels,
 * `#pragma nearclifford noise depolarize(0.01) q[0]` — one channel per line, numeric strengths,
 * operands as for gates; see pragmas.ts); angle expressions affine in the inputs (constants
 * pi/π, tau/τ, euler/ℇ; functions of constants only); final measurements (ignored, with a notice).
 *
 * Rejected with a positioned error naming the construct: mid-circuit measurement, `reset`,
 * `if`/`else`, loops, `switch`, `def`, `defcal`/`cal`, `delay`, `box`, `extern`, `opaque`,
 * classical declarations and assignments, `output`, durations, non-integer `pow`, `ctrl @` on other
 * gates, non-affine parameter expressions.
 */
export function parseQasm(text: string, file = '<input>', options: QasmImportOptions = {}): Circuit {
  const lexer = new QasmLexer(text, file);
  const parser = new QasmParser(lexer, file, null, options.lenient ?? false);
  try {
    return elaborate(parser, lexer, options);
  } catch (e) {
    // Errors without a position (none are expected) still get one: the end of the input.
    if (e instanceof UserError && !e.location && !/^.+?:\d+:\d+: /.test(e.message)) {
      throw new UserError(e.message, { file, line: text.split('\n').length, column: 1 });
    }
    throw e;
  }
}
