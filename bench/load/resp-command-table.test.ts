import { describe, expect, it } from 'vitest';
import { RespCommandTable, respCommandArguments } from './resp-command-table.ts';
import { encodeCommand } from './resp-connection.ts';

const VALUE = Buffer.from([0, 13, 10, 255, 36]);
const keyOf = (index: number): string => `k:${String(index).padStart(4, '0')}`;

/** SET as encodeCommand would write it, the binary value in its bytes. */
function expectedSet(index: number): Buffer {
  const head = `*5\r\n$3\r\nSET\r\n$${keyOf(index).length}\r\n${keyOf(index)}\r\n$${VALUE.length}\r\n`;
  return Buffer.concat([Buffer.from(head), VALUE, Buffer.from('\r\n$2\r\nEX\r\n$2\r\n60\r\n')]);
}

describe('RespCommandTable', () => {
  it('writes GET, MGET and SET as RESP, the same bytes from the cache as built afresh', () => {
    for (const keyCount of [10, 1_000_000]) {
      const table = new RespCommandTable(keyCount, keyOf, VALUE, 60);
      for (let pass = 0; pass < 2; pass++) {
        expect(table.get(7)).toBe(encodeCommand(['GET', keyOf(7)]));
        const drawn = [3, 1, 4];
        expect(table.mget(3, () => drawn.shift()!)).toBe(encodeCommand(['MGET', keyOf(3), keyOf(1), keyOf(4)]));
        expect(table.set(2).equals(expectedSet(2))).toBe(true);
      }
    }
  });

  it('reuses one SET buffer per key while the key space is small', () => {
    const table = new RespCommandTable(10, keyOf, VALUE, 60);
    expect(table.set(5)).toBe(table.set(5));
    expect(new RespCommandTable(1_000_000, keyOf, VALUE, 60).set(5)).not.toBe(table.set(5));
  });

  it("reads a command's arguments back (a miss's error names its keys)", () => {
    expect(respCommandArguments(encodeCommand(['GET', 'a:1']))).toEqual(['a:1']);
    expect(respCommandArguments(encodeCommand(['MGET', 'a:1', 'b:2', 'c:3']))).toEqual(['a:1', 'b:2', 'c:3']);
  });
});
