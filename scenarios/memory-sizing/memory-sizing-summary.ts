/** memory-sizing's outcome: per-trial figures and verdicts, the named figures, the series and the notes. */
import { medianInterval, medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ScenarioSeries, ScenarioValue } from '../../bench/core/run-summary.ts';
import { claimIn, environmentConditions, figure } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { MEMORY_SIZING_CLAIMS } from './claims.ts';
import { DOCUMENT_POLICY } from './eviction-day.ts';
import type { DayResult } from './eviction-day.ts';
import { EXAMPLE_KEYS } from './memory-fill.ts';
import { evictionKnee, keysThatFit, percentOf, scaleToDocument, streamTtlPxMs } from './memory-figures.ts';
import { DOCUMENT_KEY_SPACE, DOCUMENT_MAXMEMORY_BYTES } from './memory-sizing-params.ts';
import type { MemoryMeasurement } from './memory-sizing-run.ts';

const MIB = 1024 * 1024;
export const CLAIM_EXAMPLE = 'monitoring.memory-example';
export const CLAIM_NO_TTL = 'antipattern.no-ttl';
export const CLAIM_ALWAYS_TTL = 'antipattern.always-ttl';
export const CLAIM_FITS = 'production.maxmemory-fits';
export const CLAIM_EVICTIONS = 'production.evictions-near-zero';

const median = (values: readonly number[]): number => {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? Number.NaN : medianOf(finite);
};

/** Evictions after the warm-up in % of the fills accepted in the same span. */
export function evictionsPercent(day: DayResult): number {
  return percentOf(day.evictionsCounted, day.fillsCounted);
}

function trialFigures(m: MemoryMeasurement): Record<string, number[]> {
  return {
    [CLAIM_EXAMPLE]: m.fills.map((f) => f.usedMemoryAtExample),
    [CLAIM_NO_TTL]: m.pairs.map((pair) => percentOf(pair.bad.endUsedMemory, m.stream.maxmemoryBytes)),
    [CLAIM_ALWAYS_TTL]: m.pairs.map((pair) => percentOf(pair.good.peakUsedMemory, m.stream.maxmemoryBytes)),
    [CLAIM_FITS]: m.days.map((d) => percentOf(d.peakUsedMemory, m.maxmemoryBytes)),
    [CLAIM_EVICTIONS]: m.days.map(evictionsPercent),
  };
}

function scaleNote(m: MemoryMeasurement): string {
  const keySpace = m.traces[0].keySpace;
  return keySpace === DOCUMENT_KEY_SPACE
    ? `the documented universe (${m.p.symbols} symbols x ${m.p.lookbackDates} dates = ${keySpace} keys) at maxmemory 512mb itself`
    : `a universe of ${m.p.symbols} symbols x ${m.p.lookbackDates} dates = ${keySpace} keys at maxmemory ${(m.maxmemoryBytes / MIB).toFixed(1)} MB: 512mb scaled by ${keySpace}/${DOCUMENT_KEY_SPACE} keys of the documented universe (500 x 20), the same keys-to-capacity ratio`;
}

function dayConditions(context: ScenarioContext, m: MemoryMeasurement): string {
  const { p, clock } = m;
  const lagS = median(m.days.map((d) => (d.replay.lagP99Ms * clock.acceleration) / 1_000));
  return [
    environmentConditions(context),
    scaleNote(m),
    `maxmemory-policy ${DOCUMENT_POLICY}, maxmemory-samples 5`,
    `workload: simulated trading days of ${p.sessionSeconds / 3_600} h, ${p.signalRequestsPerSecond} signal request/s of ${p.symbolsPerRequest} symbols (zipfian ${p.symbolTheta} over symbols, ${p.dateTheta} over the date's age; a harness assumption: the document gives no request rate), cache-aside GET then SET PX on a miss, real Alpha158 values in the default codec (${Math.round(m.values.meanValueBytes)} bytes mean)`,
    `clock: ${clock.acceleration} simulated s per real s (${Math.round(p.headroom * 100)}% of the ${Math.round(m.calibratedRate)} lookups/s measured unpaced), TTL ${p.ttlSeconds} s = SET PX ${clock.ttlPxMs} ms; the replays ran ${lagS.toFixed(0)} simulated s behind schedule at the 99th percentile (median)`,
    `trials: ${m.days.length} simulated days, each its own seed, from a flushed Redis; the first TTL of each day is the warm-up; INFO polled every 20 ms`,
  ].join('; ');
}

