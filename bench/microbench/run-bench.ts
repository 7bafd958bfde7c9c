import { Bench } from 'tinybench';
import { NS_PER_MS } from '../core/units.ts';

/** One micro-benchmark task: a synchronous or asynchronous function timed by tinybench. */
export interface MicroTask {
  /** Stable id within its suite (targets and tests refer to it); `name` is for people. */
  readonly id: string;
  readonly name: string;
  readonly fn: () => unknown | Promise<unknown>;
}

export interface MicroBenchOptions {
  /** Measuring time per task after warm-up. */
  readonly timeMs: number;
  readonly warmupTimeMs: number;
}

export const DEFAULT_MICROBENCH_OPTIONS: MicroBenchOptions = { timeMs: 2_000, warmupTimeMs: 500 };

export interface MicroResult {
  readonly suite: string;
  readonly id: string;
  readonly task: string;
  readonly samples: number;
  readonly medianNs: number;
  readonly meanNs: number;
  readonly p99Ns: number;
  /** Figures that are not times (a rate, a count), for the speed targets and --json; optional. */
  readonly figures?: Readonly<Record<string, number>>;
}

/** Runs tasks one after another (never concurrently, so they do not disturb each other). */
export async function runMicroBench(
  suite: string,
  tasks: readonly MicroTask[],
  options: MicroBenchOptions = DEFAULT_MICROBENCH_OPTIONS,
): Promise<MicroResult[]> {
  const bench = new Bench({ name: suite, time: options.timeMs, warmupTime: options.warmupTimeMs, warmup: true });
  for (const task of tasks) bench.add(task.name, task.fn);
  await bench.run();
  return bench.tasks.map((task, index) => {
    const result = task.result;
    if (result === undefined || !('latency' in result))
      throw new Error(`benchmark task ${task.name} produced no result`);
    const latency = result.latency;
    return {
      suite,
      id: tasks[index].id,
      task: task.name,
      samples: latency.samplesCount,
      medianNs: (latency.p50 ?? Number.NaN) * NS_PER_MS,
      meanNs: latency.mean * NS_PER_MS,
      p99Ns: (latency.p99 ?? Number.NaN) * NS_PER_MS,
    };
  });
}
