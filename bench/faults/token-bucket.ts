/**
 * Token bucket (Turner, 1986) in bytes. The burst is a short window of the rate, not a second of it,
 * so that a response a few times the rate already takes its full share of time. The cap applies to
 * credit earned while idle; a sender already waiting on the bucket keeps what it earned while its
 * timer ran late, so a busy event loop slows the link no more than the configured rate says.
 */
export class TokenBucket {
  static readonly burstMs = 20;

  #bytesPerMs: number;
  #tokens: number;
  #refilledAtMs: number;

  constructor(bytesPerMs: number, nowMs: number) {
    this.#bytesPerMs = bytesPerMs;
    this.#tokens = this.capacity;
    this.#refilledAtMs = nowMs;
  }

  /** At least one byte, so that a tiny rate still makes progress. */
  get capacity(): number {
    return Math.max(1, this.#bytesPerMs * TokenBucket.burstMs);
  }

  /** The bytes earned so far count at the old rate; later ones at the new. */
  setRate(bytesPerMs: number, nowMs: number): void {
    this.#refill(nowMs);
    this.#bytesPerMs = bytesPerMs;
    this.#tokens = Math.min(this.#tokens, this.capacity);
  }

  /** Whole bytes that may be sent now; `waited`: the caller was blocked on this bucket until now. */
  available(nowMs: number, waited = false): number {
    this.#refill(nowMs, waited);
    return Math.floor(this.#tokens);
  }

  take(bytes: number): void {
    this.#tokens -= bytes;
  }

  /** Time until `bytes` (capped at the capacity, which is all the bucket can ever hold) are available. */
  msUntil(bytes: number, nowMs: number): number {
    this.#refill(nowMs);
    const missing = Math.min(bytes, this.capacity) - this.#tokens;
    return missing <= 0 ? 0 : missing / this.#bytesPerMs;
  }

  #refill(nowMs: number, uncapped = false): void {
    const elapsedMs = Math.max(0, nowMs - this.#refilledAtMs);
    const tokens = this.#tokens + elapsedMs * this.#bytesPerMs;
    this.#tokens = uncapped ? tokens : Math.min(this.capacity, tokens);
    this.#refilledAtMs = nowMs;
  }
}
