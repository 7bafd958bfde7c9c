import os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { RegisteredClaim } from '../core/claim.ts';
import { ConfigError } from '../errors.ts';
import { createLatencyHistogram } from '../measure/histogram-bounds.ts';
import type { ManagedRedis } from '../targets/managed-redis.ts';
import type { ScenarioContext, ScenarioTarget } from './scenario.ts';
import {
  claimIn,
  environmentConditions,
  figure,
  managedServer,
  percent,
  percentileMs,
  requireManaged,
  roundsOfPart,
  scenarioParams,
  waitFor,
} from './scenario-kit.ts';

const server = { port: 40_001 } as unknown as ManagedRedis;
const MANAGED: ScenarioTarget = { kind: 'managed', url: 'redis://127.0.0.1:1', redactedUrl: 'r', server };
const DEPLOYMENT: ScenarioTarget = { kind: 'managed', url: 'redis://127.0.0.1:1', redactedUrl: 'r', server: null };
const GIVEN: ScenarioTarget = { kind: 'url', url: 'redis://:pw@cache:6379', redactedUrl: 'redis://cache:6379' };

function contextOn(target: ScenarioTarget): ScenarioContext {
  return { target, network: 'loopback (127.0.0.1)', redisVersion: '7.0.15' } as unknown as ScenarioContext;
}

describe('scenario kit', () => {
  it('finds a claim by id and calls a missing one a bug', () => {
    const claims = [{ id: 'a.one' }, { id: 'a.two' }] as unknown as RegisteredClaim[];
    expect(claimIn(claims, 'a.two')).toBe(claims[1]);
    expect(() => claimIn(claims, 'a.three')).toThrow('claim a.three is missing from the claim registry');
  });

  it('keeps figures JSON-safe: a non-finite value becomes null', () => {
    expect(figure(2.5, 'x', 'speedup')).toEqual({ value: 2.5, unit: 'x', description: 'speedup' });
    expect(figure(Number.NaN, '%', 'share').value).toBeNull();
    expect(figure(Number.POSITIVE_INFINITY, '%', 'share').value).toBeNull();
    expect(figure(null, 'ms', 'none').value).toBeNull();
  });

  it('computes percentages and percentiles in ms, NaN when there is no data', () => {
    expect(percent(1, 4)).toBe(25);
    expect(percent(1, 0)).toBeNaN();
    const histogram = createLatencyHistogram();
    expect(percentileMs(histogram, 50)).toBeNaN();
    histogram.recordValue(2_000_000);
    expect(percentileMs(histogram, 50)).toBeCloseTo(2, 2);
  });

  it('waits until the condition holds, the time is up or the run aborts', async () => {
    let calls = 0;
    expect(await waitFor(() => ++calls >= 3, 1_000, new AbortController().signal, 1)).toBe(true);
    expect(await waitFor(() => false, 20, new AbortController().signal, 5)).toBe(false);
    const aborted = new AbortController();
    aborted.abort();
    expect(await waitFor(() => false, 60_000, aborted.signal)).toBe(false);
  });

  it('hands out the managed redis-server only when the harness started one', () => {
    expect(managedServer(MANAGED)).toBe(server);
    expect(managedServer(DEPLOYMENT)).toBeNull();
    expect(managedServer(GIVEN)).toBeNull();
    expect(requireManaged(contextOn(MANAGED), 'chaos-x', 'kills Redis')).toBe(server);
    expect(() => requireManaged(contextOn(GIVEN), 'chaos-x', 'kills Redis')).toThrow(ConfigError);
    expect(() => requireManaged(contextOn(GIVEN), 'chaos-x', 'kills Redis')).toThrow(
      'chaos-x cannot run against --redis-url / REDIS_URL: it kills Redis',
    );
  });

  it('states the conditions of a verdict: network, target kind, Redis, Node and CPUs', () => {
    expect(environmentConditions(contextOn(GIVEN))).toBe(
      `loopback (127.0.0.1), url Redis 7.0.15, Node ${process.version}, ${os.cpus().length} CPUs`,
    );
    expect(environmentConditions(contextOn(DEPLOYMENT))).toContain(', managed Redis 7.0.15,');
  });

  it("takes the --quick or default parameters, then the user's --set values over them", () => {
    const defaults = { rounds: 7, roundDurationMs: 3_000 };
    const quick = { rounds: 3, roundDurationMs: 600 };
    const on = (isQuick: boolean, overrides: Record<string, number>) =>
      ({ params: { quick: isQuick }, overrides }) as unknown as ScenarioContext;
    expect(scenarioParams(on(false, {}), defaults, quick)).toEqual(defaults);
    expect(scenarioParams(on(true, {}), defaults, quick)).toEqual(quick);
    expect(scenarioParams(on(true, { rounds: 5 }), defaults, quick)).toEqual({ rounds: 5, roundDurationMs: 600 });
  });
});

describe('roundsOfPart', () => {
  it('splits the planned rounds into parts that add up and differ by at most one', () => {
    expect(roundsOfPart(9, undefined)).toBe(9);
    expect([1, 2, 3].map((index) => roundsOfPart(9, { index, of: 3 }))).toEqual([3, 3, 3]);
    expect([1, 2].map((index) => roundsOfPart(7, { index, of: 2 }))).toEqual([3, 4]);
    expect([1, 2, 3].map((index) => roundsOfPart(10, { index, of: 3 }))).toEqual([3, 3, 4]);
  });
});
