/**
 * The clients of pubsub-latency: the bench publisher and listener for the rate x payload cells, and
 * the system under test (EventPublisher -> EventSubscriber) with its own paced SignalEvent cell.
 */
import { NS_PER_MS, NS_PER_S } from '../../bench/core/units.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import type { ScenarioContext } from '../../bench/run/scenario.ts';
import { EventPublisher } from '../../src/events/event-publisher.ts';
import type { SignalEvent } from '../../src/events/event-schemas.ts';
import { utcNow } from '../../src/events/event-schemas.ts';
import { EventSubscriber } from '../../src/events/event-subscriber.ts';
import { benchClient } from './bench-clients.ts';
import { benchNowNs } from './bench-message.ts';
import { BenchPublisher } from './paced-publisher.ts';
import { PubsubListener } from './pubsub-listener.ts';

export const CHANNEL = 'bench.latency';
export const SIGNAL_EVENT_METRIC = 'delivery.signal-event';

/** Shared with the delivery sinks: whether deliveries count now, and into which cell. */
export interface Recording {
  measuring: boolean;
  current: string | null;
}

/**
 * The clients: the bench publisher and listener for the cells, and the system under test
 * (EventPublisher on its own connection, EventSubscriber validating each event).
 */
export interface LatencyRig {
  readonly publisher: BenchPublisher;
  readonly listener: PubsubListener;
  readonly sutPublisher: EventPublisher;
  /** Send time (bench clock, ns) of each SignalEvent not yet received, by its num_signals id. */
  readonly sentAt: Map<number, number>;
  readonly nextId: { n: number };
  start(): Promise<void>;
  close(): void;
}

export async function openRig(context: ScenarioContext, recording: Recording): Promise<LatencyRig> {
  const { recorders } = context;
  const sinkRecorder = (delayNs: number): void => {
    if (recording.measuring && recording.current !== null) recorders.metric(recording.current).recordNs(delayNs);
  };
  const publisher = await BenchPublisher.open(context.target.url, 0, CHANNEL, { commandTimeoutMs: 5_000 });
  const listener = await PubsubListener.open(
    context.target.url,
    { name: 'rpb-bench-listener', channels: [CHANNEL], reconnect: true },
    sinkRecorder,
  ).catch((error: unknown) => {
    publisher.close();
    throw error;
  });
  const sutClient = benchClient(context.target.url, {
    name: 'rpb-event-publisher',
    offlineQueue: true,
    reconnectDelayMs: 50,
    commandTimeoutMs: 5_000,
  });
  const sentAt = new Map<number, number>();
  const sutSubscriber = new EventSubscriber(context.target.url, {
    channels: ['signals.generated'],
    onEvent: (event) => {
      const now = benchNowNs();
      if (event.event_type !== 'signals.generated') return;
      const sent = sentAt.get(event.num_signals);
      sentAt.delete(event.num_signals);
      if (sent !== undefined && recording.measuring) recorders.metric(SIGNAL_EVENT_METRIC).recordNs(now - sent);
    },
  });
  return {
    publisher,
    listener,
    sutPublisher: new EventPublisher(sutClient),
    sentAt,
    nextId: { n: 0 },
    start: async () => {
      await sutClient.connect();
      await sutSubscriber.start();
    },
    close: () => {
      listener.close();
      publisher.close();
      sutSubscriber.close();
      sutClient.disconnect();
    },
  };
}

export async function runSignalEventCell(
  context: ScenarioContext,
  publisher: EventPublisher,
  sentAt: Map<number, number>,
  rate: number,
  durationMs: number,
  nextId: { n: number },
): Promise<void> {
  const gapNs = NS_PER_S / rate;
  const total = Math.round((rate * durationMs) / 1000);
  const startNs = benchNowNs();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total && !context.signal.aborted; i++) {
    const waitMs = (startNs + i * gapNs - benchNowNs()) / NS_PER_MS;
    if (waitMs > 0) await sleepMs(waitMs, context.signal);
    const id = nextId.n++;
    const event: SignalEvent = {
      event_type: 'signals.generated',
      timestamp: utcNow(),
      strategy_id: 'bench',
      symbols: ['AAPL'],
      num_signals: id,
      as_of_date: '2025-01-17',
    };
    sentAt.set(id, benchNowNs());
    pending.push(publisher.publish(event));
  }
  await Promise.all(pending);
}
