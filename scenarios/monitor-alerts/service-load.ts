/** The signal service at its load, and the Redis connections it holds meanwhile (the document's "expected: 5-10"). */
import type { Redis } from 'ioredis';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { silentLogger } from '../../src/logger.ts';
import { parseServiceConfig } from '../../src/service/service-config.ts';
import type { SignalService } from '../../src/service/signal-service.ts';
import { startSignalService } from '../../src/service/signal-service.ts';

/** Connection names of the harness's own clients: not part of the system under test. */
export const HARNESS_CLIENT_NAMES: readonly string[] = ['rpb-admin', 'rpb-monitor'];

/** Connections in a CLIENT LIST reply whose name is not one of `excluded`. */
export function countClientsExcept(listText: string, excluded: readonly string[]): number {
  return listText
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => !excluded.includes(/(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')).length;
}

export async function clientsExcept(admin: Redis, excluded: readonly string[]): Promise<number> {
  return countClientsExcept(String(await admin.client('LIST')), excluded);
}

/** A running service and the request body its load sends (cached once it has been asked once). */
export interface LoadedService {
  readonly service: SignalService;
  readonly body: string;
}

export async function startService(redisUrl: string, marketDataDir: string, body: string): Promise<LoadedService> {
  const service = await startSignalService(
    parseServiceConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MARKET_DATA_DIR: marketDataDir,
      REDIS_URL: redisUrl,
      MAX_SYMBOLS: '5',
      SHUTDOWN_GRACE_MS: '2000',
    }),
    { logger: silentLogger },
  );
  try {
    // The first request computes and caches the features, so the load's requests are all hits.
    await post(service.url, body);
  } catch (error) {
    await service.close();
    throw error;
  }
  return { service, body };
}

async function post(url: string, body: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/signals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(5_000),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`signal request answered HTTP ${response.status}`);
}

export interface LoadSamples {
  readonly requests: number;
  readonly failed: number;
  /** Connections other than the harness's, one sample every `sampleMs` while the load ran. */
  readonly clients: readonly number[];
}

/** `connections` closed loops of requests for `durationMs`, CLIENT LIST sampled meanwhile. */
export async function loadAndSample(
  loaded: LoadedService,
  admin: Redis,
  options: { readonly durationMs: number; readonly connections: number; readonly sampleMs: number },
  signal: AbortSignal,
): Promise<LoadSamples> {
  const endMs = performance.now() + options.durationMs;
  let requests = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < endMs && !signal.aborted) {
      requests += 1;
      await post(loaded.service.url, loaded.body).catch(() => {
        failed += 1;
      });
    }
  };
  const clients: number[] = [];
  const sampler = async (): Promise<void> => {
    while (performance.now() < endMs && !signal.aborted) {
      clients.push(await clientsExcept(admin, HARNESS_CLIENT_NAMES));
      await sleepMs(options.sampleMs, signal);
    }
  };
  await Promise.all([...Array.from({ length: options.connections }, worker), sampler()]);
  return { requests, failed, clients };
}
