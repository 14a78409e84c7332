import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Runs the built CLI (dist/cli.js, produced by `npm run build`, which `npm test` runs first). */
export const CLI = join(import.meta.dirname, '../../dist/cli.js');
export const cliBuilt = existsSync(CLI);

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    input,
    cwd: join(import.meta.dirname, '../..'),
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
