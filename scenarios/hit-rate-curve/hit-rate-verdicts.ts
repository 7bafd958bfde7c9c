/** The hit-rate scenario's verdicts: the document's hit rate, and what a full cache does to it and to new keys. */
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import { MS_PER_S } from '../../bench/core/units.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { claimIn, environmentConditions } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { HIT_RATE_CLAIMS } from './claims.ts';
import { pairwiseDifference, segmentFillSuccess, segmentHitRates } from './hit-rate-figures.ts';
import { MB } from './hit-rate-sweep.ts';
import type { HitRateMeasurement, HitRateWorkload, PointResult } from './hit-rate-sweep.ts';

export const CLAIM_HIT_RATE = 'monitoring.hit-rate';
export const CLAIM_FULL_DECREASE = 'degradation.cache-full-hit-rate';
export const CLAIM_FULL_FILLS = 'degradation.cache-full-new-keys-cached';

function conditions(context: ScenarioContext, workload: HitRateWorkload, extra: string): string {
  const { p, baseTrace: trace } = workload;
  return [
    environmentConditions(context),
    `workload: ${p.symbols} symbols (zipfian ${p.symbolTheta}) x ${p.dates} dates ("latest" ${p.dateTheta}) = ${trace.keySpace} keys, ${trace.keys.length} requests replayed in real time at ${p.requestsPerSecond}/s (${(trace.durationMs / MS_PER_S).toFixed(1)} s), first ${Math.round(p.warmupFraction * 100)}% warm-up, ${p.codec} values`,
    extra,
  ].join('; ');
}

function workloadNote({ workload, memory }: HitRateMeasurement, r: PointResult): string {
  const { workingSet } = workload;
  return `maxmemory ${(r.maxmemoryBytes / MB).toFixed(1)} MB ${r.point.policy} samples ${r.point.samples}, TTL ${r.point.ttlSeconds} s; the ${workingSet} keys the trace requests take ${((workingSet * memory.usedMemoryPerKey) / MB).toFixed(1)} MB`;
}

/** What the document-configuration hit rate depends on, in words, for its verdict's conditions. */
function dependsOn(workload: HitRateWorkload, doc: PointResult): string {
  const { workingSet, baseTrace } = workload;
  const fits = doc.capacityKeys >= workingSet;
  const ttlOutlasts = doc.point.ttlSeconds * MS_PER_S >= baseTrace.durationMs;
  if (!fits) return 'the requested keys do not all fit: the hit rate depends on the cache size, the skew and the TTL';
  return ttlOutlasts
    ? `all ${workingSet} requested keys fit in 512 MB and the TTL (${doc.point.ttlSeconds} s) outlasts the ${(baseTrace.durationMs / MS_PER_S).toFixed(0)} s run, so no key is evicted or expires: every miss is the first request of a key, and the hit rate depends only on how many distinct keys the skewed requests reach (universe, skew, run length), not on the cache size; a longer run with the same TTL would show a higher figure, a TTL shorter than the time between requests to a key a lower one`
    : `all ${workingSet} requested keys fit in 512 MB: misses are first requests and TTL expiries; the hit rate depends on the request rate per key against the TTL, not on the cache size`;
}

/** The verdicts and their trials: segments of the counted replay are the trials of every claim. */
export function hitRateVerdicts(
  context: ScenarioContext,
  measurement: HitRateMeasurement,
): { verdicts: ClaimVerdict[]; trials: Record<string, number[]> } {
  const { workload, results } = measurement;
  const { p, warmup, workingSet } = workload;
  const verdicts: ClaimVerdict[] = [];
  const trials: Record<string, number[]> = {};
  const doc = results.find((r) => r.point.group === 'document');
  const full = results.find((r) => r.point.group === 'cache-full');
  if (doc !== undefined) {
    trials[CLAIM_HIT_RATE] = segmentHitRates(doc.replay.outcomes, warmup, p.segments);
    const extra = `${workloadNote(measurement, doc)}; ${dependsOn(workload, doc)}; trials: ${p.segments} consecutive segments of the counted replay`;
    verdicts.push(
      judgeClaim(
        claimIn(HIT_RATE_CLAIMS, CLAIM_HIT_RATE),
        trials[CLAIM_HIT_RATE],
        conditions(context, workload, extra),
      ),
    );
  }
  if (doc !== undefined && full !== undefined) {
    trials[CLAIM_FULL_DECREASE] = pairwiseDifference(
      segmentHitRates(doc.replay.outcomes, warmup, p.segments),
      segmentHitRates(full.replay.outcomes, warmup, p.segments),
    );
    const fullNote = workloadNote(measurement, full);
    const versus = `full: ${fullNote} (${full.capacityKeys} of the ${workingSet} requested keys fit, ${full.evictedKeys} evictions) vs ${workloadNote(measurement, doc)}; trials: segment-by-segment differences of the two replays of the same trace`;
    verdicts.push(
      judgeClaim(
        claimIn(HIT_RATE_CLAIMS, CLAIM_FULL_DECREASE),
        trials[CLAIM_FULL_DECREASE],
        conditions(context, workload, versus),
      ),
    );
    trials[CLAIM_FULL_FILLS] = segmentFillSuccess(full.replay.outcomes, warmup, p.segments);
    verdicts.push(
      judgeClaim(
        claimIn(HIT_RATE_CLAIMS, CLAIM_FULL_FILLS),
        trials[CLAIM_FULL_FILLS],
        conditions(context, workload, `${fullNote}; every fill has a TTL, so volatile-lru can evict`),
      ),
    );
  }
  return { verdicts, trials };
}
