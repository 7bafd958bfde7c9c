import { describe, expect, it } from 'vitest';
import { configError } from '../test-support/config-error.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { fnvHash64Modulo } from './fnv-hash-64.ts';
import type { KeyChooser, KeyDistribution } from './key-distributions.ts';
import { createKeyChooser, formatKeyDistribution, parseKeyDistribution } from './key-distributions.ts';
import { SCRAMBLED_ZIPFIAN_ITEM_SPACE } from './scrambled-zipfian-generator.ts';
import { zeta } from './zeta.ts';

const SEED = 20_240_607;

function draw(chooser: KeyChooser, count: number): number[] {
  return Array.from({ length: count }, () => chooser.next());
}

function histogram(distribution: KeyDistribution, itemCount: number, draws: number, seed = SEED): number[] {
  const chooser = createKeyChooser(distribution, itemCount, new SeededRandom(seed));
  const counts = new Array<number>(itemCount).fill(0);
  for (let i = 0; i < draws; i++) counts[chooser.next()]++;
  return counts;
}

/** Reference: the plain O(n) sum that YCSB computes. */
function plainZeta(n: number, theta: number): number {
  let sum = 0;
  for (let i = n; i >= 1; i--) sum += i ** -theta;
  return sum;
}

function indexOfMax(values: readonly number[]): number {
  return values.reduce((best, value, index) => (value > values[best] ? index : best), 0);
}

/** Reference FNV-1a 64 in BigInt, as YCSB's Utils.fnvhash64 (then Math.abs and %). */
function referenceFnvModulo(value: number, modulus: number): number {
  let hash = 0xcbf29ce484222325n;
  let rest = BigInt(value);
  for (let i = 0; i < 8; i++) {
    hash ^= rest & 0xffn;
    rest >>= 8n;
    hash = BigInt.asUintN(64, hash * 0x100000001b3n);
  }
  const signed = BigInt.asIntN(64, hash);
  return Number((signed < 0n ? -signed : signed) % BigInt(modulus));
}

const ALL: KeyDistribution[] = [
  { kind: 'uniform' },
  { kind: 'zipfian' },
  { kind: 'zipfian', constant: 0.5 },
  { kind: 'zipfian', constant: 2 },
  { kind: 'scrambled-zipfian' },
  { kind: 'scrambled-zipfian', constant: 0.8 },
  { kind: 'hotspot', hotDataFraction: 0.2, hotOperationFraction: 0.8 },
  { kind: 'latest' },
  { kind: 'latest', constant: 1.5 },
  { kind: 'sequential' },
];

describe('createKeyChooser: every distribution', () => {
  it.each(ALL.map((distribution) => [formatKeyDistribution(distribution), distribution] as const))(
    '%s replays from its seed',
    (_, distribution) => {
      const first = draw(createKeyChooser(distribution, 1000, new SeededRandom(SEED)), 2000);
      const second = draw(createKeyChooser(distribution, 1000, new SeededRandom(SEED)), 2000);
      expect(second).toEqual(first);
      if (distribution.kind !== 'sequential') {
        expect(draw(createKeyChooser(distribution, 1000, new SeededRandom(SEED + 1)), 2000)).not.toEqual(first);
      }
    },
  );

  const thetas = [0.01, 0.5, 0.99, 0.9999, 1.0001, 1.01, 2, 10];
  const spans = [1, 2, 3, 7, 1000, 123_457];
  it('keeps every index in [0, itemCount) for every kind, size and theta', () => {
    const distributions: KeyDistribution[] = [
      { kind: 'uniform' },
      { kind: 'sequential' },
      { kind: 'hotspot', hotDataFraction: 0, hotOperationFraction: 0 },
      { kind: 'hotspot', hotDataFraction: 1, hotOperationFraction: 1 },
      ...thetas.flatMap((constant): KeyDistribution[] => [
        { kind: 'zipfian', constant },
        { kind: 'scrambled-zipfian', constant },
        { kind: 'latest', constant },
      ]),
    ];
    for (const itemCount of spans) {
      for (const distribution of distributions) {
        const chooser = createKeyChooser(distribution, itemCount, new SeededRandom(itemCount));
        for (let i = 0; i < 3000; i++) {
          const index = chooser.next();
          if (!(Number.isInteger(index) && index >= 0 && index < itemCount)) {
            throw new Error(`${formatKeyDistribution(distribution)} over ${itemCount} items gave ${index}`);
          }
        }
      }
    }
  });

  it('handles a hot set of the whole key space and an item count beyond 2^32', () => {
    const hotspot = histogram({ kind: 'hotspot', hotDataFraction: 0.5, hotOperationFraction: 0.5 }, 2, 1000);
    expect(hotspot[0] + hotspot[1]).toBe(1000);
    const huge = createKeyChooser({ kind: 'zipfian' }, 2 ** 40, new SeededRandom(SEED));
    expect(draw(huge, 1000).every((index) => index >= 0 && index < 2 ** 40)).toBe(true);
  });
});