function streamConditions(context: ScenarioContext, m: MemoryMeasurement): string {
  const { p, stream } = m;
  return [
    environmentConditions(context),
    `a stream of ${stream.dates} new trading dates, each date's ${stream.symbols} symbols written in one pipelined burst (real feature values, default codec), ${stream.dateIntervalMs} ms apart (one trading session of 23,400 simulated s)`,
    `maxmemory ${(stream.maxmemoryBytes / MIB).toFixed(1)} MB: the empty instance + room for ${p.streamCapacityDates} dates at the measured bytes per key; maxmemory-policy ${DOCUMENT_POLICY}`,
    `bad: SET without TTL (the document's bad code); good: SET PX ${streamTtlPxMs(p.ttlSeconds, stream.dateIntervalMs)} ms (its TTL ${p.ttlSeconds} s on the same clock: 3600/23400 of the interval between dates)`,
    `trials: ${m.pairs.length}, each the two variants from a flushed Redis, order alternating; used_memory read after every date`,
  ].join('; ');
}

function exampleConditions(context: ScenarioContext, m: MemoryMeasurement): string {
  return `${environmentConditions(context)}; ${EXAMPLE_KEYS} keys features:{symbol}:{date} written by src FeatureCache (json-array codec, EX 3600) into a flushed Redis, used_memory read at DBSIZE ${EXAMPLE_KEYS}; ${m.fills.length} fills of ${m.fills[0]?.keys ?? 0} keys, each with its own trading day's dates`;
}

function verdicts(context: ScenarioContext, m: MemoryMeasurement, figures: Record<string, number[]>) {
  const conditions: Record<string, string> = {
    [CLAIM_EXAMPLE]: exampleConditions(context, m),
    [CLAIM_NO_TTL]: streamConditions(context, m),
    [CLAIM_ALWAYS_TTL]: streamConditions(context, m),
    [CLAIM_FITS]: dayConditions(context, m),
    [CLAIM_EVICTIONS]: dayConditions(context, m),
  };
  return MEMORY_SIZING_CLAIMS.map((c) =>
    judgeClaim(claimIn(MEMORY_SIZING_CLAIMS, c.id), figures[c.id], conditions[c.id]),
  );
}

