import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import type { LogFields, Logger } from '../logger.ts';
import type { MarketDataSource } from '../market/market-data-source.ts';
import { getHealth as health, postSignals as post } from '../test-support/signal-service-http.ts';
import type { TestRedis } from '../test-support/start-redis.ts';
import { startTestRedis } from '../test-support/start-redis.ts';
import { inMemoryMarket as testMarket } from '../test-support/test-markets.ts';
import { parseServiceConfig } from './service-config.ts';
import type { SignalService } from './signal-service.ts';
import { startSignalService } from './signal-service.ts';

// The service's default cache path is the resilient one: /health and /metrics must show its real
// circuit breaker while Redis dies and comes back, and every request must still be answered.

const DATE = '2025-01-17';
const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'TSLA'];

const inMemoryMarket = (): MarketDataSource => testMarket(SYMBOLS, DATE, 5);

async function postSignals(service: SignalService): Promise<{ status: number; sources: string[] }> {
  const { status, body } = await post(service, SYMBOLS, DATE);
  return { status, sources: (body.signals ?? []).map((s) => s.source) };
}

/** The breaker gauge as { closed, open, 'half-open' } from /metrics. */
async function breakerGauge(service: SignalService): Promise<Record<string, number>> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const gauge: Record<string, number> = {};
  for (const match of text.matchAll(/^rpb_cache_breaker_state\{state="([a-z-]+)"\} (\d+)$/gm))
    gauge[match[1]!] = Number(match[2]);
  return gauge;
}

/** Sends requests (each must succeed, computed or cached) until `done` holds; bounded in time and count. */
async function requestUntil(service: SignalService, done: () => Promise<boolean>, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let sent = 1; sent <= 500; sent++) {
    const answer = await postSignals(service);
    expect(answer.status).toBe(200);
    expect(answer.sources).toHaveLength(SYMBOLS.length);
    if (await done()) return sent;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached in time');
}

async function start(redisUrl: string, logger: Logger = silentLogger): Promise<SignalService> {
  // A 3 s open period keeps the open state visible on a slow machine; a reconnection still probes at once.
  const config = parseServiceConfig({
    REDIS_URL: redisUrl,
    PORT: '0',
    SHUTDOWN_GRACE_MS: '1000',
    REDIS_BREAKER_OPEN_MS: '3000',
  });
  return startSignalService(config, { logger, market: inMemoryMarket(), startupCheckMs: 2_000 });
}

describe('signal service breaker state while Redis fails', () => {
  const servers: TestRedis[] = [];
  let service: SignalService | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
    for (const server of servers.splice(0)) await server.stop();
  });

  it('shows the breaker open in /health and /metrics after Redis is killed, and closed again after a restart', async () => {
    const redis = await startTestRedis();
    servers.push(redis);
    service = await start(redis.url);
    const s = service;
    await postSignals(s);
    expect((await postSignals(s)).sources).toEqual(SYMBOLS.map(() => 'cache'));
    expect(await health(s)).toMatchObject({ redis_connected: true, breaker_state: 'closed' });
    expect(await breakerGauge(s)).toEqual({ closed: 1, open: 0, 'half-open': 0 });

    await redis.kill();
    await requestUntil(s, async () => (await health(s)).breaker_state === 'open');
    const down = await health(s);
    expect(down).toMatchObject({ status: 'healthy', redis_connected: false, breaker_state: 'open' });
    expect(down.cache.fallbacks).toBeGreaterThan(0);
    expect(down.cache.errors_by_kind['breaker-open']).toBeGreaterThan(0);
    await requestUntil(s, async () => (await breakerGauge(s)).open === 1);
    expect(await breakerGauge(s)).toMatchObject({ closed: 0, open: 1 });

    // Same port: the service's client finds it by reconnecting in the background.
    servers.push(await startTestRedis({ port: redis.port }));
    await requestUntil(s, async () => {
      const now = await health(s);
      return now.redis_connected === true && now.breaker_state === 'closed';
    });
    expect(await breakerGauge(s)).toEqual({ closed: 1, open: 0, 'half-open': 0 });
    // The restarted Redis is empty: one request fills it, the next is served from it.
    await postSignals(s);
    expect((await postSignals(s)).sources).toEqual(SYMBOLS.map(() => 'cache'));
  });

  it('opens the breaker when Redis hangs (SIGSTOP) and closes it after SIGCONT', async () => {
    const redis = await startTestRedis();
    servers.push(redis);
    service = await start(redis.url);
    const s = service;
    await postSignals(s);

    redis.pause();
    try {
      await requestUntil(s, async () => (await health(s)).breaker_state === 'open');
      expect((await health(s)).cache.errors_by_kind.timeout).toBeGreaterThan(0);
    } finally {
      redis.resume();
    }
    await requestUntil(s, async () => (await health(s)).breaker_state === 'closed');
    expect((await breakerGauge(s)).closed).toBe(1);
    await requestUntil(s, async () => (await postSignals(s)).sources.every((source) => source === 'cache'));
  });

  it('logs a failing Redis at a bounded rate: warning lines per kind per second, with the suppressed count, not one per request', async () => {
    const lines: { level: string; atMs: number; fields: LogFields | undefined }[] = [];
    const capture = (level: string) => (_message: string, fields?: LogFields) =>
      lines.push({ level, atMs: performance.now(), fields });
    const logger: Logger = { debug: () => {}, info: () => {}, warn: capture('warn'), error: capture('error') };
    const redis = await startTestRedis();
    servers.push(redis);
    service = await start(redis.url, logger);
    await postSignals(service);
    await redis.kill();
    const startedMs = performance.now();
    let requests = 0;
    while (performance.now() - startedMs < 1_500 && requests < 300) {
      expect((await postSignals(service)).status).toBe(200);
      requests += 1;
    }
    await service.close();
    service = undefined;
    const warnings = lines.filter((l) => l.level === 'warn' || l.level === 'error');
    expect(requests).toBeGreaterThan(10);
    expect(warnings.length).toBeGreaterThan(0);
    // Each request fails at least one cache call; the log holds far fewer lines, some with a count.
    expect(warnings.length).toBeLessThan(requests);
    expect(warnings.some((l) => typeof l.fields?.suppressed === 'number' && l.fields.suppressed > 0)).toBe(true);
  });
});
