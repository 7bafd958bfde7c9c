import type { Redis } from 'ioredis';
import type { RespConnection } from './resp-connection.ts';

/*
 * Which connection a command operation sends its next command on: the one with the fewest
 * commands pending, so that "pipeline depth" holds per connection.
 */

/**
 * The index of the connection with the fewest commands pending, starting after `last`. With the
 * load engine's in-flight bound at connections x depth, no connection then ever holds more than
 * `depth` pending commands (if all held depth, the bound would be full), so "pipeline depth" is
 * exact per connection.
 */
function fewestPending(count: number, last: number, pendingOf: (index: number) => number): number {
  let best = (last + 1) % count;
  for (let step = 1; step < count; step++) {
    const candidate = (last + 1 + step) % count;
    if (pendingOf(candidate) < pendingOf(best)) best = candidate;
  }
  return best;
}

/** ioredis clients, picked by fewestPending, counting their pending commands here. */
export class ClientPicker {
  private readonly pending: number[];
  private last = -1;

  constructor(private readonly clients: readonly Redis[]) {
    this.pending = clients.map(() => 0);
  }

  private readonly pendingOf = (index: number): number => this.pending[index];

  acquire(): number {
    this.last = fewestPending(this.clients.length, this.last, this.pendingOf);
    this.pending[this.last] += 1;
    return this.last;
  }

  release(index: number): void {
    this.pending[index] -= 1;
  }

  client(index: number): Redis {
    return this.clients[index];
  }
}

/**
 * fewestPending over lean connections, read from their own queues: a command needs nothing
 * chained to release it. A closed connection (it never reconnects) is never picked: with nothing
 * pending it would otherwise draw most commands and fail them all; it is picked only when every
 * connection is closed, and its send then fails with why it closed.
 */
export function respPicker(connections: readonly RespConnection[]): () => RespConnection {
  let last = -1;
  const pendingOf = (index: number): number =>
    connections[index].closed ? Number.POSITIVE_INFINITY : connections[index].pending;
  return () => {
    last = fewestPending(connections.length, last, pendingOf);
    return connections[last];
  };
}
