import { describe, expect, it } from 'vitest';
import {
  evictionKnee,
  keysThatFit,
  peakUsedMemory,
  percentOf,
  sampleAt,
  scaledMaxmemoryBytes,
  scaleToDocument,
  streamTtlPxMs,
  sweepMaxmemoryBytes,
} from './memory-figures.ts';
import { DOCUMENT_KEY_SPACE, DOCUMENT_MAXMEMORY_BYTES } from './memory-sizing-params.ts';
import { setCommand } from './no-ttl-stream.ts';

const MIB = 1024 * 1024;

describe('memory-sizing figures', () => {
  it('scales maxmemory by the share of the documented key space (500 x 20 keys at 512mb)', () => {
    expect(DOCUMENT_KEY_SPACE).toBe(10_000);
    expect(scaledMaxmemoryBytes(10_000)).toBe(DOCUMENT_MAXMEMORY_BYTES);
    expect(scaledMaxmemoryBytes(1_000)).toBe(Math.round(51.2 * MIB));
  });

  it('counts the keys that fit above the empty instance, rounded down', () => {
    expect(keysThatFit(512 * MIB, 1_000_000, 3_200)).toBe(Math.floor((512 * MIB - 1_000_000) / 3_200));
    expect(keysThatFit(1_000, 2_000, 100)).toBe(0);
    expect(keysThatFit(1_000, 0, 0)).toBeNaN();
  });

  it('scales a measured used_memory back to the documented universe, the empty instance kept', () => {
    // 1 MB empty + 3 MB of keys on 1,000 keys: 1 MB + 30 MB on 10,000.
    expect(scaleToDocument(4 * MIB, MIB, 1_000)).toBe(31 * MIB);
    expect(scaleToDocument(4 * MIB, MIB, 10_000)).toBe(4 * MIB);
  });

  it('places a sweep point at a share of the peak working set above the empty instance', () => {
    expect(sweepMaxmemoryBytes(1_000, 11_000, 0.5)).toBe(6_000);
    expect(sweepMaxmemoryBytes(1_000, 11_000, 1)).toBe(11_000);
    expect(sweepMaxmemoryBytes(1_000, 500, 0.5)).toBe(1_000);
  });

  it('scales the TTL to the stream clock: 3600 of the 23,400 s between two dates', () => {
    expect(streamTtlPxMs(3_600, 23_400)).toBe(3_600);
    expect(streamTtlPxMs(3_600, 40)).toBe(6);
    expect(streamTtlPxMs(3_600, 1)).toBe(1);
  });

  it('reads the last INFO sample at or before a time, and the peak', () => {
    const samples = [
      { atMs: 0, usedMemory: 10, evictedKeys: 0 },
      { atMs: 20, usedMemory: 30, evictedKeys: 2 },
      { atMs: 40, usedMemory: 20, evictedKeys: 5 },
    ];
    expect(sampleAt(samples, 25)?.evictedKeys).toBe(2);
    expect(sampleAt(samples, 40)?.evictedKeys).toBe(5);
    expect(sampleAt(samples, -1)?.evictedKeys).toBe(0);
    expect(sampleAt([], 10)).toBeNull();
    expect(peakUsedMemory(samples)).toBe(30);
    expect(peakUsedMemory([])).toBeNaN();
    expect(percentOf(1, 0)).toBeNaN();
    expect(percentOf(1, 4)).toBe(25);
  });

  it('brackets where evictions stop being near 0 from the measured points', () => {
    const points = [
      { maxmemoryBytes: 100, evictionsPercent: 0 },
      { maxmemoryBytes: 50, evictionsPercent: 0.05 },
      { maxmemoryBytes: 40, evictionsPercent: 3 },
      { maxmemoryBytes: 20, evictionsPercent: 40 },
      { maxmemoryBytes: 10, evictionsPercent: Number.NaN },
    ];
    expect(evictionKnee(points, 0.1)).toEqual({ smallestNearZero: 50, largestAbove: 40 });
    expect(evictionKnee(points.slice(0, 1), 0.1)).toEqual({ smallestNearZero: 100, largestAbove: null });
  });

  it('writes SET with and without PX as RESP', () => {
    const value = Buffer.from('ab');
    expect(setCommand('k', value, null).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nab\r\n');
    expect(setCommand('k', value, 15).toString('latin1')).toBe(
      '*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nab\r\n$2\r\nPX\r\n$2\r\n15\r\n',
    );
  });
});

describe('evictionsPercent', () => {
  it('puts the evictions after the warm-up against the fills accepted then', async () => {
    const { evictionsPercent } = await import('./memory-sizing-summary.ts');
    const day = { evictionsCounted: 3, fillsCounted: 1_500 } as Parameters<typeof evictionsPercent>[0];
    expect(evictionsPercent(day)).toBeCloseTo(0.2, 12);
    expect(evictionsPercent({ ...day, fillsCounted: 0 })).toBeNaN();
  });
});
