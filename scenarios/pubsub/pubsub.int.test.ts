import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import type { Scenario } from '../../bench/run/scenario.ts';
import { runScenarioForTest, useTempDir } from '../../bench/test-support/scenario-test-run.ts';
import { pubsubLatency } from './pubsub-latency.ts';
import { QUICK_PUBSUB_LATENCY_PARAMS } from './pubsub-latency-params.ts';
import { pubsubLoss } from './pubsub-loss.ts';
import { pubsubOrdering } from './pubsub-ordering.ts';

const tmpPath = useTempDir('rpb-pubsub-');

async function runOne(scenario: Scenario, overrides: Record<string, string>) {
  const { summary, failures, outDir } = await runScenarioForTest({
    scenario,
    claims: CLAIMS,
    params: { outDir: tmpPath(scenario.id), overrides },
  });
  expect(failures).toEqual([]);
  return { report: summary.scenarios[0]!, outDir };
}

describe('pub/sub scenarios end to end', () => {
  it('pubsub-ordering: every event of one publisher connection arrives in order at every subscriber; verdict and HDR files', async () => {
    const { report, outDir } = await runOne(pubsubOrdering, {
      eventsPerPublisher: '500',
      subscribers: '2',
      publishers: '3',
    });
    expect(report.status).toBe('ok');
    expect(report.values['one-publisher.lost']!.value).toBe(0);
    expect(report.values['one-publisher.reordered']!.value).toBe(0);
    expect(report.values['several-publishers.reordered']!.value).toBe(0);
    expect(report.trials['pubsub.no-ordering']).toHaveLength(6);
    expect(report.verdicts[0]!.claimId).toBe('pubsub.no-ordering');
    expect(report.verdicts[0]!.trials).toBe(6);
    expect(await readdir(path.join(outDir, 'pubsub-ordering'))).toContain('delivery.one-publisher.hgrm');
  }, 60_000);

  it('pubsub-latency: every cell records its delays, loses nothing at these rates and reports the rate it achieved', async () => {
    const { report, outDir } = await runOne(pubsubLatency, {
      cellDurationMs: '150',
      warmupDurationMs: '0',
      signalEventRate: '200',
    });
    expect(report.status).toBe('ok');
    const v = (name: string): number => report.values[name]!.value as number;
    for (const { rate, bytes } of QUICK_PUBSUB_LATENCY_PARAMS.cells) {
      const cell = `delivery.rate-${rate}.bytes-${bytes}`;
      expect(v(`${cell}.lost`)).toBe(0);
      // Count-bounded sends: the rate achieved can fall short on a busy machine, never exceed the target.
      expect(v(`${cell}.achieved-per-second`)).toBeGreaterThan(0);
      expect(v(`${cell}.achieved-per-second`)).toBeLessThanOrEqual(rate * 1.02);
      expect(v(`${cell}.p50-ms`)).toBeGreaterThan(0);
      expect(v(`${cell}.p50-ms`)).toBeLessThanOrEqual(v(`${cell}.p99-ms`));
    }
    expect(v('signal-event.p50-ms')).toBeGreaterThan(0);
    const verdict = report.verdicts[0]!;
    expect(verdict.claimId).toBe('pubsub.latency');
    // One trial per round (fresh connections each), the reference cell's (1000/s, 256 B) p99.
    expect(verdict.figures).toHaveLength(6);
    expect(verdict.measured).toBeGreaterThan(0);
    expect(await readdir(path.join(outDir, 'pubsub-latency'))).toContain('delivery.rate-1000.bytes-256.hgrm');
  }, 60_000);

  it('pubsub-loss: events published while the subscriber is away are lost, counted by sequence number; the slow subscriber is cut and comes back', async () => {
    const { report } = await runOne(pubsubLoss, { settleEvents: '20', faultMs: '200', ratePerSec: '500' });
    expect(report.status).toBe('ok');
    const v = (name: string): number => report.values[name]!.value as number;
    // Offline and killed subscribers miss events, counted by sequence number (how many is the measurement's).
    expect(v('subscriber-offline.window-lost-pct')).toBeGreaterThanOrEqual(0);
    expect(v('subscriber-offline.lost')).toBeGreaterThan(0);
    expect(v('subscriber-killed.lost')).toBeGreaterThan(0);
    // Redis killed: the publisher saw failures while it was down, and lost events.
    expect(v('redis-killed.publish-failed')).toBeGreaterThan(0);
    expect(v('redis-killed.lost')).toBeGreaterThanOrEqual(v('redis-killed.publish-failed'));
    // The stalled subscriber was dropped at the output buffer limit in every trial, with losses PUBLISH
    // had counted as delivered.
    expect(v('slow-subscriber.dropped-trials')).toBe(6);
    expect(v('slow-subscriber.lost-silently')).toBeGreaterThan(0);
    expect(report.verdicts.map((x) => x.claimId).sort()).toEqual([
      'pubsub.fire-and-forget',
      'pubsub.no-ack',
      'pubsub.no-persistence',
    ]);
    expect(report.verdicts.every((x) => x.measured !== null)).toBe(true);
  }, 60_000);
});
