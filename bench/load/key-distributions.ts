import { ConfigError } from '../errors.ts';
import type { SeededRandom } from '../../src/market/seeded-random.ts';
import type { KeyChooser } from './key-chooser.ts';
import { HotspotChooser, LatestChooser, SequentialChooser, UniformChooser, hotspotItemCount } from './key-choosers.ts';
import type { KeyDistribution } from './key-distribution-spec.ts';
import {
  KEY_DISTRIBUTION_HINT,
  formatKeyDistribution,
  isFraction,
  keyDistributionProblems,
} from './key-distribution-spec.ts';
import { SCRAMBLED_ZIPFIAN_ITEM_SPACE, ScrambledZipfianGenerator } from './scrambled-zipfian-generator.ts';
import { DEFAULT_ZIPFIAN_CONSTANT, ZipfianGenerator } from './zipfian-generator.ts';

export type { KeyChooser } from './key-chooser.ts';
export type { KeyDistribution, KeyDistributionKind } from './key-distribution-spec.ts';
export {
  KEY_DISTRIBUTION_KINDS,
  MAX_ZIPFIAN_CONSTANT,
  formatKeyDistribution,
  keyDistributionProblems,
} from './key-distribution-spec.ts';
export { parseKeyDistribution } from './key-distribution-parser.ts';
export { DEFAULT_ZIPFIAN_CONSTANT } from './zipfian-generator.ts';

/**
 * A seeded chooser of item indexes in [0, itemCount), one per worker. Throws one ConfigError
 * listing every problem with the distribution's parameters and the item count.
 * Setup is O(1) in itemCount for every kind (zipfian's zeta uses a closed-form tail).
 */
export function createKeyChooser(distribution: KeyDistribution, itemCount: number, random: SeededRandom): KeyChooser {
  const problems = [...keyDistributionProblems(distribution), ...itemCountProblems(distribution, itemCount)];
  if (problems.length > 0) {
    throw new ConfigError(
      `invalid key distribution ${describe(distribution)} over ${String(itemCount)} items: ${problems.join('; ')}`,
      {
        problems,
        hint: KEY_DISTRIBUTION_HINT,
      },
    );
  }
  switch (distribution.kind) {
    case 'uniform':
      return new UniformChooser(itemCount, random);
    case 'zipfian':
      return new ZipfianGenerator(itemCount, distribution.constant ?? DEFAULT_ZIPFIAN_CONSTANT, random);
    case 'scrambled-zipfian':
      return new ScrambledZipfianGenerator(itemCount, distribution.constant ?? DEFAULT_ZIPFIAN_CONSTANT, random);
    case 'hotspot':
      return new HotspotChooser(itemCount, distribution.hotDataFraction, distribution.hotOperationFraction, random);
    case 'latest':
      return new LatestChooser(itemCount, distribution.constant ?? DEFAULT_ZIPFIAN_CONSTANT, random);
    case 'sequential':
      return new SequentialChooser(itemCount);
  }
}

function itemCountProblems(distribution: KeyDistribution, itemCount: number): string[] {
  if (!Number.isSafeInteger(itemCount) || itemCount <= 0)
    return [`itemCount must be a positive integer, got ${String(itemCount)}`];
  if (distribution?.kind === 'scrambled-zipfian' && itemCount > SCRAMBLED_ZIPFIAN_ITEM_SPACE) {
    return [
      `scrambled-zipfian draws from ${SCRAMBLED_ZIPFIAN_ITEM_SPACE} values, so itemCount must be at most that, got ${itemCount}`,
    ];
  }
  if (
    distribution?.kind === 'hotspot' &&
    isFraction(distribution.hotDataFraction) &&
    isFraction(distribution.hotOperationFraction)
  ) {
    const { hotDataFraction, hotOperationFraction } = distribution;
    const hotItems = hotspotItemCount(itemCount, hotDataFraction);
    if (hotItems === 0 && hotOperationFraction > 0) {
      return [
        `hotDataFraction ${hotDataFraction} of ${itemCount} items is an empty hot set, yet hotOperationFraction ${hotOperationFraction} sends operations to it`,
      ];
    }
    if (hotItems === itemCount && hotOperationFraction < 1) {
      return [
        `hotDataFraction ${hotDataFraction} of ${itemCount} items leaves no cold items, yet hotOperationFraction ${hotOperationFraction} sends operations to them`,
      ];
    }
  }
  return [];
}

function describe(distribution: KeyDistribution): string {
  try {
    return formatKeyDistribution(distribution);
  } catch {
    return JSON.stringify(distribution) ?? String(distribution);
  }
}
