import type { Redis } from 'ioredis';
import { featureKey, featureKeyPattern } from '../../src/cache/feature-key.ts';
import { tradingDaysEndingAt } from '../../src/market/trading-calendar.ts';

/** The symbol whose keys are invalidated; the others only fill the keyspace and take the load's GETs. */
export const TARGET_SYMBOL = 'INVT';
const LAST_DATE = '2025-01-17';
const FILL_PIPELINES_IN_FLIGHT = 4;

export interface InvalidationKeyspaceOptions {
  /** Keys in the whole keyspace, the target's included. */
  readonly totalKeys: number;
  /** Cached dates per symbol; the target symbol holds this many keys. */
  readonly datesPerSymbol: number;
  readonly valueBytes: number;
  readonly ttlSeconds: number;
  /** SETs per pipeline when filling. */
  readonly fillBatch: number;
}

/**
 * `features:{symbol}:{date}` keys, as the service writes them: the target symbol INVT with
 * datesPerSymbol dates, and filler symbols INV000001, INV000002, ... with the same dates until
 * totalKeys is reached (the last filler symbol may hold fewer). Keys are derived, never stored
 * in a list, so a million-key keyspace costs no memory here.
 */
export class InvalidationKeyspace {
  readonly dates: readonly string[];
  readonly fillerKeys: number;
  readonly value: Buffer;

  constructor(readonly options: InvalidationKeyspaceOptions) {
    this.dates = tradingDaysEndingAt(LAST_DATE, options.datesPerSymbol);
    this.fillerKeys = options.totalKeys - options.datesPerSymbol;
    // Same bytes at every key: KEYS and SCAN walk key names; the value only changes memory and DEL cost.
    this.value = Buffer.alloc(options.valueBytes, 0x61);
  }

  get pattern(): string {
    return featureKeyPattern(TARGET_SYMBOL);
  }

  targetKey(index: number): string {
    return featureKey(TARGET_SYMBOL, this.dates[index]!);
  }

  /** Filler key i in [0, fillerKeys). */
  fillerKey(index: number): string {
    const perSymbol = this.dates.length;
    return featureKey(
      `INV${String(Math.floor(index / perSymbol) + 1).padStart(6, '0')}`,
      this.dates[index % perSymbol]!,
    );
  }

  /**
   * Writes the filler keys in pipelines of fillBatch SETs, one pipeline at a time (bounded memory);
   * stops early on abort.
   */
  async fill(
    client: Redis,
    signal: AbortSignal,
    onProgress: (written: number) => void = () => undefined,
  ): Promise<void> {
    await this.#write(client, this.fillerKeys, (i) => this.fillerKey(i), signal, onProgress);
  }

  /** (Re)writes the target symbol's keys, e.g. before each invalidation. */
  async writeTarget(client: Redis, signal: AbortSignal): Promise<void> {
    await this.#write(client, this.dates.length, (i) => this.targetKey(i), signal);
  }

  /** Removes every key this keyspace wrote (UNLINK in batches); returns how many existed. */
  async remove(client: Redis): Promise<number> {
    let removed = 0;
    const { fillBatch } = this.options;
    const total = this.fillerKeys + this.dates.length;
    for (let start = 0; start < total; start += fillBatch) {
      const keys: string[] = [];
      for (let i = start; i < Math.min(start + fillBatch, total); i++)
        keys.push(i < this.fillerKeys ? this.fillerKey(i) : this.targetKey(i - this.fillerKeys));
      removed += await client.unlink(...keys);
    }
    return removed;
  }

  async #write(
    client: Redis,
    count: number,
    keyAt: (i: number) => string,
    signal: AbortSignal,
    onProgress: (written: number) => void = () => undefined,
  ): Promise<void> {
    const { fillBatch, ttlSeconds } = this.options;
    // A few pipelines in flight keep the server busy while the client builds the next; still bounded.
    const inFlight: Promise<void>[] = [];
    const send = async (start: number): Promise<void> => {
      const pipeline = client.pipeline();
      for (let i = start; i < Math.min(start + fillBatch, count); i++)
        pipeline.set(keyAt(i), this.value, 'EX', ttlSeconds);
      for (const [error] of (await pipeline.exec()) ?? []) if (error !== null) throw error;
    };
    // An abort stops between pipelines; the caller sees signal.aborted and winds down.
    for (let start = 0; start < count && !signal.aborted; start += fillBatch) {
      inFlight.push(send(start));
      if (inFlight.length >= FILL_PIPELINES_IN_FLIGHT) await Promise.all(inFlight.splice(0));
      onProgress(Math.min(start + fillBatch, count));
    }
    await Promise.all(inFlight);
  }
}
