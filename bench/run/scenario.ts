import type { Redis } from 'ioredis';
import type { ClaimVerdict } from '../core/claim.ts';
import type { ScenarioEvent, ScenarioSeries, ScenarioValue } from '../core/run-summary.ts';
import type { TunableSpec, TunableValue } from '../core/tunables.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import type { ManagedRedis } from '../targets/managed-redis.ts';
import type { ScenarioTopology, TopologyKind } from '../targets/topology-target.ts';
import type { ProgressEvent } from './progress-reporter.ts';
import type { RunParams } from './run-params.ts';

/**
 * The Redis a scenario runs on. `url` is where the system under test connects (through the fault
 * proxy under --added-latency-ms); it may hold a password: never print it, print `redactedUrl`.
 * - 'managed': the harness started it (a fresh instance per scenario). `server` is the redis-server
 *   process to kill / pause / restart (chaos), or null for a managed cluster or sentinel deployment,
 *   whose nodes are in ScenarioContext.topology.
 * - 'url': a Redis given by --redis-url (or a --target container): never signalled or reconfigured.
 * `kind` is the word verdict conditions print ("managed Redis 7.0.15"), unless `label` says more: a
 * --target container ("container (redis:7.0) Redis 7.0.15") or a compose service ("compose service redis").
 */
export type ScenarioTarget =
  | {
      readonly kind: 'managed';
      readonly url: string;
      readonly redactedUrl: string;
      readonly server: ManagedRedis | null;
    }
  | { readonly kind: 'url'; readonly url: string; readonly redactedUrl: string; readonly label?: string };

/** What a scenario gets from the runner: a live Redis, recorders, the run's parameters. */
export interface ScenarioContext {
  readonly params: RunParams;
  readonly target: ScenarioTarget;
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
   * factory that follows it (ioredis Cluster, sentinel-aware Redis, or plain Redis on target.url).
   * On a cluster, `target.url` and `admin` reach one seed node only: use createClient for data.
   */
  readonly topology?: ScenarioTopology;
  /**
   * Under a validate budget, a scenario with `spreadParts` runs its planned trials in parts spread over
   * the run: this is part `index` of `of` (roundsOfPart gives its share). Absent: all of them at once.
   */
  readonly part?: TrialPart;
}

/** One part of a scenario's planned trials, run at its own point of a validation. */
export interface TrialPart {
  /** 1-based. */
  readonly index: number;
  readonly of: number;
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

/**
 * A scenario: the extension point the runner drives (scenarios/registry.ts lists them). It lives with
 * the orchestrator, not in bench/core, because its context holds the live handles of the stages
 * (recorders, the managed redis-server, the topology); the plain data it returns is core's.
 */
export interface Scenario {
  readonly id: string;
  readonly description: string;
  /** Ids of the claims (scenarios/<folder>/claims.ts) this scenario gives verdicts for. */
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
  /**
   * Wall time of one run of it on a 2-core machine (--quick and default), Redis start included: the
   * budget of `rpb validate` skips a scenario whose run would not fit in what is left. Absent: unknown.
   */
  readonly expectedMs?: { readonly quick: number; readonly full: number };
  /**
   * Under a validate budget, split its planned trials (rounds) into this many parts run at evenly
   * spaced points of the first pass, each on a fresh Redis with its own warm-up, and judge their trials
   * pooled: trials taken seconds apart share the machine's state of those seconds, so their interval
   * misses the drift between runs minutes apart (what a claim near its boundary flips on). Absent: 1.
   */
  readonly spreadParts?: { readonly quick: number; readonly full: number };
  run(context: ScenarioContext): Promise<ScenarioOutcome>;
}
