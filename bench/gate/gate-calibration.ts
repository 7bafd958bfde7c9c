import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import { medianOf } from '../analysis/median-interval.ts';
import type { LatencySummary } from '../core/run-summary.ts';
import { compareFigureSets, COMPARED_PERCENTILES } from './baseline-compare.ts';
import type { ComparedStatistic, MetricComparison, PlannedComparison } from './baseline-compare.ts';
import { regressionRuleText } from './trial-comparison.ts';
import type { CompareOptions } from './trial-comparison.ts';

/** A run of the gate probe as the gate sees it: per trial, the latency summary and the time per request. */
export interface ProbeRunFigures {
  readonly trials: readonly { readonly latency: LatencySummary; readonly timePerRequestNs: number }[];
}

/**
 * One block of a calibration: `runsPerSide` rounds, each running every variant once in a shuffled
 * order (each a run of its own), so a gate decision compares interleaved runs of both sides.
 */
export interface CalibrationBlock {
  readonly order: readonly string[];
  /** Per variant, its runs in the order they ran. */
  readonly runs: Readonly<Record<string, readonly ProbeRunFigures[]>>;
}

/**
 * The unchanged code runs as four variants: A2 against A and A4 against A3 are two independent
 * A/A decisions per block; the canaries are judged against A in even blocks and A3 in odd ones.
 */
export const UNCHANGED = ['A', 'A2', 'A3', 'A4'] as const;
const AA_PAIRS = [
  ['A2', 'A'],
  ['A4', 'A3'],
] as const;

/** A canary: a known regression, and the statistic that must flag it. */
export interface CanaryDefinition {
  readonly name: string;
  readonly label: string;
  readonly addedLatencyMs: number;
  readonly holdBack: number;
  readonly watched: ComparedStatistic;
}

export const CANARIES: readonly CanaryDefinition[] = [
  {
    name: 'reply+1ms',
    label: '+1 ms on every Redis reply (fault proxy)',
    addedLatencyMs: 1,
    holdBack: 0,
    watched: 'p50',
  },
  {
    name: 'p99+20%',
    label: '+20% on p99 (each request held 20% of its own latency)',
    addedLatencyMs: 0,
    holdBack: 0.2,
    watched: 'p99',
  },
  {
    name: 'throughput-20%',
    label: '-20% throughput (each request held 25% of its own latency)',
    addedLatencyMs: 0,
    holdBack: 0.25,
    watched: 'time-per-op',
  },
];

const METRIC = 'hit';

/**
 * The gate's comparisons of candidate probe runs against baseline ones (one or several runs per
 * side): every percentile and the time per request.
 */
export function judgeProbePair(
  candidateRuns: ProbeRunFigures | readonly ProbeRunFigures[],
  baselineRuns: ProbeRunFigures | readonly ProbeRunFigures[],
  options: CompareOptions,
): MetricComparison[] {
  const cs: readonly ProbeRunFigures[] = Array.isArray(candidateRuns) ? candidateRuns : [candidateRuns];
  const bs: readonly ProbeRunFigures[] = Array.isArray(baselineRuns) ? baselineRuns : [baselineRuns];
  const fewest = Math.min(...[...cs, ...bs].flatMap((run) => run.trials.map((t) => t.latency.count)));
  const figure = (run: ProbeRunFigures, stat: ComparedStatistic): number[] =>
    run.trials
      .map((t) => (stat === 'time-per-op' ? t.timePerRequestNs : t.latency[`${stat}Ns`]))
      .filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const planned: PlannedComparison[] = [...COMPARED_PERCENTILES, 'time-per-op' as const].map((stat) => ({
    scenario: 'gate-probe',
    metric: stat === 'time-per-op' ? 'time-per-request' : METRIC,
    percentile: stat,
    fewest,
    c: cs.map((run) => figure(run, stat)),
    b: bs.map((run) => figure(run, stat)),
  }));
  return compareFigureSets(planned, options).comparisons;
}

