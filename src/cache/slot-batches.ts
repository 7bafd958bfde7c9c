import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import { keySlot } from '../redis/key-slot.ts';

/** A standalone (or Sentinel-managed) connection, or a Redis Cluster client. */
export type CacheRedisClient = Redis | Cluster;

export function isClusterClient(client: CacheRedisClient): client is Cluster {
  return client.isCluster;
}

/** Commands for one key, added to a pipeline (one command each, so results stay aligned). */
export type KeyedCommand = (pipeline: ChainableCommander) => void;

export type PipelineResults = [Error | null, unknown][];

/** Indices of `keys` grouped by slot, and the slots grouped by the nodes that serve them. */
export interface SlotGroups {
  /** One entry per node set (master and its replicas) in the client's current slot map. */
  readonly byOwner: ReadonlyMap<string, ReadonlyMap<number, readonly number[]>>;
  readonly slotCount: number;
}

/**
 * Groups key indices by slot, then by the node set that serves the slot (ioredis's own pipeline
 * rule: one pipeline may span slots only if one node set serves them all). A slot missing from the
 * map (cluster not ready yet) is its own group; ioredis then routes it by MOVED.
 */
export function groupBySlotOwner(cluster: Cluster, keys: readonly string[]): SlotGroups {
  const byOwner = new Map<string, Map<number, number[]>>();
  let slotCount = 0;
  keys.forEach((key, index) => {
    const slot = keySlot(key);
    const nodes = cluster.slots[slot];
    const owner = nodes === undefined || nodes.length === 0 ? `unassigned:${slot}` : nodes.join(';');
    let slots = byOwner.get(owner);
    if (slots === undefined) byOwner.set(owner, (slots = new Map()));
    let indices = slots.get(slot);
    if (indices === undefined) {
      slots.set(slot, (indices = []));
      slotCount += 1;
    }
    indices.push(index);
  });
  return { byOwner, slotCount };
}

/**
 * MGET that never fails with CROSSSLOT: one MGET on a standalone server; on a cluster one MGET per
 * slot, the slots of one node sent as one pipeline, the nodes in parallel. Aligned with `keys`.
 * Rejects with the first error (connection, timeout, MOVED left unresolved).
 */
export async function mgetBuffers(client: CacheRedisClient, keys: readonly string[]): Promise<(Buffer | null)[]> {
  if (keys.length === 0) return [];
  if (!isClusterClient(client)) return client.mgetBuffer([...keys]);
  const values: (Buffer | null)[] = new Array<Buffer | null>(keys.length).fill(null);
  const { byOwner } = groupBySlotOwner(client, keys);
  await Promise.all(
    [...byOwner.values()].map(async (slots) => {
      const pipeline = client.pipeline();
      const groups = [...slots.values()];
      for (const indices of groups) pipeline.mgetBuffer(indices.map((i) => keys[i]));
      const results = await execOrThrow(pipeline);
      groups.forEach((indices, g) => {
        const [error, reply] = results[g];
        if (error !== null) throw error;
        indices.forEach((keyIndex, j) => {
          values[keyIndex] = (reply as (Buffer | null)[])[j] ?? null;
        });
      });
    }),
  );
  return values;
}

/**
 * Runs one command per key in as few round trips as the topology allows: one pipeline on a
 * standalone server, one pipeline per node set on a cluster. Results are aligned with `keys`, each
 * [error, reply] as ioredis's pipeline gives them; only a failed round trip rejects.
 */
export async function pipelineByKey(
  client: CacheRedisClient,
  keys: readonly string[],
  command: (index: number) => KeyedCommand,
): Promise<PipelineResults> {
  if (keys.length === 0) return [];
  if (!isClusterClient(client)) {
    const pipeline = client.pipeline();
    keys.forEach((_, i) => command(i)(pipeline));
    return execOrThrow(pipeline);
  }
  const results: PipelineResults = new Array(keys.length);
  const { byOwner } = groupBySlotOwner(client, keys);
  await Promise.all(
    [...byOwner.values()].map(async (slots) => {
      const order = [...slots.values()].flat();
      const pipeline = client.pipeline();
      for (const i of order) command(i)(pipeline);
      const replies = await execOrThrow(pipeline);
      order.forEach((keyIndex, j) => {
        results[keyIndex] = replies[j];
      });
    }),
  );
  return results;
}

/** UNLINK of many keys without CROSSSLOT: one UNLINK per slot on a cluster. Returns the count removed. */
export async function unlinkKeys(client: CacheRedisClient, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  if (!isClusterClient(client)) return client.unlink([...keys]);
  let removed = 0;
  const { byOwner } = groupBySlotOwner(client, keys);
  await Promise.all(
    [...byOwner.values()].map(async (slots) => {
      const pipeline = client.pipeline();
      for (const indices of slots.values()) pipeline.unlink(indices.map((i) => keys[i]));
      for (const [error, reply] of await execOrThrow(pipeline)) {
        if (error !== null) throw error;
        removed += reply as number;
      }
    }),
  );
  return removed;
}

/** Where a SCAN must run to see every key: the server itself, or every master of a cluster. */
export function scanTargets(client: CacheRedisClient): Redis[] {
  return isClusterClient(client) ? client.nodes('master') : [client];
}

async function execOrThrow(pipeline: ChainableCommander): Promise<PipelineResults> {
  const results = await pipeline.exec();
  if (results === null) throw new Error('pipeline was discarded');
  return results;
}