function sizingValues(m: MemoryMeasurement): Record<string, ScenarioValue> {
  const perKey = median(m.fills.map((f) => f.usedMemoryPerKey));
  const fits = m.fills.map((f) => keysThatFit(DOCUMENT_MAXMEMORY_BYTES, f.baselineUsedMemory, f.usedMemoryPerKey));
  const fitsInterval = fits.every(Number.isFinite) && fits.length > 0 ? medianInterval(fits) : null;
  return {
    'memory.used-memory-per-key-bytes': figure(
      perKey,
      'bytes',
      'median over fills of (used_memory after the fill - empty instance) / keys: what maxmemory counts per feature key',
    ),
    'memory.memory-usage-per-key-bytes': figure(
      median(m.fills.map((f) => f.memoryUsagePerKey)),
      'bytes',
      'median over fills of the mean MEMORY USAGE key SAMPLES 0 over every key',
    ),
    'memory.value-bytes': figure(
      m.values.meanValueBytes,
      'bytes',
      'mean stored value (Alpha158 in the default json-array codec)',
    ),
    'memory.baseline-used-memory-bytes': figure(
      median(m.fills.map((f) => f.baselineUsedMemory)),
      'bytes',
      'used_memory of the empty instance',
    ),
    'memory.used-memory-at-500-keys-bytes': figure(
      median(m.fills.map((f) => f.usedMemoryAtExample)),
      'bytes',
      "used_memory at DBSIZE 500 (the document's example shows 256.00M)",
    ),
    'sizing.symbol-days-in-512mb': figure(
      fitsInterval?.median ?? null,
      'count',
      'feature keys (symbol-days) that fit in maxmemory 512mb: (512 MiB - empty instance) / used_memory per key, median over fills',
    ),
    'sizing.symbol-days-in-512mb.low': figure(
      fitsInterval?.low ?? null,
      'count',
      `low end of the ${fitsInterval === null ? '' : Math.round(fitsInterval.coverage * 1000) / 10}% interval of the median`,
    ),
    'sizing.symbol-days-in-512mb.high': figure(fitsInterval?.high ?? null, 'count', 'high end of the same interval'),
    'sizing.documented-key-space-mb': figure(
      (DOCUMENT_KEY_SPACE * perKey) / MIB,
      'MB',
      'every key of the documented universe (500 symbols x 20 dates) at once, at the measured bytes per key',
    ),
    'sizing.maxmemory-mb': figure(
      m.maxmemoryBytes / MIB,
      'MB',
      'maxmemory of the day replays (512mb scaled to the run key space)',
    ),
  };
}

function dayValues(m: MemoryMeasurement): Record<string, ScenarioValue> {
  const keySpace = m.traces[0].keySpace;
  const baseline = median(m.fills.map((f) => f.baselineUsedMemory));
  const peak = median(m.days.map((d) => d.peakUsedMemory));
  return {
    'day.peak-used-memory-mb': figure(peak / MIB, 'MB', 'median over days of the peak used_memory'),
    'day.peak-used-memory-document-mb': figure(
      scaleToDocument(peak, baseline, keySpace) / MIB,
      'MB',
      'the same scaled to the documented universe (keys share x 10,000 / key space)',
    ),
    'day.peak-percent-of-maxmemory': figure(
      median(trialFigures(m)[CLAIM_FITS]),
      '%',
      'median over days of peak used_memory / maxmemory',
    ),
    'day.lookups': figure(median(m.traces.map((t) => t.keys.length)), 'count', 'lookups per simulated day'),
    'evictions.percent-of-fills': figure(
      median(m.days.map(evictionsPercent)),
      '%',
      'median over days of evictions after the warm-up / fills accepted then',
    ),
    'evictions.per-simulated-second': figure(
      median(m.days.map((d) => d.evictionsCounted / d.countedSimulatedSeconds)),
      '1/s',
      'median over days of evictions after the warm-up per simulated second (the service at the assumed request rate)',
    ),
    'evictions.total': figure(
      m.days.reduce((s, d) => s + d.evictionsTotal, 0),
      'count',
      'evicted_keys over all days, warm-ups included',
    ),
    'fills.refused': figure(
      m.days.reduce((s, d) => s + d.fillsRefused, 0),
      'count',
      'fills Redis refused (OOM) over all days',
    ),
    'clock.acceleration': figure(m.clock.acceleration, 'x', 'simulated seconds per real second'),
    'clock.calibrated-lookups-per-second': figure(
      m.calibratedRate,
      '1/s',
      'unpaced lookups per real second at the start',
    ),
    'replay.lag-p99-simulated-s': figure(
      median(m.days.map((d) => (d.replay.lagP99Ms * m.clock.acceleration) / 1_000)),
      's',
      'how far the replays ran behind the simulated clock at the 99th percentile (median over days)',
    ),
  };
}

