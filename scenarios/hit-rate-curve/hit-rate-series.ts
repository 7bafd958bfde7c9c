/** The hit-rate scenario's curves: measured points beside the exact LRU prediction, one chart per sweep. */
import { predictHitRatioOverTime, predictHitRatios } from '../../bench/analysis/miss-ratio-curve.ts';
import type { ScenarioSeries } from '../../bench/core/run-summary.ts';
import { MS_PER_S } from '../../bench/core/units.ts';
import { pointKey } from './hit-rate-plan.ts';
import type { HitRateParams } from './hit-rate-plan.ts';
import { MB, capacityKeys, lruSweep } from './hit-rate-sweep.ts';
import type { HitRateMeasurement, PointResult } from './hit-rate-sweep.ts';

const PREDICTED_CURVE_POINTS = 40;
const MAXMEMORY_X = 'maxmemory (MB)';
const HIT_RATE_Y = 'hit rate (%)';
const SAMPLES_X = 'maxmemory-samples';

type Series = Record<string, ScenarioSeries>;

function compareLabel(p: HitRateParams): string {
  return `hit rate (%) at maxmemory = ${Math.round(p.compareFraction * 100)}% of the working set`;
}

/** maxmemory sweep: measured points, and the predicted curve densely over the same range. */
function maxmemorySeries(measurement: HitRateMeasurement, series: Series): void {
  const { workload, memory, results } = measurement;
  const { p, baseTrace } = workload;
  const sweep = lruSweep(results, p);
  if (sweep.length === 0) return;
  const at = (rs: readonly PointResult[], y: (r: PointResult) => number): ScenarioSeries => ({
    x: rs.map((r) => r.maxmemoryBytes / MB),
    y: rs.map(y),
    xLabel: MAXMEMORY_X,
    yLabel: HIT_RATE_Y,
  });
  series['measured: allkeys-lru, samples 10'] = at(sweep, (r) => 100 * r.measured);
  series['predicted at the measured points'] = at(sweep, (r) => 100 * r.predicted);
  const full = results.filter((r) => r.point.group === 'cache-full');
  if (full.length > 0)
    series['measured: volatile-lru, samples 5 (cache-full point)'] = at(full, (r) => 100 * r.measured);
  const maxBytes = sweep[sweep.length - 1].maxmemoryBytes;
  const sizes = Array.from({ length: PREDICTED_CURVE_POINTS }, (_, i) =>
    Math.max(1, Math.round(((i + 1) / PREDICTED_CURVE_POINTS) * capacityKeys(maxBytes, memory, baseTrace.keySpace))),
  );
  const curve = predictHitRatios(baseTrace, {
    sizesKeys: sizes,
    ttlMs: p.ttlSeconds * MS_PER_S,
    warmupAccesses: workload.warmup,
    method: { kind: 'exact' },
  });
  series['predicted: exact LRU (stack distances, TTL-aware)'] = {
    x: curve.points.map((q) => (memory.baselineUsedMemory + q.sizeKeys * memory.usedMemoryPerKey) / MB),
    y: curve.points.map((q) => 100 * q.hitRatio),
    xLabel: MAXMEMORY_X,
    yLabel: HIT_RATE_Y,
  };
}

/** Policies by maxmemory-samples at the compare fraction, with the exact LRU prediction as a flat reference. */
function policySeries(measurement: HitRateMeasurement, series: Series): void {
  const { p } = measurement.workload;
  const { results } = measurement;
  const base = { ttlSeconds: p.ttlSeconds, symbolTheta: p.symbolTheta };
  const byKey = (point: Parameters<typeof pointKey>[0]): PointResult | undefined =>
    results.find((r) => r.point.key === pointKey(point));
  for (const policy of p.policies) {
    const points = [5, 10]
      .map((samples) =>
        byKey({ policy, samples, maxmemory: { kind: 'fraction', fraction: p.compareFraction }, ...base }),
      )
      .filter((r): r is PointResult => r !== undefined);
    if (points.length > 0)
      series[`measured: ${policy}`] = {
        x: points.map((r) => r.point.samples),
        y: points.map((r) => 100 * r.measured),
        xLabel: SAMPLES_X,
        yLabel: compareLabel(p),
      };
  }
  const lruAtCompare = results.find(
    (r) =>
      r.point.maxmemory.kind === 'fraction' &&
      r.point.maxmemory.fraction === p.compareFraction &&
      r.point.symbolTheta === p.symbolTheta &&
      r.point.ttlSeconds === p.ttlSeconds,
  );
  if (lruAtCompare !== undefined && Object.keys(series).some((k) => series[k].xLabel === SAMPLES_X)) {
    series['predicted: exact LRU'] = {
      x: [5, 10],
      y: [100 * lruAtCompare.predicted, 100 * lruAtCompare.predicted],
      xLabel: SAMPLES_X,
      yLabel: compareLabel(p),
    };
  }
}

