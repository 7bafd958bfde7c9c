import { describe, expect, it } from 'vitest';
import { BasicCacheHealth } from './basic-cache-health.ts';

describe('BasicCacheHealth', () => {
  it('reports the FeatureCache counters, errors by kind, fallbacks and the client state', () => {
    const client = { status: 'ready' as string };
    let stats = { hits: 8, misses: 2, corrupt: 1, errors: 3, sets: 2 };
    const health = new BasicCacheHealth({ enabled: true, client: client as never, stats: () => stats });
    health.recordFallback();
    expect(health.health()).toEqual({ enabled: true, connected: true, breakerState: 'closed', hits: 8, misses: 2, fallbacks: 1, errorsByKind: { redis: 3, corrupt: 1 } });
    client.status = 'reconnecting';
    stats = { ...stats, errors: 0, corrupt: 0 };
    expect(health.health()).toMatchObject({ connected: false, errorsByKind: {} });
  });

  it('is disabled and never connected without Redis', () => {
    const health = new BasicCacheHealth({ enabled: false, client: null, stats: null });
    health.recordFallback();
    health.recordFallback();
    expect(health.health()).toEqual({ enabled: false, connected: false, breakerState: 'closed', hits: 0, misses: 0, fallbacks: 2, errorsByKind: {} });
  });
});
