/**
 * JSON.stringify that never writes invalid JSON: NaN and ±Infinity become null and bigint
 * becomes a number (or a string when it exceeds 2^53), so every reader can load the file.
 */
export function toSafeJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      if (typeof v === 'bigint')
        return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
      return v;
    },
    indent,
  );
}
