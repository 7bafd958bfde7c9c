/**
 * What one subscriber saw of the send order across publishers: an event that arrives after one sent
 * later (by any publisher) is a send-time inversion, the "out of order" the document warns about.
 * Within one publisher connection the sequence tracker checks order; this looks across them.
 */
export class SendTimeInversions {
  #latestSentNs = Number.NEGATIVE_INFINITY;
  #count = 0;

  /** Records one arrival by its send time (the publisher's hrtime, ns); true when it is an inversion. */
  observe(sentNs: number): boolean {
    if (sentNs < this.#latestSentNs) {
      this.#count += 1;
      return true;
    }
    this.#latestSentNs = sentNs;
    return false;
  }

  get count(): number {
    return this.#count;
  }
}
