import { describe, expect, it } from 'vitest';
import { ReplySkipper } from './reply-skipper.ts';

const keysReply = (keys: readonly string[]): Buffer =>
  Buffer.from(`*${keys.length}\r\n${keys.map((k) => `$${k.length}\r\n${k}\r\n`).join('')}`, 'latin1');

describe('ReplySkipper', () => {
  it('counts an array of bulk strings as one reply, however it is cut into chunks', () => {
    const bytes = Buffer.concat([Buffer.from('+OK\r\n'), keysReply(['a', 'key:12', 'x'.repeat(300)])]);
    for (const size of [1, 2, 7, bytes.length]) {
      const skipper = new ReplySkipper();
      const counts: number[] = [];
      for (let i = 0; i < bytes.length; i += size) counts.push(skipper.push(bytes.subarray(i, i + size)));
      expect(counts.at(-1), `chunks of ${size}`).toBe(2);
      expect(counts.at(-2) ?? 1, `chunks of ${size}`).toBeLessThanOrEqual(1);
    }
  });

  it('takes nil, empty and nested arrays and keeps the first error', () => {
    const skipper = new ReplySkipper();
    expect(skipper.push(Buffer.from('$-1\r\n*0\r\n*2\r\n*1\r\n:5\r\n$1\r\nz\r\n-ERR no\r\n'))).toBe(4);
    expect(skipper.error).toBe('ERR no');
  });

  it('is not done before the last element of a large reply arrived', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `rpb:slow:${i}`);
    const bytes = keysReply(keys);
    const skipper = new ReplySkipper();
    expect(skipper.push(bytes.subarray(0, bytes.length - 1))).toBe(0);
    expect(skipper.push(bytes.subarray(bytes.length - 1))).toBe(1);
  });
});
