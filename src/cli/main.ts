#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { UserError } from '../ir/errors.js';
import { registerCommands } from './commands/index.js';
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
  .exitOverride();
registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Commander already printed its message (help, version or a usage error).
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (e instanceof UserError) {
    process.stderr.write(`nearclifford: error: ${cliMessage(e.message)}\n`);
    process.exit(1);
  }
  throw e;
}
