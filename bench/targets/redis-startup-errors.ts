import { InfraError } from '../errors.ts';

export const INSTALL_REDIS_HINT =
  'install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or pass --redis-url to use an existing Redis';

export function redisServerNotFound(redisServerPath: string): InfraError {
  return new InfraError(`redis-server not found: could not run "${redisServerPath}"`, {
    hint: `${INSTALL_REDIS_HINT}; set RPB_REDIS_SERVER to its path if it is installed off PATH`,
  });
}

export function redisServerNotRunnable(redisServerPath: string, code: string): InfraError {
  return new InfraError(`cannot run redis-server "${redisServerPath}": ${code}`, {
    hint: 'check that the path is an executable redis-server (RPB_REDIS_SERVER) or pass --redis-url to use an existing Redis',
  });
}

/** An InfraError that says which port, so a start on a kernel-picked port can retry on another. */
export class PortInUseError extends InfraError {
  readonly port: number;

  constructor(port: number, logLines = '') {
    super(`port ${port} on 127.0.0.1 is already in use${withLog(logLines)}`, {
      hint: 'choose another port, or leave the port unset so the harness picks a free one',
    });
    this.port = port;
  }
}

export function portInUse(port: number, logLines = ''): PortInUseError {
  return new PortInUseError(port, logLines);
}

export interface StartupFailure {
  readonly port: number;
  readonly pid: number | undefined;
  readonly logPath: string;
  readonly logLines: string;
  /** Set when the process ended during startup; undefined when it never answered in time. */
  readonly exit: { readonly code: number | null; readonly signal: NodeJS.Signals | null } | undefined;
  readonly startTimeoutMs: number;
}

/** Reads the log for the reason: a port clash, a rejected config, or an early exit or a timeout. */
export function startupFailed(failure: StartupFailure): InfraError {
  if (/Address already in use/i.test(failure.logLines)) return portInUse(failure.port, failure.logLines);
  const who = `redis-server (pid ${failure.pid ?? '?'}, port ${failure.port})`;
  if (/FATAL CONFIG FILE ERROR|Bad directive|wrong number of arguments/i.test(failure.logLines)) {
    return new InfraError(`${who} rejected its configuration${withLog(failure.logLines)}`, {
      hint: 'fix the configOverrides of the scenario: the log names the directive redis-server rejected',
    });
  }
  if (failure.exit !== undefined) {
    const how = failure.exit.signal !== null ? `signal ${failure.exit.signal}` : `code ${failure.exit.code}`;
    return new InfraError(`${who} exited during startup with ${how}${withLog(failure.logLines)}`, {
      hint:
        failure.logLines.trim() === ''
          ? 'it wrote no log: check that RPB_REDIS_SERVER (or redis-server on the PATH) is a working redis-server binary, or pass --redis-url to use an existing Redis'
          : 'the log lines above say why; pass --redis-url to use an existing Redis instead',
    });
  }
  return new InfraError(`${who} did not answer PING within ${failure.startTimeoutMs} ms${withLog(failure.logLines)}`, {
    hint: 'the machine may be overloaded (try again when it is quieter), or pass --redis-url to use an existing Redis',
  });
}

function withLog(logLines: string): string {
  return logLines.trim() === '' ? '' : `; last log lines:\n${logLines}`;
}
