import type { LoadOperation } from './load-operation.ts';

/** What a fake operation saw: calls, concurrency, and when each call started. */
export interface FakeOperationLog {
  calls: number;
  inFlight: number;
  maxInFlight: number;
  readonly startedAtMs: number[];
}

/** A rejection after a real delay: a timeout that took its time, or an error reply that came late. */
export interface LateFailure {
  readonly reject: Error;
  readonly afterMs: number;
}

/**
 * An operation that settles after a real delay chosen per call (milliseconds, or 'never' for one
 * that hangs, or an error to reject with at once or after a delay), tracking its own concurrency.
 */
export function fakeOperation(behaviour: (sequence: number) => number | 'never' | Error | LateFailure): {
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
    const failure = outcome instanceof Error ? outcome : typeof outcome === 'number' ? null : outcome.reject;
    const delayMs = typeof outcome === 'number' ? outcome : outcome instanceof Error ? 0 : outcome.afterMs;
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        log.inFlight--;
        if (failure !== null) reject(failure);
        else resolve(sequence);
      }, delayMs);
    });
  };
  return { operation, log };
}
