import { FeatureDecodeError } from './codec.ts';

/**
 * One float64 as JSON text such that JSON.parse + decodeJsonNumber gives the same double:
 * finite numbers in JS's shortest round-trip form (ECMA-262 Number::toString); NaN as `null`
 * (JSON has no NaN); ±Infinity as the strings "Infinity" / "-Infinity"; negative zero as `-0`
 * (JSON.stringify would drop its sign, JSON.parse keeps it).
 */
export function encodeJsonNumber(x: number): string {
  if (Number.isNaN(x)) return 'null';
  if (x === Infinity) return '"Infinity"';
  if (x === -Infinity) return '"-Infinity"';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

/** The inverse of encodeJsonNumber; anything else (a string, an object, a boolean) is 'non-numeric'. */
export function decodeJsonNumber(entry: unknown, where: string | number): number {
  if (typeof entry === 'number') return entry;
  if (entry === null) return Number.NaN;
  if (entry === 'Infinity') return Infinity;
  if (entry === '-Infinity') return -Infinity;
  throw new FeatureDecodeError(
    'non-numeric',
    `entry ${where} is ${JSON.stringify(entry)?.slice(0, 40) ?? typeof entry}, not a number`,
  );
}

/** JSON.parse of a codec payload; unparsable text is 'malformed' with the parser's reason. */
export function parseJsonPayload(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new FeatureDecodeError('malformed', `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
