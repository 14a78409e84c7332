#!/usr/bin/env node
import { VERSION } from './version.js';

/*
 * The executable's entry. `--version` is answered before anything else is loaded (commander, the
 * engines and the command table cost ~0.1–0.2 s of module loading that a version query does not
 * need); every other invocation loads the CLI proper (main.ts). Only this file imports version.ts,
 * so the bundle inlines it here: the `--version` path reads no chunk but the bundler's 2 kB
 * runtime helpers, which a split build imports into every entry.
 */
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import('./main.js');
  await main(VERSION);
}
