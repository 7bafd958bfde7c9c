import { findChangePoints, relativeNoise } from './change-points.ts';
import type { ChangePoint, ChangePointOptions } from './change-points.ts';
import type { Better, HistoryEntry } from './history-store.ts';

export interface HistoryCheckOptions extends ChangePointOptions {
  /** A metric whose relative noise (robust CV around its segments) is above this is reported, not gated. */
  readonly noiseLimit: number;
  /** A change smaller than this (relative) is reported but is no regression. */
  readonly minMagnitude: number;
  /** Changes that start at or before this commit are accepted (known, not gated). */
  readonly acceptThrough: string | null;
}

/**
 * The gate's defaults: Otava's p-value (0.001) and two points on each side; the noise limit (20%)
 * and the smallest change that counts (5%) are the harness's, documented in docs/ci-gates.md.
 */
export const DEFAULT_HISTORY_CHECK_OPTIONS: HistoryCheckOptions = {
  maxPValue: 0.001,
  minSegment: 2,
  noiseLimit: 0.2,
  minMagnitude: 0.05,
  acceptThrough: null,
};

export interface FoundChange extends ChangePoint {
  /** The commit of the first point after the change. */
  readonly commit: string;
  readonly kind: 'regression' | 'improvement' | 'change';
}

export interface MetricCheck {
  readonly metric: string;
  readonly unit: string;
  readonly better: Better;
  readonly points: number;
  readonly noise: number;
  readonly noisy: boolean;
  readonly changes: readonly FoundChange[];
  /** The last change is a regression the series still shows at its head (and it is not accepted). */
  readonly regressionAtHead: boolean;
}

export interface HistoryCheck {
  readonly runs: number;
  readonly commits: readonly string[];
  readonly head: string | null;
  readonly metrics: readonly MetricCheck[];
  readonly regressions: readonly MetricCheck[];
  /** The p-value the t-test of each split of the longest series must beat (see splitPValue). */
  readonly perMetricPValue: number;
}

function kindOf(change: ChangePoint, better: Better, minMagnitude: number): FoundChange['kind'] {
  if (better === 'unknown' || Math.abs(change.relativeChange) < minMagnitude) return 'change';
  const worse = better === 'lower' ? change.after > change.before : change.after < change.before;
  return worse ? 'regression' : 'improvement';
}

/**
 * maxPValue holds for the whole check, not per split: each split's t-test must beat maxPValue divided
 * by the number of metrics and by the number of disjoint segment pairs the series can hold
 * (Bonferroni). Without it, 40 metrics of 30 runs of pure noise show a false change in most checks
 * (docs/ci-gates.md has the measured rates).
 */
export function splitPValue(options: HistoryCheckOptions, metrics: number, points: number): number {
  const pairs = Math.max(1, Math.floor(points / (2 * Math.max(1, options.minSegment))));
  return options.maxPValue / (Math.max(1, metrics) * pairs);
}

/** Change points of every metric's series over the store's runs, oldest first. */
export function checkHistory(entries: readonly HistoryEntry[], options: HistoryCheckOptions): HistoryCheck {
  const names = [...new Set(entries.flatMap((e) => Object.keys(e.metrics)))].sort();
  const acceptedUntil =
    options.acceptThrough === null ? -1 : entries.map((e) => e.commit).lastIndexOf(options.acceptThrough);
  const metrics: MetricCheck[] = names.map((metric) => {
    const series = entries
      .map((entry, position) => ({ entry, position, point: entry.metrics[metric] }))
      .filter((p) => p.point !== undefined && Number.isFinite(p.point.value));
    const values = series.map((p) => p.point!.value);
    const last = series.at(-1)?.point;
    const better = last?.better ?? 'unknown';
    const found = findChangePoints(values, {
      ...options,
      maxPValue: splitPValue(options, names.length, values.length),
    });
    const noise = values.length === 0 ? 0 : relativeNoise(values, found);
    const changes = found.map((change) => ({
      ...change,
      commit: series[change.index]!.entry.commit,
      kind: kindOf(change, better, options.minMagnitude),
    }));
    const latest = changes.at(-1);
    const latestPosition = latest === undefined ? -1 : series[latest.index]!.position;
    return {
      metric,
      unit: last?.unit ?? '',
      better,
      points: values.length,
      noise,
      noisy: noise > options.noiseLimit,
      changes,
      regressionAtHead: noise <= options.noiseLimit && latest?.kind === 'regression' && latestPosition > acceptedUntil,
    };
  });
  return {
    runs: entries.length,
    commits: [...new Set(entries.map((e) => e.commit))],
    head: entries.at(-1)?.commit ?? null,
    metrics,
    regressions: metrics.filter((m) => m.regressionAtHead),
    perMetricPValue: splitPValue(options, names.length, Math.max(0, ...metrics.map((m) => m.points))),
  };
}

