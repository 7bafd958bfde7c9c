/**
 * The failover trials spread over lanes: deployments side by side (the run's own and lanes - 1 the
 * scenario starts), each running its trials one after another on a healed, converged deployment.
 * A failover takes seconds of waiting on timers, so lanes cut the wall time without crowding the CPU.
 */
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { fmt } from './failover-figures.ts';
import { gaveUpAfterMs } from './failover-params.ts';
import type { FailoverParams } from './failover-params.ts';
import type { FailoverKind, FailoverTimings } from './failover-settings.ts';
import { failoverTarget, startDeployment, stopDeployment } from './failover-target.ts';
import type { FailoverDeployment, FailoverTarget } from './failover-target.ts';
import { runTrial } from './failover-trial.ts';
import type { TrialContext, TrialResult, TrialSpec } from './failover-trial.ts';

/** What the lanes run: the run's deployment, the parameters, the settings in order, the shared trial context. */
export interface LanesRun {
  readonly kind: FailoverKind;
  readonly first: FailoverDeployment;
  readonly params: FailoverParams;
  /** The fast settings, then Redis's defaults with --thorough: params.trials trials each. */
  readonly modes: readonly FailoverTimings[];
  readonly trial: TrialContext;
}

export interface LanesOutcome {
  /** Every trial, in trial order. */
  readonly results: readonly TrialResult[];
  /** What one deployment is (every lane runs the same). */
  readonly description: string;
}

/** One deployment and what it still owes the next trial. */
interface Lane {
  readonly index: number;
  readonly target: Promise<FailoverTarget>;
  /**
   * Once its last trial is done: the run's own deployment gets its last victim back (the runner reads
   * INFO through a connection to one of its nodes afterwards); one the scenario started is stopped.
   */
  readonly release: () => Promise<void>;
  /** Trials it has run (the cluster victim rotates with it). */
  trials: number;
  /** The node killed by its last trial, to heal before the next one. */
  pendingVictim: ManagedRedis | null;
  timings: FailoverTimings | null;
}

/** Hands out trial numbers first..first + count - 1, then null. */
function trialQueue(first: number, count: number): () => number | null {
  let next = first;
  return () => (next < first + count ? next++ : null);
}

/**
 * Runs params.trials trials per detection setting over params.lanes deployments. The extra
 * deployments start while the first lane already runs; they are stopped on every exit path. The
 * first failing lane stops the others (their trial in progress is cut short) and its error is thrown.
 */
export async function runLanes(run: LanesRun): Promise<LanesOutcome> {
  const started = Array.from({ length: run.params.lanes - 1 }, () => startDeployment(run.kind));
  const lanes: Lane[] = [Promise.resolve(run.first), ...started].map((deployment, index) => {
    const lane: Lane = {
      index,
      target: deployment.then(failoverTarget),
      release: () =>
        index === 0 ? restoreRunDeployment(lane, run.params.healTimeoutMs) : deployment.then(stopDeployment),
      trials: 0,
      pendingVictim: null,
      timings: null,
    };
    return lane;
  });
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  run.trial.signal.addEventListener('abort', onAbort, { once: true });
  const trial = { ...run.trial, signal: stop.signal };
  const results: TrialResult[] = [];
  try {
    for (const [m, timings] of run.modes.entries()) {
      const take = trialQueue(m * run.params.trials, run.params.trials);
      const last = m === run.modes.length - 1;
      // A lane done with the last trials is released while the others still run (best effort).
      const release = (lane: Lane): Promise<void> =>
        last && !stop.signal.aborted ? lane.release().catch(() => undefined) : Promise.resolve();
      await allLanes(
        lanes.map((lane) => runLane(lane, timings, take, { ...run, trial }, results).then(() => release(lane))),
        stop,
      );
    }
  } finally {
    run.trial.signal.removeEventListener('abort', onAbort);
    // Stopping is idempotent: this covers the lanes a failure or Ctrl-C left running.
    await Promise.allSettled(started.map((deployment) => deployment.then(stopDeployment)));
  }
  return {
    results: results.sort((a, b) => a.spec.index - b.spec.index),
    description: (await lanes[0].target).description,
  };
}

/** Waits for every lane; the first that fails aborts the others, and its error is thrown once all have stopped. */
async function allLanes(runs: readonly Promise<void>[], stop: AbortController): Promise<void> {
  const settled = await Promise.allSettled(
    runs.map((lane) =>
      lane.catch((error: unknown) => {
        stop.abort();
        throw error;
      }),
    ),
  );
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

async function runLane(
  lane: Lane,
  timings: FailoverTimings,
  take: () => number | null,
  run: LanesRun,
  results: TrialResult[],
): Promise<void> {
  const { params, trial } = run;
  const target = await lane.target;
  for (let index = take(); index !== null && !trial.signal.aborted; index = take()) {
    await prepareLane(lane, target, timings, run);
    const spec: TrialSpec = {
      index,
      lane: lane.index,
      laneTrial: lane.trials,
      timings,
      gaveUpAfterMs: gaveUpAfterMs(timings, params),
    };
    const result = await runTrial(spec, target, trial);
    lane.trials += 1;
    lane.pendingVictim = result.victim;
    results.push(result);
    trial.progress(trialLine(result));
  }
}

/** Restarts the run's own deployment's last victim and lets it rejoin, as between trials. */
async function restoreRunDeployment(lane: Lane, timeoutMs: number): Promise<void> {
  if (lane.pendingVictim !== null) await (await lane.target).heal(lane.pendingVictim, timeoutMs);
}

/** Heals the last trial's victim, sets the timings, and waits until the deployment is healthy and converged. */
async function prepareLane(lane: Lane, target: FailoverTarget, timings: FailoverTimings, run: LanesRun): Promise<void> {
  const timeoutMs = run.params.healTimeoutMs;
  const victim = lane.pendingVictim;
  if (victim !== null) {
    run.trial.progress(`lane ${lane.index + 1}: restarting node ${victim.port} as a replica (not measured)`);
    await target.heal(victim, timeoutMs);
    lane.pendingVictim = null;
  }
  if (lane.timings !== timings) {
    await target.applyTimings(timings);
    lane.timings = timings;
  }
  await target.waitHealthy(timeoutMs);
}

function trialLine(r: TrialResult): string {
  const f = r.figures;
  const recovery = r.figure.censored
    ? `writes had not recovered when the harness stopped waiting: counted as ${fmt(r.figure.ms)} ms`
    : `writes recovered ${fmt(f.writeRecoveryMs)} ms after the kill`;
  return `trial ${r.spec.index + 1} (lane ${r.spec.lane + 1}, ${r.spec.timings.mode}): ${recovery} (promotion ${fmt(r.promotionMs)} ms), ${f.failedWrites} writes and ${f.failedReads} reads failed, ${r.lostAckedWrites} acknowledged writes lost`;
}
