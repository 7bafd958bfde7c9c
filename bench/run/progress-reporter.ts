import { nowEpochMs } from '../measure/clock.ts';

export type ProgressPhase = 'warm-up' | 'measure' | 'done';

export interface ProgressMessageEvent {
  readonly kind: 'message';
  readonly text: string;
}

export interface ProgressPhaseEvent {
  readonly kind: 'phase';
  readonly scenario: string;
  readonly phase: ProgressPhase;
  /** The round being run, 1-based (the number shown), out of `rounds`. */
  readonly round?: number;
  readonly rounds?: number;
  /**
   * Time spent in this phase so far; when omitted, counted from the phase's first event. For
   * 'done' it is the scenario's whole time (when omitted, from the scenario's first event).
   */
  readonly elapsedMs?: number;
  /** Planned length of the phase (e.g. rounds x round duration): the remaining-time estimate. */
  readonly plannedMs?: number;
}

export interface ProgressStatsEvent {
  readonly kind: 'stats';
  readonly scenario: string;
  readonly opsPerSecond: number;
  /** Running p99 of `metric`; null before anything was recorded. */
  readonly p99Ms: number | null;
  readonly metric: string;
}

export type ProgressEvent = ProgressMessageEvent | ProgressPhaseEvent | ProgressStatsEvent;

/** The part of a writable stream the reporter uses; process.stderr fits. */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width: the status line is cut to fit, since a wrapped line cannot be redrawn in place. */
  readonly columns?: number;
}

export interface ProgressReporterOptions {
  readonly stream: ProgressStream;
  /** One status line redrawn in place; when not given, follows the stream's own isTTY. */
  readonly isTTY: boolean;
  /**
   * Not a terminal: at most one status line per intervalMs. A terminal: how often the clock on the
   * status line moves.
   */
  readonly intervalMs: number;
  /** A terminal: the least time between two redraws (10 per second). */
  readonly redrawIntervalMs: number;
  /** Epoch ms, for elapsed time and the HH:MM:SS stamp; monotonic by default (see measure/clock.ts). */
  readonly now: () => number;
}

/** isTTY has no fixed default: it follows whichever stream is used. */
export const DEFAULT_PROGRESS_REPORTER_OPTIONS: Omit<ProgressReporterOptions, 'isTTY'> = {
  stream: process.stderr,
  intervalMs: 1_000,
  redrawIntervalMs: 100,
  now: nowEpochMs,
};

export interface ProgressReporter {
  report(event: ProgressEvent): void;
  /** Clears every timer and erases the status line; idempotent. Later messages still print as plain lines. */
  stop(): void;
}

/** "850 ms", "4.2 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  const clamped = Math.max(0, ms);
  if (Math.round(clamped) < 1_000) return `${Math.round(clamped)} ms`;
  const tenths = Math.round(clamped / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(clamped / 1_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
}

const ERASE_LINE = '\r\x1b[2K';

interface Status {
  readonly scenario: string;
  readonly phase: ProgressPhaseEvent | null;
  readonly scenarioStartMs: number;
  readonly phaseStartMs: number;
  /** Elapsed time as of receivedMs; the clock runs on from there until the phase is done. */
  readonly elapsedMs: number;
  readonly receivedMs: number;
  readonly stats: ProgressStatsEvent | null;
}

function formatRate(opsPerSecond: number): string {
  return opsPerSecond >= 10 ? String(Math.round(opsPerSecond)) : opsPerSecond.toFixed(1);
}

function formatMs(ms: number | null): string {
  return ms === null || !Number.isFinite(ms) ? 'n/a' : `${Number(ms.toPrecision(3))} ms`;
}

function formatStatus(status: Status, nowMs: number): string {
  const { phase, stats } = status;
  const parts: string[] = [];
  if (phase !== null) {
    const round =
      phase.round !== undefined ? ` round ${phase.round}${phase.rounds !== undefined ? `/${phase.rounds}` : ''}` : '';
    const done = phase.phase === 'done';
    const elapsedMs = status.elapsedMs + (done ? 0 : nowMs - status.receivedMs);
    parts.push(
      done ? `done in ${formatDuration(elapsedMs)}` : `${phase.phase}${round}, ${formatDuration(elapsedMs)} elapsed`,
    );
    if (!done && phase.plannedMs !== undefined && phase.plannedMs > elapsedMs)
      parts.push(`~${formatDuration(phase.plannedMs - elapsedMs)} left`);
  }
  if (stats !== null)
    parts.push(`${formatRate(stats.opsPerSecond)} ops/s, p99 ${formatMs(stats.p99Ms)} (${stats.metric})`);
  return `${status.scenario}: ${parts.join(', ')}`;
}

