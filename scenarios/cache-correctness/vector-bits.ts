import { createHash } from 'node:crypto';

/**
 * "Same features" read bit for bit: two float64 values are the same when their 64 bits are, except
 * that every NaN equals every NaN (a NaN's payload bits carry no value; codecs and JSON canonicalise
 * it). -0 and 0 differ: a codec that loses the sign of zero is a finding.
 */
export function sameFloat(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** Index of the first element that differs (length first), -1 when the vectors are the same. */
export function firstDifference(a: Float64Array | null, b: Float64Array | null): number {
  if (a === null || b === null) return a === b ? -1 : 0;
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!sameFloat(a[i]!, b[i]!)) return i;
  return -1;
}

/** SHA-256 of the vector's float64 bits with every NaN canonicalised: equal hashes, same vector. */
export function vectorHash(v: Float64Array): string {
  const copy = Float64Array.from(v, (x) => (Number.isNaN(x) ? Number.NaN : x));
  return createHash('sha256')
    .update(Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength))
    .digest('hex');
}

/** The largest absolute and relative error of a lossy copy (NaN where the original is NaN is no error). */
export function maxErrors(original: Float64Array, copy: Float64Array): { abs: number; rel: number } {
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < original.length; i++) {
    const x = original[i]!;
    const y = copy[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const error = Math.abs(x - y);
    if (!Number.isFinite(error)) return { abs: Number.POSITIVE_INFINITY, rel: Number.POSITIVE_INFINITY };
    abs = Math.max(abs, error);
    if (x !== 0) rel = Math.max(rel, error / Math.abs(x));
  }
  return { abs, rel };
}
