import { Redis } from 'ioredis';
import type { AlertId, AlertSeverity } from '../../src/monitoring/alert-thresholds.ts';
import { parseRedisInfo, infoField } from '../../src/monitoring/redis-info.ts';
import type { MonitorReport } from '../../src/monitoring/redis-monitor.ts';
import { DEFAULT_MONITOR_OPTIONS, monitorRedis } from '../../src/monitoring/redis-monitor.ts';
import { MONITOR_EXIT_CODES } from '../../bench/commands/monitor.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { figure, requireManaged } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';

/** One condition the document's alerting section names, how to cause it on our own server, and how to undo it. */
interface Drill {
  readonly name: string;
  /** The alert that must fire, or null for the healthy baseline (no alert at all). */
  readonly expect: { readonly id: AlertId; readonly severity: AlertSeverity } | null;
  cause(admin: Redis, managed: ManagedRedis): Promise<(() => Promise<void>) | void>;
}

const CLIENT_COUNT = 55;

async function usedMemory(admin: Redis): Promise<number> {
  return Number(infoField(parseRedisInfo(await admin.info('memory')), 'used_memory'));
}

const FILLER_KEYS = 40;
const FILLER_BYTES = 100_000;

/**
 * maxmemory set so that used / max is about `ratio`. A few MB of filler (no TTL, so volatile-lru
 * cannot evict it) first, so that the monitor's own connection buffers move the ratio by well
 * under a percent.
 */
async function fillTo(admin: Redis, ratio: number): Promise<() => Promise<void>> {
  const pipeline = admin.pipeline();
  for (let i = 0; i < FILLER_KEYS; i += 1) pipeline.set(`rpb:monitor-alerts:filler:${i}`, 'x'.repeat(FILLER_BYTES));
  await pipeline.exec();
  await admin.config('SET', 'maxmemory', String(Math.floor((await usedMemory(admin)) / ratio)));
  return async () => {
    await admin.config('SET', 'maxmemory', '512mb');
    await admin.del(...Array.from({ length: FILLER_KEYS }, (_, i) => `rpb:monitor-alerts:filler:${i}`));
  };
}

const DRILLS: readonly Drill[] = [
  { name: 'healthy', expect: null, cause: async () => {} },
  {
    name: 'low-hit-rate',
    expect: { id: 'hit-rate', severity: 'warning' },
    cause: async (admin) => {
      const pipeline = admin.pipeline();
      for (let i = 0; i < 150; i += 1) pipeline.get(`rpb:monitor-alerts:absent:${i}`);
      await pipeline.exec();
    },
  },
  {
    name: 'error-replies',
    expect: { id: 'error-replies', severity: 'warning' },
    cause: async (admin) => {
      await admin.lpush('rpb:monitor-alerts:list', 'x');
      await admin.get('rpb:monitor-alerts:list').catch(() => undefined); // WRONGTYPE
      return async () => {
        await admin.del('rpb:monitor-alerts:list');
      };
    },
  },
  {
    name: 'many-clients',
    expect: { id: 'connected-clients', severity: 'warning' },
    cause: async (_admin, managed) => {
      const clients = Array.from(
        { length: CLIENT_COUNT },
        () =>
          new Redis({
            ...managed.connectOptions(),
            lazyConnect: true,
            disableClientInfo: true,
            maxRetriesPerRequest: 1,
          }),
      );
      for (const c of clients) c.on('error', () => {});
      await Promise.all(clients.map((c) => c.connect()));
      return async () => {
        for (const c of clients) c.disconnect();
      };
    },
  },
  { name: 'memory-above-80', expect: { id: 'memory', severity: 'warning' }, cause: (admin) => fillTo(admin, 0.88) },
  { name: 'memory-above-95', expect: { id: 'memory', severity: 'critical' }, cause: (admin) => fillTo(admin, 1.1) },
  {
    name: 'no-eviction-policy',
    expect: { id: 'eviction-policy', severity: 'critical' },
    cause: async (admin) => {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      return async () => {
        await admin.config('SET', 'maxmemory-policy', 'volatile-lru');
      };
    },
  },
  {
    name: 'unreachable',
    expect: { id: 'unreachable', severity: 'critical' },
    cause: async (_admin, managed) => {
      await managed.kill();
      return () => managed.restart();
    },
  },
];

function judged(drill: Drill, report: MonitorReport): { fired: boolean; detail: string } {
  const shown = report.alerts.map((a) => `${a.severity}:${a.id}`).join(', ') || 'no alert';
  if (drill.expect === null) return { fired: report.alerts.length === 0, detail: shown };
  const { id, severity } = drill.expect;
  return {
    fired: report.alerts.some((a) => a.id === id && a.severity === severity) && report.severity === severity,
    detail: shown,
  };
}

async function waitForClientsBelow(admin: Redis, limit: number, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < 100 && !signal.aborted; i += 1) {
    if (Number(infoField(parseRedisInfo(await admin.info('clients')), 'connected_clients')) <= limit) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { admin, progress } = context;
  const managed = requireManaged(
    context,
    'monitor-alerts',
    'reconfigures, fills and kills its Redis, so it runs only on a Redis the harness started',
  );
  const values: Record<string, ScenarioValue> = {};
  const notes: string[] = [];
  let firedCount = 0;
  for (const drill of DRILLS) {
    if (context.signal.aborted) break;
    // Counters start from zero for each drill, so one drill's traffic never raises another's alert.
    await admin.config('RESETSTAT');
    const undo = await drill.cause(admin, managed);
    let report: MonitorReport;
    try {
      report = await monitorRedis(context.target.url, { ...DEFAULT_MONITOR_OPTIONS, timeoutMs: 1_000 });
    } finally {
      await undo?.();
    }
    if (drill.name === 'many-clients') await waitForClientsBelow(admin, 5, context.signal);
    const { fired, detail } = judged(drill, report);
    if (fired) firedCount += 1;
    const expected = drill.expect === null ? 'no alert' : `${drill.expect.severity}:${drill.expect.id}`;
    progress(
      `${drill.name}: expected ${expected}, got ${detail} -> ${fired ? 'fired as expected' : 'NOT as expected'}`,
    );
    values[`${drill.name}.as-expected`] = figure(
      fired ? 1 : 0,
      'bool',
      `${drill.name}: expected ${expected}; monitor reported ${detail}`,
    );
    values[`${drill.name}.exit-code`] = figure(
      MONITOR_EXIT_CODES[report.severity],
      'code',
      `rpb monitor exit code in the ${drill.name} condition`,
    );
    if (!fired) notes.push(`${drill.name}: expected ${expected}, the monitor reported ${detail}`);
  }
  values['drills.as-expected'] = figure(
    firedCount,
    'count',
    `drills whose alert fired as expected, of ${DRILLS.length}`,
  );
  notes.unshift(
    `${firedCount} of ${DRILLS.length} conditions raised the expected alert (the document's Pattern 4 thresholds; ${CLIENT_COUNT} extra clients for the client alert, 4 MB of filler and maxmemory set to used/0.88 and used/1.1 for the memory alerts)`,
  );
  return {
    values,
    trials: {},
    verdicts: [],
    parameters: { drills: DRILLS.map((d) => d.name), clients: CLIENT_COUNT },
    notes,
  };
}

export const monitorAlerts: Scenario = {
  id: 'monitor-alerts',
  description:
    "Drives a managed Redis into each of the document's alert conditions (low hit rate, error replies, > 50 clients, memory > 80% / 95%, no eviction policy, unreachable) and checks that `rpb monitor` raises that alert.",
  claims: [],
  run,
};
