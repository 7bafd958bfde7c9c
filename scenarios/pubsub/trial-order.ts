import { SeededRandom } from '../../src/market/seeded-random.ts';

/**
 * The order in which one trial visits its variants (cells, subscriber counts, faults): a seeded
 * shuffle, different in every trial and the same for the same seed, so that no variant always runs
 * first or right after the same other one.
 */
export function trialOrder<T>(variants: readonly T[], seed: number, scenarioId: string, trial: number): T[] {
  return SeededRandom.forKey(seed, `${scenarioId}:trial-${trial}`).shuffled(variants);
}
