/**
 * Anti-patterns 1, 3 and 4 of the document, each bad variant measured beside the document's good
 * one in the same trial (their order alternating from trial to trial), plus the pub/sub example's
 * `num_subscribers = publish_signal_event(event)` with 0, 1 and 3 subscribers.
 */
import type { Redis } from 'ioredis';
import { EventPublisher } from '../../src/events/event-publisher.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { medianOf } from '../../bench/analysis/median-interval.ts';
import type { ClaimVerdict } from '../../bench/core/claim.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { FaultProxy } from '../../bench/faults/fault-proxy.ts';
import { claimIn, environmentConditions, figure, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import {
  confirmedAndExecutedPct,
  executedPct,
  publishCountRightPct,
  stalenessFigures,
  visibleFailuresPct,
} from './anti-pattern-figures.ts';
import {
  ANTI_PATTERNS_TUNABLES,
  DEFAULT_ANTI_PATTERNS_PARAMS,
  QUICK_ANTI_PATTERNS_PARAMS,
} from './anti-patterns-params.ts';
import type { AntiPatternsParams } from './anti-patterns-params.ts';
import { ANTI_PATTERNS_CLAIMS } from './claims.ts';
import {
  FEATURE_AS_OF,
  PRICE_KEY,
  PRICE_SYMBOL,
  PriceWriter,
  featuresFromMarket,
  readImmutableFeatures,
  readMutablePrice,
} from './mutable-data-trial.ts';
import { OrderService } from './order-service.ts';
import { SignalSubscribers, checkPublishCounts, postOrders, publishOrders } from './order-paths-trial.ts';
import { runFaultedSets } from './silent-exceptions-trial.ts';
import type { ExceptionHandler } from './silent-exceptions-trial.ts';

const SCENARIO_ID = 'anti-patterns';
const SUBSCRIBERS = 3;

const METRICS = {
  price: 'read.current-price',
  features: 'read.features',
  publish: 'order.publish',
  http: 'order.http',
} as const;

type ClaimId =
  | 'pubsub.publish-count'
  | 'antipattern.mutable-data-stale'
  | 'antipattern.immutable-data-fresh'
  | 'antipattern.silent-exceptions'
  | 'antipattern.logged-exceptions'
  | 'antipattern.pubsub-critical'
  | 'antipattern.http-confirms';

const CLAIM_IDS: readonly ClaimId[] = ANTI_PATTERNS_CLAIMS.map((c) => c.id as ClaimId);

/** Figures beside the claims, one per trial. */
interface Extras {
  staleOfAllPct: number[];
  medianStaleAgeMs: number[];
  maxStaleAgeMs: number[];
  failures: number[];
  goodLines: number[];
  badLines: number[];
  receivers: number[];
  httpConfirmed: number[];
}

/** The live handles of a run, opened once and closed on every path. */
interface Rig {
  readonly client: Redis;
  readonly proxy: FaultProxy;
  readonly orders: OrderService;
  readonly publisherClient: Redis;
  readonly publisher: EventPublisher;
  readonly subscribers: SignalSubscribers;
  readonly writer: PriceWriter;
}

/** The target's URL with the fault proxy's address: same password and database. */
function throughProxy(url: string, proxy: FaultProxy): string {
  const through = new URL(url);
  through.hostname = proxy.host;
  through.port = String(proxy.port);
  return through.toString();
}

async function openRig(context: ScenarioContext, closers: (() => Promise<void> | void)[]): Promise<Rig> {
  const { url } = context.target;
  const client = createRedisClient(url, { connectionName: 'rpb-anti-patterns', commandTimeoutMs: 5_000 });
  client.on('error', () => {});
  closers.push(() => client.disconnect());
  await waitUntilReady(client, 5_000);
  const upstream = new URL(url);
  const proxy = await FaultProxy.start({
    upstreamHost: upstream.hostname.replace(/^\[(.*)\]$/, '$1'),
    upstreamPort: Number(upstream.port || 6379),
  });
  closers.push(() => proxy.close());
  const orders = await OrderService.start();
  closers.push(() => orders.close());
  const publisherClient = createRedisClient(url, { connectionName: 'rpb-anti-patterns-pub', commandTimeoutMs: 5_000 });
  publisherClient.on('error', () => {});
  closers.push(() => publisherClient.disconnect());
  await waitUntilReady(publisherClient, 5_000);
  const subscribers = await SignalSubscribers.open(url, SUBSCRIBERS);
  closers.push(() => subscribers.close());
  const writer = new PriceWriter(context.params.seed);
  closers.push(() => writer.stop());
  return {
    client,
    proxy,
    orders,
    publisherClient,
    publisher: new EventPublisher(publisherClient),
    subscribers,
    writer,
  };
}

/** Runs `first` then `second` when badFirst, else the other way round; returns [bad, good]. */
async function pair<T>(badFirst: boolean, bad: () => Promise<T>, good: () => Promise<T>): Promise<[T, T]> {
  if (badFirst) {
    const b = await bad();
    return [b, await good()];
  }
  const g = await good();
  return [await bad(), g];
}

/** One trial: every anti-pattern once, bad and good back to back. `trial` -1 is the warm-up (nothing kept). */
async function runTrial(
  context: ScenarioContext,
  params: AntiPatternsParams,
  rig: Rig,
  trial: number,
  features: Float64Array,
  sink: { trials: Record<ClaimId, number[]>; extras: Extras; samples: string[] },
): Promise<void> {
  const measuring = trial >= 0;
  const { recorders, signal } = context;
  const record = (metric: string) => (ns: number) => {
    if (measuring) recorders.metric(metric).recordNs(ns);
  };
  const badFirst = trial % 2 === 0;
  const pace = (metric: string) => ({
    reads: params.readsPerTrial,
    intervalMs: params.readIntervalMs,
    signal,
    record: record(metric),
  });
  const [price, immutable] = await pair(
    badFirst,
    () => readMutablePrice(rig.client, rig.writer, pace(METRICS.price)),
    () => readImmutableFeatures(rig.client, context.params.seed, pace(METRICS.features)),
  );
  const faulted = (handler: ExceptionHandler) => () =>
    runFaultedSets(handler, {
      proxy: rig.proxy,
      url: throughProxy(context.target.url, rig.proxy),
      sets: params.failedSetsPerTrial,
      features,
      date: FEATURE_AS_OF,
      signal,
    });
  const [silent, logged] = await pair(badFirst, faulted('bare-except'), faulted('logged'));
  const [pubsub, http] = await pair(
    badFirst,
    () => publishOrders(rig.publisherClient, rig.orders, trial, params.ordersPerTrial, record(METRICS.publish)),
    () => postOrders(rig.orders, trial, params.ordersPerTrial, signal, record(METRICS.http)),
  );
  const checks = await checkPublishCounts(rig.publisher, rig.subscribers, trial, params.eventsPerCount, signal);
  if (!measuring || signal.aborted) return;

  const stale = stalenessFigures(price);
  const fresh = stalenessFigures(immutable);
  const { trials, extras } = sink;
  trials['antipattern.mutable-data-stale'].push(stale.staleAfterMovePct);
  trials['antipattern.immutable-data-fresh'].push(fresh.stalePct);
  trials['antipattern.silent-exceptions'].push(visibleFailuresPct(silent));
  trials['antipattern.logged-exceptions'].push(visibleFailuresPct(logged));
  trials['antipattern.pubsub-critical'].push(executedPct(pubsub.outcome));
  trials['antipattern.http-confirms'].push(confirmedAndExecutedPct(http.outcome));
  trials['pubsub.publish-count'].push(publishCountRightPct(checks));
  extras.staleOfAllPct.push(stale.stalePct);
  extras.medianStaleAgeMs.push(stale.medianStaleAgeMs);
  extras.maxStaleAgeMs.push(stale.maxStaleAgeMs);
  extras.failures.push(silent.failures + logged.failures);
  extras.badLines.push(silent.lines);
  extras.goodLines.push(logged.lines);
  extras.receivers.push(pubsub.receivers ?? Number.NaN);
  extras.httpConfirmed.push(http.outcome.confirmed);
  if (sink.samples.length === 0 && logged.sample !== null)
    sink.samples.push(`good handler's first line: ${logged.sample}`);
  recorders.markTrial();
}

const finiteMedian = (values: readonly number[]): number | null => {
  const finite = values.filter(Number.isFinite);
  return finite.length > 0 ? medianOf(finite) : null;
};
const sum = (values: readonly number[]): number => values.filter(Number.isFinite).reduce((a, b) => a + b, 0);

function values(params: AntiPatternsParams, extras: Extras, ticksPerMs: number | null): Record<string, ScenarioValue> {
  return {
    'price.stale-of-all-reads-pct': figure(
      finiteMedian(extras.staleOfAllPct),
      '%',
      'median over trials: stale reads of current_price:AAPL in % of all reads (the first read fills the cache)',
    ),
    'price.stale-age-p50-ms': figure(
      finiteMedian(extras.medianStaleAgeMs),
      'ms',
      'median over trials of the median time a stale read had been superseded',
    ),
    'price.stale-age-max-ms': figure(
      extras.maxStaleAgeMs.length > 0 ? Math.max(...extras.maxStaleAgeMs.filter(Number.isFinite)) : null,
      'ms',
      'oldest stale read: how long the cached price had been superseded (grows until the TTL, 3600 s)',
    ),
    'price.tick-interval-ms': figure(
      ticksPerMs === null || ticksPerMs === 0 ? null : 1 / ticksPerMs,
      'ms',
      `measured time between two price moves (asked: ${params.priceTickMs} ms)`,
    ),
    'exceptions.failed-sets': figure(
      sum(extras.failures),
      'count',
      'cache SETs that failed under the fault, both handlers, all trials',
    ),
    'exceptions.bad-handler-lines': figure(
      sum(extras.badLines),
      'count',
      'log lines the bare except wrote (all trials)',
    ),
    'exceptions.good-handler-lines': figure(
      sum(extras.goodLines),
      'count',
      "log lines the document's handler wrote through the rate-limited logger (all trials); the rest of its failures are in their suppressed counts",
    ),
    'orders.pubsub-receivers': figure(
      sum(extras.receivers),
      'count',
      'sum of the PUBLISH replies for the orders (receivers)',
    ),
    'orders.http-confirmed': figure(
      sum(extras.httpConfirmed),
      'count',
      'orders the HTTP path confirmed (201 naming the order)',
    ),
  };
}

function conditions(context: ScenarioContext, params: AntiPatternsParams, trials: number): Record<ClaimId, string> {
  const base = `${environmentConditions(context)}; ${trials} trials, each running the bad and the good variant back to back (bad first in even trials), after one untimed warm-up trial`;
  const reading = `${base}; writer moves the price every ${params.priceTickMs} ms (Node timer); ${params.readsPerTrial} reads per variant, one every ${params.readIntervalMs} ms; both keys removed at the start of each variant (the first read fills the cache)`;
  const fault = `${base}; ${params.failedSetsPerTrial} SETs per handler, each handler on a fresh client (src createRedisClient: no offline queue) through the fault proxy, whose open connection is reset and every new one answered with an RST (reset-peer)`;
  const orders = `${base}; ${params.ordersPerTrial} orders per path, one at a time; the execution service is a node:http endpoint in the same process; nothing subscribes to execute_order`;
  return {
    'pubsub.publish-count': `${base}; ${params.eventsPerCount} events per subscriber count (0, 1, 3; order rotated per trial); deliveries awaited up to 1 s per event`,
    'antipattern.mutable-data-stale': reading,
    'antipattern.immutable-data-fresh': reading,
    'antipattern.silent-exceptions': fault,
    'antipattern.logged-exceptions': fault,
    'antipattern.pubsub-critical': orders,
    'antipattern.http-confirms': orders,
  };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params: AntiPatternsParams = scenarioParams(context, DEFAULT_ANTI_PATTERNS_PARAMS, QUICK_ANTI_PATTERNS_PARAMS);
  const trials = Object.fromEntries(CLAIM_IDS.map((id) => [id, [] as number[]])) as Record<ClaimId, number[]>;
  const extras: Extras = {
    staleOfAllPct: [],
    medianStaleAgeMs: [],
    maxStaleAgeMs: [],
    failures: [],
    goodLines: [],
    badLines: [],
    receivers: [],
    httpConfirmed: [],
  };
  const samples: string[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  const features = featuresFromMarket(context.params.seed);
  let ticksPerMs: number;
  try {
    const rig = await openRig(context, closers);
    const startMs = performance.now();
    const startVersion = rig.writer.version;
    rig.writer.start(params.priceTickMs);
    for (let trial = -1; trial < params.trials && !context.signal.aborted; trial++) {
      await runTrial(context, params, rig, trial, features, { trials, extras, samples });
      if (trial >= 0) context.progress(`trial ${trial + 1}/${params.trials}`);
    }
    ticksPerMs = (rig.writer.version - startVersion) / (performance.now() - startMs);
    await rig.client.unlink(PRICE_KEY, `features:${PRICE_SYMBOL}:${FEATURE_AS_OF}`);
  } finally {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => {});
  }
  const n = trials['antipattern.mutable-data-stale'].length;
  const byClaim = conditions(context, params, n);
  const verdicts: ClaimVerdict[] = CLAIM_IDS.map((id) =>
    judgeClaim(claimIn(ANTI_PATTERNS_CLAIMS, id), trials[id], byClaim[id]),
  );
  return {
    values: values(params, extras, ticksPerMs),
    trials,
    verdicts,
    parameters: {
      ...params,
      priceKey: PRICE_KEY,
      featureKey: `features:${PRICE_SYMBOL}:${FEATURE_AS_OF}`,
      subscribers: SUBSCRIBERS,
    },
    notes: [
      'anti-pattern 1: the price cache (TTL 3600 s) is read cache-aside while a writer moves the price; the feature cache is read the same way while the same writer ticks',
      "anti-pattern 3: the bad handler is `except: pass`; the good one is the document's `except RedisError: logger.warning(...)`, through the service's rate-limited logger (one line per kind per second, the rest counted in `suppressed`)",
      'anti-pattern 4: orders PUBLISHed on execute_order with no subscriber vs POSTed to the execution service; publish-count: EventPublisher.publishSignalEvent with 0, 1 and 3 subscribers',
      ...samples,
    ],
  };
}

export const antiPatterns: Scenario = {
  id: SCENARIO_ID,
  description:
    "The document's anti-patterns 1, 3 and 4 beside its good code: stale cached prices vs immutable features, silent vs logged cache errors under a fault, orders by pub/sub vs HTTP; and PUBLISH's subscriber count.",
  claims: CLAIM_IDS,
  tunables: ANTI_PATTERNS_TUNABLES,
  run,
};
