import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import type { MarketDataSource } from '../market/market-data-source.ts';
import { getHealth as health, postSignals as post } from '../test-support/signal-service-http.ts';
import type { TestRedis } from '../test-support/start-redis.ts';
import { startTestRedis } from '../test-support/start-redis.ts';
import { inMemoryMarket as testMarket } from '../test-support/test-markets.ts';
import { parseServiceConfig } from './service-config.ts';
import type { SignalService } from './signal-service.ts';
import { startSignalService } from './signal-service.ts';

const DATE = '2025-01-17';
const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'TSLA'];

const inMemoryMarket = (): MarketDataSource => testMarket(SYMBOLS, DATE, 11);
const postSignals = (service: SignalService, symbols: readonly string[]) => post(service, symbols, DATE);

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('signal service over a socket with a real Redis', () => {
  let redis: TestRedis;
  let service: SignalService;

  beforeAll(async () => {
    redis = await startTestRedis();
    const config = parseServiceConfig({ REDIS_URL: redis.url, PORT: '0', SHUTDOWN_GRACE_MS: '1000' });
    service = await startSignalService(config, { logger: silentLogger, market: inMemoryMarket() });
  });
  afterAll(async () => {
    await service?.close();
    await redis?.stop();
  });

  it('serves from the cache on the second request and keeps serving (computed) after Redis is killed', async () => {
    const first = await postSignals(service, SYMBOLS);
    expect(first.status).toBe(200);
    expect(first.body.cache).toMatchObject({ enabled: true, hits: 0, misses: 5 });
    const second = await postSignals(service, SYMBOLS);
    expect(second.body.signals.every((s: { source: string }) => s.source === 'cache')).toBe(true);
    expect(second.body.signals.map((s: { score: number }) => s.score)).toEqual(
      first.body.signals.map((s: { score: number }) => s.score),
    );
    expect(await health(service)).toMatchObject({
      status: 'healthy',
      redis_enabled: true,
      redis_connected: true,
      hit_rate: 0.5,
    });

    await redis.kill();
    await eventually(async () => (await health(service)).redis_connected === false);
    const degraded = await postSignals(service, SYMBOLS);
    expect(degraded.status).toBe(200);
    expect(degraded.body.signals.every((s: { source: string }) => s.source === 'computed')).toBe(true);
    expect(degraded.body.signals.map((s: { score: number }) => s.score)).toEqual(
      first.body.signals.map((s: { score: number }) => s.score),
    );
    const after = await health(service);
    expect(after).toMatchObject({ status: 'healthy', redis_connected: false });
    expect(after.cache.fallbacks).toBeGreaterThanOrEqual(1);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/^rpb_redis_connected 0$/m);
    expect(metrics).toMatch(/^rpb_redis_command_duration_seconds_count\{operation="get",outcome="error"\} [1-9]/m);
  });
});

describe('signal service started with Redis absent', () => {
  it('starts, serves computed signals and reports redis_connected false', async () => {
    // A port that was just free: nothing listens there (never the machine's 6379).
    const redis = await startTestRedis();
    const deadUrl = redis.url;
    await redis.stop();
    const service = await startSignalService(parseServiceConfig({ REDIS_URL: deadUrl, PORT: '0' }), {
      logger: silentLogger,
      market: inMemoryMarket(),
      startupCheckMs: 300,
    });
    try {
      const response = await postSignals(service, ['AAPL']);
      expect(response.status).toBe(200);
      expect(response.body.signals[0].source).toBe('computed');
      expect(response.body.cache.errors).toBeGreaterThanOrEqual(1);
      expect(await health(service)).toMatchObject({
        status: 'healthy',
        redis_enabled: true,
        redis_connected: false,
        breaker_state: 'closed',
      });
    } finally {
      await service.close();
    }
  });
});

describe('signal service shutdown', () => {
  it('lets an in-flight request finish, then refuses new connections', async () => {
    const market = inMemoryMarket();
    const slow: MarketDataSource = {
      readSeries: async (symbol) => {
        await new Promise((r) => setTimeout(r, 400));
        return market.readSeries(symbol);
      },
    };
    const service = await startSignalService(
      parseServiceConfig({ REDIS_ENABLED: 'false', PORT: '0', SHUTDOWN_GRACE_MS: '5000' }),
      { logger: silentLogger, market: slow },
    );
    const inFlight = postSignals(service, ['AAPL']);
    await new Promise((r) => setTimeout(r, 100));
    const closing = service.close();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.signals[0].symbol).toBe('AAPL');
    const started = Date.now();
    await closing;
    // Well before the 5 s grace: the answered keep-alive connection is closed as soon as it is idle.
    expect(Date.now() - started).toBeLessThan(4_000);
    await expect(fetch(`${service.url}/health`)).rejects.toThrow();
  });
});
