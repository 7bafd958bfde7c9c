/** The document's worked example end to end: 5 symbols, 4 of them cached, vs the same 5 with no cache. */
import { medianPairedGainPercent } from '../../bench/analysis/paired-gain.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import { hitRate } from '../../src/cache/cache-health.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { BATCH, SIGNALS_PATH, body, forget } from './combo-source.ts';
import type { Combo } from './combo-source.ts';
import { snapshot, sortedQuantileMs } from './http-phase.ts';
import type { HttpSignalsRun } from './http-phase.ts';
import { SequentialHttpClient } from './sequential-http-client.ts';

/** The metrics of the example's timed requests (kept pairs only), one trial per round. */
const MIX_METRICS = { noCache: 'http.mix.no-cache', withCache: 'http.mix.80pct-hit' } as const;

/** The trials of the example's three claims, one entry per round. */
export interface MixTrials {
  readonly 'http.mix-no-cache': number[];
  readonly 'http.mix-with-cache': number[];
  readonly 'http.mix-improvement': number[];
}

/** The same request timed on both services back to back, in ns. */
export interface RequestPair {
  readonly noCacheNs: number;
  readonly withCacheNs: number;
}

/** The improvement with the cache in %, over request pairs timed back to back. */
export function pairedImprovementPercent(pairs: readonly RequestPair[]): number {
  return medianPairedGainPercent(pairs.map((p) => ({ before: p.noCacheNs, after: p.withCacheNs })));
}

/** One round's three figures: the two p50s in ms and the paired improvement in %. */
export function roundFigures(pairs: readonly RequestPair[]): {
  noCacheMs: number;
  withCacheMs: number;
  improvement: number;
} {
  if (pairs.length === 0) return { noCacheMs: Number.NaN, withCacheMs: Number.NaN, improvement: Number.NaN };
  return {
    noCacheMs: medianOf(pairs.map((p) => p.noCacheNs)) / NS_PER_MS,
    withCacheMs: medianOf(pairs.map((p) => p.withCacheNs)) / NS_PER_MS,
    improvement: pairedImprovementPercent(pairs),
  };
}

/**
 * A round's requests: one as-of date, the symbols in a shuffled order, request i the window of 5
 * starting at i. So 4 of a request's symbols are the previous request's last 4 (cached by its
 * with-cache half) and only the last one is new: the set-up between two pairs is one UNLINK.
 */
export function windowRequests(symbols: readonly string[], date: string, count: number, random: SeededRandom): Combo[] {
  const order = random.shuffled(symbols);
  return Array.from({ length: count }, (_, i) => ({
    date,
    symbols: Array.from({ length: BATCH }, (_, k) => order[(i + k) % order.length]!),
  }));
}

interface MixRound {
  readonly pairs: RequestPair[];
  readonly hits: number;
  readonly misses: number;
  /** Pairs whose with-cache request was not 4 hits and 1 miss (a lookup given up under load): not used. */
  readonly dropped: number;
}

/** A timed request that must succeed: anything but 200 on loopback is a failure of the run. */
async function timedOk(client: SequentialHttpClient, payload: string, what: string): Promise<number> {
  const { status, latencyNs } = await client.post(SIGNALS_PATH, payload);
  if (status !== 200) throw new Error(`${what} request failed: HTTP ${status}`);
  return latencyNs;
}

/** One request on both services back to back, no-cache first or second. */
async function timePair(
  clients: { noCache: SequentialHttpClient; withCache: SequentialHttpClient },
  payload: string,
  noCacheFirst: boolean,
): Promise<RequestPair> {
  if (noCacheFirst) {
    const noCacheNs = await timedOk(clients.noCache, payload, 'no-cache');
    return { noCacheNs, withCacheNs: await timedOk(clients.withCache, payload, '80%-hit') };
  }
  const withCacheNs = await timedOk(clients.withCache, payload, '80%-hit');
  return { noCacheNs: await timedOk(clients.noCache, payload, 'no-cache'), withCacheNs };
}

/**
 * One round from a defined start: its own two new connections; the first request's keys removed and
 * 4 of its symbols cached through the with-cache connection, one request on the no-cache connection
 * (both untimed); then every request on both services back to back, the order swapped from one
 * request to the next, the key of its new (fifth) symbol removed right before (untimed). A pair is
 * kept only when its with-cache request really was 4 hits and 1 miss.
 */