describe('uniform', () => {
  it('fills each of 10 buckets within 15% of the expected count over 100k draws', () => {
    const counts = histogram({ kind: 'uniform' }, 1000, 100_000);
    const buckets = new Array<number>(10).fill(0);
    counts.forEach((count, index) => (buckets[Math.floor(index / 100)] += count));
    for (const bucket of buckets) expect(Math.abs(bucket - 10_000)).toBeLessThan(1500);
  });
});

describe('zeta', () => {
  it('matches plain summation', () => {
    for (const [n, theta] of [
      [1, 0.99],
      [1024, 0.99],
      [1025, 0.99],
      [100_000, 0.99],
      [300_000, 0.5],
      [50_000, 1.5],
      [100_000, 0.9999],
      [5000, 10],
    ]) {
      expect(zeta(n, theta)).toBeCloseTo(plainZeta(n, theta), 9);
    }
  });

  it("matches YCSB's precomputed zeta(10^10, 0.99)", () => {
    expect(Math.abs(zeta(SCRAMBLED_ZIPFIAN_ITEM_SPACE, 0.99) / 26.46902820178302 - 1)).toBeLessThan(1e-10);
  });
});

describe('zipfian', () => {
  const draws = 200_000;
  it('makes item 0 the most frequent at 1/zeta(n, theta) within 10% (n = 1000, theta = 0.99)', () => {
    const counts = histogram({ kind: 'zipfian' }, 1000, draws);
    expect(indexOfMax(counts)).toBe(0);
    const expected = draws / plainZeta(1000, 0.99);
    expect(Math.abs(counts[0] / expected - 1)).toBeLessThan(0.1);
    // Gray's method draws items 0 and 1 exactly; later items come from its approximation.
    expect(Math.abs(counts[1] / (expected * 2 ** -0.99) - 1)).toBeLessThan(0.1);
  });

  it('gives item 0 its exact probability for theta above 1 too (theta = 2)', () => {
    const counts = histogram({ kind: 'zipfian', constant: 2 }, 1000, draws);
    expect(Math.abs(counts[0] / (draws / plainZeta(1000, 2)) - 1)).toBeLessThan(0.05);
  });

  it('has a non-increasing rank-frequency over the first 10 items, up to sampling noise', () => {
    const counts = histogram({ kind: 'zipfian' }, 1000, draws);
    for (let i = 0; i < 9; i++) expect(counts[i + 1]).toBeLessThanOrEqual(counts[i] + 4 * Math.sqrt(counts[i]));
    // And it is skewed: the head takes far more than a uniform share.
    expect(counts.slice(0, 10).reduce((a, b) => a + b, 0)).toBeGreaterThan(draws * 0.35);
  });
});

