/**
 * A Fenwick (binary indexed) tree over positions 0 .. size - 1: add at a position and sum a
 * prefix, each in O(log size) (Fenwick, "A new data structure for cumulative frequency tables",
 * Software: Practice and Experience, 1994). The stack-distance passes mark each key's most recent
 * access in one and count the marks between two accesses. Values are float64: integer counts
 * stay exact up to 2^53, and weighted marks (SHARDS) fit the same tree.
 */
export class FenwickTree {
  private readonly tree: Float64Array;

  constructor(readonly size: number) {
    this.tree = new Float64Array(size + 1);
  }

  /** Adds delta to the value at `position` (0-based). */
  add(position: number, delta: number): void {
    const tree = this.tree;
    for (let i = position + 1; i <= this.size; i += i & -i) tree[i] += delta;
  }

  /** The sum of the values at positions < end. */
  prefix(end: number): number {
    const tree = this.tree;
    let sum = 0;
    for (let i = end; i > 0; i -= i & -i) sum += tree[i];
    return sum;
  }
}
