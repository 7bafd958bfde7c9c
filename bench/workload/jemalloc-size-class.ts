/**
 * jemalloc 5 size classes (Redis's default allocator): four classes per doubling above 64 bytes
 * (…, 2560, 3072, 3584, 4096, 5120, 6144, …), so an allocation just over a class boundary takes the
 * next class whole: a 4,100-byte value string lands in a 5,120-byte slot.
 * Small classes (<= 64 bytes: 8, 16, 32, 48, 64) are step 16 above 16.
 */
export function jemallocSizeClass(bytes: number): number {
  if (bytes <= 8) return 8;
  if (bytes <= 64) return Math.ceil(bytes / 16) * 16;
  const group = 2 ** Math.floor(Math.log2(bytes - 1));
  const step = group / 4;
  return Math.ceil(bytes / step) * step;
}

/**
 * Bytes Redis allocates for a string value of `length` bytes stored raw (an sds: header + data + NUL).
 * sdshdr8 up to 255 bytes (3-byte header), sdshdr16 up to 65,535 (5), sdshdr32 beyond (9).
 */
export function sdsAllocation(length: number): { readonly requested: number; readonly slot: number } {
  const header = length < 256 ? 3 : length < 65_536 ? 5 : 9;
  const requested = header + length + 1;
  return { requested, slot: jemallocSizeClass(requested) };
}
