import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('runs the work once for concurrent callers of one key and gives all of them its result', async () => {
    const flight = new SingleFlight<number>();
    const gate = deferred<number>();
    let calls = 0;
    const work = () => {
      calls += 1;
      return gate.promise;
    };
    const runs = [flight.run('k', work), flight.run('k', work), flight.run('k', work)];
    expect(runs.map((r) => r.shared)).toEqual([false, true, true]);
    gate.resolve(7);
    expect(await Promise.all(runs.map((r) => r.result))).toEqual([7, 7, 7]);
    expect(calls).toBe(1);
    expect(flight.joined).toBe(2);
    expect(flight.executed).toBe(1);
  });

  it('keeps different keys apart', async () => {
    const flight = new SingleFlight<string>();
    const a = flight.run('a', async () => 'A');
    const b = flight.run('b', async () => 'B');
    expect([a.shared, b.shared]).toEqual([false, false]);
    expect([await a.result, await b.result]).toEqual(['A', 'B']);
  });

  it('shares an error with every joined caller, then forgets the key', async () => {
    const flight = new SingleFlight<number>();
    const gate = deferred<number>();
    const first = flight.run('k', () => gate.promise);
    const second = flight.run('k', () => Promise.resolve(1));
    gate.reject(new Error('boom'));
    await expect(first.result).rejects.toThrow('boom');
    await expect(second.result).rejects.toThrow('boom');
    expect(flight.pending).toBe(0);
    const third = flight.run('k', async () => 3);
    expect(third.shared).toBe(false);
    expect(await third.result).toBe(3);
  });

  it('does not cache: a call after the run settled runs the work again', async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    await flight.run('k', async () => ++calls).result;
    await flight.run('k', async () => ++calls).result;
    expect(calls).toBe(2);
  });

  it('a synchronous throw of the work rejects and releases the key', async () => {
    const flight = new SingleFlight<number>();
    const run = flight.run('k', () => {
      throw new Error('sync');
    });
    await expect(run.result).rejects.toThrow('sync');
    expect(flight.pending).toBe(0);
  });
});
