import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, openFileInChromium } from '../../test-support/chromium-page.ts';
import { writeReportFiles } from '../file-sink.ts';
import { loadReportData } from '../report-data.ts';
import { TRICKY_QUOTE, writeSyntheticRun } from './fixtures/synthetic-run.ts';
import { MAX_SERIES_PER_CHART } from './percentile-plot.ts';
import { renderReportFiles } from './report-files.ts';
import { renderIndexHtml } from './index-html.ts';
import { designedScenarios } from './fixtures/plot-data.ts';

const SCREENSHOT_PATH = path.join(os.tmpdir(), 'rpb-report-screenshot.png');
/** One screenshot per scenario section (<scenario>.png) of a real run, or of the designed fixtures. */
const SECTION_SHOTS_DIR = path.join(os.tmpdir(), 'rpb-report-shots');
/** A run folder (rpb run/validate --out) whose index.html the section screenshots are taken of. */
const REAL_RUN_DIR = process.env.RPB_REPORT_RUN_DIR;
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
  /** Drawn data series (g.series): lines of a line chart. */
  readonly series: number;
}

interface SectionFacts {
  readonly id: string;
  readonly headlines: number;
  readonly headlineId: string | null;
  readonly firstSvgIsHeadline: boolean;
  readonly marks: number;
  readonly visible: boolean;
}

/** Per scenario section: its headline figures, whether the first is its first chart, and its marks. */
async function sectionFacts(page: Page): Promise<SectionFacts[]> {
  return page.$$eval('section.scenario', (nodes) =>
    nodes.map((section) => {
      const headlines = section.querySelectorAll('figure[data-headline]');
      const first = headlines[0];
      const svg = first?.querySelector('svg[data-plot]');
      const box = svg?.getBoundingClientRect();
      return {
        id: section.id,
        headlines: headlines.length,
        headlineId: first?.getAttribute('data-headline') ?? null,
        firstSvgIsHeadline: svg !== undefined && svg !== null && section.querySelector('svg[data-plot]') === svg,
        marks: svg?.querySelectorAll('path, circle, rect:not(.plot-area)').length ?? 0,
        visible: box !== undefined && box.width > 100 && box.height > 50,
      };
    }),
  );
}

