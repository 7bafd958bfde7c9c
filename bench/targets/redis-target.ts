import { ManagedRedis, type ManagedRedisOptions } from './managed-redis.ts';
import type { RedisConfigOverrides } from './redis-config.ts';
import { checkRedisUrl, REDIS_URL_DEFAULTS } from './redis-url.ts';
import { redactRedisUrl } from '../../src/redis/redis-url.ts';
import { openTopologyTarget } from './topology-target.ts';
import type { OpenTopologyOptions, ScenarioTopology, TopologyKind } from './topology-target.ts';

interface TargetBase {
  /** Connection URL, credentials included: never print it, print redactedUrl. */
  readonly url: string;
  readonly redactedUrl: string;
  /** redis_version reported by the server. */
  readonly version: string;
  /** Releases the target: stops a managed instance; never touches a Redis we did not start. */
  close(): Promise<void>;
  /** Cluster or Sentinel (--topology): how to reach it, managed handles, client factory. Absent: standalone. */
  readonly topology?: ScenarioTopology;
  /** What a target reached by URL is, when known: the --target container image, or the compose service named. */
  readonly origin?: TargetOrigin;
}

export type TargetOrigin =
  | { readonly kind: 'container'; readonly image: string }
  | { readonly kind: 'compose-service'; readonly service: string };

export type RedisTarget =
  | (TargetBase & { readonly kind: 'managed'; readonly managed: ManagedRedis })
  | (TargetBase & {
      readonly kind: 'url';
      /** Scenario overrides that were not applied: we never reconfigure a Redis we did not start. */
      readonly ignoredConfigOverrides: readonly string[];
    })
  /** A managed Redis Cluster or Sentinel deployment (--topology): nodes are reached through `topology`. */
  | (TargetBase & { readonly kind: 'managed-topology'; readonly topology: ScenarioTopology });

export interface OpenTargetOptions {
  /** An existing Redis (the caller reads REDIS_URL / --redis-url); otherwise a managed one starts. */
  readonly redisUrl?: string;
  readonly configOverrides?: RedisConfigOverrides;
  /** Options for the managed instance (configOverrides above wins). */
  readonly managed?: Omit<ManagedRedisOptions, 'configOverrides'>;
  readonly checkTimeoutMs?: number;
  /** standalone (default): one server. cluster / sentinel: see bench/targets/topology-target.ts. */
  readonly topology?: TopologyKind;
  readonly cluster?: OpenTopologyOptions['cluster'];
  readonly sentinel?: OpenTopologyOptions['sentinel'];
  /**
   * `--target container`: a redis:7.0 container started through testcontainers (InfraError when no
   * Docker engine is reachable). Presented as a 'url' target: the harness never signals it (no chaos).
   */
  readonly container?: boolean;
  /** The compose service redisUrl reaches (RPB_COMPOSE_SERVICE, set by docker-compose.yml's bench runner). */
  readonly composeService?: string;
}

export async function openTarget(options: OpenTargetOptions = {}): Promise<RedisTarget> {
  const configOverrides = options.configOverrides ?? {};
  const checkTimeoutMs = options.checkTimeoutMs ?? REDIS_URL_DEFAULTS.checkTimeoutMs;
  if (options.topology !== undefined && options.topology !== 'standalone') {
    const opened = await openTopologyTarget({
      ...options,
      topology: options.topology,
      configOverrides,
      checkTimeoutMs,
    });
    const base = {
      url: opened.url,
      redactedUrl: opened.redactedUrl,
      version: opened.version,
      topology: opened.topology,
      close: () => opened.close(),
    };
    return opened.managed
      ? { ...base, kind: 'managed-topology' }
      : { ...base, kind: 'url', ignoredConfigOverrides: opened.ignoredConfigOverrides };
  }
  if (options.container === true) {
    const { startContainerRedis } = await import('./container-redis.ts');
    const container = await startContainerRedis(configOverrides);
    return {
      kind: 'url',
      url: container.url,
      redactedUrl: redactRedisUrl(container.url),
      version: container.version,
      origin: { kind: 'container', image: container.image },
      ignoredConfigOverrides: [],
      close: () => container.stop(),
    };
  }
  if (options.redisUrl !== undefined && options.redisUrl !== '') {
    const url = options.redisUrl;
    const { version, redactedUrl } = await checkRedisUrl(url, checkTimeoutMs);
    return {
      kind: 'url',
      url,
      redactedUrl,
      version,
      ...(options.composeService === undefined
        ? {}
        : { origin: { kind: 'compose-service', service: options.composeService } as const }),
      ignoredConfigOverrides: Object.keys(configOverrides),
      close: async () => undefined,
    };
  }
  const managed = await ManagedRedis.start({ ...options.managed, configOverrides });
  return {
    kind: 'managed',
    url: managed.url,
    redactedUrl: managed.redactedUrl,
    version: managed.version,
    managed,
    close: () => managed.stop(),
  };
}
