import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { FaultProxy } from '../../bench/faults/fault-proxy.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { datasetParams, prepareDataset } from '../../bench/run/market-dataset.ts';
import {
  environmentConditions,
  figure,
  requireManaged,
  scenarioParams,
  waitFor,
} from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { silentLogger } from '../../src/logger.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { DEFAULT_CACHE_CLIENT_OPTIONS } from '../../src/redis/client-options.ts';
import { parseServiceConfig, SERVICE_CONFIG_DEFAULTS } from '../../src/service/service-config.ts';
import type { SignalService } from '../../src/service/signal-service.ts';
import { startSignalService } from '../../src/service/signal-service.ts';
import { HEALTH_DETECTION_CLAIMS, HEALTH_FAULT_KINDS, HEALTH_FAULT_TRIAL } from './claims.ts';
import type { HealthFaultKind } from './claims.ts';
import {
  DEFAULT_HEALTH_DETECTION_PARAMS,
  HEALTH_DETECTION_TUNABLES,
  QUICK_HEALTH_DETECTION_PARAMS,
} from './health-detection-params.ts';
import type { HealthDetectionParams } from './health-detection-params.ts';
import type { FaultWindow, HealthObservation, TrialTimes } from './health-figures.ts';
import { falseWhileHealthy, p50AndMax, staleFigureMs, trialTimes } from './health-figures.ts';
import { HealthPoller, SignalTrickle } from './health-poller.ts';

const SCENARIO_ID = 'health-detection';
/** Longest wait for a healthy start (before the first trial, and after a trial whose recovery was not seen). */
const HEALTHY_WAIT_MS = 10_000;

/** The running system: the service behind the fault proxy, and the harness's pollers. */
interface Rig {
  readonly managed: ManagedRedis;
  readonly proxy: FaultProxy;
  readonly service: SignalService;
  readonly poller: HealthPoller;
  readonly trickle: SignalTrickle;
}

interface Trial {
  readonly kind: HealthFaultKind;
  readonly window: FaultWindow;
  readonly times: TrialTimes;
}

function inject(rig: Rig, kind: HealthFaultKind): Promise<void> {
  switch (kind) {
    case 'kill':
      return rig.managed.kill();
    case 'pause':
      return rig.managed.pause();
    case 'blackhole':
      rig.proxy.setToxics([{ kind: 'black-hole' }]);
      return Promise.resolve();
  }
}

/** Undoes whatever fault is in place (idempotent, so the finally path can call it too). */
async function heal(rig: Rig): Promise<void> {
  rig.proxy.setToxics([]);
  if (rig.managed.state === 'paused') await rig.managed.resume();
  if (rig.managed.state === 'killed' || rig.managed.state === 'exited') await rig.managed.restart();
}

/** True once some answer sent at or after `fromMs` said `connected`. */
function answered(rig: Rig, fromMs: number, connected: boolean): () => boolean {
  let cursor = 0;
  return () => {
    const list = rig.poller.observations;
    for (; cursor < list.length; cursor += 1) {
      const o = list[cursor]!;
      if (o.sentMs >= fromMs && o.connected === connected) return true;
    }
    return false;
  };
}

/** Waits until every answer for `settleMs` said connected; false when that did not happen in HEALTHY_WAIT_MS. */
async function settle(rig: Rig, settleMs: number, signal: AbortSignal): Promise<boolean> {
  const deadline = performance.now() + HEALTHY_WAIT_MS;
  while (!signal.aborted && performance.now() < deadline) {
    const from = performance.now();
    await sleepMs(settleMs, signal);
    const since = rig.poller.observations.filter((o) => o.sentMs >= from);
    if (since.length > 0 && since.every((o) => o.connected === true)) return true;
  }
  return false;
}

