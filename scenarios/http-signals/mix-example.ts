/** The document's worked example end to end: 5 symbols, 4 of them cached, vs the same 5 with no cache. */
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import { hitRate } from '../../src/cache/cache-health.ts';
import { BATCH, body, forget, postOnce } from './combo-source.ts';
import type { Combo } from './combo-source.ts';
import { snapshot, sortedQuantileMs } from './http-phase.ts';
import type { HttpSignalsRun, PhaseFigures, PhaseOptions } from './http-phase.ts';

/** The trials of the example's three claims, one entry per round. */
export interface MixTrials {
  readonly 'http.mix-no-cache': number[];
  readonly 'http.mix-with-cache': number[];
  readonly 'http.mix-improvement': number[];
}

interface MixRound {
  readonly noCache: PhaseFigures;
  readonly withCache: PhaseFigures;
  readonly hits: number;
  readonly misses: number;
}

/** One round: 4 of each request's 5 symbols cached, then both variants over the same requests. */
async function mixRound(run: HttpSignalsRun, round: number, set: readonly Combo[]): Promise<MixRound> {
  const { cached, uncached, phase } = run;
  await forget(run.context.admin, set);
  for (const combo of set) await postOnce(cached, body(combo, combo.symbols.slice(0, BATCH - 1)));
  const one: PhaseOptions = {
    connections: 1,
    durationMs: run.params.phaseDurationMs * 4,
    maxRequests: set.length,
    summarize: false,
    record: round >= 0,
  };
  let a = 0;
  let b = 0;
  // Alternate which variant goes first, so slow drift of the machine does not favour one.
  const runNoCache = () => phase('mix.no-cache', uncached, () => body(set[Math.min(a++, set.length - 1)]!), one);
  const before = snapshot(cached);
  const runWithCache = () => phase('mix.80pct-hit', cached, () => body(set[Math.min(b++, set.length - 1)]!), one);
  const [noCache, withCache] =
    round % 2 === 0
      ? [await runNoCache(), await runWithCache()]
      : await (async () => {
          const w = await runWithCache();
          const n = await runNoCache();
          return [n, w] as const;
        })();
  const after = snapshot(cached);
  return { noCache, withCache, hits: after.hits - before.hits, misses: after.misses - before.misses };
}

/** p50 and p99 of each variant over all rounds, the example's hit rate, and a note when it is not 80%. */
function mixValues(run: HttpSignalsRun, all: { noCache: number[]; withCache: number[] }, hits: number, misses: number) {
  const { values, notes } = run;
  for (const [name, list] of [
    ['mix.no-cache', all.noCache],
    ['mix.80pct-hit', all.withCache],
  ] as const) {
    const sorted = [...list].sort((x, y) => x - y);
    values[`${name}.p50-ms`] = {
      value: sortedQuantileMs(sorted, 0.5),
      unit: 'ms',
      description: `${name}: median latency over all rounds (${sorted.length} requests, one connection)`,
    };
    values[`${name}.p99-ms`] = {
      value: sortedQuantileMs(sorted, 0.99),
      unit: 'ms',
      description: `${name}: p99 latency over all rounds`,
    };
  }
  values['mix.hit-rate'] = {
    value: hitRate({ hits, misses }),
    unit: 'ratio',
    description: "feature cache hit rate of the 80%-hit requests (the document's example: 0.8)",
  };
  if (hits + misses > 0 && Math.abs(hits / (hits + misses) - 0.8) > 0.01)
    notes.push(`anomaly: the 80%-hit requests hit ${((100 * hits) / (hits + misses)).toFixed(1)}% of lookups`);
}

/** The example's rounds; each round's medians (ms) and improvement (%) are one trial of each claim. */
export async function mixExample(run: HttpSignalsRun): Promise<MixTrials> {
  const { params, combos, context } = run;
  const trials: MixTrials = { 'http.mix-no-cache': [], 'http.mix-with-cache': [], 'http.mix-improvement': [] };
  const all = { noCache: [] as number[], withCache: [] as number[] };
  let hits = 0;
  let misses = 0;
  // Round -1 is a warm-up of both variants (JIT, connections), never recorded nor judged.
  for (let round = -1; round < params.mixRounds && !context.signal.aborted; round += 1) {
    const set = combos.take(params.mixRequestsPerRound);
    if (set.length === 0) {
      run.notes.push(
        `the data set ran out of distinct requests after ${round} round(s) of the 80%-hit example; raise symbolCount`,
      );
      break;
    }
    const { noCache, withCache, ...counts } = await mixRound(run, round, set);
    hits += counts.hits;
    misses += counts.misses;
    if (round < 0) continue;
    context.recorders.markTrial();
    all.noCache.push(...noCache.okLatenciesNs);
    all.withCache.push(...withCache.okLatenciesNs);
    if (noCache.okLatenciesNs.length === 0 || withCache.okLatenciesNs.length === 0) continue;
    const n = medianOf(noCache.okLatenciesNs) / NS_PER_MS;
    const w = medianOf(withCache.okLatenciesNs) / NS_PER_MS;
    trials['http.mix-no-cache'].push(n);
    trials['http.mix-with-cache'].push(w);
    trials['http.mix-improvement'].push(((n - w) / n) * 100);
  }
  mixValues(run, all, hits, misses);
  return trials;
}
