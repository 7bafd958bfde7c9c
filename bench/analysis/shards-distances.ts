import { FenwickTree } from './fenwick-tree.ts';
import type { SampledTrace } from './shards-sample.ts';

/**
 * Weighted stack distances on a sample: the summed weight of the distinct keys touched since the
 * previous access of the same key, plus 1 for the key itself (0 for a first access): the exact
 * distance is 1 + the distinct other keys, and the weights estimate only the others. Fenwick
 * tree, O(n log n).
 */
export function weightedStackDistances(
  sample: SampledTrace,
  keySpace: number,
  tailDistinct?: Float64Array,
): Float64Array {
  const n = sample.keys.length;
  const tree = new FenwickTree(n);
  const last = new Int32Array(keySpace).fill(-1);
  const out = new Float64Array(n);
  // With a calibration table, the tree counts hot keys with 1 and sampled keys with `unit` (above
  // any count of hot keys, so a window's sum splits exactly into the two counts).
  const unit = 2 ** Math.ceil(Math.log2(sample.hotKeys + 2));
  const treeWeight = (w: number): number => (tailDistinct === undefined ? w : w === 1 && sample.rate < 1 ? 1 : unit);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const key = sample.keys[i];
    const w = treeWeight(sample.weights[i]);
    const previous = last[key];
    if (previous < 0) {
      out[i] = 0;
    } else {
      const between = total - tree.prefix(previous + 1);
      if (tailDistinct === undefined) {
        out[i] = between + 1;
      } else {
        const sampledBetween = Math.floor(between / unit);
        out[i] = between - sampledBetween * unit + tailDistinct[Math.min(sampledBetween, tailDistinct.length - 1)] + 1;
      }
      tree.add(previous, -w);
      total -= w;
    }
    tree.add(i, w);
    total += w;
    last[key] = i;
  }
  return out;
}

/**
 * Calibration of the tail's distinct count in a window from the sampled keys seen in it: entry k
 * is the estimated number of distinct tail keys in a window where k sampled tail keys appear.
 * Plain SHARDS takes k / rate; here the window length L that k sampled keys imply is found from
 * the sampled keys' own access shares (sum of 1 - exp(-p_i L) = k), and the whole tail's expected
 * distinct count at that L is returned (a ratio estimator on the per-key access counts). It
 * removes the scale error of a sample that happens to hold more or fewer medium-popularity keys
 * than its share: those keys appear in almost every window and set every distance.
 */
export function tailDistinctCalibration(sample: SampledTrace): Float64Array {
  const all = new Map<number, number>();
  const sampled = new Map<number, number>();
  let total = 0;
  let sampledKeys = 0;
  let tailKeys = 0;
  for (let key = 0; key < sample.accessCounts.length; key++) {
    const count = sample.accessCounts[key];
    total += count;
    const weight = sample.keyWeights[key];
    if (count === 0 || (weight === 1 && sample.rate < 1)) continue;
    all.set(count, (all.get(count) ?? 0) + 1);
    tailKeys += 1;
    if (weight > 0) {
      sampled.set(count, (sampled.get(count) ?? 0) + 1);
      sampledKeys += 1;
    }
  }
  const table = new Float64Array(sampledKeys + 1);
  if (sampledKeys === 0 || total === 0) return table;
  const allEntries = [...all.entries()];
  const sampledEntries = [...sampled.entries()];
  const expected = (entries: readonly (readonly [number, number])[], length: number): number => {
    let sum = 0;
    for (const [count, keys] of entries) sum += keys * -Math.expm1(-(count / total) * length);
    return sum;
  };
  // Window lengths on a geometric grid, from well below one access per sampled key to well past every key.
  const grid: [number, number][] = [[0, 0]];
  const steps = 600;
  const longest = 1e4 * total;
  for (let j = 0; j <= steps; j++) {
    const length = 0.01 * (longest / 0.01) ** (j / steps);
    grid.push([expected(sampledEntries, length), expected(allEntries, length)]);
  }
  grid.push([sampledKeys, tailKeys]);
  let g = 1;
  for (let k = 1; k <= sampledKeys; k++) {
    while (g < grid.length - 1 && grid[g][0] < k) g += 1;
    const [k0, d0] = grid[g - 1];
    const [k1, d1] = grid[g];
    table[k] = k1 > k0 ? d0 + ((d1 - d0) * (k - k0)) / (k1 - k0) : d1;
  }
  return table;
}
