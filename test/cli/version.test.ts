import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/cli/version.js';
import { cliBuilt, runCli } from './run-cli.js';

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

describe('version', () => {
  it('the CLI constant is the package version', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it.runIf(cliBuilt)('--version and -V answer from the entry, other invocations reach the CLI proper', () => {
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
    // Not the fast path: commander parses these.
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: nearclifford/);
  });
});
