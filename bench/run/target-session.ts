import { Redis } from 'ioredis';
import { parseRedisInfo } from '../../src/monitoring/redis-info.ts';
import type { RedisInfo } from '../../src/monitoring/redis-info.ts';
import type { TargetReport } from '../core/run-summary.ts';
import { InfraError } from '../errors.ts';
import { FaultProxy } from '../faults/fault-proxy.ts';
import { namedTargetUpstream } from '../faults/fault-proxy-options.ts';
import { openTarget } from '../targets/redis-target.ts';
import type { RedisTarget, TargetOrigin } from '../targets/redis-target.ts';
import { networkLabel } from '../targets/network-label.ts';
import { guardUrlTarget } from '../targets/target-guard.ts';
import { guardClusterUrlTarget } from '../targets/topology-target.ts';
import type { RunParams } from './run-params.ts';
import type { Scenario, ScenarioTarget } from './scenario.ts';

const ADMIN_TIMEOUT_MS = 5_000;

/**
 * The Redis of one scenario, filled in as it opens: whatever got opened is released by
 * releaseSession, also when a later step failed. `notes` collect what the report must say about it.
 */
export interface TargetSession {
  target: RedisTarget | null;
  admin: Redis | null;
  proxy: FaultProxy | null;
  readonly notes: string[];
}

