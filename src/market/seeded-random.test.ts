import { describe, expect, it } from 'vitest';
import { SeededRandom, fnv1a32 } from './seeded-random.ts';

function draw(rng: SeededRandom, count: number): number[] {
  return Array.from({ length: count }, () => rng.nextUint32());
}

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed and key', () => {
    expect(draw(SeededRandom.forKey(42, 'AAPL'), 100)).toEqual(draw(SeededRandom.forKey(42, 'AAPL'), 100));
    expect(draw(new SeededRandom(7), 100)).toEqual(draw(new SeededRandom(7), 100));
  });

  it('gives different streams for different seeds, keys and seed halves', () => {
    const base = draw(SeededRandom.forKey(42, 'AAPL'), 20);
    expect(draw(SeededRandom.forKey(43, 'AAPL'), 20)).not.toEqual(base);
    expect(draw(SeededRandom.forKey(42, 'MSFT'), 20)).not.toEqual(base);
    expect(draw(SeededRandom.forKey(42 + 2 ** 32, 'AAPL'), 20)).not.toEqual(base);
    expect(draw(new SeededRandom(-1), 20)).not.toEqual(draw(new SeededRandom(2 ** 32 - 1), 20));
  });

  it('matches the xoshiro128** reference step for a known state', () => {
    // With state (1, 2, 3, 4) the first output is rotl(2 * 5, 7) * 9 = 11520, per the C reference.
    const rng = new SeededRandom(0) as unknown as {
      s0: number;
      s1: number;
      s2: number;
      s3: number;
      nextUint32(): number;
    };
    Object.assign(rng, { s0: 1, s1: 2, s2: 3, s3: 4 });
    expect(rng.nextUint32()).toBe(11520);
  });

  it('keeps nextFloat in [0, 1) with a mean near 0.5', () => {
    const rng = new SeededRandom(1);
    let sum = 0;
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.nextFloat();
      if (!(x >= 0 && x < 1)) outOfRange++;
      sum += x;
    }
    expect(outOfRange).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('produces standard normal Gaussians (mean ~0, variance ~1)', () => {
    const rng = SeededRandom.forKey(3, 'gauss');
    const n = 200_000;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.nextGaussian();
      sum += z;
      sumSquares += z * z;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sumSquares / n - mean * mean - 1)).toBeLessThan(0.02);
  });

  it('bounds nextInt and rejects bad bounds and seeds', () => {
    const rng = new SeededRandom(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.nextInt(6));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => rng.nextInt(0)).toThrow(RangeError);
    expect(() => new SeededRandom(1.5)).toThrow(RangeError);
    expect(() => SeededRandom.forKey(Number.NaN, 'x')).toThrow(RangeError);
  });

  it('hashes with FNV-1a 32 (reference vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('SeededRandom.shuffled', () => {
  it('returns a permutation, the same for the same seed, leaving the input alone', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const a = new SeededRandom(7).shuffled(items);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(a).not.toEqual(items);
    expect(new SeededRandom(7).shuffled(items)).toEqual(a);
    expect(new SeededRandom(8).shuffled(items)).not.toEqual(a);
    expect(items[0]).toBe(0);
  });
});
