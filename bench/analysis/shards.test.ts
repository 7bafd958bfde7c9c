import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { ZipfianGenerator } from '../load/zipfian-generator.ts';
import { predictHitRatios } from './miss-ratio-curve.ts';
import type { KeyTrace } from './miss-ratio-curve.ts';
import { characteristicTime } from './che-model.ts';
import { tailDistinctCalibration, weightedStackDistances } from './shards-distances.ts';
import { HOT_KEY_SHARE_OF_RATE, shardsSample } from './shards-sample.ts';
import { stackDistances } from './stack-distance.ts';

function zipfTrace(seed: number, accesses: number, keySpace: number, theta: number): KeyTrace {
  const random = new SeededRandom(seed);
  const zipf = new ZipfianGenerator(keySpace, theta, random);
  const keys = new Int32Array(accesses);
  const timesMs = new Float64Array(accesses);
  for (let i = 0; i < accesses; i++) {
    // Scatter the ranks over the ids so popularity does not follow the id order.
    keys[i] = (zipf.next() * 7_919) % keySpace;
    timesMs[i] = i;
  }
  return { keys, timesMs, keySpace };
}

describe('shardsSample', () => {
  const trace = zipfTrace(11, 300_000, 100_000, 0.9);

  it('keeps hot keys whole with weight 1 and samples the tail at the rate with weight 1 / rate', () => {
    const rate = 0.01;
    const sample = shardsSample(trace.keys, trace.timesMs, trace.keySpace, rate);
    let total = 0;
    for (let k = 0; k < trace.keySpace; k++) total += sample.accessCounts[k];
    expect(total).toBe(trace.keys.length);
    let sampledKeys = 0;
    let tailKeys = 0;
    for (let k = 0; k < trace.keySpace; k++) {
      const count = sample.accessCounts[k];
      if (count === 0) continue;
      const hot = count > trace.keys.length * rate * HOT_KEY_SHARE_OF_RATE;
      if (hot ? sample.keyWeights[k] !== 1 : sample.keyWeights[k] !== 0 && sample.keyWeights[k] !== 1 / rate)
        throw new Error(`key ${k}: weight ${sample.keyWeights[k]}`);
      if (!hot) {
        tailKeys += 1;
        if (sample.keyWeights[k] > 0) sampledKeys += 1;
      }
    }
    expect(sample.hotKeys).toBeGreaterThan(0);
    // Binomial(tailKeys, 0.01): 5 standard deviations.
    expect(Math.abs(sampledKeys - tailKeys * rate)).toBeLessThan(5 * Math.sqrt(tailKeys * rate));
    let mismatches = 0;
    let kept = 0;
    for (let i = 0; i < trace.keys.length; i++) if (sample.keyWeights[trace.keys[i]] > 0) kept += 1;
    sample.keys.forEach((key, i) => {
      if (trace.keys[sample.positions[i]] !== key || sample.weights[i] !== sample.keyWeights[key]) mismatches += 1;
    });
    expect(mismatches).toBe(0);
    expect(sample.keys.length).toBe(kept);
  });

  it('has weights summing to the trace size on average over salts', () => {
    const sums: number[] = [];
    for (let salt = 1; salt <= 30; salt++) {
      const sample = shardsSample(trace.keys, trace.timesMs, trace.keySpace, 0.05, salt * 0x9e3779b1);
      sums.push(sample.weights.reduce((a, b) => a + b, 0));
    }
    const mean = sums.reduce((a, b) => a + b, 0) / sums.length;
    const sd = Math.sqrt(sums.reduce((a, b) => a + (b - mean) ** 2, 0) / (sums.length - 1));
    expect(Math.abs(mean - trace.keys.length)).toBeLessThan(4 * (sd / Math.sqrt(sums.length)) + 1);
  });

  it('rejects a rate outside (0, 1]', () => {
    expect(() => shardsSample(trace.keys, trace.timesMs, trace.keySpace, 0)).toThrow(RangeError);
    expect(() => shardsSample(trace.keys, trace.timesMs, trace.keySpace, 1.5)).toThrow(RangeError);
  });
});

describe('weightedStackDistances', () => {
  it('equals the exact distances at rate 1', () => {
    const trace = zipfTrace(3, 20_000, 2_000, 0.8);
    const sample = shardsSample(trace.keys, trace.timesMs, trace.keySpace, 1);
    expect(Array.from(weightedStackDistances(sample, trace.keySpace))).toEqual(
      Array.from(stackDistances(trace.keys, trace.keySpace)),
    );
  });

  it('counts the key itself once, not with its sample weight', () => {
    // a a b a, every key sampled at rate 0.1 (weight 10): the exact distances are 1 and 2; the
    // estimate of the distinct others is 0 then 10 (b stands for 10 keys), plus 1 for the key itself.
    const sample = {
      keys: Int32Array.from([0, 0, 1, 0]),
      timesMs: new Float64Array(4),
      positions: Int32Array.from([0, 1, 2, 3]),
      weights: Float64Array.from([10, 10, 10, 10]),
      rate: 0.1,
      hotKeys: 0,
      accessCounts: Int32Array.from([3, 1]),
      keyWeights: Float64Array.from([10, 10]),
    };
    expect(Array.from(weightedStackDistances(sample, 2))).toEqual([0, 1, 0, 11]);
  });
});

