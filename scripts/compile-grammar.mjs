// Compiles grammar/*.ne into src/parsing/dsl/generated/ with nearleyc. The generated files are
// build products (git-ignored) and are never edited by hand.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src/parsing/dsl/generated');
mkdirSync(outDir, { recursive: true });
const nearleyc = join(root, 'node_modules/nearley/bin/nearleyc.js');
for (const file of readdirSync(join(root, 'grammar'))) {
  if (!file.endsWith('.ne')) continue;
  const src = join(root, 'grammar', file);
  const out = join(outDir, basename(file, '.ne') + '.ts');
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) continue;
  execFileSync(process.execPath, [nearleyc, src, '-o', out], { stdio: 'inherit' });
  // nearleyc's TypeScript output is not written for strict mode; mark it so tsc skips checking it.
  const { readFileSync, writeFileSync } = await import('node:fs');
  writeFileSync(out, '// @ts-nocheck\n/* eslint-disable */\n' + readFileSync(out, 'utf8'));
}
