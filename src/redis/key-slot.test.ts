import { describe, expect, it } from 'vitest';
import { crc16, keySlot } from './key-slot.ts';

describe('keySlot', () => {
  it('computes the CRC16 check value of the Redis Cluster spec', () => {
    // The spec's reference output: crc16("123456789") = 0x31C3.
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
  });

  it('matches slots printed by CLUSTER KEYSLOT on a real server', () => {
    // Values from `redis-cli CLUSTER KEYSLOT <key>` (Redis 7.0).
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('bar')).toBe(5061);
    expect(keySlot('hello')).toBe(866);
    expect(keySlot('')).toBe(0);
  });

  it('hashes only the hash tag when the key has a non-empty one', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('features:{AAPL}:2025-01-17')).toBe(keySlot('features:{AAPL}:2025-01-18'));
    // The first '{' and the next '}' only.
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });

  it('hashes the whole key when the tag is empty or unclosed', () => {
    expect(keySlot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) % 16384);
    expect(keySlot('foo{bar')).toBe(crc16(Buffer.from('foo{bar')) % 16384);
  });

  it('spreads the document key format (no literal braces) over many slots', () => {
    const slots = new Set(['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA'].map((s) => keySlot(`features:${s}:2025-01-17`)));
    expect(slots.size).toBe(5);
    for (const slot of slots) expect(slot).toBeGreaterThanOrEqual(0);
  });

  it('hashes bytes, not UTF-16 code units', () => {
    expect(keySlot('é')).toBe(keySlot(Buffer.from('é', 'utf8')));
  });
});