describe('scrambled zipfian', () => {
  const itemCount = 1000;
  const draws = 200_000;
  const theta = 0.99;
  /**
   * YCSB's model: value v of the 10^10 space lands on fnv64(v) % n with the probability Gray's
   * method gives it: exact for v = 0 and 1, then the u-interval that maps to v (Gray's inverse CDF
   * puts ~20% more on v = 2 than exact Zipf, as YCSB does).
   */
  function predictedFrequencies(): number[] {
    const space = SCRAMBLED_ZIPFIAN_ITEM_SPACE;
    const zetaN = zeta(space, theta);
    const zeta2 = zeta(2, theta);
    const eta = (1 - (2 / space) ** (1 - theta)) / (1 - zeta2 / zetaN);
    const lowestU = (value: number): number => Math.max(zeta2 / zetaN, 1 - (1 - (value / space) ** (1 - theta)) / eta);
    const probability = (value: number): number =>
      value === 0 ? 1 / zetaN : value === 1 ? (zeta2 - 1) / zetaN : lowestU(value + 1) - lowestU(value);
    const frequencies = new Array<number>(itemCount).fill(0);
    let headMass = 0;
    for (let value = 0; value < 200_000; value++) {
      frequencies[referenceFnvModulo(value, itemCount)] += probability(value);
      headMass += probability(value);
    }
    // The remaining values are hashed all over the items: spread their mass evenly.
    return frequencies.map((frequency) => frequency + (1 - headMass) / itemCount);
  }

  it("keeps zipfian's top-item probability for the 10^10 space, but on a scattered index", () => {
    const counts = histogram({ kind: 'scrambled-zipfian' }, itemCount, draws);
    const top = indexOfMax(counts);
    expect(top).not.toBe(0);
    expect(top).toBe(referenceFnvModulo(0, itemCount));
    const predicted = predictedFrequencies();
    expect(Math.abs(counts[top] / draws / predicted[top] - 1)).toBeLessThan(0.1);
    // Zipfian's item 0 over the same space is inside the top item's share.
    expect(counts[top] / draws).toBeGreaterThan(0.9 / zeta(SCRAMBLED_ZIPFIAN_ITEM_SPACE, theta));
  });

  it('has the sorted frequency shape the zipfian-then-hash model predicts', () => {
    const observed = histogram({ kind: 'scrambled-zipfian' }, itemCount, draws).sort((a, b) => b - a);
    const predicted = predictedFrequencies()
      .map((frequency) => frequency * draws)
      .sort((a, b) => b - a);
    for (let rank = 0; rank < 10; rank++)
      expect(Math.abs(observed[rank] - predicted[rank])).toBeLessThan(5 * Math.sqrt(predicted[rank]));
    // Flatter than zipfian over itemCount, as in YCSB: its top item takes ~13%, this one ~4%.
    expect(observed[0] / draws).toBeLessThan(0.06);
  });

  it('hashes exactly as YCSB fnvhash64 % itemCount', () => {
    const values = [0, 1, 2, 255, 256, 65_535, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 9_999_999_999, 2 ** 53 - 1];
    const random = new SeededRandom(SEED);
    for (let i = 0; i < 2000; i++) values.push(random.nextInt(SCRAMBLED_ZIPFIAN_ITEM_SPACE));
    for (const modulus of [1, 7, 1000, 2 ** 21 + 3, 10_000_000_000, 2 ** 37]) {
      for (const value of values) expect(fnvHash64Modulo(value, modulus)).toBe(referenceFnvModulo(value, modulus));
    }
  });
});

describe('hotspot', () => {
  it('sends 80% (±2%) of the draws to the first 20% of the items, uniformly within each set', () => {
    const counts = histogram({ kind: 'hotspot', hotDataFraction: 0.2, hotOperationFraction: 0.8 }, 1000, 100_000);
    const hot = counts.slice(0, 200).reduce((a, b) => a + b, 0);
    expect(Math.abs(hot / 100_000 - 0.8)).toBeLessThan(0.02);
    const halves = [counts.slice(0, 100), counts.slice(100, 200), counts.slice(200, 600), counts.slice(600)].map(
      (part) => part.reduce((a, b) => a + b, 0),
    );
    expect(Math.abs(halves[0] / halves[1] - 1)).toBeLessThan(0.1);
    expect(Math.abs(halves[2] / halves[3] - 1)).toBeLessThan(0.1);
  });
});

describe('latest', () => {
  it('makes the last index the most frequent, mirroring zipfian draw for draw', () => {
    const latest = draw(createKeyChooser({ kind: 'latest' }, 1000, new SeededRandom(SEED)), 50_000);
    const zipfian = draw(createKeyChooser({ kind: 'zipfian' }, 1000, new SeededRandom(SEED)), 50_000);
    expect(latest).toEqual(zipfian.map((index) => 999 - index));
    expect(indexOfMax(histogram({ kind: 'latest', constant: 0.8 }, 1000, 50_000))).toBe(999);
  });
});

