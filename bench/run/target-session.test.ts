import { describe, expect, it } from 'vitest';
import type { RedisInfo } from '../../src/monitoring/redis-info.ts';
import type { ManagedRedis } from '../targets/managed-redis.ts';
import type { RedisTarget } from '../targets/redis-target.ts';
import type { ScenarioTopology } from '../targets/topology-target.ts';
import { releaseSession, scenarioTarget, targetReport } from './target-session.ts';
import type { TargetSession } from './target-session.ts';

const base = { url: 'redis://127.0.0.1:7000', redactedUrl: 'redis://127.0.0.1:7000', version: '7.0.15' };
const managed = { config: { maxmemory: '0' } } as unknown as ManagedRedis;
const topology = { description: 'Redis Cluster, 3 masters' } as unknown as ScenarioTopology;
const MANAGED: RedisTarget = { ...base, kind: 'managed', managed, close: async () => {} };
const DEPLOYMENT: RedisTarget = { ...base, kind: 'managed-topology', topology, close: async () => {} };
const GIVEN: RedisTarget = {
  ...base,
  url: 'redis://:pw@10.0.0.5:6379',
  redactedUrl: 'redis://10.0.0.5:6379',
  kind: 'url',
  ignoredConfigOverrides: [],
  close: async () => {},
};
const INFO = { server: { redis_version: '7.0.15' } } as unknown as RedisInfo;

describe('target session', () => {
  it('gives the scenario its target as a union: managed with its server (or none for a deployment), or url', () => {
    expect(scenarioTarget(MANAGED, 'redis://127.0.0.1:9999')).toEqual({
      kind: 'managed',
      url: 'redis://127.0.0.1:9999',
      redactedUrl: base.redactedUrl,
      server: managed,
    });
    expect(scenarioTarget(DEPLOYMENT, base.url)).toMatchObject({ kind: 'managed', server: null });
    expect(scenarioTarget(GIVEN, GIVEN.url)).toEqual({
      kind: 'url',
      url: GIVEN.url,
      redactedUrl: GIVEN.redactedUrl,
    });
  });

  it("describes the target for the summary: kind managed or url, the network, the managed instance's config", () => {
    expect(targetReport(MANAGED, INFO, false, 0)).toEqual({
      kind: 'managed',
      redactedUrl: base.redactedUrl,
      redisVersion: '7.0.15',
      network: 'loopback (127.0.0.1)',
      config: { maxmemory: '0' },
    });
    expect(targetReport(DEPLOYMENT, null, false, 0)).toMatchObject({ kind: 'managed', redisVersion: 'unknown' });
    expect(targetReport(GIVEN, INFO, true, 5)).toMatchObject({
      kind: 'url',
      network: 'network (10.0.0.5) + 5 ms added per reply (fault proxy)',
      config: null,
    });
  });

  it("notes the topology, closes the target and keeps the scenario's own failure over a closing failure", async () => {
    const failing: RedisTarget = {
      ...DEPLOYMENT,
      close: async () => {
        throw new Error('stuck node');
      },
    };
    const session: TargetSession = { target: failing, admin: null, proxy: null, notes: [] };
    const own = new Error('scenario failed');
    expect(await releaseSession(session, own)).toBe(own);
    expect(session.notes).toEqual([
      `topology: Redis Cluster, 3 masters; the Redis INFO of this report is the seed node's (${base.redactedUrl})`,
      'closing the target failed: stuck node',
    ]);
    const quiet: TargetSession = { target: failing, admin: null, proxy: null, notes: [] };
    expect(await releaseSession(quiet, null)).toMatchObject({ message: 'stuck node' });
  });
});
