import { spawn } from 'node:child_process';
import type { Redis } from 'ioredis';
import { ConfigError, InfraError } from '../../bench/errors.ts';
import { registerChildPid, unregisterChildPid } from '../../bench/core/cleanup-registry.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import type { FaultProxy } from '../../bench/faults/fault-proxy.ts';
import type { FaultAction } from '../../bench/faults/fault-schedule.ts';
import { CACHE_FULL, cacheFullMaxmemory } from '../shared-readings.ts';
import type { WorkingSetBytes } from '../shared-readings.ts';

/** The faults of issue #5; each has its own scenario id `chaos-<id>`. */
export const CHAOS_FAULT_IDS = [
  'kill',
  'pause',
  'blackhole',
  'latency',
  'reset',
  'absent',
  'full-noeviction',
  'full-lru',
  'full-no-ttl',
  'flushall',
] as const;
export type ChaosFaultId = (typeof CHAOS_FAULT_IDS)[number];

/**
 * Clients run side by side under each fault:
 * - safe: src/ resilient path (command timeout, no offline queue, breaker, single flight, reset on timeout);
 * - naive: ioredis defaults and the document's try/except loop (no timeout, offline queue, 20 retries);
 * - safe-no-sf / safe-no-reset: the safe client with single flight / the reset-on-timeout switched off.
 */
export type ChaosVariant = 'safe' | 'naive' | 'safe-no-sf' | 'safe-no-reset';

/** What a fault acts on: the redis-server process, its data/config, or only the harness's proxy. */
export type FaultTarget = 'process' | 'data' | 'proxy';

export interface ChaosFaultSpec {
  readonly id: ChaosFaultId;
  readonly title: string;
  readonly target: FaultTarget;
  readonly variants: readonly ChaosVariant[];
  /** Injected before the system under test starts (Redis absent at startup). */
  readonly atStart: boolean;
  /** Hot keys are stored without TTL (the anti-pattern under volatile-lru). */
  readonly hotKeysWithoutTtl: boolean;
}

const spec = (
  id: ChaosFaultId,
  title: string,
  target: FaultTarget,
  extra: Partial<ChaosFaultSpec> = {},
): ChaosFaultSpec => ({
  id,
  title,
  target,
  variants: ['safe', 'naive'],
  atStart: false,
  hotKeysWithoutTtl: false,
  ...extra,
});

export const CHAOS_FAULTS: Readonly<Record<ChaosFaultId, ChaosFaultSpec>> = {
  kill: spec('kill', 'SIGKILL mid-run, then restart (cold, empty cache)', 'process'),
  pause: spec('pause', 'SIGSTOP, then SIGCONT', 'process'),
  blackhole: spec('blackhole', 'network black hole (fault proxy drops every byte, closes nothing)', 'proxy', {
    variants: ['safe', 'safe-no-reset', 'naive'],
  }),
  latency: spec('latency', '+50 ms on every Redis reply (fault proxy)', 'proxy'),
  reset: spec('reset', 'connection resets (fault proxy answers with RST)', 'proxy'),
  absent: spec('absent', 'Redis absent when the service starts, appearing later', 'process', { atStart: true }),
  'full-noeviction': spec(
    'full-noeviction',
    'cache full (CACHE_FULL maxmemory) under noeviction (writes fail)',
    'data',
  ),
  'full-lru': spec('full-lru', 'cache full (CACHE_FULL: maxmemory, volatile-lru, keys with TTL; evictions)', 'data'),
  'full-no-ttl': spec(
    'full-no-ttl',
    'cache full (CACHE_FULL maxmemory) under volatile-lru, hot keys without TTL',
    'data',
    {
      hotKeysWithoutTtl: true,
    },
  ),
  flushall: spec('flushall', 'FLUSHALL (cold cache, the miss storm), with and without single flight', 'data', {
    variants: ['safe', 'safe-no-sf', 'naive'],
  }),
};

export interface FaultEnvironment {
  /** null: a Redis the harness did not start (--redis-url). */
  readonly managed: ManagedRedis | null;
  readonly proxy: FaultProxy;
  /** The harness's admin connection (direct, not through the proxy). */
  readonly admin: Redis;
  /** --fault-cmd: the user's own command for faults on a Redis the harness did not start. */
  readonly faultCmd: string | undefined;
  /** The window's working set in bytes, measured at its reset: the maxmemory faults size from it (CACHE_FULL). */
  readonly workingSet: () => WorkingSetBytes;
  readonly latencyMs: number;
}

/**
 * Chaos touches a Redis process or its data only when the harness started it; otherwise only with
 * the user's explicit --fault-cmd. Proxy faults act on the harness's own proxy and always run.
 */
export function checkFaultAllowed(
  spec: ChaosFaultSpec,
  managed: ManagedRedis | null,
  faultCmd: string | undefined,
  scenarioId: string,
): void {
  if (spec.target === 'proxy' || managed !== null || faultCmd !== undefined) return;
  throw new ConfigError(
    `chaos fault "${spec.id}" (${spec.title}) acts on the Redis ${spec.target === 'process' ? 'process' : 'data and configuration'}, and this Redis was not started by rpb (--redis-url)`,
    {
      hint: `run ${scenarioId} without --redis-url (rpb starts its own redis-server), or name the fault command yourself, e.g. --fault-cmd "docker kill redis"; proxy faults (chaos-blackhole, chaos-latency, chaos-reset) run on any target`,
    },
  );
}