describe('sequential', () => {
  it('counts up and wraps', () => {
    expect(draw(createKeyChooser({ kind: 'sequential' }, 3, new SeededRandom(SEED)), 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(draw(createKeyChooser({ kind: 'sequential' }, 1, new SeededRandom(SEED)), 3)).toEqual([0, 0, 0]);
  });
});

describe('parseKeyDistribution', () => {
  it.each([
    ['uniform', { kind: 'uniform' }],
    ['zipfian', { kind: 'zipfian' }],
    ['zipfian:0.8', { kind: 'zipfian', constant: 0.8 }],
    ['scrambled-zipfian', { kind: 'scrambled-zipfian' }],
    ['scrambled-zipfian:1.2', { kind: 'scrambled-zipfian', constant: 1.2 }],
    ['hotspot:0.2:0.8', { kind: 'hotspot', hotDataFraction: 0.2, hotOperationFraction: 0.8 }],
    ['latest', { kind: 'latest' }],
    ['latest:0.99', { kind: 'latest', constant: 0.99 }],
    ['sequential', { kind: 'sequential' }],
    [' hotspot:.1:1 ', { kind: 'hotspot', hotDataFraction: 0.1, hotOperationFraction: 1 }],
  ] as const)('reads %j', (text, expected) => {
    const parsed = parseKeyDistribution(text);
    expect(parsed).toEqual(expected);
    expect(parseKeyDistribution(formatKeyDistribution(parsed))).toEqual(parsed);
  });

  it.each([
    'pareto',
    '',
    'zipfian:',
    'zipfian:abc',
    'zipfian:1',
    'zipfian:0',
    'zipfian:11',
    'zipfian:0.5:2',
    'uniform:3',
    'hotspot:0.2',
    'hotspot:1.2:0.8',
    'latest:NaN',
    'zipfian:0x1',
  ])('rejects %j naming the text and the accepted forms', (text) => {
    const error = configError(() => parseKeyDistribution(text));
    expect(error.message).toContain(`'${text}'`);
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.hint).toContain('zipfian[:THETA]');
    expect(error.hint).toContain('hotspot:DATA_FRACTION:OPERATION_FRACTION');
  });

  it('reports every problem of one text together', () => {
    expect(configError(() => parseKeyDistribution('hotspot:abc:2')).problems).toEqual([
      "hotDataFraction 'abc' is not a number",
      'hotOperationFraction must be a number in [0, 1], got 2',
    ]);
    expect(configError(() => parseKeyDistribution('pareto')).message).toMatch(
      /uniform.*zipfian.*scrambled-zipfian.*hotspot.*latest.*sequential/,
    );
  });
});

describe('createKeyChooser validation', () => {
  const random = new SeededRandom(SEED);
  it('reports invalid parameters and item count together', () => {
    const hotspot = configError(() =>
      createKeyChooser({ kind: 'hotspot', hotDataFraction: -0.1, hotOperationFraction: 1.5 }, 0, random),
    );
    expect(hotspot.problems).toHaveLength(3);
    expect(hotspot.problems.join('\n')).toMatch(
      /hotDataFraction[\s\S]*hotOperationFraction[\s\S]*itemCount must be a positive integer, got 0/,
    );
    const zipfian = configError(() => createKeyChooser({ kind: 'zipfian', constant: 1 }, 1.5, random));
    expect(zipfian.problems).toHaveLength(2);
    expect(zipfian.message).toContain('zipfian:1');
  });

  it.each([
    [{ kind: 'latest', constant: Number.NaN }, 10, /constant/],
    [{ kind: 'scrambled-zipfian', constant: -1 }, 10, /constant/],
    [{ kind: 'uniform' }, Number.POSITIVE_INFINITY, /itemCount/],
    [{ kind: 'sequential' }, -3, /itemCount/],
    [{ kind: 'scrambled-zipfian' }, SCRAMBLED_ZIPFIAN_ITEM_SPACE + 1, /at most/],
    [{ kind: 'hotspot', hotDataFraction: 0.001, hotOperationFraction: 0.8 }, 100, /empty hot set/],
    [{ kind: 'hotspot', hotDataFraction: 1, hotOperationFraction: 0.8 }, 100, /no cold items/],
    [{ kind: 'gaussian' } as unknown as KeyDistribution, 10, /kind must be one of/],
  ] as const)('rejects %j over %d items', (distribution, itemCount, pattern) => {
    const error = configError(() => createKeyChooser(distribution as KeyDistribution, itemCount, random));
    expect(error.problems.join('\n')).toMatch(pattern);
  });
});
