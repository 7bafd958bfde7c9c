import type { LatencySummary } from '../core/run-summary.ts';
import type { MetricReport, RunSummary } from '../core/run-summary.ts';
import { BOOTSTRAP_METHOD } from './bootstrap-median-ratio.ts';
import { alignedRuns, compareTrialRuns, compareTrials, resolveCompareOptions } from './trial-comparison.ts';
import type { CompareOptions, TrialComparison } from './trial-comparison.ts';

export const COMPARED_PERCENTILES = ['p50', 'p90', 'p99', 'p999'] as const;
export type ComparedPercentile = (typeof COMPARED_PERCENTILES)[number];
/**
 * A latency percentile, or the time per operation of a closed loop (1 / throughput, so that higher
 * is worse like the percentiles): the gate probe of `rpb calibrate` records it per trial.
 */
export type ComparedStatistic = ComparedPercentile | 'time-per-op';

const FIELD: Readonly<Record<ComparedPercentile, keyof LatencySummary>> = {
  p50: 'p50Ns',
  p90: 'p90Ns',
  p99: 'p99Ns',
  p999: 'p999Ns',
};

export interface MetricComparison extends TrialComparison {
  readonly scenario: string;
  readonly metric: string;
  readonly percentile: ComparedStatistic;
}

export interface BaselineComparison {
  readonly comparisons: readonly MetricComparison[];
  /** What could not be compared and why (scenarios or metrics on one side only, runs that failed). */
  readonly notes: readonly string[];
  /** One line naming the statistical method, for reports. */
  readonly method: string;
  readonly options: CompareOptions;
}

/**
 * A percentile estimated from fewer than ~10 samples beyond it is mostly the maximum: p99 of 30
 * requests is their largest. Such a percentile is not compared (rule of thumb: n >= 10 / (1 - p)).
 */
export const MIN_SAMPLES_PER_TRIAL: Readonly<Record<ComparedStatistic, number>> = {
  'time-per-op': 20,
  p50: 20,
  p90: 100,
  p99: 1_000,
  p999: 10_000,
};

function fewestSamples(report: MetricReport): number {
  const trials: readonly LatencySummary[] = report.trials ?? [];
  return trials.length === 0 ? 0 : Math.min(...trials.map((t) => t.count));
}

/** One figure per trial; a trial that recorded nothing has no percentile and is left out. */
function trialFigures(report: MetricReport, percentile: ComparedPercentile): number[] {
  // Summaries written before per-trial histograms have no `trials`.
  const trials: readonly LatencySummary[] = report.trials ?? [];
  return trials
    .map((t) => t[FIELD[percentile]])
    .filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
}

function oneSided(names: readonly string[], present: ReadonlySet<string>): string[] {
  return names.filter((n) => !present.has(n));
}

/** One figure per trial on each side, for one metric and statistic, before it is judged. */
export interface PlannedComparison {
  readonly scenario: string;
  readonly metric: string;
  readonly percentile: ComparedStatistic;
  /** Fewest samples in any trial on either side: decides whether the statistic can be compared. */
  readonly fewest: number;
  /** Per run on each side, its per-trial figures. */
  readonly c: readonly (readonly number[])[];
  readonly b: readonly (readonly number[])[];
}

/**
 * Judges every planned comparison with one rule, shared by `rpb gate`, `rpb compare` and `rpb
 * calibrate`: a statistic is compared only with enough samples per trial; the intervals are
 * family-wise over the m compared ones (Bonferroni: each at 1 - (1 - confidence) / m, so the chance
 * that ANY of them flags an unchanged run stays near 1 - confidence; without it, 48 comparisons at
 * 95% flag most A/A pairs somewhere).
 */
export function compareFigureSets(
  planned: readonly PlannedComparison[],
  options: CompareOptions,
): { comparisons: MetricComparison[]; method: string } {
  const comparisons: MetricComparison[] = [];
  const eligible = planned.filter((p) => p.fewest >= MIN_SAMPLES_PER_TRIAL[p.percentile]);
  const perComparison = { ...options, confidence: 1 - (1 - options.confidence) / Math.max(1, eligible.length) };
  for (const p of planned) {
    const base = { scenario: p.scenario, metric: p.metric, percentile: p.percentile };
    if (p.fewest < MIN_SAMPLES_PER_TRIAL[p.percentile]) {
      const reason = `too few samples per trial for ${p.percentile} (fewest ${p.fewest}, needs ${MIN_SAMPLES_PER_TRIAL[p.percentile]}): not compared`;
      comparisons.push({ ...compareTrials([], [], options), ...base, verdict: 'inconclusive', reason });
      continue;
    }
    comparisons.push({
      ...compareTrialRuns(p.c, p.b, perComparison, `${p.scenario}/${p.metric}/${p.percentile}`),
      ...base,
    });
  }
  const familyWise = `${eligible.length} comparison(s) with enough samples per trial, each interval at ${(100 * perComparison.confidence).toFixed(2)}% (Bonferroni, ${(100 * options.confidence).toFixed(1)}% overall), allowed regression ${options.maxRegressionPct}%`;
  return { comparisons, method: `${BOOTSTRAP_METHOD}; ${familyWise}` };
}