/** One fault and its recovery; `settled`: /health said connected for the settle time afterwards. */
async function runTrial(
  context: ScenarioContext,
  params: HealthDetectionParams,
  rig: Rig,
  kind: HealthFaultKind,
): Promise<{ trial: Trial; settled: boolean }> {
  const faultAtMs = performance.now();
  await inject(rig, kind);
  const detected = await waitFor(answered(rig, faultAtMs, false), params.detectTimeoutMs, context.signal, 2);
  if (detected) await sleepMs(params.holdMs, context.signal);
  await heal(rig);
  const healedAtMs = performance.now();
  await waitFor(answered(rig, healedAtMs, true), params.recoverTimeoutMs, context.signal, 2);
  // A lag can show after the heal too (the client drops a connection that is fine again): settle first.
  const settled = await settle(rig, params.settleMs, context.signal);
  const window: FaultWindow = { faultAtMs, healedAtMs, endMs: performance.now() };
  return { trial: { kind, window, times: trialTimes(rig.poller.observations, window) }, settled };
}

async function startRig(context: ScenarioContext, params: HealthDetectionParams, managed: ManagedRedis) {
  const dataset = await prepareDataset(
    datasetParams(params.symbolCount, context.params.seed),
    context.params.dataDir,
    context.progress,
  );
  const direct = new URL(context.target.url);
  const proxy = await FaultProxy.start({
    upstreamHost: direct.hostname.replace(/^\[(.*)\]$/, '$1'),
    upstreamPort: Number(direct.port || 6379),
  });
  const throughProxy = new URL(context.target.url);
  throughProxy.hostname = proxy.host;
  throughProxy.port = String(proxy.port);
  let service: SignalService;
  try {
    service = await startSignalService(
      parseServiceConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        MARKET_DATA_DIR: dataset.dir,
        REDIS_URL: throughProxy.toString(),
        MAX_SYMBOLS: '5',
        SHUTDOWN_GRACE_MS: '2000',
      }),
      { logger: silentLogger },
    );
  } catch (error) {
    await proxy.close();
    throw error;
  }
  const body = JSON.stringify({
    symbols: dataset.symbols.slice(0, 5),
    as_of_date: tradingDaysEndingAt(dataset.endDate, 1)[0],
  });
  const poller = new HealthPoller(service.url, params.pollIntervalMs);
  const trickle = new SignalTrickle(service.url, body, params.trafficIntervalMs);
  return { managed, proxy, service, poller, trickle } satisfies Rig;
}

async function stopRig(rig: Rig): Promise<void> {
  await rig.trickle.stop();
  await rig.poller.stop();
  await rig.service.close();
  await heal(rig).catch(() => undefined);
  await rig.proxy.close();
}

function conditions(context: ScenarioContext, params: HealthDetectionParams, trials: readonly Trial[]): string {
  return [
    environmentConditions(context),
    'the signal service (fastify) in the harness process, its Redis client through the fault proxy',
    `GET /health polled every ${params.pollIntervalMs} ms over HTTP (one at a time), a lag is timed to the answer that first told the truth (at most one poll period and one round trip late)`,
    `a trickle of one signal request every ${params.trafficIntervalMs} ms (one at a time, a cached 5-symbol request)`,
    `service client: command timeout ${SERVICE_CONFIG_DEFAULTS.redisCommandTimeoutMs} ms, reconnect backoff ${DEFAULT_CACHE_CLIENT_OPTIONS.reconnectBaseDelayMs}-${DEFAULT_CACHE_CLIENT_OPTIONS.reconnectMaxDelayMs} ms, connection dropped after a timed-out command`,
    `trials: ${trials.length} in all, the kinds interleaved (${HEALTH_FAULT_KINDS.join(', ')}, then again), each held ${params.holdMs} ms after /health reported it and started only after /health said connected for ${params.settleMs} ms`,
  ].join('; ');
}

function kindValues(kind: HealthFaultKind, trials: readonly Trial[]): Record<string, ScenarioValue> {
  const mine = trials.filter((t) => t.kind === kind);
  const detect = p50AndMax(mine.map((t) => t.times.detectMs));
  const recover = p50AndMax(mine.map((t) => t.times.recoverMs));
  return {
    [`${kind}.detect-p50-ms`]: figure(detect.p50, 'ms', `${kind}: fault to /health redis_connected false, p50`),
    [`${kind}.detect-max-ms`]: figure(detect.max, 'ms', `${kind}: fault to /health redis_connected false, max`),
    [`${kind}.recover-p50-ms`]: figure(recover.p50, 'ms', `${kind}: recovery to /health redis_connected true, p50`),
    [`${kind}.recover-max-ms`]: figure(recover.max, 'ms', `${kind}: recovery to /health redis_connected true, max`),
    [`${kind}.not-detected`]: figure(
      mine.filter((t) => t.times.detectMs === null).length,
      'count',
      `${kind}: trials in which /health never said false within the wait`,
    ),
    [`${kind}.not-recovered`]: figure(
      mine.filter((t) => t.times.recoverMs === null).length,
      'count',
      `${kind}: trials in which /health did not say true again within the wait`,
    ),
  };
}

