import type { SeededRandom } from '../../src/market/seeded-random.ts';
import { fnvHash64Modulo } from './fnv-hash-64.ts';
import type { KeyChooser } from './key-chooser.ts';
import { ZipfianGenerator } from './zipfian-generator.ts';

/**
 * YCSB's ScrambledZipfianGenerator.ITEM_COUNT: the zipfian is drawn over this fixed space whatever
 * the item count, so the head's probabilities do not depend on itemCount.
 */
export const SCRAMBLED_ZIPFIAN_ITEM_SPACE = 10_000_000_000;

/**
 * YCSB's ScrambledZipfianGenerator: a zipfian value over SCRAMBLED_ZIPFIAN_ITEM_SPACE items, then
 * FNV-1a 64 of the value modulo itemCount, so that the popular items are scattered over the key
 * space instead of clustered at index 0.
 *
 * As in YCSB, this is flatter than zipfian over itemCount: the most popular item gets
 * 1 / zeta(10^10, theta) (3.8% at theta 0.99) plus an even share of the long tail, which hashing
 * spreads nearly uniformly over the items. Use `zipfian` when the skew itself matters.
 */
export class ScrambledZipfianGenerator implements KeyChooser {
  private readonly zipfian: ZipfianGenerator;
  private readonly itemCount: number;

  constructor(itemCount: number, theta: number, random: SeededRandom) {
    this.itemCount = itemCount;
    this.zipfian = new ZipfianGenerator(SCRAMBLED_ZIPFIAN_ITEM_SPACE, theta, random);
  }

  next(): number {
    return fnvHash64Modulo(this.zipfian.next(), this.itemCount);
  }
}
