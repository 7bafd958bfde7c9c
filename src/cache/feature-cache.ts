import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import type { CodecLookup, DecodeFailureReason, FeatureCodec } from './codec.ts';
import { ALPHA158_LENGTH, decodeValue, encodeValue } from './codec.ts';
import { createDefaultCodecRegistry } from './codec-registry.ts';
import { featureKey, featureKeyPattern } from './feature-key.ts';
import { jsonCodec } from './json-codec.ts';
import { jitteredTtlSeconds } from './ttl-jitter.ts';
import { mgetBuffers, pipelineByKey, scanTargets, unlinkKeys } from './slot-batches.ts';

export interface FeatureCacheOptions {
  /** A standalone or Sentinel-managed Redis, or a Cluster (batches are then split by slot: never CROSSSLOT). */
  readonly client: Redis | Cluster;
  /** Writes values; reads accept only values written by it (another codec's value is 'wrong-codec', a miss). */
  readonly codec: FeatureCodec;
  /** Names the codec of a foreign value in logs; defaults to every shipped codec. */
  readonly registry: CodecLookup;
  /** Every SET carries it (anti-pattern 2: no TTL). The document's default: features do not change intraday. */
  readonly ttlSeconds: number;
  /** Each SET's TTL is drawn from [ttl x (1 - this), ttl] so keys written together do not expire together; 0: exact. */
  readonly ttlJitterFraction: number;
  /** Source of the TTL jitter; injectable so tests are deterministic. */
  readonly random: () => number;
  readonly logger: Logger;
  /** A vector of another length is refused on write and treated as corrupt on read. */
  readonly featureCount: number;
  /** SCAN COUNT hint for invalidateSymbol: larger is fewer round trips, each a longer server step. */
  readonly scanCount: number;
  /** Most keys per UNLINK in invalidateSymbol: bounds the size (and server time) of one command. */
  readonly unlinkBatchSize: number;
  /**
   * A usable value read without a TTL (or with one longer than ttlSeconds: written by something
   * else) is given a TTL on that read, as a corrupt one is overwritten. Costs one PTTL per key read,
   * sent with the GET / MGET (same round trip), and one EXPIRE round trip when a repair is due.
   */
  readonly repairTtlOnRead: boolean;
}

export const DEFAULT_FEATURE_CACHE_OPTIONS: Readonly<Omit<FeatureCacheOptions, 'client' | 'registry'>> = Object.freeze({
  codec: jsonCodec,
  ttlSeconds: 3_600,
  ttlJitterFraction: 0,
  random: Math.random,
  logger: silentLogger,
  featureCount: ALPHA158_LENGTH,
  scanCount: 500,
  unlinkBatchSize: 500,
  repairTtlOnRead: true,
});

export type FeatureCacheInit = Pick<FeatureCacheOptions, 'client'> & Partial<Omit<FeatureCacheOptions, 'client'>>;

/** Counts since construction. `corrupt` lookups are also counted in `misses` (they return null). */
export interface FeatureCacheStats {
  hits: number;
  misses: number;
  corrupt: number;
  /** Redis calls that threw (and were rethrown). */
  errors: number;
  /** Values written. */
  sets: number;
  /** Usable values read without a TTL in (0, ttlSeconds] and given one (EXPIRE) on that read. */
  ttlRepairs: number;
}

export interface FeatureEntry {
  readonly symbol: string;
  readonly features: Float64Array;
}

type CorruptReason = DecodeFailureReason | 'wrong-type';

/**
 * Cache-aside store of Alpha158 vectors at `features:{symbol}:{date}`.
 * A value that cannot be used (garbage, truncated, another codec's, a hash at the key) is a miss,
 * counted and logged, never a crash nor a wrong vector; the caller's set then overwrites it.
 * Redis errors (connection, timeout) propagate: the caller decides how to degrade.
 */
export class FeatureCache {
  private readonly options: FeatureCacheOptions;
  private readonly counters: FeatureCacheStats = {
    hits: 0,
    misses: 0,
    corrupt: 0,
    errors: 0,
    sets: 0,
    ttlRepairs: 0,
  };

