import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../bench/errors.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { runCli } from '../../bench/test-support/run-cli.ts';
import { resolveFanoutParams } from './pubsub-fanout.ts';
import { resolvePubsubLatencyParams } from './pubsub-latency-params.ts';
import { MIN_TRIALS } from '../../bench/core/claim.ts';
import { DEFAULT_PUBSUB_LOSS_PARAMS, pubsubLoss, QUICK_PUBSUB_LOSS_PARAMS } from './pubsub-loss.ts';
import { DEFAULT_PUBSUB_ORDERING_PARAMS, QUICK_PUBSUB_ORDERING_PARAMS } from './pubsub-ordering.ts';
import {
  DEFAULT_STREAMS_VS_PUBSUB_PARAMS,
  QUICK_STREAMS_VS_PUBSUB_PARAMS,
  streamsVsPubsub,
} from './streams-vs-pubsub.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rpb-pubsub-params-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('pub/sub scenario parameters', () => {
  it('refuses a latency run that would publish for hours, naming the parameters and the fix', () => {
    const attempt = () => resolvePubsubLatencyParams(false, { rounds: 50, cellDurationMs: 60_000 });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/rounds=50 .* cellDurationMs=60000 .* min/);
    expect(resolvePubsubLatencyParams(true, {}).rounds).toBe(6);
  });

  it('cuts the fan-out series at maxSubscribers and adds that count, with rounds enough for 6 visits', () => {
    expect(resolveFanoutParams(false, { maxSubscribers: 30 }).subscriberCounts).toEqual([1, 10, 30]);
    expect(resolveFanoutParams(true, {}).subscriberCounts).toEqual([1, 10, 50]);
    const one = resolveFanoutParams(false, { maxSubscribers: 1 });
    expect(one.subscriberCounts).toEqual([1]);
    expect(one.rounds).toBe(MIN_TRIALS);
    expect(resolveFanoutParams(false, { rounds: 5 }).rounds).toBe(5);
  });

  it.each([true, false])('gives every claim at least 6 trials (quick: %s)', (quick) => {
    const latency = resolvePubsubLatencyParams(quick, {});
    expect(latency.rounds).toBeGreaterThanOrEqual(MIN_TRIALS);
    expect(latency.cells).toContainEqual({ rate: latency.referenceRate, bytes: latency.referencePayloadBytes });
    const fanout = resolveFanoutParams(quick, {});
    expect(fanout.rounds * fanout.subscriberCounts.length).toBeGreaterThanOrEqual(MIN_TRIALS);
    const [loss, ordering, streams] = quick
      ? [QUICK_PUBSUB_LOSS_PARAMS, QUICK_PUBSUB_ORDERING_PARAMS, QUICK_STREAMS_VS_PUBSUB_PARAMS]
      : [DEFAULT_PUBSUB_LOSS_PARAMS, DEFAULT_PUBSUB_ORDERING_PARAMS, DEFAULT_STREAMS_VS_PUBSUB_PARAMS];
    expect(loss.trials).toBeGreaterThanOrEqual(MIN_TRIALS);
    expect(ordering.rounds).toBeGreaterThanOrEqual(MIN_TRIALS);
    expect(streams.trials).toBeGreaterThanOrEqual(MIN_TRIALS);
  });

  it.each([pubsubLoss, streamsVsPubsub])(
    '$id refuses a Redis it did not start (no kill, no reconfiguration) with a ConfigError',
    async (scenario) => {
      const context = {
        target: { kind: 'url', url: 'redis://127.0.0.1:1', redactedUrl: 'redis://127.0.0.1:1' },
        params: { quick: true },
        overrides: {},
      } as unknown as ScenarioContext;
      await expect(scenario.run(context)).rejects.toThrow(ConfigError);
      await expect(scenario.run(context)).rejects.toThrow(/--redis-url/);
    },
  );

  it('the CLI exits 2 with a clear message for an out-of-range parameter, before starting anything', async () => {
    const result = await runCli(['run', 'pubsub-loss', '--set', 'faultMs=5', '--out', path.join(tmp, 'bad-range')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pubsub-loss.faultMs=5: expected an integer from 100 to 120000');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('the CLI exits 2 when a scenario finds its parameters unworkable together', async () => {
    const result = await runCli([
      'run',
      'pubsub-latency',
      '--set',
      'rounds=50',
      '--set',
      'cellDurationMs=60000',
      '--out',
      path.join(tmp, 'too-long'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/would publish for \d+ min/);
    expect(result.stderr).toContain('lower --set rounds or --set cellDurationMs');
  }, 60_000);
});
