// Runs every benchmark under bench/ (or those named on the command line) one after another, each
// in its own process so peak-memory figures are per benchmark. Each writes bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(basename(f, '.ts')));
let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== bench/${file}\n`);
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'bench', file), ...passThrough],
    // tsx starts its own node process, so flags must travel in NODE_OPTIONS to reach it.
    { stdio: 'inherit', cwd: root, env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc --max-old-space-size=8192`.trim() } },
  );
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
