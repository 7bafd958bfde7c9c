const TWO_POW_32 = 4_294_967_296;
const FNV64_OFFSET_BASIS_HIGH = 0xcbf29ce4;
const FNV64_OFFSET_BASIS_LOW = 0x84222325;
/** The FNV-64 prime is 2^40 + 0x1b3, which makes the multiply cheap on 32-bit halves. */
const FNV64_PRIME_LOW = 0x1b3;
/** Largest modulus for which the 16-bit Horner reduction below stays exact in doubles (2^53 / 2^16). */
export const FNV_HASH_64_MAX_MODULUS = 2 ** 37;

/**
 * YCSB's Utils.fnvhash64(value) % modulus: FNV-1a 64 (http://www.isthe.com/chongo/tech/comp/fnv/)
 * over the 8 little-endian bytes of `value`, read as a signed 64-bit integer, absolute value,
 * then modulo.
 *
 * Exact 64-bit arithmetic on two 32-bit halves rather than BigInt: the same bits as YCSB (tested
 * against a BigInt reference) at ~4x less cost per draw (~100 ns vs ~430 ns measured), which
 * matters on the load generator's hot path. A 32-bit FNV would be cheaper still but would scatter
 * keys differently from YCSB. One deliberate difference: Java's Math.abs(Long.MIN_VALUE) stays
 * negative; here that hash is taken as 2^63.
 *
 * `value` is a non-negative safe integer; `modulus` a positive integer <= FNV_HASH_64_MAX_MODULUS.
 */
export function fnvHash64Modulo(value: number, modulus: number): number {
  let valueLow = value >>> 0;
  let valueHigh = Math.floor(value / TWO_POW_32) >>> 0;
  let high = FNV64_OFFSET_BASIS_HIGH;
  let low = FNV64_OFFSET_BASIS_LOW;
  for (let byte = 0; byte < 8; byte++) {
    const octet = byte < 4 ? valueLow & 0xff : valueHigh & 0xff;
    if (byte < 4) valueLow >>>= 8;
    else valueHigh >>>= 8;
    low = (low ^ octet) >>> 0;
    // (high * 2^32 + low) * (2^40 + 0x1b3) mod 2^64, term by term.
    const lowProduct = low * FNV64_PRIME_LOW; // < 2^41: exact
    const carry = Math.floor(lowProduct / TWO_POW_32);
    high = (Math.imul(high, FNV64_PRIME_LOW) + carry + (low << 8)) >>> 0;
    low = lowProduct >>> 0;
  }
  if (high >= 0x80000000) {
    // Two's complement negation: the absolute value of the signed 64-bit hash.
    low = (~low + 1) >>> 0;
    high = (~high + (low === 0 ? 1 : 0)) >>> 0;
  }
  let remainder = (high >>> 16) % modulus;
  remainder = (remainder * 65_536 + (high & 0xffff)) % modulus;
  remainder = (remainder * 65_536 + (low >>> 16)) % modulus;
  return (remainder * 65_536 + (low & 0xffff)) % modulus;
}
