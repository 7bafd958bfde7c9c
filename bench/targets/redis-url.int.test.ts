import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfraError } from '../errors.ts';
import { findFreePort } from './free-port.ts';
import { ManagedRedis } from './managed-redis.ts';
import { checkRedisUrl } from './redis-url.ts';

const PASSWORD = 'correct-horse-battery';
const WRONG = 'wrong-staple-9f3a';

async function infraError(promise: Promise<unknown>): Promise<InfraError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InfraError);
    return error as InfraError;
  }
  throw new Error('expected an InfraError');
}

/** Everything a user or a log could ever see of the error, cause chain included. */
function everythingShown(error: InfraError): string {
  return [
    error.message,
    error.hint,
    String(error.cause),
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(error),
  ].join('\n');
}

describe('checkRedisUrl against a password-protected managed Redis', () => {
  let redis: ManagedRedis;
  beforeAll(async () => {
    redis = await ManagedRedis.start({ configOverrides: { requirepass: PASSWORD } });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('returns the version and the redacted URL with the right password', async () => {
    const checked = await checkRedisUrl(`redis://:${PASSWORD}@127.0.0.1:${redis.port}/1`, 3_000);
    expect(checked.version).toBe(redis.version);
    expect(checked.redactedUrl).toBe(`redis://:***@127.0.0.1:${redis.port}/1`);
  });

  it('reports a wrong password as an authentication failure without showing it', async () => {
    const error = await infraError(checkRedisUrl(`redis://:${WRONG}@127.0.0.1:${redis.port}`, 3_000));
    expect(error.message).toMatch(/refused the credentials/);
    expect(error.message).toMatch(/WRONGPASS/);
    expect(error.message).toContain(':***@');
    expect(error.hint).toMatch(/password in the URL/);
    expect(everythingShown(error)).not.toContain(WRONG);
    expect(everythingShown(error)).not.toContain(PASSWORD);
  });

  it('reports a missing password as an authentication failure', async () => {
    const error = await infraError(checkRedisUrl(`redis://127.0.0.1:${redis.port}`, 3_000));
    expect(error.message).toMatch(/refused the credentials.*NOAUTH/);
  });

  it('reports a wrong user and password pair without showing the password', async () => {
    const error = await infraError(checkRedisUrl(`redis://nobody:${WRONG}@127.0.0.1:${redis.port}`, 3_000));
    expect(error.message).toMatch(/refused the credentials/);
    expect(everythingShown(error)).not.toContain(WRONG);
  });
});

describe('checkRedisUrl on a port nobody listens on', () => {
  it('reports it unreachable, with the fix, and no password', async () => {
    const port = await findFreePort();
    const error = await infraError(checkRedisUrl(`redis://:${WRONG}@127.0.0.1:${port}`, 1_000));
    expect(error.message).toMatch(new RegExp(`Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} is unreachable`));
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.hint).toMatch(/omit --redis-url/);
    expect(everythingShown(error)).not.toContain(WRONG);
  });
});
