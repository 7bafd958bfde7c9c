/** The conditions of the document's alerting section (and the ones just short of them), caused for real and undone. */
import { Redis } from 'ioredis';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { infoField, parseRedisInfo } from '../../src/monitoring/redis-info.ts';
import type { AlertKey } from './alert-figures.ts';
import type { LoadedService, LoadSamples } from './service-load.ts';
import { clientsExcept, loadAndSample, startService } from './service-load.ts';
import type { MonitorAlertsParams } from './monitor-alerts-params.ts';

/** What a round's conditions share: the server, the harness's connection, and what a condition left to undo. */
export interface RoundEnv {
  readonly admin: Redis;
  readonly managed: ManagedRedis;
  readonly params: MonitorAlertsParams;
  readonly signal: AbortSignal;
  /** The service's Redis URL (the target's) and what it serves. */
  readonly redisUrl: string;
  readonly marketDataDir: string;
  readonly requestBody: string;
  extras: Redis[];
  fillerKeys: string[];
  loaded: LoadedService | null;
  /** The service condition's samples of this round (null until it ran). */
  samples: LoadSamples | null;
}

export interface AlertCondition {
  readonly name: string;
  /** The alerts the document's thresholds raise here (empty: none at all). */
  readonly expected: readonly AlertKey[];
  /** Puts Redis in the condition; resolves once the server shows it. */
  enter(env: RoundEnv): Promise<void>;
  /** Runs while the condition holds (at least until one check has run in it). */
  during?(env: RoundEnv): Promise<void>;
  /** Undoes what enter left that the next condition must not see. */
  leave?(env: RoundEnv): Promise<void>;
}

/** The monitor's own connection name: every other connection counts as a client. */
const MONITOR_NAME = 'rpb-monitor';
const KEY_PREFIX = 'rpb:monitor-alerts:';
const WAIT_MS = 5_000;
/** A monitor reads the hit rate only from this many lookups on (DOCUMENT_ALERT_THRESHOLDS.minLookupsForHitRate). */
const LOOKUPS = 100;

async function resetStats(env: RoundEnv): Promise<void> {
  await env.admin.config('RESETSTAT');
}

/** `hits` GETs of a stored key and LOOKUPS - hits of absent keys, after RESETSTAT. */
async function lookups(env: RoundEnv, hits: number): Promise<void> {
  await resetStats(env);
  const pipeline = env.admin.pipeline();
  pipeline.set(`${KEY_PREFIX}present`, 'v');
  for (let i = 0; i < LOOKUPS; i += 1) pipeline.get(i < hits ? `${KEY_PREFIX}present` : `${KEY_PREFIX}absent:${i}`);
  await pipeline.exec();
}

/** Polls CLIENT LIST until the connections other than the monitor's number `count`. */
async function waitForClients(env: RoundEnv, count: number): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  while ((await clientsExcept(env.admin, [MONITOR_NAME])) !== count) {
    if (env.signal.aborted || performance.now() > deadline)
      throw new Error(`CLIENT LIST did not show ${count} connections besides the monitor's within ${WAIT_MS} ms`);
    await sleepMs(5, env.signal);
  }
}

/** Opens (or closes) extra connections until the monitor would count `count` clients besides itself. */
async function clientsTo(env: RoundEnv, count: number): Promise<void> {
  const now = await clientsExcept(env.admin, [MONITOR_NAME]);
  if (count > now) {
    const added = Array.from(
      { length: count - now },
      () =>
        new Redis({
          ...env.managed.connectOptions(),
          lazyConnect: true,
          maxRetriesPerRequest: 1,
          retryStrategy: () => null,
          disableClientInfo: true,
          connectionName: 'rpb-extra-client',
        }),
    );
    for (const c of added) c.on('error', () => {});
    env.extras.push(...added);
    await Promise.all(added.map((c) => c.connect()));
  } else {
    for (const c of env.extras.splice(0, now - count)) c.disconnect();
  }
  await waitForClients(env, count);
}

export async function closeExtras(env: RoundEnv): Promise<void> {
  for (const c of env.extras.splice(0)) c.disconnect();
}

async function usedMemory(admin: Redis): Promise<number> {
  return Number(infoField(parseRedisInfo(await admin.info('memory')), 'used_memory'));
}

const MB = 1024 * 1024;

/** Values of the filler: below Redis's 32 KB "big argument" size, so no query buffer is kept as a value. */
const FILLER_VALUE_BYTES = 16 * 1024;

/**
 * Filler without TTL (volatile-lru cannot evict it), written on a connection of its own that is closed
 * after, so no client buffer of the fill is left to shrink later; then maxmemory = used / ratio.
 */
