import { existsSync } from 'node:fs';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { groupBySlotOwner, mgetBuffers } from '../../src/cache/slot-batches.ts';
import { CLUSTER_SLOT_COUNT, keySlot } from '../../src/redis/key-slot.ts';
import { createTopologyClient } from '../../src/redis/topology-client.ts';
import { liveChildPids } from '../core/cleanup-registry.ts';
import { ManagedCluster } from './managed-cluster.ts';
import { isListening } from './free-port.ts';
import { waitUntilNotRunning, withTestClient } from './test-support.ts';

const SYMBOLS = Array.from({ length: 50 }, (_, i) => `SYM${String(i).padStart(3, '0')}`);
const DATE = '2025-01-17';

function vector(seed: number): Float64Array {
  return Float64Array.from({ length: 158 }, (_, i) => seed + i / 1000);
}

describe('ManagedCluster (one 3+3 cluster for the file)', () => {
  let cluster: ManagedCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await ManagedCluster.start({ nodeTimeoutMs: 1_000 });
    client = createTopologyClient(
      { kind: 'cluster', seedUrls: cluster.seedUrls },
      { commandTimeoutMs: 5_000, connectTimeoutMs: 5_000, enableOfflineQueue: true },
    ) as Cluster;
    client.on('error', () => undefined);
  }, 40_000);

  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  }, 20_000);

  it('forms 3 masters with every slot and one attached replica each', async () => {
    const view = await cluster.view();
    const masters = view.filter((n) => n.role === 'master');
    expect(masters).toHaveLength(3);
    expect(masters.reduce((sum, m) => sum + m.slotCount, 0)).toBe(CLUSTER_SLOT_COUNT);
    for (const master of masters) expect(view.filter((n) => n.masterId === master.id && n.connected)).toHaveLength(1);
    const info = await withTestClient(cluster.nodes[0].port, (c) => c.call('CLUSTER', 'INFO'));
    expect(String(info)).toMatch(/cluster_state:ok/);
    expect(String(info)).toMatch(/cluster_slots_ok:16384/);
    // Replicas sync at once, not after the 5 s diskless-sync delay: forming and rejoining stay short.
    const delay = await withTestClient(cluster.nodes[5].port, (c) =>
      c.call('CONFIG', 'GET', 'repl-diskless-sync-delay'),
    );
    expect(delay).toEqual(['repl-diskless-sync-delay', '0']);
    expect(cluster.pids.every((pid) => liveChildPids().includes(pid))).toBe(true);
  });

  it('computes the same slot as CLUSTER KEYSLOT', async () => {
    const keys = [...SYMBOLS.slice(0, 10).map((s) => featureKey(s, DATE)), 'features:{AAPL}:2025-01-17', 'foo', 'é{x}'];
    const served = await withTestClient(cluster.nodes[0].port, (c) =>
      Promise.all(keys.map((k) => c.call('CLUSTER', 'KEYSLOT', k))),
    );
    expect(keys.map((k) => keySlot(k))).toEqual(served.map(Number));
  });

  it('a plain MGET of 50 symbols fails with CROSSSLOT; FeatureCache batches never do', async () => {
    const keys = SYMBOLS.map((s) => featureKey(s, DATE));
    expect(new Set(keys.map((k) => keySlot(k))).size).toBeGreaterThan(40);
    await expect(client.mget(keys)).rejects.toThrow(/CROSSSLOT/);
    const cache = new FeatureCache({ client, ttlSeconds: 60 });
    await cache.setMany(
      SYMBOLS.map((symbol, i) => ({ symbol, features: vector(i) })),
      DATE,
    );
    const values = await cache.getMany([...SYMBOLS, 'ABSENT'], DATE);
    expect(values).toHaveLength(51);
    values.slice(0, 50).forEach((v, i) => expect(v?.[0]).toBe(i));
    expect(values[50]).toBeNull();
    expect(cache.stats()).toMatchObject({ hits: 50, misses: 1, sets: 50, errors: 0 });
    // Every key has its TTL, on whichever node holds it.
    const ttls = await Promise.all(keys.map((k) => client.ttl(k)));
    expect(ttls.every((t) => t > 0 && t <= 60)).toBe(true);
    // The batch went as one pipeline per node: at most 3 groups.
    expect(groupBySlotOwner(client, keys).byOwner.size).toBeLessThanOrEqual(3);
    expect(await mgetBuffers(client, [])).toEqual([]);
  });

  it('invalidateSymbol finds the keys on every master', async () => {
    const cache = new FeatureCache({ client, ttlSeconds: 60 });
    const dates = ['2025-01-13', '2025-01-14', '2025-01-15', '2025-01-16', '2025-01-17'];
    for (const date of dates) await cache.set('INV', date, vector(1));
    const owners = new Set(dates.map((d) => keySlot(featureKey('INV', d))));
    expect(owners.size).toBe(dates.length);
    expect(await cache.invalidateSymbol('INV')).toBe(dates.length);
    expect((await cache.getMany(['INV'], dates[0]))[0]).toBeNull();
  });

  it('pauses and resumes one node, and the cluster is healthy after', async () => {
    const [master] = await cluster.masters();
    await master.pause();
    expect(master.state).toBe('paused');
    await master.resume();
    await cluster.waitHealthy(10_000);
  });

  it('stop() ends every node process and removes the temp dirs', async () => {
    const pids = cluster.pids;
    const ports = cluster.nodes.map((n) => n.port);
    const dirs = cluster.nodes.map((n) => n.dir);
    client.disconnect();
    await cluster.stop();
    for (const pid of pids) expect(await waitUntilNotRunning(pid, 10_000)).not.toBe('running');
    for (const port of ports) expect(await isListening(port)).toBe(false);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
    expect(pids.some((pid) => liveChildPids().includes(pid))).toBe(false);
  }, 20_000);
});
