import type { Redis } from 'ioredis';

/** The four ways a client can fetch a batch of keys, from most round trips to fewest. */
export const BATCH_FETCH_MODES = ['sequential', 'pipeline', 'mget', 'auto-pipeline'] as const;
export type BatchFetchMode = (typeof BATCH_FETCH_MODES)[number];

/** Two connections to the same Redis: a plain client and one with ioredis auto-pipelining on. */
export interface BatchClients {
  readonly plain: Redis;
  readonly autoPipelined: Redis;
}

async function pipelined(client: Redis, keys: readonly string[]): Promise<(Buffer | null)[]> {
  const pipeline = client.pipeline();
  for (const key of keys) pipeline.getBuffer(key);
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, value]) => {
    if (error !== null) throw error;
    return value as Buffer | null;
  });
}

/**
 * Fetches `keys` one way and returns the values in key order (null for a missing key):
 * - sequential: one GET after another, each awaited (the document's loop: one round trip each);
 * - pipeline: every GET written at once, one exec() (one round trip);
 * - mget: a single MGET command;
 * - auto-pipeline: every GET issued without awaiting, ioredis batches them on the next tick.
 */
export async function fetchBatch(
  mode: BatchFetchMode,
  clients: BatchClients,
  keys: readonly string[],
): Promise<(Buffer | null)[]> {
  switch (mode) {
    case 'sequential': {
      const values: (Buffer | null)[] = [];
      for (const key of keys) values.push(await clients.plain.getBuffer(key));
      return values;
    }
    case 'pipeline':
      return pipelined(clients.plain, keys);
    case 'mget':
      return clients.plain.mgetBuffer([...keys]);
    case 'auto-pipeline':
      return Promise.all(keys.map((key) => clients.autoPipelined.getBuffer(key)));
  }
}
