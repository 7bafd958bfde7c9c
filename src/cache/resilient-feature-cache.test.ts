import { describe, expect, it } from 'vitest';
import type { FeatureStore } from '../signals/signal-generator.ts';
import { CacheUnavailableError, classifyCacheError, ResilientFeatureCache } from './resilient-feature-cache.ts';

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
});
