/** Synthetic run summaries for the gate's tests: only the fields the gate reads carry meaning. */
import type { ClaimVerdict } from '../core/claim.ts';
import { SUMMARY_SCHEMA } from '../core/run-summary.ts';
import type {
  LatencySummary,
  MetricReport,
  RunSummary,
  ScenarioReport,
  ScenarioStatus,
  ScenarioValue,
} from '../core/run-summary.ts';

/** A latency summary whose percentiles are fixed multiples of its p50 (ns). */
export function latencySummary(p50Ns: number, count = 20_000): LatencySummary {
  return {
    count,
    minNs: p50Ns / 2,
    meanNs: p50Ns * 1.2,
    stddevNs: p50Ns / 4,
    p50Ns,
    p90Ns: p50Ns * 1.5,
    p99Ns: p50Ns * 3,
    p999Ns: p50Ns * 5,
    maxNs: p50Ns * 6,
  };
}

/** A metric with one trial per given p50 (ns); the overall summary uses their mean. */
export function metricFromTrials(trialP50sNs: readonly number[]): MetricReport {
  const mean = trialP50sNs.length === 0 ? 1 : trialP50sNs.reduce((a, b) => a + b, 0) / trialP50sNs.length;
  return {
    unit: 'ns',
    summary: latencySummary(mean, 100 * trialP50sNs.length),
    trials: trialP50sNs.map((p50) => latencySummary(p50)),
    clamped: 0,
    invalid: 0,
    files: { hgrm: 'x.hgrm', hlog: 'x.hlog' },
  };
}

export function verdict(
  claimId: string,
  outcome: ClaimVerdict['outcome'],
  measured: number | null,
  unit: ClaimVerdict['unit'],
): ClaimVerdict {
  return {
    claimId,
    quote: `the document on ${claimId}`,
    outcome,
    claimed: 1,
    unit,
    rule: { kind: 'at-most' },
    thresholdSource: 'document',
    thresholdReason: null,
    ruleText: `<= 1 ${unit}`,
    measuredAs: 'median of trials',
    measured,
    interval: null,
    coverage: null,
    trials: measured === null ? 0 : 1,
    failedTrials: 0,
    figures: [],
    direction: null,
    explanation: 'synthetic',
    conditions: 'loopback',
  };
}

export interface ScenarioSpec {
  readonly status?: ScenarioStatus;
  readonly metrics?: Readonly<Record<string, MetricReport>>;
  readonly values?: Readonly<Record<string, Pick<ScenarioValue, 'value' | 'unit'>>>;
  readonly verdicts?: readonly ClaimVerdict[];
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export function scenario(id: string, spec: ScenarioSpec = {}): ScenarioReport {
  const values = Object.fromEntries(Object.entries(spec.values ?? {}).map(([k, v]) => [k, { ...v, description: k }]));
  return {
    id,
    description: `synthetic ${id}`,
    status: spec.status ?? 'ok',
    error: spec.status === 'failed' ? { name: 'InfraError', message: 'redis-server died', hint: null } : null,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    target: null,
    parameters: spec.parameters ?? {},
    metrics: spec.metrics ?? {},
    values,
    trials: {},
    verdicts: spec.verdicts ?? [],
    notes: [],
    redisInfoBefore: null,
    redisInfoAfter: null,
  };
}

export function runOf(scenarios: readonly ScenarioReport[], status: RunSummary['status'] = 'complete'): RunSummary {
  return {
    schema: SUMMARY_SCHEMA,
    tool: { name: 'redis-patterns-bench', version: '0.0.0-test' },
    status,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:10.000Z',
    command: 'rpb run synthetic',
    params: {
      quick: false,
      seed: 1,
      missExtraMs: 0,
      addedLatencyMs: 0,
      overrides: {},
      redis: 'synthetic',
      scenarios: scenarios.map((s) => s.id),
    },
    environment: {
      node: 'v20',
      platform: 'test',
      arch: 'x64',
      cpuCount: 2,
      cpuModel: 'test',
      totalMemoryBytes: 1,
      loadAverage1m: 0,
      hostname: 'test',
      packages: {},
      gitCommit: null,
      gitDirty: null,
    },
    claims: scenarios.flatMap((s) => s.verdicts.map((v) => ({ scenario: s.id, verdict: v }))),
    scenarios,
  };
}
