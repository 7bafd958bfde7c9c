import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';
import {
  claimIn,
  environmentConditions,
  figure,
  percent,
  percentileMs,
  requireManaged,
  scenarioParams,
} from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { PUBSUB_CLAIMS } from './claims.ts';
import { pubsubDeliveryCost, streamsDeliveryCost, WINDOW } from './delivery-cost.ts';
import type { DeliveryCostParams } from './delivery-cost.ts';
import { PUBSUB_FAULT_GROUPS, PUBSUB_FAULTS } from './pubsub-faults.ts';
import type { FaultCount, FaultContext, PubsubFault, PubsubFaultParams } from './pubsub-faults.ts';
import { trialOrder } from './trial-order.ts';
import { SLOW_SUBSCRIBER_LIMIT } from './pubsub-loss.ts';
import { STREAM_FAULT_GROUPS, STREAM_FAULTS } from './stream-faults.ts';
import { settleAll } from './bench-clients.ts';
import type { StreamFaultCount, StreamFaultParams } from './stream-faults.ts';
import { consumerScalingTrial } from './stream-consumer-scaling.ts';
import type { ConsumerScalingParams, ConsumerScalingTrial } from './stream-consumer-scaling.ts';

const SCENARIO_ID = 'streams-vs-pubsub';
const PERSISTENCE = 'streams.persistence';
const REPLAY = 'streams.replay';
const SCALING = 'streams.consumer-group-scaling';

export interface StreamsVsPubsubParams extends StreamFaultParams, DeliveryCostParams, ConsumerScalingParams {
  /** Trials behind the claims; each runs the four faults on Streams once, in a shuffled order. */
  readonly trials: number;
  /** The first trials that also measure delivery delay and burst rate of both transports (figures only). */
  readonly costTrials: number;
}

export const DEFAULT_STREAMS_VS_PUBSUB_PARAMS: StreamsVsPubsubParams = {
  trials: 6,
  costTrials: 3,
  ratePerSec: 1_000,
  payloadBytes: 256,
  settleEvents: 100,
  faultMs: 500,
  slowBatch: 10,
  slowDelayMs: 15,
  latencyMs: 1_000,
  burstCount: 5_000,
  scalingBacklog: 400,
  scalingConsumers: 4,
  scalingWorkMs: 2,
};

export const QUICK_STREAMS_VS_PUBSUB_PARAMS: StreamsVsPubsubParams = {
  ...DEFAULT_STREAMS_VS_PUBSUB_PARAMS,
  costTrials: 1,
  settleEvents: 25,
  faultMs: 100,
  latencyMs: 200,
  burstCount: 1_000,
  scalingBacklog: 120,
};

/** The pub/sub side's own settings (the slow subscriber bursts 1 KB events until Redis drops it). */
const PUBSUB_SIDE = { slowPayloadBytes: 1_024, slowMaxMs: 8_000, slowNormalCount: 500 } as const;

export const STREAMS_VS_PUBSUB_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: {
    kind: 'integer',
    min: 3,
    max: 30,
    description:
      'trials (6 or more for a verdict); each runs consumer offline, killed, slow and Redis killed on Streams once, in a shuffled order',
  },
  costTrials: {
    kind: 'integer',
    min: 1,
    max: 30,
    description:
      'the first trials that also measure delivery delay and burst rate of Streams and pub/sub (figures only)',
  },
  ratePerSec: {
    kind: 'integer',
    min: 10,
    max: 20_000,
    description: 'steady event rate (latency phase and around the faults)',
  },
  settleEvents: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description:
      'steady traffic before each fault until this many events are processed, and after it for this many more appends',
  },
  faultMs: { kind: 'integer', min: 100, max: 120_000, description: 'consumer offline / dead and Redis down time' },
  latencyMs: {
    kind: 'integer',
    min: 100,
    max: 60_000,
    description: 'paced latency phase per transport and cost trial',
  },
  burstCount: {
    kind: 'integer',
    min: 100,
    max: 1_000_000,
    description: 'events in the throughput burst per transport and cost trial',
  },
  scalingBacklog: {
    kind: 'integer',
    min: 20,
    max: 100_000,
    description: 'entries of the backlog one consumer, then a group of scalingConsumers, drains in each trial',
  },
  scalingConsumers: {
    kind: 'integer',
    min: 2,
    max: 32,
    description: 'consumers in the group of the wide arm of the scaling trial',
  },
  scalingWorkMs: {
    kind: 'integer',
    min: 1,
    max: 100,
    description: "per-entry work of a consumer in the scaling trial: a wait, like the subscriber's downstream call",
  },
};

