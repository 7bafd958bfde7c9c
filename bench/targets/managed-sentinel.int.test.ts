import { existsSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { createTopologyClient } from '../../src/redis/topology-client.ts';
import { liveChildPids } from '../core/cleanup-registry.ts';
import { ManagedSentinel } from './managed-sentinel.ts';
import { waitUntilNotRunning, withTestClient } from './test-support.ts';

const DATE = '2025-01-17';
const vector = (seed: number): Float64Array => Float64Array.from({ length: 158 }, (_, i) => seed + i);

describe('ManagedSentinel (one deployment for the file)', () => {
  let deployment: ManagedSentinel;
  let client: Redis;

  beforeAll(async () => {
    deployment = await ManagedSentinel.start({ downAfterMs: 1_000, failoverTimeoutMs: 5_000 });
    client = createTopologyClient(deployment.topology(), { commandTimeoutMs: 500 }) as Redis;
    client.on('error', () => undefined);
  }, 40_000);

  afterAll(async () => {
    client?.disconnect();
    await deployment?.stop();
  }, 20_000);

  it('starts 1 master, 2 replicas in sync and 3 sentinels that agree on the master', async () => {
    expect(deployment.nodes).toHaveLength(3);
    expect(deployment.sentinels).toHaveLength(3);
    const master = await deployment.announcedMaster();
    expect(master).toBe(deployment.nodes[0]);
    const info = await withTestClient(master.port, (c) => c.info('replication'));
    expect(info).toMatch(/connected_slaves:2/);
    const delay = await withTestClient(master.port, (c) => c.call('CONFIG', 'GET', 'repl-diskless-sync-delay'));
    expect(delay).toEqual(['repl-diskless-sync-delay', '0']);
    expect(deployment.pids.every((pid) => liveChildPids().includes(pid))).toBe(true);
  });

  it('promotes a replica when the master is killed, and the sentinel-aware client follows', async () => {
    const cache = new FeatureCache({ client, ttlSeconds: 60 });
    await new Promise<void>((resolve) =>
      client.status === 'ready' ? resolve() : client.once('ready', () => resolve()),
    );
    await cache.set('FAIL', DATE, vector(1));
    const old = await deployment.announcedMaster();
    await old.kill();
    // Writes fail for a while, then succeed on the promoted replica, through the same client.
    // Generous: on a loaded machine a failover attempt can time out and be retried.
    const deadline = Date.now() + 35_000;
    let written = false;
    let lastError = '';
    while (!written && Date.now() < deadline) {
      try {
        await cache.set('FAIL', DATE, vector(2));
        written = true;
      } catch (error) {
        lastError = (error as Error).message;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    if (!written) {
      const master = await deployment.announcedMaster().catch((e: Error) => e.message);
      throw new Error(
        `no write succeeded 35 s after the kill; client status ${client.status}, announced master ${typeof master === 'string' ? master : master.port} (old ${old.port}), last error: ${lastError}`,
      );
    }
    // The client followed the sentinel that led the failover; the others learn the new master from
    // its hello messages a moment later, and announcedMaster asks the first sentinel that answers.
    let promoted = await deployment.announcedMaster();
    const converged = Date.now() + 10_000;
    while (promoted === old && Date.now() < converged) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      promoted = await deployment.announcedMaster();
    }
    expect(promoted).not.toBe(old);
    expect(deployment.nodes.slice(1)).toContain(promoted);
    // The sentinel-aware client may be reconnecting while the sentinels settle (offline queue off:
    // a command then fails at once); the write must be readable once it is connected again.
    let read: Float64Array | null = null;
    let readError = '';
    const readDeadline = Date.now() + 10_000;
    while (read === null && Date.now() < readDeadline) {
      try {
        read = await cache.get('FAIL', DATE);
      } catch (error) {
        readError = (error as Error).message;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(read?.[0], `no read within 10 s, last error: ${readError}`).toBe(2);
    const role = await withTestClient(promoted.port, (c) => c.info('replication'));
    expect(role).toMatch(/role:master/);
    // The old master comes back as a replica of the new one.
    await deployment.rejoin(old, 20_000);
    // Of the master the sentinels announce once it is back (under a shared machine's load the
    // sentinels may have moved the master again meanwhile; it is never the old node itself).
    const current = await deployment.announcedMaster();
    expect(current).not.toBe(old);
    const oldRole = await withTestClient(old.port, (c) => c.info('replication'));
    expect(oldRole).toMatch(/role:slave/);
    expect(oldRole).toMatch(new RegExp(`master_port:${current.port}`));
  }, 60_000);

  it('stop() ends every data node and sentinel and removes their dirs', async () => {
    const pids = deployment.pids;
    const dirs = [...deployment.nodes.map((n) => n.dir), ...deployment.sentinels.map((s) => s.dir)];
    client.disconnect();
    await deployment.stop();
    for (const pid of pids) expect(await waitUntilNotRunning(pid, 10_000)).not.toBe('running');
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
    expect(pids.some((pid) => liveChildPids().includes(pid))).toBe(false);
  }, 20_000);
});
