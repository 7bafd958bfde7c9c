/**
 * What Streams cost against pub/sub on the same instance, one trial of each: the per-event delivery
 * delay at a paced rate (recorded as delivery.streams / delivery.pubsub), then a burst's append rate.
 */
import { NS_PER_S } from '../../bench/core/units.ts';
import { waitFor } from '../../bench/run/scenario-kit.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { BenchPublisher } from './paced-publisher.ts';
import { PubsubListener } from './pubsub-listener.ts';
import { SequenceTracker } from './sequence-tracker.ts';
import { StreamConsumer, StreamProducer } from './stream-actors.ts';

export interface DeliveryCostParams {
  readonly ratePerSec: number;
  readonly payloadBytes: number;
  /** Paced delivery-latency phase per transport and trial. */
  readonly latencyMs: number;
  readonly burstCount: number;
}

/** Appends (XADD) or publishes in flight during a burst, on one connection. */
export const WINDOW = 32;

/** Paced XADD to a consumer group reader (delays recorded), then a burst: XADDs per second. */
export async function streamsDeliveryCost(
  context: ScenarioContext,
  params: DeliveryCostParams,
  trial: number,
): Promise<number> {
  const { recorders, signal } = context;
  const key = `bench:stream:latency:${trial}`;
  const tracker = new SequenceTracker();
  let measuring = true;
  const streamsSink = (ns: number): void => {
    if (measuring) recorders.metric('delivery.streams').recordNs(ns);
  };
  const producer = await StreamProducer.open(context.target.url, 1_000 + trial, key);
  const consumer = await StreamConsumer.start(
    context.target.url,
    key,
    { group: 'latency', name: 'c0', batch: 100, blockMs: 200 },
    tracker,
    streamsSink,
    signal,
  );
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
    const xaddPerSec = (burst.appended * NS_PER_S) / burst.elapsedNs;
    await waitFor(() => tracker.received >= producer.nextSeq, 10_000, signal);
    return xaddPerSec;
  } finally {
    await consumer.stop();
    await producer.client.del(key).catch(() => 0);
    producer.close();
  }
}

/** Paced PUBLISH to one subscriber (delays recorded), then a burst: PUBLISHes per second. */
export async function pubsubDeliveryCost(
  context: ScenarioContext,
  params: DeliveryCostParams,
  trial: number,
): Promise<number> {
  const { recorders, signal } = context;
  const channel = `bench.compare.${trial}`;
  let pubsubMeasuring = true;
  const listener = await PubsubListener.open(
    context.target.url,
    { name: 'rpb-compare-sub', channels: [channel], reconnect: false },
    (ns) => {
      if (pubsubMeasuring) recorders.metric('delivery.pubsub').recordNs(ns);
    },
  );
  const publisher = await BenchPublisher.open(context.target.url, 2_000 + trial, channel, { commandTimeoutMs: 5_000 });
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
    const publishPerSec = ((burst.endSeq - burst.firstSeq) * NS_PER_S) / burst.elapsedNs;
    await waitFor(() => listener.tracker.received >= burst.endSeq, 10_000, signal);
    return publishPerSec;
  } finally {
    listener.close();
    publisher.close();
  }
}