/** What the trials leave behind: each transport's fault counts, the claims' trials, the burst rates. */
interface ComparisonTrials {
  readonly streamCounts: Map<PubsubFault, StreamFaultCount[]>;
  readonly pubsubCounts: Map<PubsubFault, FaultCount[]>;
  readonly persistence: number[];
  readonly replay: number[];
  readonly xaddRates: number[];
  readonly publishRates: number[];
  readonly scaling: ConsumerScalingTrial[];
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const managed = requireManaged(
    context,
    SCENARIO_ID,
    'kills and restarts Redis (with appendonly on) and needs a small client-output-buffer-limit for pubsub on the instance the harness starts',
  );
  const params: StreamsVsPubsubParams = scenarioParams(
    context,
    DEFAULT_STREAMS_VS_PUBSUB_PARAMS,
    QUICK_STREAMS_VS_PUBSUB_PARAMS,
  );
  const trials = await runTrials(context, params, managed);
  return comparisonOutcome(context, params, trials);
}

const FAULT_COUNT = Object.keys(STREAM_FAULTS).length;

/**
 * Each trial: the four faults on Streams in a seeded shuffled order, each on a stream and
 * connections of its own (the claims); the first `costTrials` trials start with the delivery cost of
 * both transports, in alternating order; the first trial ends with one pass of the same faults on
 * pub/sub, for the side-by-side counts.
 */
async function runTrials(
  context: ScenarioContext,
  params: StreamsVsPubsubParams,
  managed: ManagedRedis,
): Promise<ComparisonTrials> {
  const { signal, progress } = context;
  const trials: ComparisonTrials = {
    streamCounts: new Map(),
    pubsubCounts: new Map(),
    persistence: [],
    replay: [],
    xaddRates: [],
    publishRates: [],
    scaling: [],
  };
  progress(
    `${params.trials} trials of consumer offline / killed / slow and Redis killed on Streams in a shuffled order (${params.ratePerSec}/s); latency and throughput of both transports in the first ${params.costTrials}; one pass of the same faults on pub/sub`,
  );
  for (let trial = 0; trial < params.trials && !signal.aborted; trial++) {
    if (trial < params.costTrials) await measureCost(context, params, trial, trials);
    const ctx: FaultContext = { url: context.target.url, signal, managed, trial };
    const streams: StreamFaultCount[] = [];
    for (const group of trialOrder(STREAM_FAULT_GROUPS, context.params.seed, SCENARIO_ID, trial)) {
      if (signal.aborted) break;
      streams.push(...(await settleAll(group.map((fault) => STREAM_FAULTS[fault](ctx, params)))));
    }
    const offline = streams.find((c) => c.fault === 'subscriber-offline');
    if (streams.length < FAULT_COUNT || offline === undefined) break;
    for (const c of streams) trials.streamCounts.set(c.fault, [...(trials.streamCounts.get(c.fault) ?? []), c]);
    trials.persistence.push(
      percent(
        streams.reduce((s, c) => s + c.lost, 0),
        streams.reduce((s, c) => s + c.produced, 0),
      ),
    );
    trials.replay.push(percent(offline.extra.replayRecovered ?? 0, offline.extra.offlineProduced ?? 0));
    if (trial === 0) await pubsubPass(context, params, ctx, trials);
    if (!signal.aborted) trials.scaling.push(await consumerScalingTrial(context.target.url, params, trial, signal));
    context.recorders.markTrial();
    progress(
      `trial ${trial + 1}/${params.trials}: Streams lost ${streams.map((c) => `${c.fault} ${c.lost}`).join(', ')}; duplicates ${streams.reduce((s, c) => s + c.duplicates, 0)}`,
    );
  }
  return trials;
}

/** Delivery delay and burst rate of both transports; which goes first alternates from trial to trial. */
async function measureCost(
  context: ScenarioContext,
  params: StreamsVsPubsubParams,
  trial: number,
  trials: ComparisonTrials,
): Promise<void> {
  const streamsCost = async (): Promise<void> => {
    trials.xaddRates.push(await streamsDeliveryCost(context, params, trial));
  };
  const pubsubCost = async (): Promise<void> => {
    trials.publishRates.push(await pubsubDeliveryCost(context, params, trial));
  };
  for (const cost of trial % 2 === 0 ? [streamsCost, pubsubCost] : [pubsubCost, streamsCost]) {
    if (!context.signal.aborted) await cost();
  }
}

