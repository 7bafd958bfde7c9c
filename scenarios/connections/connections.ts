import { encodeValue } from '../../src/cache/codec.ts';
import { jsonCodec } from '../../src/cache/json-codec.ts';
import { featureKey } from '../../src/cache/feature-key.ts';
import { computeAlpha158 } from '../../src/features/alpha158.ts';
import { generateOhlcv } from '../../src/market/synthetic-ohlcv.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';
import { claimIn, environmentConditions, figure, percentileMs, scenarioParams } from '../../bench/run/scenario-kit.ts';
import { CONNECTIONS_CLAIMS } from './claims.ts';
import { connectionOverheadMs } from './connection-figures.ts';
import type { ConnectionPair } from './connection-figures.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { ClientLedger } from './client-ledger.ts';
import { CONNECTION_METRICS, ConnectionProbe } from './connection-probe.ts';
import type { ConnectionMetric, ConnectionProbeOptions } from './connection-probe.ts';
import { readClientCount, waitForClientCount } from './client-list-count.ts';
import { MeasuredRounds } from '../../bench/run/measured-rounds.ts';
import type { RoundsResult } from '../../bench/run/round-runner.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { CONNECTIONS_TUNABLES, DEFAULT_CONNECTIONS_PARAMS, QUICK_CONNECTIONS_PARAMS } from './connections-params.ts';
import type { ConnectionsParams } from './connections-params.ts';

const SCENARIO_ID = 'connections';
const CLAIM_ID = 'optimization.connection-overhead';

/** A real feature vector (Alpha158 of a synthetic series) in the service's default codec. */
function storedFeatureValue(seed: number): { key: string; value: Buffer } {
  const symbol = 'CONN';
  const dates = tradingDaysEndingAt('2025-01-17', 80);
  const asOf = dates[dates.length - 1];
  const features = computeAlpha158(generateOhlcv({ symbol, dates, seed }), asOf);
  return { key: featureKey(symbol, asOf), value: encodeValue(jsonCodec, features) };
}

function conditions(context: ScenarioContext, params: ConnectionsParams, result: RoundsResult): string {
  const tls = new URL(context.target.url).protocol === 'rediss:';
  const loopback = context.network.startsWith('loopback');
  const addedMs = context.params.addedLatencyMs;
  const networkNote =
    addedMs > 0
      ? `every reply delayed ${addedMs} ms by the fault proxy (a simulated network): a new connection pays that for each round trip of its handshake before the GET; the document's ~10 ms likely includes TCP and TLS handshakes over a real network`
      : loopback
        ? "loopback: a TCP handshake costs microseconds here; the document's ~10 ms likely includes TCP and TLS handshakes over a real network, several round trips each"
        : "the document's ~10 ms likely includes TCP and TLS handshakes; over this network each round trip of the handshake is paid per new connection";
  return [
    environmentConditions(context),
    tls ? 'TLS' : 'no TLS',
    'figure: per-round median of the paired difference (new ioredis client: connect + CLIENT SETNAME round trip + INFO ready check + GET) minus (GET on one shared client), same stored feature value',
    `trials: ${result.iterationsPerRound.length} rounds of ${result.iterationsPerRound.join('/')} iterations after a ${result.warmupIterations}-iteration warm-up; each round opens its own shared client and pool (warmed with one untimed GET each) and cycles through the six orders of the three ways from the first`,
    `pool of ${params.poolSize} used round-robin by one sequential caller`,
    networkNote,
  ].join('; ');
}

/** What the rounds collected besides the histograms. */
interface ConnectionRounds {
  readonly result: RoundsResult;
  /** Each finished round's paired timings: one trial of the claim per round. */
  readonly pairsPerRound: readonly ConnectionPair[][];
  /** The first 20 anomalies, and how many there were. */
  readonly anomalies: readonly string[];
  readonly anomalyCount: number;
}

/** A new probe for each round (shared client and pool, ready and warm), the round before's closed. */
class ProbePerRound {
  #probe: ConnectionProbe | null = null;
  #round: number | null = null;
  #iteration = 0;

  constructor(
    private readonly options: ConnectionProbeOptions,
    private readonly ledger: ClientLedger,
  ) {}

