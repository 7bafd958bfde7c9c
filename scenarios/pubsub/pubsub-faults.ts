import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { compactAof } from './aof-compaction.ts';
import { whenReady } from './bench-clients.ts';
import { BenchPublisher, FAILED } from './paced-publisher.ts';
import { PubsubListener } from './pubsub-listener.ts';
import { waitFor } from '../../bench/run/scenario-kit.ts';

export type PubsubFault = 'subscriber-offline' | 'subscriber-killed' | 'slow-subscriber' | 'redis-killed';

/**
 * The faults of one trial in groups that run side by side: subscriber offline and killed, each on its
 * own connections and channel, count events and leave Redis alone; the slow subscriber (its PUBLISH
 * round trips are timed) and Redis killed (every client sees it) run alone.
 */
export const PUBSUB_FAULT_GROUPS: readonly (readonly PubsubFault[])[] = [
  ['subscriber-offline', 'subscriber-killed'],
  ['slow-subscriber'],
  ['redis-killed'],
];

/** Events of one fault trial, by what the publisher was told about each lost one. */
export interface FaultCount {
  readonly fault: PubsubFault;
  readonly published: number;
  readonly lost: number;
  /** Lost although PUBLISH replied >= 1: Redis had queued it for the subscriber; the publisher had no sign. */
  readonly lostSilently: number;
  /** Lost with a PUBLISH reply of 0: nobody subscribed at that moment (the publisher could tell). */
  readonly lostNoSubscriber: number;
  /** PUBLISH failed (Redis down): the publisher knew the event was not sent. */
  readonly publishFailed: number;
  /** Events of the fault window (offline, dead, stalled, down) and how many of them were lost. */
  readonly windowPublished: number;
  readonly windowLost: number;
  readonly duplicates: number;
  /** Fault-specific figures (the stalled subscriber's drop, publish round trips). */
  readonly extra: Readonly<Record<string, number>>;
}

export interface FaultContext {
  readonly url: string;
  readonly signal: AbortSignal;
  readonly managed: ManagedRedis | null;
  /** A distinct publisher id and channel per trial keep every trial's sequence numbers apart. */
  readonly trial: number;
}

export interface PubsubFaultParams {
  readonly ratePerSec: number;
  readonly payloadBytes: number;
  /**
   * Steady publishing before and after each fault, in events: before, until the subscriber has
   * received this many; after, until the subscriber (the new one, or the one back) has received this many more.
   */
  readonly settleEvents: number;
  /** How long the subscriber stays offline / dead, or Redis stays down. */
  readonly faultMs: number;
  /** Slow subscriber: payload of the burst that fills its output buffer, and bounds of that burst. */
  readonly slowPayloadBytes: number;
  readonly slowMaxMs: number;
  readonly slowNormalCount: number;
}

/** Longest wait for a settle phase; a subscriber that gets nothing in this time shows up as losses. */
export const SETTLE_TIMEOUT_MS = 5_000;

/** Waits until `listener` has received `count` more events than it had when called. */
function receivedMore(listener: PubsubListener, count: number, signal: AbortSignal): Promise<boolean> {
  const base = listener.tracker.received;
  return waitFor(() => listener.tracker.received >= base + count, SETTLE_TIMEOUT_MS, signal);
}

function lossOf(
  fault: PubsubFault,
  publisher: BenchPublisher,
  listeners: readonly PubsubListener[],
  windowStart: number,
  windowEnd: number,
  extra: Record<string, number> = {},
): FaultCount {
  let lost = 0;
  let lostSilently = 0;
  let lostNoSubscriber = 0;
  let publishFailed = 0;
  let windowLost = 0;
  for (let seq = 0; seq < publisher.nextSeq; seq++) {
    if (listeners.some((l) => l.tracker.has(publisher.id, seq))) continue;
    const reply = publisher.reply(seq);
    lost += 1;
    if (seq >= windowStart && seq < windowEnd) windowLost += 1;
    if (reply === FAILED) publishFailed += 1;
    else if (reply === 0) lostNoSubscriber += 1;
    else if (reply > 0) lostSilently += 1;
  }
  return {
    fault,
    published: publisher.nextSeq,
    lost,
    lostSilently,
    lostNoSubscriber,
    publishFailed,
    windowPublished: windowEnd - windowStart,
    windowLost,
    duplicates: listeners.reduce((sum, l) => sum + l.tracker.duplicates, 0),
    extra,
  };
}

