import { describe, expect, it } from 'vitest';
import type { LogFields } from '../logger.ts';
import { createRateLimitedLogger } from '../logger.ts';
import type { FeatureStore } from '../signals/signal-generator.ts';
import {
  CacheUnavailableError,
  cacheFailureKindOf,
  cacheWarningKind,
  classifyCacheError,
  ResilientFeatureCache,
} from './resilient-feature-cache.ts';

const VECTOR = Float64Array.from([1, 2, 3]);

function fakeConnection() {
  const readyListeners: (() => void)[] = [];
  return {
    status: 'ready',
    drops: 0,
    readyListeners,
    disconnect(reconnect?: boolean) {
      this.drops += reconnect === true ? 1 : 0;
    },
    on(_event: 'ready', listener: () => void) {
      readyListeners.push(listener);
    },
  };
}

function storeWith(
  get: FeatureStore['get'],
  set: FeatureStore['set'] = async () => {},
): FeatureStore & { calls: number } {
  const store = {
    calls: 0,
    get: (s: string, d: string) => {
      store.calls += 1;
      return get(s, d);
    },
    set,
    getMany: async () => [],
    setMany: async () => {},
  };
  return store;
}

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof CacheUnavailableError ? error.kind : 'foreign';
  }
}

describe('ResilientFeatureCache', () => {
  it('counts hits and misses and reports a healthy closed circuit', async () => {
    let value: Float64Array | null = VECTOR;
    const cache = new ResilientFeatureCache(
      storeWith(async () => value),
      fakeConnection(),
    );
    expect(await cache.get('A', '2025-01-17')).toBe(VECTOR);
    value = null;
    expect(await cache.get('A', '2025-01-17')).toBeNull();
    expect(cache.health()).toEqual({
      enabled: true,
      connected: true,
      breakerState: 'closed',
      hits: 1,
      misses: 1,
      fallbacks: 0,
      errorsByKind: {},
    });
  });

  it('gives up a call at callTimeoutMs even when the store never answers, and drops the connection', async () => {
    const connection = fakeConnection();
    const cache = new ResilientFeatureCache(
      storeWith(() => new Promise(() => {})),
      connection,
      { callTimeoutMs: 20 },
    );
    const started = performance.now();
    expect(await kindOf(cache.get('A', '2025-01-17'))).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(connection.drops).toBe(1);
    expect(cache.health().errorsByKind).toEqual({ timeout: 1 });
    expect(cache.health().fallbacks).toBe(1);
    // One reset per connection: more timeouts before it is ready again do not drop it again.
    expect(await kindOf(cache.get('A', '2025-01-17'))).toBe('timeout');
    expect(connection.drops).toBe(1);
    for (const ready of connection.readyListeners) ready();
    expect(await kindOf(cache.get('A', '2025-01-17'))).toBe('timeout');
    expect(connection.drops).toBe(2);
  });

  it('opens after the failure threshold: later calls are refused without touching the store', async () => {
    const store = storeWith(async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    });
    const cache = new ResilientFeatureCache(store, fakeConnection(), {
      breaker: { failureThreshold: 2, openDurationMs: 60_000 },
    });
    expect(await kindOf(cache.get('A', 'd'))).toBe('connection');
    expect(await kindOf(cache.get('A', 'd'))).toBe('connection');
    expect(await kindOf(cache.get('A', 'd'))).toBe('breaker-open');
    expect(await kindOf(cache.get('A', 'd'))).toBe('breaker-open');
    expect(store.calls).toBe(2);
    expect(cache.health()).toMatchObject({
      breakerState: 'open',
      fallbacks: 4,
      errorsByKind: { connection: 2, 'breaker-open': 2 },
    });
  });

  it('closes again once a half-open probe succeeds', async () => {
    let nowMs = 0;
    let down = true;
    const store = storeWith(async () => {
      if (down) throw new Error('Connection is closed.');
      return VECTOR;
    });
    const cache = new ResilientFeatureCache(store, fakeConnection(), {
      breaker: { failureThreshold: 1, openDurationMs: 100, clock: () => nowMs },
    });
    expect(await kindOf(cache.get('A', 'd'))).toBe('connection');
    expect(cache.health().breakerState).toBe('open');
    down = false;
    expect(await kindOf(cache.get('A', 'd'))).toBe('breaker-open');
    nowMs = 100;
    expect(cache.health().breakerState).toBe('half-open');
    expect(await cache.get('A', 'd')).toBe(VECTOR);
    expect(cache.health().breakerState).toBe('closed');
  });

  it("the connection's 'ready' lets a probe through at once instead of after the open wait", async () => {
    let down = true;
    const connection = fakeConnection();
    const store = storeWith(async () => {
      if (down) throw new Error('Connection is closed.');
      return VECTOR;
    });
    const cache = new ResilientFeatureCache(store, connection, {
      breaker: { failureThreshold: 1, openDurationMs: 60_000 },
    });
    expect(await kindOf(cache.get('A', 'd'))).toBe('connection');
    expect(await kindOf(cache.get('A', 'd'))).toBe('breaker-open');
    down = false;
    for (const ready of connection.readyListeners) ready();
    expect(await cache.get('A', 'd')).toBe(VECTOR);
    expect(cache.health().breakerState).toBe('closed');
  });

  it('an error reply (OOM) is counted but does not trip the breaker: the connection works', async () => {
    const oom = Object.assign(new Error("OOM command not allowed when used memory > 'maxmemory'."), {
      name: 'ReplyError',
    });
    const cache = new ResilientFeatureCache(
      storeWith(
        async () => null,
        async () => {
          throw oom;
        },
      ),
      fakeConnection(),
      { breaker: { failureThreshold: 1 } },
    );
    for (let i = 0; i < 3; i++) expect(await kindOf(cache.set('A', 'd', VECTOR))).toBe('oom');
    expect(cache.health()).toMatchObject({ breakerState: 'closed', fallbacks: 0, errorsByKind: { oom: 3 } });
  });

  it('classifies what ioredis and sockets throw', () => {
    expect(classifyCacheError(new Error('Command timed out'))).toBe('timeout');
    expect(classifyCacheError(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(
      'connection',
    );
    expect(classifyCacheError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('connection');
    expect(classifyCacheError(Object.assign(new Error('WRONGTYPE Operation'), { name: 'ReplyError' }))).toBe('server');
    expect(classifyCacheError(new RangeError('bad vector'))).toBe('other');
  });

  it("tags its errors' messages with their kind, and cacheWarningKind reads the kind back from a log line", async () => {
    const store = storeWith(async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    });
    const cache = new ResilientFeatureCache(store, fakeConnection(), { breaker: { failureThreshold: 1 } });
    const errors: unknown[] = [];
    for (let i = 0; i < 2; i++) await cache.get('A', 'd').catch((error: unknown) => errors.push(error));
    const messages = errors.map((e) => (e as Error).message);
    expect(messages[0]).toMatch(/^\[connection\] cache get failed: connect ECONNREFUSED/);
    expect(messages[1]).toMatch(/^\[breaker-open\] /);
    expect(messages.map((error) => cacheWarningKind('Cache call failed', { error }))).toEqual([
      'connection',
      'breaker-open',
    ]);
    expect(errors.map(cacheFailureKindOf)).toEqual(['connection', 'breaker-open']);
  });

  it('cacheWarningKind: the kind field first, then the error text sorted; undefined for a line about no error', () => {
    expect(cacheWarningKind('x', { kind: 'oom', error: 'Command timed out' })).toBe('oom');
    expect(cacheWarningKind('x', { error: 'Command timed out' })).toBe('timeout');
    expect(cacheWarningKind('x', { error: "OOM command not allowed when used memory > 'maxmemory'." })).toBe('oom');
    expect(cacheWarningKind('x', { error: 'Reached the max retries per request limit (which is 20).' })).toBe(
      'connection',
    );
    expect(cacheWarningKind('Cache circuit breaker state change', { from: 'closed', to: 'open' })).toBeUndefined();
    expect(cacheWarningKind('x', undefined)).toBeUndefined();
  });

  it('behind a rate-limited logger, a storm of failed calls logs one line per kind, not one per call', async () => {
    const lines: LogFields[] = [];
    const sink = { debug() {}, info() {}, warn: (_m: string, f?: LogFields) => lines.push(f ?? {}), error() {} };
    const logger = createRateLimitedLogger(sink, { kindOf: cacheWarningKind });
    const store = storeWith(async () => {
      throw new Error('Connection is closed.');
    });
    const cache = new ResilientFeatureCache(store, fakeConnection(), { breaker: { failureThreshold: 3 } });
    for (let i = 0; i < 1_000; i++) {
      // As the SignalGenerator does for every failed cache call.
      await cache.get('A', 'd').catch((error: unknown) => {
        logger.warn('Cache call failed; continuing without the cache', { error: (error as Error).message });
      });
    }
    expect(lines.map((f) => f.kind)).toEqual(['connection', 'breaker-open']);
    logger.close();
    // Each line held back stands for itself: 3 connection failures, 997 refusals, every one accounted for.
    expect(lines.map((f) => f.suppressed)).toEqual([undefined, undefined, 1, 995]);
  });
});

describe('ResilientFeatureCache.checkConnection (the health check)', () => {
  const store = (): FeatureStore => storeWith(async () => VECTOR);

  it('asks Redis: a PONG is healthy, a PING that never answers is not (within the call timeout), an error is not', async () => {
    const answering = { ...fakeConnection(), ping: async () => 'PONG' };
    expect(await new ResilientFeatureCache(store(), answering).checkConnection()).toBe(true);
    // Paused or black-holed: the socket is open ('ready') and the PING hangs.
    const hanging = { ...fakeConnection(), ping: () => new Promise<string>(() => undefined) };
    const started = performance.now();
    expect(await new ResilientFeatureCache(store(), hanging, { callTimeoutMs: 30 }).checkConnection()).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
    const failing = { ...fakeConnection(), ping: async () => Promise.reject(new Error('Connection is closed.')) };
    expect(await new ResilientFeatureCache(store(), failing).checkConnection()).toBe(false);
  });

  it('says not connected without asking while the connection is not ready', async () => {
    let pings = 0;
    const down = {
      ...fakeConnection(),
      status: 'reconnecting',
      ping: async () => {
        pings += 1;
        return 'PONG';
      },
    };
    expect(await new ResilientFeatureCache(store(), down).checkConnection()).toBe(false);
    expect(pings).toBe(0);
  });
});
