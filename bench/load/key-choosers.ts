import type { SeededRandom } from '../../src/market/seeded-random.ts';
import type { KeyChooser } from './key-chooser.ts';
import { ZipfianGenerator } from './zipfian-generator.ts';

/** Every item equally likely. */
export class UniformChooser implements KeyChooser {
  constructor(
    private readonly itemCount: number,
    private readonly random: SeededRandom,
  ) {}

  next(): number {
    return this.random.nextInt(this.itemCount);
  }
}

/** 0, 1, ..., itemCount - 1, then again from 0 (YCSB's SequentialGenerator, wrapping). */
export class SequentialChooser implements KeyChooser {
  private nextIndex = 0;

  constructor(private readonly itemCount: number) {}

  next(): number {
    const index = this.nextIndex;
    this.nextIndex = index + 1 === this.itemCount ? 0 : index + 1;
    return index;
  }
}

/**
 * YCSB's HotspotIntegerGenerator: a fraction hotOperationFraction of the operations goes to the
 * first floor(itemCount * hotDataFraction) items, the rest to the other items, uniformly within
 * each set. Validation guarantees a set is non-empty whenever operations are sent to it.
 */
export class HotspotChooser implements KeyChooser {
  private readonly hotItemCount: number;
  private readonly coldItemCount: number;

  constructor(
    itemCount: number,
    hotDataFraction: number,
    private readonly hotOperationFraction: number,
    private readonly random: SeededRandom,
  ) {
    this.hotItemCount = hotspotItemCount(itemCount, hotDataFraction);
    this.coldItemCount = itemCount - this.hotItemCount;
  }

  next(): number {
    if (this.random.nextFloat() < this.hotOperationFraction) return this.random.nextInt(this.hotItemCount);
    return this.hotItemCount + this.random.nextInt(this.coldItemCount);
  }
}

/** Size of the hot set, rounded down as YCSB does. */
export function hotspotItemCount(itemCount: number, hotDataFraction: number): number {
  return Math.floor(itemCount * hotDataFraction);
}

/**
 * YCSB's SkewedLatestGenerator: the most recent items are the most popular, index =
 * itemCount - 1 - zipfian. YCSB follows a growing insert counter; here itemCount is fixed for the
 * run (the load engine reads and updates a preloaded key set), so "latest" means highest index.
 */
export class LatestChooser implements KeyChooser {
  private readonly zipfian: ZipfianGenerator;

  constructor(
    private readonly itemCount: number,
    theta: number,
    random: SeededRandom,
  ) {
    this.zipfian = new ZipfianGenerator(itemCount, theta, random);
  }

  next(): number {
    return this.itemCount - 1 - this.zipfian.next();
  }
}