/**
 * Compares every latency percentile of every metric present in both runs, over trials (rounds):
 * requests within a run are correlated, trials are the independent unit.
 */
export function compareRuns(
  candidateRuns: RunSummary | readonly RunSummary[],
  baselineRuns: RunSummary | readonly RunSummary[],
  options: Partial<CompareOptions> = {},
): BaselineComparison {
  const resolved = resolveCompareOptions(options);
  // Several runs on a side (interleaved runs of one CI job, or compare's A B B A ...): each run's
  // trials stay together, so the interval resamples whole runs (compareTrialRuns).
  const candidates: readonly RunSummary[] = Array.isArray(candidateRuns) ? candidateRuns : [candidateRuns];
  const baselines: readonly RunSummary[] = Array.isArray(baselineRuns) ? baselineRuns : [baselineRuns];
  if (candidates.length === 0 || baselines.length === 0) throw new RangeError('compareRuns: no run on a side');
  const [candidate] = candidates;
  const [baseline] = baselines;
  const reportsOf = (runs: readonly RunSummary[], scenarioId: string, metric: string): (MetricReport | undefined)[] =>
    runs.map((run) => run.scenarios.find((s) => s.id === scenarioId)?.metrics[metric]);
  // Paired runs (the i-th of each side measured together) stay aligned: a run without the metric
  // takes its partner out with it.
  const paired = resolved.paired && candidates.length === baselines.length;
  const present = (report: MetricReport | undefined): report is MetricReport => report !== undefined;
  const comparisons: MetricComparison[] = [];
  const notes: string[] = [];
  const planned: PlannedComparison[] = [];
  const baselineIds = new Set(baseline.scenarios.map((s) => s.id));
  const candidateIds = new Set(candidate.scenarios.map((s) => s.id));
  for (const id of oneSided([...candidateIds], baselineIds))
    notes.push(`scenario ${id} is not in the baseline: not compared`);
  for (const id of oneSided([...baselineIds], candidateIds))
    notes.push(`scenario ${id} is in the baseline only: not compared`);
  for (const scenario of candidate.scenarios) {
    const reference = baseline.scenarios.find((s) => s.id === scenario.id);
    if (reference === undefined) continue;
    if (scenario.status !== 'ok' || reference.status !== 'ok') {
      notes.push(
        `scenario ${scenario.id}: candidate ${scenario.status}, baseline ${reference.status}; compared on what was recorded`,
      );
    }
    const candidateMetrics = Object.keys(scenario.metrics);
    const baselineMetrics = new Set(Object.keys(reference.metrics));
    for (const name of oneSided(candidateMetrics, baselineMetrics))
      notes.push(`${scenario.id}.${name} is not in the baseline: not compared`);
    for (const name of oneSided([...baselineMetrics], new Set(candidateMetrics)))
      notes.push(`${scenario.id}.${name} is in the baseline only: not compared`);
    for (const metric of candidateMetrics.filter((m) => baselineMetrics.has(m))) {
      const cAll = reportsOf(candidates, scenario.id, metric);
      const bAll = reportsOf(baselines, scenario.id, metric);
      const cReports = alignedRuns(cAll, bAll, present, paired);
      const bReports = alignedRuns(bAll, cAll, present, paired);
      const fewest = Math.min(...[...cReports, ...bReports].map(fewestSamples));
      for (const percentile of COMPARED_PERCENTILES) {
        planned.push({
          scenario: scenario.id,
          metric,
          percentile,
          fewest,
          c: cReports.map((r) => trialFigures(r, percentile)),
          b: bReports.map((r) => trialFigures(r, percentile)),
        });
      }
    }
  }
  // Unpaired sides stay unpaired even where dropping runs without a metric evens their counts.
  const judged = compareFigureSets(planned, paired ? resolved : { ...resolved, paired: false });
  comparisons.push(...judged.comparisons);
  for (const [side, run] of [
    ...candidates.map((r) => ['candidate', r] as const),
    ...baselines.map((r) => ['baseline', r] as const),
  ]) {
    if (run.scenarios.some((s) => Object.values(s.metrics).some((m) => m.trials === undefined))) {
      notes.push(`the ${side} summary has no per-trial figures (written before per-trial histograms): run it again`);
    }
  }
  return { comparisons, notes, method: judged.method, options: resolved };
}