/**
 * Publishes at a steady rate while `during` injects a fault; `during` returns the fault window's
 * sequence numbers. Every connection is closed on every path.
 */
async function steadyWithFault(
  fault: PubsubFault,
  ctx: FaultContext,
  params: PubsubFaultParams,
  during: (
    publisher: BenchPublisher,
    listeners: PubsubListener[],
    open: () => Promise<PubsubListener>,
  ) => Promise<[number, number]>,
): Promise<FaultCount> {
  const channel = `bench.loss.${fault}.${ctx.trial}`;
  const listeners: PubsubListener[] = [];
  const open = async (): Promise<PubsubListener> => {
    const l = await PubsubListener.open(ctx.url, {
      name: `rpb-loss-sub-${listeners.length}`,
      channels: [channel],
      reconnect: fault === 'redis-killed' || fault === 'slow-subscriber',
    });
    listeners.push(l);
    return l;
  };
  const publisher = await BenchPublisher.open(ctx.url, ctx.trial, channel, { commandTimeoutMs: 2_000 });
  let stop = false;
  try {
    await open();
    const running = publisher.paced({
      ratePerSec: params.ratePerSec,
      durationMs: 600_000,
      payloadBytes: params.payloadBytes,
      signal: ctx.signal,
      stopWhen: () => stop,
    });
    let window: [number, number] = [0, 0];
    try {
      await receivedMore(listeners[0]!, params.settleEvents, ctx.signal);
      window = await during(publisher, listeners, open);
      await receivedMore(listeners[listeners.length - 1]!, params.settleEvents, ctx.signal);
    } finally {
      stop = true;
      await running;
    }
    const end = publisher.nextSeq;
    // Deliveries still on their way are not losses.
    await waitFor(() => listeners.some((l) => !l.closed && l.tracker.has(publisher.id, end - 1)), 2_000, ctx.signal);
    return lossOf(fault, publisher, listeners, window[0], window[1]);
  } finally {
    for (const l of listeners) l.close();
    publisher.close();
  }
}

/** The subscriber disconnects cleanly (QUIT), stays away faultMs, then a new one subscribes. */
export function subscriberOffline(ctx: FaultContext, params: PubsubFaultParams): Promise<FaultCount> {
  return steadyWithFault('subscriber-offline', ctx, params, async (publisher, listeners, open) => {
    await listeners[0]!.client.quit().catch(() => undefined);
    listeners[0]!.close();
    // After QUIT's reply: every later PUBLISH reaches Redis after the subscriber is gone.
    const start = publisher.nextSeq;
    await sleepMs(params.faultMs, ctx.signal);
    const end = publisher.nextSeq;
    await open();
    return [start, end];
  });
}

/** The subscriber's process dies (its socket destroyed, unread data gone); a new one starts faultMs later. */
export function subscriberKilled(ctx: FaultContext, params: PubsubFaultParams): Promise<FaultCount> {
  return steadyWithFault('subscriber-killed', ctx, params, async (publisher, listeners, open) => {
    const start = publisher.nextSeq;
    listeners[0]!.kill();
    await sleepMs(params.faultMs, ctx.signal);
    const end = publisher.nextSeq;
    await open();
    return [start, end];
  });
}

/**
 * SIGKILL of redis-server mid-stream, restart faultMs later on the same port; clients reconnect by
 * themselves. With the AOF on (streams-vs-pubsub), it is compacted first, as for Streams.
 */
