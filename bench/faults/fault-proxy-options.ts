import { BlockList, isIPv6 } from 'node:net';
import { ConfigError } from '../errors.ts';
import type { Toxic } from './toxic.ts';

export interface FaultProxyOptions {
  /** A loopback address (127.0.0.0/8, ::1 or 'localhost', taken as 127.0.0.1), or exactly namedTarget's host. */
  readonly upstreamHost: string;
  readonly upstreamPort: number;
  /**
   * The Redis the run itself was given (a --redis-url / REDIS_URL host, a compose service): the one
   * upstream off loopback the proxy may forward to, and only when upstreamHost and upstreamPort are
   * exactly it; the proxy then listens on loopback only. See namedTargetUpstream.
   */
  readonly namedTarget?: NamedTarget;
  readonly listenHost?: string;
  /** 0: a free port picked by the kernel. */
  readonly listenPort?: number;
  /** Seeds the jitter, so that a run's delays repeat. */
  readonly seed?: number;
  /** Bound on the bytes held per connection and direction before the sender is paused. */
  readonly maxQueuedBytesPerDirection?: number;
  /** Toxics active from the first connection on. */
  readonly toxics?: readonly Toxic[];
}

/** Host (as in its URL, brackets off) and port of the Redis the run was given. */
export interface NamedTarget {
  readonly host: string;
  readonly port: number;
}

export const FAULT_PROXY_DEFAULTS = {
  listenHost: '127.0.0.1',
  listenPort: 0,
  seed: 1,
  maxQueuedBytesPerDirection: 1024 * 1024,
  toxics: [],
} as const;

export interface ResolvedFaultProxyOptions {
  readonly upstreamHost: string;
  readonly upstreamPort: number;
  readonly listenHost: string;
  readonly listenPort: number;
  readonly seed: number;
  readonly maxQueuedBytesPerDirection: number;
  readonly toxics: readonly Toxic[];
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for 127.0.0.0/8 and ::1 written as IP literals (IPv4-mapped forms included); names are not resolved. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  try {
    return LOOPBACK.check(bare, isIPv6(bare) ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
}

/**
 * The proxy options that reach a scenario's own target (context.target.url): its host and port as
 * upstream, allowed as the run's named target when not on loopback. Faults through such a proxy
 * reach that one Redis only, the one the user pointed the run at, never any other host.
 */
export function namedTargetUpstream(targetUrl: string): {
  readonly upstreamHost: string;
  readonly upstreamPort: number;
  readonly namedTarget: NamedTarget;
} {
  const url = new URL(targetUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || 6379);
  return { upstreamHost: host, upstreamPort: port, namedTarget: { host, port } };
}

function sameHost(a: string, b: string): boolean {
  const bare = (host: string): string => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare(a) === bare(b);
}

/** Validates every option at once; throws one ConfigError listing each problem. */
export function resolveFaultProxyOptions(options: FaultProxyOptions): ResolvedFaultProxyOptions {
  const problems: string[] = [];
  const host = String(options.upstreamHost);
  const upstreamHost = host === 'localhost' ? '127.0.0.1' : host.replace(/^\[(.*)\]$/, '$1');
  const named = options.namedTarget;
  const isNamed =
    named !== undefined &&
    sameHost(upstreamHost, named.host) &&
    options.upstreamPort === named.port &&
    upstreamHost !== '';
  if (!isLoopbackAddress(upstreamHost) && !isNamed) {
    problems.push(
      named === undefined
        ? `upstreamHost ${JSON.stringify(options.upstreamHost)} is not a loopback address: the fault proxy forwards only to 127.0.0.0/8 or ::1, so that its faults can never hit a shared or remote Redis`
        : `upstreamHost ${JSON.stringify(options.upstreamHost)} port ${options.upstreamPort} is neither a loopback address nor the run's named target ${named.host}:${named.port}: the fault proxy forwards nowhere else`,
    );
  }
  const listenHostGiven = options.listenHost ?? FAULT_PROXY_DEFAULTS.listenHost;
  if (
    !isLoopbackAddress(upstreamHost) &&
    !isLoopbackAddress(listenHostGiven === 'localhost' ? '127.0.0.1' : listenHostGiven)
  )
    problems.push(
      `listenHost ${JSON.stringify(listenHostGiven)} is not a loopback address: a proxy to a Redis off loopback listens on loopback only`,
    );
  const port = (name: string, value: number, min: number): void => {
    if (!(Number.isInteger(value) && value >= min && value <= 65_535))
      problems.push(`${name} must be an integer from ${min} to 65535, got ${value}`);
  };
  port('upstreamPort', options.upstreamPort, 1);
  const listenPort = options.listenPort ?? FAULT_PROXY_DEFAULTS.listenPort;
  port('listenPort', listenPort, 0);
  const seed = options.seed ?? FAULT_PROXY_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) problems.push(`seed must be a safe integer, got ${seed}`);
  const maxQueued = options.maxQueuedBytesPerDirection ?? FAULT_PROXY_DEFAULTS.maxQueuedBytesPerDirection;
  if (!(Number.isSafeInteger(maxQueued) && maxQueued > 0))
    problems.push(`maxQueuedBytesPerDirection must be a positive integer, got ${maxQueued}`);
  if (problems.length > 0) {
    throw new ConfigError(`invalid fault proxy options: ${problems.join('; ')}`, {
      problems,
      hint: 'point the proxy at a Redis on this machine, e.g. upstreamHost 127.0.0.1',
    });
  }
  return {
    upstreamHost,
    upstreamPort: options.upstreamPort,
    listenHost: options.listenHost ?? FAULT_PROXY_DEFAULTS.listenHost,
    listenPort,
    seed,
    maxQueuedBytesPerDirection: maxQueued,
    toxics: options.toxics ?? FAULT_PROXY_DEFAULTS.toxics,
  };
}
