/**
 * The document's debugging tools, costed and checked: GET throughput and p99 with one
 * `redis-cli MONITOR` attached vs none (paired segments, order alternating), and a deliberately slow
 * KEYS * over DEBUG POPULATE's keys looked up in SLOWLOG with its duration.
 */
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import { runClosedLoop } from '../../bench/load/closed-loop.ts';
import { createCommandOperation, preloadCommandKeys, commandKey } from '../../bench/load/command-operation.ts';
import type { CommandOperationSpec } from '../../bench/load/command-operation.ts';
import { RespConnection } from '../../bench/load/resp-connection.ts';
import { RecorderSet } from '../../bench/measure/recorder-set.ts';
import {
  claimIn,
  environmentConditions,
  figure,
  requireManaged,
  scenarioParams,
} from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { DEBUG_TOOLS_CLAIMS } from './claims.ts';
import { DEBUG_TOOLS_TUNABLES, DEFAULT_DEBUG_TOOLS_PARAMS, QUICK_DEBUG_TOOLS_PARAMS } from './debug-tools-params.ts';
import type { DebugToolsParams } from './debug-tools-params.ts';
import { MonitorFeed } from './monitor-feed.ts';
import { slowCommandTrial, timeRawCommand } from './slowlog-check.ts';
import type { SlowCommandTrial } from './slowlog-check.ts';

const SCENARIO_ID = 'debug-tools';
const MONITOR_CLAIM = 'monitoring.monitor-cost';
const SLOWLOG_CLAIM = 'monitoring.slowlog-catches';
const SLOW_COMMAND = ['KEYS', '*'] as const;
const SLOW_PREFIX = 'rpb:slow';
type Segment = 'no-monitor' | 'monitor';
const METRIC: Readonly<Record<Segment, string>> = { 'no-monitor': 'get.no-monitor', monitor: 'get.monitor' };

interface MonitorTrials {
  readonly ratioPct: number[];
  readonly rates: Record<Segment, number[]>;
  readonly p99Ms: Record<Segment, number[]>;
  feedBytes: number;
  monitoredGets: number;
  failures: number;
}

function getSpec(params: DebugToolsParams, seed: number): CommandOperationSpec {
  return {
    command: 'GET',
    keyCount: params.keyCount,
    keyPrefix: 'rpb:dbg:',
    keySuffix: '',
    valueBase64: Buffer.alloc(params.valueBytes, 'v').toString('base64'),
    ttlSeconds: 3_600,
    mgetSize: 5,
    keyDistribution: 'uniform',
    seed,
    stream: 'main',
    expectHits: true,
  };
}

/** Paired GET segments, MONITOR off and on, order alternating; one trial per pair. */
async function measureMonitor(context: ScenarioContext, params: DebugToolsParams): Promise<MonitorTrials> {
  const { admin, recorders, signal, target } = context;
  const spec = getSpec(params, context.params.seed);
  await preloadCommandKeys(spec, admin, signal);
  const out: MonitorTrials = {
    ratioPct: [],
    rates: { 'no-monitor': [], monitor: [] },
    p99Ms: { 'no-monitor': [], monitor: [] },
    feedBytes: 0,
    monitoredGets: 0,
    failures: 0,
  };
  const connections: RespConnection[] = [];
  try {
    for (let i = 0; i < params.connections; i++)
      connections.push(
        await RespConnection.open(target.url, {
          connectTimeoutMs: 5_000,
          commandTimeoutMs: 10_000,
          connectionName: `rpb-debug-tools-${i}`,
        }),
      );
    const operation = createCommandOperation(spec, connections);
    const loop = (durationMs: number, metricName: string, into: RecorderSet) =>
      runClosedLoop({ workers: params.workers, durationMs, warmupDurationMs: 0, metricName }, operation, into, signal);
    if (params.warmupMs > 0) await loop(params.warmupMs, 'warmup', new RecorderSet());
    for (let trial = 0; trial < params.trials && !signal.aborted; trial++) {
      const order: Segment[] = trial % 2 === 0 ? ['no-monitor', 'monitor'] : ['monitor', 'no-monitor'];
      const rate: Partial<Record<Segment, number>> = {};
      for (const segment of order) {
        const feed = segment === 'monitor' ? await MonitorFeed.attach(target.url, admin, signal) : null;
        try {
          const result = await loop(params.segmentMs, METRIC[segment], recorders);
          rate[segment] = result.achievedRate;
          out.failures += result.errors + result.timeouts + result.abandoned;
          if (segment === 'monitor') out.monitoredGets += result.ok;
        } finally {
          await feed?.detach();
          out.feedBytes += feed?.bytes ?? 0;
        }
      }
      if (signal.aborted) break;
      recorders.markTrial();
      for (const segment of order) {
        out.rates[segment].push(rate[segment]!);
        const histogram = recorders.metric(METRIC[segment]).trialHistograms()[trial];
        out.p99Ms[segment].push(
          histogram === undefined || histogram.totalCount === 0
            ? Number.NaN
            : histogram.getValueAtPercentile(99) / NS_PER_MS,
        );
      }
      out.ratioPct.push((100 * rate.monitor!) / rate['no-monitor']!);
      context.progress(
        `MONITOR trial ${trial + 1}/${params.trials}: ${out.ratioPct.at(-1)!.toFixed(0)}% of the GET rate`,
      );
    }
  } finally {
    for (const connection of connections) connection.close();
  }
  return out;
}

