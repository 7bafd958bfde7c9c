import { describe, expect, it } from 'vitest';
import { classifyFailure, startOperation } from './load-operation.ts';

describe('classifyFailure', () => {
  it('recognises the timeouts clients throw', () => {
    expect(classifyFailure(new Error('Command timed out'))).toBe('timeout');
    expect(classifyFailure(Object.assign(new Error('x'), { name: 'TimeoutError' }))).toBe('timeout');
    expect(classifyFailure(Object.assign(new Error('connect'), { code: 'ETIMEDOUT' }))).toBe('timeout');
  });

  it('counts anything else as an error', () => {
    expect(classifyFailure(new Error('ECONNREFUSED'))).toBe('error');
    expect(classifyFailure('a string')).toBe('error');
    expect(classifyFailure(undefined)).toBe('error');
  });
});

describe('startOperation', () => {
  it('turns a synchronous throw into a rejection', async () => {
    const operation = (): Promise<unknown> => {
      throw new Error('sync');
    };
    await expect(startOperation(operation, 0)).rejects.toThrow('sync');
  });
});
