import { describe, expect, it } from 'vitest';
import { breakEven, describeBreakEven, formatKbPerSecond, sizeRatio, transferMs } from './compression-figures.ts';

describe('compression figures', () => {
  it('size ratio and transfer time', () => {
    expect(sizeRatio(50_000, 5_000)).toBe(10);
    expect(sizeRatio(1, 0)).toBeNaN();
    expect(transferMs(50_000, 1_000)).toBe(50);
  });

  it('break-even bandwidth: fewer bytes for more CPU pays below it', () => {
    // saves 3000 bytes, costs 0.03 ms more: 3000 / 0.03 = 100000 KB/s (100 MB/s).
    const result = breakEven({ bytes: 1_000, decodeMs: 0.05 }, { bytes: 4_000, decodeMs: 0.02 });
    expect(result.kind).toBe('below');
    expect(result.kbPerSecond).toBeCloseTo(100_000, 6);
    // At the break-even both reads cost the same.
    const bw = result.kbPerSecond!;
    expect(0.05 + transferMs(1_000, bw)).toBeCloseTo(0.02 + transferMs(4_000, bw), 9);
    expect(describeBreakEven(result, 'json-array')).toBe(
      'pays against json-array on links slower than 100.0 MB/s (800 Mbit/s)',
    );
  });

  it('always, never and above', () => {
    expect(breakEven({ bytes: 1_000, decodeMs: 0.01 }, { bytes: 4_000, decodeMs: 0.02 }).kind).toBe('always');
    expect(breakEven({ bytes: 5_000, decodeMs: 0.03 }, { bytes: 4_000, decodeMs: 0.02 }).kind).toBe('never');
    const above = breakEven({ bytes: 5_000, decodeMs: 0.01 }, { bytes: 4_000, decodeMs: 0.02 });
    expect(above).toEqual({ kind: 'above', kbPerSecond: 100_000 });
    expect(formatKbPerSecond(500)).toBe('500 KB/s (4.0 Mbit/s)');
  });
});
