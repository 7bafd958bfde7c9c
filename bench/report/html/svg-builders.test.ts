import { describe, expect, it } from 'vitest';
import { linearTicks, logTicks } from './axis-ticks.ts';
import { escapeHtml } from './escape-html.ts';
import { renderLineChart } from './line-chart.ts';
import { seriesStyle } from './palette.ts';
import { percentileLabel, renderPercentilePlot } from './percentile-plot.ts';
import { autoScale, linearScale, logScale } from './plot-scale.ts';
import { renderSeriesPlots } from './series-plot.ts';
import { renderSpeedupBars } from './speedup-bars.ts';
import { renderTimelineChart, renderTimelines } from './timeline-plot.ts';
import { coord } from './svg-document.ts';
import type { ClaimVerdict } from '../../core/claim.ts';

function expectFiniteSvg(html: string): void {
  expect(html).not.toContain('NaN');
  expect(html).not.toContain('Infinity');
  expect(html).not.toContain('undefined');
}

function count(html: string, pattern: RegExp): number {
  return html.match(pattern)?.length ?? 0;
}

const point = (inverseTail: number, valueMs: number) => ({
  percentile: 100 * (1 - 1 / inverseTail),
  inverseTail,
  valueMs,
});

describe('escapeHtml', () => {
  it('escapes markup and both quotes, keeps other characters', () => {
    expect(escapeHtml(`<a href="x">'5ms' & → × …</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;5ms&#39; &amp; → × …&lt;/a&gt;',
    );
  });
});

describe('scales and ticks', () => {
  it('clamp, and never map to a non-finite fraction', () => {
    const log = logScale(0.1, 100);
    expect(log.map(1)).toBeCloseTo(1 / 3, 9);
    expect(log.map(0)).toBe(0);
    expect(log.map(1e9)).toBe(1);
    expect(linearScale(5, 5).map(5)).toBe(0);
    expect(linearScale(Number.NaN, Number.NaN).map(0.5)).toBe(0.5);
    expect(coord(Number.NaN)).toBe('0');
    expect(coord(12.345)).toBe('12.3');
  });

  it('autoScale goes logarithmic only over a wide positive range', () => {
    expect(autoScale([0.2, 0.3, 0.5]).kind).toBe('linear');
    expect(autoScale([0.2, 0.3, 0.5]).min).toBe(0);
    const wide = autoScale([0.03, 45]);
    expect([wide.kind, wide.min, wide.max]).toEqual(['log', 0.01, 100]);
    expect(autoScale([0, 0.03, 45]).kind).toBe('linear');
    expect(autoScale([]).kind).toBe('linear');
  });

  it('ticks are round numbers inside the range', () => {
    expect(linearTicks(0, 31.5).map((t) => t.label)).toEqual(['0', '5', '10', '15', '20', '25', '30']);
    expect(linearTicks(10, 524.5).map((t) => t.label)).toEqual(['100', '200', '300', '400', '500']);
    expect(linearTicks(0, 0.45).map((t) => t.label)).toEqual(['0', '0.1', '0.2', '0.3', '0.4']);
    expect(linearTicks(-2, 2, 4).map((t) => t.value)).toEqual([-2, -1, 0, 1, 2]);
    expect(logTicks(0.01, 100).map((t) => t.label)).toEqual(['0.01', '0.1', '1', '10', '100']);
    expect(logTicks(1, 10).map((t) => t.value)).toEqual([1, 2, 5, 10]);
    expect(linearTicks(1, 1)).toEqual([]);
  });

  it('percentile labels have as many decimals as the tail needs', () => {
    expect([50, 90, 99, 99.9, 99.99, 99.9999].map(percentileLabel)).toEqual([
      '50%',
      '90%',
      '99%',
      '99.9%',
      '99.99%',
      '99.9999%',
    ]);
  });
});

describe('renderLineChart', () => {
  it('an empty chart still has a frame, says "no data", and has no NaN', () => {
    const svg = renderLineChart({
      kind: 'test',
      title: 'empty <chart>',
      x: { scale: autoScale([]), ticks: [], label: 'x' },
      y: { scale: autoScale([]), ticks: [], label: 'y' },
      lines: [{ name: 'a', style: seriesStyle(0), points: [{ x: Number.NaN, y: null }] }],
    });
    expect(svg).toContain('data-plot="test"');
    expect(svg).toContain('<title>empty &lt;chart&gt;</title>');
    expect(svg).toContain('no data');
    expect(svg).toMatch(/<rect class="plot-area"/);
    expectFiniteSvg(svg);
  });

  it('breaks a line at missing values and draws a lone point as a circle', () => {
    const svg = renderLineChart({
      kind: 'test',
      title: 't',
      x: { scale: linearScale(0, 10), ticks: linearTicks(0, 10), label: 'x' },
      y: { scale: linearScale(0, 10), ticks: linearTicks(0, 10), label: 'y' },
      lines: [
        {
          name: 'a',
          style: seriesStyle(0),
          points: [
            { x: 0, y: 1 },
            { x: 1, y: 2 },
            { x: 2, y: null },
            { x: 3, y: 4 },
            { x: 4, y: Number.POSITIVE_INFINITY },
            { x: 5, y: 5 },
            { x: 6, y: 6 },
          ],
        },
      ],
    });
    expect(count(svg, /<path d="M/g)).toBe(2);
    expect(count(svg, /<circle /g)).toBe(1);
    expectFiniteSvg(svg);
  });
});

describe('renderPercentilePlot', () => {
  it('overlays one series per metric with a legend entry each, on a 1/(1-p) axis', () => {
    const html = renderPercentilePlot('p', [
      { name: 'hit', points: [point(1, 0.2), point(10, 0.3), point(100, 0.9), point(813, 2)] },
      { name: 'miss', points: [point(1, 2), point(10, 3), point(100, 30)] },
      { name: 'variant "b"', points: [point(1, 0.1), point(2, 0.15)] },
    ]);
    expect(count(html, /<g class="series"/g)).toBe(3);
    expect(count(html, /<li>/g)).toBe(3);
    expect(html).toContain('data-series="variant &quot;b&quot;"');
    for (const label of ['50%', '90%', '99%', '99.9%']) expect(html).toContain(`>${label}</text>`);
    expect(html).not.toContain('>99.99%</text>');
    expect(html).toContain('latency ms (log)');
    expectFiniteSvg(html);
  });

  it('handles no series and series without points', () => {
    expectFiniteSvg(renderPercentilePlot('p', []));
    const html = renderPercentilePlot('p', [{ name: 'empty', points: [] }]);
    expect(html).toContain('no data');
    expectFiniteSvg(html);
  });
});

describe('timelines', () => {
  const second = (startSec: number, p50Ms: number | null) => ({
    startSec,
    durationSec: 1,
    count: p50Ms === null ? 0 : 10,
    p50Ms,
    p99Ms: p50Ms === null ? null : p50Ms * 3,
    maxMs: p50Ms === null ? null : p50Ms * 4,
    ratePerSec: p50Ms === null ? 0 : 10,
  });

  it('shades fault windows and draws p50, p99 and max', () => {
    const svg = renderTimelineChart(
      't',
      { name: 'm', points: [second(0, 1), second(1, null), second(2, 1.2), second(3, 1.1)] },
      [{ label: 'redis <paused>', startMs: 1_000, endMs: 2_500 }],
    );
    expect(svg).toContain('data-plot="timeline"');
    expect(count(svg, /<rect class="event"/g)).toBe(1);
    expect(svg).toContain('redis &lt;paused&gt;');
    expect(count(svg, /<g class="series"/g)).toBe(3);
    expectFiniteSvg(svg);
  });

  it('one chart per metric with data; a note when there is none', () => {
    const html = renderTimelines('s', [
      { name: 'a', points: [second(0, 1)] },
      { name: 'b', points: [] },
      { name: 'c', points: [second(0, 2), second(1, 2)] },
    ]);
    expect(count(html, /data-plot="timeline"/g)).toBe(2);
    expect(renderTimelines('s', [{ name: 'b', points: [] }])).toContain('No per-second data');
  });
});

describe('renderSeriesPlots', () => {
  it('one chart per pair of axis labels, curves of a pair overlaid', () => {
    const html = renderSeriesPlots('s', {
      lru: { x: [1, 2, 3], y: [10, 20, 30], xLabel: 'size', yLabel: 'hit %' },
      lfu: { x: [1, 2, 3], y: [15, 25, 35], xLabel: 'size', yLabel: 'hit %' },
      mem: { x: [1, 2], y: [100, 200], xLabel: 'size', yLabel: 'bytes' },
      broken: { x: [], y: [Number.NaN], xLabel: 'a', yLabel: 'b' },
    });
    expect(count(html, /data-plot="series"/g)).toBe(3);
    // The broken curve has nothing drawable: its chart says so.
    expect(count(html, /<g class="series"/g)).toBe(3);
    expect(count(html, /no data/g)).toBe(1);
    expectFiniteSvg(html);
  });
});

describe('renderSpeedupBars', () => {
  const base = {
    quote: 'Speedup 10x',
    claimed: 10,
    unit: 'x' as const,
    rule: { kind: 'at-least' as const },
    thresholdSource: 'document' as const,
    thresholdReason: null,
    ruleText: '>= 10x',
    coverage: null,
    trials: 0,
    failedTrials: 0,
    figures: [],
    measuredAs: 'm',
    direction: null,
    explanation: 'e',
    conditions: 'c',
  };
  it('draws claimed and measured bars for unit-x verdicts only', () => {
    const verdicts: ClaimVerdict[] = [
      {
        ...base,
        claimId: 'a',
        outcome: 'does not hold',
        measured: 6,
        interval: { low: 5.5, high: 7, coverage: 0.98, trials: 7 },
      },
      { ...base, claimId: 'b', outcome: 'not measured', measured: null, interval: null },
      { ...base, claimId: 'c', unit: 'ms', outcome: 'holds', measured: 1, interval: null },
    ];
    const svg = renderSpeedupBars('s', verdicts);
    expect(svg).toContain('data-plot="speedup"');
    expect(count(svg, /<rect x=/g)).toBe(3);
    expect(svg).toContain('6.00x [5.50x .. 7.00x]');
    expect(svg).toContain('not measured');
    expect(svg).toContain('fill="#cf222e"');
    expectFiniteSvg(svg);
    expect(renderSpeedupBars('s', [verdicts[2]])).toBe('');
  });
});
