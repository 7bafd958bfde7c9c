import type { RoundKeys } from './correctness-market.ts';
import type { RoundTally } from './correctness-round.ts';
import type { SecondProcessOutput } from './second-process.ts';
import { vectorHash } from './vector-bits.ts';

/** A finished round and its reference vectors, kept for the second process's comparison. */
export interface DoneRound {
  readonly keys: RoundKeys;
  readonly tally: RoundTally;
  readonly references: ReadonlyMap<string, Float64Array>;
}

/** The second process's hashes (computed and read from the cache) against each round's references. */
export function compareSecondProcess(rounds: readonly DoneRound[], output: SecondProcessOutput): void {
  for (const { keys, tally, references } of rounds) {
    for (const symbol of keys.symbols) {
      const id = `${symbol}@${keys.date}`;
      const expected = vectorHash(references.get(symbol)!);
      for (const [what, hash] of [
        ['computed', output.computed[id]],
        ['read from the cache', output.cached[id]],
      ] as const) {
        tally.comparisons += 1;
        if (hash === expected) continue;
        tally.differing += 1;
        if (tally.differences.length < 10)
          tally.differences.push(
            `round ${keys.round + 1}: second process (${what}): ${id} ${hash === null ? 'not found (miss)' : 'has another hash'}`,
          );
      }
    }
  }
}