interface SlowlogTrials {
  readonly trials: SlowCommandTrial[];
  readonly populateMs: number;
  readonly slowerThanUs: number;
}

/** DEBUG POPULATE, then one slow command per trial looked up in SLOWLOG. */
async function measureSlowlog(context: ScenarioContext, params: DebugToolsParams): Promise<SlowlogTrials> {
  const { admin, signal, target } = context;
  const slowerThanUs = Number(((await admin.config('GET', 'slowlog-log-slower-than')) as string[])[1]);
  // A raw connection without a command timeout: populating a million keys can take seconds.
  const populate = await timeRawCommand(
    target.url,
    ['DEBUG', 'POPULATE', String(params.slowKeyCount), SLOW_PREFIX],
    300_000,
  );
  if (populate.error !== null) throw new Error(`DEBUG POPULATE failed: ${populate.error}`);
  const fastKey = commandKey(getSpec(params, context.params.seed), 0);
  const trials: SlowCommandTrial[] = [];
  for (let trial = 0; trial < params.slowTrials && !signal.aborted; trial++) {
    trials.push(await slowCommandTrial(admin, target.url, SLOW_COMMAND, fastKey, slowerThanUs));
    context.progress(`SLOWLOG trial ${trial + 1}/${params.slowTrials}`);
  }
  return { trials, populateMs: populate.ns / NS_PER_MS, slowerThanUs };
}

const median = (values: readonly number[]): number | null => {
  const finite = values.filter(Number.isFinite);
  return finite.length > 0 ? medianOf(finite) : null;
};

function monitorValues(monitor: MonitorTrials): Record<string, ScenarioValue> {
  const p99Ratio = monitor.p99Ms.monitor.map((p, i) => p / monitor.p99Ms['no-monitor'][i]!);
  return {
    'get.rate-no-monitor': figure(
      median(monitor.rates['no-monitor']),
      'ops/s',
      'median over trials: GETs per second, no MONITOR',
    ),
    'get.rate-monitor': figure(
      median(monitor.rates.monitor),
      'ops/s',
      'median over trials: GETs per second, one redis-cli MONITOR attached',
    ),
    'get.p99-no-monitor-ms': figure(
      median(monitor.p99Ms['no-monitor']),
      'ms',
      'median over trials of the segment p99, no MONITOR',
    ),
    'get.p99-monitor-ms': figure(
      median(monitor.p99Ms.monitor),
      'ms',
      'median over trials of the segment p99, MONITOR attached',
    ),
    'get.p99-ratio': figure(median(p99Ratio), 'x', 'median over trials of p99 with MONITOR / p99 without'),
    'monitor.feed-bytes-per-get': figure(
      monitor.monitoredGets === 0 ? null : monitor.feedBytes / monitor.monitoredGets,
      'bytes',
      'bytes of MONITOR feed redis-cli read per GET served while it was attached',
    ),
    'get.failures': figure(monitor.failures, 'count', 'GETs that failed, timed out or were abandoned (expected 0)'),
  };
}

