import { describe, expect, it } from 'vitest';
import { renderClaimsHeadline } from './claims-headline.ts';
import { claim, designedScenarios, metric, scenario, value } from './fixtures/plot-data.ts';
import { renderHeadline } from './headline.ts';
import { DESIGNED_HEADLINES } from './headlines/index.ts';
import { MAX_SERIES_PER_CHART } from './percentile-plot.ts';
import { percentilePanels } from './scenario-section.ts';

function svgsOf(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

function expectLegible(html: string): void {
  const svgs = svgsOf(html);
  expect(svgs.length).toBeGreaterThan(0);
  for (const svg of svgs) {
    expect(svg.match(/<g class="series"/g)?.length ?? 0).toBeLessThanOrEqual(MAX_SERIES_PER_CHART);
    expect(svg).toMatch(/<(path|rect|circle) /);
  }
  expect(html).not.toMatch(/NaN|Infinity/);
}

describe('renderHeadline', () => {
  it('draws miss-vs-hit as stacked steps beside the document figures', () => {
    const data = scenario('miss-vs-hit', {
      metrics: [
        metric('hit.signal', 0.3),
        metric('step.parquet-read', 1),
        metric('step.alpha158', 0.1),
        metric('step.encode', 0.2),
        metric('step.redis-set', 0.25),
        metric('step.redis-get', 0.12),
        metric('step.decode', 0.05),
      ],
      verdicts: [
        claim('cache.parquet-read', 40, 'ms', 1, 'does not hold'),
        claim('cache.compute', 10, 'ms', 0.1, 'does not hold'),
        claim('cache.redis-get', 0.2, 'ms', 0.12, 'holds'),
        claim('cache.json-parse', 0.5, 'ms', 0.05, 'does not hold'),
        claim('cache.hit-latency', 5, 'ms', 0.3, 'does not hold'),
      ],
    });
    const html = renderHeadline(data);
    expect(html).toContain('data-headline="miss-vs-hit" data-headline-kind="designed"');
    expectLegible(html);
    expect(html).toContain('data-plot="stacked"');
    expect(html).toContain('document: Parquet read 40 ms');
    expect(html).toContain('measured p50: Parquet read 1 ms');
    expect(html).toContain('hit path: predict + rest 0.13 ms');
  });

  it('draws pipelining as speedup against batch size, a panel per added round trip, the 5x marked', () => {
    const metrics = ['sequential', 'pipeline', 'mget'].flatMap((strategy, s) =>
      [1, 5, 50].flatMap((batch) =>
        ['', ',rtt=1ms'].map((rtt) =>
          metric(`${strategy}[batch=${batch}${rtt}]`, strategy === 'sequential' ? batch * 0.1 : 0.1 + s * 0.01),
        ),
      ),
    );
    const html = renderHeadline(
      scenario('pipelining', { metrics, verdicts: [claim('optimization.pipeline-5-gets', 5, 'x', 4.5, 'holds')] }),
    );
    expect(html).toContain('data-headline-kind="designed"');
    expectLegible(html);
    expect(svgsOf(html)).toHaveLength(2);
    expect(html).toContain('document: 5x at batch 5');
    // sequential 0.5 ms / pipeline 0.11 ms at batch 5
    expect(html).toContain('pipeline, batch 5, 0ms added: 4.55x');
  });

  it('draws command-latency per command with the 5 ms line, hit-rate-curve with the 70% line', () => {
    const cl = scenario('command-latency', {
      metrics: [metric('GET:1000-ops-s.all', 0.3), metric('GET:1000-ops-s.uncorrected', 0.2)],
      values: { 'GET:1000-ops-s.achieved-ops-per-second': value(990, 'ops/s') },
      series: { 'GET p99': { x: [990], y: [0.9], xLabel: 'achieved ops/s', yLabel: 'p99 ms' } },
      verdicts: [claim('monitoring.command-p99', 5, 'ms', 0.9, 'holds')],
    });
    const clHtml = renderHeadline(cl);
    expectLegible(clHtml);
    expect(clHtml).toContain('document: p99 &lt; 5 ms');
    const hr = scenario('hit-rate-curve', {
      series: {
        'measured: allkeys-lru': { x: [1, 2, 4], y: [40, 60, 80], xLabel: 'maxmemory (MB)', yLabel: 'hit rate (%)' },
        'predicted: exact LRU': { x: [1, 2, 4], y: [42, 61, 79], xLabel: 'maxmemory (MB)', yLabel: 'hit rate (%)' },
        'one day': { x: [0.25, 0.5], y: [70, 90], xLabel: 'hours', yLabel: 'hit rate (%)' },
      },
    });
    const hrHtml = renderHeadline(hr);
    expectLegible(hrHtml);
    expect(hrHtml).toContain('document: 70% expected');
    expect(hrHtml).toContain('data-series="predicted: exact LRU"');
    expect(hrHtml).not.toContain('data-series="one day"');
  });

  it('draws every designed headline from the names its scenario writes, legibly', () => {
    const scenarios = designedScenarios();
    expect(scenarios.map((s) => s.report.id).filter((id) => DESIGNED_HEADLINES[id] === undefined)).toEqual([]);
    for (const data of scenarios) {
      const html = renderHeadline(data);
      expect(html, data.report.id).toContain(`data-headline="${data.report.id}" data-headline-kind="designed"`);
      expectLegible(html);
    }
    const byId = new Map(scenarios.map((s) => [s.report.id, renderHeadline(s)]));
    expect(byId.get('chaos')).toContain('<rect class="event"');
    expect(byId.get('chaos')).toContain('document&#39;s client: detected 1200 ms');
    expect(byId.get('sentinel-failover')).toContain('promotion 2.2 s');
    expect(byId.get('compression')).toContain('document: 10x (gzip)');
    expect(byId.get('streams-vs-pubsub')).toContain('300 of 500 lost (60%)');
  });

  it('falls back to the generic claims headline for an unknown scenario or missing figures', () => {
    const verdicts = [claim('x.latency', 5, 'ms', 0.5, 'does not hold'), claim('x.size', 5000, 'bytes', 4100, 'holds')];
    const unknown = renderHeadline(scenario('brand-new', { verdicts }));
    expect(unknown).toContain('data-headline="brand-new" data-headline-kind="generic"');
    expect(unknown).toContain('data-plot="claims"');
    // A designed scenario whose figures are missing gets the generic one too.
    expect(renderHeadline(scenario('pipelining', { verdicts }))).toContain('data-headline-kind="generic"');
    expect(renderHeadline(scenario('empty', {}))).toContain('data-headline-kind="none"');
    expect(Object.keys(DESIGNED_HEADLINES)).toContain('chaos');
  });
});

describe('renderClaimsHeadline', () => {
  it('puts each claim at measured / claimed on a log axis, interval as whisker, verdict colour', () => {
    const svg = renderClaimsHeadline('t', [
      claim('a', 10, 'ms', 1, 'does not hold'),
      claim('b', 2, 'x', 2, 'holds'),
      claim('c', 5, 'ms', null, 'not measured'),
    ]);
    expect(svg).toContain('data-plot="claims"');
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('a: 1.00 ms [0.800 ms .. 1.20 ms] (1/10 of the claim), does not hold');
    expect(svg).toContain('b: 2.00x [1.60x .. 2.40x] (equal to the claim), holds');
    expect(svg).toContain('#cf222e');
    expect(svg).toContain('not measured: not measured');
    expect(renderClaimsHeadline('t', [])).toBe('');
  });
});

describe('percentilePanels', () => {
  it('packs metrics into panels of at most 8, keeping a family together when it fits', () => {
    const names = [...Array.from({ length: 10 }, (_, i) => `step.s${i}`), 'hit.a', 'hit.b', 'miss.a'];
    const panels = percentilePanels(names.map((n) => metric(n, 1)));
    expect(panels.map((p) => p.map((m) => m.name))).toEqual([
      names.slice(0, 8),
      ['step.s8', 'step.s9', 'hit.a', 'hit.b', 'miss.a'],
    ]);
  });
});