/** The status after an event: a new scenario starts afresh, a new phase restarts the phase clock. */
function nextStatus(status: Status | null, event: ProgressPhaseEvent | ProgressStatsEvent, nowMs: number): Status {
  // After "done", the same scenario again is its next run (a later block or part): a fresh clock.
  const same = status !== null && status.scenario === event.scenario && status.phase?.phase !== 'done' ? status : null;
  if (event.kind === 'stats') {
    return same !== null
      ? { ...same, stats: event }
      : {
          scenario: event.scenario,
          phase: null,
          scenarioStartMs: nowMs,
          phaseStartMs: nowMs,
          elapsedMs: 0,
          receivedMs: nowMs,
          stats: event,
        };
  }
  const scenarioStartMs = same !== null ? same.scenarioStartMs : nowMs;
  const phaseStartMs = same !== null && same.phase?.phase === event.phase ? same.phaseStartMs : nowMs;
  return {
    scenario: event.scenario,
    phase: event,
    scenarioStartMs,
    phaseStartMs,
    elapsedMs: event.elapsedMs ?? nowMs - (event.phase === 'done' ? scenarioStartMs : phaseStartMs),
    receivedMs: nowMs,
    // A new scenario's line must not show the previous scenario's rate and p99.
    stats: same !== null ? same.stats : null,
  };
}

function checkIntervals(intervals: Record<'intervalMs' | 'redrawIntervalMs', number>): void {
  for (const [name, value] of Object.entries(intervals)) {
    if (!(value > 0) || !Number.isFinite(value))
      throw new Error(`progress reporter: ${name} must be a positive number of ms, got ${value}`);
  }
}

/**
 * Progress on stderr: on a terminal one status line redrawn in place, with messages printed
 * above it; otherwise plain timestamped lines, the status at most once per intervalMs.
 */
export function createProgressReporter(options: Partial<ProgressReporterOptions> = {}): ProgressReporter {
  const { stream, intervalMs, redrawIntervalMs, now } = { ...DEFAULT_PROGRESS_REPORTER_OPTIONS, ...options };
  const isTTY = options.isTTY ?? stream.isTTY === true;
  checkIntervals({ intervalMs, redrawIntervalMs });
  // Not a terminal, redraws are log lines: the interval is the throttle.
  const throttleMs = isTTY ? redrawIntervalMs : intervalMs;
  let status: Status | null = null;
  let drawn = false;
  let lastDrawMs = -Infinity;
  let pending: NodeJS.Timeout | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let stopped = false;

  const stamp = (): string => `[rpb ${new Date(now()).toISOString().slice(11, 19)}]`;

  function statusText(): string {
    const text = formatStatus(status!, now());
    if (!isTTY) return `${stamp()} ${text}\n`;
    const width = (stream.columns ?? 0) - 1;
    return width > 0 && text.length > width ? text.slice(0, width) : text;
  }

  function draw(): void {
    if (stopped || status === null) return;
    lastDrawMs = now();
    stream.write(isTTY ? `${ERASE_LINE}${statusText()}` : statusText());
    drawn = isTTY;
  }

  function clearPending(): void {
    if (pending === undefined) return;
    clearTimeout(pending);
    pending = undefined;
  }

  /** Leading and trailing throttle: the last state of a burst is always shown. */
  function requestDraw(): void {
    const waitMs = lastDrawMs + throttleMs - now();
    if (waitMs <= 0) {
      clearPending();
      draw();
    } else if (pending === undefined) {
      pending = setTimeout(() => {
        pending = undefined;
        draw();
      }, waitMs);
      pending.unref();
    }
  }

  return {
    report(event) {
      if (event.kind === 'message') {
        const line = `${stamp()} ${event.text}\n`;
        if (drawn && !stopped) {
          lastDrawMs = now();
          stream.write(`${ERASE_LINE}${line}${statusText()}`);
        } else {
          stream.write(line);
        }
        return;
      }
      if (stopped) return;
      status = nextStatus(status, event, now());
      if (isTTY && ticker === undefined) {
        // Keeps elapsed and remaining time moving between events.
        ticker = setInterval(requestDraw, intervalMs);
        ticker.unref();
      }
      requestDraw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearPending();
      if (ticker !== undefined) clearInterval(ticker);
      ticker = undefined;
      if (drawn) stream.write(ERASE_LINE);
      drawn = false;
    },
  };
}
