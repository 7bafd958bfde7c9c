/**
 * Pure figures of the compression scenario. Bandwidths are in KB/s with 1 KB = 1000 bytes (as the
 * fault proxy's bandwidth toxic), so that bytes / (KB/s) is milliseconds.
 */

/** base / codec: how many times smaller a codec's value is (> 1: smaller). */
export function sizeRatio(baseBytes: number, codecBytes: number): number {
  return codecBytes > 0 ? baseBytes / codecBytes : Number.NaN;
}

/** Time to move `bytes` over a link of `kbPerSecond`, in ms. */
export function transferMs(bytes: number, kbPerSecond: number): number {
  return bytes / kbPerSecond;
}

export interface ReadCost {
  /** Bytes on the wire for one value (what GET returns). */
  readonly bytes: number;
  /** CPU time to turn those bytes into a vector, ms. */
  readonly decodeMs: number;
}

/**
 * Where a codec's read (bytes over the link + decode) becomes cheaper than a baseline's:
 * - always: fewer bytes and no more CPU: it pays at every bandwidth;
 * - never: more bytes and no less CPU;
 * - below: fewer bytes but more CPU: it pays when the link is slower than kbPerSecond;
 * - above: more bytes but less CPU: it pays when the link is faster than kbPerSecond.
 * Break-even solves decode_c + bytes_c / bw = decode_b + bytes_b / bw for bw.
 */
export type BreakEven =
  | { readonly kind: 'always' | 'never'; readonly kbPerSecond: null }
  | { readonly kind: 'below' | 'above'; readonly kbPerSecond: number };

export function breakEven(codec: ReadCost, baseline: ReadCost): BreakEven {
  const savedBytes = baseline.bytes - codec.bytes;
  const extraMs = codec.decodeMs - baseline.decodeMs;
  if (savedBytes >= 0 && extraMs <= 0) return { kind: 'always', kbPerSecond: null };
  if (savedBytes <= 0 && extraMs >= 0) return { kind: 'never', kbPerSecond: null };
  const kbPerSecond = savedBytes / extraMs;
  return savedBytes > 0 ? { kind: 'below', kbPerSecond } : { kind: 'above', kbPerSecond };
}

export function describeBreakEven(result: BreakEven, baselineName: string): string {
  switch (result.kind) {
    case 'always':
      return `pays at any bandwidth against ${baselineName} (fewer bytes, no more CPU)`;
    case 'never':
      return `never pays against ${baselineName} (more bytes, no less CPU)`;
    case 'below':
      return `pays against ${baselineName} on links slower than ${formatKbPerSecond(result.kbPerSecond)}`;
    case 'above':
      return `pays against ${baselineName} on links faster than ${formatKbPerSecond(result.kbPerSecond)}`;
  }
}

/** 1234 KB/s -> "1.2 MB/s (9.9 Mbit/s)". */
export function formatKbPerSecond(kbPerSecond: number): string {
  const mbit = (kbPerSecond * 8) / 1000;
  const bandwidth = kbPerSecond >= 1000 ? `${(kbPerSecond / 1000).toFixed(1)} MB/s` : `${kbPerSecond.toFixed(0)} KB/s`;
  return `${bandwidth} (${mbit >= 10 ? mbit.toFixed(0) : mbit.toFixed(1)} Mbit/s)`;
}
