import type { Cluster, Redis } from 'ioredis';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import type { FeatureCodec } from '../../src/cache/codec.ts';
import { codecByName } from '../../src/cache/codec-registry.ts';
import type { MarketDataSource } from '../../src/market/market-data-source.ts';
import { ParquetStore } from '../../src/market/parquet-store.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import type { TopologyClient } from '../../src/redis/topology-client.ts';
import type { CacheClientOptions } from '../../src/redis/client-options.ts';
import type { LinearModel } from '../../src/signals/linear-model.ts';
import { ModelRegistry } from '../../src/signals/model-registry.ts';
import { SignalGenerator } from '../../src/signals/signal-generator.ts';
import { InfraError } from '../errors.ts';
import { withAddedLatency } from '../faults/added-latency-source.ts';

/** The system under test, assembled the way the document's service does, plus raw handles for step timing. */
export interface SignalSystem {
  readonly market: MarketDataSource;
  readonly model: LinearModel;
  readonly codec: FeatureCodec;
  /** The cache's own connection (safe cache options from src/redis: fails fast). */
  readonly client: Redis | Cluster;
  /**
   * The harness's connection for set-up and raw step timings: same server, generous timeouts, so
   * a loaded machine slows the figures down instead of aborting the run with "Command timed out".
   */
  readonly harness: Redis | Cluster;
  readonly featureCache: FeatureCache;
  /** Cache-aside generator (the document's per-symbol loop). */
  readonly cached: SignalGenerator;
  /** The same generator with no cache at all (feature_cache=None). */
  readonly uncached: SignalGenerator;
  close(): Promise<void>;
}

export interface SignalSystemOptions {
  readonly redisUrl: string;
  readonly dataDir: string;
  readonly missExtraMs: number;
  readonly ttlSeconds: number;
  readonly clientOptions?: Partial<CacheClientOptions>;
  readonly readyTimeoutMs?: number;
  /** The service's codec by name (see createDefaultCodecRegistry). */
  readonly codec: string;
  /** Aborts simulated waits (--miss-extra-ms) on Ctrl-C. */
  readonly signal?: AbortSignal;
  /** Makes the clients for a cluster or sentinel deployment (ScenarioContext.topology.createClient). */
  readonly createClient?: (options: Partial<CacheClientOptions>) => TopologyClient;
}

/** Resolves once the client is ready; with the offline queue off, commands sent earlier would fail. */
export async function waitUntilReady(client: Redis | Cluster, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new InfraError(`the cache client did not become ready within ${timeoutMs} ms (status ${client.status})`, {
          hint: 'check that Redis is reachable from this machine',
        }),
      );
    }, timeoutMs);
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
    };
    client.on('ready', onReady);
  });
}

export async function openSignalSystem(options: SignalSystemOptions): Promise<SignalSystem> {
  const market = withAddedLatency(new ParquetStore(options.dataDir), options.missExtraMs, options.signal);
  const model = await ModelRegistry.load();
  // --topology: the scenario context's factory (Cluster / Sentinel client); otherwise one server at redisUrl.
  const connect =
    options.createClient ??
    ((clientOptions: Partial<CacheClientOptions>) => createRedisClient(options.redisUrl, clientOptions));
  const client = connect({ connectionName: 'rpb-sut-cache', ...options.clientOptions });
  const harness = connect({ connectionName: 'rpb-harness', commandTimeoutMs: 10_000, connectTimeoutMs: 10_000 });
  // ioredis emits 'error' on every failed reconnect; without a listener Node would print each one.
  client.on('error', () => {});
  harness.on('error', () => {});
  try {
    await waitUntilReady(client, options.readyTimeoutMs ?? 5_000);
    await waitUntilReady(harness, options.readyTimeoutMs ?? 5_000);
  } catch (error) {
    client.disconnect();
    harness.disconnect();
    throw error;
  }
  // Checked once, at the boundary: the scenario's `codec` tunable lists the shipped names (`--set codec=`).
  const codec = codecByName(options.codec);
  const featureCache = new FeatureCache({ client, codec, ttlSeconds: options.ttlSeconds });
  return {
    market,
    model,
    codec,
    client,
    harness,
    featureCache,
    cached: new SignalGenerator({ model, market, featureCache }),
    uncached: new SignalGenerator({ model, market, featureCache: null }),
    async close() {
      client.disconnect();
      harness.disconnect();
    },
  };
}
