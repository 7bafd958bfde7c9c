import type { LoadOperation } from './load-operation.ts';

/** What a fake operation saw: calls, concurrency, and when each call started. */
export interface FakeOperationLog {
  calls: number;
  inFlight: number;
  maxInFlight: number;
  readonly startedAtMs: number[];
}

/**
 * An operation that settles after a real delay chosen per call (milliseconds, or 'never' for one
 * that hangs, or an error to reject with), tracking its own concurrency.
 */
export function fakeOperation(behaviour: (sequence: number) => number | 'never' | Error): {
  operation: LoadOperation;
  log: FakeOperationLog;
} {
  const log: FakeOperationLog = { calls: 0, inFlight: 0, maxInFlight: 0, startedAtMs: [] };
  const operation: LoadOperation = (sequence) => {
    log.calls++;
    log.inFlight++;
    log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
    log.startedAtMs.push(performance.now());
    const outcome = behaviour(sequence);
    if (outcome === 'never') return new Promise(() => undefined);
    return new Promise((resolve, reject) => {
      setTimeout(
        () => {
          log.inFlight--;
          if (outcome instanceof Error) reject(outcome);
          else resolve(sequence);
        },
        typeof outcome === 'number' ? outcome : 0,
      );
    });
  };
  return { operation, log };
}
