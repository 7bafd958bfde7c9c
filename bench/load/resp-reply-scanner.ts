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
/**
 * A line's CR is looked for byte by byte this far (a length line is a few bytes: cheaper than a
 * call into Buffer.indexOf), then with indexOf (a simple string or an error message can be long).
 */
const SHORT_LINE = 24;

/** Incomplete: more bytes are needed. */
const INCOMPLETE = -1;

export type ReplyHandler = (kind: ReplyKind, errorMessage: string | undefined) => void;

/**
 * Incremental scanner: push() each chunk as it arrives (or pushBytes() the first bytes of a
 * reused read buffer); it calls `onReply` once per complete reply, in order, and keeps a copy of a
 * partial reply's bytes for the next chunk (so the caller may reuse the chunk's memory for its
 * next read).
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
    this.pushBytes(chunk, chunk.length);
  }

  /** The first `length` bytes of `buffer` (a read buffer the caller reuses): no view of it is made per read. */
  pushBytes(buffer: Buffer, length: number): void {
    if (this.pending === null) {
      this.scan(buffer, length, true);
      return;
    }
    const joined = Buffer.concat([this.pending, buffer.subarray(0, length)]);
    this.pending = null;
    this.scan(joined, joined.length, false);
  }

  /** Replies in buffer[0, limit); `borrowed`: the caller's memory, so a partial reply is copied out. */
  private scan(buffer: Buffer, limit: number, borrowed: boolean): void {
    let offset = 0;
    while (offset < limit) {
      this.sawNil = false;
      this.errorMessage = undefined;
      const end = this.skipReply(buffer, offset, limit);
      if (end === INCOMPLETE) {
        this.pending = borrowed ? Buffer.from(buffer.subarray(offset, limit)) : buffer.subarray(offset, limit);
        return;
      }
      offset = end;
      if (this.errorMessage !== undefined) this.onReply(ReplyKind.Error, this.errorMessage);
      else this.onReply(this.sawNil ? ReplyKind.Nil : ReplyKind.Value, undefined);
    }
  }

  /** The offset just past the reply starting at `offset` (bytes up to `limit` only), or INCOMPLETE. */
  private skipReply(buffer: Buffer, offset: number, limit: number): number {
    const type = buffer[offset];
    const lineEnd = findLineEnd(buffer, offset + 1, limit);
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
        if (end > limit) return INCOMPLETE;
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
          if (position >= limit) return INCOMPLETE;
          position = this.skipReply(buffer, position, limit);
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

/** Index of the CR of the CR LF ending the line that starts at `from` (before `limit`), or INCOMPLETE. */
function findLineEnd(buffer: Buffer, from: number, limit: number): number {
  let cr = -1;
  const shortEnd = Math.min(limit, from + SHORT_LINE);
  for (let i = from; i < shortEnd; i++) {
    if (buffer[i] === CR) {
      cr = i;
      break;
    }
  }
  if (cr === -1 && shortEnd < limit) {
    cr = buffer.indexOf(CR, shortEnd);
    if (cr >= limit) cr = -1;
  }
  if (cr === -1) {
    if (limit - from > MAX_LINE * 1024) throw new RespProtocolError('a reply line has no CR LF');
    return INCOMPLETE;
  }
  if (cr + 1 >= limit) return INCOMPLETE;
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
