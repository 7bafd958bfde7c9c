import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeReportFiles } from '../file-sink.ts';
import { loadReportData } from '../report-data.ts';
import { TRICKY_QUOTE, writeSyntheticRun } from './fixtures/synthetic-run.ts';
import { renderReportFiles } from './report-files.ts';

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const SCREENSHOT_PATH = path.join(os.tmpdir(), 'rpb-report-screenshot.png');
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium)
  console.warn(
    `index-html.browser.test.ts skipped: ${CHROMIUM_PATH} not found (CI installs Debian's chromium; apt-get install chromium)`,
  );

interface PlotFacts {
  readonly kind: string | null;
  readonly title: string | null;
  readonly width: number;
  readonly height: number;
  /** Marks other than the plot frame: lines, points, bars, shaded windows. */
  readonly dataMarks: number;
}

describe('index.html in a real browser', () => {
  it.skipIf(!hasChromium)(
    'renders a synthetic run with no errors, no network, visible plots and the claims table first',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-report-browser-'));
      let browser: Browser | undefined;
      try {
        await writeSyntheticRun(dir);
        await writeReportFiles(dir, renderReportFiles(await loadReportData(dir)));
        const fileUrl = pathToFileURL(path.join(dir, 'index.html')).href;

        browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const requests: string[] = [];
        const errors: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(`console: ${message.text()}`);
        });
        page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
        await page.goto(fileUrl, { waitUntil: 'load' });

        const plots: PlotFacts[] = await page.$$eval('svg[data-plot]', (svgs) =>
          svgs.map((svg) => {
            const box = svg.getBoundingClientRect();
            return {
              kind: svg.getAttribute('data-plot'),
              title: svg.querySelector(':scope > title')?.textContent ?? null,
              width: box.width,
              height: box.height,
              dataMarks: svg.querySelectorAll('path, circle, rect:not(.plot-area)').length,
            };
          }),
        );
        expect(plots.map((p) => p.kind).sort()).toEqual([
          'percentiles',
          'percentiles',
          'series',
          'speedup',
          'speedup',
          'timeline',
          'timeline',
          'timeline',
        ]);
        for (const plot of plots) {
          expect(plot.width, `${plot.kind} width`).toBeGreaterThan(100);
          expect(plot.height, `${plot.kind} height`).toBeGreaterThan(50);
          expect(plot.dataMarks, `${plot.title}`).toBeGreaterThan(0);
          expect(plot.title?.length ?? 0).toBeGreaterThan(0);
        }

        const firstTable = await page.$eval('table', (table) => ({
          className: table.className,
          rows: table.querySelectorAll('tbody tr').length,
        }));
        expect(firstTable).toEqual({ className: 'claims', rows: 5 });
        // Escaped in the source, the document's words read exactly as written on screen.
        expect(await page.$eval('table.claims td.quote', (cell) => cell.textContent)).toBe(TRICKY_QUOTE);
        const badges = await page.$$eval('table.claims .verdict', (spans) =>
          spans.map((s) => [
            s.getAttribute('data-outcome'),
            s.ownerDocument.defaultView?.getComputedStyle(s).backgroundColor,
          ]),
        );
        expect(badges).toEqual([
          ['holds', 'rgb(211, 245, 220)'],
          ['does not hold', 'rgb(255, 220, 215)'],
          ['inconclusive', 'rgb(255, 241, 194)'],
          ['not measured', 'rgb(230, 232, 235)'],
          ['not measured', 'rgb(230, 232, 235)'],
        ]);

        await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });
        console.log(`report screenshot: ${SCREENSHOT_PATH}`);

        expect(errors).toEqual([]);
        expect(requests).toEqual([fileUrl]);
      } finally {
        await browser?.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
