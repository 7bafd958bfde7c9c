/** Hash slots of a Redis Cluster: every key maps to one of 16384. */
export const CLUSTER_SLOT_COUNT = 16_384;

// CRC16-CCITT (XMODEM: poly 0x1021, init 0), the variant the Redis Cluster spec names ("Keys distribution model").
const CRC16_TABLE = ((): Uint16Array => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i += 1) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ bytes[i]) & 0xff];
  return crc;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * The slot of a key, as the server computes it: CRC16 of the key's bytes mod 16384, or of its hash
 * tag when it has one (the bytes between the first '{' and the next '}', if not empty).
 */
export function keySlot(key: string | Uint8Array): number {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const open = bytes.indexOf(OPEN_BRACE);
  if (open !== -1) {
    const close = bytes.indexOf(CLOSE_BRACE, open + 1);
    if (close > open + 1) return crc16(bytes, open + 1, close) & (CLUSTER_SLOT_COUNT - 1);
  }
  return crc16(bytes) & (CLUSTER_SLOT_COUNT - 1);
}
