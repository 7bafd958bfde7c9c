import { describe, expect, it } from 'vitest';
import type { ScenarioValue } from '../../../core/run-summary.ts';
import type { ScenarioPlotData } from '../../report-data.ts';
import { claim, scenario, value } from '../fixtures/plot-data.ts';
import { renderHeadline } from '../headline.ts';
import { OUTCOME_COLORS } from '../palette.ts';
import {
  antiPatternsHeadline,
  cacheCorrectnessHeadline,
  largeObjectsHeadline,
  memorySizingHeadline,
  poolEndToEndHeadline,
} from './practice-headlines.ts';
import { renderRowChart } from './row-chart.ts';
import { count, harness, withRun } from './test-fixtures.ts';

const DESIGNED = (id: string): string => `data-headline="${id}" data-headline-kind="designed"`;

describe('antiPatternsHeadline', () => {
  const ids = [
    ['antipattern.mutable-data-stale', 100, 96],
    ['antipattern.immutable-data-fresh', 0, 0],
    ['antipattern.silent-exceptions', 0, 0],
    ['antipattern.logged-exceptions', 100, 40],
    ['antipattern.pubsub-critical', 0, 0],
    ['antipattern.http-confirms', 100, 100],
    ['pubsub.publish-count', 100, 100],
  ] as const;
  const data = (): ScenarioPlotData =>
    withRun(
      scenario('anti-patterns', {
        verdicts: ids.map(([id, claimed, measured]) =>
          claim(id, claimed, '%', measured, measured === 40 ? 'does not hold' : 'holds'),
        ),
      }),
      Object.fromEntries(ids.map(([id, , measured]) => [id, [measured, measured]])),
    );

  it('draws each anti-pattern beside its fix, a group per pair, the document figure as a diamond', () => {
    const html = renderHeadline(data());
    expect(html).toContain(DESIGNED('anti-patterns'));
    expect(count(html, /<rect class="mark"/)).toBe(7);
    expect(count(html, /class="document"/)).toBe(7);
    expect(count(html, /class="trial"/)).toBe(14);
    expect(html).toContain('Swallowed exceptions');
    expect(html).toContain('<title>document: 100%</title>');
    expect(html).toContain('40% vs 100%: does not hold');
    expect(html).toContain(`fill="${OUTCOME_COLORS['does not hold'].mark}"`);
  });

  it('leaves out a pair with no figure and falls back without verdicts', () => {
    const d = data();
    const partial = antiPatternsHeadline({
      ...d,
      report: { ...d.report, verdicts: d.report.verdicts.filter((v) => !v.claimId.includes('exceptions')) },
    });
    expect(partial?.body).not.toContain('Swallowed exceptions');
    expect(count(partial?.body ?? '', /<rect class="mark"/)).toBe(5);
    expect(antiPatternsHeadline(scenario('anti-patterns', {}))).toBeNull();
  });
});

describe('poolEndToEndHeadline', () => {
  it("draws a request on new connections vs the pool and the per-connection cost against the document's ~10 ms", () => {
    const data = withRun(
      scenario('pool-end-to-end', {
        values: {
          'pool.p50-ms': value(0.4),
          'pool.p99-ms': value(3),
          'new-connection.p50-ms': value(2.2),
          'new-connection.p99-ms': value(7),
          'connections-per-request': value(5, 'count'),
        },
        verdicts: [claim('optimization.pool-end-to-end', 10, 'ms', 0.36, 'does not hold')],
      }),
      { 'optimization.pool-end-to-end': [0.3, 0.36, 0.4] },
    );
    const html = renderHeadline(data);
    expect(html).toContain(DESIGNED('pool-end-to-end'));
    expect(count(html, /<rect class="mark"/)).toBe(3);
    expect(count(html, /class="reference"/)).toBe(1);
    expect(html).toContain('<title>document: ~10 ms per connection</title>');
    expect(html).toContain('new connections (5 per request)');
    expect(html).toContain(`fill="${OUTCOME_COLORS['does not hold'].mark}"`);
    expect(poolEndToEndHeadline(scenario('pool-end-to-end', {}))).toBeNull();
  });
});

function memorySizing(sweep: boolean): ScenarioPlotData {
  const MIB = 2 ** 20;
  return withRun(
    scenario('memory-sizing', {
      values: { 'evictions.percent-of-fills': value(0, '%') },
      verdicts: [
        claim('production.maxmemory-fits', 80, '%', 6, 'holds'),
        claim('antipattern.no-ttl', 95, '%', 99.9, 'holds'),
        claim('antipattern.always-ttl', 80, '%', 61, 'holds'),
        claim('monitoring.memory-example', 256 * MIB, 'bytes', 2.6 * MIB, 'does not hold'),
        harness(claim('production.evictions-near-zero', 0.1, '%', 0, 'holds')),
      ],
      ...(sweep
        ? {
            series: {
              'evictions by maxmemory': {
                x: [10, 100, 500],
                y: [96, 20, 0],
                xLabel: 'maxmemory scaled to the documented universe (MB)',
                yLabel: 'evictions after the warm-up (% of fills)',
              },
            },
          }
        : {}),
    }),
    { 'production.maxmemory-fits': [5.5, 6, 6.5] },
  );
}

