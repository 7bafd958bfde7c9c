/**
 * The benchmark's event payload: `<publisher>:<seq>:<sentNs>:` then padding to the requested size.
 * sentNs is the publisher's process.hrtime at send, relative to this module's load (so it fits a
 * double exactly); publisher and subscribers live in one process, so they read one clock and the
 * difference is the publish-to-receive delay with no clock skew. A text header, not JSON: decoding
 * it costs far less than the delivery it measures.
 */
const ORIGIN_NS = process.hrtime.bigint();

export function benchNowNs(): number {
  return Number(process.hrtime.bigint() - ORIGIN_NS);
}

export interface BenchMessage {
  readonly publisher: number;
  readonly seq: number;
  readonly sentNs: number;
}

export const MIN_PAYLOAD_BYTES = 48;

/** The payload for one message, exactly `bytes` long (at least MIN_PAYLOAD_BYTES). */
export function encodeBenchMessage(
  publisher: number,
  seq: number,
  bytes: number,
  sentNs: number = benchNowNs(),
): string {
  const header = `${publisher}:${seq}:${sentNs}:`;
  return header.length >= bytes ? header : header + 'x'.repeat(bytes - header.length);
}

/** Null for a payload that is not a bench message (counted by the caller as foreign). */
export function decodeBenchMessage(payload: Buffer | string): BenchMessage | null {
  const text = typeof payload === 'string' ? payload.slice(0, 64) : payload.subarray(0, 64).toString('latin1');
  const a = text.indexOf(':');
  const b = text.indexOf(':', a + 1);
  const c = text.indexOf(':', b + 1);
  if (a <= 0 || b <= a || c <= b) return null;
  const publisher = Number(text.slice(0, a));
  const seq = Number(text.slice(a + 1, b));
  const sentNs = Number(text.slice(b + 1, c));
  if (!Number.isInteger(publisher) || !Number.isInteger(seq) || !Number.isFinite(sentNs) || seq < 0 || publisher < 0)
    return null;
  return { publisher, seq, sentNs };
}