/** The same four faults on pub/sub once, for the side-by-side counts (no claim is judged on them). */
async function pubsubPass(
  context: ScenarioContext,
  params: StreamsVsPubsubParams,
  ctx: FaultContext,
  trials: ComparisonTrials,
): Promise<void> {
  const pubsubParams: PubsubFaultParams = { ...params, ...PUBSUB_SIDE };
  for (const group of PUBSUB_FAULT_GROUPS) {
    if (context.signal.aborted) return;
    for (const count of await settleAll(group.map((fault) => PUBSUB_FAULTS[fault](ctx, pubsubParams))))
      trials.pubsubCounts.set(count.fault, [...(trials.pubsubCounts.get(count.fault) ?? []), count]);
  }
}

function comparisonOutcome(
  context: ScenarioContext,
  params: StreamsVsPubsubParams,
  trials: ComparisonTrials,
): ScenarioOutcome {
  const conditions = [
    environmentConditions(context),
    'appendonly yes (appendfsync everysec)',
    `${params.ratePerSec} events/s of ${params.payloadBytes} B; consumer offline / dead / slow and Redis down ${params.faultMs} ms, ${params.settleEvents} events before and after; one consumer group, XACK after each processed batch`,
    "one trial = the four faults once each, every fault on a stream, producer and consumers of its own: consumer offline, killed and slow side by side, Redis killed alone (after an AOF rewrite, so every restart loads only that trial's stream), the two in a seeded shuffled order",
  ].join('; ');
  const speedups = trials.scaling.map((t) => t.speedup);
  const scalingConditions = [
    environmentConditions(context),
    `one trial = a backlog of ${params.scalingBacklog} entries drained by 1 consumer and, on a stream of its own, by a group of ${params.scalingConsumers}, in alternating order; each consumer reads 10 entries per XREADGROUP, waits ${params.scalingWorkMs} ms per entry and acknowledges the batch`,
  ].join('; ');
  return {
    values: { ...faultValues(trials), ...costValues(context, params, trials), ...scalingValues(params, trials) },
    trials: { [PERSISTENCE]: trials.persistence, [REPLAY]: trials.replay, [SCALING]: speedups },
    verdicts: [
      judgeClaim(claimIn(PUBSUB_CLAIMS, PERSISTENCE), trials.persistence, conditions),
      judgeClaim(claimIn(PUBSUB_CLAIMS, REPLAY), trials.replay, conditions),
      judgeClaim(claimIn(PUBSUB_CLAIMS, SCALING), speedups, scalingConditions),
    ],
    parameters: { ...params, appendonly: 'yes', pubsubSlowSubscriberLimit: SLOW_SUBSCRIBER_LIMIT },
    notes: [
      'Streams side: producer retries every failed XADD until Redis answers; consumers re-read their own pending entries (XREADGROUP from 0) after an error, then new ones; a killed consumer dies after processing a batch and before XACK, and a new consumer takes its entries over with XAUTOCLAIM: those are processed twice (duplicates: at-least-once, consumers must be idempotent)',
      'Redis killed: SIGKILL of the process; with appendfsync everysec every acknowledged XADD is already written to the AOF file (in the OS page cache), so a process crash loses none; a machine crash could lose up to ~1 s',
      `slow consumer: for ${params.faultMs} ms it reads ${params.slowBatch} entries per call and pauses ${params.slowDelayMs} ms after each batch (slower than the producer), then works at full speed again`,
      'the pub/sub side runs the same faults as pubsub-loss on this instance once (in the first trial), for the side-by-side counts; no claim is judged on it',
      `delivery.streams / delivery.pubsub: per-event delay at the same rate in the first ${params.costTrials} trial(s), the two transports in alternating order (HDR files); the consumer blocks in XREADGROUP and reads up to 100 entries per call`,
    ],
  };
}

/** The consumer-group scaling trials: drain times, entries lost or repeated, how evenly the group split the work. */
function scalingValues(params: StreamsVsPubsubParams, { scaling }: ComparisonTrials): Record<string, ScenarioValue> {
  const shares = scaling.flatMap((t) => t.perConsumer.map((n) => n / params.scalingBacklog));
  return {
    'scaling.one-consumer-ms': figure(
      medianOf(scaling.map((t) => t.oneConsumerMs)),
      'ms',
      `median time one consumer takes to drain ${params.scalingBacklog} entries`,
    ),
    'scaling.group-ms': figure(
      medianOf(scaling.map((t) => t.manyConsumersMs)),
      'ms',
      `median time a group of ${params.scalingConsumers} takes for the same backlog`,
    ),
    'scaling.duplicates': figure(
      scaling.reduce((s, t) => s + t.duplicates, 0),
      'count',
      'entries handed to two consumers (goal 0)',
    ),
    'scaling.missing': figure(
      scaling.reduce((s, t) => s + t.missing, 0),
      'count',
      'backlog entries no consumer processed (goal 0)',
    ),
    'scaling.smallest-share': figure(
      shares.length === 0 ? Number.NaN : 100 * Math.min(...shares),
      '%',
      `smallest share of the backlog one consumer of the group processed (even split: ${(100 / params.scalingConsumers).toFixed(0)}%)`,
    ),
  };
}

