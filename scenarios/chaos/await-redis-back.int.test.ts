import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { InfraError } from '../../bench/errors.ts';
import { findFreePort } from '../../bench/targets/free-port.ts';
import { awaitRedisBack } from './chaos.ts';

describe('chaos on a Redis rpb did not start (--fault-cmd)', () => {
  it('stops with an infrastructure error naming the fix when the Redis stays down, instead of crashing', async () => {
    const port = await findFreePort();
    const admin = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    });
    admin.on('error', () => undefined);
    try {
      const error = await awaitRedisBack(admin, new AbortController().signal, 600).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InfraError);
      expect((error as InfraError).message).toMatch(/did not answer for 0.6 s/);
      expect((error as InfraError).hint).toMatch(/docker start/);
    } finally {
      admin.disconnect();
    }
  });
});
