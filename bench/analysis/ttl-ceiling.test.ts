import { describe, expect, it } from 'vitest';
import { ttlCeilingHitRatio } from './ttl-ceiling.ts';

describe('TTL ceiling', () => {
  it('is 1 / (1 + lambda TTL) misses for one key, and 1 without a TTL', () => {
    // One key at 9 requests per TTL: 1 miss per 10 requests.
    expect(ttlCeilingHitRatio(1, 0.99, 1, 0.99, 9, 1)).toBeCloseTo(0.9, 12);
    expect(ttlCeilingHitRatio(500, 0.99, 20, 0.99, 1_000, 0)).toBe(1);
  });
  it('falls as the key space grows against the requests per TTL', () => {
    const small = ttlCeilingHitRatio(100, 0.99, 10, 0.99, 100, 60);
    const large = ttlCeilingHitRatio(5_000, 0.99, 250, 0.99, 100, 60);
    expect(large).toBeLessThan(small);
    expect(large).toBeGreaterThan(0);
  });
});
