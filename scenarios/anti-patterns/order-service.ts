/**
 * The order execution service of anti-pattern 4's good code (`http_client.post("/api/v1/orders",
 * order_data)`): a loopback HTTP endpoint that executes an order (records it in its ledger) and
 * confirms it with 201 and the order's id. It can also take orders from the pub/sub channel of the
 * bad code, when something subscribes it there; in the anti-pattern nothing does.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ORDERS_PATH = '/api/v1/orders';
/** The document's bad code: `publisher.publish("execute_order", order_data)`. */
export const ORDER_CHANNEL = 'execute_order';
const MAX_BODY_BYTES = 64 * 1024;

export interface Order {
  readonly order_id: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
}

export class OrderService {
  /** Order ids executed, by whichever path they came. */
  readonly ledger = new Set<string>();

  readonly #server: Server = createServer((request, response) => this.handle(request, response));
  #url = '';

  private constructor() {
    this.#server.keepAliveTimeout = 5_000;
  }

  /** http://127.0.0.1:port once started. */
  get url(): string {
    return this.#url;
  }

  static async start(): Promise<OrderService> {
    const service = new OrderService();
    const server = service.#server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    service.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return service;
  }

  /** Executes an order once (a second delivery of the same id is not a second execution). */
  execute(order: Order): void {
    this.ledger.add(order.order_id);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'POST' || request.url !== ORDERS_PATH) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const order = parseOrder(Buffer.concat(chunks).toString('utf8'));
      if (bytes > MAX_BODY_BYTES || order === null) {
        response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid order"}');
        return;
      }
      this.execute(order);
      response
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ order_id: order.order_id, status: 'executed' }));
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}

export function parseOrder(text: string): Order | null {
  try {
    const value = JSON.parse(text) as Partial<Order>;
    if (typeof value.order_id !== 'string' || value.order_id === '') return null;
    if (typeof value.symbol !== 'string' || (value.side !== 'buy' && value.side !== 'sell')) return null;
    if (!Number.isInteger(value.qty) || (value.qty ?? 0) <= 0) return null;
    return value as Order;
  } catch {
    return null;
  }
}

/** POSTs an order; true when the service confirmed it (201 naming the same order id). */
export async function postOrder(url: string, order: Order, signal: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch(`${url}${ORDERS_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(order),
      signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
    });
    const body = (await response.json().catch(() => null)) as { order_id?: unknown } | null;
    return response.status === 201 && body?.order_id === order.order_id;
  } catch {
    return false;
  }
}
