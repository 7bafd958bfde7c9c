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
import { redisKilled, slowSubscriber, subscriberKilled, subscriberOffline } from './pubsub-faults.ts';
import type { FaultCount, FaultContext, PubsubFault } from './pubsub-faults.ts';
import { SLOW_SUBSCRIBER_LIMIT } from './pubsub-loss.ts';
import { streamConsumerKilled, streamConsumerOffline, streamRedisKilled, streamSlowConsumer } from './stream-faults.ts';
import type { StreamFaultCount, StreamFaultParams } from './stream-faults.ts';

const SCENARIO_ID = 'streams-vs-pubsub';
const PERSISTENCE = 'streams.persistence';
const REPLAY = 'streams.replay';

export interface StreamsVsPubsubParams extends StreamFaultParams, DeliveryCostParams {
  readonly trials: number;
}

export const DEFAULT_STREAMS_VS_PUBSUB_PARAMS: StreamsVsPubsubParams = {
  trials: 5,
  ratePerSec: 1_000,
  payloadBytes: 256,
  settleMs: 1_000,
  faultMs: 3_000,
  slowBatch: 10,
  slowDelayMs: 15,
  latencyMs: 2_000,
  burstCount: 10_000,
};

export const QUICK_STREAMS_VS_PUBSUB_PARAMS: StreamsVsPubsubParams = {
  ...DEFAULT_STREAMS_VS_PUBSUB_PARAMS,
  trials: 3,
  settleMs: 300,
  faultMs: 600,
  latencyMs: 700,
  burstCount: 2_000,
};

export const STREAMS_VS_PUBSUB_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: {
    kind: 'integer',
    min: 3,
    max: 30,
    description: 'trials; each measures latency, throughput and every fault on both transports',
  },
  ratePerSec: {
    kind: 'integer',
    min: 10,
    max: 20_000,
    description: 'steady event rate (latency phase and around the faults)',
  },
  settleMs: { kind: 'integer', min: 100, max: 60_000, description: 'steady traffic before and after each fault' },
  faultMs: { kind: 'integer', min: 100, max: 120_000, description: 'consumer offline / dead and Redis down time' },
  latencyMs: { kind: 'integer', min: 100, max: 60_000, description: 'paced latency phase per transport and trial' },
  burstCount: {
    kind: 'integer',
    min: 100,
    max: 1_000_000,
    description: 'events in the throughput burst per transport',
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

/** Each trial: delivery cost of both transports, then every fault on Streams and on pub/sub. */
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
  };
  progress(
    `${params.trials} trials: latency (${params.ratePerSec}/s), throughput bursts, then consumer offline / killed / slow and Redis killed on Streams and on pub/sub`,
  );
  for (let trial = 0; trial < params.trials && !signal.aborted; trial++) {
    trials.xaddRates.push(await streamsDeliveryCost(context, params, trial));
    trials.publishRates.push(await pubsubDeliveryCost(context, params, trial));
    const ctx: FaultContext = { url: context.target.url, signal, managed, trial };
    const streams = [
      await streamConsumerOffline(ctx, params),
      await streamConsumerKilled(ctx, params),
      await streamSlowConsumer(ctx, params),
      await streamRedisKilled(ctx, params),
    ];
    const pubsubParams = { ...params, slowPayloadBytes: 1_024, slowMaxMs: 8_000, slowNormalCount: 1_000 };
    const pubsub = [
      await subscriberOffline(ctx, pubsubParams),
      await subscriberKilled(ctx, pubsubParams),
      await slowSubscriber(ctx, pubsubParams),
      await redisKilled(ctx, pubsubParams),
    ];
    for (const c of streams) trials.streamCounts.set(c.fault, [...(trials.streamCounts.get(c.fault) ?? []), c]);
    for (const c of pubsub) trials.pubsubCounts.set(c.fault, [...(trials.pubsubCounts.get(c.fault) ?? []), c]);
    trials.persistence.push(
      percent(
        streams.reduce((s, c) => s + c.lost, 0),
        streams.reduce((s, c) => s + c.produced, 0),
      ),
    );
    trials.replay.push(percent(streams[0]!.extra.replayRecovered ?? 0, streams[0]!.extra.offlineProduced ?? 0));
    context.recorders.markTrial();
    progress(
      `trial ${trial + 1}/${params.trials}: Streams lost ${streams.map((c) => c.lost).join('/')} duplicates ${streams.map((c) => c.duplicates).join('/')}; pub/sub lost ${pubsub.map((c) => c.lost).join('/')} (offline/killed/slow/redis-killed)`,
    );
  }
  return trials;
}

function comparisonOutcome(
  context: ScenarioContext,
  params: StreamsVsPubsubParams,
  trials: ComparisonTrials,
): ScenarioOutcome {
  const conditions = `${environmentConditions(context)}; appendonly yes (appendfsync everysec); ${params.ratePerSec} events/s of ${params.payloadBytes} B; consumer offline / Redis down ${params.faultMs} ms; one consumer group, XACK after each processed batch`;
  return {
    values: { ...faultValues(trials), ...costValues(context, params, trials) },
    trials: { [PERSISTENCE]: trials.persistence, [REPLAY]: trials.replay },
    verdicts: [
      judgeClaim(claimIn(PUBSUB_CLAIMS, PERSISTENCE), trials.persistence, conditions),
      judgeClaim(claimIn(PUBSUB_CLAIMS, REPLAY), trials.replay, conditions),
    ],
    parameters: { ...params, appendonly: 'yes', pubsubSlowSubscriberLimit: SLOW_SUBSCRIBER_LIMIT },
    notes: [
      'Streams side: producer retries every failed XADD until Redis answers; consumers re-read their own pending entries (XREADGROUP from 0) after an error, then new ones; a killed consumer dies after processing a batch and before XACK, and a new consumer takes its entries over with XAUTOCLAIM: those are processed twice (duplicates: at-least-once, consumers must be idempotent)',
      'Redis killed: SIGKILL of the process; with appendfsync everysec every acknowledged XADD is already written to the AOF file (in the OS page cache), so a process crash loses none; a machine crash could lose up to ~1 s',
      'the pub/sub side runs the same faults as pubsub-loss on this instance, for the side-by-side counts',
      'delivery.streams / delivery.pubsub: per-event delay at the same rate in the same trial (HDR files); the consumer blocks in XREADGROUP and reads up to 100 entries per call',
    ],
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
      'events published over all trials',
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
    'most events the slow consumer was behind (it catches up; nothing is dropped)',
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
    'Redis Streams with consumer groups vs pub/sub under the same faults: events lost, duplicates, replay, latency and throughput cost.',
  claims: [PERSISTENCE, REPLAY],
  tunables: STREAMS_VS_PUBSUB_TUNABLES,
  redisConfig: { appendonly: 'yes', appendfsync: 'everysec', 'client-output-buffer-limit': SLOW_SUBSCRIBER_LIMIT },
  run,
};
