import type { FeatureStore } from '../signals/signal-generator.ts';

/** Receives the duration of every cache call, in seconds (Prometheus' unit), and whether it failed. */
export type CacheCallObserver = (
  operation: 'get' | 'set' | 'getMany' | 'setMany',
  seconds: number,
  ok: boolean,
) => void;

/**
 * Times each call of a FeatureStore (one GET, SET, MGET or pipelined SET round trip each) for the
 * Redis command latency metric. Errors are timed too, then rethrown unchanged.
 */
export function timedFeatureStore(store: FeatureStore, observe: CacheCallObserver): FeatureStore {
  const time = async <T>(operation: Parameters<CacheCallObserver>[0], call: () => Promise<T>): Promise<T> => {
    const start = process.hrtime.bigint();
    try {
      const result = await call();
      observe(operation, Number(process.hrtime.bigint() - start) / 1e9, true);
      return result;
    } catch (error) {
      observe(operation, Number(process.hrtime.bigint() - start) / 1e9, false);
      throw error;
    }
  };
  return {
    get: (symbol, date) => time('get', () => store.get(symbol, date)),
    set: (symbol, date, features) => time('set', () => store.set(symbol, date, features)),
    getMany: (symbols, date) => time('getMany', () => store.getMany(symbols, date)),
    setMany: (entries, date) => time('setMany', () => store.setMany(entries, date)),
  };
}