/** A rate with its exact (Clopper-Pearson) two-sided interval. */
export interface Rate {
  readonly count: number;
  readonly of: number;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  /** One-sided upper bound at the same confidence: the rate is below it with that confidence. */
  readonly upper: number;
}

/** Clopper-Pearson: the exact binomial interval, never narrower than the data allow (0 of 200 -> [0, 1.8%]). */
export function binomialRate(count: number, of: number, confidence = 0.95): Rate {
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(of) || count < 0 || of < 1 || count > of)
    throw new RangeError(`binomialRate: expected 0 <= count <= of and of >= 1, got ${count} of ${of}`);
  const tail = (1 - confidence) / 2;
  const low = count === 0 ? 0 : betaQuantile(tail, count, of - count + 1);
  const high = count === of ? 1 : betaQuantile(1 - tail, count + 1, of - count);
  const upper = count === of ? 1 : betaQuantile(confidence, count + 1, of - count);
  return { count, of, rate: count / of, low, high, confidence, upper };
}

export interface PairOutcome {
  /** The gate fails the pair: some comparison is a regression. */
  readonly failed: boolean;
  /** The canary's own statistic is flagged (for A/A: false). */
  readonly watchedFlagged: boolean;
  /** Which comparisons flagged, e.g. ["hit p99"]. */
  readonly flagged: readonly string[];
  /** The watched statistic's ratio candidate / baseline. */
  readonly watchedRatio: number | null;
  /** Why the watched statistic was not compared (e.g. too few samples per trial); null when it was. */
  readonly watchedNotCompared: string | null;
}

export interface CalibrationTable {
  readonly method: string;
  readonly options: CompareOptions;
  readonly aa: { readonly falseAlarms: Rate; readonly flaggedBy: Readonly<Record<string, number>> };
  readonly canaries: readonly {
    readonly canary: CanaryDefinition;
    readonly detected: Rate;
    readonly gateFailed: Rate;
    readonly medianRatio: number | null;
    /**
     * Decisions in which the watched statistic could not be compared at all (counted as not
     * detected), and the first such reason: a probe whose trials are too short for a p99 shows here.
     */
    readonly notCompared: { readonly count: number; readonly example: string | null };
  }[];
}

function outcome(comparisons: readonly MetricComparison[], watched: ComparedStatistic | null): PairOutcome {
  const flagged = comparisons.filter((c) => c.verdict === 'regression');
  const w = watched === null ? undefined : comparisons.find((c) => c.percentile === watched);
  return {
    failed: flagged.length > 0,
    watchedFlagged: w?.verdict === 'regression',
    flagged: flagged.map((c) => `${c.metric} ${c.percentile}`),
    watchedRatio: w?.ratio ?? null,
    watchedNotCompared: w !== undefined && w.ratio === null ? w.reason : null,
  };
}

/**
 * Judges every decision of a calibration with the gate's rule: A2 against A and A4 against A3 are
 * the A/A decisions (a failure is a false alarm); each canary is judged against A in even blocks and
 * A3 in odd ones. Pure: the same blocks and options give the same table.
 */
