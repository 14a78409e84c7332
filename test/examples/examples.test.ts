import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Runs every examples/*.ts as a user would (`npx tsx examples/NAME.ts`), against the built package
 * entry (`import … from 'nearclifford'` resolves to dist/ through the package's own `exports`; npm
 * test builds first). Each example checks its own results and prints `ok` last.
 */
const root = join(import.meta.dirname, '..', '..');
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort();

function run(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join('examples', file)], { cwd: root });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples', () => {
  it('are the five documented ones, each importing the package entry only', () => {
    expect(examples).toEqual(['check-claim.ts', 'encode-gradients.ts', 'propagate-127.ts', 'simulate-gradient.ts', 'surrogate.ts']);
    for (const f of examples) {
      const imports = [...readFileSync(join(root, 'examples', f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((m) => !m!.startsWith('node:')), f).toEqual(['nearclifford']);
    }
  });

  it('run to completion and check their own results', async () => {
    // All at once: most of each run is process start-up.
    const results = await Promise.all(examples.map(run));
    results.forEach((r, i) => {
      expect(r.stderr, examples[i]).toBe('');
      expect(r.code, `${examples[i]}: ${r.stdout}`).toBe(0);
      expect(r.stdout.trimEnd().split('\n').at(-1), examples[i]).toBe('ok');
    });
  });
});
