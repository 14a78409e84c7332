import { Command, CommanderError } from 'commander';
import { UsageError, UserError } from '../ir/errors.js';
import { formatBytes, memoryLimit } from '../memory/limit.js';
import { registerCommands } from './commands/index.js';
import { configureInputs } from './common.js';
import { cliMessage } from './flag-messages.js';

/**
 * The `nearclifford` CLI proper: entry.ts calls `main` for everything but a bare `--version`, and
 * passes the version so that this module does not import version.ts (shared with the entry, it
 * would become a chunk of its own that the `--version` path had to load). User mistakes print
 * one line and exit 1, usage errors (bad or missing options) exit 2; anything else is a bug and
 * keeps its stack trace.
 * `check` has its own codes (0 held, 1 refuted, 2 usage or input error, 3 undecided).
 */

/**
 * V8's own allocation failures, which a missed size check would otherwise turn into a stack
 * trace. Every large allocation is checked against the memory limit first; this is the last line.
 */
function isAllocationFailure(e: unknown): e is RangeError {
  return e instanceof RangeError &&
    /Array buffer allocation failed|Invalid typed array length|Invalid array length|Invalid string length|maximum size exceeded|WebAssembly\.Memory/i.test(e.message);
}

/** Under --json, errors are JSON on stdout too: {"error": {"message", "file", "line", "column"}}. */
function printJsonError(jsonErrors: boolean, message: string, at?: { file: string; line: number; column: number }): void {
  if (!jsonErrors) return;
  let m = message;
  let loc = at ?? null;
  const prefixed = /^(.+?):(\d+):(\d+): ([^]*)$/.exec(message);
  if (prefixed) {
    m = prefixed[4]!;
    loc ??= { file: prefixed[1]!, line: Number(prefixed[2]), column: Number(prefixed[3]) };
  }
  const error = { message: m, file: loc?.file ?? null, line: loc?.line ?? null, column: loc?.column ?? null };
  process.stdout.write(JSON.stringify({ error }) + '\n');
}

/** Runs the CLI on process.argv; `version` is what `--version` prints. */
export async function main(version: string): Promise<void> {
  // A reader that stops early (`nearclifford ansatz … | head -1`) closes the pipe: that is the
  // reader's choice, not an error, so end quietly instead of dying on an EPIPE stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }

  const program = new Command();
  program
    .name('nearclifford')
    .description(
      'Trainability and classical simulability of variational quantum circuits near Clifford points.\n' +
        'Circuits: the nearclifford DSL (.ncl) or OpenQASM 2/3 (.qasm).\n' +
        'Exit codes: 0 success, 1 user error (one line on stderr), 2 usage error; check: 0 held,\n' +
        '1 refuted, 2 usage or input error, 3 undecided.',
    )
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .option('--include-path <dir>', 'OpenQASM: also look for included files in this directory (repeatable)', (d: string, prev: string[] = []) => [...prev, d])
    .option('--qasm-lenient', "OpenQASM: accept any 2.x/3.x header and 'qreg'/'creg' under OpenQASM 3 (Qiskit refuses them)")
    .exitOverride();
  program.hook('preAction', () => {
    const o = program.opts<{ includePath?: string[]; qasmLenient?: boolean }>();
    configureInputs({ includePath: o.includePath ?? [], qasmLenient: o.qasmLenient ?? false });
  });
  await registerCommands(program, process.argv.slice(2));

  // Under --json, errors are JSON on stdout too (printJsonError).
  const jsonErrors = process.argv.includes('--json');
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed its message (help, version or a usage error).
      if (e.exitCode !== 0) printJsonError(jsonErrors, e.message.replace(/^error: /, ''));
      process.exit(e.exitCode === 0 ? 0 : 2);
    }
    if (e instanceof UserError) {
      process.stderr.write(`nearclifford: error: ${cliMessage(e.message)}\n`);
      printJsonError(jsonErrors, cliMessage(e.message), e.location);
      process.exit(e instanceof UsageError ? 2 : 1);
    }
    if (isAllocationFailure(e)) {
      const message = `out of memory (${e.message}) under a memory limit of ${formatBytes(memoryLimit())}; ` +
        'use tighter truncations, a smaller order or another engine, or raise --max-memory';
      process.stderr.write(`nearclifford: error: ${message}\n`);
      printJsonError(jsonErrors, message);
      process.exit(1);
    }
    throw e;
  }
}
