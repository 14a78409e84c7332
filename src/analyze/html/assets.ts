import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../../ir/errors.js';

/**
 * The browser builds of vega, vega-lite and vega-embed, read from the installed npm packages so the
 * report can inline them: one HTML file that works offline and never asks a CDN. The packages'
 * `exports` only name their ES entry points, so the UMD files are found next to those.
 */
const require = createRequire(import.meta.url);

const BUNDLES: readonly { pkg: string; file: string }[] = [
  { pkg: 'vega', file: 'vega.min.js' },
  { pkg: 'vega-lite', file: 'vega-lite.min.js' },
  { pkg: 'vega-embed', file: 'vega-embed.min.js' },
];

let cache: string[] | null = null;

export function browserBundles(): string[] {
  if (cache) return cache;
  cache = BUNDLES.map(({ pkg, file }) => {
    let entry: string;
    try {
      entry = require.resolve(pkg);
    } catch {
      throw new UserError(`the HTML report needs the npm package '${pkg}' (run npm ci)`);
    }
    const path = join(dirname(entry), file);
    try {
      return readFileSync(path, 'utf8');
    } catch {
      throw new UserError(`the HTML report needs ${path} from the '${pkg}' package (reinstall it with npm ci)`);
    }
  });
  return cache;
}
