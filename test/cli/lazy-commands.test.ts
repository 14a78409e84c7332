import { describe, expect, it } from 'vitest';
import { dispatchedCommand } from '../../src/cli/commands/index.js';
import { CLI, cliBuilt, runCli } from './run-cli.js';

/**
 * The CLI registers only the command it dispatches to (start-up: `propagate` does not load the
 * other engines). These check that the shortcut is taken only where commander would dispatch to
 * that command, and that what a command prints is the same as with the whole table loaded.
 */
describe('dispatchedCommand: the command commander will run, when certain', () => {
  it('is the first operand, after the program options only', () => {
    expect(dispatchedCommand(['propagate', 'c.ncl', '-o', 'Z0'])).toBe('propagate');
    expect(dispatchedCommand(['--qasm-lenient', 'simulate', 'c.qasm'])).toBe('simulate');
    expect(dispatchedCommand(['--include-path', 'inc', 'convert', 'c.qasm'])).toBe('convert');
    expect(dispatchedCommand(['--include-path=inc', '--qasm-lenient', 'evaluate', 's.json'])).toBe('evaluate');
    // The value of --include-path is not the command, whatever it is called.
    expect(dispatchedCommand(['--include-path', 'simulate', 'propagate'])).toBe('propagate');
  });

  it('is undefined (the whole table loads) wherever the listing, a suggestion or an error decides', () => {
    for (const args of [
      [],
      ['--help'],
      ['-h', 'propagate'],
      ['--version', 'propagate'],
      ['help', 'propagate'],
      ['propagat', 'c.ncl'],
      ['--max-memory', '4G', 'propagate'],
      ['--', 'propagate'],
      ['-', 'propagate'],
      ['--include-path'],
    ]) {
      expect(dispatchedCommand(args), args.join(' ')).toBeUndefined();
    }
  });
});

// `npm test` builds first; running these without a build is a mistake, not a reason to skip.
if (!cliBuilt) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before the CLI tests`);

describe('a command loaded alone behaves as with the whole table', () => {
  it("every command's --help equals `help <command>` (which loads every command)", () => {
    const listing = runCli(['--help']);
    expect(listing.status).toBe(0);
    // The command names as the top-level listing shows them ("  propagate [options] <file>  …").
    const names = [...listing.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
    expect(names).toContain('propagate');
    expect(names.length).toBeGreaterThanOrEqual(12);
    for (const name of names) {
      const alone = runCli([name, '--help']);
      const full = runCli(['help', name]);
      expect(alone.status, name).toBe(0);
      expect(alone.stdout, name).toBe(full.stdout);
      expect(alone.stdout, name).toMatch(new RegExp(`^Usage: nearclifford ${name} `));
    }
  });

  it('a usage error inside a command reads the same with --qasm-lenient before it', () => {
    const a = runCli(['propagate', '--max-weight', 'x', 'c.ncl']);
    const b = runCli(['--qasm-lenient', 'propagate', '--max-weight', 'x', 'c.ncl']);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--max-weight must be an integer/);
    expect(b.stderr).toBe(a.stderr);
  });
});