describe('tailDistinctCalibration', () => {
  it('is the identity at rate 1', () => {
    const trace = zipfTrace(4, 20_000, 2_000, 0.8);
    const table = tailDistinctCalibration(shardsSample(trace.keys, trace.timesMs, trace.keySpace, 1));
    table.forEach((d, k) => expect(d).toBeCloseTo(k, 6));
  });

  it('scales by tail keys / sampled keys when every tail key has the same count (not by 1 / rate)', () => {
    // 20,000 keys, each accessed 3 times: no hot key; the sample holds S of them, not exactly 200.
    const keySpace = 20_000;
    const keys = new Int32Array(3 * keySpace);
    for (let i = 0; i < keys.length; i++) keys[i] = i % keySpace;
    const sample = shardsSample(keys, new Float64Array(keys.length), keySpace, 0.01, 12_345);
    const sampledKeys = sample.hotKeys === 0 ? new Set(sample.keys).size : Number.NaN;
    const table = tailDistinctCalibration(sample);
    expect(table.length).toBe(sampledKeys + 1);
    for (const k of [1, 10, Math.floor(sampledKeys / 2), sampledKeys])
      expect(table[k]).toBeCloseTo((k * keySpace) / sampledKeys, 3);
  });

  it('splits hot and sampled keys in a window exactly', () => {
    // Key 0 hot (weight 1), keys 1 and 2 sampled; table doubles the sampled count.
    const sample = {
      keys: Int32Array.from([1, 0, 2, 1, 0]),
      timesMs: new Float64Array(5),
      positions: Int32Array.from([0, 1, 2, 3, 4]),
      weights: Float64Array.from([10, 1, 10, 10, 1]),
      rate: 0.1,
      hotKeys: 1,
      accessCounts: Int32Array.from([2, 2, 1]),
      keyWeights: Float64Array.from([1, 10, 10]),
    };
    // Access 3 (key 1) sees key 0 (hot: 1) and key 2 (sampled: table[1] = 2), plus itself;
    // access 4 (key 0) sees 2 and 1 (table[2] = 4), plus itself.
    expect(Array.from(weightedStackDistances(sample, 3, Float64Array.from([0, 2, 4])))).toEqual([0, 0, 0, 4, 5]);
  });
});

describe('characteristicTime', () => {
  it('solves Che occupancy, and is infinite once every touched key fits', () => {
    const histogram: [number, number][] = [
      [1, 500],
      [10, 50],
      [100, 5],
    ];
    const total = 500 + 500 + 500;
    const t = characteristicTime(histogram, total, 100);
    const occupancy = histogram.reduce((sum, [count, keys]) => sum + keys * (1 - Math.exp(-(count / total) * t)), 0);
    expect(occupancy).toBeCloseTo(100, 6);
    expect(characteristicTime(histogram, total, 555)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('SHARDS curve', () => {
  it('is exact at rate 1, with and without a TTL', () => {
    const trace = zipfTrace(5, 30_000, 3_000, 0.9);
    for (const ttlMs of [Number.POSITIVE_INFINITY, 500]) {
      const options = { sizesKeys: [1, 10, 100, 1_000, 3_000], ttlMs, warmupAccesses: 5_000 };
      const exact = predictHitRatios(trace, { ...options, method: { kind: 'exact' } });
      const sampled = predictHitRatios(trace, { ...options, method: { kind: 'shards', rate: 1 } });
      exact.points.forEach((p, i) => expect(sampled.points[i].hitRatio).toBeCloseTo(p.hitRatio, 10));
    }
  });

  it('is within 0.02 of the exact curve at every size on zipf traces at rate 0.01, for several salts', () => {
    const trace = zipfTrace(21, 1_000_000, 300_000, 0.9);
    const fractions = [0.005, 0.01, 0.02, 0.05, 0.1, 0.3, 1];
    const sizesKeys = fractions.map((f) => Math.round(f * trace.keySpace));
    const options = { sizesKeys, ttlMs: Number.POSITIVE_INFINITY, warmupAccesses: 0 };
    const exact = predictHitRatios(trace, { ...options, method: { kind: 'exact' } });
    const errors: number[] = [];
    for (const salt of [1, 2, 3, 4]) {
      const sampled = predictHitRatios(trace, {
        ...options,
        method: { kind: 'shards', rate: 0.01, salt: salt * 0x2545f491 },
      });
      expect(sampled.processedAccesses).toBeLessThan(trace.keys.length / 2);
      sampled.points.forEach((p, i) => errors.push(p.hitRatio - exact.points[i].hitRatio));
    }
    for (const e of errors) expect(Math.abs(e)).toBeLessThan(0.02);
  });
});