/** A measured and a predicted line over the same points, when there are at least two. */
function pairedSeries(
  series: Series,
  name: string,
  points: readonly PointResult[],
  x: (r: PointResult) => number,
  labels: { readonly xLabel: string; readonly yLabel: string },
): void {
  if (points.length <= 1) return;
  series[`measured: ${name}`] = { x: points.map(x), y: points.map((r) => 100 * r.measured), ...labels };
  series[`predicted: ${name}`] = { x: points.map(x), y: points.map((r) => 100 * r.predicted), ...labels };
}

/** TTL sweep (the whole working set fits) and skew sweep (at the compare fraction). */
function ttlAndSkewSeries(measurement: HitRateMeasurement, series: Series): void {
  const { p } = measurement.workload;
  const { results } = measurement;
  const ttlPoints = results
    .filter(
      (r) =>
        r.point.maxmemory.kind === 'fraction' &&
        r.point.maxmemory.fraction === 1 &&
        r.point.policy === 'allkeys-lru' &&
        r.point.symbolTheta === p.symbolTheta,
    )
    .sort((a, b) => a.point.ttlSeconds - b.point.ttlSeconds);
  pairedSeries(series, 'by TTL', ttlPoints, (r) => r.point.ttlSeconds, {
    xLabel: 'TTL (s)',
    yLabel: 'hit rate (%), the whole working set fits',
  });
  const skewPoints = results
    .filter(
      (r) =>
        r.point.maxmemory.kind === 'fraction' &&
        r.point.maxmemory.fraction === p.compareFraction &&
        r.point.policy === 'allkeys-lru' &&
        r.point.samples === 10 &&
        r.point.ttlSeconds === p.ttlSeconds,
    )
    .sort((a, b) => a.point.symbolTheta - b.point.symbolTheta);
  pairedSeries(series, 'by skew', skewPoints, (r) => r.point.symbolTheta, {
    xLabel: 'zipfian constant over symbols',
    yLabel: compareLabel(p),
  });
}

/** The document's configuration from a cold cache: hit rate per window, measured and predicted. */
function warmupSeries(measurement: HitRateMeasurement, series: Series): void {
  const doc = measurement.results.find((r) => r.point.group === 'document');
  if (doc === undefined) return;
  const windows = doc.replay.windows;
  const warmLabel = 'hit rate (%) per window, from a cold cache';
  series['measured: warm-up (document configuration)'] = {
    x: windows.map((w) => w.endMs / MS_PER_S),
    y: windows.map((w) => (w.accesses > 0 ? (100 * w.hits) / w.accesses : 0)),
    xLabel: 'seconds since cold start',
    yLabel: warmLabel,
  };
  const windowMs = windows.length > 0 ? windows[0].endMs : 1000;
  const predictedWarm = predictHitRatioOverTime(doc.trace, doc.capacityKeys, doc.point.ttlSeconds * MS_PER_S, windowMs);
  series['predicted: warm-up'] = {
    x: predictedWarm.endMs.map((t) => t / MS_PER_S),
    y: predictedWarm.hitRatio.map((h) => 100 * h),
    xLabel: 'seconds since cold start',
    yLabel: warmLabel,
  };
}

/** Every chart of the scenario, in the report's order. */
export function hitRateSeries(measurement: HitRateMeasurement): Series {
  const series: Series = {};
  maxmemorySeries(measurement, series);
  policySeries(measurement, series);
  ttlAndSkewSeries(measurement, series);
  warmupSeries(measurement, series);
  return series;
}
