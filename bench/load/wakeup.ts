import { sleepMs } from './precise-wait.ts';

/**
 * Wakes a waiting loop when something it waits for may have changed (an operation settled, the
 * run was aborted). Waiters recheck their own condition: a wake-up is a hint, not a guarantee.
 */
export class Wakeup {
  private resolvers: Array<() => void> = [];

  notify(): void {
    if (this.resolvers.length === 0) return;
    const resolvers = this.resolvers;
    this.resolvers = [];
    for (const resolve of resolvers) resolve();
  }

  /** Resolves at the next notify, after timeoutMs, or on abort; its timer and listener are always removed. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return sleepMs(Math.max(0, timeoutMs), signal, (wake) => this.resolvers.push(wake));
  }
}
