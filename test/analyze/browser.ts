/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/**
 * Loads a report in Debian's Chromium through playwright-core (no browser download), with every
 * non-file request aborted, and reports what a reader would see: console errors, attempted network
 * requests, per-plot render state, the summary box's verdicts, and a screenshot with its pixel
 * variance (a blank or single-colour page has variance ≈ 0).
 */
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface PlotState {
  readonly id: string;
  readonly rendered: boolean;
  readonly width: number;
  readonly height: number;
  /** SVG mark elements (path, rect, line, circle, text, …) inside the plot. */
  readonly marks: number;
}

export interface LoadedReport {
  readonly consoleErrors: string[];
  readonly requests: string[];
  readonly plotErrors: string;
  readonly plots: PlotState[];
  readonly verdicts: { sigma: string; verdict: string; text: string }[];
  readonly screenshot: Buffer;
  readonly pixelVariance: number;
}

export async function loadReport(htmlPath: string, screenshotViewport = { width: 1280, height: 1000 }): Promise<LoadedReport> {
  // A fresh profile per load; playwright passes it to Chromium as --user-data-dir (it refuses the flag in args).
  const profile = mkdtempSync(join(tmpdir(), 'nc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: screenshotViewport,
  });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  try {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      return route.abort();
    });
    context.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith('file:') && !url.startsWith('data:')) requests.push(url);
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    await page.waitForSelector('body[data-plots="done"]', { timeout: 60_000 });
    const plotErrors = (await page.getAttribute('body', 'data-plot-errors')) ?? '';
    const plots = await page.$$eval('.plot', (divs) => divs.map((d) => {
      const svg = d.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        id: d.getAttribute('data-figure') ?? '',
        rendered: d.getAttribute('data-rendered') === 'yes',
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks: svg ? svg.querySelectorAll('path, rect, line, circle, text, polygon, polyline').length : 0,
      };
    }));
    const verdicts = await page.$$eval('#summary li[data-verdict]', (lis) => lis.map((li) => ({
      sigma: li.getAttribute('data-sigma') ?? '',
      verdict: li.getAttribute('data-verdict') ?? '',
      text: li.querySelector('.verdict')?.textContent ?? '',
    })));
    const screenshot = await page.screenshot({ fullPage: false });
    // Decode the PNG in the browser (no image library needed) and measure its grey-level variance.
    const blank = await context.newPage();
    const pixelVariance = await blank.evaluate(async (b64: string) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, c.width, c.height).data;
      let s = 0, s2 = 0;
      const n = px.length / 4;
      for (let i = 0; i < px.length; i += 4) {
        const y = 0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!;
        s += y;
        s2 += y * y;
      }
      return s2 / n - (s / n) ** 2;
    }, screenshot.toString('base64'));
    return { consoleErrors, requests, plotErrors, plots, verdicts, screenshot, pixelVariance };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
