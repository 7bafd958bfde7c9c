/**
 * Counts RESP2 replies in a byte stream in one pass, keeping nothing of them: what it takes to time
 * a KEYS * over a million keys to its last byte without the client building a million strings
 * (ioredis takes seconds for that) or re-scanning a partial reply on every chunk.
 */
export class ReplySkipper {
  /** Replies completed so far. */
  replies = 0;
  /** The first error reply's text, if any. */
  error: string | null = null;
  #line = '';
  #skipBytes = 0;
  /** Elements still owed by the arrays being read (a stack: arrays may nest). */
  readonly #owed: number[] = [];

  /** Feeds one chunk; returns the replies completed so far. */
  push(chunk: Buffer): number {
    let i = 0;
    while (i < chunk.length) {
      if (this.#skipBytes > 0) {
        const n = Math.min(this.#skipBytes, chunk.length - i);
        this.#skipBytes -= n;
        i += n;
        if (this.#skipBytes === 0) this.#elementDone();
        continue;
      }
      const end = chunk.indexOf(10, i);
      if (end < 0) {
        this.#line += chunk.toString('latin1', i);
        break;
      }
      this.#line += chunk.toString('latin1', i, end);
      i = end + 1;
      const line = this.#line.endsWith('\r') ? this.#line.slice(0, -1) : this.#line;
      this.#line = '';
      this.#header(line);
    }
    return this.replies;
  }

  #header(line: string): void {
    const type = line[0];
    const length = Number(line.slice(1));
    if (type === '$' && length >= 0) {
      this.#skipBytes = length + 2;
      return;
    }
    if (type === '*' && length > 0) {
      this.#owed.push(length);
      return;
    }
    if (type === '-') this.error ??= line.slice(1);
    // A simple string, an integer, an error, a nil or an empty array: one element, complete.
    this.#elementDone();
  }

  #elementDone(): void {
    while (this.#owed.length > 0) {
      const last = this.#owed.length - 1;
      this.#owed[last] -= 1;
      if (this.#owed[last] > 0) return;
      this.#owed.pop();
    }
    this.replies += 1;
  }
}
