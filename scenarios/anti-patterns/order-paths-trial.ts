/**
 * Anti-pattern 4, pub/sub for critical commands: the same orders sent by PUBLISH on execute_order
 * (no execution service subscribes) and by HTTP POST to the execution service; and the pub/sub
 * example's `num_subscribers = publisher.publish_signal_event(event)` checked with 0, 1 and 3
 * subscribers listening.
 */
import { Redis } from 'ioredis';
import type { EventPublisher } from '../../src/events/event-publisher.ts';
import { utcNow } from '../../src/events/event-schemas.ts';
import { waitFor } from '../../bench/run/scenario-kit.ts';
import { nowNs } from '../../bench/measure/clock.ts';
import type { OrderOutcome, PublishCheck } from './anti-pattern-figures.ts';
import { ORDER_CHANNEL, postOrder } from './order-service.ts';
import type { Order, OrderService } from './order-service.ts';

/** How long the ledger is given to show an order a subscriber might still be executing. */
const SETTLE_MS = 20;
const DELIVERY_TIMEOUT_MS = 1_000;
export const SIGNAL_CHANNEL = 'signals.generated';
/** The subscriber counts the publish-count check visits, rotated from trial to trial. */
export const SUBSCRIBER_COUNTS = [0, 1, 3] as const;

function orders(trial: number, path: string, count: number): Order[] {
  return Array.from({ length: count }, (_, i) => ({
    order_id: `t${trial}-${path}-${i}`,
    symbol: 'AAPL',
    side: i % 2 === 0 ? 'buy' : 'sell',
    qty: 100,
  }));
}

export interface PathRun {
  readonly outcome: OrderOutcome;
  /** Sum of PUBLISH replies (receivers); null for the HTTP path. */
  readonly receivers: number | null;
}

/** `publisher.publish("execute_order", order_data)` for each order; nothing confirms. */
export async function publishOrders(
  publisher: Redis,
  service: OrderService,
  trial: number,
  count: number,
  record: (ns: number) => void,
): Promise<PathRun> {
  const sent = orders(trial, 'pubsub', count);
  let receivers = 0;
  for (const order of sent) {
    const startNs = nowNs();
    receivers += await publisher.publish(ORDER_CHANNEL, JSON.stringify(order));
    record(Number(nowNs() - startNs));
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const executed = sent.filter((o) => service.ledger.has(o.order_id)).length;
  return { outcome: { sent: sent.length, confirmed: 0, executed }, receivers };
}

/** `await http_client.post("/api/v1/orders", order_data)` for each order. */
export async function postOrders(
  service: OrderService,
  trial: number,
  count: number,
  signal: AbortSignal,
  record: (ns: number) => void,
): Promise<PathRun> {
  const sent = orders(trial, 'http', count);
  let confirmed = 0;
  for (const order of sent) {
    const startNs = nowNs();
    if (await postOrder(service.url, order, signal)) confirmed += 1;
    record(Number(nowNs() - startNs));
  }
  const executed = sent.filter((o) => service.ledger.has(o.order_id)).length;
  return { outcome: { sent: sent.length, confirmed, executed }, receivers: null };
}

/** Subscriber connections that count, per event (num_signals tells events apart), how many of them got it. */
export class SignalSubscribers {
  readonly #received = new Map<number, number>();

  private constructor(private readonly clients: readonly Redis[]) {
    for (const client of clients) {
      client.on('message', (_channel: string, message: string) => {
        let n = -1;
        try {
          n = (JSON.parse(message) as { num_signals?: number }).num_signals ?? -1;
        } catch {
          // Not one of ours: counted under -1, which no check asks for.
        }
        this.#received.set(n, (this.#received.get(n) ?? 0) + 1);
      });
    }
  }

  static async open(url: string, count: number): Promise<SignalSubscribers> {
    const clients: Redis[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const client = new Redis(url, { connectionName: `rpb-anti-patterns-sub-${i}`, lazyConnect: true });
        client.on('error', () => {});
        clients.push(client);
        await client.connect();
      }
    } catch (error) {
      for (const client of clients) client.disconnect();
      throw error;
    }
    return new SignalSubscribers(clients);
  }

  get size(): number {
    return this.clients.length;
  }

  /** The first `k` subscribe to the channel, the others unsubscribe; resolves when Redis confirmed each. */
  async listen(k: number): Promise<void> {
    await Promise.all(
      this.clients.map((client, i) => (i < k ? client.subscribe(SIGNAL_CHANNEL) : client.unsubscribe(SIGNAL_CHANNEL))),
    );
  }

  received(n: number): number {
    return this.#received.get(n) ?? 0;
  }

  close(): void {
    for (const client of this.clients) client.disconnect();
  }
}

let eventNumber = 0;

/**
 * For each subscriber count (rotated by `trial`), that many subscribers listen and `events` signal
 * events are published through src's EventPublisher; each publish's reply is compared with the
 * listeners, and the deliveries are awaited (bounded) and counted.
 */
export async function checkPublishCounts(
  publisher: EventPublisher,
  subscribers: SignalSubscribers,
  trial: number,
  events: number,
  signal: AbortSignal,
): Promise<PublishCheck[]> {
  const checks: PublishCheck[] = [];
  // The warm-up is trial -1: the rotation must stay in range (JS `%` keeps the sign), or the warm-up
  // would listen with no subscriber count and wait out the delivery timeout for every event.
  const counts = SUBSCRIBER_COUNTS.length;
  const order = SUBSCRIBER_COUNTS.map((_, i) => SUBSCRIBER_COUNTS[(((i + trial) % counts) + counts) % counts]!);
  for (const k of order) {
    await subscribers.listen(Math.min(k, subscribers.size));
    for (let e = 0; e < events && !signal.aborted; e++) {
      const n = (eventNumber += 1);
      const returned = await publisher.publishSignalEvent({
        event_type: 'signals.generated',
        timestamp: utcNow(),
        strategy_id: 'alpha_baseline',
        symbols: ['AAPL', 'MSFT'],
        num_signals: n,
        as_of_date: '2025-01-17',
      });
      // Wait for k deliveries; with k = 0 a short wait still catches a delivery nobody should get.
      await waitFor(
        () => subscribers.received(n) >= Math.max(k, 1),
        k === 0 ? SETTLE_MS : DELIVERY_TIMEOUT_MS,
        signal,
        1,
      );
      checks.push({ returned, listening: k, received: subscribers.received(n) });
    }
  }
  await subscribers.listen(0);
  return checks;
}
