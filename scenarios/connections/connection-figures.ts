import { medianOf } from '../../bench/analysis/median-interval.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';

/** One iteration's paired timings, taken back to back so both saw the same machine noise. */
export interface ConnectionPair {
  readonly newConnectionNs: number;
  readonly sharedClientNs: number;
}

/**
 * What a new connection adds to one request, in ms: the median over a round of the paired
 * differences (new connection + first GET) minus (GET on a shared client). Pairing cancels the
 * GET itself and the noise common to both; NaN when the round has no complete pair.
 */
export function connectionOverheadMs(pairs: readonly ConnectionPair[]): number {
  const differences = pairs.map((p) => p.newConnectionNs - p.sharedClientNs).filter((d) => Number.isFinite(d));
  return differences.length === 0 ? Number.NaN : medianOf(differences) / NS_PER_MS;
}