/** The harness's own connection for INFO and set-up; failures become InfraError (exit 3). */
async function connectAdmin(url: string, redactedUrl: string): Promise<Redis> {
  const admin = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: ADMIN_TIMEOUT_MS,
    commandTimeout: ADMIN_TIMEOUT_MS,
    connectionName: 'rpb-admin',
    disableClientInfo: true,
  });
  // A scenario may kill Redis on purpose; reconnection errors are expected, not worth a stack trace.
  admin.on('error', () => {});
  try {
    await admin.connect();
    return admin;
  } catch (error) {
    admin.disconnect();
    throw new InfraError(
      `could not open the harness's connection to ${redactedUrl}: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'check that Redis is still running and reachable',
      },
    );
  }
}

export async function readInfo(admin: Redis): Promise<RedisInfo | null> {
  try {
    return parseRedisInfo(await admin.info('everything'));
  } catch {
    // The scenario may have killed Redis on purpose; INFO is then simply unavailable.
    return null;
  }
}

function startingLine(scenario: Scenario, params: RunParams): string {
  if (params.target === 'container') return 'starting a redis:7.0 container (--target container)';
  if (params.redisUrl !== null) return 'connecting to the given Redis';
  const topology = params.topology ?? scenario.topologies?.[0] ?? 'standalone';
  if (topology === 'cluster') return 'starting a managed Redis Cluster (3 masters + 3 replicas)';
  if (topology === 'sentinel') return 'starting a managed Sentinel deployment (1 master, 2 replicas, 3 sentinels)';
  return 'starting a managed redis-server';
}

/** Opens the scenario's target and the admin connection; a Redis given by URL is checked before any write. */
export async function openSession(
  scenario: Scenario,
  params: RunParams,
  progress: (message: string) => void,
  session: TargetSession,
): Promise<{ target: RedisTarget; admin: Redis }> {
  progress(`${scenario.id}: ${startingLine(scenario, params)}`);
  const inContainer = params.target === 'container';
  const target = await openTarget({
    redisUrl: params.redisUrl ?? undefined,
    configOverrides: scenario.redisConfig,
    topology: inContainer ? 'standalone' : (params.topology ?? scenario.topologies?.[0] ?? 'standalone'),
    container: inContainer,
    composeService: params.composeService,
  });
  session.target = target;
  const admin = await connectAdmin(target.url, target.redactedUrl);
  session.admin = admin;
  if (target.kind === 'url') {
    await (target.topology?.kind === 'cluster'
      ? guardClusterUrlTarget(target.topology, target.redactedUrl)
      : guardUrlTarget(admin, target.redactedUrl));
    if (target.ignoredConfigOverrides.length > 0) {
      session.notes.push(
        `redis.conf overrides not applied (a Redis the harness did not start is never reconfigured): ${target.ignoredConfigOverrides.join(', ')}`,
      );
    }
  }
  return { target, admin };
}

/**
 * The URL the system under test connects to. With --added-latency-ms (the gate's canary) it goes
 * through the fault proxy, which delays every reply; the harness's own admin connection stays direct.
 */
export async function systemUnderTestUrl(
  target: RedisTarget,
  addedLatencyMs: number,
  session: TargetSession,
): Promise<string> {
  if (addedLatencyMs <= 0) return target.url;
  // A target off loopback is the one the run was given (--redis-url, a compose service): the proxy
  // listens on loopback and forwards to that Redis only (docs/docker.md, "Added latency").
  const proxy = await FaultProxy.start({
    ...namedTargetUpstream(target.url),
    toxics: [{ kind: 'latency', latencyMs: addedLatencyMs, direction: 'downstream' }],
  });
  session.proxy = proxy;
  const viaProxy = new URL(target.url);
  viaProxy.hostname = proxy.host;
  viaProxy.port = String(proxy.port);
  session.notes.push(
    `every Redis reply to the system under test was delayed ${addedLatencyMs} ms by the fault proxy (--added-latency-ms)`,
  );
  return viaProxy.toString();
}

/** What verdict conditions call a target reached by URL whose origin is known: "container (redis:7.0)". */
export function originLabel(origin: TargetOrigin): string {
  return origin.kind === 'container' ? `container (${origin.image})` : `compose service ${origin.service}`;
}

/** The target as the scenario sees it: a managed redis-server (or deployment), or one given by URL. */
export function scenarioTarget(target: RedisTarget, sutUrl: string): ScenarioTarget {
  const { redactedUrl } = target;
  switch (target.kind) {
    case 'managed':
      return { kind: 'managed', url: sutUrl, redactedUrl, server: target.managed };
    case 'managed-topology':
      return { kind: 'managed', url: sutUrl, redactedUrl, server: null };
    case 'url':
      return target.origin === undefined
        ? { kind: 'url', url: sutUrl, redactedUrl }
        : { kind: 'url', url: sutUrl, redactedUrl, label: originLabel(target.origin) };
  }
}

/** The summary's description of the target; verdict conditions must say when every reply was delayed on purpose. */
export function targetReport(
  target: RedisTarget,
  info: RedisInfo | null,
  proxied: boolean,
  addedLatencyMs: number,
): TargetReport {
  const origin = target.origin;
  return {
    kind: target.kind === 'url' ? (origin?.kind === 'container' ? 'container' : 'url') : 'managed',
    ...(origin?.kind === 'container' ? { image: origin.image } : {}),
    ...(origin?.kind === 'compose-service' ? { composeService: origin.service } : {}),
    redactedUrl: target.redactedUrl,
    redisVersion: String(info?.server?.redis_version ?? 'unknown'),
    network: proxied
      ? `${networkLabel(target.url)} + ${addedLatencyMs} ms added per reply (fault proxy)`
      : networkLabel(target.url),
    config: target.kind === 'managed' ? target.managed.config : null,
  };
}

/**
 * Closes what the session opened, after the run: a scenario may have changed the deployment's
 * timings (failover scenarios), so the topology note is written now. Returns the scenario's
 * failure, or the closing failure when the scenario had none; the report is still written.
 */
export async function releaseSession(session: TargetSession, failure: unknown): Promise<unknown> {
  const { target, notes } = session;
  if (target?.topology !== undefined)
    notes.push(
      `topology: ${target.topology.description}; the Redis INFO of this report is the seed node's (${target.redactedUrl})`,
    );
  session.admin?.disconnect();
  await session.proxy?.close();
  if (target === null) return failure;
  try {
    await target.close();
  } catch (error) {
    notes.push(`closing the target failed: ${error instanceof Error ? error.message : String(error)}`);
    return failure ?? error;
  }
  return failure;
}
