/**
 * Request coalescing ("single flight", after Go's golang.org/x/sync/singleflight): concurrent
 * callers for the same key share one execution of the work, so a burst of misses on one key (an
 * expiry, a FLUSHALL) computes it once instead of once per request. Nothing is cached: a call that
 * starts after the shared one settled runs the work again.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();
  private joinedCount = 0;
  private executedCount = 0;

  /** Runs `work` for `key`, or joins the run already in flight for it; all callers get its result or error. */
  run(key: string, work: () => Promise<T>): { readonly result: Promise<T>; readonly shared: boolean } {
    const running = this.inFlight.get(key);
    if (running !== undefined) {
      this.joinedCount += 1;
      return { result: running, shared: true };
    }
    this.executedCount += 1;
    // Started on the next microtask, so that the key is registered before the work can settle.
    const result = Promise.resolve()
      .then(work)
      .finally(() => {
        if (this.inFlight.get(key) === result) this.inFlight.delete(key);
      });
    this.inFlight.set(key, result);
    return { result, shared: false };
  }

  /** Calls that joined a run in flight instead of running the work. */
  get joined(): number {
    return this.joinedCount;
  }

  /** Calls that ran the work. */
  get executed(): number {
    return this.executedCount;
  }

  get pending(): number {
    return this.inFlight.size;
  }
}
