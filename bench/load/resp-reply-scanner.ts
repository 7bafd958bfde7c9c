/**
 * Finds where RESP2 replies end in a byte stream, without decoding them: what a load generator
 * needs to match replies to commands (as redis-benchmark does) and no more. Each complete reply
 * is summarised as a value, a nil (a nil bulk or array, or an array holding a nil element, as an
 * MGET with a missing key returns) or an error with its message; values are never copied.
 *
 * Only RESP2 is read (the connection never sends HELLO 3): any other type byte is a protocol error.
 */

export const ReplyKind = { Value: 0, Nil: 1, Error: 2 } as const;
export type ReplyKind = (typeof ReplyKind)[keyof typeof ReplyKind];

export class RespProtocolError extends Error {
  constructor(message: string) {
    super(`RESP protocol error: ${message}`);
    this.name = 'RespProtocolError';
  }
}

const CR = 13;
const PLUS = 43; // +
const MINUS = 45; // -
const COLON = 58; // :
const DOLLAR = 36; // $
const STAR = 42; // *

/** Bulk strings and arrays longer than this are refused (Redis's own proto-max-bulk-len default is 512 MB). */
const MAX_LENGTH = 512 * 1024 * 1024;
/** A header line (type byte, digits, CR LF) longer than this is not RESP. */
const MAX_LINE = 64;

/** Incomplete: more bytes are needed. */
const INCOMPLETE = -1;

export type ReplyHandler = (kind: ReplyKind, errorMessage: string | undefined) => void;

/**
 * Incremental scanner: push() each chunk as it arrives; it calls `onReply` once per complete
 * reply, in order, and keeps a copy of a partial reply's bytes for the next chunk (so the caller
 * may reuse the chunk's memory for its next read).
 */
export class RespReplyScanner {
  private pending: Buffer | null = null;
  // Set by the parse of one reply: whether a nil was seen (arrays), and the error's message.
  private sawNil = false;
  private errorMessage: string | undefined = undefined;

  constructor(private readonly onReply: ReplyHandler) {}

  /** Bytes held back, waiting for the rest of a reply. */
  get buffered(): number {
    return this.pending?.length ?? 0;
  }

  push(chunk: Buffer): void {
    const buffer = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = null;
    let offset = 0;
    while (offset < buffer.length) {
      this.sawNil = false;
      this.errorMessage = undefined;
      const end = this.skipReply(buffer, offset);
      if (end === INCOMPLETE) {
        // A chunk of the caller's is copied; a concatenation is already ours.
        this.pending = buffer === chunk ? Buffer.from(chunk.subarray(offset)) : buffer.subarray(offset);
        return;
      }
      offset = end;
      if (this.errorMessage !== undefined) this.onReply(ReplyKind.Error, this.errorMessage);
      else this.onReply(this.sawNil ? ReplyKind.Nil : ReplyKind.Value, undefined);
    }
  }

  /** The offset just past the reply starting at `offset`, or INCOMPLETE. */
  private skipReply(buffer: Buffer, offset: number): number {
    const type = buffer[offset];
    const lineEnd = findLineEnd(buffer, offset + 1);
    if (lineEnd === INCOMPLETE) return INCOMPLETE;
    switch (type) {
      case PLUS:
      case COLON:
        return lineEnd + 2;
      case MINUS:
        // An error inside an array (EXEC) makes the whole reply an error; the first message is kept.
        this.errorMessage ??= buffer.toString('utf8', offset + 1, lineEnd);
        return lineEnd + 2;
      case DOLLAR: {
        const length = readLength(buffer, offset + 1, lineEnd);
        if (length < 0) {
          this.sawNil = true;
          return lineEnd + 2;
        }
        const end = lineEnd + 2 + length + 2;
        if (end > buffer.length) return INCOMPLETE;
        if (buffer[end - 2] !== CR || buffer[end - 1] !== 10)
          throw new RespProtocolError(`a bulk string of ${length} bytes does not end with CR LF`);
        return end;
      }
      case STAR: {
        const count = readLength(buffer, offset + 1, lineEnd);
        if (count < 0) {
          this.sawNil = true;
          return lineEnd + 2;
        }
        let position = lineEnd + 2;
        for (let i = 0; i < count; i++) {
          if (position >= buffer.length) return INCOMPLETE;
          position = this.skipReply(buffer, position);
          if (position === INCOMPLETE) return INCOMPLETE;
        }
        return position;
      }
      default:
        throw new RespProtocolError(
          `unexpected type byte 0x${(type ?? 0).toString(16).padStart(2, '0')} (only RESP2 replies are read)`,
        );
    }
  }
}

/** Index of the CR of the CR LF ending the line that starts at `from`, or INCOMPLETE. */
function findLineEnd(buffer: Buffer, from: number): number {
  const cr = buffer.indexOf(CR, from);
  if (cr === -1) {
    if (buffer.length - from > MAX_LINE * 1024) throw new RespProtocolError('a reply line has no CR LF');
    return INCOMPLETE;
  }
  if (cr + 1 >= buffer.length) return INCOMPLETE;
  if (buffer[cr + 1] !== 10) throw new RespProtocolError('CR not followed by LF');
  return cr;
}

/** The decimal length between `from` and `end` (-1 for a nil); anything else is a protocol error. */
function readLength(buffer: Buffer, from: number, end: number): number {
  if (end - from > MAX_LINE) throw new RespProtocolError('a length line is too long');
  if (end - from === 2 && buffer[from] === MINUS && buffer[from + 1] === 49) return -1;
  if (end === from) throw new RespProtocolError('an empty length');
  let value = 0;
  for (let i = from; i < end; i++) {
    const digit = buffer[i] - 48;
    if (digit < 0 || digit > 9)
      throw new RespProtocolError(`a length is not a number: ${JSON.stringify(buffer.toString('latin1', from, end))}`);
    value = value * 10 + digit;
  }
  if (value > MAX_LENGTH) throw new RespProtocolError(`a length of ${value} is over ${MAX_LENGTH}`);
  return value;
}
