import type { Cluster, Redis } from 'ioredis';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { ResilientFeatureCache } from '../../src/cache/resilient-feature-cache.ts';
import { silentLogger } from '../../src/logger.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { createTopologyClient } from '../../src/redis/topology-client.ts';
import { parseServiceConfig } from '../../src/service/service-config.ts';
import type { SignalService } from '../../src/service/signal-service.ts';
import { startSignalService } from '../../src/service/signal-service.ts';
import type { LinearModel } from '../../src/signals/linear-model.ts';
import { ModelRegistry } from '../../src/signals/model-registry.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import { ManagedCluster } from '../../bench/targets/managed-cluster.ts';
import type { MarketSpec } from './correctness-market.ts';
import { SpecMarket } from './correctness-market.ts';

/** Everything the rounds share, opened once: the system under test's clients, its HTTP service, a cluster. */
export interface CorrectnessSystem {
  readonly market: SpecMarket;
  readonly model: LinearModel;
  /** The system's cache connection (the service's fail-fast client options). */
  readonly client: Redis;
  /** The harness's connection for wiping, planting and auditing the round's keys. */
  readonly admin: Redis;
  readonly service: SignalService;
  /** The production cache path (budget per call, circuit breaker) over the system's connection, built once. */
  readonly resilient: ResilientFeatureCache;
  /** A managed Redis Cluster (3 masters, no replicas) and the system's client on it; null when not compared. */
  readonly cluster: { readonly deployment: ManagedCluster; readonly client: Cluster } | null;
}

const READY_TIMEOUT_MS = 10_000;

/** Opens the system step by step; whatever was opened is closed by `close`, also when a later step fails. */
export class CorrectnessResources {
  readonly #closers: (() => Promise<void>)[] = [];

  async open(redisUrl: string, admin: Redis, spec: MarketSpec, withCluster: boolean): Promise<CorrectnessSystem> {
    const market = new SpecMarket(spec);
    const model = await ModelRegistry.load();
    const client = createRedisClient(redisUrl, { connectionName: 'rpb-sut-cache', commandTimeoutMs: 2_000 });
    client.on('error', () => {});
    this.#closers.push(async () => client.disconnect());
    await waitUntilReady(client, READY_TIMEOUT_MS);
    const service = await startSignalService(
      parseServiceConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: redisUrl, SHUTDOWN_GRACE_MS: '2000' }),
      { logger: silentLogger, market },
    );
    this.#closers.push(() => service.close());
    const resilient = new ResilientFeatureCache(new FeatureCache({ client }), client);
    const cluster = withCluster ? await this.openCluster() : null;
    return { market, model, client, admin, service, resilient, cluster };
  }

  private async openCluster(): Promise<CorrectnessSystem['cluster']> {
    const deployment = await ManagedCluster.start({ masters: 3, replicasPerMaster: 0 });
    this.#closers.push(() => deployment.stop());
    const client = createTopologyClient(
      { kind: 'cluster', seedUrls: deployment.seedUrls },
      { connectionName: 'rpb-sut-cluster', commandTimeoutMs: 2_000 },
    ) as Cluster;
    client.on('error', () => {});
    this.#closers.push(async () => client.disconnect());
    await waitUntilReady(client, READY_TIMEOUT_MS);
    return { deployment, client };
  }

  /** Closes in reverse order of opening; every closer runs even when one fails. */
  async close(): Promise<void> {
    const closers = this.#closers.splice(0).reverse();
    for (const close of closers) await close().catch(() => {});
  }
}
