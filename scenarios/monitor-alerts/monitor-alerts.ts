import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { datasetParams, prepareDataset } from '../../bench/run/market-dataset.ts';
import { environmentConditions, figure, requireManaged, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { DOCUMENT_ALERT_THRESHOLDS } from '../../src/monitoring/alert-thresholds.ts';
import { DEFAULT_MONITOR_OPTIONS } from '../../src/monitoring/redis-monitor.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import type { StateWindow } from './alert-figures.ts';
import {
  alertKeyText,
  judgedCount,
  medianOfCounts,
  tallyAlert,
  unexpectedAlerts,
  wrongCheckTexts,
} from './alert-figures.ts';
import type { RoundEnv } from './alert-conditions.ts';
import { ALERT_CONDITIONS, closeExtras, restoreMemory, stopService } from './alert-conditions.ts';
import { ALERT_CLAIM_KEYS, MONITOR_ALERTS_CLAIMS } from './claims.ts';
import {
  DEFAULT_MONITOR_ALERTS_PARAMS,
  MONITOR_ALERTS_TUNABLES,
  QUICK_MONITOR_ALERTS_PARAMS,
} from './monitor-alerts-params.ts';
import type { MonitorAlertsParams } from './monitor-alerts-params.ts';
import { MonitorLoop } from './monitor-loop.ts';
import type { LoadSamples } from './service-load.ts';

const SCENARIO_ID = 'monitor-alerts';
const EXPECTED_CLIENTS_ID = 'monitoring.expected-clients';
/** Each check bounds its connect and every command by this (a killed Redis refuses at once). */
const CHECK_TIMEOUT_MS = 1_000;

interface RoundResult {
  readonly wallMs: number;
  readonly windows: StateWindow[];
  readonly samples: LoadSamples | null;
}

/** One round: every condition in turn, each held until the monitor has checked it once. */
async function runRound(env: RoundEnv, loop: MonitorLoop): Promise<RoundResult> {
  const windows: StateWindow[] = [];
  const startMs = performance.now();
  env.samples = null;
  for (const condition of ALERT_CONDITIONS) {
    if (env.signal.aborted) break;
    await condition.enter(env);
    const appliedAtMs = performance.now();
    const checkWaitMs = env.params.checkIntervalMs * 3 + CHECK_TIMEOUT_MS * 2;
    await Promise.all([condition.during?.(env), loop.checkedSince(appliedAtMs, checkWaitMs, env.signal)]);
    windows.push({
      name: condition.name,
      appliedAtMs,
      leftAtMs: performance.now(),
      expected: condition.expected,
    });
    await condition.leave?.(env);
  }
  return { wallMs: performance.now() - startMs, windows, samples: env.samples };
}

/** Puts the server back as the document's redis.conf has it, whatever a failed round left. */
async function cleanUp(env: RoundEnv): Promise<void> {
  await closeExtras(env);
  await stopService(env).catch(() => undefined);
  if (env.managed.state === 'paused') await env.managed.resume();
  if (env.managed.state === 'killed' || env.managed.state === 'exited') await env.managed.restart();
  await restoreMemory(env).catch(() => undefined);
}

function conditionsText(context: ScenarioContext, params: MonitorAlertsParams, rounds: number): string {
  return [
    environmentConditions(context),
    `the monitor evaluation of \`rpb monitor\` (src/monitoring/redis-monitor.ts: a new connection per check, INFO everything, SLOWLOG, LATENCY; the document's thresholds) started every ${params.checkIntervalMs} ms`,
    `trials: ${rounds} rounds, each through ${ALERT_CONDITIONS.map((c) => c.name).join(', ')}, each condition held until a check that started after it was in place had finished`,
    `memory conditions: ${params.fillerMb} MB of 16 KB values without TTL and maxmemory set to used_memory / ratio`,
    `service condition: the signal service with its Redis client, ${params.serviceConnections} keep-alive HTTP connections closed loop for ${params.serviceLoadMs} ms`,
  ].join('; ');
}

interface ScenarioRuns {
  readonly rounds: RoundResult[];
  readonly loop: MonitorLoop;
}

function alertValues(runs: ScenarioRuns, params: MonitorAlertsParams): Record<string, ScenarioValue> {
  const values: Record<string, ScenarioValue> = {};
  const { checks } = runs.loop;
  for (const [claimId, key] of Object.entries(ALERT_CLAIM_KEYS)) {
    const tallies = runs.rounds.map((r) => tallyAlert(key, r.windows, checks));
    const name = claimId.replace('monitoring.alert-', '');
    const detect = tallies.flatMap((t) => t.detectMs);
    const seen = detect.filter((d): d is number => d !== null);
    values[`${name}.misses`] = figure(
      tallies.reduce((s, t) => s + t.misses, 0),
      'count',
      `checks inside a condition that should raise ${alertKeyText(key)} that did not (all rounds)`,
    );
    values[`${name}.false-alarms`] = figure(
      tallies.reduce((s, t) => s + t.falseAlarms, 0),
      'count',
      `checks that raised ${alertKeyText(key)} in a condition that should not (all rounds)`,
    );
    values[`${name}.detect-p50-ms`] = figure(
      seen.length === 0 ? null : medianOfCounts(seen),
      'ms',
      `condition in place to the end of the first check raising ${alertKeyText(key)}, median (check interval ${params.checkIntervalMs} ms)`,
    );
    values[`${name}.detect-max-ms`] = figure(
      seen.length === 0 ? null : Math.max(...seen),
      'ms',
      `the same, max over the conditions and rounds`,
    );
  }
  const windows = runs.rounds.flatMap((r) => r.windows);
  values['false-alarms'] = figure(
    unexpectedAlerts(windows, checks).length,
    'count',
    'alerts of any kind raised by a check in a condition that does not call for them, over the whole run (expected 0)',
  );
  values['checks'] = figure(checks.length, 'count', 'monitor checks run');
  values['checks.judged'] = figure(
    judgedCount(windows, checks),
    'count',
    'checks that ran wholly inside one condition (the others spanned a change and judge nothing)',
  );
  values['checks.late'] = figure(
    runs.loop.lateStarts,
    'count',
    'checks that started more than one interval late (the loop fell behind; expected 0)',
  );
  return values;
}

function clientValues(rounds: readonly RoundResult[]): { values: Record<string, ScenarioValue>; trial: number[] } {
  const trial = rounds.map((r) => (r.samples === null ? Number.NaN : medianOfCounts(r.samples.clients)));
  const all = rounds.flatMap((r) => r.samples?.clients ?? []);
  const requests = rounds.reduce((s, r) => s + (r.samples?.requests ?? 0), 0);
  const failed = rounds.reduce((s, r) => s + (r.samples?.failed ?? 0), 0);
  return {
    trial,
    values: {
      'service.clients-median': figure(
        all.length === 0 ? null : medianOfCounts(all),
        'count',
        "connections to Redis besides the harness's own while the signal service served its load (all samples)",
      ),
      'service.clients-max': figure(all.length === 0 ? null : Math.max(...all), 'count', 'the same, max'),
      'service.requests': figure(requests, 'count', 'signal requests of the service condition (all rounds)'),
      'service.requests-failed': figure(failed, 'count', 'of those, not answered 200 (expected 0)'),
    },
  };
}

async function prepare(context: ScenarioContext, params: MonitorAlertsParams) {
  const dataset = await prepareDataset(
    datasetParams(params.symbolCount, context.params.seed),
    context.params.dataDir,
    context.progress,
  );
  const requestBody = JSON.stringify({
    symbols: dataset.symbols.slice(0, 5),
    as_of_date: tradingDaysEndingAt(dataset.endDate, 1)[0],
  });
  return { marketDataDir: dataset.dir, requestBody };
}

async function runAll(context: ScenarioContext, params: MonitorAlertsParams, env: RoundEnv): Promise<ScenarioRuns> {
  const loop = new MonitorLoop(context.target.url, params.checkIntervalMs, {
    ...DEFAULT_MONITOR_OPTIONS,
    timeoutMs: CHECK_TIMEOUT_MS,
  });
  const rounds: RoundResult[] = [];
  try {
    for (let i = 0; i < params.rounds && !context.signal.aborted; i += 1) {
      const round = await runRound(env, loop);
      rounds.push(round);
      const wrong = Object.values(ALERT_CLAIM_KEYS).reduce((s, key) => {
        const t = tallyAlert(key, round.windows, loop.checks);
        return s + t.misses + t.falseAlarms;
      }, 0);
      context.progress(`round ${i + 1}/${params.rounds}: ${wrong} wrong check(s)`);
    }
  } finally {
    await loop.stop();
    await cleanUp(env);
  }
  return { rounds, loop };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const managed = requireManaged(
    context,
    SCENARIO_ID,
    'reconfigures, fills and kills its Redis, so it runs only on a Redis the harness started',
  );
  const params: MonitorAlertsParams = scenarioParams(
    context,
    DEFAULT_MONITOR_ALERTS_PARAMS,
    QUICK_MONITOR_ALERTS_PARAMS,
  );
  const env: RoundEnv = {
    admin: context.admin,
    managed,
    params,
    signal: context.signal,
    redisUrl: context.target.url,
    ...(await prepare(context, params)),
    extras: [],
    fillerKeys: [],
    loaded: null,
    samples: null,
  };
  const runs = await runAll(context, params, env);
  const trials: Record<string, number[]> = {};
  for (const [claimId, key] of Object.entries(ALERT_CLAIM_KEYS)) {
    trials[claimId] = runs.rounds.map((r) => {
      const t = tallyAlert(key, r.windows, runs.loop.checks);
      return t.misses + t.falseAlarms;
    });
  }
  const clients = clientValues(runs.rounds);
  trials[EXPECTED_CLIENTS_ID] = clients.trial;
  const text = conditionsText(context, params, runs.rounds.length);
  const unexpected = unexpectedAlerts(
    runs.rounds.flatMap((r) => r.windows),
    runs.loop.checks,
  );
  return {
    values: { ...alertValues(runs, params), ...clients.values },
    trials,
    verdicts: MONITOR_ALERTS_CLAIMS.map((claim) => judgeClaim(claim, trials[claim.id] ?? [], text)),
    parameters: {
      ...params,
      conditions: ALERT_CONDITIONS.map((c) => c.name),
      thresholds: DOCUMENT_ALERT_THRESHOLDS,
    },
    notes: [
      `each round drives Redis through ${ALERT_CONDITIONS.length} conditions in turn, the monitor checking every ${params.checkIntervalMs} ms; a check is judged against the condition it ran wholly inside`,
      '"keyspace errors" is read as failed_calls + rejected_calls summed over INFO commandstats (Redis has no field of that name; total_error_replies also counts replies to unknown commands, such as the CLIENT SETINFO every ioredis 5.4+ connection sends to a Redis older than 7.2)',
      ...[...new Set(unexpected)].slice(0, 10).map((u) => `unexpected alert: ${u}`),
      ...wrongCheckTexts(
        runs.rounds.flatMap((r) => r.windows),
        runs.loop.checks,
        20,
      ).map((w) => `wrong check: ${w}`),
      `round wall times: ${runs.rounds.map((r) => (r.wallMs / 1000).toFixed(1)).join(', ')} s`,
    ],
  };
}

export const monitorAlerts: Scenario = {
  id: SCENARIO_ID,
  description:
    "Drives a managed Redis through each of the document's alert conditions (hit rate < 50%, memory > 80% / 95%, > 50 clients, error replies, unreachable, no eviction policy) and just short of them, with the monitor checking at its interval; and counts the connections the signal service holds at load.",
  claims: MONITOR_ALERTS_CLAIMS.map((c) => c.id),
  tunables: MONITOR_ALERTS_TUNABLES,
  run,
};