interface IdleProbe {
  readonly detectMs: number | null;
  readonly waitedMs: number;
}

/**
 * The idle probe: the same pause with no signal traffic. The document's health check pings Redis on
 * every call; this service's /health reads its client's state, which only traffic changes.
 */
async function idleProbe(context: ScenarioContext, params: HealthDetectionParams, rig: Rig): Promise<IdleProbe> {
  await rig.trickle.stop();
  await sleepMs(params.settleMs, context.signal);
  const faultAtMs = performance.now();
  await rig.managed.pause();
  try {
    const seen = await waitFor(answered(rig, faultAtMs, false), params.idleProbeMs, context.signal, 2);
    const first = rig.poller.observations.find((o) => o.sentMs >= faultAtMs && o.connected === false);
    return {
      detectMs: seen && first !== undefined ? first.receivedMs - faultAtMs : null,
      waitedMs: params.idleProbeMs,
    };
  } finally {
    await heal(rig);
  }
}

interface TrialsResult {
  readonly trials: Trial[];
  readonly notes: string[];
  /** When the first trial started (answers before it are the start-up's). */
  readonly startMs: number;
  readonly idle: IdleProbe | null;
}

/** The trials, kinds interleaved, then the idle probe; the rig stays up. */
async function runTrials(context: ScenarioContext, params: HealthDetectionParams, rig: Rig): Promise<TrialsResult> {
  const trials: Trial[] = [];
  const notes: string[] = [];
  if (!(await settle(rig, params.settleMs, context.signal)))
    throw new Error(`/health did not report redis_connected true within ${HEALTHY_WAIT_MS} ms of the start`);
  const startMs = performance.now();
  outer: for (let i = 0; i < params.trialsPerKind; i += 1) {
    for (const kind of HEALTH_FAULT_KINDS) {
      if (context.signal.aborted) break outer;
      const { trial, settled } = await runTrial(context, params, rig, kind);
      trials.push(trial);
      context.progress(
        `${kind} #${i + 1}: detect ${trial.times.detectMs?.toFixed(0) ?? 'not seen'} ms, recover ${trial.times.recoverMs?.toFixed(0) ?? 'not seen'} ms`,
      );
      if (!settled) {
        notes.push(`stopped after ${kind} #${i + 1}: /health did not say connected again within ${HEALTHY_WAIT_MS} ms`);
        break outer;
      }
    }
  }
  const idle = params.idleProbeMs > 0 && !context.signal.aborted ? await idleProbe(context, params, rig) : null;
  return { trials, notes, startMs, idle };
}

function falseAnswers(rig: Rig, result: TrialsResult): HealthObservation[] {
  return falseWhileHealthy(
    rig.poller.observations,
    result.trials.map((t) => t.window),
    result.startMs,
  );
}

function runValues(rig: Rig, result: TrialsResult): Record<string, ScenarioValue> {
  const { trials, idle } = result;
  const values: Record<string, ScenarioValue> = {};
  for (const kind of HEALTH_FAULT_KINDS) Object.assign(values, kindValues(kind, trials));
  values['false-while-healthy'] = figure(
    falseAnswers(rig, result).length,
    'count',
    '/health answers that said redis_connected false (or failed) outside every fault window, over the whole run (expected 0)',
  );
  values['health-polls'] = figure(rig.poller.observations.length, 'count', 'GET /health answers in the run');
  values['signal-requests'] = figure(rig.trickle.sent, 'count', 'signal requests of the trickle');
  values['signal-requests.failed'] = figure(
    rig.trickle.failed,
    'count',
    'signal requests not answered 200 (the service must keep serving whatever Redis does; expected 0)',
  );
  if (idle !== null) {
    values['idle-pause.detected'] = figure(
      idle.detectMs === null ? 0 : 1,
      'bool',
      `with no signal traffic: did /health say false within ${idle.waitedMs} ms of a SIGSTOP? (one probe)`,
    );
    values['idle-pause.detect-ms'] = figure(idle.detectMs, 'ms', 'with no signal traffic: SIGSTOP to /health false');
  }
  return values;
}