  constructor(init: FeatureCacheInit) {
    const overrides = Object.fromEntries(
      Object.entries(init).filter(([, v]) => v !== undefined),
    ) as Partial<FeatureCacheOptions>;
    const options: FeatureCacheOptions = {
      ...DEFAULT_FEATURE_CACHE_OPTIONS,
      registry: createDefaultCodecRegistry(),
      ...overrides,
      client: init.client,
    };
    const problems: string[] = [];
    for (const name of ['ttlSeconds', 'featureCount', 'scanCount', 'unlinkBatchSize'] as const) {
      if (!Number.isInteger(options[name]) || options[name] <= 0)
        problems.push(`${name} must be a positive integer (got ${options[name]})`);
    }
    // A client-side prefix would make the stored keys differ from the documented format and SCAN MATCH miss them.
    if ((options.client.options.keyPrefix ?? '') !== '')
      problems.push('the Redis client must not have a keyPrefix (the key format is fixed)');
    if (!(options.ttlJitterFraction >= 0 && options.ttlJitterFraction < 1))
      problems.push(`ttlJitterFraction must be in [0, 1) (got ${options.ttlJitterFraction})`);
    if (problems.length > 0) throw new RangeError(`Invalid FeatureCache options: ${problems.join('; ')}`);
    this.options = options;
  }

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  get codec(): FeatureCodec {
    return this.options.codec;
  }

  async get(symbol: string, date: string): Promise<Float64Array | null> {
    const key = featureKey(symbol, date);
    const { client } = this.options;
    let value: Buffer | null;
    const reading = client.getBuffer(key);
    // Sent right behind the GET, so it rides in the same round trip; its failure only skips the repair.
    const ttl = this.options.repairTtlOnRead ? client.pttl(key).catch(() => null) : null;
    try {
      value = await reading;
    } catch (error) {
      if (isWrongTypeError(error)) return this.corrupt(key, 'wrong-type', (error as Error).message);
      throw this.failed(error);
    }
    const features = this.toFeatures(key, value);
    if (features !== null && ttl !== null) await this.repairTtls([key], [await ttl]);
    return features;
  }

  /** One MGET; the result is aligned with `symbols` (null for a miss or an unusable value). */
  async getMany(symbols: readonly string[], date: string): Promise<(Float64Array | null)[]> {
    const keys = symbols.map((symbol) => featureKey(symbol, date));
    if (keys.length === 0) return [];
    const { client } = this.options;
    let values: (Buffer | null)[];
    const reading = mgetBuffers(client, keys);
    // One pipeline of PTTLs sent with the MGET: the same round trip, one small command per key.
    const ttls = this.options.repairTtlOnRead
      ? pipelineByKey(client, keys, (i) => (p) => p.pttl(keys[i])).catch(() => null)
      : null;
    try {
      // MGET answers nil for a key of another type, so WRONGTYPE cannot happen here.
      values = await reading;
    } catch (error) {
      throw this.failed(error);
    }
    const features = keys.map((key, i) => this.toFeatures(key, values[i] ?? null));
    const found = ttls === null ? null : await ttls;
    if (found !== null) {
      const usable = keys.flatMap((key, i) => (features[i] === null ? [] : [{ key, reply: found[i] }]));
      await this.repairTtls(
        usable.map((u) => u.key),
        usable.map(({ reply }) => (reply?.[0] === null && typeof reply[1] === 'number' ? reply[1] : null)),
      );
    }
    return features;
  }

