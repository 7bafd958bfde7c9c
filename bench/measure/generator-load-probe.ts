/**
 * Measures a load phase's generator load (generator-load.ts): the event-loop delay of this thread,
 * the generator's CPU time, and redis-server's CPU time read with INFO cpu before and after.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { EventLoopUtilization, IntervalHistogram } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import { NS_PER_MS, NS_PER_S, NS_PER_US } from '../core/units.ts';
import { nowNs } from './clock.ts';
import { judgeGeneratorLoad } from './generator-load.ts';
import type { GeneratorLoad } from './generator-load.ts';

/** redis-server's CPU seconds so far (user + system); a rejection or NaN means "not read". */
export type RedisCpuReader = () => Promise<number>;

/**
 * The monitor's timer tick: the finest it allows, and libuv's timer granularity. Its histogram
 * holds the time between ticks, so the tick is taken off the p99.
 */
export const EVENT_LOOP_RESOLUTION_MS = 1;
/** A Redis that does not answer INFO within this leaves its share unread rather than hold the load up. */
const REDIS_READ_TIMEOUT_MS = 1_000;

type CpuUsageReader = (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage;
/** This thread's own CPU time (Node >= 23.9); on older Node a worker thread uses its event-loop utilization. */
const threadCpuUsage: CpuUsageReader | undefined = (
  process as { threadCpuUsage?: CpuUsageReader }
).threadCpuUsage?.bind(process);

const cpuNs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) * NS_PER_US;

/** used_cpu_user + used_cpu_sys of an INFO (cpu) reply, in seconds; NaN when either is missing. */
export function parseRedisCpuSeconds(info: string): number {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:([0-9.]+)\\s*$`, 'm').exec(info);
    return match === null ? Number.NaN : Number(match[1]);
  };
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** A reader over any client with `info(section)` (ioredis's Redis): the admin connection, never a measured one. */
export function redisCpuReader(client: { info(section: string): Promise<string> }): RedisCpuReader {
  return async () => parseRedisCpuSeconds(await client.info('cpu'));
}

interface RedisCpuReading {
  readonly cpuS: number;
  readonly atNs: bigint;
}

/** One reading of Redis's CPU seconds and when it came; null when it failed or took too long. */
async function readRedisCpu(reader: RedisCpuReader | undefined): Promise<RedisCpuReading | null> {
  if (reader === undefined) return null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(Number.NaN), REDIS_READ_TIMEOUT_MS);
  });
  try {
    const cpuS = await Promise.race([reader(), timeout]);
    return Number.isFinite(cpuS) ? { cpuS, atNs: nowNs() } : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Redis's CPU share over a window: read when opened and when closed. A worker pool reads it in the
 * main thread around its workers' phase (the workers have no admin connection).
 */
export class RedisCpuWindow {
  private constructor(
    private readonly reader: RedisCpuReader | undefined,
    private readonly start: RedisCpuReading | null,
  ) {}

  static async open(reader: RedisCpuReader | undefined): Promise<RedisCpuWindow> {
    return new RedisCpuWindow(reader, await readRedisCpu(reader));
  }

  /** Redis's CPU seconds per second since open (share of one core); null when either reading failed. */
  async close(): Promise<number | null> {
    const start = this.start;
    if (start === null) return null;
    const end = await readRedisCpu(this.reader);
    const wallNs = end === null ? 0 : Number(end.atNs - start.atNs);
    return end === null || wallNs <= 0 ? null : Math.max(0, ((end.cpuS - start.cpuS) * NS_PER_S) / wallNs);
  }
}

export interface GeneratorLoadProbeOptions {
  /** Reads redis-server's CPU seconds before and after the phase; absent: redisCpuShare is null. */
  readonly redisCpu?: RedisCpuReader;
}

/**
 * Started right before a load phase, stopped right after it. The event-loop monitor is disabled
 * by stop() and by dispose(); call dispose() in a `finally` so an error path disables it too.
 */
export class GeneratorLoadProbe {
  private readonly histogram: IntervalHistogram;
  private readonly startNs: bigint;
  private readonly startCpu: NodeJS.CpuUsage;
  private readonly startElu: EventLoopUtilization;
  private readonly startThreadCpu: NodeJS.CpuUsage | undefined;
  private disposed = false;

  private constructor(private readonly redis: RedisCpuWindow) {
    this.histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    this.histogram.enable();
    this.startElu = performance.eventLoopUtilization();
    this.startCpu = process.cpuUsage();
    this.startThreadCpu = threadCpuUsage?.();
    this.startNs = nowNs();
  }

  /** Reads Redis's CPU (when a reader is given), then starts the monitor and the clocks. */
  static async start(options: GeneratorLoadProbeOptions = {}): Promise<GeneratorLoadProbe> {
    return new GeneratorLoadProbe(await RedisCpuWindow.open(options.redisCpu));
  }

  /**
   * Ends the phase: the monitor is disabled, then Redis's CPU read again. `idleSpinNs` is the
   * wall time the generator spent busy-waiting with nothing else to do (the open loop's spin
   * before a send): it costs CPU but is slack, so that part of the phase is left out of the CPU
   * share. The CPU is taken as spread evenly over the phase: on a shared machine the thread may
   * be off the CPU for part of a spin, so its wall time is not all CPU time.
   */
  async stop(idleSpinNs = 0): Promise<GeneratorLoad> {
    const wallNs = Number(nowNs() - this.startNs);
    const cpu = process.cpuUsage(this.startCpu);
    const elu = performance.eventLoopUtilization(this.startElu);
    const rawP99Ns = this.histogram.count > 0 ? this.histogram.percentile(99) : 0;
    this.dispose();
    const busyNs = isMainThread ? cpuNs(cpu) : this.threadBusyNs(elu);
    return judgeGeneratorLoad({
      eventLoopDelayP99Ms: Math.max(0, rawP99Ns / NS_PER_MS - EVENT_LOOP_RESOLUTION_MS),
      harnessCpuShare: wallNs > 0 ? (busyNs / wallNs) * Math.max(0, 1 - idleSpinNs / wallNs) : 0,
      redisCpuShare: await this.redis.close(),
    });
  }

  /** A worker thread's busy time: its own CPU time where Node has it, else its event loop's active time. */
  private threadBusyNs(elu: EventLoopUtilization): number {
    if (threadCpuUsage !== undefined && this.startThreadCpu !== undefined)
      return cpuNs(threadCpuUsage(this.startThreadCpu));
    return elu.active * NS_PER_MS;
  }

  /** True until stop() or dispose() disabled the event-loop monitor. */
  get monitoring(): boolean {
    return !this.disposed;
  }

  /** Disables the event-loop monitor; idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.histogram.disable();
  }
}
