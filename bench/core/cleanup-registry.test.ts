import { describe, expect, it } from 'vitest';
import { createCleanupRegistry } from './cleanup-registry.ts';

describe('createCleanupRegistry', () => {
  it('runs cleanups newest first, each once', async () => {
    const registry = createCleanupRegistry();
    const order: string[] = [];
    registry.register('a', () => void order.push('a'));
    registry.register('b', async () => void order.push('b'));
    registry.register('c', () => void order.push('c'));
    expect(await registry.run()).toEqual([]);
    expect(order).toEqual(['c', 'b', 'a']);
    await registry.run();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(registry.size).toBe(0);
  });

  it('skips a cleanup that was unregistered', async () => {
    const registry = createCleanupRegistry();
    const order: string[] = [];
    registry.register('a', () => void order.push('a'));
    const unregister = registry.register('b', () => void order.push('b'));
    unregister();
    unregister();
    await registry.run();
    expect(order).toEqual(['a']);
  });

  it('collects errors and keeps going', async () => {
    const registry = createCleanupRegistry();
    const order: string[] = [];
    registry.register('first', () => void order.push('first'));
    registry.register('sync-throw', () => {
      throw new Error('boom');
    });
    registry.register('async-reject', async () => Promise.reject(new Error('bust')));
    const failures = await registry.run();
    expect(order).toEqual(['first']);
    expect(failures.map((f) => [f.name, (f.error as Error).message])).toEqual([
      ['async-reject', 'bust'],
      ['sync-throw', 'boom'],
    ]);
  });

  it('bounds a hung cleanup so the others still run', async () => {
    const registry = createCleanupRegistry();
    const order: string[] = [];
    registry.register('after-hung', () => void order.push('ran'));
    registry.register('hung', () => new Promise<void>(() => undefined));
    const failures = await registry.run({ cleanupTimeoutMs: 50 });
    expect(order).toEqual(['ran']);
    expect(failures).toHaveLength(1);
    expect(failures[0].name).toBe('hung');
    expect((failures[0].error as Error).message).toMatch(/did not finish within 50 ms/);
  });
});
