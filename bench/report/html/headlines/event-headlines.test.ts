import { describe, expect, it } from 'vitest';
import { claim, metric, scenario, value } from '../fixtures/plot-data.ts';
import { MAX_SERIES_PER_CHART } from '../percentile-plot.ts';
import { pubsubLatencyHeadline } from './event-headlines.ts';

/** The cells pubsub-latency writes: delivery.rate-R.bytes-B, p50 growing with rate and payload. */
function latencyData(payloads: readonly number[], signalEvents = true) {
  const metrics = payloads.flatMap((bytes, i) =>
    [1_000, 10_000, 30_000].map((rate) =>
      metric(`delivery.rate-${rate}.bytes-${bytes}`, 0.1 * (i + 1) * (rate / 1_000)),
    ),
  );
  if (signalEvents) metrics.push(metric('delivery.signal-event', 0.4));
  const data = scenario('pubsub-latency', {
    metrics,
    values: { 'delivery.rate-10000.bytes-256.achieved-per-second': value(9_990, 'events/s') },
    verdicts: [claim('pubsub.latency', 1, 'ms', 0.3, 'holds')],
  });
  return {
    ...data,
    report: {
      ...data.report,
      parameters: { referenceRate: 1_000, referencePayloadBytes: 256, signalEventRate: 1_000 },
    },
  };
}

describe('pubsubLatencyHeadline', () => {
  it('draws p50 and p99 against the rate, a line per payload, the 1 ms line and the claim cell', () => {
    const headline = pubsubLatencyHeadline(latencyData([256, 4_096]));
    expect(headline).not.toBeNull();
    const body = headline!.body;
    const svg = /<svg[\s\S]*?<\/svg>/.exec(body)?.[0] ?? '';
    const series = [...svg.matchAll(/data-series="([^"]+)"/g)].map((m) => m[1]);
    expect(series).toEqual([
      '256 B p99',
      '256 B p50',
      '4 KB p99',
      '4 KB p50',
      'SignalEvent p99 (service code)',
      'SignalEvent p50 (service code)',
    ]);
    // p99 = 3 x p50 in the fixture: 256 B at 10 000/s has p50 1 ms, p99 3 ms; the achieved rate in the tip.
    expect(svg).toContain('256 B at 10000/s: p99 3 ms, 9990 events/s achieved');
    expect(svg).toContain('4 KB at 30000/s: p50 6 ms');
    expect(svg).toContain('document: sub-millisecond (1 ms)');
    expect(svg).toContain('claim cell: 1000/s, 256 B');
    expect(headline!.note).toContain('pubsub.latency');
    expect(body).not.toMatch(/NaN|Infinity/);
  });

  it('keeps within 8 series: at most 3 payloads, the others named in the note', () => {
    const headline = pubsubLatencyHeadline(latencyData([256, 1_024, 4_096, 65_536]))!;
    const svg = /<svg[\s\S]*?<\/svg>/.exec(headline.body)?.[0] ?? '';
    expect(svg.match(/<g class="series"/g)?.length).toBeLessThanOrEqual(MAX_SERIES_PER_CHART);
    expect(svg).not.toContain('64 KB');
    expect(headline.note).toContain('payloads above 4 KB not drawn');
  });

  it('is null without delivery cells', () => {
    expect(pubsubLatencyHeadline(scenario('pubsub-latency', { metrics: [metric('other', 1)] }))).toBeNull();
  });
});
