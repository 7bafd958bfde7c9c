/** One operation of a load run; `sequence` counts operations across the whole run, warm-up included. */
export type LoadOperation = (sequence: number) => Promise<unknown>;

export type OperationFailure = 'timeout' | 'error';

/**
 * A timeout is told apart from other failures by what the clients actually throw: a TimeoutError
 * name (AbortSignal.timeout, undici), an ETIMEDOUT code (sockets), or ioredis's plain Error with
 * the message "Command timed out".
 */
export function classifyFailure(error: unknown): OperationFailure {
  if (typeof error !== 'object' || error === null) return 'error';
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  if (typeof name === 'string' && /timeout/i.test(name)) return 'timeout';
  if (typeof code === 'string' && /TIMEDOUT|TIMEOUT/i.test(code)) return 'timeout';
  if (typeof message === 'string' && /timed out/i.test(message)) return 'timeout';
  return 'error';
}

/** Calls the operation; a synchronous throw becomes a rejection, so every failure is counted the same way. */
export function startOperation(operation: LoadOperation, sequence: number): Promise<unknown> {
  try {
    return operation(sequence);
  } catch (error) {
    return Promise.reject(error);
  }
}
