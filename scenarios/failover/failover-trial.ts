/** One failover trial: open-loop cache load, SIGKILL of the master, the watch until writes recover, the canaries. */
import { ALPHA158_LENGTH } from '../../src/cache/codec.ts';
import type { FeatureCache } from '../../src/cache/feature-cache.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import { InfraError } from '../../bench/errors.ts';
import type { OpenLoopOptions } from '../../bench/load/open-loop-options.ts';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import type { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { failoverTimeline, failoverTrialFigures } from './failover-figures.ts';
import type { FailoverOp, FailoverTrialFigures } from './failover-figures.ts';
import type { FailoverParams } from './failover-params.ts';
import type { FailoverTarget } from './failover-target.ts';

export const FAILOVER_DATE = '2025-01-17';
const OP_METRIC = 'failover.op';
const WRITE_METRIC = 'failover.write';
const READ_METRIC = 'failover.read';
/** Every 4th key is a canary: written only before the kill, so a lost acknowledged write stays visible. */
export const CANARY_EVERY = 4;

export interface TrialResult {
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

/** When the victim was killed and when the deployment named a new master. */
interface KillWatch {
  readonly killEpochMs: number;
  readonly promotedPort: number | null;
  readonly promotionMs: number | null;
}

const sinceOrigin = (log: TrialLog): number => Number(nowNs() - log.originNs);

/**
 * One failover trial: open-loop FeatureCache load, SIGKILL of the master, watch until the writes
 * recover and the deployment names a new master, then the figures from every operation.
 */
export async function runTrial(
  trial: number,
  target: FailoverTarget,
  cache: FeatureCache,
  checker: FeatureCache,
  symbols: readonly string[],
  params: FailoverParams,
  context: ScenarioContext,
): Promise<TrialResult> {
  const { recorders, signal } = context;
  const keys = symbols.map((s) => featureKey(s, FAILOVER_DATE));
  const victim = await target.victim(trial);
  const trialKeys: TrialKeys = { symbols, keys, affected: await target.affected(victim, keys) };
  const affectedIndex = trialKeys.affected.findIndex(Boolean);
  if (affectedIndex === -1)
    throw new InfraError(`the victim ${victim.port} holds none of the ${keys.length} keys`, { hint: 'raise keyCount' });
  const random = SeededRandom.forKey(context.params.seed, `failover-${trial}`);
  const log: TrialLog = {
    ops: [],
    ackedVersion: new Map(),
    version: 0,
    originNs: nowNs(),
    killNs: Number.POSITIVE_INFINITY,
    lastAffectedWriteFailNs: 0,
    firstAffectedWriteOkAfterKillNs: 0,
  };
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const operation = cacheOperation(log, cache, trialKeys, params.writeFraction, random, recorders);
  const loadDone = runOpenLoop(trialLoadOptions(params), operation, recorders, stop.signal);
  let watch: KillWatch;
  try {
    const watched = { target, victim, probeKey: keys[affectedIndex] };
    watch = await killAndWatch(trial, watched, log, params, context, stop.signal);
  } finally {
    // Ends the load early (the recovery came before maxRecoveryMs); pending operations finish or are abandoned.
    stop.abort();
    signal.removeEventListener('abort', onAbort);
  }
  const load = await loadDone;
  // Operations abandoned by the early stop may still settle: give them their command timeout.
  await sleepMs(params.commandTimeoutMs * 2);
  recorders.markTrial();
  const killed = Number.isFinite(log.killNs);
  const figures = failoverTrialFigures(log.ops, killed ? log.killNs : Number.MAX_SAFE_INTEGER);
  const canaries = killed && !signal.aborted ? await checkCanaries(log, trialKeys, checker) : { lost: 0, checked: 0 };
  return {
    figures,
    victim,
    victimPort: victim.port,
    promotedPort: watch.promotedPort,
    promotionMs: watch.promotionMs,
    lostAckedWrites: canaries.lost,
    canariesChecked: canaries.checked,
    affectedKeyShare: trialKeys.affected.filter(Boolean).length / trialKeys.affected.length,
    load,
    killEpochMs: watch.killEpochMs,
    timeline: failoverTimeline(log.ops, killed ? log.killNs : 0),
  };
}

function trialLoadOptions(params: FailoverParams): OpenLoopOptions {
  const maxDurationMs = params.preFaultMs + params.maxRecoveryMs + params.postRecoveryMs;
  return {
    rateOpsPerSecond: params.rateOpsPerSecond,
    durationMs: maxDurationMs,
    warmupDurationMs: 0,
    maxOperations: Math.ceil((params.rateOpsPerSecond * maxDurationMs) / 1000),
    maxInFlight: 1_024,
    metricName: OP_METRIC,
    drainTimeoutMs: 3_000,
  };
}

/** One cache operation of the load: a get or a versioned set of a random key, logged whatever its outcome. */
function cacheOperation(
  log: TrialLog,
  cache: FeatureCache,
  { symbols, affected }: TrialKeys,
  writeFraction: number,
  random: SeededRandom,
  recorders: RecorderSet,
): () => Promise<void> {
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
      if (ok) recorders.metric(write ? WRITE_METRIC : READ_METRIC).recordNs(doneNs - sendNs);
      if (write && affected[index] && sendNs >= log.killNs) {
        if (!ok) log.lastAffectedWriteFailNs = doneNs;
        else if (log.firstAffectedWriteOkAfterKillNs === 0) log.firstAffectedWriteOkAfterKillNs = doneNs;
      }
    }
  };
}

/**
 * Steady load for preFaultMs, SIGKILL of the victim, then a watch on both the deployment naming a
 * new master and the client's writes succeeding again (stableMs without a failure), then postRecoveryMs.
 */
async function killAndWatch(
  trial: number,
  { target, victim, probeKey }: { target: FailoverTarget; victim: ManagedRedis; probeKey: string },
  log: TrialLog,
  params: FailoverParams,
  context: ScenarioContext,
  stop: AbortSignal,
): Promise<KillWatch> {
  let promotedPort: number | null = null;
  let promotionMs: number | null = null;
  await sleepMs(params.preFaultMs, stop);
  if (stop.aborted) return { killEpochMs: Number.NaN, promotedPort, promotionMs };
  context.progress(
    `trial ${trial + 1}/${params.trials}: SIGKILL master ${victim.port} under ${params.rateOpsPerSecond} ops/s`,
  );
  const killEpochMs = Date.now();
  log.killNs = sinceOrigin(log);
  await victim.kill();
  const deadlineNs = log.killNs + params.maxRecoveryMs * NS_PER_MS;
  while (!stop.aborted && sinceOrigin(log) < deadlineNs) {
    if (promotedPort === null) {
      promotedPort = await target.promoted(victim, probeKey).catch(() => null);
      if (promotedPort !== null) promotionMs = (sinceOrigin(log) - log.killNs) / NS_PER_MS;
    }
    const now = sinceOrigin(log);
    const recovered =
      log.firstAffectedWriteOkAfterKillNs > 0 &&
      now - Math.max(log.lastAffectedWriteFailNs, log.firstAffectedWriteOkAfterKillNs) >= params.stableMs * NS_PER_MS;
    if (recovered && promotedPort !== null) break;
    await sleepMs(100, stop);
  }
  await sleepMs(params.postRecoveryMs, stop);
  return { killEpochMs, promotedPort, promotionMs };
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
