import type { Redis } from 'ioredis';

export interface ClientLedgerOptions {
  /** How long close() waits for the socket to close after QUIT or disconnect before giving up. */
  readonly closeTimeoutMs: number;
}

export const DEFAULT_CLIENT_LEDGER_OPTIONS: ClientLedgerOptions = { closeTimeoutMs: 2_000 };

/** No socket left: ended, never connected, or its stream destroyed (a failed connect leaves 'reconnecting'). */
function socketClosed(client: Redis): boolean {
  const stream = client.stream as Redis['stream'] | undefined;
  return client.status === 'end' || stream === undefined || stream.destroyed;
}

function waitForEnd(client: Redis, timeoutMs: number): Promise<void> {
  if (socketClosed(client)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('end', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    client.once('end', done);
  });
}

/**
 * Counts the clients a scenario opens and the ones it saw closed, so a leak shows up as
 * opened != closed in the report instead of as a slow exhaustion of file descriptors.
 */
export class ClientLedger {
  private openedCount = 0;
  private closedCount = 0;
  private readonly options: ClientLedgerOptions;

  constructor(options: Partial<ClientLedgerOptions> = {}) {
    this.options = { ...DEFAULT_CLIENT_LEDGER_OPTIONS, ...options };
  }

  get opened(): number {
    return this.openedCount;
  }

  get closed(): number {
    return this.closedCount;
  }

  /** Call right after constructing a client, before anything can throw. */
  track(client: Redis): Redis {
    this.openedCount += 1;
    return client;
  }

  /**
   * QUIT when the connection is usable (the server answers, then closes), disconnect otherwise;
   * resolves true once the socket is gone. Never throws.
   */
  async close(client: Redis): Promise<boolean> {
    const ended = client.status === 'end';
    if (!ended) {
      try {
        if (client.status === 'ready') await client.quit();
        else client.disconnect();
      } catch {
        client.disconnect();
      }
      await waitForEnd(client, this.options.closeTimeoutMs);
      // A socket that outlived the timeout is destroyed: a benchmark must not leak it either way.
      if (!socketClosed(client)) client.disconnect();
    }
    const closed = socketClosed(client);
    if (closed) this.closedCount += 1;
    return closed;
  }
}
