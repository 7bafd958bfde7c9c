import { describe, expect, it } from 'vitest';
import { GENERATOR_LOAD_BOUNDS } from './generator-load.ts';
import { GeneratorLoadProbe, parseRedisCpuSeconds, redisCpuReader, RedisCpuWindow } from './generator-load-probe.ts';

/** Blocks the event loop for blockMs at a time, yielding in between, for about totalMs. */
async function busyLoop(totalMs: number, blockMs: number): Promise<void> {
  const end = performance.now() + totalMs;
  while (performance.now() < end) {
    const until = performance.now() + blockMs;
    while (performance.now() < until) {
      // spin: the generator's thread is busy
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A Redis that has used `seconds()` of CPU so far. */
function fakeRedis(seconds: () => number): { info(section: string): Promise<string> } {
  return {
    info: async (section) => {
      expect(section).toBe('cpu');
      return `# CPU\r\nused_cpu_sys:${(seconds() * 0.25).toFixed(6)}\r\nused_cpu_user:${(seconds() * 0.75).toFixed(6)}\r\nused_cpu_sys_children:0.000000\r\n`;
    },
  };
}

describe('GeneratorLoadProbe', () => {
  it('a busy loop makes the event-loop delay large and sets the flag; an idle phase does not', async () => {
    const busyProbe = await GeneratorLoadProbe.start();
    await busyLoop(300, 30);
    const busy = await busyProbe.stop();
    expect(busyProbe.monitoring).toBe(false);
    // Every tick waits out a 30 ms block: p99 near 30 ms, whatever else the machine runs.
    expect(busy.eventLoopDelayP99Ms).toBeGreaterThan(20);
    expect(busy.harnessCpuShare).toBeGreaterThan(0.3);
    expect(busy.redisCpuShare).toBeNull();
    expect(busy.generatorLimited).toBe(true);
    expect(busy.reason).toMatch(/event loop ran .* late at p99/);

    const idleProbe = await GeneratorLoadProbe.start();
    await sleep(300);
    const idle = await idleProbe.stop();
    expect(idle.harnessCpuShare).toBeLessThan(0.5);
    expect(idle.eventLoopDelayP99Ms).toBeLessThan(busy.eventLoopDelayP99Ms);
    // Idle, the CPU rule never flags it; only a machine busy enough to hold the thread off its
    // CPU past the bound can (as it then delays the generator's sends and reads too).
    expect(idle.generatorLimited).toBe(idle.eventLoopDelayP99Ms > GENERATOR_LOAD_BOUNDS.eventLoopDelayP99MaxMs);
  });

  it('leaves busy-waiting out of the CPU share', async () => {
    const probe = await GeneratorLoadProbe.start();
    const startMs = performance.now();
    await busyLoop(200, 0.5);
    const spunNs = (performance.now() - startMs) * 1e6;
    const load = await probe.stop(spunNs);
    expect(load.harnessCpuShare).toBeLessThan(0.3);
  });

  it("reads Redis's CPU share over the phase", async () => {
    const startMs = performance.now();
    // Redis busy half of every wall second.
    const probe = await GeneratorLoadProbe.start({
      redisCpu: redisCpuReader(fakeRedis(() => (performance.now() - startMs) / 2_000)),
    });
    await sleep(200);
    const load = await probe.stop();
    expect(load.redisCpuShare).toBeGreaterThan(0.4);
    expect(load.redisCpuShare).toBeLessThan(0.6);
  });

  it('disables the monitor when the phase fails (dispose in finally), and stop after dispose still answers', async () => {
    const probe = await GeneratorLoadProbe.start();
    const phase = async (): Promise<void> => {
      try {
        throw new Error('the load failed');
      } finally {
        probe.dispose();
      }
    };
    await expect(phase()).rejects.toThrow('the load failed');
    expect(probe.monitoring).toBe(false);
    probe.dispose();
    expect((await probe.stop()).eventLoopDelayP99Ms).toBeGreaterThanOrEqual(0);
  });
});

describe("Redis's CPU", () => {
  it('parses used_cpu_user + used_cpu_sys from INFO cpu (children apart); NaN when missing', () => {
    expect(parseRedisCpuSeconds('used_cpu_sys:1.500000\r\nused_cpu_user:2.250000\r\nused_cpu_sys_children:9\r\n')).toBe(
      3.75,
    );
    expect(parseRedisCpuSeconds('used_cpu_sys:1.5\r\n')).toBeNaN();
  });

  it('a reader that fails or returns nothing leaves the share unread (null), never throws', async () => {
    const failing = await RedisCpuWindow.open(() => Promise.reject(new Error('connection closed')));
    expect(await failing.close()).toBeNull();
    const garbled = await RedisCpuWindow.open(async () => Number.NaN);
    expect(await garbled.close()).toBeNull();
    expect(await (await RedisCpuWindow.open(undefined)).close()).toBeNull();
  });
});
