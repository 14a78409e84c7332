#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { UserError } from '../ir/errors.js';
import { registerCommands } from './commands/index.js';
import { configureInputs } from './common.js';
import { registerAnalyzeCommand } from './commands/analyze.js';
import { cliMessage } from './flag-messages.js';

/**
 * Entry point of the `nearclifford` executable. User mistakes (UserError, usage errors) print one
 * line and exit non-zero; anything else is a bug and keeps its stack trace.
 */
const program = new Command();
program
  .name('nearclifford')
  .description(
    'Trainability and classical simulability of variational quantum circuits near Clifford points.\n' +
      'Circuits: the nearclifford DSL (.ncl) or OpenQASM 2/3 (.qasm).',
  )
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .option('--include-path <dir>', 'OpenQASM: also look for included files in this directory (repeatable)', (d: string, prev: string[] = []) => [...prev, d])
  .option('--qasm-lenient', "OpenQASM: accept any 2.x/3.x header and 'qreg'/'creg' under OpenQASM 3 (Qiskit refuses them)")
  .exitOverride();
program.hook('preAction', () => {
  const o = program.opts<{ includePath?: string[]; qasmLenient?: boolean }>();
  configureInputs({ includePath: o.includePath ?? [], qasmLenient: o.qasmLenient ?? false });
});
registerCommands(program);
registerAnalyzeCommand(program);

/** Under --json, errors are JSON on stdout too: {"error": {"message", "file", "line", "column"}}. */
const jsonErrors = process.argv.includes('--json');
function printJsonError(message: string, at?: { file: string; line: number; column: number }): void {
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

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Commander already printed its message (help, version or a usage error).
    if (jsonErrors && e.exitCode !== 0) printJsonError(e.message.replace(/^error: /, ''));
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (e instanceof UserError) {
    process.stderr.write(`nearclifford: error: ${cliMessage(e.message)}\n`);
    if (jsonErrors) printJsonError(cliMessage(e.message), e.location);
    process.exit(1);
  }
  throw e;
}
