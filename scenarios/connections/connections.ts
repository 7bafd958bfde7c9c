import os from 'node:os';
import { encodeValue } from '../../src/cache/codec.ts';
import { jsonCodec } from '../../src/cache/json-codec.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import { generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { CLAIMS } from '../../bench/analysis/claim-registry.ts';
import { connectionOverheadMs } from './connection-figures.ts';
import type { ConnectionPair } from './connection-figures.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { ClientLedger } from './client-ledger.ts';
import { CONNECTION_METRICS, ConnectionProbe } from './connection-probe.ts';
import type { ConnectionMetric } from './connection-probe.ts';
import { readClientCount, waitForClientCount } from './client-list-count.ts';
import { MeasuredRounds } from '../../bench/run/measured-rounds.ts';
import type { RoundPlan, RoundsResult } from '../../bench/run/round-runner.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/core/scenario.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

const SCENARIO_ID = 'connections';
const CLAIM_ID = 'optimization.connection-overhead';

export interface ConnectionsParams extends RoundPlan {
  /** Long-lived clients used round-robin: the document's ConnectionPool(max_connections=10). */
  readonly poolSize: number;
  readonly readyTimeoutMs: number;
}

/**
 * Every new connection leaves a socket in TIME_WAIT for 60 s, and loopback has ~28k ephemeral
 * ports: the iteration cap and the rounds limit keep a whole run (at most 20 x 1000 + warm-up)
 * below that, so the scenario never measures port exhaustion instead of connection set-up.
 */
export const DEFAULT_CONNECTIONS_PARAMS: ConnectionsParams = {
  rounds: 7,
  roundDurationMs: 3_000,
  minIterationsPerRound: 5,
  maxIterationsPerRound: 1_000,
  warmupDurationMs: 1_000,
  warmupIterations: 5,
  poolSize: 10,
  readyTimeoutMs: 5_000,
};

/** --quick: 3 rounds (the fewest that give a verdict), short rounds. */
export const QUICK_CONNECTIONS_PARAMS: ConnectionsParams = {
  ...DEFAULT_CONNECTIONS_PARAMS,
  rounds: 3,
  roundDurationMs: 600,
  warmupDurationMs: 300,
  warmupIterations: 3,
};

export const CONNECTIONS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 3,
    max: 20,
    description:
      'rounds (trials behind the verdict); at most 20 so that TIME_WAIT sockets never exhaust the ephemeral ports',
  },
  roundDurationMs: {
    kind: 'integer',
    min: 50,
    max: 600_000,
    description: `length of one round (at most ${DEFAULT_CONNECTIONS_PARAMS.maxIterationsPerRound} iterations)`,
  },
  warmupDurationMs: { kind: 'integer', min: 0, max: 600_000, description: 'warm-up before the first round' },
  minIterationsPerRound: {
    kind: 'integer',
    min: 1,
    max: DEFAULT_CONNECTIONS_PARAMS.maxIterationsPerRound,
    description: 'iterations every round runs at least, however long it takes',
  },
  poolSize: {
    kind: 'integer',
    min: 1,
    max: 100,
    description: "clients in the round-robin pool (the document's max_connections=10)",
  },
};

/** A real feature vector (Alpha158 of a synthetic series) in the service's default codec. */
function storedFeatureValue(seed: number): { key: string; value: Buffer } {
  const symbol = 'CONN';
  const dates = tradingDaysEndingAt('2025-01-17', 80);
  const asOf = dates[dates.length - 1];
  const features = computeAlpha158(generateOhlcv({ symbol, dates, seed }), asOf);
  return { key: featureKey(symbol, asOf), value: encodeValue(jsonCodec, features) };
}