function sweepValues(m: MemoryMeasurement): Record<string, ScenarioValue> {
  const keySpace = m.traces[0].keySpace;
  const baseline = median(m.fills.map((f) => f.baselineUsedMemory));
  const toDocumentMb = (bytes: number | null): number | null =>
    bytes === null ? null : scaleToDocument(bytes, baseline, keySpace) / MIB;
  const values: Record<string, ScenarioValue> = {};
  for (const { fraction, day } of m.sweep) {
    const name = `sweep.${Math.round(fraction * 100)}pct`;
    values[`${name}.maxmemory-document-mb`] = figure(
      toDocumentMb(day.maxmemoryBytes),
      'MB',
      `maxmemory at ${fraction * 100}% of the peak working set above the empty instance, scaled to the documented universe`,
    );
    values[`${name}.evictions-percent-of-fills`] = figure(
      evictionsPercent(day),
      '%',
      'evictions after the warm-up / fills accepted then (day 0 replayed)',
    );
    values[`${name}.evictions-per-simulated-second`] = figure(
      day.evictionsCounted / day.countedSimulatedSeconds,
      '1/s',
      'evictions after the warm-up per simulated second',
    );
  }
  const claim = claimIn(MEMORY_SIZING_CLAIMS, CLAIM_EVICTIONS);
  const points = [
    ...m.days.map((d) => ({ maxmemoryBytes: d.maxmemoryBytes, evictionsPercent: evictionsPercent(d) })),
    ...m.sweep.map((s) => ({ maxmemoryBytes: s.day.maxmemoryBytes, evictionsPercent: evictionsPercent(s.day) })),
  ];
  const knee = evictionKnee(points, claim.claimed);
  values['sweep.smallest-near-zero-document-mb'] = figure(
    toDocumentMb(knee.smallestNearZero),
    'MB',
    `smallest maxmemory measured (days and sweep) with evictions <= ${claim.claimed}% of fills, scaled to the documented universe`,
  );
  values['sweep.largest-above-document-mb'] = figure(
    toDocumentMb(knee.largestAbove),
    'MB',
    `largest maxmemory measured with evictions above ${claim.claimed}% of fills (null: none): evictions stop being near 0 between this and the one above`,
  );
  return values;
}

function streamValues(m: MemoryMeasurement): Record<string, ScenarioValue> {
  const { pairs, stream } = m;
  const of = (pick: (p: (typeof pairs)[number]) => number): number => median(pairs.map(pick));
  return {
    'stream.maxmemory-mb': figure(stream.maxmemoryBytes / MIB, 'MB', 'maxmemory of the no-TTL streams'),
    'stream.ttl-px-ms': figure(stream.ttlPxMs, 'ms', "the good variant's SET PX (TTL 3600 s on the stream's clock)"),
    'no-ttl.end-percent-of-maxmemory': figure(
      of((p) => percentOf(p.bad.endUsedMemory, stream.maxmemoryBytes)),
      '%',
      'bad variant: used_memory at the end / maxmemory (median)',
    ),
    'no-ttl.refused-percent': figure(
      of((p) => percentOf(p.bad.refused, p.bad.writes)),
      '%',
      'bad variant: writes refused with OOM / writes (median)',
    ),
    'no-ttl.evicted-keys': figure(
      of((p) => p.bad.evictedKeys),
      'count',
      'bad variant: keys evicted (volatile-lru finds none with a TTL)',
    ),
    'no-ttl.keys-at-end': figure(
      of((p) => p.bad.keysAtEnd),
      'count',
      'bad variant: keys held at the end (every accepted write persists)',
    ),
    'always-ttl.peak-percent-of-maxmemory': figure(
      of((p) => percentOf(p.good.peakUsedMemory, stream.maxmemoryBytes)),
      '%',
      'good variant: peak used_memory / maxmemory (median)',
    ),
    'always-ttl.refused': figure(
      pairs.reduce((s, p) => s + p.good.refused, 0),
      'count',
      'good variant: writes refused, all trials',
    ),
    'always-ttl.evicted-keys': figure(
      pairs.reduce((s, p) => s + p.good.evictedKeys, 0),
      'count',
      'good variant: keys evicted, all trials (0: the TTL alone bounded memory)',
    ),
    'always-ttl.expired-keys': figure(
      of((p) => p.good.expiredKeys),
      'count',
      'good variant: keys expired (median)',
    ),
    'always-ttl.keys-at-end': figure(
      of((p) => p.good.keysAtEnd),
      'count',
      'good variant: keys held at the end (median)',
    ),
  };
}