export function faultAction(spec: ChaosFaultSpec, env: FaultEnvironment): FaultAction {
  if (spec.target !== 'proxy' && env.faultCmd !== undefined) return commandFault(env.faultCmd);
  const managed = (): ManagedRedis => {
    if (env.managed === null) throw new Error('unreachable: checkFaultAllowed guards faults without a managed Redis');
    return env.managed;
  };
  switch (spec.id) {
    case 'kill':
    case 'absent':
      return {
        label: `${spec.id}: SIGKILL redis-server, restart to heal`,
        inject: () => managed().kill(),
        heal: async () => {
          if (managed().state !== 'running' && managed().state !== 'paused') await managed().restart();
        },
      };
    case 'pause':
      return {
        label: 'pause: SIGSTOP redis-server, SIGCONT to heal',
        inject: () => managed().pause(),
        heal: async () => {
          if (managed().state === 'paused') await managed().resume();
        },
      };
    case 'blackhole':
      return proxyFault('blackhole: the proxy drops every byte', env.proxy, [{ kind: 'black-hole' }]);
    case 'latency':
      return proxyFault(`latency: +${env.latencyMs} ms per reply`, env.proxy, [
        { kind: 'latency', latencyMs: env.latencyMs, direction: 'downstream' },
      ]);
    case 'reset':
      return proxyFault(
        'reset: the proxy resets every connection (RST)',
        env.proxy,
        [{ kind: 'reset-peer', afterMs: 0 }],
        true,
      );
    case 'full-noeviction':
      return maxmemoryFault(spec.id, env, 'noeviction');
    case 'full-lru':
    case 'full-no-ttl':
      return maxmemoryFault(spec.id, env, CACHE_FULL.policy);
    case 'flushall':
      return {
        label: 'flushall: FLUSHALL (nothing to heal: the cache refills)',
        inject: async () => {
          await env.admin.flushall();
        },
        heal: async () => {},
      };
  }
}

function proxyFault(
  label: string,
  proxy: FaultProxy,
  toxics: Parameters<FaultProxy['setToxics']>[0],
  resetOpen = false,
): FaultAction {
  return {
    label,
    inject: async () => {
      proxy.setToxics(toxics);
      if (resetOpen) proxy.resetAllConnections();
    },
    heal: async () => {
      proxy.clearToxics();
    },
  };
}

/**
 * The cache full as the shared CACHE_FULL definition sizes it (maxmemory = empty instance + 50% of the
 * working set's bytes, maxmemory-samples 5) under `policy`; heal restores the three settings.
 */
function maxmemoryFault(id: string, env: FaultEnvironment, policy: 'noeviction' | 'volatile-lru'): FaultAction {
  const settings = ['maxmemory', 'maxmemory-policy', 'maxmemory-samples'] as const;
  let saved: string[] | undefined;
  return {
    label: `${id}: cache full (CACHE_FULL maxmemory), maxmemory-policy ${policy}`,
    inject: async () => {
      const values: string[] = [];
      for (const name of settings) values.push(((await env.admin.config('GET', name)) as string[])[1] ?? '');
      saved = values;
      const limit = cacheFullMaxmemory(env.workingSet());
      if (!Number.isFinite(limit))
        throw new InfraError('INFO memory gave no used_memory; cannot set a maxmemory fault');
      await env.admin.config('SET', 'maxmemory-policy', policy);
      await env.admin.config('SET', 'maxmemory-samples', String(CACHE_FULL.samples));
      await env.admin.config('SET', 'maxmemory', String(limit));
    },
    heal: async () => {
      if (saved === undefined) return;
      for (const [i, name] of settings.entries()) await env.admin.config('SET', name, saved[i]!);
    },
  };
}

/** The user's own fault command (`--fault-cmd`), run through the shell; rpb cannot heal it. */
export function commandFault(command: string, timeoutMs = 30_000): FaultAction {
  return {
    label: `--fault-cmd ${JSON.stringify(command)} (heal it yourself: rpb does not know how)`,
    inject: () => runShellCommand(command, timeoutMs),
    heal: async () => {},
  };
}

function runShellCommand(command: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 2_000) stderr += chunk.toString();
    });
    const pid = child.pid;
    if (pid !== undefined) registerChildPid(pid, () => child.kill('SIGKILL'));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const done = (error: Error | null): void => {
      clearTimeout(timer);
      if (pid !== undefined) unregisterChildPid(pid);
      if (error === null) resolve();
      else reject(error);
    };
    child.on('error', (error) =>
      done(
        new InfraError(`--fault-cmd could not start: ${error.message}`, {
          hint: 'check the command and that /bin/sh exists',
        }),
      ),
    );
    child.on('exit', (code, signal) => {
      if (code === 0) done(null);
      else
        done(
          new InfraError(
            `--fault-cmd ${JSON.stringify(command)} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 500)}`,
            { hint: 'run the command by hand to check it injects the fault' },
          ),
        );
    });
  });
}
