import { ALPHA158_LENGTH } from '../../src/cache/codec.ts';
import type { FeatureCache } from '../../src/cache/feature-cache.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { SeededRandom } from '../../src/market/seeded-random.ts';
import { failoverTimeline, failoverTrialFigures } from './failover-figures.ts';
import type { FailoverOp, FailoverTrialFigures } from './failover-figures.ts';
import { InfraError } from '../../bench/errors.ts';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import type { LoadResult } from '../../bench/load/load-result.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import type { ScenarioContext } from '../../bench/core/scenario.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import type { FailoverTarget } from './failover-target.ts';

/** What one failover trial does (the scenario resolves them from defaults, --quick and --set). */
export interface FailoverParams {
  /** Failovers, one per trial (each on a healed deployment); 3 give a verdict. */
  readonly trials: number;
  readonly rateOpsPerSecond: number;
  /** Share of operations that are FeatureCache.set (the rest FeatureCache.get). */
  readonly writeFraction: number;
  /** Symbols (one date): keys spread over every slot range. */
  readonly keyCount: number;
  /** Steady load before the kill. */
  readonly preFaultMs: number;
  /** Give up waiting for the writes to recover this long after the kill (then: not recovered). */
  readonly maxRecoveryMs: number;
  /** Recovery is taken as reached after this long with no failed write to an affected key. */
  readonly stableMs: number;
  /** Load kept on after the recovery, to see the steady state again. */
  readonly postRecoveryMs: number;
  /** The cache client's command timeout (the service's fail-fast setting). */
  readonly commandTimeoutMs: number;
  /** cluster-node-timeout (cluster) / down-after-milliseconds (sentinel): the failure-detection time. */
  readonly detectionMs: number;
  /** sentinel failover-timeout. */
  readonly failoverTimeoutMs: number;
  /** Bound on healing the deployment between trials (restart the killed node, wait until in sync). */
  readonly healTimeoutMs: number;
}

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

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function vector(version: number): Float64Array {
  const features = new Float64Array(ALPHA158_LENGTH).fill(0.5);
  features[0] = version;
  return features;
}

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
  const affected = await target.affected(victim, keys);
  const affectedIndex = affected.findIndex(Boolean);
  if (affectedIndex === -1)
    throw new InfraError(`the victim ${victim.port} holds none of the ${keys.length} keys`, { hint: 'raise keyCount' });
  const random = SeededRandom.forKey(context.params.seed, `failover-${trial}`);
  const ops: FailoverOp[] = [];
  const ackedVersion = new Map<number, number>();
  let version = 0;
  const originNs = nowNs();
  let killNs = Number.POSITIVE_INFINITY;
  let lastAffectedWriteFailNs = 0;
  let firstAffectedWriteOkAfterKillNs = 0;
  const operation = async (): Promise<void> => {
    let index = Math.floor(random.nextFloat() * symbols.length);
    const write = random.nextFloat() < params.writeFraction;
    const killed = Number.isFinite(killNs);
    // Canary keys keep their last pre-kill value, so a lost acknowledged write cannot be overwritten unseen.
    if (write && killed && index % CANARY_EVERY === 0) index = (index + 1) % symbols.length;
    const sendNs = Number(nowNs() - originNs);
    let ok = false;
    const myVersion = write ? ++version : 0;
    try {
      if (write) await cache.set(symbols[index], FAILOVER_DATE, vector(myVersion));
      else await cache.get(symbols[index], FAILOVER_DATE);
      ok = true;
      if (write && myVersion > (ackedVersion.get(index) ?? 0)) ackedVersion.set(index, myVersion);
    } finally {
      const doneNs = Number(nowNs() - originNs);
      ops.push({ sendNs, doneNs, write, affected: affected[index], ok });
      if (ok) recorders.metric(write ? WRITE_METRIC : READ_METRIC).recordNs(doneNs - sendNs);
      if (write && affected[index] && sendNs >= killNs) {
        if (!ok) lastAffectedWriteFailNs = doneNs;
        else if (firstAffectedWriteOkAfterKillNs === 0) firstAffectedWriteOkAfterKillNs = doneNs;
      }
    }
  };
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const maxDurationMs = params.preFaultMs + params.maxRecoveryMs + params.postRecoveryMs;
  const loadDone = runOpenLoop(
    {
      rateOpsPerSecond: params.rateOpsPerSecond,
      durationMs: maxDurationMs,
      warmupDurationMs: 0,
      maxOperations: Math.ceil((params.rateOpsPerSecond * maxDurationMs) / 1000),
      maxInFlight: 1_024,
      metricName: OP_METRIC,
      drainTimeoutMs: 3_000,
    },
    operation,
    recorders,
    stop.signal,
  );
  let promotionMs: number | null = null;
  let promotedPort: number | null = null;
  let killEpochMs = Number.NaN;
  try {
    await abortableSleep(params.preFaultMs, stop.signal);
    if (!stop.signal.aborted) {
      context.progress(
        `trial ${trial + 1}/${params.trials}: SIGKILL master ${victim.port} under ${params.rateOpsPerSecond} ops/s`,
      );
      killEpochMs = Date.now();
      killNs = Number(nowNs() - originNs);
      await victim.kill();
      const deadlineNs = killNs + params.maxRecoveryMs * 1e6;
      // Watch both: the deployment naming a new master, and the client's writes succeeding again.
      while (!stop.signal.aborted && Number(nowNs() - originNs) < deadlineNs) {
        if (promotedPort === null) {
          promotedPort = await target.promoted(victim, keys[affectedIndex]).catch(() => null);
          if (promotedPort !== null) promotionMs = (Number(nowNs() - originNs) - killNs) / 1e6;
        }
        const now = Number(nowNs() - originNs);
        const recovered =
          firstAffectedWriteOkAfterKillNs > 0 &&
          now - Math.max(lastAffectedWriteFailNs, firstAffectedWriteOkAfterKillNs) >= params.stableMs * 1e6;
        if (recovered && promotedPort !== null) break;
        await abortableSleep(100, stop.signal);
      }
      await abortableSleep(params.postRecoveryMs, stop.signal);
    }
  } finally {
    // Ends the load early (the recovery came before maxRecoveryMs); pending operations finish or are abandoned.
    stop.abort();
    signal.removeEventListener('abort', onAbort);
  }
  const load = await loadDone;
  // Operations abandoned by the early stop may still settle: give them their command timeout.
  await new Promise((resolve) => setTimeout(resolve, params.commandTimeoutMs * 2));
  recorders.markTrial();
  const figures = failoverTrialFigures(ops, Number.isFinite(killNs) ? killNs : Number.MAX_SAFE_INTEGER);
  let lost = 0;
  let checked = 0;
  if (Number.isFinite(killNs) && !signal.aborted) {
    for (const [index, acked] of ackedVersion) {
      if (index % CANARY_EVERY !== 0 || !affected[index]) continue;
      checked += 1;
      const stored = await checker.get(symbols[index], FAILOVER_DATE);
      if (stored === null || stored[0] < acked) lost += 1;
    }
  }
  return {
    figures,
    victim,
    victimPort: victim.port,
    promotedPort,
    promotionMs,
    lostAckedWrites: lost,
    canariesChecked: checked,
    affectedKeyShare: affected.filter(Boolean).length / affected.length,
    load,
    killEpochMs,
    timeline: failoverTimeline(ops, Number.isFinite(killNs) ? killNs : 0),
  };
}
