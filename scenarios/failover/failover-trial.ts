/** One failover trial: new clients, open-loop cache load, SIGKILL of the master, the watch, the canaries. */
import { ALPHA158_LENGTH } from '../../src/cache/codec.ts';
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import type { TopologyClient } from '../../src/redis/topology-client.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import { InfraError } from '../../bench/errors.ts';
import type { OpenLoopOptions } from '../../bench/load/open-loop-options.ts';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import type { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { failoverTimeline, failoverTrialFigures, trialFigure } from './failover-figures.ts';
import type { FailoverOp, FailoverTrialFigures, TrialFigure } from './failover-figures.ts';
import type { FailoverParams } from './failover-params.ts';
import type { FailoverTimings } from './failover-settings.ts';
import type { FailoverTarget } from './failover-target.ts';

export const FAILOVER_DATE = '2025-01-17';
/** Every 4th key is a canary: written only before the kill, so a lost acknowledged write stays visible. */
export const CANARY_EVERY = 4;
/** Versions written by trial i start at i * this, so a value left by an earlier trial always reads as older. */
const VERSION_STRIDE = 10_000_000;
const CLIENT_READY_TIMEOUT_MS = 10_000;
const WATCH_POLL_MS = 100;

/** Which trial this is and what it runs with. */
export interface TrialSpec {
  /** 0-based over the whole run (both detection settings): names the trial and seeds its load. */
  readonly index: number;
  /** 0-based lane (deployment) it runs on. */
  readonly lane: number;
  /** Trials this lane ran before this one (the cluster victim rotates over the masters with it). */
  readonly laneTrial: number;
  readonly timings: FailoverTimings;
  /** The harness stops waiting for the writes this long after the kill (the budget plus waitBeyondBudgetMs). */
  readonly gaveUpAfterMs: number;
}

/** What every trial of a run shares: parameters, recorders, the keys, the run's signal and progress. */
export interface TrialContext {
  readonly params: FailoverParams;
  readonly recorders: RecorderSet;
  readonly seed: number;
  readonly symbols: readonly string[];
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
}

export interface TrialResult {
  readonly spec: TrialSpec;
  /** The verdict figure (end to end, censored at the harness's wait). */
  readonly figure: TrialFigure;
  readonly figures: FailoverTrialFigures;
  readonly victim: ManagedRedis;
  readonly victimPort: number;
  readonly promotedPort: number | null;
  /** Kill to the moment the deployment itself named a new master (polled every 100 ms). */
  readonly promotionMs: number | null;
  readonly lostAckedWrites: number;
  readonly canariesChecked: number;
  readonly affectedKeyShare: number;
  readonly load: LoadResult;
  readonly killEpochMs: number;
  readonly timeline: ReturnType<typeof failoverTimeline>;
}

/** The recorder names of one detection setting's trials (the fast ones keep the plain names). */
export function failoverMetricName(timings: FailoverTimings, what: 'op' | 'write' | 'read'): string {
  return timings.mode === 'fast' ? `failover.${what}` : `failover.${timings.mode}.${what}`;
}

function vector(version: number): Float64Array {
  const features = new Float64Array(ALPHA158_LENGTH).fill(0.5);
  features[0] = version;
  return features;
}

/** The trial's keys: the symbols written and read (one date), and which of them the victim holds. */
interface TrialKeys {
  readonly symbols: readonly string[];
  readonly keys: readonly string[];
  readonly affected: readonly boolean[];
}

/** What the load writes and the watch reads: every operation, the acknowledged versions, the kill. */
interface TrialLog {
  readonly ops: FailoverOp[];
  /** Latest acknowledged version per key index. */
  readonly ackedVersion: Map<number, number>;
  version: number;
  readonly originNs: bigint;
  /** ns from the origin; +Infinity until the master is killed. */
  killNs: number;
  lastAffectedWriteFailNs: number;
  firstAffectedWriteOkAfterKillNs: number;
}

/** When the victim was killed, when the deployment named a new master, and how the watch ended. */
interface KillWatch {
  readonly killEpochMs: number;
  readonly promotedPort: number | null;
  readonly promotionMs: number | null;
  /** The run was interrupted before the writes recovered or the wait ended. */
  readonly cutShort: boolean;
}

/** The clients of one trial, new for each: a fail-fast cache client under load and a patient checker. */
interface TrialClients {
  readonly cache: FeatureCache;
  readonly checker: FeatureCache;
  close(): void;
}

const sinceOrigin = (log: TrialLog): number => Number(nowNs() - log.originNs);

/**
 * One failover trial on a healthy deployment: new clients, open-loop FeatureCache load, SIGKILL of
 * the master, a watch until the writes recover and the deployment names a new master (or the
 * harness stops waiting), then the figures from every operation and the canary read-back.
 */
export async function runTrial(spec: TrialSpec, target: FailoverTarget, trial: TrialContext): Promise<TrialResult> {
  const clients = await openClients(target, trial.params);
  try {
    return await runLoadAndKill(spec, target, trial, clients);
  } finally {
    clients.close();
  }
}

async function openClients(target: FailoverTarget, params: FailoverParams): Promise<TrialClients> {
  const client = target.createClient({
    connectionName: 'rpb-failover-cache',
    commandTimeoutMs: params.commandTimeoutMs,
  });
  const checkerClient = target.createClient({
    connectionName: 'rpb-failover-check',
    commandTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
    enableOfflineQueue: true,
  });
  client.on('error', () => {});
  checkerClient.on('error', () => {});
  const close = (): void => {
    client.disconnect();
    checkerClient.disconnect();
  };
  try {
    await waitReady(client, CLIENT_READY_TIMEOUT_MS);
  } catch (error) {
    close();
    throw error;
  }
  return {
    cache: new FeatureCache({ client, ttlSeconds: 3_600 }),
    checker: new FeatureCache({ client: checkerClient, ttlSeconds: 3_600 }),
    close,
  };
}

async function waitReady(client: TopologyClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (client.status !== 'ready') {
    if (Date.now() > deadline)
      throw new InfraError(`the cache client did not become ready within ${timeoutMs} ms (status ${client.status})`, {
        hint: 'the deployment may be unhealthy',
      });
    await sleepMs(20);
  }
}

async function runLoadAndKill(
  spec: TrialSpec,
  target: FailoverTarget,
  trial: TrialContext,
  { cache, checker }: TrialClients,
): Promise<TrialResult> {
  const { params, recorders, signal, symbols } = trial;
  const keys = symbols.map((s) => featureKey(s, FAILOVER_DATE));
  const victim = await target.victim(spec.laneTrial);
  const trialKeys: TrialKeys = { symbols, keys, affected: await target.affected(victim, keys) };
  const affectedIndex = trialKeys.affected.findIndex(Boolean);
  if (affectedIndex === -1)
    throw new InfraError(`the victim ${victim.port} holds none of the ${keys.length} keys`, { hint: 'raise keyCount' });
  const log: TrialLog = {
    ops: [],
    ackedVersion: new Map(),
    version: spec.index * VERSION_STRIDE,
    originNs: nowNs(),
    killNs: Number.POSITIVE_INFINITY,
    lastAffectedWriteFailNs: 0,
    firstAffectedWriteOkAfterKillNs: 0,
  };
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const random = SeededRandom.forKey(trial.seed, `failover-${spec.index}`);
  const load = { log, cache, keys: trialKeys, random, recorders, timings: spec.timings };
  const loadDone = runOpenLoop(
    trialLoadOptions(params, spec),
    cacheOperation(load, params.writeFraction),
    recorders,
    stop.signal,
  );
  let watch: KillWatch;
  try {
    watch = await killAndWatch(spec, { target, victim, probeKey: keys[affectedIndex] }, log, trial, stop.signal);
  } finally {
    // Ends the load early (the recovery came before the wait ran out); pending operations finish or are abandoned.
    stop.abort();
    signal.removeEventListener('abort', onAbort);
  }
  const loadResult = await loadDone;
  // Operations the drain abandoned may still settle (and be logged): give them their command timeout.
  if (loadResult.abandoned > 0) await sleepMs(params.commandTimeoutMs * 2);
  const killed = Number.isFinite(log.killNs);
  const figures = failoverTrialFigures(log.ops, killed ? log.killNs : Number.MAX_SAFE_INTEGER);
  const measured = killed && !watch.cutShort;
  // Canaries are read back only once the writes work again (a dead shard would make each read wait 5 s).
  const canaries =
    measured && figures.writeRecoveryMs !== null
      ? await checkCanaries(log, trialKeys, checker)
      : { lost: 0, checked: 0 };
  return {
    spec,
    figure: trialFigure(figures.writeRecoveryMs, spec.gaveUpAfterMs, !measured),
    figures,
    victim,
    victimPort: victim.port,
    promotedPort: watch.promotedPort,
    promotionMs: watch.promotionMs,
    lostAckedWrites: canaries.lost,
    canariesChecked: canaries.checked,
    affectedKeyShare: trialKeys.affected.filter(Boolean).length / trialKeys.affected.length,
    load: loadResult,
    killEpochMs: watch.killEpochMs,
    timeline: failoverTimeline(log.ops, killed ? log.killNs : 0),
  };
}

function trialLoadOptions(params: FailoverParams, spec: TrialSpec): OpenLoopOptions {
  const maxDurationMs = params.preFaultMs + spec.gaveUpAfterMs + params.postRecoveryMs;
  return {
    rateOpsPerSecond: params.rateOpsPerSecond,
    durationMs: maxDurationMs,
    warmupDurationMs: 0,
    maxOperations: Math.ceil((params.rateOpsPerSecond * maxDurationMs) / 1000),
    maxInFlight: 1_024,
    metricName: failoverMetricName(spec.timings, 'op'),
    drainTimeoutMs: 3_000,
    // Send times need ms, not µs, precision here; spinning would burn a core per lane.
    spinWindowMs: 0,
  };
}

/** What the load of one trial works on. */
interface TrialLoad {
  readonly log: TrialLog;
  readonly cache: FeatureCache;
  readonly keys: TrialKeys;
  readonly random: SeededRandom;
  readonly recorders: RecorderSet;
  readonly timings: FailoverTimings;
}

/** One cache operation of the load: a get or a versioned set of a random key, logged whatever its outcome. */
function cacheOperation(
  { log, cache, keys: { symbols, affected }, random, recorders, timings }: TrialLoad,
  writeFraction: number,
): () => Promise<void> {
  const writeMetric = recorders.metric(failoverMetricName(timings, 'write'));
  const readMetric = recorders.metric(failoverMetricName(timings, 'read'));
  return async () => {
    let index = Math.floor(random.nextFloat() * symbols.length);
    const write = random.nextFloat() < writeFraction;
    const killed = Number.isFinite(log.killNs);
    // Canary keys keep their last pre-kill value, so a lost acknowledged write cannot be overwritten unseen.
    if (write && killed && index % CANARY_EVERY === 0) index = (index + 1) % symbols.length;
    const sendNs = sinceOrigin(log);
    let ok = false;
    const myVersion = write ? ++log.version : 0;
    try {
      if (write) await cache.set(symbols[index], FAILOVER_DATE, vector(myVersion));
      else await cache.get(symbols[index], FAILOVER_DATE);
      ok = true;
      if (write && myVersion > (log.ackedVersion.get(index) ?? 0)) log.ackedVersion.set(index, myVersion);
    } finally {
      const doneNs = sinceOrigin(log);
      log.ops.push({ sendNs, doneNs, write, affected: affected[index], ok });
      if (ok) (write ? writeMetric : readMetric).recordNs(doneNs - sendNs);
      if (write && affected[index] && sendNs >= log.killNs) {
        if (!ok) log.lastAffectedWriteFailNs = doneNs;
        else if (log.firstAffectedWriteOkAfterKillNs === 0) log.firstAffectedWriteOkAfterKillNs = doneNs;
      }
    }
  };
}

/**
 * Steady load for preFaultMs, SIGKILL of the victim, then a watch on both the deployment naming a
 * new master and the client's writes succeeding again (stableMs without a failure), at most
 * gaveUpAfterMs, then postRecoveryMs.
 */
async function killAndWatch(
  spec: TrialSpec,
  { target, victim, probeKey }: { target: FailoverTarget; victim: ManagedRedis; probeKey: string },
  log: TrialLog,
  { params, progress }: TrialContext,
  stop: AbortSignal,
): Promise<KillWatch> {
  let promotedPort: number | null = null;
  let promotionMs: number | null = null;
  await sleepMs(params.preFaultMs, stop);
  if (stop.aborted) return { killEpochMs: Number.NaN, promotedPort, promotionMs, cutShort: true };
  progress(
    `trial ${spec.index + 1} (lane ${spec.lane + 1}, ${spec.timings.mode}): SIGKILL master ${victim.port} under ${params.rateOpsPerSecond} ops/s`,
  );
  const killEpochMs = Date.now();
  log.killNs = sinceOrigin(log);
  await victim.kill();
  const deadlineNs = log.killNs + spec.gaveUpAfterMs * NS_PER_MS;
  let recovered = false;
  while (!stop.aborted && sinceOrigin(log) < deadlineNs) {
    if (promotedPort === null) {
      promotedPort = await target.promoted(victim, probeKey).catch(() => null);
      if (promotedPort !== null) promotionMs = (sinceOrigin(log) - log.killNs) / NS_PER_MS;
    }
    recovered = promotedPort !== null && writesStable(log, params.stableMs);
    if (recovered) break;
    await sleepMs(WATCH_POLL_MS, stop);
  }
  const cutShort = stop.aborted;
  await sleepMs(recovered ? params.postRecoveryMs : 0, stop);
  return { killEpochMs, promotedPort, promotionMs, cutShort };
}

/** Writes to the victim's keys have succeeded since the kill, with no failure for the last stableMs. */
function writesStable(log: TrialLog, stableMs: number): boolean {
  if (log.firstAffectedWriteOkAfterKillNs === 0) return false;
  const quietSinceNs = Math.max(log.lastAffectedWriteFailNs, log.firstAffectedWriteOkAfterKillNs);
  return sinceOrigin(log) - quietSinceNs >= stableMs * NS_PER_MS;
}

/** Reads back each canary key on the killed master: gone or older than its last acknowledged write is lost. */
async function checkCanaries(
  log: TrialLog,
  { symbols, affected }: TrialKeys,
  checker: FeatureCache,
): Promise<{ lost: number; checked: number }> {
  let lost = 0;
  let checked = 0;
  for (const [index, acked] of log.ackedVersion) {
    if (index % CANARY_EVERY !== 0 || !affected[index]) continue;
    checked += 1;
    const stored = await checker.get(symbols[index], FAILOVER_DATE);
    if (stored === null || stored[0] < acked) lost += 1;
  }
  return { lost, checked };
}
