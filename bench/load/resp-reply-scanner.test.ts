import { describe, expect, it } from 'vitest';
import { ReplyKind, RespProtocolError, RespReplyScanner } from './resp-reply-scanner.ts';
import type { ReplyKind as Kind } from './resp-reply-scanner.ts';

type Seen = [Kind, string | undefined];

function scan(chunks: readonly Buffer[]): { seen: Seen[]; scanner: RespReplyScanner } {
  const seen: Seen[] = [];
  const scanner = new RespReplyScanner((kind, message) => seen.push([kind, message]));
  for (const chunk of chunks) scanner.push(chunk);
  return { seen, scanner };
}

const value = Buffer.concat([Buffer.from('bin\r\n\0'), Buffer.alloc(3000, 0x0d)]);
/**
 * One reply of each kind the driver meets: GET hit (binary, CR inside), GET miss, SET OK, an
 * error, MGET with and without a nil, an integer, a nil array, an empty array, a nested array.
 */
const STREAM = Buffer.concat([
  Buffer.from(`$${value.length}\r\n`),
  value,
  Buffer.from('\r\n$-1\r\n+OK\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n'),
  Buffer.from('*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n'),
  Buffer.from('*3\r\n$1\r\na\r\n$-1\r\n$2\r\nbc\r\n'),
  Buffer.from(':42\r\n*-1\r\n*0\r\n*2\r\n*1\r\n:1\r\n+x\r\n'),
]);
const EXPECTED: Seen[] = [
  [ReplyKind.Value, undefined],
  [ReplyKind.Nil, undefined],
  [ReplyKind.Value, undefined],
  [ReplyKind.Error, 'WRONGTYPE Operation against a key holding the wrong kind of value'],
  [ReplyKind.Value, undefined],
  [ReplyKind.Nil, undefined],
  [ReplyKind.Value, undefined],
  [ReplyKind.Nil, undefined],
  [ReplyKind.Value, undefined],
  [ReplyKind.Value, undefined],
];

describe('RespReplyScanner', () => {
  it('tells value, nil and error apart, reply by reply, in one chunk', () => {
    const { seen, scanner } = scan([STREAM]);
    expect(seen).toEqual(EXPECTED);
    expect(scanner.buffered).toBe(0);
  });

  it('gives the same replies whatever the chunk boundaries (every single split, then random splits)', () => {
    for (let cut = 1; cut < STREAM.length; cut += 7) {
      expect(scan([STREAM.subarray(0, cut), STREAM.subarray(cut)]).seen).toEqual(EXPECTED);
    }
    let state = 12345;
    const random = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    for (let trial = 0; trial < 200; trial++) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < STREAM.length;) {
        const size = 1 + random(trial % 2 === 0 ? 8 : 900);
        chunks.push(STREAM.subarray(at, at + size));
        at += size;
      }
      expect(scan(chunks).seen).toEqual(EXPECTED);
    }
  });

  it('keeps its own copy of a partial reply: the caller may overwrite the chunk for its next read', () => {
    const shared = Buffer.alloc(1024);
    const seen: Seen[] = [];
    const scanner = new RespReplyScanner((kind, message) => seen.push([kind, message]));
    for (let at = 0; at < STREAM.length; at += 1000) {
      const part = STREAM.subarray(at, at + 1000);
      part.copy(shared);
      scanner.push(shared.subarray(0, part.length));
      shared.fill(0x2a);
    }
    expect(seen).toEqual(EXPECTED);
  });

  it('pushBytes reads only the given bytes of a reused read buffer, never stale bytes past them', () => {
    const seen: Seen[] = [];
    const scanner = new RespReplyScanner((kind, message) => seen.push([kind, message]));
    // Stale CR LFs past the end: a line search that looked at them would end a header early.
    const shared = Buffer.alloc(4096, '\r\n');
    for (let at = 0; at < STREAM.length; at += 700) {
      const length = STREAM.copy(shared, 0, at, Math.min(at + 700, STREAM.length));
      scanner.pushBytes(shared, length);
      shared.fill('\r\n');
    }
    expect(seen).toEqual(EXPECTED);
    expect(scanner.buffered).toBe(0);
  });

  it('finds the end of a long line (an error message) as of a short one', () => {
    const message = `ERR ${'x'.repeat(300)}`;
    expect(scan([Buffer.from(`-${message}\r\n+OK\r\n`)]).seen).toEqual([
      [ReplyKind.Error, message],
      [ReplyKind.Value, undefined],
    ]);
  });

  it('holds back a partial reply and reports nothing for it', () => {
    const { seen, scanner } = scan([Buffer.from('+OK\r\n$10\r\nabc')]);
    expect(seen).toEqual([[ReplyKind.Value, undefined]]);
    expect(scanner.buffered).toBe(8);
  });

  it('an error inside an array makes the reply an error', () => {
    expect(scan([Buffer.from('*2\r\n+OK\r\n-ERR inner\r\n')]).seen).toEqual([[ReplyKind.Error, 'ERR inner']]);
  });

  it('refuses what is not RESP2, naming the problem', () => {
    expect(() => scan([Buffer.from('%1\r\n+a\r\n+b\r\n')])).toThrow(RespProtocolError);
    expect(() => scan([Buffer.from('%1\r\n')])).toThrow(/unexpected type byte 0x25/);
    expect(() => scan([Buffer.from('$abc\r\n')])).toThrow(/not a number/);
    expect(() => scan([Buffer.from('$3\r\nabcXY')])).toThrow(/does not end with CR LF/);
    expect(() => scan([Buffer.from('+OK\rX')])).toThrow(/CR not followed by LF/);
    expect(() => scan([Buffer.from(`$${1024 ** 3}\r\n`)])).toThrow(/over/);
  });
});
