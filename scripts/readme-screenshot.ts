// Regenerates the README's screenshot of the analyze report from a real run, through the same
// Chromium driver as the browser test (network blocked; fails on console errors or unrendered plots).
// Run after `npm run build`: npx tsx scripts/readme-screenshot.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadReport } from '../test/analyze/browser.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out/readme-analyze');
const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'analyze', 'examples/mhea-4.ncl', '--time-budget', '30', '--out', out], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(1);
const page = await loadReport(join(out, 'report.html'), { width: 1280, height: 1500 });
const bad = page.consoleErrors.length + page.requests.length + page.plots.filter((p) => !p.rendered || p.marks === 0).length;
if (bad > 0 || page.pixelVariance < 100) {
  process.stderr.write(`report did not render cleanly: ${JSON.stringify({ errors: page.consoleErrors, requests: page.requests, variance: page.pixelVariance })}\n`);
  process.exit(1);
}
writeFileSync(join(root, 'docs/img/analyze-report.png'), page.screenshot);
process.stdout.write(`wrote docs/img/analyze-report.png (${page.plots.length} plots rendered, pixel variance ${page.pixelVariance.toFixed(0)})\n`);
