import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, hasChromium, openFileInChromium } from '../test-support/chromium-page.ts';
import { runHistoryReport } from '../commands/history.ts';
import { addEntry, HISTORY_SCHEMA } from './history-store.ts';

if (!hasChromium)
  console.warn(
    `history-report.browser.test.ts skipped: ${CHROMIUM_PATH} not found (CI installs Debian's chromium; apt-get install chromium)`,
  );

const wobble = [0, 0.01, -0.01, 0.02, -0.02, 0.005, 0.01, -0.005, 0, 0.01, -0.01, 0.02];

describe('the history trend page in a real browser', () => {
  it.skipIf(!hasChromium)(
    'shows one non-empty trend plot per metric, the change marked, the gate decision, no errors and no requests',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-history-browser-'));
      let browser: Browser | undefined;
      try {
        const store = path.join(dir, 'store');
        for (let i = 0; i < 12; i++) {
          const time = new Date(Date.UTC(2026, 11, 7, 8, i)).toISOString();
          const slow = 0.2 + wobble[i]! + (i >= 8 ? 1 : 0);
          await addEntry(store, {
            schema: HISTORY_SCHEMA,
            commit: `c${String(i + 1).padStart(2, '0')}<&>`,
            time,
            addedAt: time,
            quick: true,
            metrics: {
              'hit.p50': { value: slow, unit: 'ms', better: 'lower', low: slow * 0.9, high: slow * 1.1 },
              'claim.cache.speedup': { value: 12 + wobble[i]!, unit: 'x', better: 'higher' },
            },
          });
        }
        const out = path.join(dir, 'trend');
        expect(await runHistoryReport({ store, out })).toMatch(/gate FAIL: 1 regressed at the head/);

        const opened = await openFileInChromium(path.join(out, 'index.html'));
        browser = opened.browser;
        const { page, fileUrl, requests, errors } = opened;

        const plots = await page.$$eval('svg[data-plot="trend"]', (svgs) =>
          svgs.map((svg) => ({
            title: svg.querySelector(':scope > title')?.textContent ?? '',
            height: svg.getBoundingClientRect().height,
            lines: svg.querySelectorAll('g.series path').length,
            markers: svg.querySelectorAll('g.series circle').length,
            changes: [...svg.querySelectorAll('rect.event title')].map((t) => t.textContent),
          })),
        );
        expect(plots.map((p) => p.title)).toEqual(['hit.p50 per commit', 'claim.cache.speedup per commit']);
        for (const plot of plots) {
          expect(plot.height).toBeGreaterThan(50);
          expect(plot.lines).toBeGreaterThanOrEqual(3);
          expect(plot.markers).toBe(12);
        }
        expect(plots[0]!.changes).toHaveLength(1);
        expect(plots[0]!.changes[0]).toMatch(/^regression \+\d+/);
        expect(plots[1]!.changes).toEqual([]);
        expect(await page.textContent('header')).toContain('gate: FAIL');
        // Escaped in the source, a commit name reads as written.
        expect(await page.textContent('body')).toContain('c09<&>');
        expect(errors).toEqual([]);
        expect(requests).toEqual([fileUrl]);
      } finally {
        await browser?.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