/** Per fault, the counts of both transports over all trials, then the slow and the killed consumer's figures. */
function faultValues({ streamCounts, pubsubCounts }: ComparisonTrials): Record<string, ScenarioValue> {
  const values: Record<string, ScenarioValue> = {};
  for (const [fault, counts] of streamCounts) {
    const total = (f: (c: StreamFaultCount) => number): number => counts.reduce((s, c) => s + f(c), 0);
    values[`streams.${fault}.produced`] = figure(
      total((c) => c.produced),
      'count',
      'events produced over all trials',
    );
    values[`streams.${fault}.lost`] = figure(
      total((c) => c.lost),
      'count',
      'events never processed (goal 0)',
    );
    values[`streams.${fault}.duplicates`] = figure(
      total((c) => c.duplicates),
      'count',
      'events processed twice (at-least-once)',
    );
    values[`streams.${fault}.xadd-retry-attempts`] = figure(
      total((c) => c.retriedAppends),
      'count',
      'XADD attempts repeated after a failure',
    );
    const pub = pubsubCounts.get(fault) ?? [];
    values[`pubsub.${fault}.published`] = figure(
      pub.reduce((s, c) => s + c.published, 0),
      'count',
      'events published in the pub/sub pass',
    );
    values[`pubsub.${fault}.lost`] = figure(
      pub.reduce((s, c) => s + c.lost, 0),
      'count',
      'events never received',
    );
  }
  values['streams.slow-subscriber.max-lag'] = figure(
    Math.max(...(streamCounts.get('slow-subscriber') ?? []).map((c) => c.extra.maxLag ?? 0)),
    'count',
    'most events the consumer was behind while slow (it catches up; nothing is dropped)',
  );
  values['streams.subscriber-killed.claimed'] = figure(
    (streamCounts.get('subscriber-killed') ?? []).reduce((s, c) => s + (c.extra.claimedFromDead ?? 0), 0),
    'count',
    'entries of the dead consumer taken over with XAUTOCLAIM',
  );
  return values;
}

/** Delivery delay and burst rate of each transport, and what Streams cost against pub/sub. */
function costValues(
  context: ScenarioContext,
  params: StreamsVsPubsubParams,
  { xaddRates, publishRates }: ComparisonTrials,
): Record<string, ScenarioValue> {
  const streamsLatency = context.recorders.metric('delivery.streams').total();
  const pubsubLatency = context.recorders.metric('delivery.pubsub').total();
  const p50Streams = percentileMs(streamsLatency, 50);
  const p50Pubsub = percentileMs(pubsubLatency, 50);
  return {
    'streams.delivery-p50-ms': figure(
      p50Streams,
      'ms',
      `XADD to XREADGROUP (BLOCK) delivery p50, ${params.ratePerSec}/s, appendonly yes`,
    ),
    'streams.delivery-p99-ms': figure(percentileMs(streamsLatency, 99), 'ms', 'p99 of the same'),
    'pubsub.delivery-p50-ms': figure(p50Pubsub, 'ms', `PUBLISH to message delivery p50, ${params.ratePerSec}/s`),
    'pubsub.delivery-p99-ms': figure(percentileMs(pubsubLatency, 99), 'ms', 'p99 of the same'),
    'latency-cost-p50': figure(p50Streams / p50Pubsub, 'x', 'Streams delivery p50 / pub/sub delivery p50'),
    'streams.xadd-per-s': figure(
      medianOf(xaddRates),
      'events/s',
      `median burst rate of XADD (${WINDOW} in flight, one connection, appendonly yes)`,
    ),
    'pubsub.publish-per-s': figure(
      medianOf(publishRates),
      'events/s',
      `median burst rate of PUBLISH (${WINDOW} in flight, one subscriber)`,
    ),
    'throughput-cost': figure(
      medianOf(publishRates) / medianOf(xaddRates),
      'x',
      'PUBLISH burst rate / XADD burst rate',
    ),
  };
}

export const streamsVsPubsub: Scenario = {
  id: SCENARIO_ID,
  description:
    'Redis Streams with consumer groups vs pub/sub under the same faults: events lost, duplicates, replay, latency and throughput cost; a backlog drained by one consumer and by a group.',
  claims: [PERSISTENCE, REPLAY, SCALING],
  tunables: STREAMS_VS_PUBSUB_TUNABLES,
  redisConfig: { appendonly: 'yes', appendfsync: 'everysec', 'client-output-buffer-limit': SLOW_SUBSCRIBER_LIMIT },
  run,
};
