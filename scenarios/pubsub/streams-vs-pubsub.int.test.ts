import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { runScenarioForTest, useTempDir } from '../../bench/test-support/scenario-test-run.ts';
import { streamsVsPubsub } from './streams-vs-pubsub.ts';

const tmpPath = useTempDir('rpb-streams-');

describe('streams-vs-pubsub end to end', () => {
  it("Streams with a consumer group lose nothing under the faults that lose pub/sub events; a dead consumer's entries are claimed", async () => {
    const { summary, failures } = await runScenarioForTest({
      scenario: streamsVsPubsub,
      claims: CLAIMS,
      params: {
        outDir: tmpPath('out'),
        overrides: {
          settleEvents: '20',
          faultMs: '200',
          ratePerSec: '500',
          latencyMs: '150',
          burstCount: '300',
          scalingBacklog: '80',
        },
      },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0]!;
    const v = (name: string): number => report.values[name]!.value as number;
    for (const fault of ['subscriber-offline', 'subscriber-killed', 'slow-subscriber', 'redis-killed']) {
      expect(v(`streams.${fault}.lost`)).toBe(0);
      expect(v(`streams.${fault}.produced`)).toBeGreaterThan(0);
    }
    expect(v('pubsub.subscriber-offline.lost')).toBeGreaterThan(0);
    expect(v('streams.subscriber-killed.claimed')).toBeGreaterThan(0);
    expect(v('streams.redis-killed.xadd-retry-attempts')).toBeGreaterThan(0);
    // One figure per trial behind each Streams claim (their values are the measurement's, not asserted here).
    expect(report.trials['streams.persistence']).toHaveLength(6);
    expect(report.trials['streams.replay']).toHaveLength(6);
    expect(report.metrics['delivery.streams']!.summary.count).toBeGreaterThan(0);
    // The group hands every backlog entry to exactly one consumer, and each of the 4 gets a share.
    expect(report.trials['streams.consumer-group-scaling']).toHaveLength(6);
    expect(v('scaling.duplicates')).toBe(0);
    expect(v('scaling.missing')).toBe(0);
    expect(v('scaling.smallest-share')).toBeGreaterThan(0);
  }, 60_000);
});
