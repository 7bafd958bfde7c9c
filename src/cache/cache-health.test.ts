import { describe, expect, it } from 'vitest';
import { hitRate } from './cache-health.ts';

describe('hitRate', () => {
  it('is null before any lookup and hits / lookups after', () => {
    expect(hitRate({ hits: 0, misses: 0 })).toBeNull();
    expect(hitRate({ hits: 3, misses: 1 })).toBe(0.75);
    expect(hitRate({ hits: 0, misses: 4 })).toBe(0);
  });
});