function series(m: MemoryMeasurement): Record<string, ScenarioSeries> {
  const out: Record<string, ScenarioSeries> = {};
  const first = m.pairs[0];
  if (first !== undefined) {
    for (const [name, result] of [
      ['no-ttl: used memory by date', first.bad],
      ['always-ttl: used memory by date', first.good],
    ] as const)
      out[name] = {
        x: result.usedMemoryPerDate.map((_, i) => i + 1),
        y: result.usedMemoryPerDate.map((b) => b / MIB),
        xLabel: 'dates written',
        yLabel: 'used_memory (MB)',
      };
  }
  const baseline = median(m.fills.map((f) => f.baselineUsedMemory));
  const points = [...m.sweep.map((s) => s.day), ...(m.days.length > 0 ? [m.days[0]] : [])].sort(
    (a, b) => a.maxmemoryBytes - b.maxmemoryBytes,
  );
  if (points.length > 0)
    out['evictions by maxmemory'] = {
      x: points.map((d) => scaleToDocument(d.maxmemoryBytes, baseline, m.traces[0].keySpace) / MIB),
      y: points.map(evictionsPercent),
      xLabel: 'maxmemory scaled to the documented universe (MB)',
      yLabel: 'evictions after the warm-up (% of fills)',
    };
  return out;
}

function notes(m: MemoryMeasurement): string[] {
  const out = [
    `bytes per key: ${m.fills.length} fills of ${m.fills[0]?.keys ?? 0} keys through src FeatureCache (EX 3600, json-array), ${Math.round(median(m.fills.map((f) => f.usedMemoryPerKey)))} bytes of used_memory per key, MEMORY USAGE ${Math.round(median(m.fills.map((f) => f.memoryUsagePerKey)))}`,
    `the document's example shows 256.00M at DBSIZE 500; measured ${(median(m.fills.map((f) => f.usedMemoryAtExample)) / MIB).toFixed(2)} MB`,
    "the day replays and the sweep reuse hit-rate-curve's trace replay (GET, SET PX on a miss, one lean RESP connection) and its calibrated clock",
  ];
  const lagging = m.days.filter((d) => d.replay.lagP99Ms > 0.05 * m.clock.ttlPxMs).length;
  if (lagging > 0)
    out.push(
      `${lagging} day(s) ran behind the simulated clock by more than 5% of the TTL at the 99th percentile: their TTLs were effectively longer`,
    );
  if (m.days.some((d) => d.replay.aborted)) out.push('interrupted: fewer trials than planned');
  return out;
}

export function memoryOutcome(context: ScenarioContext, m: MemoryMeasurement): ScenarioOutcome {
  const figures = trialFigures(m);
  return {
    values: { ...sizingValues(m), ...dayValues(m), ...sweepValues(m), ...streamValues(m) },
    trials: figures,
    verdicts: verdicts(context, m, figures),
    series: series(m),
    parameters: {
      ...m.p,
      maxmemoryBytes: m.maxmemoryBytes,
      documentKeySpace: DOCUMENT_KEY_SPACE,
      acceleration: m.clock.acceleration,
      ttlPxMs: m.clock.ttlPxMs,
      streamMaxmemoryBytes: m.stream.maxmemoryBytes,
      streamTtlPxMs: m.stream.ttlPxMs,
      sweepMaxmemoryBytes: m.sweep.map((s) => s.day.maxmemoryBytes),
    },
    notes: notes(m),
  };
}
