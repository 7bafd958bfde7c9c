/** The scenario's curves: the maxmemory sweep beside exact LRU, hit rate by request rate, hit rate over a day. */
import { predictHitRatioOverTime } from '../../bench/analysis/miss-ratio-curve.ts';
import type { ScenarioSeries } from '../../bench/core/run-summary.ts';
import { MS_PER_S } from '../../bench/core/units.ts';
import { generateTradingDayTrace } from '../../bench/workload/trading-day-workload.ts';
import { median, unlimitedHitRatio } from './hit-rate-figures.ts';
import { workloadOf } from './hit-rate-plan.ts';
import { MB, capacityKeys } from './hit-rate-replays.ts';
import type { ReplayRun } from './hit-rate-replays.ts';
import type { HitRateMeasurement } from './hit-rate-sweep.ts';
import { ACCESS_HIT, ACCESS_NOT_SENT } from './trace-replay.ts';

const PREDICTED_CURVE_POINTS = 40;
const MAXMEMORY_X = 'maxmemory (MB)';
const HIT_RATE_Y = 'hit rate after the warm-up (%)';
const DAY_WINDOW_MS = 15 * 60 * MS_PER_S;
const MS_PER_HOUR = 3_600 * MS_PER_S;

type Series = Record<string, ScenarioSeries>;

/** The maxmemory sweep of day 0: measured points, the cache-full point, and exact LRU densely over the range. */
function maxmemorySeries({ setup, sweepDay, sweep }: HitRateMeasurement, series: Series): void {
  const at = (runs: readonly ReplayRun[], y: (r: ReplayRun) => number): ScenarioSeries => ({
    x: runs.map((r) => r.setting.maxmemoryBytes / MB),
    y: runs.map(y),
    xLabel: MAXMEMORY_X,
    yLabel: HIT_RATE_Y,
  });
  const runs = sweep.map((s) => s.run);
  if (runs.length > 0) {
    const span = `first ${(sweepDay.trace.durationMs / MS_PER_HOUR).toFixed(1)} simulated h of day 0`;
    series[`measured: allkeys-lru, samples 10 (${span})`] = at(runs, (r) => r.hitRate);
    series['predicted at the measured points'] = at(runs, (r) => r.predictedHitRate);
  }
  const largest = Math.max(0, ...runs.map((r) => r.setting.maxmemoryBytes));
  if (largest === 0) return;
  const { memory } = setup;
  const topKeys = capacityKeys(largest, memory, sweepDay.trace.keySpace);
  const sizes = Array.from({ length: PREDICTED_CURVE_POINTS }, (_, i) =>
    Math.max(1, Math.round(((i + 1) / PREDICTED_CURVE_POINTS) * topKeys)),
  );
  series['predicted: exact LRU (stack distances, TTL-aware)'] = {
    x: sizes.map((keys) => (memory.baselineUsedMemory + keys * memory.usedMemoryPerKey) / MB),
    y: sizes.map((keys) => 100 * sweepDay.predictor.hitRatioAt(keys)),
    xLabel: MAXMEMORY_X,
    yLabel: HIT_RATE_Y,
  };
}

/** Unlimited memory, day 0 at other request rates (no replay), beside the measured document runs. */
function requestRateSeries({ setup, trials }: HitRateMeasurement, series: Series): void {
  const { p, seed, warmupMs } = setup;
  const rates = [...p.requestRates].sort((a, b) => a - b);
  if (rates.length === 0) return;
  const labels = { xLabel: 'signal requests per simulated second', yLabel: HIT_RATE_Y };
  series['predicted: hit rate by request rate (unlimited memory, TTL)'] = {
    x: rates,
    y: rates.map(
      (rate) =>
        100 *
        unlimitedHitRatio(
          generateTradingDayTrace({ ...workloadOf(p, seed), signalRequestsPerSecond: rate }, 0),
          p.ttlSeconds * MS_PER_S,
          warmupMs,
        ),
    ),
    ...labels,
  };
  if (trials.length > 0)
    series['measured: document configuration (median of the days)'] = {
      x: [p.signalRequestsPerSecond],
      y: [median(trials.map((t) => t.document.hitRate))],
      ...labels,
    };
}

/** Hit rate per 15 simulated minutes of day 0 on the document's configuration, measured and predicted. */
function daySeries({ setup, day0, trials }: HitRateMeasurement, series: Series): void {
  if (trials.length === 0) return;
  const run = trials[0].document;
  const { timesMs } = day0.trace;
  const { outcomes } = run.replay;
  const hits = new Map<number, { sent: number; hits: number }>();
  for (let i = 0; i < outcomes.length; i++) {
    if (outcomes[i] === ACCESS_NOT_SENT) continue;
    const window = Math.floor(timesMs[i] / DAY_WINDOW_MS);
    const w = hits.get(window) ?? { sent: 0, hits: 0 };
    w.sent += 1;
    if (outcomes[i] === ACCESS_HIT) w.hits += 1;
    hits.set(window, w);
  }
  const windows = [...hits.entries()].sort((a, b) => a[0] - b[0]);
  const yLabel = 'hit rate per 15 simulated minutes (%), from the open';
  series['measured: one trading day (document configuration)'] = {
    x: windows.map(([w]) => ((w + 1) * DAY_WINDOW_MS) / MS_PER_HOUR),
    y: windows.map(([, w]) => (100 * w.hits) / w.sent),
    xLabel: 'simulated hours since the open',
    yLabel,
  };
  const predicted = predictHitRatioOverTime(day0.trace, run.capacityKeys, setup.p.ttlSeconds * MS_PER_S, DAY_WINDOW_MS);
  series['predicted: one trading day'] = {
    x: predicted.endMs.map((t) => t / MS_PER_HOUR),
    y: predicted.hitRatio.map((h) => 100 * h),
    xLabel: 'simulated hours since the open',
    yLabel,
  };
}

/** Every chart of the scenario, in the report's order. */
export function hitRateSeries(measurement: HitRateMeasurement): Series {
  const series: Series = {};
  maxmemorySeries(measurement, series);
  requestRateSeries(measurement, series);
  daySeries(measurement, series);
  return series;
}
