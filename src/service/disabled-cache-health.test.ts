import { describe, expect, it } from 'vitest';
import { DisabledCacheHealth } from './disabled-cache-health.ts';

describe('DisabledCacheHealth', () => {
  it('is disabled and never connected, and counts every request as a fallback', () => {
    const health = new DisabledCacheHealth();
    expect(health.health()).toEqual({
      enabled: false,
      connected: false,
      breakerState: 'closed',
      hits: 0,
      misses: 0,
      fallbacks: 0,
      errorsByKind: {},
    });
    health.recordFallback();
    health.recordFallback();
    expect(health.health().fallbacks).toBe(2);
  });
});
