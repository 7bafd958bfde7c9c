import type { Redis } from 'ioredis';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import type { ConnectionPair } from './connection-figures.ts';
import { elapsedNs, nowNs } from '../../bench/measure/clock.ts';
import { waitUntilReady } from '../../bench/run/signal-system.ts';
import type { ClientLedger } from './client-ledger.ts';

/**
 * The service's cache options fail fast (100 ms command, 1 s connect); a measurement client must
 * not: on a loaded machine a slow connect is a figure to record, not a reason to abort the run.
 */
const MEASUREMENT_CLIENT = { commandTimeoutMs: 10_000, connectTimeoutMs: 10_000 } as const;

/** Latency metrics of one probe iteration. */
export const CONNECTION_METRICS = {
  newConnection: 'new-connection',
  connectOnly: 'connect-only',
  sharedClient: 'shared-client',
  pool: 'pool',
} as const;
export type ConnectionMetric = (typeof CONNECTION_METRICS)[keyof typeof CONNECTION_METRICS];

export interface ConnectionProbeSink {
  latency(metric: ConnectionMetric, ns: number): void;
  /** The iteration's new-connection and shared-client timings, when both succeeded. */
  pair(pair: ConnectionPair): void;
  anomaly(message: string): void;
}

export interface ConnectionProbeOptions {
  readonly redisUrl: string;
  /** A key holding `expected`; every GET is checked against it (untimed). */
  readonly key: string;
  readonly expected: Buffer;
  /** Long-lived clients used round-robin (the document's max_connections=10). */
  readonly poolSize: number;
  readonly readyTimeoutMs: number;
}

type Way = 'new' | 'shared' | 'pool';
/**
 * All six orders in turn: a plain rotation of one order would always put the same way right after
 * a per-request client's teardown (measured: that GET is slower), biasing the baseline.
 */
const ORDERS: readonly (readonly Way[])[] = [
  ['new', 'shared', 'pool'],
  ['shared', 'pool', 'new'],
  ['pool', 'new', 'shared'],
  ['new', 'pool', 'shared'],
  ['pool', 'shared', 'new'],
  ['shared', 'new', 'pool'],
];

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One GET of the same stored value three ways per iteration: on a connection opened for this
 * request alone, on one shared client, and on the next client of a pool. The order changes every
 * iteration, so no way always runs first or right after a connection was torn down.
 */
export class ConnectionProbe {
  private poolNext = 0;

  private constructor(
    private readonly options: ConnectionProbeOptions,
    private readonly ledger: ClientLedger,
    private readonly shared: Redis,
    private readonly pool: readonly Redis[],
  ) {}

  /**
   * Opens the shared client and the pool, ready and warm (one untimed GET each, so a trial's first
   * timed GET is not a connection's first command); on failure closes whatever it opened.
   */
  static async open(options: ConnectionProbeOptions, ledger: ClientLedger): Promise<ConnectionProbe> {
    const opened: Redis[] = [];
    try {
      const shared = ledger.track(
        createRedisClient(options.redisUrl, { ...MEASUREMENT_CLIENT, connectionName: 'rpb-shared-client' }),
      );
      opened.push(shared);
      for (let i = 0; i < options.poolSize; i += 1)
        opened.push(
          ledger.track(
            createRedisClient(options.redisUrl, { ...MEASUREMENT_CLIENT, connectionName: 'rpb-pool-client' }),
          ),
        );
      await Promise.all(opened.map((client) => waitUntilReady(client, options.readyTimeoutMs)));
      for (const client of opened) await client.getBuffer(options.key);
      return new ConnectionProbe(options, ledger, shared, opened.slice(1));
    } catch (error) {
      await Promise.all(opened.map((client) => ledger.close(client)));
      throw error;
    }
  }

  async iterate(iteration: number, sink: ConnectionProbeSink): Promise<void> {
    let newNs: number | null = null;
    let sharedNs: number | null = null;
    for (const way of ORDERS[iteration % ORDERS.length]) {
      if (way === 'new') newNs = await this.perRequest(sink);
      else if (way === 'shared') sharedNs = await this.timedGet(this.shared, CONNECTION_METRICS.sharedClient, sink);
      else {
        const client = this.pool[this.poolNext];
        this.poolNext = (this.poolNext + 1) % this.pool.length;
        await this.timedGet(client, CONNECTION_METRICS.pool, sink);
      }
    }
    if (newNs !== null && sharedNs !== null) sink.pair({ newConnectionNs: newNs, sharedClientNs: sharedNs });
  }

  async close(): Promise<void> {
    await Promise.all([this.shared, ...this.pool].map((client) => this.ledger.close(client)));
  }

  /** Construct, connect (TCP + ioredis handshake + ready check), GET: the whole request is timed; closing is not. */
  private async perRequest(sink: ConnectionProbeSink): Promise<number | null> {
    const start = nowNs();
    const client = this.ledger.track(
      createRedisClient(this.options.redisUrl, {
        ...MEASUREMENT_CLIENT,
        lazyConnect: true,
        connectionName: 'rpb-per-request',
      }),
    );
    try {
      const connectStart = nowNs();
      await client.connect();
      const connectNs = elapsedNs(connectStart);
      const value = await client.getBuffer(this.options.key);
      const totalNs = elapsedNs(start);
      if (!this.check(value, 'new connection', sink)) return null;
      sink.latency(CONNECTION_METRICS.connectOnly, connectNs);
      sink.latency(CONNECTION_METRICS.newConnection, totalNs);
      return totalNs;
    } catch (error) {
      sink.anomaly(`new-connection request failed: ${describeError(error)}; sample dropped`);
      return null;
    } finally {
      if (!(await this.ledger.close(client))) sink.anomaly('a per-request client did not close within the timeout');
    }
  }

  private async timedGet(client: Redis, metric: ConnectionMetric, sink: ConnectionProbeSink): Promise<number | null> {
    try {
      const start = nowNs();
      const value = await client.getBuffer(this.options.key);
      const ns = elapsedNs(start);
      if (!this.check(value, metric, sink)) return null;
      sink.latency(metric, ns);
      return ns;
    } catch (error) {
      sink.anomaly(`${metric} GET failed: ${describeError(error)}; sample dropped`);
      return null;
    }
  }

  private check(value: Buffer | null, what: string, sink: ConnectionProbeSink): boolean {
    if (value !== null && value.equals(this.options.expected)) return true;
    sink.anomaly(
      `${what} GET of ${this.options.key} returned ${value === null ? 'nothing' : `${value.length} other bytes`}; sample dropped`,
    );
    return false;
  }
}
