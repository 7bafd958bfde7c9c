import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestRedis } from '../../src/test-support/start-redis.ts';
import { startTestRedis } from '../../src/test-support/start-redis.ts';
import { testClient } from '../targets/test-support.ts';
import { testRunParams, useTempDir } from '../test-support/scenario-test-run.ts';
import { auditKeyspace, auditSessionKeyspace } from './keyspace-audit.ts';
import { runScenarios } from './runner.ts';
import type { Scenario } from './scenario.ts';

const tmpPath = useTempDir('rpb-keyspace-audit-');

/** Two keys in range, one without a TTL, one above 3600 s, and keys outside the cache's prefix (not audited). */
async function plant(admin: Redis): Promise<void> {
  await admin.set('features:AAPL:2025-01-17', 'v', 'EX', 3_600);
  await admin.set('features:MSFT:2025-01-17', 'v', 'PX', 5);
  await admin.set('features:NVDA:2025-01-17', 'v');
  await admin.set('features:TSLA:2025-01-17', 'v', 'EX', 7_200);
  await admin.set('other:no-ttl', 'v');
  await admin.set('featuresX:no-ttl', 'v');
}

describe('auditKeyspace against a real Redis', () => {
  let server: TestRedis;
  let admin: Redis;

  beforeAll(async () => {
    server = await startTestRedis();
    admin = testClient(server.port);
    await admin.connect();
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
  });
  beforeEach(async () => {
    await admin.flushdb(); // our own throwaway server, never the shared one
  });

  it('counts the cache keys without a TTL and above the maximum, ignoring other keys', async () => {
    await plant(admin);
    const audit = await auditKeyspace([admin], { scanCount: 2 });
    // MSFT's 5 ms TTL may have run out by its PTTL (-2: gone, not counted).
    expect(audit.keysScanned === 4 || audit.keysScanned === 3).toBe(true);
    expect(audit).toMatchObject({ skipped: null, keysWithoutTtl: 1, keysAboveMaxTtl: 1, complete: true });
  });

  it('stops at its key cap and says the audit is incomplete', async () => {
    for (let i = 0; i < 50; i++) await admin.set(`features:S${i}:2025-01-17`, 'v');
    const audit = await auditKeyspace([admin], { scanCount: 10, maxKeys: 10 });
    expect(audit.complete).toBe(false);
    expect(audit.keysScanned).toBeGreaterThanOrEqual(10);
    expect(audit.keysScanned).toBeLessThan(50);
  });

  it('skips a Redis given by URL and a topology, and turns a failure into a skipped audit', async () => {
    expect((await auditSessionKeyspace({ kind: 'url' }, admin))?.skipped).toMatch(/--redis-url/);
    expect((await auditSessionKeyspace({ kind: 'managed-topology' }, admin))?.skipped).toMatch(/cluster/);
    expect(await auditSessionKeyspace(null, admin)).toBeUndefined();
    const dead = await startTestRedis();
    const doomed = testClient(dead.port);
    try {
      await doomed.connect();
      await dead.kill();
      expect((await auditSessionKeyspace({ kind: 'managed' }, doomed))?.skipped).toMatch(/the audit failed/);
    } finally {
      doomed.disconnect();
      await dead.stop();
    }
  });
});

describe('the runner audits every scenario keyspace before releasing it', () => {
  it('puts the audit in each scenario report and the totals in the summary', async () => {
    const planting: Scenario = {
      id: 'plants',
      description: 'leaves keys with and without a TTL',
      claims: [],
      async run(ctx) {
        await plant(ctx.admin);
        await ctx.admin.set('features:MSFT:2025-01-17', 'v'); // a second key without TTL, whatever PX 5 did
        return { values: {}, trials: {}, verdicts: [], parameters: {}, notes: [] };
      },
    };
    const clean: Scenario = {
      id: 'clean',
      description: 'writes with a TTL only',
      claims: [],
      async run(ctx) {
        await ctx.admin.set('features:AAPL:2025-01-17', 'v', 'EX', 60);
        return { values: {}, trials: {}, verdicts: [], parameters: {}, notes: [] };
      },
    };
    const { summary } = await runScenarios({
      scenarios: [planting, clean],
      params: testRunParams({ outDir: tmpPath('run') }),
      command: 'test',
      signal: new AbortController().signal,
      progress: () => {},
      claims: [],
      knownScenarioIds: [],
    });
    expect(summary.scenarios[0]!.keyspaceAudit).toMatchObject({
      skipped: null,
      keysScanned: 4,
      keysWithoutTtl: 2,
      keysAboveMaxTtl: 1,
    });
    expect(summary.scenarios[1]!.keyspaceAudit).toMatchObject({ keysScanned: 1, keysWithoutTtl: 0 });
    expect(summary.keyspaceAudit).toEqual({
      scenariosAudited: 2,
      scenariosSkipped: 0,
      keysScanned: 5,
      keysWithoutTtl: 2,
      keysAboveMaxTtl: 1,
      scenariosWithViolations: ['plants'],
    });
  });
});