export function calibrationTable(
  blocks: readonly CalibrationBlock[],
  canaries: readonly CanaryDefinition[],
  options: CompareOptions,
): CalibrationTable {
  const aaOutcomes: PairOutcome[] = [];
  const flaggedBy: Record<string, number> = {};
  let method = '';
  for (const block of blocks) {
    for (const [candidate, baseline] of AA_PAIRS) {
      const c = block.runs[candidate];
      const b = block.runs[baseline];
      if (c === undefined || b === undefined) continue;
      const o = outcome(judgeProbePair(c, b, options), null);
      aaOutcomes.push(o);
      for (const name of o.flagged) flaggedBy[name] = (flaggedBy[name] ?? 0) + 1;
    }
  }
  const canaryRows = canaries.map((canary) => {
    const outcomes: PairOutcome[] = [];
    blocks.forEach((block, i) => {
      const candidate = block.runs[canary.name];
      const baseline = block.runs[i % 2 === 0 ? 'A' : 'A3'];
      if (candidate === undefined || baseline === undefined) return;
      outcomes.push(outcome(judgeProbePair(candidate, baseline, options), canary.watched));
    });
    const of = Math.max(1, outcomes.length);
    const ratios = outcomes.flatMap((o) => (o.watchedRatio === null ? [] : [o.watchedRatio]));
    const notCompared = outcomes.flatMap((o) => (o.watchedNotCompared === null ? [] : [o.watchedNotCompared]));
    return {
      canary,
      detected: binomialRate(outcomes.filter((o) => o.watchedFlagged).length, of),
      gateFailed: binomialRate(outcomes.filter((o) => o.failed).length, of),
      medianRatio: ratios.length === 0 ? null : medianOf(ratios),
      notCompared: { count: notCompared.length, example: notCompared[0] ?? null },
    };
  });
  const first = blocks.find((b) => b.runs.A !== undefined && b.runs.A2 !== undefined);
  if (first !== undefined) {
    const judged = judgeProbePair(first.runs.A2, first.runs.A, options);
    const runs = first.runs.A.length;
    method = `${runs} interleaved run(s) per side, ${first.runs.A[0]?.trials.length ?? 0} trials each; ${judged.filter((c) => c.ratio !== null).length} statistics compared per decision; ${describeRule(options)}`;
  }
  return {
    method,
    options,
    aa: {
      falseAlarms: binomialRate(aaOutcomes.filter((o) => o.failed).length, Math.max(1, aaOutcomes.length)),
      flaggedBy,
    },
    canaries: canaryRows,
  };
}

export function describeRule(options: CompareOptions): string {
  return `a decision fails when, for some ratio of medians (its ${(100 * options.confidence).toFixed(1)}% family-wise Bonferroni bootstrap interval), ${regressionRuleText(options.rule, options.maxRegressionPct)} (rule ${options.rule}, allowed regression ${options.maxRegressionPct}%; ${options.paired ? 'runs resampled as the pairs they were measured in' : "each side's runs resampled on their own"})`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function rateText(r: Rate): string {
  return `${pct(r.rate)} (${r.count}/${r.of}; 95% interval ${pct(r.low)} to ${pct(r.high)})`;
}

/** The calibration as a terminal/Markdown table. */
export function formatCalibrationTable(table: CalibrationTable): string {
  const flagged = Object.entries(table.aa.flaggedBy)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `rule: ${describeRule(table.options)}`,
    `method: ${table.method}`,
    '',
    '| experiment | decisions | gate failed | watched statistic flagged | median ratio of the watched statistic |',
    '|---|---|---|---|---|',
    `| A/A (same code twice): false alarms | ${table.aa.falseAlarms.of} | ${rateText(table.aa.falseAlarms)}; one-sided upper 95% bound ${pct(table.aa.falseAlarms.upper)} | — | — |`,
    ...table.canaries.map(
      (row) =>
        `| ${row.canary.label} | ${row.detected.of} | ${rateText(row.gateFailed)} | ${row.canary.watched}: ${rateText(row.detected)} | ${row.medianRatio === null ? '—' : `${row.medianRatio.toFixed(3)}x`} |`,
    ),
  ];
  if (flagged !== '') lines.push('', `A/A false alarms by statistic: ${flagged}`);
  for (const row of table.canaries) {
    if (row.notCompared.count === 0) continue;
    lines.push(
      `${row.canary.name}: ${row.canary.watched} not compared in ${row.notCompared.count} of ${row.detected.of} decisions, counted as not detected (first: ${row.notCompared.example ?? '?'})`,
    );
  }
  return lines.join('\n');
}