function conditions(context: ScenarioContext, poolSize: number): string {
  const tls = new URL(context.redisUrl).protocol === 'rediss:';
  const loopback = context.network.startsWith('loopback');
  const addedMs = context.params.addedLatencyMs;
  const networkNote =
    addedMs > 0
      ? `every reply delayed ${addedMs} ms by the fault proxy (a simulated network): a new connection pays that for each round trip of its handshake before the GET; the document's ~10 ms likely includes TCP and TLS handshakes over a real network`
      : loopback
        ? "loopback: a TCP handshake costs microseconds here; the document's ~10 ms likely includes TCP and TLS handshakes over a real network, several round trips each"
        : "the document's ~10 ms likely includes TCP and TLS handshakes; over this network each round trip of the handshake is paid per new connection";
  return [
    `${context.network}, ${tls ? 'TLS' : 'no TLS'}, ${context.targetKind} Redis ${context.redisVersion}`,
    `Node ${process.version}, ${os.cpus().length} CPUs`,
    'figure: per-round median of the paired difference (new ioredis client: connect + CLIENT SETNAME round trip + INFO ready check + GET) minus (GET on one shared client), same stored feature value',
    `pool of ${poolSize} used round-robin by one sequential caller`,
    networkNote,
  ].join('; ');
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { params: runParams, recorders, progress, admin } = context;
  const params: ConnectionsParams = {
    ...(runParams.quick ? QUICK_CONNECTIONS_PARAMS : DEFAULT_CONNECTIONS_PARAMS),
    ...context.overrides,
  };
  const claim = CLAIMS.find((c) => c.id === CLAIM_ID);
  if (claim === undefined) throw new Error(`claim ${CLAIM_ID} is missing from the claim registry`);
  const { key, value } = storedFeatureValue(runParams.seed);
  const baselineClients = await readClientCount(admin);
  const ledger = new ClientLedger();
  const pairsPerRound: ConnectionPair[][] = [];
  let current: ConnectionPair[] = [];
  const anomalies: string[] = [];
  let anomalyCount = 0;
  const rounds = new MeasuredRounds(context, SCENARIO_ID, params);
  let iteration = 0;
  let result: RoundsResult;
  await admin.set(key, value);
  try {
    const probe = await ConnectionProbe.open(
      {
        redisUrl: context.redisUrl,
        key,
        expected: value,
        poolSize: params.poolSize,
        readyTimeoutMs: params.readyTimeoutMs,
      },
      ledger,
    );
    try {
      const sink = {
        latency(metric: ConnectionMetric, ns: number) {
          if (rounds.measuring) recorders.metric(metric).recordNs(ns);
        },
        pair(pair: ConnectionPair) {
          if (rounds.measuring) current.push(pair);
        },
        anomaly(message: string) {
          anomalyCount += 1;
          if (anomalies.length < 20) anomalies.push(message);
        },
      };
      progress(`warm-up ${params.warmupDurationMs} ms, then ${params.rounds} rounds of ${params.roundDurationMs} ms`);
      result = await rounds.run({
        iterate: async () => {
          await probe.iterate(iteration, sink);
          iteration += 1;
        },
        onRoundDone: () => {
          pairsPerRound.push(current);
          current = [];
        },
      });
    } finally {
      await probe.close();
    }
  } finally {
    await admin.unlink(key).catch(() => 0);
  }
  const endClients = await waitForClientCount(admin, baselineClients);

  const trial = pairsPerRound.map(connectionOverheadMs);
  const finiteTrial = trial.filter(Number.isFinite);
  const p50Ms = (metric: ConnectionMetric): number | null => {
    const total = recorders.metric(metric).total();
    return total.totalCount === 0 ? null : total.getValueAtPercentile(50) / 1e6;
  };
  const notes = [
    `${result.warmupIterations} warm-up iterations excluded; iterations per round: ${result.iterationsPerRound.join(', ')}`,
    'each iteration GETs one stored feature value three ways, in rotating order: a new client per request (constructed, connected, GET; closing untimed), one shared client, the next client of the pool',
    `${CONNECTION_METRICS.connectOnly} is connect() to 'ready' alone; ${CONNECTION_METRICS.newConnection} includes it, the client's construction and the first GET`,
    ...anomalies.map((a) => `anomaly: ${a}`),
  ];
  if (ledger.opened !== ledger.closed)
    notes.push(`LEAK: ${ledger.opened} clients opened but only ${ledger.closed} seen closed`);
  if (endClients !== baselineClients)
    notes.push(
      `CLIENT LIST shows ${endClients} connections at the end, ${baselineClients} before (another client of this Redis, or a leak)`,
    );
  if (result.interrupted)
    notes.push('interrupted: fewer rounds than planned; the unfinished round is in the histograms but is not a trial');
  const figure = (value: number | null, unit: string, description: string) => ({ value, unit, description });
  return {
    values: {
      'connection-overhead-p50-ms': figure(
        finiteTrial.length > 0 ? medianOf(finiteTrial) : null,
        'ms',
        'median over rounds of the per-round p50 of (new connection + GET) minus (shared-client GET)',
      ),
      'new-connection-p50-ms': figure(
        p50Ms(CONNECTION_METRICS.newConnection),
        'ms',
        'p50 of a whole request on a new connection (all rounds)',
      ),
      'connect-only-p50-ms': figure(
        p50Ms(CONNECTION_METRICS.connectOnly),
        'ms',
        "p50 of connect() to 'ready' (all rounds)",
      ),
      'shared-client-p50-ms': figure(
        p50Ms(CONNECTION_METRICS.sharedClient),
        'ms',
        'p50 of a GET on the shared client (all rounds)',
      ),
      'pool-p50-ms': figure(
        p50Ms(CONNECTION_METRICS.pool),
        'ms',
        `p50 of a GET on the next of ${params.poolSize} pooled clients (all rounds)`,
      ),
      'connections.opened': figure(
        ledger.opened,
        'count',
        `clients the scenario opened: one per request (warm-up included), 1 shared, ${params.poolSize} pooled`,
      ),
      'connections.closed': figure(
        ledger.closed,
        'count',
        'of those, clients whose socket was seen closed (must equal connections.opened)',
      ),
      'client-list.baseline': figure(
        baselineClients,
        'count',
        'CLIENT LIST entries before the scenario opened any client',
      ),
      'client-list.end': figure(
        endClients,
        'count',
        'CLIENT LIST entries after every client was closed (expected: the baseline)',
      ),
      anomalies: figure(anomalyCount, 'count', 'failed or wrong GETs, samples dropped (expected 0)'),
    },
    trials: { [CLAIM_ID]: trial },
    verdicts: [judgeClaim(claim, trial, conditions(context, params.poolSize))],
    parameters: { ...params, key, valueBytes: value.length },
    notes,
  };
}

export const connections: Scenario = {
  id: SCENARIO_ID,
  description:
    'One cache GET on a new connection per request vs one shared client vs a pool of clients: what a connection costs.',
  claims: [CLAIM_ID],
  tunables: CONNECTIONS_TUNABLES,
  run,
};
