/** A redis:// or rediss:// URL taken apart, so the client gets explicit options and logs never see the password. */
export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly tls: boolean;
}

export const DEFAULT_REDIS_PORT = 6379;

/** A URL that cannot be used; the message shows the URL redacted, `problem` says what is wrong. */
export class RedisUrlError extends RangeError {
  readonly problem: string;

  constructor(shownUrl: string, problem: string) {
    super(`invalid Redis URL "${shownUrl}": ${problem}`);
    this.name = 'RedisUrlError';
    this.problem = problem;
  }
}

/**
 * The URL with its password replaced by `***`, safe to log. Works on malformed input too (so an
 * error can show what was given): the last '@' ends the userinfo, since a password may itself
 * contain '@', '/' or ':'.
 */
export function redactRedisUrl(url: string): string {
  // A query string or fragment may carry secrets too (ioredis reads ?password=...): never shown.
  const queryStart = url.search(/[?#]/);
  const base = queryStart === -1 ? url : url.slice(0, queryStart);
  const tail = queryStart === -1 ? '' : `${url[queryStart]}***`;
  const schemeEnd = base.indexOf('://');
  const authorityStart = schemeEnd === -1 ? 0 : schemeEnd + 3;
  const at = base.lastIndexOf('@');
  if (at < authorityStart) return `${base}${tail}`;
  const userinfo = base.slice(authorityStart, at);
  const colon = userinfo.indexOf(':');
  if (colon === -1) return `${base}${tail}`;
  return `${base.slice(0, authorityStart)}${userinfo.slice(0, colon)}:***${base.slice(at)}${tail}`;
}

/** Parses `redis[s]://[[user]:password@]host[:port][/db]`; throws RedisUrlError naming the problem (never the password). */
export function parseRedisUrl(url: string): RedisEndpoint {
  const shown = redactRedisUrl(url);
  const fail = (problem: string): never => {
    throw new RedisUrlError(shown, problem);
  };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('it is not a URL (expected redis://host:port or rediss://host:port)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    fail(`the scheme must be redis: or rediss:, not ${parsed.protocol}`);
  // IPv6 hosts come bracketed from URL ([::1]); net.connect wants them bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') fail('it has no host');
  if (parsed.search !== '' || parsed.hash !== '')
    fail('query parameters and fragments are not supported (pass options instead)');
  const dbText = parsed.pathname.replace(/^\//, '');
  if (!/^\d*$/.test(dbText)) fail(`the path must be a database number, not "/${dbText}"`);
  const decode = (text: string): string | undefined => {
    if (text === '') return undefined;
    try {
      return decodeURIComponent(text);
    } catch {
      return fail('its user or password is not valid percent-encoding');
    }
  };
  return {
    host,
    port: parsed.port === '' ? DEFAULT_REDIS_PORT : Number(parsed.port),
    db: dbText === '' ? 0 : Number(dbText),
    username: decode(parsed.username),
    password: decode(parsed.password),
    tls: parsed.protocol === 'rediss:',
  };
}
