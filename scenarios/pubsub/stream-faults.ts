import { sleepMs } from '../../bench/load/precise-wait.ts';
import { whenReady } from './bench-clients.ts';
import { decodeBenchMessage } from './bench-message.ts';
import type { FaultContext, PubsubFault } from './pubsub-faults.ts';
import { SequenceTracker } from './sequence-tracker.ts';
import { StreamConsumer, StreamProducer } from './stream-actors.ts';
import { waitFor } from '../../bench/run/scenario-kit.ts';
import { SETTLE_TIMEOUT_MS } from './pubsub-faults.ts';
import { compactAof } from './aof-compaction.ts';

export interface StreamFaultParams {
  readonly ratePerSec: number;
  readonly payloadBytes: number;
  /**
   * Steady traffic before and after each fault, in events: before, until the consumers have processed
   * this many; after, until the producer has appended this many more.
   */
  readonly settleEvents: number;
  readonly faultMs: number;
  /** Slow consumer, for faultMs: events per XREADGROUP and the pause after each batch (its capacity: batch / delay). */
  readonly slowBatch: number;
  readonly slowDelayMs: number;
}

export interface StreamFaultCount {
  readonly fault: PubsubFault;
  readonly produced: number;
  /** Produced (sequence number assigned) and never processed by any consumer of the group. */
  readonly lost: number;
  /** Processed more than once (at-least-once delivery: a dead consumer's unacknowledged batch, a retried XADD). */
  readonly duplicates: number;
  /** XADDs that failed and were retried by the producer. */
  readonly retriedAppends: number;
  readonly extra: Readonly<Record<string, number>>;
}

const GROUP = 'bench-consumers';

async function streamTrial(
  fault: PubsubFault,
  ctx: FaultContext,
  params: StreamFaultParams,
  during: (
    producer: StreamProducer,
    consumers: StreamConsumer[],
    start: (name: string) => Promise<StreamConsumer>,
    extra: Record<string, number>,
  ) => Promise<void>,
): Promise<StreamFaultCount> {
  const key = `bench:stream:${fault}:${ctx.trial}`;
  const tracker = new SequenceTracker();
  const consumers: StreamConsumer[] = [];
  const start = async (name: string): Promise<StreamConsumer> => {
    const c = await StreamConsumer.start(
      ctx.url,
      key,
      { group: GROUP, name, batch: 100, blockMs: 200 },
      tracker,
      null,
      ctx.signal,
    );
    consumers.push(c);
    return c;
  };
  const producer = await StreamProducer.open(ctx.url, ctx.trial, key);
  const extra: Record<string, number> = {};
  let stop = false;
  try {
    await start('c0');
    const running = producer.paced({
      ratePerSec: params.ratePerSec,
      durationMs: 600_000,
      payloadBytes: params.payloadBytes,
      signal: ctx.signal,
      stopWhen: () => stop,
    });
    try {
      await waitFor(() => tracker.received >= params.settleEvents, SETTLE_TIMEOUT_MS, ctx.signal);
      await during(producer, consumers, start, extra);
      const after = producer.nextSeq + params.settleEvents;
      await waitFor(() => producer.nextSeq >= after, SETTLE_TIMEOUT_MS, ctx.signal);
    } finally {
      stop = true;
      await running;
    }
    await producer.settle(params.payloadBytes, 10_000, ctx.signal);
    const produced = producer.nextSeq;
    // One producer per stream: every sequence number processed once or more means nothing is missing.
    await waitFor(() => tracker.received >= produced, 15_000, ctx.signal);
    return {
      fault,
      produced,
      lost: tracker.missing(producer.id, 0, produced).length,
      duplicates: tracker.duplicates,
      retriedAppends: producer.retries,
      extra: {
        ...extra,
        consumerErrors: consumers.reduce((s, c) => s + c.errors, 0),
        claimed: consumers.reduce((s, c) => s + c.claimed, 0),
      },
    };
  } finally {
    for (const c of consumers) await c.stop();
    await producer.client.del(key).catch(() => 0);
    producer.close();
  }
}

