import type { ClaimVerdict, CoveredClaim } from './claim.ts';

/** Bump on any incompatible change of summary.json; documented in docs/reports.md ("summary.json"). */
export const SUMMARY_SCHEMA = 'rpb.summary/v1';

/** Latency figures in ns. Everything but count is null for an empty histogram, never NaN, so JSON stays valid. */
export interface LatencySummary {
  readonly count: number;
  readonly minNs: number | null;
  readonly meanNs: number | null;
  readonly stddevNs: number | null;
  readonly p50Ns: number | null;
  readonly p90Ns: number | null;
  readonly p99Ns: number | null;
  readonly p999Ns: number | null;
  readonly maxNs: number | null;
}

/** Where and with what a run was measured (DESIGN.md: every run records its environment). */
export interface RunEnvironment {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly totalMemoryBytes: number;
  readonly loadAverage1m: number;
  readonly hostname: string;
  readonly packages: Readonly<Record<string, string>>;
  readonly gitCommit: string | null;
  readonly gitDirty: boolean | null;
}

/** A named figure that is not a latency distribution (a ratio, a size, a count). */
export interface ScenarioValue {
  readonly value: number | null;
  readonly unit: string;
  readonly description: string;
}

export interface MetricReport {
  /** Histograms hold integer nanoseconds. */
  readonly unit: 'ns';
  readonly summary: LatencySummary;
  /** One summary per trial (round), in order: the unit of baseline comparisons. */
  readonly trials: readonly LatencySummary[];
  /** Values outside the histogram bounds, clamped to its maximum. */
  readonly clamped: number;
  /** Negative or non-finite values a caller tried to record (a harness bug if ever non-zero). */
  readonly invalid: number;
  readonly files: { readonly hgrm: string; readonly hlog: string };
}

export interface TargetReport {
  /** container: a --target container (its image below); url: any other Redis given by URL. */
  readonly kind: 'managed' | 'url' | 'container';
  /** --target container: the image, e.g. redis:7.0. */
  readonly image?: string;
  /** A compose run (RPB_COMPOSE_SERVICE): the compose service the URL reaches, e.g. redis. */
  readonly composeService?: string;
  /** Never contains a password. */
  readonly redactedUrl: string;
  readonly redisVersion: string;
  /** "loopback (127.0.0.1)" or "network (host)": where the measured traffic went. */
  readonly network: string;
  readonly config: Readonly<Record<string, string | number>> | null;
}

export type ScenarioStatus = 'ok' | 'failed' | 'interrupted';

/**
 * The TTL audit of a scenario's keyspace, taken just before its Redis is released: every key under
 * the system's cache prefix (SCAN MATCH, then PTTL) must expire within (0, maxTtlSeconds]. Counts are
 * added over the blocks of a scenario; docs/reports.md ("keyspaceAudit") says what is audited where.
 */
export interface KeyspaceAudit {
  /** null: audited; else why not (a Redis given by URL, a cluster or sentinel deployment, Redis down). */
  readonly skipped: string | null;
  /** SCAN MATCH pattern: the system under test's cache keys (`features:*`). */
  readonly pattern: string;
  readonly maxTtlSeconds: number;
  readonly keysScanned: number;
  /** PTTL -1: the key never expires. */
  readonly keysWithoutTtl: number;
  /** PTTL above maxTtlSeconds. */
  readonly keysAboveMaxTtl: number;
  /** false: stopped at the audit's key or time cap; the counts cover the keys seen. */
  readonly complete: boolean;
}

/** The audits of a whole run added up (summary.keyspaceAudit). */
export interface KeyspaceAuditTotals {
  readonly scenariosAudited: number;
  readonly scenariosSkipped: number;
  readonly keysScanned: number;
  readonly keysWithoutTtl: number;
  readonly keysAboveMaxTtl: number;
  /** Ids of the audited scenarios with a key outside (0, maxTtlSeconds]. */
  readonly scenariosWithViolations: readonly string[];
}

export interface ScenarioReport {
  readonly id: string;
  readonly description: string;
  readonly status: ScenarioStatus;
  readonly error: { readonly name: string; readonly message: string; readonly hint: string | null } | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly target: TargetReport | null;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, MetricReport>>;
  readonly values: Readonly<Record<string, ScenarioValue>>;
  readonly trials: Readonly<Record<string, readonly number[]>>;
  readonly verdicts: readonly ClaimVerdict[];
  readonly notes: readonly string[];
  readonly redisInfoBefore: unknown;
  readonly redisInfoAfter: unknown;
  /**
   * Optional, for scenarios that inject faults: windows (label, start and end in ms relative to
   * the scenario's measured start, i.e. the .hlog StartTime) that the HTML report shades on timelines.
   */
  readonly events?: readonly ScenarioEvent[];
  /** Optional named curves (e.g. hit rate against cache size); the HTML report draws each as a line chart. */
  readonly series?: Readonly<Record<string, ScenarioSeries>>;
  /**
   * Set when `rpb validate --budget` ran the scenario more than once: every run ("block"), in order.
   * Verdicts are judged on all blocks' trials pooled; metrics and events are the first block's, later
   * blocks' histogram files are under `<id>/block-<k>/`.
   */
  readonly blocks?: readonly ScenarioBlock[];
  /** The TTL audit of its keyspace at its end (absent in runs before the audit existed). */
  readonly keyspaceAudit?: KeyspaceAudit;
}

export interface ScenarioBlock {
  readonly index: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly status: ScenarioStatus;
  /** Which part of its planned trials this block ran (a scenario spread over the run); absent: all. */
  readonly part?: { readonly index: number; readonly of: number };
}

export interface ScenarioEvent {
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface ScenarioSeries {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly xLabel: string;
  readonly yLabel: string;
}

export interface RunSummary {
  readonly schema: typeof SUMMARY_SCHEMA;
  readonly tool: { readonly name: string; readonly version: string };
  readonly status: 'running' | 'complete' | 'interrupted' | 'failed';
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly command: string;
  readonly params: {
    readonly quick: boolean;
    readonly seed: number;
    readonly missExtraMs: number;
    readonly addedLatencyMs: number;
    /** Scenario parameters set with --set, as typed. */
    readonly overrides: Readonly<Record<string, string>>;
    readonly redis: string;
    readonly scenarios: readonly string[];
    /** `--shard k/N` (1-based k), or null; absent in runs before sharding existed. */
    readonly shard?: { readonly index: number; readonly count: number } | null;
    /** `--workers W`: load worker threads on the machine. */
    readonly workers?: number;
    /** `--confidence`: the coverage every claim's interval was computed at (absent before it existed: 0.95). */
    readonly confidence?: number;
    /** `--thorough`: Redis's own default settings measured too where the harness shortens them. */
    readonly thorough?: boolean;
    /** `rpb validate --budget` in ms (null: no budget, one run per scenario); absent for `rpb run`. */
    readonly budgetMs?: number | null;
    /** Set by `rpb merge`: the shard runs this one adds up (folders as given, shard of each). */
    readonly mergedFrom?: readonly {
      readonly dir: string;
      readonly shard: { readonly index: number; readonly count: number } | null;
    }[];
  };
  readonly environment: RunEnvironment;
  /** Every claim of the registry, in order, with its verdict or why it was not measured. */
  readonly claims: readonly CoveredClaim[];
  readonly scenarios: readonly ScenarioReport[];
  /** The scenarios' keyspace TTL audits added up (absent in runs before the audit existed). */
  readonly keyspaceAudit?: KeyspaceAuditTotals;
}
