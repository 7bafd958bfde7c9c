import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('starts with one burst window of the rate and refills at the rate', () => {
    const bucket = new TokenBucket(100, 0);
    expect(bucket.capacity).toBe(100 * TokenBucket.burstMs);
    expect(bucket.available(0)).toBe(2_000);
    bucket.take(2_000);
    expect(bucket.available(0)).toBe(0);
    expect(bucket.available(5)).toBe(500);
    expect(bucket.msUntil(1_000, 5)).toBeCloseTo(5);
  });

  it('caps credit earned while idle at the capacity', () => {
    const bucket = new TokenBucket(100, 0);
    expect(bucket.available(60_000)).toBe(2_000);
  });

  it('keeps credit earned while a sender waited on it, so a late timer does not lower the rate', () => {
    const bucket = new TokenBucket(100, 0);
    bucket.take(2_000);
    expect(bucket.available(50, true)).toBe(5_000);
  });

  it('never asks to wait for more than it can hold, and still moves at a tiny rate', () => {
    const bucket = new TokenBucket(0.001, 0);
    expect(bucket.capacity).toBe(1);
    bucket.take(1);
    expect(bucket.msUntil(10_000, 0)).toBeCloseTo(1_000);
  });

  it('counts bytes earned before a rate change at the old rate', () => {
    const bucket = new TokenBucket(100, 0);
    bucket.take(2_000);
    bucket.setRate(10, 10);
    // 10 ms at 100 B/ms = 1000 B, capped to the new capacity of 200 B.
    expect(bucket.available(10)).toBe(200);
  });
});
