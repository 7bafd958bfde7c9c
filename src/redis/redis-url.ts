/** A redis:// or rediss:// URL taken apart, so the client gets explicit options and logs never see the password. */
export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly tls: boolean;
}

const DEFAULT_REDIS_PORT = 6379;

/** Parses `redis[s]://[[user]:password@]host[:port][/db]`; throws RangeError naming the problem (never the password). */
export function parseRedisUrl(url: string): RedisEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`Invalid Redis URL: not a URL (expected redis://host:port or rediss://host:port): ${redactRedisUrl(url)}`);
  }
  const shown = redactRedisUrl(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RangeError(`Invalid Redis URL: scheme must be redis:// or rediss:// (got ${parsed.protocol}//): ${shown}`);
  }
  // IPv6 hosts come bracketed from URL ([::1]); net.connect wants them bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new RangeError(`Invalid Redis URL: no host: ${shown}`);
  const port = parsed.port === '' ? DEFAULT_REDIS_PORT : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw new RangeError(`Invalid Redis URL: the path must be a database number: ${shown}`);
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new RangeError(`Invalid Redis URL: query parameters are not supported (pass options instead): ${shown}`);
  }
  return {
    host,
    port,
    db: dbText === '' ? 0 : Number(dbText),
    username: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    tls: parsed.protocol === 'rediss:',
  };
}

/** The URL with any password replaced by `***`, safe to log; unparsable input is not echoed at all. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparsable URL>';
  }
}