/** Where a time falls: in which trial, and how far from its fault or heal (or from the last trial's end). */
function failureTime(atMs: number, trials: readonly Trial[]): string {
  const trial = trials.find((t) => atMs >= t.window.faultAtMs - 50 && atMs <= t.window.endMs + 50);
  if (trial === undefined) {
    const before = trials.filter((t) => t.window.endMs < atMs).at(-1);
    return before === undefined
      ? 'before the first trial'
      : `outside every fault window, ${(atMs - before.window.endMs).toFixed(0)} ms after the end of a ${before.kind} trial`;
  }
  const { faultAtMs, healedAtMs } = trial.window;
  return atMs < healedAtMs
    ? `sent ${(atMs - faultAtMs).toFixed(0)} ms after a ${trial.kind} fault`
    : `sent ${(atMs - healedAtMs).toFixed(0)} ms after a ${trial.kind} heal`;
}

function runNotes(rig: Rig, result: TrialsResult): string[] {
  const notes = [
    `one trial per fault kind and round, interleaved: ${HEALTH_FAULT_KINDS.map((k) => `${k} = ${HEALTH_FAULT_TRIAL[k]}`).join('; ')}`,
    "the service's /health reports its Redis client's connection state (status 'ready'); it does not ping Redis as the document's health_check() does, so a paused or black-holed Redis shows only once a cache command times out and the client has dropped the connection",
    ...result.notes,
    ...falseAnswers(rig, result)
      .slice(0, 5)
      .map((o) => `/health said ${String(o.connected)} while healthy (${failureTime(o.sentMs, result.trials)})`),
    ...rig.trickle.failures.map((f) => `signal request failed: ${f.why} (${failureTime(f.sentMs, result.trials)})`),
  ];
  if (result.idle !== null && result.idle.detectMs === null)
    notes.push(
      `with no signal traffic, /health still said redis_connected true ${result.idle.waitedMs} ms after a SIGSTOP (idle probe)`,
    );
  return notes;
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const managed = requireManaged(context, SCENARIO_ID, 'kills, pauses and restarts its Redis');
  const params: HealthDetectionParams = scenarioParams(
    context,
    DEFAULT_HEALTH_DETECTION_PARAMS,
    QUICK_HEALTH_DETECTION_PARAMS,
  );
  const rig = await startRig(context, params, managed);
  let result: TrialsResult;
  try {
    result = await runTrials(context, params, rig);
  } finally {
    await stopRig(rig);
  }
  const trialFigures: Record<string, number[]> = {};
  HEALTH_FAULT_KINDS.forEach((kind, i) => {
    trialFigures[HEALTH_DETECTION_CLAIMS[i]!.id] = result.trials
      .filter((t) => t.kind === kind)
      .map((t) => staleFigureMs(t.times, params.detectTimeoutMs, params.recoverTimeoutMs));
  });
  const text = conditions(context, params, result.trials);
  return {
    values: runValues(rig, result),
    trials: trialFigures,
    verdicts: HEALTH_DETECTION_CLAIMS.map((claim) => judgeClaim(claim, trialFigures[claim.id] ?? [], text)),
    parameters: { ...params },
    notes: runNotes(rig, result),
  };
}

export const healthDetection: Scenario = {
  id: SCENARIO_ID,
  description:
    "How soon the signal service's GET /health reports redis_connected false after a fault (SIGKILL, SIGSTOP, network black hole) and true after the recovery.",
  claims: HEALTH_DETECTION_CLAIMS.map((c) => c.id),
  tunables: HEALTH_DETECTION_TUNABLES,
  run,
};
