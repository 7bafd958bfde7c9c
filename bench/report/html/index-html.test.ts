import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../core/run-summary.ts';
import { loadReportData } from '../report-data.ts';
import type { ReportData } from '../report-data.ts';
import { escapeHtml } from './escape-html.ts';
import { TRICKY_QUOTE, writeSyntheticRun } from './fixtures/synthetic-run.ts';
import { renderIndexHtml } from './index-html.ts';
import { renderReportFiles } from './report-files.ts';

let dir: string;
let data: ReportData;
let html: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rpb-index-html-'));
  await writeSyntheticRun(dir);
  data = await loadReportData(dir);
  html = renderIndexHtml(data);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function svgs(page: string): string[] {
  return page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

function section(page: string, id: string): string {
  const start = page.indexOf(`<section class="scenario" id="scenario-${id}">`);
  return page.slice(start, page.indexOf('</section>', start));
}

describe('renderIndexHtml', () => {
  it('is one self-contained page: no scripts, no external resources', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
    // The only absolute URL is the SVG namespace, which is a name, not a request.
    expect(html.match(/https?:\/\/[^"\s]+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('puts the claims table first, with every claim of the run, measured or not', () => {
    expect(html.indexOf('<table class="claims">')).toBe(html.indexOf('<table'));
    expect(
      [...html.matchAll(/<tr data-outcome="([^"]+)" data-claim="([^"]+)"/g)].map((m) => `${m[2]}: ${m[1]}`),
    ).toEqual([
      'cache.hit-latency: holds',
      'cache.speedup: does not hold',
      'events.batch-speedup: inconclusive',
      'events.fanout-speedup: not measured',
      'monitoring.alert-delay: not measured',
    ]);
    expect(html).toContain('<span class="muted">no scenario yet</span>');
  });

  it('has the header facts: status, command, environment and the loopback note', () => {
    expect(html).toContain('<span class="status status-ok">complete</span>');
    expect(html).toContain('rpb run all --seed 42');
    expect(html).toMatch(
      /Node v20\.20\.2 · 2 CPUs \(Synthetic CPU\) · Linux 6\.1 · Redis 7\.0\.15 · ioredis 6\.0\.0 · commit 0123456789ab/,
    );
    expect(html).toContain('loopback (127.0.0.1): Redis on this machine, so no network latency is included');
  });

  it('plots every metric: a percentile series each, a timeline each, fault windows where the scenario has them', () => {
    const cache = section(html, 'cache-demo');
    const events = section(html, 'events-demo');
    const percentileSeries = (s: string) =>
      [
        ...(svgs(s).find((svg) => svg.includes('data-plot="percentiles"')) ?? '').matchAll(/data-series="([^"]+)"/g),
      ].map((m) => m[1]);
    expect(percentileSeries(cache)).toEqual(['hit.signal', 'miss.signal']);
    expect(percentileSeries(events)).toEqual(['publish']);
    expect(cache.match(/data-plot="timeline"/g)).toHaveLength(2);
    expect(events.match(/data-plot="timeline"/g)).toHaveLength(1);
    expect(cache.match(/<rect class="event"/g)).toHaveLength(2);
    expect(events).not.toContain('class="event"');
    expect(cache.match(/data-plot="series"/g)).toHaveLength(1);
    expect(cache.match(/data-plot="speedup"/g)).toHaveLength(1);
    expect(events.match(/data-plot="speedup"/g)).toHaveLength(1);
  });

  it('every svg names its kind, has an accessible title and drawn marks, and no NaN or Infinity', () => {
    const all = svgs(html);
    expect(all.length).toBe(10);
    for (const svg of all) {
      expect(svg).toMatch(/^<svg [^>]*data-plot="[a-z]+"[^>]*>\n<title>[^<]+<\/title>/);
      expect(svg).toMatch(/<(path|rect|circle) /);
    }
    expect(html).not.toContain('NaN');
    expect(html).not.toContain('Infinity');
  });

  it('leads each scenario with its headline figure, and folds the detail', () => {
    for (const id of ['cache-demo', 'events-demo']) {
      const s = section(html, id);
      const headline = s.indexOf(`<figure class="headline" data-headline="${id}" data-headline-kind="generic">`);
      expect(headline).toBeGreaterThan(0);
      // The headline's chart is the section's first svg: the claims, measured against claimed.
      expect(s.indexOf('<svg')).toBeGreaterThan(headline);
      expect(svgs(s)[0]).toContain('data-plot="claims"');
      for (const folded of ['percentiles', 'timelines'])
        expect(s).toMatch(new RegExp(`<details class="${folded}"><summary>`));
      expect(s).toContain('<table class="figures">');
      expect(s).toContain(
        '<tr><td><code>stored-value-bytes</code></td><td class="num">4095</td><td>bytes</td><td>size of one value</td></tr>',
      );
    }
    // Every claim of the scenario is a row of its headline, the claimed figure at x = 1.
    const claims = svgs(section(html, 'cache-demo'))[0];
    expect(claims).toContain('cache.hit-latency');
    expect(claims).toContain('cache.speedup');
    expect(claims).toContain('0.310 ms vs 0.3 ms');
    expect(claims).toContain('6.20x vs 10x');
  });

  it('escapes every text from the summary', () => {
    expect(html).toContain(escapeHtml(TRICKY_QUOTE));
    expect(html).not.toContain('<b>5ms</b>');
    expect(html).toContain('a &lt;param&gt; &amp; \\&quot;value\\&quot;');
    expect(html).not.toContain('<why>');
  });

  it('renders an empty run and a run whose plots are all missing without NaN', () => {
    const empty: RunSummary = { ...data.summary, status: 'failed', scenarios: [], claims: [] };
    const emptyHtml = renderIndexHtml({ summary: empty, scenarios: [], warnings: [] });
    expect(emptyHtml).toContain('No claim verdicts');
    expect(emptyHtml).toContain('no Redis target was reached');
    const bare: ReportData = {
      summary: data.summary,
      scenarios: data.scenarios.map((s) => ({
        report: { ...s.report, events: [], series: {} },
        metrics: s.metrics.map((m) => ({ ...m, percentiles: [], timeline: [] })),
      })),
      warnings: ['cache-demo/hit.signal: cannot read <x>'],
    };
    const bareHtml = renderIndexHtml(bare);
    expect(bareHtml).toContain('<ul class="warnings"><li>cache-demo/hit.signal: cannot read &lt;x&gt;</li></ul>');
    expect(bareHtml).toContain('No distribution data for: hit.signal, miss.signal');
    expect(bareHtml).toContain('No per-second data');
    for (const page of [emptyHtml, bareHtml]) {
      expect(page).not.toContain('NaN');
      expect(page).not.toContain('Infinity');
    }
  });
});

describe('renderReportFiles', () => {
  it('gives report.md and index.html', () => {
    const files = renderReportFiles(data);
    expect(files.map((f) => f.relativePath)).toEqual(['report.md', 'index.html']);
    expect(files[0].content).toContain('# redis-patterns-bench report (complete)');
    expect(files[1].content).toBe(html);
  });
});
