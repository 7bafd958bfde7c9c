import { describe, expect, it } from 'vitest';
import { renderScenarioSection } from '../scenario-section.ts';
import type { ScenarioSeries } from '../../../core/run-summary.ts';
import type { ScenarioPlotData, TimelinePoint } from '../../report-data.ts';
import { metric, scenario, value } from '../fixtures/plot-data.ts';
import { chaosHeadline } from './fault-headlines.ts';

const X_LABEL = 'seconds since measured start';

/** A per-bucket series of 100 ms buckets starting at `fromSec`. */
function buckets(fromSec: number, y: number[], yLabel: string): ScenarioSeries {
  return { x: y.map((_, k) => Number((fromSec + k * 0.1).toFixed(3))), y, xLabel: X_LABEL, yLabel };
}

/** A metric's per-second timeline (p99 = 2 x p50). */
function perSecond(p50: number[]): TimelinePoint[] {
  return p50.map((p, k) => ({
    startSec: k * 2,
    durationSec: 1,
    count: 100,
    p50Ms: p,
    p99Ms: 2 * p,
    maxMs: 2 * p,
    ratePerSec: 100,
  }));
}

/** A kill fault: the naive client's window at 1 s, the safe client's at 3 s, each with a 0.2 s fault. */
function chaosData(withErrors: boolean): ScenarioPlotData {
  const series: Record<string, ScenarioSeries> = {
    'kill.naive throughput': buckets(1, [100, 100, 0, 0, 100], 'completed requests / s'),
    'kill.safe throughput': buckets(3, [100, 100, 100, 100, 100], 'completed requests / s'),
  };
  if (withErrors) {
    series['kill.naive errors'] = buckets(1, [0, 0, 70, 130, 0], 'failed requests / s');
    series['kill.safe errors'] = buckets(3, [0, 0, 0, 0, 0], 'failed requests / s');
  }
  const data = scenario('chaos', {
    metrics: [metric('kill.naive.all', 2, perSecond([2, 900, 3])), metric('kill.safe.all', 1, perSecond([1, 4, 1]))],
    series,
    values: { 'kill.naive.detectMs': value(900), 'kill.safe.detectMs': value(15), 'kill.naive.failed': value(20, '') },
  });
  return {
    ...data,
    report: {
      ...data.report,
      parameters: { bucketMs: 100 },
      events: [
        { label: 'kill (naive) #1', startMs: 1_200, endMs: 1_400 },
        { label: 'kill (safe) #1', startMs: 3_200, endMs: 3_400 },
      ],
    },
  };
}

/** The SVG of the figure marked data-chaos-panel="<panel>", or '' when there is none. */
function panel(html: string, name: string): string {
  const at = html.indexOf(`data-chaos-panel="${name}"`);
  if (at < 0) return '';
  return /<svg[\s\S]*?<\/svg>/.exec(html.slice(at))?.[0] ?? '';
}

/** The (x, y) points of a series' path in an SVG ("M x y L x y ..."), per sub-path. */
function seriesPaths(svg: string, name: string): string[] {
  const at = svg.indexOf(`data-series="${name}"`);
  if (at < 0) return [];
  const group = svg.slice(at, svg.indexOf('</g>', at));
  return [...group.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]!);
}