export function redisKilled(ctx: FaultContext, params: PubsubFaultParams): Promise<FaultCount> {
  const managed = ctx.managed;
  if (managed === null) throw new Error('redisKilled needs a managed Redis');
  return steadyWithFault('redis-killed', ctx, params, async (publisher, listeners) => {
    await compactAof(publisher.client, ctx.signal);
    const start = publisher.nextSeq;
    // An interrupted run must not leave Redis killed half-way through a fault.
    if (ctx.signal.aborted) return [start, start];
    await managed.kill();
    await sleepMs(params.faultMs, ctx.signal);
    await managed.restart();
    await listeners[0]!.whenBack(10_000);
    await whenReady(publisher.client, 10_000);
    return [start, publisher.nextSeq];
  });
}

/** The slow subscriber's counts with the PUBLISH round trips while it read and while it was stalled. */
export type SlowSubscriberCount = FaultCount & { readonly rttReadingNs: number[]; readonly rttStalledNs: number[] };

/**
 * A subscriber that stops reading: the kernel buffers fill, then Redis's output buffer for it, and
 * Redis drops it at client-output-buffer-limit pubsub. The publisher bursts meanwhile; its PUBLISH
 * round trips with the subscriber reading and stalled show whether it ever waits for a subscriber.
 */
export async function slowSubscriber(ctx: FaultContext, params: PubsubFaultParams): Promise<SlowSubscriberCount> {
  const channel = `bench.loss.slow-subscriber.${ctx.trial}`;
  const publisher = await BenchPublisher.open(ctx.url, ctx.trial, channel, { commandTimeoutMs: 5_000 });
  const listeners: PubsubListener[] = [];
  const rttReadingNs: number[] = [];
  const rttStalledNs: number[] = [];
  try {
    const listener = await PubsubListener.open(ctx.url, { name: 'rpb-slow-sub', channels: [channel], reconnect: true });
    listeners.push(listener);
    let drops = 0;
    listener.client.on('close', () => (drops += 1));
    const burst = { window: 32, payloadBytes: params.slowPayloadBytes, signal: ctx.signal };
    const reading = await publisher.burst({
      ...burst,
      count: params.slowNormalCount,
      maxDurationMs: params.slowMaxMs,
      onReplyNs: (ns) => rttReadingNs.push(ns),
    });
    await waitFor(() => listener.tracker.has(publisher.id, reading.endSeq - 1), 5_000, ctx.signal);
    listener.stall();
    const zeroBefore = publisher.zeroReplies;
    const stalled = await publisher.burst({
      ...burst,
      count: 2_000_000,
      maxDurationMs: params.slowMaxMs,
      onReplyNs: (ns) => rttStalledNs.push(ns),
      stopWhen: () => publisher.zeroReplies > zeroBefore,
    });
    const dropped = publisher.zeroReplies > zeroBefore ? 1 : 0;
    listener.unstall();
    // The drop is seen only once the buffered messages before it are read.
    if (dropped === 1) await waitFor(() => drops > 0, 10_000, ctx.signal);
    await listener.whenBack(10_000);
    // A few events after the subscriber is back, to show it resubscribed.
    const after = await publisher.burst({ ...burst, count: 100, maxDurationMs: 2_000 });
    await waitFor(() => listener.tracker.has(publisher.id, after.endSeq - 1), 3_000, ctx.signal);
    const count = lossOf('slow-subscriber', publisher, listeners, stalled.firstSeq, stalled.endSeq, {
      dropped,
      connectionDrops: drops,
      stalledPublishes: stalled.endSeq - stalled.firstSeq,
      stalledBytes: (stalled.endSeq - stalled.firstSeq) * params.slowPayloadBytes,
      receivedAfterReturn:
        after.endSeq - after.firstSeq - listener.tracker.missing(publisher.id, after.firstSeq, after.endSeq).length,
    });
    return { ...count, rttReadingNs, rttStalledNs };
  } finally {
    for (const l of listeners) l.close();
    publisher.close();
  }
}

/** Each fault by name (the slow subscriber's count also holds its PUBLISH round trips). */
export const PUBSUB_FAULTS: Readonly<
  Record<PubsubFault, (ctx: FaultContext, params: PubsubFaultParams) => Promise<FaultCount>>
> = {
  'subscriber-offline': subscriberOffline,
  'subscriber-killed': subscriberKilled,
  'slow-subscriber': slowSubscriber,
  'redis-killed': redisKilled,
};
