import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { BenchPublisher } from './paced-publisher.ts';
import { redisKilled, slowSubscriber, subscriberKilled, subscriberOffline } from './pubsub-faults.ts';
import type { FaultCount, FaultContext, PubsubFault } from './pubsub-faults.ts';
import { PubsubListener } from './pubsub-listener.ts';
import {
  claimById,
  environmentConditions,
  figure,
  percent,
  percentileMs,
  requireManaged,
  waitFor,
} from './scenario-support.ts';
import { SequenceTracker } from './sequence-tracker.ts';
import { StreamConsumer, StreamProducer } from './stream-actors.ts';
import {
  streamConsumerKilled,
  streamConsumerOffline,
  streamRedisKilled,
  streamSlowConsumer,
} from './stream-faults.ts';
import type { StreamFaultCount, StreamFaultParams } from './stream-faults.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome, ScenarioValue } from '../../bench/core/scenario.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';
import { SLOW_SUBSCRIBER_LIMIT } from './pubsub-loss.ts';

const SCENARIO_ID = 'streams-vs-pubsub';
const PERSISTENCE = 'streams.persistence';
const REPLAY = 'streams.replay';

export interface StreamsVsPubsubParams extends StreamFaultParams {
  readonly trials: number;
  /** Paced delivery-latency phase per transport and trial. */
  readonly latencyMs: number;
  readonly burstCount: number;
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

const WINDOW = 32;

async function latencyAndThroughput(
  context: ScenarioContext,
  params: StreamsVsPubsubParams,
  trial: number,
): Promise<{ xaddPerSec: number; publishPerSec: number }> {
  const { recorders, signal } = context;
  const key = `bench:stream:latency:${trial}`;
  const tracker = new SequenceTracker();
  let measuring = true;
  const streamsSink = (ns: number): void => {
    if (measuring) recorders.metric('delivery.streams').recordNs(ns);
  };
  const producer = await StreamProducer.open(context.redisUrl, 1_000 + trial, key);
  const consumer = await StreamConsumer.start(
    context.redisUrl,
    key,
    { group: 'latency', name: 'c0', batch: 100, blockMs: 200, processDelayMs: 0 },
    tracker,
    streamsSink,
    signal,
  );
  let xaddPerSec = Number.NaN;
  try {
    await producer.paced({
      ratePerSec: params.ratePerSec,
      durationMs: params.latencyMs,
      payloadBytes: params.payloadBytes,
      signal,
    });
    await producer.settle(params.payloadBytes, 5_000, signal);
    await waitFor(() => tracker.received >= producer.nextSeq, 5_000, signal);
    measuring = false;
    const burst = await producer.burst({
      count: params.burstCount,
      window: WINDOW,
      payloadBytes: params.payloadBytes,
      maxDurationMs: 30_000,
      signal,
    });
    xaddPerSec = (burst.appended * 1e9) / burst.elapsedNs;
    await waitFor(() => tracker.received >= producer.nextSeq, 10_000, signal);
  } finally {
    await consumer.stop();
    await producer.client.del(key).catch(() => 0);
    producer.close();
  }
  const channel = `bench.compare.${trial}`;
  let pubsubMeasuring = true;
  const listener = await PubsubListener.open(
    context.redisUrl,
    { name: 'rpb-compare-sub', channels: [channel], reconnect: false },
    (ns) => {
      if (pubsubMeasuring) recorders.metric('delivery.pubsub').recordNs(ns);
    },
  );
  const publisher = await BenchPublisher.open(context.redisUrl, 2_000 + trial, channel, { commandTimeoutMs: 5_000 });
  let publishPerSec = Number.NaN;
  try {
    const paced = await publisher.paced({
      ratePerSec: params.ratePerSec,
      durationMs: params.latencyMs,
      payloadBytes: params.payloadBytes,
      signal,
    });
    await waitFor(() => listener.tracker.received >= paced.endSeq, 5_000, signal);
    pubsubMeasuring = false;
    const burst = await publisher.burst({
      count: params.burstCount,
      window: WINDOW,
      payloadBytes: params.payloadBytes,
      maxDurationMs: 30_000,
      signal,
    });
    publishPerSec = ((burst.endSeq - burst.firstSeq) * 1e9) / burst.elapsedNs;
    await waitFor(() => listener.tracker.received >= burst.endSeq, 10_000, signal);
  } finally {
    listener.close();
    publisher.close();
  }
  return { xaddPerSec, publishPerSec };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const managed = requireManaged(
    context,
    SCENARIO_ID,
    'kills and restarts Redis (with appendonly on) and needs a small client-output-buffer-limit for pubsub on the instance the harness starts',
  );
  const params: StreamsVsPubsubParams = {
    ...(context.params.quick ? QUICK_STREAMS_VS_PUBSUB_PARAMS : DEFAULT_STREAMS_VS_PUBSUB_PARAMS),
    ...context.overrides,
  };
  const { signal, progress } = context;
  const streamCounts = new Map<PubsubFault, StreamFaultCount[]>();
  const pubsubCounts = new Map<PubsubFault, FaultCount[]>();
  const persistenceTrials: number[] = [];
  const replayTrials: number[] = [];
  const xaddRates: number[] = [];
  const publishRates: number[] = [];
  progress(
    `${params.trials} trials: latency (${params.ratePerSec}/s), throughput bursts, then consumer offline / killed / slow and Redis killed on Streams and on pub/sub`,
  );
  for (let trial = 0; trial < params.trials && !signal.aborted; trial++) {
    const rates = await latencyAndThroughput(context, params, trial);
    xaddRates.push(rates.xaddPerSec);
    publishRates.push(rates.publishPerSec);
    const ctx: FaultContext = { url: context.redisUrl, signal, managed, trial };
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
    for (const c of streams) streamCounts.set(c.fault, [...(streamCounts.get(c.fault) ?? []), c]);
    for (const c of pubsub) pubsubCounts.set(c.fault, [...(pubsubCounts.get(c.fault) ?? []), c]);
    persistenceTrials.push(
      percent(
        streams.reduce((s, c) => s + c.lost, 0),
        streams.reduce((s, c) => s + c.produced, 0),
      ),
    );
    replayTrials.push(percent(streams[0]!.extra.replayRecovered ?? 0, streams[0]!.extra.offlineProduced ?? 0));
    context.recorders.markTrial();
    progress(
      `trial ${trial + 1}/${params.trials}: Streams lost ${streams.map((c) => c.lost).join('/')} duplicates ${streams.map((c) => c.duplicates).join('/')}; pub/sub lost ${pubsub.map((c) => c.lost).join('/')} (offline/killed/slow/redis-killed)`,
    );
  }

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
  const streamsLatency = context.recorders.metric('delivery.streams').total();
  const pubsubLatency = context.recorders.metric('delivery.pubsub').total();
  const p50Streams = percentileMs(streamsLatency, 50);
  const p50Pubsub = percentileMs(pubsubLatency, 50);
  values['streams.delivery-p50-ms'] = figure(
    p50Streams,
    'ms',
    `XADD to XREADGROUP (BLOCK) delivery p50, ${params.ratePerSec}/s, appendonly yes`,
  );
  values['streams.delivery-p99-ms'] = figure(percentileMs(streamsLatency, 99), 'ms', 'p99 of the same');
  values['pubsub.delivery-p50-ms'] = figure(p50Pubsub, 'ms', `PUBLISH to message delivery p50, ${params.ratePerSec}/s`);
  values['pubsub.delivery-p99-ms'] = figure(percentileMs(pubsubLatency, 99), 'ms', 'p99 of the same');
  values['latency-cost-p50'] = figure(p50Streams / p50Pubsub, 'x', 'Streams delivery p50 / pub/sub delivery p50');
  values['streams.xadd-per-s'] = figure(
    medianOf(xaddRates),
    'events/s',
    `median burst rate of XADD (${WINDOW} in flight, one connection, appendonly yes)`,
  );
  values['pubsub.publish-per-s'] = figure(
    medianOf(publishRates),
    'events/s',
    `median burst rate of PUBLISH (${WINDOW} in flight, one subscriber)`,
  );
  values['throughput-cost'] = figure(
    medianOf(publishRates) / medianOf(xaddRates),
    'x',
    'PUBLISH burst rate / XADD burst rate',
  );
  const conditions = `${environmentConditions(context)}; appendonly yes (appendfsync everysec); ${params.ratePerSec} events/s of ${params.payloadBytes} B; consumer offline / Redis down ${params.faultMs} ms; one consumer group, XACK after each processed batch`;
  return {
    values,
    trials: { [PERSISTENCE]: persistenceTrials, [REPLAY]: replayTrials },
    verdicts: [
      judgeClaim(claimById(PERSISTENCE), persistenceTrials, conditions),
      judgeClaim(claimById(REPLAY), replayTrials, conditions),
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

export const streamsVsPubsub: Scenario = {
  id: SCENARIO_ID,
  description:
    'Redis Streams with consumer groups vs pub/sub under the same faults: events lost, duplicates, replay, latency and throughput cost.',
  claims: [PERSISTENCE, REPLAY],
  tunables: STREAMS_VS_PUBSUB_TUNABLES,
  redisConfig: { appendonly: 'yes', appendfsync: 'everysec', 'client-output-buffer-limit': SLOW_SUBSCRIBER_LIMIT },
  run,
};