describe('chaosHeadline', () => {
  it('draws an errors panel under the latency panel: both clients, fault windows shaded', () => {
    const headline = chaosHeadline(chaosData(true));
    expect(headline).not.toBeNull();
    const body = headline!.body;
    // One column per fault: latency first, failed requests per second under it.
    const column = /<div class="headline-column">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
    expect(column.indexOf('request latency per second')).toBeGreaterThan(-1);
    expect(column.indexOf('data-chaos-panel="errors"')).toBeGreaterThan(column.indexOf('request latency'));
    const errors = panel(body, 'errors');
    expect(errors).toContain('data-series="document&#39;s client failed / s"');
    expect(errors).toContain('data-series="safe client failed / s"');
    expect(errors.match(/<g class="series"/g)).toHaveLength(2);
    expect(errors.match(/<rect class="event"/g)).toHaveLength(2);
    expect(panel(body, 'throughput')).toBe('');
    // The naive client's line has 5 points (one per bucket): M + 4 L.
    const naive = seriesPaths(errors, 'document&#39;s client failed / s').join(' ');
    expect(naive.match(/[ML]/g)).toHaveLength(5);
    // Latency from the metrics' timelines: four lines (p50 and p99 per client).
    const latencySvg = /<svg[\s\S]*?<\/svg>/.exec(column)?.[0] ?? '';
    expect(latencySvg.match(/<g class="series"/g)).toHaveLength(4);
    expect(headline!.note ?? '').toBe('');
    expect(body).toContain('document&#39;s client: detected 900 ms');
    expect(body).not.toMatch(/NaN|Infinity/);
  });

  it('breaks a client line between its windows instead of joining them', () => {
    const data = chaosData(true);
    const series = { ...data.report.series! };
    // A second naive window 2 s after the first: the line must not join across the gap.
    const first = series['kill.naive errors']!;
    series['kill.naive errors'] = {
      ...first,
      x: [...first.x, 3, 3.1],
      y: [...first.y, 0, 10],
    };
    const body = chaosHeadline({ ...data, report: { ...data.report, series } })!.body;
    const paths = seriesPaths(panel(body, 'errors'), 'document&#39;s client failed / s');
    expect(paths.join(' ').match(/M/g)).toHaveLength(2);
  });

  it('lays the windows over each other on the inject when the run has the aligned series', () => {
    const data = chaosData(true);
    const aligned = (y: number[], yLabel: string): ScenarioSeries => buckets(-0.2, y, yLabel);
    const series: Record<string, ScenarioSeries> = {
      ...data.report.series!,
      'kill.naive errors from inject': aligned([0, 0, 0, 0, 0, 150, 200], 'failed requests / s'),
      'kill.safe errors from inject': aligned([0, 0, 0, 0, 0, 0, 0], 'failed requests / s'),
      'kill.naive latency p50 from inject': aligned([1, 1, 300, 600, 900, 1000, 2], 'p50 ms'),
      'kill.naive latency p99 from inject': aligned([2, 2, 400, 700, 1000, 1000, 5], 'p99 ms'),
      'kill.safe latency p50 from inject': aligned([1, 1, 2, 2, 2, 1, 1], 'p50 ms'),
      'kill.safe latency p99 from inject': aligned([2, 2, 110, 110, 100, 2, 2], 'p99 ms'),
    };
    const values = {
      ...data.report.values,
      'kill.naive.healAfterInjectMs': value(300),
      'kill.safe.healAfterInjectMs': value(250),
      'kill.safe.firstSuccessAfterHealMs': value(50),
      'kill.naive.firstSuccessAfterHealMs': value(100),
    };
    const headline = chaosHeadline({ ...data, report: { ...data.report, series, values } })!;
    const body = headline.body;
    // the six aligned series are drawn here whole: the section's Curves fold leaves them out
    expect([...(headline.drawnSeries ?? [])].sort()).toEqual(
      Object.keys(series)
        .filter((k) => k.endsWith(' from inject'))
        .sort(),
    );
    const section = renderScenarioSection({ ...data, report: { ...data.report, series, values } });
    expect(section).toMatch(/Curves \(\d+; 6 more drawn in the headline\)/);
    expect(section.split('kill.naive errors from inject').length - 1).toBe(0);
    const errors = panel(body, 'errors');
    expect(errors).toContain('seconds from the inject (1 window per client laid over each other; fault shaded)');
    expect(errors).toContain('failed requests per second (threw or capped, mean over the windows)');
    // One band, inject (0) to the longer median heal (0.3 s), instead of a band per window.
    expect(errors.match(/<rect class="event"/g)).toHaveLength(1);
    // Detection on the errors panel, recovery on the latency panel: two labels a panel.
    for (const label of ['doc&#39;s detected', 'safe detected']) expect(errors).toContain(`>${label}</text>`);
    expect(errors).not.toContain('recovered</text>');
    const latency = /<svg[\s\S]*?<\/svg>/.exec(body)?.[0] ?? '';
    expect(latency.match(/<rect class="event"/g)).toHaveLength(1);
    expect(latency).toContain('>fault (median)</text>');
    for (const label of ['doc&#39;s recovered', 'safe recovered']) expect(latency).toContain(`>${label}</text>`);
    expect(latency).not.toContain('detected</text>');
    expect(latency.match(/<g class="series"/g)).toHaveLength(4);
    // The aligned lines, not the per-run ones: 7 points on the naive client's errors line.
    const naive = seriesPaths(errors, 'document&#39;s client failed / s').join(' ');
    expect(naive.match(/[ML]/g)).toHaveLength(7);
    expect(body).toContain('request latency per 100 ms bucket');
  });

  it('falls back to completed requests per bucket for a run without the errors series', () => {
    const body = chaosHeadline(chaosData(false))!.body;
    expect(panel(body, 'errors')).toBe('');
    expect(panel(body, 'throughput')).toContain('data-series="safe client completed / s"');
  });
});