function formatValue(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toFixed(digits)}${unit === '' ? '' : unit === '%' || unit === 'x' ? unit : ` ${unit}`}`;
}

function changeLine(metric: MetricCheck, change: FoundChange, commits: readonly string[]): string {
  const sign = change.relativeChange >= 0 ? '+' : '';
  const at = commits.indexOf(change.commit) + 1;
  return `${metric.metric}: ${change.kind} at ${change.commit.slice(0, 12)} (commit ${at} of ${commits.length}): ${sign}${(100 * change.relativeChange).toFixed(1)}% (${formatValue(change.before, metric.unit)} -> ${formatValue(change.after, metric.unit)}), p = ${change.pValue.toExponential(1)}${metric.noisy ? ', noisy metric: not gated' : ''}`;
}

/** The text `rpb history check` prints. */
export function formatHistoryCheck(check: HistoryCheck, options: HistoryCheckOptions): string {
  const lines = [
    `history: ${check.runs} runs over ${check.commits.length} commits, head ${check.head?.slice(0, 12) ?? '-'}; ${check.metrics.length} metrics; change points: E-divisive means + Student's t-test, p < ${options.maxPValue} over all metrics and splits (${check.perMetricPValue.toExponential(1)} per split of the longest series), at least ${options.minSegment} runs on each side`,
  ];
  const changed = check.metrics.filter((m) => m.changes.length > 0);
  if (changed.length === 0) lines.push('no change point in any metric');
  for (const metric of changed)
    for (const change of metric.changes) lines.push(`  ${changeLine(metric, change, check.commits)}`);
  const noisy = check.metrics.filter((m) => m.noisy);
  if (noisy.length > 0)
    lines.push(
      `noisy (spread around their level above ${(100 * options.noiseLimit).toFixed(0)}%: reported, not gated): ${noisy.map((m) => `${m.metric} ${(100 * m.noise).toFixed(0)}%`).join(', ')}`,
    );
  lines.push(
    check.regressions.length === 0
      ? 'gate: pass (no regression at the head)'
      : `gate: FAIL: ${check.regressions.length} metric(s) regressed and still regressed at the head: ${check.regressions.map((m) => m.metric).join(', ')}`,
  );
  return lines.join('\n');
}

/** The Markdown summary for CI (e.g. $GITHUB_STEP_SUMMARY). */
export function historyCheckMarkdown(check: HistoryCheck): string {
  const rows = check.metrics.flatMap((m) =>
    m.changes.map(
      (c) =>
        `| \`${m.metric}\` | ${c.kind} | \`${c.commit.slice(0, 12)}\` | ${(100 * c.relativeChange).toFixed(1)}% | ${formatValue(c.before, m.unit)} -> ${formatValue(c.after, m.unit)} | ${c.pValue.toExponential(1)} | ${m.noisy ? 'noisy: not gated' : m.regressionAtHead ? '**regressed at head**' : ''} |`,
    ),
  );
  return [
    `## rpb history: ${check.regressions.length === 0 ? 'pass' : `FAIL (${check.regressions.length} regressions at the head)`}`,
    '',
    `${check.runs} runs, ${check.commits.length} commits, head \`${check.head?.slice(0, 12) ?? '-'}\`.`,
    '',
    ...(rows.length === 0
      ? ['No change point.']
      : [
          '| metric | change | starts at | size | before -> after | p | gate |',
          '|---|---|---|---|---|---|---|',
          ...rows,
        ]),
    '',
  ].join('\n');
}
