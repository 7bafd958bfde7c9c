import type { Redis } from 'ioredis';
import { benchClient, settleAll } from './bench-clients.ts';

/** How "Add consumer groups for scalability" is measured: one backlog drained by 1 consumer and by k. */
export interface ConsumerScalingParams {
  /** Entries in the backlog each arm drains. */
  readonly scalingBacklog: number;
  /** Consumers in the group of the wide arm (the narrow arm has one). */
  readonly scalingConsumers: number;
  /** Per-entry work of a consumer: a wait, like the downstream call the document's subscriber makes. */
  readonly scalingWorkMs: number;
}

/** One trial: the same backlog drained once by one consumer and once by k, each on a stream of its own. */
export interface ConsumerScalingTrial {
  readonly oneConsumerMs: number;
  readonly manyConsumersMs: number;
  /** oneConsumerMs / manyConsumersMs; NaN when an arm lost or repeated an entry (the trial failed). */
  readonly speedup: number;
  /** Entries handed to more than one consumer, both arms together (a group hands each to one). */
  readonly duplicates: number;
  /** Entries of the backlog no consumer processed, both arms together. */
  readonly missing: number;
  /** Entries each consumer of the wide arm processed (the share the group gave it). */
  readonly perConsumer: readonly number[];
}

const READ_COUNT = 10;
const GROUP = 'rpb-scaling';

interface ArmResult {
  readonly ms: number;
  readonly duplicates: number;
  readonly missing: number;
  readonly perConsumer: readonly number[];
}

type XReadGroupReply = [string, [string, string[]][]][] | null;

/** One consumer of the group: reads new entries in batches, waits workMs per entry, acknowledges the batch. */
async function drain(
  client: Redis,
  stream: string,
  name: string,
  workMs: number,
  seen: Map<string, number>,
  signal: AbortSignal,
): Promise<number> {
  let processed = 0;
  while (!signal.aborted) {
    const reply = (await client.xreadgroup(
      'GROUP',
      GROUP,
      name,
      'COUNT',
      READ_COUNT,
      'STREAMS',
      stream,
      '>',
    )) as XReadGroupReply;
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length === 0) return processed;
    for (const [id] of entries) {
      await new Promise((resolve) => setTimeout(resolve, workMs));
      seen.set(id, (seen.get(id) ?? 0) + 1);
      processed += 1;
    }
    await client.xack(stream, GROUP, ...entries.map(([id]) => id));
  }
  return processed;
}

async function arm(
  url: string,
  stream: string,
  consumers: number,
  params: ConsumerScalingParams,
  signal: AbortSignal,
): Promise<ArmResult> {
  const clients = Array.from({ length: consumers + 1 }, (_, i) =>
    benchClient(url, { name: `rpb-scaling-${i}`, offlineQueue: true, reconnectDelayMs: false }),
  );
  const [producer, ...readers] = clients as [Redis, ...Redis[]];
  try {
    await settleAll(clients.map((c) => c.connect()));
    await producer.del(stream);
    const pipeline = producer.pipeline();
    for (let i = 0; i < params.scalingBacklog; i++) pipeline.xadd(stream, '*', 'n', String(i));
    await pipeline.exec();
    await producer.xgroup('CREATE', stream, GROUP, '0');
    const seen = new Map<string, number>();
    const started = performance.now();
    const perConsumer = await settleAll(
      readers.map((reader, i) => drain(reader, stream, `c${i}`, params.scalingWorkMs, seen, signal)),
    );
    const ms = performance.now() - started;
    await producer.del(stream);
    let duplicates = 0;
    for (const count of seen.values()) duplicates += count - 1;
    return { ms, duplicates, missing: params.scalingBacklog - seen.size, perConsumer };
  } finally {
    for (const client of clients) client.disconnect();
  }
}

/** The two arms of one trial, in the order the trial's parity gives (so neither always runs first). */
export async function consumerScalingTrial(
  url: string,
  params: ConsumerScalingParams,
  trial: number,
  signal: AbortSignal,
): Promise<ConsumerScalingTrial> {
  const stream = (width: number): string => `rpb:streams-vs-pubsub:scaling:${trial}:${width}`;
  const narrow = (): Promise<ArmResult> => arm(url, stream(1), 1, params, signal);
  const wide = (): Promise<ArmResult> =>
    arm(url, stream(params.scalingConsumers), params.scalingConsumers, params, signal);
  const one = trial % 2 === 0 ? await narrow() : undefined;
  const many = await wide();
  const single = one ?? (await narrow());
  const duplicates = single.duplicates + many.duplicates;
  const missing = single.missing + many.missing;
  return {
    oneConsumerMs: single.ms,
    manyConsumersMs: many.ms,
    speedup: duplicates === 0 && missing === 0 && !signal.aborted ? single.ms / many.ms : Number.NaN,
    duplicates,
    missing,
    perConsumer: many.perConsumer,
  };
}
