import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { DropGuard, settleAll } from './bench-clients.ts';

describe('DropGuard', () => {
  it("passes a command's own result or error through", async () => {
    const guard = new DropGuard(new EventEmitter() as unknown as Redis);
    await expect(guard.run(Promise.resolve('OK'))).resolves.toBe('OK');
    await expect(guard.run(Promise.reject(new Error('WRONGTYPE')))).rejects.toThrow('WRONGTYPE');
  });

  it('fails the commands in flight when the connection closes, and no later ones', async () => {
    const client = new EventEmitter();
    const guard = new DropGuard(client as unknown as Redis);
    const inFlight = guard.run(new Promise<string>(() => {}));
    client.emit('close');
    await expect(inFlight).rejects.toThrow(/connection closed/);
    await expect(guard.run(Promise.resolve(1))).resolves.toBe(1);
  });
});

describe('settleAll', () => {
  it('returns every value in order, or rethrows the first failure once all have settled', async () => {
    await expect(settleAll([Promise.resolve(1), Promise.resolve(2)])).resolves.toEqual([1, 2]);
    let lateDone = false;
    const late = new Promise<number>((resolve) =>
      setTimeout(() => {
        lateDone = true;
        resolve(3);
      }, 20),
    );
    await expect(settleAll([Promise.reject(new Error('refused')), late])).rejects.toThrow('refused');
    expect(lateDone).toBe(true);
  });
});
