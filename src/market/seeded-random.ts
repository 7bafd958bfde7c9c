/**
 * Small, fast, seeded PRNG so that generated market data and load schedules are reproducible
 * from a seed. Not cryptographic.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c),
 * its 128-bit state filled by splitmix32 (https://github.com/bryc/code/blob/master/jshash/PRNGs.md).
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second Box–Muller variate, kept so that Gaussians cost one transform per pair. */
  private spareGaussian: number | undefined;

  /** `seed` is any safe integer; both of its 32-bit halves feed the state. */
  constructor(seed: number) {
    assertSeed(seed);
    const low = seed >>> 0;
    const high = Math.floor(Math.abs(seed) / 2 ** 32) >>> 0;
    this.s0 = 0;
    this.s1 = 0;
    this.s2 = 0;
    this.s3 = 0;
    this.seedState(low, high ^ (seed < 0 ? 0x80000000 : 0));
  }

  /**
   * An independent stream for `key` (a symbol, a worker id, ...) under `seed`, so that one
   * symbol's data does not change when other symbols are added or generated in another order.
   */
  static forKey(seed: number, key: string): SeededRandom {
    assertSeed(seed);
    const rng = new SeededRandom(seed);
    // Two differently-based FNV-1a hashes give 64 bits of key entropy for the state.
    const keyLow = fnv1a32(key, FNV_OFFSET_BASIS);
    const keyHigh = fnv1a32(key, FNV_OFFSET_BASIS ^ 0x5bd1e995);
    rng.seedState(rng.nextUint32() ^ keyLow, rng.nextUint32() ^ keyHigh);
    return rng;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  }

  /** Uniform in [min, max). */
  nextRange(min: number, max: number): number {
    return min + (max - min) * this.nextFloat();
  }

  /** Uniform integer in [0, maxExclusive); maxExclusive is a positive safe integer. */
  nextInt(maxExclusive: number): number {
    if (!Number.isSafeInteger(maxExclusive) || maxExclusive <= 0) {
      throw new RangeError(`maxExclusive must be a positive safe integer, got ${maxExclusive}`);
    }
    return Math.floor(this.nextFloat() * maxExclusive);
  }

  /** A copy of `items` in a random order (Fisher-Yates, from the last position down). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = this.nextInt(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Standard normal variate (Box–Muller transform, basic form). */
  nextGaussian(): number {
    const spare = this.spareGaussian;
    if (spare !== undefined) {
      this.spareGaussian = undefined;
      return spare;
    }
    const u1 = 1 - this.nextFloat(); // (0, 1]: log(0) is impossible
    const u2 = this.nextFloat();
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    this.spareGaussian = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Exponential variate with the given mean (inter-arrival times of a Poisson process). */
  nextExponential(mean: number): number {
    return -mean * Math.log(1 - this.nextFloat());
  }

  private seedState(a: number, b: number): void {
    let state = a >>> 0;
    this.s0 = splitmix32(state);
    state = (state + 0x9e3779b9) >>> 0;
    this.s1 = splitmix32(state);
    state = (b ^ 0x85ebca6b) >>> 0;
    this.s2 = splitmix32(state);
    state = (state + 0x9e3779b9) >>> 0;
    this.s3 = splitmix32(state);
    // The all-zero state is the one fixed point of xoshiro.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareGaussian = undefined;
  }
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units (http://www.isthe.com/chongo/tech/comp/fnv/). */
export function fnv1a32(text: string, basis: number = FNV_OFFSET_BASIS): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** One splitmix32 output for a given counter value (finaliser from MurmurHash3-style mixing). */
function splitmix32(counter: number): number {
  let z = (counter + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function assertSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
}