/** Non-empty, first in its section, visible, and named after its scenario. */
function expectHeadlines(sections: readonly SectionFacts[]): void {
  for (const facts of sections) {
    expect(facts, facts.id).toMatchObject({
      headlines: 1,
      headlineId: facts.id.replace(/^scenario-/, ''),
      firstSvgIsHeadline: true,
      visible: true,
    });
    expect(facts.marks, facts.id).toBeGreaterThan(0);
  }
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
        const opened = await openFileInChromium(path.join(dir, 'index.html'));
        browser = opened.browser;
        const { page, fileUrl, requests, errors } = opened;

        const plots: PlotFacts[] = await page.$$eval('svg[data-plot]', (svgs) =>
          svgs.map((svg) => {
            const box = svg.getBoundingClientRect();
            return {
              kind: svg.getAttribute('data-plot'),
              title: svg.querySelector(':scope > title')?.textContent ?? null,
              width: box.width,
              height: box.height,
              dataMarks: svg.querySelectorAll('path, circle, rect:not(.plot-area)').length,
              series: svg.querySelectorAll('g.series').length,
            };
          }),
        );
        expect(plots.map((p) => p.kind).sort()).toEqual([
          'claims',
          'claims',
          'percentiles',
          'percentiles',
          'series',
          'speedup',
          'speedup',
          'timeline',
          'timeline',
          'timeline',
        ]);
        // Legible by construction: no chart draws more than 8 series.
        for (const plot of plots) expect(plot.series, `${plot.title}`).toBeLessThanOrEqual(MAX_SERIES_PER_CHART);

        // One non-empty headline chart per scenario section, first in it, on screen without opening anything.
        const sections = await sectionFacts(page);
        expect(sections.map((s) => s.id)).toEqual(['scenario-cache-demo', 'scenario-events-demo']);
        expectHeadlines(sections);
        // The detail is folded: per-second small multiples are not rendered until opened.
        expect(await page.$$eval('details.timelines', (ds) => ds.map((d) => d.hasAttribute('open')))).toEqual([
          false,
          false,
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
        for (const facts of sections) {
          const file = path.join(os.tmpdir(), `rpb-report-${facts.id}.png`);
          await page.locator(`#${facts.id}`).screenshot({ path: file });
          console.log(`section screenshot: ${file}`);
        }

        expect(errors).toEqual([]);
        expect(requests).toEqual([fileUrl]);
      } finally {
        await browser?.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(!hasChromium)(
    'draws every designed headline: non-empty, at most 8 series, no errors, no requests; a screenshot each',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-report-headlines-'));
      let browser: Browser | undefined;
      try {
        const synthetic = await writeSyntheticRun(dir);
        const scenarios = designedScenarios();
        const file = path.join(dir, 'index.html');
        const summary = { ...synthetic, scenarios: scenarios.map((s) => s.report) };
        await writeFile(file, renderIndexHtml({ summary, scenarios, warnings: [] }));
        const opened = await openFileInChromium(file);
        browser = opened.browser;
        const { page, fileUrl, requests, errors } = opened;

        const sections = await sectionFacts(page);
        expect(sections.map((s) => s.id)).toEqual(scenarios.map((s) => `scenario-${s.report.id}`));
        expectHeadlines(sections);
        const kinds = await page.$$eval('figure[data-headline]', (fs) =>
          fs.map((f) => f.getAttribute('data-headline-kind')),
        );
        expect(new Set(kinds)).toEqual(new Set(['designed']));
        const series = await page.$$eval('svg[data-plot]', (svgs) =>
          svgs.map((svg) => svg.querySelectorAll('g.series').length),
        );
        expect(Math.max(...series)).toBeLessThanOrEqual(MAX_SERIES_PER_CHART);
        for (const facts of sections) {
          const shot = path.join(os.tmpdir(), `rpb-headline-${facts.id.replace(/^scenario-/, '')}.png`);
          await page.locator(`#${facts.id} figure.headline`).screenshot({ path: shot });
          console.log(`headline screenshot: ${shot}`);
        }
        expect(errors).toEqual([]);
        expect(requests).toEqual([fileUrl]);
      } finally {
        await browser?.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(!hasChromium)(
    `screenshots each scenario section of ${REAL_RUN_DIR === undefined ? 'the designed fixtures (set RPB_REPORT_RUN_DIR to a run folder for a real run)' : `the run in ${REAL_RUN_DIR}`}: a non-empty headline each`,
    async () => {
      let fixtureDir: string | undefined;
      let browser: Browser | undefined;
      try {
        let file: string;
        if (REAL_RUN_DIR === undefined) {
          fixtureDir = await mkdtemp(path.join(os.tmpdir(), 'rpb-report-shots-'));
          const synthetic = await writeSyntheticRun(fixtureDir);
          const scenarios = designedScenarios();
          file = path.join(fixtureDir, 'index.html');
          await writeFile(
            file,
            renderIndexHtml({
              summary: { ...synthetic, scenarios: scenarios.map((s) => s.report) },
              scenarios,
              warnings: [],
            }),
          );
        } else {
          file = path.join(path.resolve(REAL_RUN_DIR), 'index.html');
          expect(existsSync(file), `${file} (RPB_REPORT_RUN_DIR)`).toBe(true);
        }
        const opened = await openFileInChromium(file);
        browser = opened.browser;
        const { page, fileUrl, requests, errors } = opened;
        const sections = await sectionFacts(page);
        expect(sections.length).toBeGreaterThan(0);
        expectHeadlines(sections);
        await rm(SECTION_SHOTS_DIR, { recursive: true, force: true });
        await mkdir(SECTION_SHOTS_DIR, { recursive: true });
        console.log(`section screenshots of ${file}:`);
        for (const facts of sections) {
          const shot = path.join(SECTION_SHOTS_DIR, `${facts.id.replace(/^scenario-/, '')}.png`);
          await page.locator(`#${facts.id}`).screenshot({ path: shot });
          console.log(`  ${shot}`);
        }
        expect(errors).toEqual([]);
        expect(requests).toEqual([fileUrl]);
      } finally {
        await browser?.close();
        if (fixtureDir !== undefined) await rm(fixtureDir, { recursive: true, force: true });
      }
    },
  );
});