  /** The probe for the next iteration of `round` (-1: the warm-up), and that iteration's index in the round. */
  async next(round: number): Promise<{ probe: ConnectionProbe; iteration: number }> {
    if (this.#probe === null || this.#round !== round) {
      await this.close();
      this.#probe = await ConnectionProbe.open(this.options, this.ledger);
      this.#round = round;
      this.#iteration = 0;
    }
    return { probe: this.#probe, iteration: this.#iteration++ };
  }

  async close(): Promise<void> {
    const probe = this.#probe;
    this.#probe = null;
    await probe?.close();
  }
}

/**
 * The warm-up and the rounds; the sink keeps only what the measured rounds see. Every round starts
 * from the same state: a new shared client and pool, warm, and the first of the six orders.
 */
async function measureRounds(
  context: ScenarioContext,
  params: ConnectionsParams,
  probes: ProbePerRound,
): Promise<ConnectionRounds> {
  const { recorders } = context;
  const pairsPerRound: ConnectionPair[][] = [];
  let current: ConnectionPair[] = [];
  const anomalies: string[] = [];
  let anomalyCount = 0;
  const rounds = new MeasuredRounds(context, SCENARIO_ID, params);
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
  context.progress(
    `warm-up ${params.warmupDurationMs} ms, then ${params.rounds} rounds of ${params.roundDurationMs} ms (${params.minIterationsPerRound} iterations at least)`,
  );
  const result = await rounds.run({
    iterate: async (round) => {
      const { probe, iteration } = await probes.next(round);
      await probe.iterate(iteration, sink);
    },
    onRoundDone: () => {
      pairsPerRound.push(current);
      current = [];
    },
  });
  return { result, pairsPerRound, anomalies, anomalyCount };
}

/** Stores the feature value, runs the rounds (each on its own probe), and closes and removes everything again. */
async function measure(
  context: ScenarioContext,
  params: ConnectionsParams,
  stored: { readonly key: string; readonly value: Buffer },
  ledger: ClientLedger,
): Promise<ConnectionRounds> {
  const { admin } = context;
  await admin.set(stored.key, stored.value);
  const probes = new ProbePerRound(
    {
      redisUrl: context.target.url,
      key: stored.key,
      expected: stored.value,
      poolSize: params.poolSize,
      readyTimeoutMs: params.readyTimeoutMs,
    },
    ledger,
  );
  try {
    return await measureRounds(context, params, probes);
  } finally {
    await probes.close();
    await admin.unlink(stored.key).catch(() => 0);
  }
}

/** CLIENT LIST entries before the scenario opened any client and after it closed them all. */
interface ClientCounts {
  readonly baseline: number;
  readonly end: number;
}

function connectionValues(
  context: ScenarioContext,
  params: ConnectionsParams,
  trial: readonly number[],
  rounds: ConnectionRounds,
  ledger: ClientLedger,
  clients: ClientCounts,
): Record<string, ScenarioValue> {
  const finiteTrial = trial.filter(Number.isFinite);
  const p50Ms = (metric: ConnectionMetric): number => percentileMs(context.recorders.metric(metric).total(), 50);
  return {
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
      `clients the scenario opened: one per request, and 1 shared and ${params.poolSize} pooled per round (warm-up included)`,
    ),
    'connections.closed': figure(
      ledger.closed,
      'count',
      'of those, clients whose socket was seen closed (must equal connections.opened)',
    ),
    'client-list.baseline': figure(
      clients.baseline,
      'count',
      'CLIENT LIST entries before the scenario opened any client',
    ),
    'client-list.end': figure(
      clients.end,
      'count',
      'CLIENT LIST entries after every client was closed (expected: the baseline)',
    ),
    anomalies: figure(rounds.anomalyCount, 'count', 'failed or wrong GETs, samples dropped (expected 0)'),
  };
}

function connectionNotes(rounds: ConnectionRounds, ledger: ClientLedger, clients: ClientCounts): string[] {
  const { result } = rounds;
  const notes = [
    `${result.warmupIterations} warm-up iterations excluded; iterations per round: ${result.iterationsPerRound.join(', ')}`,
    'each iteration GETs one stored feature value three ways, in rotating order: a new client per request (constructed, connected, GET; closing untimed), one shared client, the next client of the pool; each round (trial) opens its own shared client and pool, warm before the first timed GET',
    `${CONNECTION_METRICS.connectOnly} is connect() to 'ready' alone; ${CONNECTION_METRICS.newConnection} includes it, the client's construction and the first GET`,
    ...rounds.anomalies.map((a) => `anomaly: ${a}`),
  ];
  if (ledger.opened !== ledger.closed)
    notes.push(`LEAK: ${ledger.opened} clients opened but only ${ledger.closed} seen closed`);
  if (clients.end !== clients.baseline)
    notes.push(
      `CLIENT LIST shows ${clients.end} connections at the end, ${clients.baseline} before (another client of this Redis, or a leak)`,
    );
  if (result.interrupted)
    notes.push('interrupted: fewer rounds than planned; the unfinished round is in the histograms but is not a trial');
  return notes;
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params: ConnectionsParams = scenarioParams(context, DEFAULT_CONNECTIONS_PARAMS, QUICK_CONNECTIONS_PARAMS);
  const claim = claimIn(CONNECTIONS_CLAIMS, CLAIM_ID);
  const stored = storedFeatureValue(context.params.seed);
  const baseline = await readClientCount(context.admin);
  const ledger = new ClientLedger();
  const rounds = await measure(context, params, stored, ledger);
  const clients: ClientCounts = { baseline, end: await waitForClientCount(context.admin, baseline) };
  const trial = rounds.pairsPerRound.map(connectionOverheadMs);
  return {
    values: connectionValues(context, params, trial, rounds, ledger, clients),
    trials: { [CLAIM_ID]: trial },
    verdicts: [judgeClaim(claim, trial, conditions(context, params, rounds.result))],
    parameters: { ...params, key: stored.key, valueBytes: stored.value.length },
    notes: connectionNotes(rounds, ledger, clients),
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
