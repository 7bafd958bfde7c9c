import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CacheHealthSnapshot } from '../cache/cache-health.ts';
import { silentLogger } from '../logger.ts';
import type { MarketDataSource } from '../market/market-data-source.ts';
import { inMemoryMarket as testMarket } from '../test-support/test-markets.ts';
import { ModelRegistry } from '../signals/model-registry.ts';
import { SignalGenerator } from '../signals/signal-generator.ts';
import { createServiceMetrics } from './service-metrics.ts';
import { buildSignalApp } from './signal-app.ts';

const DATE = '2025-01-17';
const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'TSLA'];

const inMemoryMarket = (): MarketDataSource => testMarket(SYMBOLS, DATE, 7);

describe('signal service HTTP routes (inject, no socket)', () => {
  let app: FastifyInstance;
  let unhealthy: FastifyInstance;
  const snapshot: CacheHealthSnapshot = {
    enabled: true,
    connected: false,
    breakerState: 'open',
    hits: 3,
    misses: 1,
    fallbacks: 2,
    errorsByKind: { timeout: 4 },
  };
  const health = { health: () => snapshot };

  beforeAll(async () => {
    const model = await ModelRegistry.load();
    const generator = new SignalGenerator({ model, market: inMemoryMarket(), featureCache: null });
    const metrics = createServiceMetrics(health);
    app = buildSignalApp({
      generator,
      model,
      health,
      metrics,
      maxSymbolsPerRequest: 10,
      bodyLimitBytes: 1_024,
      logger: silentLogger,
    });
    unhealthy = buildSignalApp({
      generator: null,
      model: null,
      health,
      metrics: createServiceMetrics(health),
      maxSymbolsPerRequest: 10,
      bodyLimitBytes: 1_024,
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    await app?.close();
    await unhealthy?.close();
  });

  const post = (payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      headers,
    });

  it('returns one signal per symbol, in order, through the generator', async () => {
    const response = await post({ symbols: ['MSFT', 'AAPL'], as_of_date: DATE });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.as_of_date).toBe(DATE);
    expect(body.model).toEqual({ name: 'alpha158-linear', version: '1.0.0' });
    expect(body.signals.map((s: { symbol: string }) => s.symbol)).toEqual(['MSFT', 'AAPL']);
    expect(
      body.signals.every((s: { score: number; source: string }) => Number.isFinite(s.score) && s.source === 'computed'),
    ).toBe(true);
    expect(body.cache).toEqual({ enabled: false, hits: 0, misses: 0, errors: 0 });
  });

  it.each([
    ['an invalid symbol', { symbols: ['aapl'], as_of_date: DATE }, /invalid symbol "aapl"/],
    ['a duplicated symbol', { symbols: ['AAPL', 'AAPL'], as_of_date: DATE }, /Duplicate symbol "AAPL"/],
    ['an unknown symbol', { symbols: ['ZZZZ'], as_of_date: DATE }, /no market data for ZZZZ/],
    ['an impossible date', { symbols: ['AAPL'], as_of_date: '2025-02-30' }, /2025-02-30/],
    ['a date that is not a string', { symbols: ['AAPL'], as_of_date: 20250117 }, /as_of_date must be a date string/],
    ['no symbols', { symbols: [], as_of_date: DATE }, /at least one symbol/],
    [
      'too many symbols',
      { symbols: Array.from({ length: 11 }, (_, i) => `S${i}`), as_of_date: DATE },
      /at most 10 symbols/,
    ],
    ['a missing field', { symbols: ['AAPL'] }, /as_of_date is required/],
    ['an unknown field', { symbols: ['AAPL'], as_of_date: DATE, extra: 1 }, /unknown field\(s\) "extra"/],
    ['a JSON array body', ['AAPL'], /must be a JSON object/],
  ])('answers 400 with a message for %s', async (_name, payload, message) => {
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
  });

  it('answers 400 for malformed JSON and an empty body, 415 for another content type, 413 above the body limit', async () => {
    const malformed = await post('{"symbols": [');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({
      error: 'invalid-request',
      message: expect.stringMatching(/not valid JSON/),
    });
    const empty = await post('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toMatch(/body is empty/);
    const text = await post('symbols=AAPL', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(text.json().message).toMatch(/Content-Type: application\/json/);
    const large = await post({ symbols: ['AAPL'], as_of_date: DATE, padding: 'x'.repeat(2_000) });
    expect(large.statusCode).toBe(413);
    expect(large.json()).toMatchObject({
      error: 'body-too-large',
      message: expect.stringMatching(/larger than 1024 bytes/),
    });
  });

  it('answers 404 with the list of routes for an unknown path', async () => {
    const response = await app.inject({ method: 'GET', url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/POST \/api\/v1\/signals/);
  });

  it("serves the document's health fields plus breaker state and hit rate, timestamp in UTC", async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      status: 'healthy',
      model_loaded: true,
      redis_enabled: true,
      redis_connected: false,
      breaker_state: 'open',
      hit_rate: 0.75,
    });
    expect(body.cache).toEqual({ hits: 3, misses: 1, fallbacks: 2, errors_by_kind: { timeout: 4 } });
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(body.timestamp) - Date.now())).toBeLessThan(60_000);
  });

  it('is unhealthy (503) without a model, and refuses signal requests with 503', async () => {
    const healthResponse = await unhealthy.inject({ method: 'GET', url: '/health' });
    expect(healthResponse.statusCode).toBe(503);
    expect(healthResponse.json()).toMatchObject({ status: 'unhealthy', model_loaded: false });
    const signals = await unhealthy.inject({
      method: 'POST',
      url: '/api/v1/signals',
      payload: { symbols: ['AAPL'], as_of_date: DATE },
    });
    expect(signals.statusCode).toBe(503);
    expect(signals.json().error).toBe('model-not-loaded');
  });

  it('exposes Prometheus metrics: cache counters, breaker state, connected and the request histogram', async () => {
    await post({ symbols: ['AAPL'], as_of_date: DATE });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(text).toMatch(/^# TYPE rpb_cache_hits_total counter$/m);
    expect(text).toMatch(/^rpb_cache_hits_total 3$/m);
    expect(text).toMatch(/^rpb_cache_misses_total 1$/m);
    expect(text).toMatch(/^rpb_cache_fallbacks_total 2$/m);
    expect(text).toMatch(/^rpb_cache_errors_total\{kind="timeout"\} 4$/m);
    expect(text).toMatch(/^rpb_cache_hit_ratio 0\.75$/m);
    expect(text).toMatch(/^rpb_cache_breaker_state\{state="open"\} 1$/m);
    expect(text).toMatch(/^rpb_cache_breaker_state\{state="closed"\} 0$/m);
    expect(text).toMatch(/^rpb_redis_connected 0$/m);
    expect(text).toMatch(/^rpb_redis_enabled 1$/m);
    expect(text).toMatch(/^# TYPE rpb_redis_command_duration_seconds histogram$/m);
    expect(text).toMatch(
      /^rpb_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/signals",status_code="200"\} [1-9]\d*$/m,
    );
    // Every sample line is `name{labels} value`: the exposition format Prometheus parses.
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/);
    }
  });
});
