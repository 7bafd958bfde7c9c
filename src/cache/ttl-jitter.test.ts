import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../market/seeded-random.ts';
import { jitteredTtlSeconds } from './ttl-jitter.ts';

describe('jitteredTtlSeconds', () => {
  it('returns the TTL unchanged without jitter', () => {
    expect(jitteredTtlSeconds(3_600, 0, () => 0.99)).toBe(3_600);
  });

  it('stays within [ttl x (1 - fraction), ttl] at both ends of the random range', () => {
    expect(jitteredTtlSeconds(3_600, 0.1, () => 0)).toBe(3_600);
    expect(jitteredTtlSeconds(3_600, 0.1, () => 0.999_999)).toBe(3_241);
  });

  it('spreads expiries: many draws cover the window and never leave it', () => {
    const rng = new SeededRandom(1);
    const ttls = Array.from({ length: 2_000 }, () => jitteredTtlSeconds(1_000, 0.2, () => rng.nextFloat()));
    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(1_000);
    expect(new Set(ttls).size).toBeGreaterThan(150);
  });

  it('never returns less than 1 s', () => {
    expect(jitteredTtlSeconds(1, 0.9, () => 0.999)).toBe(1);
  });

  it('rejects impossible inputs', () => {
    expect(() => jitteredTtlSeconds(0, 0.1)).toThrow(/ttlSeconds/);
    expect(() => jitteredTtlSeconds(10, 1)).toThrow(/jitterFraction/);
    expect(() => jitteredTtlSeconds(10, -0.1)).toThrow(/jitterFraction/);
  });
});
