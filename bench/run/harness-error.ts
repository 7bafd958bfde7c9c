import { DataFileError, SignalInputError } from '../../src/errors.ts';
import type { ScenarioReport } from '../core/run-summary.ts';
import { ConfigError, InfraError, RpbError } from '../errors.ts';

/**
 * Errors of the system under test reaching the runner mean its environment is broken (a data
 * file unreadable, a model file invalid): an infrastructure problem with the path, not a bug.
 */
export function harnessError(error: unknown): unknown {
  // A cluster node answers MOVED to a client that is not cluster-aware: the user pointed a standalone run at a cluster.
  if (error instanceof Error && !(error instanceof RpbError) && /^(MOVED|ASK) \d+ /.test(error.message)) {
    return new ConfigError(`the Redis given is a Redis Cluster node (it answered "${error.message}")`, {
      hint: 'add --topology cluster (the URL is then the seed), or point --redis-url at a standalone Redis',
      cause: error,
    });
  }
  if (error instanceof DataFileError)
    return new InfraError(error.message, {
      hint: `check or delete ${error.path}; a missing market data set is regenerated on the next run`,
      cause: error,
    });
  // ioredis gives plain Errors: a Redis that does not answer in time is the environment, not a bug.
  if (
    error instanceof Error &&
    !(error instanceof RpbError) &&
    /Command timed out|Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE/.test(error.message)
  ) {
    return new InfraError(`Redis did not answer: ${error.message}`, {
      hint: 'the machine may be overloaded or Redis went away; run again on a quieter machine',
      cause: error,
    });
  }
  if (error instanceof SignalInputError)
    return new InfraError(`the scenario asked the system under test for something it cannot answer: ${error.message}`, {
      hint: 'the market data set may not match the scenario; delete it to regenerate',
      cause: error,
    });
  return error;
}

/** A failure as the summary records it: name, message and the hint of an RpbError. */
export function errorReport(error: unknown): ScenarioReport['error'] {
  if (error instanceof RpbError) return { name: error.name, message: error.message, hint: error.hint ?? null };
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, hint: null };
}
