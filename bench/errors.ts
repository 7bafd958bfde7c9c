/**
 * The harness's one error hierarchy. Code below the CLI throws these; only bench/cli.ts maps them
 * to exit codes and prints them. Every error names the problem and carries a hint with the fix.
 */

/** Documented exit codes (docs/cli.md, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** A bug: an error that is not an RpbError. */
  internal: 1,
  /** Bad input: unknown scenario, invalid option, malformed file. */
  config: 2,
  /** The environment failed: redis-server missing, port in use, Redis unreachable or not ready. */
  infrastructure: 3,
  /** rpb monitor: the worst alert is a warning (hit rate, memory > 80%, clients, error replies). */
  monitorWarning: 10,
  /** rpb monitor: a critical alert (unreachable, memory > 95%, no eviction policy). */
  monitorCritical: 11,
  /** A latency gate or budget failed (rpb gate). */
  gateFailed: 99,
  /** The terminal went away: SIGHUP (128 + 1). */
  hangup: 129,
  /** Interrupted by SIGINT (128 + 2). */
  interrupted: 130,
  /** Terminated by SIGTERM (128 + 15). */
  terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class RpbError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** What the user can do about it; printed after the message. */
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** The user's input is wrong; retrying will not help until it is fixed. */
export class ConfigError extends RpbError {
  readonly exitCode = ExitCode.config;
  /** Every problem found, so the user fixes them all at once. */
  readonly problems: readonly string[];

  constructor(message: string, options: { hint?: string; cause?: unknown; problems?: readonly string[] } = {}) {
    super(message, options);
    this.problems = options.problems ?? [];
  }
}

/** Something outside the harness failed: a process, a port, a network peer. */
export class InfraError extends RpbError {
  readonly exitCode = ExitCode.infrastructure;
}

/** A gate or budget failed: the measurement worked and the result is not acceptable. */
export class GateFailedError extends RpbError {
  readonly exitCode = ExitCode.gateFailed;
}

/** The run was stopped by a signal; partial results have been written. */
export class InterruptedError extends RpbError {
  readonly exitCode: ExitCodeValue;
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`, { hint: 'partial results, if any, were kept in the output folder' });
    this.signal = signal;
    this.exitCode = signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
  }
}