describe('memorySizingHeadline', () => {
  it('draws memory against maxmemory, the 256 MB example and the eviction sweep with 512mb marked', () => {
    const html = renderHeadline(memorySizing(true));
    expect(html).toContain(DESIGNED('memory-sizing'));
    // 3 claims in % of maxmemory, the measured 500 keys and the document's 256 MB bar.
    expect(count(html, /<rect class="mark"/)).toBe(5);
    expect(html).toContain('<title>maxmemory</title>');
    expect(html).toContain('<title>maxmemory 512mb</title>');
    expect(html).toContain('document&#39;s example');
    expect(html).toContain('data-series="evictions after the warm-up (sweep)"');
    expect(html).toContain('documented day at 512mb: 0% (harness&#39;s threshold: near 0 ≤ 0.1%)');
    expect(html).toContain(`fill="${OUTCOME_COLORS['does not hold'].mark}"`);
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it('draws the bars alone when the sweep is missing, and falls back with nothing', () => {
    const headline = memorySizingHeadline(memorySizing(false));
    expect(headline?.body).toContain('data-plot="rows"');
    expect(headline?.body).not.toContain('data-plot="headline"');
    expect(memorySizingHeadline(scenario('memory-sizing', {}))).toBeNull();
  });
});

describe('largeObjectsHeadline', () => {
  const values: Record<string, ScenarioValue> = {
    'vector.encode-decode-ms': value(0.02),
    'large.set-p50-ms': value(6),
    'large.get-p50-ms': value(8),
    'vector.set-p50-ms': value(0.02),
    'vector.get-p50-ms': value(0.02),
    'large.memory-usage-bytes': value(12e6, 'bytes'),
    'vector.memory-usage-bytes': value(3000, 'bytes'),
    'vector.percent-of-512mb-at-500-keys': value(0.3, '%'),
    'others-get.while-large.p99-ms': value(7),
    'others-get.while-vector.p99-ms': value(2),
  };
  const verdicts = [
    harness(claim('antipattern.large-object-slow', 5, 'ms', 240, 'holds')),
    harness(claim('antipattern.large-object-memory', 100, '%', 1170, 'holds')),
    harness(claim('antipattern.large-object-head-of-line', 5, 'ms', 5.2, 'inconclusive')),
  ];

  it('draws the large object against the vector: time, memory, the others p99, each threshold as a line', () => {
    const html = renderHeadline(scenario('large-objects', { values, verdicts }));
    expect(html).toContain(DESIGNED('large-objects'));
    expect(count(html, /<rect class="mark"/)).toBe(6 + 2 + 2 + 3);
    expect(count(html, /class="reference"/)).toBe(3);
    expect(html).toContain('<title>harness&#39;s threshold: slow above 5 ms</title>');
    expect(html).toContain(`fill="${OUTCOME_COLORS.inconclusive.mark}"`);
  });

  it('draws what a run recorded (no head-of-line part) and falls back with nothing', () => {
    const headline = largeObjectsHeadline(
      scenario('large-objects', {
        values: { 'vector.encode-decode-ms': value(0.02) },
        verdicts: verdicts.slice(0, 1),
      }),
    );
    expect(count(headline?.body ?? '', /<rect class="mark"/)).toBe(2);
    expect(headline?.body).not.toContain('Another client');
    expect(largeObjectsHeadline(scenario('large-objects', {}))).toBeNull();
  });
});

describe('cacheCorrectnessHeadline', () => {
  it('draws vectors compared and differing, keys audited and outside the TTL range, the 0 lines', () => {
    const html = renderHeadline(
      scenario('cache-correctness', {
        values: {
          comparisons: value(576, 'count'),
          differing: value(2, 'count'),
          'ttl.keys-audited': value(288, 'count'),
          'ttl.keys-outside': value(0, 'count'),
        },
        verdicts: [
          claim('cache.deterministic', 0, 'count', 2, 'does not hold'),
          claim('cache.ttl-always-set', 0, '%', 0, 'holds'),
        ],
      }),
    );
    expect(html).toContain(DESIGNED('cache-correctness'));
    expect(count(html, /<rect class="mark"/)).toBe(2);
    expect(count(html, /<circle class="mark"/)).toBe(2);
    expect(count(html, /class="reference"/)).toBe(2);
    expect(html).toContain('2: does not hold');
    expect(html).toContain(`fill="${OUTCOME_COLORS['does not hold'].mark}"`);
    expect(cacheCorrectnessHeadline(scenario('cache-correctness', {}))).toBeNull();
    expect(renderHeadline(scenario('cache-correctness', {}))).toContain('data-headline-kind="none"');
  });
});

describe('renderRowChart', () => {
  it('is empty without a finite value, draws log decades and skips non-finite references', () => {
    const row = { label: 'a', value: null, color: '#000', note: '' };
    expect(renderRowChart('t', 'rows', [{ title: 'p', unit: 'ms', groups: [{ title: '', rows: [row] }] }])).toBe('');
    const svg = renderRowChart('t', 'rows', [
      {
        title: 'p',
        unit: 'ms',
        log: true,
        groups: [
          {
            title: '',
            rows: [
              { ...row, value: 0.05 },
              { ...row, label: 'b', value: 300 },
            ],
          },
        ],
        references: [
          { value: 5, label: 'five' },
          { value: Number.NaN, label: 'nan' },
        ],
      },
    ]);
    expect(svg).toContain('ms (log)');
    expect(svg).toContain('>0.01<');
    expect(svg).toContain('>1000<');
    expect(count(svg, /class="reference"/)).toBe(1);
    expect(svg).not.toMatch(/NaN/);
  });
});
