import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { FenwickTree } from './fenwick-tree.ts';

describe('FenwickTree', () => {
  it('prefix sums match a plain array after random adds, at every end', () => {
    const random = new SeededRandom(7);
    for (const size of [1, 2, 7, 64, 100]) {
      const tree = new FenwickTree(size);
      const plain = new Float64Array(size);
      for (let op = 0; op < 500; op++) {
        const position = random.nextInt(size);
        const delta = random.nextInt(21) - 10;
        tree.add(position, delta);
        plain[position] += delta;
      }
      for (let end = 0; end <= size; end++) {
        const expected = plain.subarray(0, end).reduce((a, b) => a + b, 0);
        expect(tree.prefix(end)).toBe(expected);
      }
    }
  });

  it('an empty prefix is 0, and fractional weights add up', () => {
    const tree = new FenwickTree(4);
    tree.add(0, 0.25);
    tree.add(3, 100);
    tree.add(1, 0.5);
    expect(tree.prefix(0)).toBe(0);
    expect(tree.prefix(2)).toBe(0.75);
    expect(tree.prefix(4)).toBe(100.75);
  });
});