  /**
   * Gives a TTL to each usable value read without one (PTTL -1) or with one above ttlSeconds (written
   * by something else): one EXPIRE per key, pipelined, only when some are due. A failure is logged and
   * counted, never thrown: the value read is good, only its expiry is not fixed this time.
   */
  private async repairTtls(keys: readonly string[], pttlMs: readonly (number | null)[]): Promise<void> {
    const maxMs = this.options.ttlSeconds * 1_000;
    const due = keys.flatMap((key, i) => {
      const found = pttlMs[i];
      return found === -1 || (found !== null && found !== undefined && found > maxMs) ? [{ key, found }] : [];
    });
    if (due.length === 0) return;
    try {
      const results = await pipelineByKey(
        this.options.client,
        due.map((d) => d.key),
        (i) => (p) => p.expire(due[i].key, this.nextTtlSeconds()),
      );
      due.forEach(({ key, found }, i) => {
        const [error, applied] = results[i] ?? [null, 0];
        if (error !== null) throw error;
        if (applied !== 1) return; // the key expired or was deleted in between: nothing to repair
        this.counters.ttlRepairs += 1;
        this.options.logger.warn('Cached feature value had no TTL (or a longer one); TTL set on read', {
          key,
          foundTtlMs: found,
        });
      });
    } catch (error) {
      this.counters.errors += 1;
      this.options.logger.warn('Could not set the TTL of a cached feature value found without one', {
        keys: due.length,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** SET key value EX ttl: one atomic command, the TTL always set; replaces a value of any type. */
  async set(symbol: string, date: string, features: Float64Array): Promise<void> {
    const key = featureKey(symbol, date);
    const value = this.encode(key, features);
    try {
      await this.options.client.set(key, value, 'EX', this.nextTtlSeconds());
    } catch (error) {
      throw this.failed(error);
    }
    this.counters.sets += 1;
  }

  /** One pipelined round trip of SET EX. Rejects with the first failure (the others may have been stored). */
  async setMany(entries: readonly FeatureEntry[], date: string): Promise<void> {
    const writes = entries.map(({ symbol, features }) => {
      const key = featureKey(symbol, date);
      return { key, value: this.encode(key, features) };
    });
    if (writes.length === 0) return;
    let results: [Error | null, unknown][] | null;
    try {
      // One pipeline (per cluster node): one round trip each.
      results = await pipelineByKey(
        this.options.client,
        writes.map((w) => w.key),
        (i) => (p) => p.set(writes[i].key, writes[i].value, 'EX', this.nextTtlSeconds()),
      );
    } catch (error) {
      throw this.failed(error);
    }
    if (results === null) throw this.failed(new Error('pipeline was discarded'));
    const stored = results.filter(([error]) => error === null).length;
    this.counters.sets += stored;
    const firstError = results.find(([error]) => error !== null)?.[0];
    if (firstError) throw this.failed(firstError);
  }

  /** UNLINK one key; true if it existed. */
  async invalidate(symbol: string, date: string): Promise<boolean> {
    const key = featureKey(symbol, date);
    try {
      return (await this.options.client.unlink(key)) === 1;
    } catch (error) {
      throw this.failed(error);
    }
  }

  /**
   * Removes every cached date of one symbol: SCAN MATCH (never KEYS, which blocks the server for
   * the whole keyspace) and UNLINK in batches (freed off the main thread). Returns the count removed.
   */
  async invalidateSymbol(symbol: string): Promise<number> {
    const pattern = featureKeyPattern(symbol);
    const { client, scanCount, unlinkBatchSize } = this.options;
    let removed = 0;
    const pending: string[] = [];
    // SCAN may return a key twice; UNLINK counts it once, so `removed` stays exact.
    const unlinkBatch = async (count: number): Promise<void> => {
      removed += await unlinkKeys(client, pending.splice(0, count));
    };
    try {
      // A cluster's SCAN sees one node's keys: every master is scanned.
      for (const node of scanTargets(client)) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', scanCount);
          cursor = next;
          pending.push(...keys);
          while (pending.length >= unlinkBatchSize) await unlinkBatch(unlinkBatchSize);
        } while (cursor !== '0');
      }
      if (pending.length > 0) await unlinkBatch(pending.length);
    } catch (error) {
      throw this.failed(error);
    }
    return removed;
  }

  private nextTtlSeconds(): number {
    return jitteredTtlSeconds(this.options.ttlSeconds, this.options.ttlJitterFraction, this.options.random);
  }

  stats(): FeatureCacheStats {
    return { ...this.counters };
  }

  private toFeatures(key: string, value: Buffer | null): Float64Array | null {
    if (value === null) {
      this.counters.misses += 1;
      return null;
    }
    const decoded = decodeValue(this.options.registry, value, this.options.featureCount, { only: this.options.codec });
    if (!decoded.ok) return this.corrupt(key, decoded.reason, decoded.detail);
    this.counters.hits += 1;
    return decoded.features;
  }

  private corrupt(key: string, reason: CorruptReason, detail: string): null {
    this.counters.corrupt += 1;
    this.counters.misses += 1;
    this.options.logger.warn('Unusable cached feature value, treated as a miss', { key, reason, detail });
    return null;
  }

  private encode(key: string, features: Float64Array): Buffer {
    // Storing a vector of the wrong length would turn every later read into a corrupt miss.
    if (features.length !== this.options.featureCount) {
      throw new RangeError(
        `Refusing to cache ${key}: ${features.length} features, expected ${this.options.featureCount}`,
      );
    }
    return encodeValue(this.options.codec, features);
  }

  private failed(error: unknown): unknown {
    this.counters.errors += 1;
    return error;
  }
}

function isWrongTypeError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}