/** The consumer stops reading for faultMs; a replay from the time it stopped shows what XRANGE by time recovers. */
export function streamConsumerOffline(ctx: FaultContext, params: StreamFaultParams): Promise<StreamFaultCount> {
  return streamTrial('subscriber-offline', ctx, params, async (producer, consumers, _start, extra) => {
    const since = new Date();
    const first = producer.nextSeq;
    consumers[0]!.pause();
    await sleepMs(params.faultMs, ctx.signal);
    const end = producer.nextSeq;
    const replayed = await producer.stream.replayFromTime(since, 1_000_000);
    const seqs = new Set(replayed.map((e) => decodeBenchMessage(e.payload)?.seq ?? -1));
    let recovered = 0;
    for (let seq = first; seq < end; seq++) if (seqs.has(seq)) recovered += 1;
    extra.offlineProduced = end - first;
    extra.replayRecovered = recovered;
    consumers[0]!.resume();
  });
}

/**
 * The consumer dies between processing a batch and acknowledging it; a new consumer claims its
 * pending entries (XAUTOCLAIM).
 */
export function streamConsumerKilled(ctx: FaultContext, params: StreamFaultParams): Promise<StreamFaultCount> {
  return streamTrial('subscriber-killed', ctx, params, async (_producer, consumers, start, extra) => {
    await consumers[0]!.kill(5_000);
    await sleepMs(params.faultMs, ctx.signal);
    const next = await start('c1');
    // Entries idle for half the dead time: only the dead consumer's can be that old.
    extra.claimedFromDead = await next.claimStale(Math.max(1, Math.floor(params.faultMs / 2)));
  });
}

/**
 * The consumer becomes slower than the producer for faultMs: it falls behind but is never cut off
 * (pull, not push), and catches up once back at full speed.
 */
export function streamSlowConsumer(ctx: FaultContext, params: StreamFaultParams): Promise<StreamFaultCount> {
  return streamTrial('slow-subscriber', ctx, params, async (producer, consumers, _start, extra) => {
    const consumer = consumers[0]!;
    consumer.setPace({ batch: params.slowBatch, processDelayMs: params.slowDelayMs });
    const deadline = Date.now() + params.faultMs;
    let maxLag = 0;
    while (Date.now() < deadline && !ctx.signal.aborted) {
      maxLag = Math.max(maxLag, producer.nextSeq - consumer.processed);
      await sleepMs(10, ctx.signal);
    }
    extra.maxLag = Math.max(maxLag, producer.nextSeq - consumer.processed);
    consumer.setPace({ batch: consumer.options.batch, processDelayMs: 0 });
  });
}

/**
 * SIGKILL of redis-server (appendonly yes), restart faultMs later; the producer retries failed XADDs.
 * The AOF is compacted first: every trial's restart loads a file of the same small size.
 */
export function streamRedisKilled(ctx: FaultContext, params: StreamFaultParams): Promise<StreamFaultCount> {
  const managed = ctx.managed;
  if (managed === null) throw new Error('streamRedisKilled needs a managed Redis');
  return streamTrial('redis-killed', ctx, params, async (producer, _consumers, _start, extra) => {
    await compactAof(producer.client, ctx.signal);
    const before = Date.now();
    if (ctx.signal.aborted) return;
    await managed.kill();
    await sleepMs(params.faultMs, ctx.signal);
    await managed.restart();
    await whenReady(producer.client, 10_000);
    extra.downMs = Date.now() - before;
  });
}

/** Each fault on Streams by name. */
export const STREAM_FAULTS: Readonly<
  Record<PubsubFault, (ctx: FaultContext, params: StreamFaultParams) => Promise<StreamFaultCount>>
> = {
  'subscriber-offline': streamConsumerOffline,
  'subscriber-killed': streamConsumerKilled,
  'slow-subscriber': streamSlowConsumer,
  'redis-killed': streamRedisKilled,
};

/**
 * The faults of one trial in groups that run side by side: consumer offline, killed and slow, each on
 * a stream and connections of its own, count events and leave Redis alone; Redis killed (every client
 * sees it) runs alone.
 */
export const STREAM_FAULT_GROUPS: readonly (readonly PubsubFault[])[] = [
  ['subscriber-offline', 'subscriber-killed', 'slow-subscriber'],
  ['redis-killed'],
];
