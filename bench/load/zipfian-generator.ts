import type { SeededRandom } from '../../src/market/seeded-random.ts';
import type { KeyChooser } from './key-chooser.ts';
import { zeta } from './zeta.ts';

/** YCSB's ZIPFIAN_CONSTANT (theta). */
export const DEFAULT_ZIPFIAN_CONSTANT = 0.99;

/**
 * Zipfian over [0, itemCount): item i has probability (1 / (i + 1)^theta) / zeta(itemCount, theta),
 * so item 0 is the most popular.
 * Algorithm: Gray et al., "Quickly Generating Billion-Record Synthetic Databases", SIGMOD 1994,
 * as in YCSB's ZipfianGenerator.
 * Items 0 and 1 are drawn exactly; the others come from Gray's closed-form approximation of the
 * inverse CDF, so a draw costs one uniform variate and one pow. Like YCSB's, the approximation
 * gives the next few items somewhat more than exact Zipf (item 2: ~+20% at theta 0.99).
 * Setup is O(1) in itemCount (see zeta.ts), where YCSB's is O(n).
 * Works for any theta != 1 (YCSB allows theta > 1); the caller validates itemCount and theta.
 */
export class ZipfianGenerator implements KeyChooser {
  readonly itemCount: number;
  readonly theta: number;
  /** zeta(itemCount, theta): 1 / zetaN is the probability of item 0. */
  readonly zetaN: number;
  private readonly zeta2: number;
  private readonly alpha: number;
  private readonly eta: number;
  private readonly random: SeededRandom;

  constructor(itemCount: number, theta: number, random: SeededRandom) {
    this.itemCount = itemCount;
    this.theta = theta;
    this.random = random;
    this.zetaN = zeta(itemCount, theta);
    this.zeta2 = zeta(2, theta);
    this.alpha = 1 / (1 - theta);
    // With one or two items eta is 0/0, but then every draw ends in the two exact branches of next().
    this.eta = (1 - (2 / itemCount) ** (1 - theta)) / (1 - this.zeta2 / this.zetaN);
  }

  next(): number {
    const u = this.random.nextFloat();
    const uz = u * this.zetaN;
    if (uz < 1) return 0;
    if (uz < this.zeta2) return 1;
    const index = Math.floor(this.itemCount * (this.eta * u - this.eta + 1) ** this.alpha);
    // Rounding can reach itemCount when u is within an ulp of 1.
    return Math.min(index, this.itemCount - 1);
  }
}
