import type { BreakerState } from '../cache/cache-health.ts';

/**
 * Circuit breaker (Nygard, "Release It!", 2nd ed., ch. 5): after `failureThreshold` consecutive
 * failures the circuit opens and calls are refused without touching Redis, so a dead Redis costs
 * one fast refusal per request instead of one timeout each. After `openDurationMs` the next call is
 * let through as a probe (half-open, at most `halfOpenMaxProbes` at a time): its success closes the
 * circuit, its failure opens it again for another `openDurationMs`.
 */
export interface CircuitBreakerOptions {
  /** Consecutive failures (timeouts, lost connections) that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses calls before letting a probe through. */
  readonly openDurationMs: number;
  /** Calls allowed through at once while half-open; the rest are refused like an open circuit. */
  readonly halfOpenMaxProbes: number;
  /** Monotonic milliseconds; injectable so tests drive time. */
  readonly clock: () => number;
  /** Told of every state change (for logs and counters); must not throw. */
  readonly onTransition: (from: BreakerState, to: BreakerState) => void;
}

export const DEFAULT_CIRCUIT_BREAKER_OPTIONS: CircuitBreakerOptions = Object.freeze({
  failureThreshold: 3,
  // Below the "first hit within 1 s after Redis is back": a probe goes out twice a second.
  openDurationMs: 500,
  halfOpenMaxProbes: 1,
  clock: () => performance.now(),
  onTransition: () => {},
});

type State =
  | { readonly kind: 'closed'; readonly consecutiveFailures: number }
  | { readonly kind: 'open'; readonly sinceMs: number }
  | { readonly kind: 'half-open'; readonly probesInFlight: number };

/** A permit to call; report its result exactly once with success() or failure(). */
export interface BreakerPermit {
  success(): void;
  failure(): void;
}

export class CircuitBreaker {
  private readonly options: CircuitBreakerOptions;
  private current: State = { kind: 'closed', consecutiveFailures: 0 };
  private transitionCount = 0;

  constructor(options: Partial<CircuitBreakerOptions> = {}) {
    const resolved: CircuitBreakerOptions = {
      ...DEFAULT_CIRCUIT_BREAKER_OPTIONS,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    };
    const problems: string[] = [];
    if (!Number.isInteger(resolved.failureThreshold) || resolved.failureThreshold < 1)
      problems.push(`failureThreshold must be an integer >= 1 (got ${resolved.failureThreshold})`);
    if (!Number.isFinite(resolved.openDurationMs) || resolved.openDurationMs <= 0)
      problems.push(`openDurationMs must be a positive number (got ${resolved.openDurationMs})`);
    if (!Number.isInteger(resolved.halfOpenMaxProbes) || resolved.halfOpenMaxProbes < 1)
      problems.push(`halfOpenMaxProbes must be an integer >= 1 (got ${resolved.halfOpenMaxProbes})`);
    if (problems.length > 0) throw new RangeError(`Invalid circuit breaker options: ${problems.join('; ')}`);
    this.options = resolved;
  }

  /** The state as of now: an open circuit whose wait is over reads as half-open. */
  get state(): BreakerState {
    this.expireOpen();
    return this.current.kind;
  }

  /** State changes since construction (a flapping circuit shows here). */
  get transitions(): number {
    return this.transitionCount;
  }

  /** A permit to call Redis, or null: refused (open, or half-open with its probes out). */
  tryAcquire(): BreakerPermit | null {
    this.expireOpen();
    const state = this.current;
    if (state.kind === 'open') return null;
    if (state.kind === 'half-open') {
      if (state.probesInFlight >= this.options.halfOpenMaxProbes) return null;
      this.current = { kind: 'half-open', probesInFlight: state.probesInFlight + 1 };
      return this.permit(true);
    }
    return this.permit(false);
  }

  /**
   * Ends an open circuit's wait now (open -> half-open): for outside evidence that Redis is back,
   * such as the client's 'ready' event after a reconnection. No effect in other states.
   */
  probeNow(): void {
    if (this.current.kind === 'open') this.moveTo({ kind: 'half-open', probesInFlight: 0 });
  }

  private permit(probe: boolean): BreakerPermit {
    let settled = false;
    const settle = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      if (ok) this.onSuccess(probe);
      else this.onFailure(probe);
    };
    return { success: () => settle(true), failure: () => settle(false) };
  }

  private onSuccess(probe: boolean): void {
    const state = this.current;
    if (state.kind === 'half-open' && probe) this.moveTo({ kind: 'closed', consecutiveFailures: 0 });
    else if (state.kind === 'closed') this.current = { kind: 'closed', consecutiveFailures: 0 };
    // A call let through while closed that succeeds after the circuit opened says nothing new.
  }

  private onFailure(probe: boolean): void {
    const state = this.current;
    if (state.kind === 'half-open' && probe) {
      this.moveTo({ kind: 'open', sinceMs: this.options.clock() });
    } else if (state.kind === 'closed') {
      const failures = state.consecutiveFailures + 1;
      if (failures >= this.options.failureThreshold) this.moveTo({ kind: 'open', sinceMs: this.options.clock() });
      else this.current = { kind: 'closed', consecutiveFailures: failures };
    }
  }

  private expireOpen(): void {
    const state = this.current;
    if (state.kind === 'open' && this.options.clock() - state.sinceMs >= this.options.openDurationMs) {
      this.moveTo({ kind: 'half-open', probesInFlight: 0 });
    }
  }

  private moveTo(next: State): void {
    const from = this.current.kind;
    this.current = next;
    if (from !== next.kind) {
      this.transitionCount += 1;
      this.options.onTransition(from, next.kind);
    }
  }
}