async function mixRound(run: HttpSignalsRun, set: readonly Combo[]): Promise<MixRound> {
  const { cached, uncached, context } = run;
  await forget(context.admin, set.slice(0, 1));
  const withCache = await SequentialHttpClient.open(cached.url);
  const noCache = await SequentialHttpClient.open(uncached.url).catch((error: unknown) => {
    withCache.close();
    throw error;
  });
  try {
    await timedOk(withCache, body(set[0]!, set[0]!.symbols.slice(0, BATCH - 1)), 'set-up');
    await timedOk(noCache, body(set[0]!), 'set-up');
    const round = { pairs: [] as RequestPair[], hits: 0, misses: 0, dropped: 0 };
    for (const [i, combo] of set.entries()) {
      await context.admin.unlink(featureKey(combo.symbols[BATCH - 1]!, combo.date));
      const before = snapshot(cached);
      const pair = await timePair({ noCache, withCache }, body(combo), i % 2 === 0);
      const after = snapshot(cached);
      const [hits, misses, fallbacks] = [
        after.hits - before.hits,
        after.misses - before.misses,
        after.fallbacks - before.fallbacks,
      ];
      round.hits += hits;
      round.misses += misses;
      if (hits === BATCH - 1 && misses === 1 && fallbacks === 0) round.pairs.push(pair);
      else round.dropped += 1;
    }
    return round;
  } finally {
    withCache.close();
    noCache.close();
  }
}

/** What the measured rounds add up to: the pairs kept and the with-cache requests' cache tally. */
interface MixTotals {
  readonly pairs: RequestPair[];
  hits: number;
  misses: number;
  dropped: number;
}

/**
 * p50 and p99 of each variant over all rounds, the example's hit rate (all with-cache requests),
 * the pairs dropped, and a note when the hit rate is not 80% or a pair was dropped.
 */
function mixValues(run: HttpSignalsRun, { pairs, hits, misses, dropped }: MixTotals): void {
  const { values, notes } = run;
  for (const [name, list] of [
    ['mix.no-cache', pairs.map((p) => p.noCacheNs)],
    ['mix.80pct-hit', pairs.map((p) => p.withCacheNs)],
  ] as const) {
    const sorted = [...list].sort((x, y) => x - y);
    values[`${name}.p50-ms`] = {
      value: sortedQuantileMs(sorted, 0.5),
      unit: 'ms',
      description: `${name}: median latency over all rounds (${sorted.length} requests, one connection per round)`,
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
  values['mix.dropped-pairs'] = {
    value: dropped,
    unit: 'count',
    description:
      'request pairs left out of the trials because the with-cache request was not 4 hits and 1 miss (a lookup the service gave up, e.g. its cache timeout under load)',
  };
  if (hits + misses > 0 && Math.abs(hits / (hits + misses) - 0.8) > 0.01)
    notes.push(`anomaly: the 80%-hit requests hit ${((100 * hits) / (hits + misses)).toFixed(1)}% of lookups`);
  if (dropped > 0)
    notes.push(
      `anomaly: ${dropped} request pair(s) of the 80%-hit example left out: their with-cache request was not 4 hits and 1 miss`,
    );
}

/** Requests of the untimed warm-up round: enough to warm both connections' code paths. */
const WARMUP_REQUESTS = 10;

/**
 * A warm-up round (never recorded), then the example's rounds; each round's two p50s (ms) and
 * paired improvement (%) are one trial of each claim.
 */
export async function mixExample(
  run: HttpSignalsRun,
  symbols: readonly string[],
  dates: readonly string[],
): Promise<MixTrials> {
  const { params, context } = run;
  const random = SeededRandom.forKey(context.params.seed, 'http-signals.mix');
  const trials: MixTrials = { 'http.mix-no-cache': [], 'http.mix-with-cache': [], 'http.mix-improvement': [] };
  const totals: MixTotals = { pairs: [], hits: 0, misses: 0, dropped: 0 };
  context.progress(
    `80%-hit example: a warm-up round, then ${params.mixRounds} rounds of ${params.mixRequestsPerRound} requests on each service, one connection each`,
  );
  for (let round = -1; round < params.mixRounds && !context.signal.aborted; round += 1) {
    const count = round < 0 ? Math.min(WARMUP_REQUESTS, params.mixRequestsPerRound) : params.mixRequestsPerRound;
    const date = dates[Math.floor(random.nextFloat() * dates.length)]!;
    const result = await mixRound(run, windowRequests(symbols, date, count, random));
    if (round < 0) continue;
    for (const pair of result.pairs) {
      context.recorders.metric(MIX_METRICS.noCache).recordNs(pair.noCacheNs);
      context.recorders.metric(MIX_METRICS.withCache).recordNs(pair.withCacheNs);
    }
    context.recorders.markTrial();
    totals.hits += result.hits;
    totals.misses += result.misses;
    totals.dropped += result.dropped;
    totals.pairs.push(...result.pairs);
    const figures = roundFigures(result.pairs);
    trials['http.mix-no-cache'].push(figures.noCacheMs);
    trials['http.mix-with-cache'].push(figures.withCacheMs);
    trials['http.mix-improvement'].push(figures.improvement);
  }
  mixValues(run, totals);
  return trials;
}
