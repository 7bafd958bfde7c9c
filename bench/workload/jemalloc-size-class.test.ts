import { describe, expect, it } from 'vitest';
import { jemallocSizeClass, sdsAllocation } from './jemalloc-size-class.ts';
import { sizeClassWarning } from './memory-per-key.ts';

describe('jemalloc size classes', () => {
  it('rounds up to four classes per doubling', () => {
    expect(jemallocSizeClass(4096)).toBe(4096);
    expect(jemallocSizeClass(4097)).toBe(5120);
    expect(jemallocSizeClass(2745)).toBe(3072);
    expect(jemallocSizeClass(5121)).toBe(6144);
    expect(jemallocSizeClass(100)).toBe(112);
    expect(jemallocSizeClass(40)).toBe(48);
  });

  it('adds the sds header and NUL before rounding: a 4,095-byte value no longer fits 4 KB', () => {
    expect(sdsAllocation(4_090)).toEqual({ requested: 4_096, slot: 4_096 });
    expect(sdsAllocation(4_095)).toEqual({ requested: 4_101, slot: 5_120 });
  });
});

describe('size-class warning', () => {
  const memory = (meanValueBytes: number) => {
    const { requested, slot } = sdsAllocation(meanValueBytes);
    return {
      keysFilled: 1,
      baselineUsedMemory: 0,
      usedMemoryPerKey: 0,
      memoryUsagePerKey: 0,
      meanValueBytes,
      valueSlotBytes: slot,
      valueSlackBytes: slot - requested,
    };
  };
  it('says so when a value just passes a class boundary, and not otherwise', () => {
    expect(sizeClassWarning(memory(4_100))).toMatch(
      /just over the 4096-byte jemalloc class, so it takes a 5120-byte slot/,
    );
    expect(sizeClassWarning(memory(2_745))).toBeNull();
    expect(sizeClassWarning(memory(4_080))).toBeNull();
  });
});
