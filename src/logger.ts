/**
 * The logging seam of the system under test. Components take a Logger so that a service writes
 * structured lines while the harness can silence them (logging on a measured path skews latency).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A logger that drops everything (the default inside measured loops). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** JSON lines on stderr, one per event, at or above `minLevel`. */
export function createStderrLogger(
  minLevel: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[minLevel]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** The kind a line is rate-limited under; undefined: the line's own message. */
export type LineKindOf = (message: string, fields: LogFields | undefined) => string | undefined;

export interface RateLimitedLoggerOptions {
  /** At most one warn or error line per kind in this many ms; the others are counted, not written. */
  readonly intervalMs: number;
  readonly kindOf: LineKindOf;
  /** Beyond this many kinds (a message with variable text is a kind of its own), lines share one kind. */
  readonly maxKinds: number;
  /** Monotonic milliseconds. */
  readonly clock: () => number;
}

export const DEFAULT_RATE_LIMITED_LOGGER_OPTIONS: RateLimitedLoggerOptions = Object.freeze({
  intervalMs: 1_000,
  kindOf: () => undefined,
  maxKinds: 256,
  clock: () => performance.now(),
});

/** A logger that must be closed: close() writes the lines it still holds back and stops its timers. */
export interface RateLimitedLogger extends Logger {
  close(): void;
}

type Level = 'warn' | 'error';

interface HeldLine {
  readonly level: Level;
  readonly message: string;
  readonly fields: LogFields | undefined;
  /** From kindOf; undefined: the line is limited under its message. */
  readonly kind: string | undefined;
}

interface KindState {
  nextAllowedMs: number;
  /** The latest line held back, written when the interval ends; the ones before it are only counted. */
  held: HeldLine | null;
  suppressed: number;
  timer: NodeJS.Timeout | undefined;
}

const OVERFLOW_KIND = '(other kinds)';

/**
 * Bounds warn and error lines to one per kind per interval, so that a failing dependency logs a
 * line a second instead of one per request. The first line of a kind is written at once; later ones
 * within the interval are held back and, when it ends, the latest is written with `suppressed`: how
 * many others of its kind were not written since the previous line. Written lines carry their `kind`
 * when kindOf gave one. debug and info pass through.
 */
export function createRateLimitedLogger(
  inner: Logger,
  options: Partial<RateLimitedLoggerOptions> = {},
): RateLimitedLogger {
  const { intervalMs, kindOf, maxKinds, clock }: RateLimitedLoggerOptions = {
    ...DEFAULT_RATE_LIMITED_LOGGER_OPTIONS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  const kinds = new Map<string, KindState>();

  const stateOf = (key: string): KindState => {
    const known = kinds.has(key) || kinds.size < maxKinds ? key : OVERFLOW_KIND;
    let state = kinds.get(known);
    if (state === undefined) {
      state = { nextAllowedMs: Number.NEGATIVE_INFINITY, held: null, suppressed: 0, timer: undefined };
      kinds.set(known, state);
    }
    return state;
  };

  const write = (state: KindState, line: HeldLine): void => {
    clearTimeout(state.timer);
    state.timer = undefined;
    inner[line.level](line.message, {
      ...line.fields,
      ...(line.kind === undefined ? {} : { kind: line.kind }),
      ...(state.suppressed > 0 ? { suppressed: state.suppressed } : {}),
    });
    state.held = null;
    state.suppressed = 0;
    state.nextAllowedMs = clock() + intervalMs;
  };

  const release = (state: KindState): void => {
    state.timer = undefined;
    if (state.held === null) return;
    const waitMs = state.nextAllowedMs - clock();
    // A timer may fire a little early: the interval is kept by the clock, not by the timer.
    if (waitMs > 0) state.timer = setTimeout(() => release(state), waitMs).unref();
    else write(state, state.held);
  };

  const line = (level: Level, message: string, fields: LogFields | undefined): void => {
    const kind = kindOf(message, fields);
    const state = stateOf(kind ?? message);
    if (state.held !== null) state.suppressed += 1;
    state.held = { level, message, fields, kind };
    const waitMs = state.nextAllowedMs - clock();
    if (waitMs <= 0) write(state, state.held);
    else state.timer ??= setTimeout(() => release(state), waitMs).unref();
  };

  return {
    debug: (m, f) => inner.debug(m, f),
    info: (m, f) => inner.info(m, f),
    warn: (m, f) => line('warn', m, f),
    error: (m, f) => line('error', m, f),
    close: () => {
      for (const state of kinds.values()) if (state.held !== null) write(state, state.held);
    },
  };
}
