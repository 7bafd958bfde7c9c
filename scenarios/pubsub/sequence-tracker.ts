/**
 * What one subscriber saw of one or more publishers' sequence numbers (0, 1, 2, ... per
 * publisher): how many arrived, twice, out of order (below the highest already seen from that
 * publisher), and which never arrived. Memory: one byte per sequence number.
 */
export class SequenceTracker {
  #seen = new Map<number, Uint8Array>();
  #highest = new Map<number, number>();
  received = 0;
  duplicates = 0;
  reordered = 0;

  record(publisher: number, seq: number): void {
    let seen = this.#seen.get(publisher);
    if (seen === undefined || seq >= seen.length) {
      const grown = new Uint8Array(Math.max(1024, (seq + 1) * 2));
      if (seen !== undefined) grown.set(seen);
      seen = grown;
      this.#seen.set(publisher, seen);
    }
    if (seen[seq] === 1) {
      this.duplicates += 1;
      return;
    }
    seen[seq] = 1;
    this.received += 1;
    const highest = this.#highest.get(publisher) ?? -1;
    if (seq < highest) this.reordered += 1;
    else this.#highest.set(publisher, seq);
  }

  has(publisher: number, seq: number): boolean {
    return this.#seen.get(publisher)?.[seq] === 1;
  }

  /** Sequence numbers in [from, to) of a publisher that never arrived. */
  missing(publisher: number, from: number, to: number): number[] {
    const out: number[] = [];
    for (let seq = from; seq < to; seq++) if (!this.has(publisher, seq)) out.push(seq);
    return out;
  }
}