async function memoryAt(env: RoundEnv, ratio: number): Promise<void> {
  if (env.fillerKeys.length === 0) {
    const filler = new Redis({
      ...env.managed.connectOptions(),
      disableClientInfo: true,
      connectionName: 'rpb-filler',
    });
    filler.on('error', () => {});
    const value = Buffer.alloc(FILLER_VALUE_BYTES, 'x');
    const count = Math.round((env.params.fillerMb * MB) / FILLER_VALUE_BYTES);
    const keys = Array.from({ length: count }, (_, i) => `${KEY_PREFIX}filler:${i}`);
    try {
      for (let i = 0; i < keys.length; i += 256) {
        const pipeline = filler.pipeline();
        for (const key of keys.slice(i, i + 256)) pipeline.set(key, value);
        await pipeline.exec();
      }
    } finally {
      filler.disconnect();
    }
    env.fillerKeys = keys;
    await waitForClients(env, await clientsExcept(env.admin, [MONITOR_NAME, 'rpb-filler']));
  }
  await env.admin.config('SET', 'maxmemory', String(Math.floor((await usedMemory(env.admin)) / ratio)));
}

/** The document's redis.conf: maxmemory 512mb, volatile-lru; the filler removed. */
export async function restoreMemory(env: RoundEnv): Promise<void> {
  await env.admin.config('SET', 'maxmemory', '512mb');
  await env.admin.config('SET', 'maxmemory-policy', 'volatile-lru');
  const keys = env.fillerKeys.splice(0);
  for (let i = 0; i < keys.length; i += 1_000) await env.admin.unlink(...keys.slice(i, i + 1_000));
}

/** Waits until the admin connection answers again (after a restart it reconnects by itself). */
async function adminAnswers(env: RoundEnv): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    try {
      await env.admin.ping();
      return;
    } catch (error) {
      if (env.signal.aborted || performance.now() > deadline) throw error;
      await sleepMs(20, env.signal);
    }
  }
}

export async function stopService(env: RoundEnv): Promise<void> {
  const loaded = env.loaded;
  env.loaded = null;
  await loaded?.service.close();
}

const warning = (id: AlertKey['id']): AlertKey => ({ id, severity: 'warning' });
const critical = (id: AlertKey['id']): AlertKey => ({ id, severity: 'critical' });

/** One round, in order; each condition is judged on the checks that ran wholly inside it. */
export const ALERT_CONDITIONS: readonly AlertCondition[] = [
  { name: 'healthy', expected: [], enter: resetStats },
  { name: 'hit-rate-48', expected: [warning('hit-rate')], enter: (env) => lookups(env, 48) },
  { name: 'hit-rate-52', expected: [], enter: (env) => lookups(env, 52) },
  {
    name: 'error-reply',
    expected: [warning('error-replies')],
    enter: async (env) => {
      await resetStats(env);
      await env.admin.lpush(`${KEY_PREFIX}list`, 'x');
      await env.admin.get(`${KEY_PREFIX}list`).catch(() => undefined); // WRONGTYPE
    },
    leave: async (env) => {
      await env.admin.del(`${KEY_PREFIX}list`, `${KEY_PREFIX}present`);
    },
  },
  {
    name: 'clients-51',
    expected: [warning('connected-clients')],
    enter: async (env) => {
      await resetStats(env);
      await clientsTo(env, 51);
    },
  },
  {
    name: 'clients-50',
    expected: [],
    enter: (env) => clientsTo(env, 50),
    leave: closeExtras,
  },
  { name: 'memory-79', expected: [], enter: (env) => memoryAt(env, 0.79) },
  { name: 'memory-81', expected: [warning('memory')], enter: (env) => memoryAt(env, 0.81) },
  { name: 'memory-94', expected: [warning('memory')], enter: (env) => memoryAt(env, 0.94) },
  { name: 'memory-96', expected: [critical('memory')], enter: (env) => memoryAt(env, 0.96), leave: restoreMemory },
  {
    name: 'no-eviction-policy',
    expected: [critical('eviction-policy')],
    enter: async (env) => {
      await env.admin.config('SET', 'maxmemory-policy', 'noeviction');
    },
    leave: async (env) => {
      await env.admin.config('SET', 'maxmemory-policy', 'volatile-lru');
    },
  },
  {
    name: 'service-load',
    expected: [],
    enter: async (env) => {
      env.loaded = await startService(env.redisUrl, env.marketDataDir, env.requestBody);
      await resetStats(env);
    },
    during: async (env) => {
      if (env.loaded === null) return;
      env.samples = await loadAndSample(
        env.loaded,
        env.admin,
        { durationMs: env.params.serviceLoadMs, connections: env.params.serviceConnections, sampleMs: 20 },
        env.signal,
      );
    },
    leave: stopService,
  },
  {
    name: 'unreachable',
    expected: [critical('unreachable')],
    enter: (env) => env.managed.kill(),
    leave: async (env) => {
      await env.managed.restart();
      await adminAnswers(env);
    },
  },
];
