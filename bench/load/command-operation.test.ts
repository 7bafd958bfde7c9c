import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import {
  COMMAND_OPERATION_DEFAULTS,
  commandKey,
  commandOperationFactory,
  commandOperationProblems,
  createCommandOperation,
  redisBenchmarkKeyPattern,
} from './command-operation.ts';
import type { CommandOperationSpec } from './command-operation.ts';

const VALUE = Buffer.from([0, 1, 2, 255, 34, 91]);

const spec = (overrides: Partial<CommandOperationSpec> = {}): CommandOperationSpec => ({
  ...COMMAND_OPERATION_DEFAULTS,
  command: 'GET',
  keyCount: 50,
  valueBase64: VALUE.toString('base64'),
  seed: 7,
  ...overrides,
});

/** A client whose replies the test releases by hand, recording what was asked. */
class FakeClient {
  readonly calls: { command: string; args: unknown[] }[] = [];
  pending = 0;
  maxPending = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly reply: (command: string, args: unknown[]) => unknown = () => Buffer.from('v')) {}

  private call(command: string, args: unknown[]): Promise<unknown> {
    this.calls.push({ command, args });
    this.pending++;
    this.maxPending = Math.max(this.maxPending, this.pending);
    return new Promise((resolve) => {
      this.waiting.push(() => {
        this.pending--;
        resolve(this.reply(command, args));
      });
    });
  }
  getBuffer(key: string) {
    return this.call('GET', [key]);
  }
  set(...args: unknown[]) {
    return this.call('SET', args);
  }
  mgetBuffer(keys: string[]) {
    return this.call('MGET', keys);
  }
  releaseOne(): boolean {
    const next = this.waiting.shift();
    next?.();
    return next !== undefined;
  }
}

const asRedis = (fake: FakeClient): Redis => fake as unknown as Redis;

describe('command keys', () => {
  it('are the names redis-benchmark expands __rand_int__ to (12 digits)', () => {
    const s = spec();
    expect(commandKey(s, 42)).toBe('rpb:cmd:S000000000042:2025-01-17');
    expect(redisBenchmarkKeyPattern(s)).toBe('rpb:cmd:S__rand_int__:2025-01-17');
    expect(redisBenchmarkKeyPattern(s).replace('__rand_int__', '000000000042')).toBe(commandKey(s, 42));
  });
});

describe('commandOperationProblems', () => {
  it('names every bad field at once', () => {
    const problems = commandOperationProblems(
      spec({
        command: 'DEL' as never,
        keyCount: 0,
        mgetSize: 0,
        ttlSeconds: -1,
        valueBase64: '',
        keyDistribution: 'zipfian:7:8',
        keyPrefix: 'a b',
      }),
    );
    expect(problems.join('\n')).toMatch(/command must be one of GET, SET, MGET/);
    expect(problems.join('\n')).toMatch(/keyCount/);
    expect(problems.join('\n')).toMatch(/mgetSize/);
    expect(problems.join('\n')).toMatch(/ttlSeconds/);
    expect(problems.join('\n')).toMatch(/valueBase64/);
    expect(problems.join('\n')).toMatch(/key distribution/);
    expect(problems.join('\n')).toMatch(/spaces/);
    expect(commandOperationProblems(spec({ keySuffix: ':é' })).join('\n')).toMatch(/printable ASCII/);
    expect(() => createCommandOperation(spec({ keyCount: 0 }), asRedis(new FakeClient()))).toThrow(ConfigError);
  });
});

describe('createCommandOperation', () => {
  it('survives a structured clone (what a worker thread receives) and replays the same keys for the same seed and stream', async () => {
    const a = new FakeClient();
    const b = new FakeClient();
    const clone = structuredClone(spec()) as CommandOperationSpec;
    const opA = createCommandOperation(spec(), asRedis(a));
    const opB = createCommandOperation(clone, asRedis(b));
    for (let i = 0; i < 20; i++) {
      void opA(i);
      void opB(i);
    }
    expect(b.calls).toEqual(a.calls);
    const other = new FakeClient();
    const opOther = createCommandOperation(spec({ stream: 'worker-1' }), asRedis(other));
    for (let i = 0; i < 20; i++) void opOther(i);
    expect(other.calls).not.toEqual(a.calls);
    // The worker factory gives each worker its own stream.
    const w0 = new FakeClient();
    const w1 = new FakeClient();
    const op0 = commandOperationFactory(clone, [asRedis(w0)], { workerIndex: 0 });
    const op1 = commandOperationFactory(clone, asRedis(w1), { workerIndex: 1 });
    for (let i = 0; i < 20; i++) {
      void op0(i);
      void op1(i);
    }
    expect(w0.calls).not.toEqual(w1.calls);
  });

  it('sends SET key value EX ttl with the decoded bytes, and MGET of mgetSize keys', async () => {
    const fake = new FakeClient((command) => (command === 'MGET' ? [Buffer.from('a'), Buffer.from('b')] : 'OK'));
    const set = createCommandOperation(spec({ command: 'SET', ttlSeconds: 60 }), asRedis(fake));
    const setDone = set(0);
    fake.releaseOne();
    expect(await setDone).toBe('OK');
    const [key, value, ex, ttl] = fake.calls[0].args as [string, Buffer, string, number];
    expect(key).toMatch(/^rpb:cmd:S\d{12}:2025-01-17$/);
    expect(Buffer.compare(value, VALUE)).toBe(0);
    expect([ex, ttl]).toEqual(['EX', 60]);
    const mget = createCommandOperation(spec({ command: 'MGET', mgetSize: 2 }), asRedis(fake));
    const mgetDone = mget(1);
    fake.releaseOne();
    await mgetDone;
    expect(fake.calls[1]).toMatchObject({ command: 'MGET' });
    expect(fake.calls[1].args).toHaveLength(2);
  });

  it('counts a nil reply as an error when hits are expected, and not otherwise', async () => {
    const fake = new FakeClient(() => null);
    const get = createCommandOperation(spec(), asRedis(fake));
    const miss = get(0);
    fake.releaseOne();
    await expect(miss).rejects.toThrow(/found no value/);
    const lenient = createCommandOperation(spec({ expectHits: false }), asRedis(fake));
    const ok = lenient(1);
    fake.releaseOne();
    await expect(ok).resolves.toBeNull();
  });

  it('never puts more than depth commands on one connection when the caller bounds in-flight at connections x depth', async () => {
    const fakes = [new FakeClient(), new FakeClient(), new FakeClient()];
    const depth = 2;
    const op = createCommandOperation(spec(), fakes.map(asRedis));
    let inFlight = 0;
    let sent = 0;
    const send = (): void => {
      inFlight++;
      void op(sent++).finally(() => {
        inFlight--;
      });
    };
    // Fill the bound, then release replies unevenly (always the first client's when it has any), refilling each time.
    for (let i = 0; i < fakes.length * depth; i++) send();
    for (let round = 0; round < 60; round++) {
      const fake =
        fakes[round % 5 === 0 ? 2 : 0].pending > 0 ? fakes[round % 5 === 0 ? 2 : 0] : fakes.find((f) => f.pending > 0)!;
      fake.releaseOne();
      await new Promise((resolve) => setImmediate(resolve));
      while (inFlight < fakes.length * depth) send();
    }
    for (const fake of fakes) expect(fake.maxPending).toBeLessThanOrEqual(depth);
    expect(fakes.every((f) => f.calls.length > 0)).toBe(true);
  });
});
