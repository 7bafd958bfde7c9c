import { SeededRandom } from '../../src/market/seeded-random.ts';

/**
 * The order in which one trial visits its variants (cells, subscriber counts, faults): a seeded
 * shuffle, different in every trial and the same for the same seed, so that no variant always runs
 * first or right after the same other one.
 */
export function trialOrder<T>(variants: readonly T[], seed: number, scenarioId: string, trial: number): T[] {
  const rng = SeededRandom.forKey(seed, `${scenarioId}:trial-${trial}`);
  const order = [...variants];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