function slowlogValues(slowlog: SlowlogTrials, params: DebugToolsParams): Record<string, ScenarioValue> {
  const logged = slowlog.trials.filter((t) => t.finding.slow !== null);
  const loggedMs = logged.map((t) => t.finding.slow!.durationUs / 1_000);
  return {
    'slowlog.keys': figure(params.slowKeyCount, 'count', 'keys DEBUG POPULATE made for the slow KEYS *'),
    'slowlog.populate-ms': figure(slowlog.populateMs, 'ms', 'time DEBUG POPULATE took (not a claim)'),
    'slowlog.threshold-us': figure(slowlog.slowerThanUs, 'us', 'slowlog-log-slower-than of the server'),
    'slowlog.logged-ms': figure(median(loggedMs), 'ms', 'median over trials: KEYS * duration as SLOWLOG logged it'),
    'slowlog.client-ms': figure(
      median(slowlog.trials.map((t) => t.clientUs / 1_000)),
      'ms',
      'median over trials: write of KEYS * to the last byte of its reply, client side',
    ),
    'slowlog.logged-of-client-pct': figure(
      median(logged.map((t) => (100 * t.finding.slow!.durationUs) / t.clientUs)),
      '%',
      "median over trials: SLOWLOG's duration in % of the client's wait (SLOWLOG times the execution only, not the reply's transfer)",
    ),
    'slowlog.fast-logged': figure(
      slowlog.trials.reduce((sum, t) => sum + t.finding.fastLogged, 0),
      'count',
      'fast GETs found in SLOWLOG (all trials; expected 0)',
    ),
  };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  requireManaged(context, SCENARIO_ID, 'fills the server with DEBUG POPULATE and attaches MONITOR to it');
  const params: DebugToolsParams = scenarioParams(context, DEFAULT_DEBUG_TOOLS_PARAMS, QUICK_DEBUG_TOOLS_PARAMS);
  const env = environmentConditions(context);
  let monitor: MonitorTrials;
  let slowlog: SlowlogTrials;
  try {
    monitor = await measureMonitor(context, params);
    slowlog = await measureSlowlog(context, params);
  } finally {
    // The managed server is this scenario's own: drop the populated keys so nothing is left behind.
    await context.admin.flushall('ASYNC').catch(() => undefined);
  }
  const monitorConditions = `${env}; ${monitor.ratioPct.length} trials, each a pair of ${params.segmentMs} ms closed-loop GET segments (${params.workers} concurrent GETs over ${params.connections} RESP connections, ${params.keyCount} keys of ${params.valueBytes} bytes, uniform) without and with one redis-cli MONITOR (a separate process reading the feed), the order alternating; generator, redis-server and redis-cli share the machine's CPUs, so the figure includes the feed reader's CPU`;
  const slowlogConditions = `${env}; ${slowlog.trials.length} trials of one KEYS * over ${params.slowKeyCount} keys (DEBUG POPULATE), SLOWLOG RESET before and SLOWLOG GET 128 after, slowlog-log-slower-than ${slowlog.slowerThanUs} us; the client times the command on a raw connection to the last byte of its reply`;
  return {
    values: { ...monitorValues(monitor), ...slowlogValues(slowlog, params) },
    trials: { [MONITOR_CLAIM]: monitor.ratioPct, [SLOWLOG_CLAIM]: slowlog.trials.map((t) => t.figurePct) },
    verdicts: [
      judgeClaim(claimIn(DEBUG_TOOLS_CLAIMS, MONITOR_CLAIM), monitor.ratioPct, monitorConditions),
      judgeClaim(
        claimIn(DEBUG_TOOLS_CLAIMS, SLOWLOG_CLAIM),
        slowlog.trials.map((t) => t.figurePct),
        slowlogConditions,
      ),
    ],
    parameters: { ...params, slowCommand: SLOW_COMMAND.join(' ') },
    notes: [
      'MONITOR: the document says `redis-cli MONITOR`; the harness runs exactly that, as a child process, for the MONITOR segment of each trial and kills it after',
      "SLOWLOG: its duration is the command's execution inside Redis; the client also waits for the reply's transfer (a KEYS * over many keys is megabytes), so the client's time is the larger",
    ],
  };
}

export const debugTools: Scenario = {
  id: SCENARIO_ID,
  description:
    "The document's debugging tools: GET throughput and p99 with one redis-cli MONITOR attached vs none, and a slow KEYS * over DEBUG POPULATE's keys caught by SLOWLOG with its duration.",
  claims: [MONITOR_CLAIM, SLOWLOG_CLAIM],
  tunables: DEBUG_TOOLS_TUNABLES,
  redisConfig: { 'enable-debug-command': 'local' },
  run,
};
