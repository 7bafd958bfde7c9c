import type { Redis } from 'ioredis';
import type { ManagedRedis } from '../targets/managed-redis.ts';
import type { ScenarioTopology, TopologyKind } from '../targets/topology-target.ts';
import type { ClaimVerdict } from './claim.ts';
import type { ScenarioEvent, ScenarioSeries } from './run-summary.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import type { RunParams } from '../run/run-params.ts';
import type { TunableSpec, TunableValue } from './tunables.ts';
import type { ProgressEvent } from '../run/progress-reporter.ts';

/** What a scenario gets from the runner: a live Redis, recorders, the run's parameters. */
export interface ScenarioContext {
  readonly params: RunParams;
  /** Connection URL of the target (may hold a password: never print it; use redactedUrl). */
  readonly redisUrl: string;
  readonly redactedUrl: string;
  /** 'managed' when the harness started this Redis itself (for a fresh instance per scenario). */
  readonly targetKind: 'managed' | 'url';
  /**
   * The redis-server process the harness started for this scenario (kill/pause/restart for chaos),
   * or null for a --redis-url target: a Redis the harness did not start is never signalled.
   */
  readonly managed: ManagedRedis | null;
  readonly redisVersion: string;
  /** Where the traffic goes, for verdict conditions: "loopback (127.0.0.1)" or "network (host)". */
  readonly network: string;
  /** An admin connection for setup and INFO; scenarios make their own clients for measured work. */
  readonly admin: Redis;
  readonly recorders: RecorderSet;
  /** Validated values of the user's `--set` for this scenario's tunables (empty: defaults). */
  readonly overrides: Readonly<Record<string, TunableValue>>;
  /** Aborted on SIGINT/SIGTERM: loops must check it and stop. */
  readonly signal: AbortSignal;
  /** Progress lines go to stderr through this observer. */
  readonly progress: (message: string) => void;
  /** Phase, round and live figures for the status line (a no-op when nobody listens). */
  readonly progressEvent: (event: ProgressEvent) => void;
  /**
   * The deployment (--topology): kind, managed cluster / sentinel handles for chaos, and a client
   * factory that follows it (ioredis Cluster, sentinel-aware Redis, or plain Redis on redisUrl).
   * On a cluster, `redisUrl` and `admin` reach one seed node only: use createClient for data.
   */
  readonly topology?: ScenarioTopology;
}

/** A named figure that is not a latency distribution (a ratio, a size, a count). */
export interface ScenarioValue {
  readonly value: number | null;
  readonly unit: string;
  readonly description: string;
}

export interface ScenarioOutcome {
  /** Scalar results, e.g. speedup, value size. */
  readonly values: Readonly<Record<string, ScenarioValue>>;
  /** Per-trial figures behind each verdict, kept so a reader can recompute the judgement. */
  readonly trials: Readonly<Record<string, readonly number[]>>;
  readonly verdicts: readonly ClaimVerdict[];
  /** Scenario-specific parameters as resolved (counts, durations, data set). */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
  /** Optional named curves (x/y arrays); the runner copies them to the report, which draws each as a line chart. */
  readonly series?: Readonly<Record<string, ScenarioSeries>>;
  /** Optional fault windows (ms from the recorders' start); the report shades them on the timelines. */
  readonly events?: readonly ScenarioEvent[];
}

export interface Scenario {
  readonly id: string;
  readonly description: string;
  /** Ids of the claims (bench/analysis/claim-registry.ts) this scenario gives verdicts for. */
  readonly claims: readonly string[];
  /** Parameters a user may set with `--set key=value` (and compare variants). */
  readonly tunables?: Readonly<Record<string, TunableSpec>>;
  /** redis.conf overrides for the managed instance this scenario runs on. */
  readonly redisConfig?: Readonly<Record<string, string | number>>;
  /** Topologies it can run on (--topology); default ['standalone']. Others are refused before the run. */
  readonly topologies?: readonly TopologyKind[];
  /**
   * True when its load honours --shard k/N and --workers W (it runs through runShardedLoad or
   * shardedRate/loadSeed, bench/load/sharded-load.ts). Otherwise `rpb run` warns that every shard
   * machine would run the full load.
   */
  readonly splitsLoad?: boolean;
  run(context: ScenarioContext): Promise<ScenarioOutcome>;
}
