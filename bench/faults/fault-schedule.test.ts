import { describe, expect, it } from 'vitest';
import { createCleanupRegistry } from '../core/cleanup-registry.ts';
import { FaultSchedule, runFaultSchedule, sleepUnlessAborted } from './fault-schedule.ts';
import type { FaultAction } from './fault-schedule.ts';

function recordingFault(options: { healError?: Error } = {}): FaultAction & { steps: string[] } {
  const steps: string[] = [];
  return {
    label: 'test fault',
    steps,
    inject: async () => {
      steps.push('inject');
    },
    heal: async () => {
      steps.push('heal');
      if (options.healError) throw options.healError;
    },
  };
}

describe('runFaultSchedule', () => {
  it('injects at t1 and heals at t2 while the load runs, and reports the times', async () => {
    const fault = recordingFault();
    const registry = createCleanupRegistry();
    const seen: string[] = [];
    const { result, times } = await runFaultSchedule(
      fault,
      { injectAtMs: 20, healAtMs: 80 },
      async (schedule) => {
        seen.push(schedule.state);
        await sleepUnlessAborted(50, undefined);
        seen.push(schedule.state);
        await sleepUnlessAborted(100, undefined);
        seen.push(schedule.state);
        return 'done';
      },
      { registerCleanup: registry.register },
    );
    expect(result).toBe('done');
    expect(seen).toEqual(['pending', 'injected', 'healed']);
    expect(fault.steps).toEqual(['inject', 'heal']);
    expect(times.injectStartMs).not.toBeNull();
    expect(times.healedMs! - times.injectedMs!).toBeGreaterThanOrEqual(40);
    expect(registry.size).toBe(0);
  });

  it('heals at once and rethrows when the load throws mid-fault', async () => {
    const fault = recordingFault();
    const registry = createCleanupRegistry();
    const started = performance.now();
    await expect(
      runFaultSchedule(
        fault,
        { injectAtMs: 0, healAtMs: 10_000 },
        async (schedule) => {
          while (schedule.state !== 'injected') await sleepUnlessAborted(5, undefined);
          throw new Error('scenario bug mid-fault');
        },
        { registerCleanup: registry.register },
      ),
    ).rejects.toThrow('scenario bug mid-fault');
    expect(fault.steps).toEqual(['inject', 'heal']);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(registry.size).toBe(0);
  });

  it('never injects when the load fails before t1', async () => {
    const fault = recordingFault();
    await expect(
      runFaultSchedule(fault, { injectAtMs: 50, healAtMs: 100 }, async () => {
        throw new Error('early');
      }),
    ).rejects.toThrow('early');
    await sleepUnlessAborted(80, undefined);
    expect(fault.steps).toEqual([]);
  });

  it('on abort the waits end at once and the fault is healed', async () => {
    const fault = recordingFault();
    const controller = new AbortController();
    const started = performance.now();
    const { times } = await runFaultSchedule(
      fault,
      { injectAtMs: 0, healAtMs: 10_000, signal: controller.signal },
      async (schedule) => {
        while (schedule.state !== 'injected') await sleepUnlessAborted(5, undefined);
        controller.abort();
        return null;
      },
    );
    expect(fault.steps).toEqual(['inject', 'heal']);
    expect(times.healedMs).not.toBeNull();
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("'before' injects before the load starts (Redis absent at startup)", async () => {
    const fault = recordingFault();
    const { result } = await runFaultSchedule(
      fault,
      { injectAtMs: 'before', healAtMs: 10 },
      async (schedule) => schedule.state,
    );
    expect(result).toBe('injected');
    expect(fault.steps).toEqual(['inject', 'heal']);
  });

  it('a heal that throws is reported and its cleanup is not left registered', async () => {
    const fault = recordingFault({ healError: new Error('heal failed') });
    const registry = createCleanupRegistry();
    await expect(
      runFaultSchedule(fault, { injectAtMs: 0, healAtMs: 5 }, async () => sleepUnlessAborted(20, undefined), {
        registerCleanup: registry.register,
      }),
    ).rejects.toThrow('heal failed');
    expect(registry.size).toBe(0);
  });
});

describe('FaultSchedule', () => {
  it('Ctrl-C (the process cleanups) heals an injected fault once; a later close() does not heal again', async () => {
    const fault = recordingFault();
    const registry = createCleanupRegistry();
    const schedule = new FaultSchedule(fault, { registerCleanup: registry.register });
    await schedule.inject();
    expect(registry.size).toBe(1);
    expect(await registry.run()).toEqual([]);
    await schedule.close();
    expect(fault.steps).toEqual(['inject', 'heal']);
  });

  it('heal before inject does nothing, and a second inject is refused', async () => {
    const fault = recordingFault();
    const schedule = new FaultSchedule(fault, { registerCleanup: createCleanupRegistry().register });
    await schedule.heal();
    expect(fault.steps).toEqual([]);
    await schedule.inject();
    await expect(schedule.inject()).rejects.toThrow(/already injected/);
  });

  it('a heal racing an unfinished inject waits for it, then heals', async () => {
    const steps: string[] = [];
    let finishInject!: () => void;
    const fault: FaultAction = {
      label: 'slow inject',
      inject: () =>
        new Promise<void>(
          (resolve) =>
            (finishInject = () => {
              steps.push('inject done');
              resolve();
            }),
        ),
      heal: async () => {
        steps.push('heal');
      },
    };
    const schedule = new FaultSchedule(fault, { registerCleanup: createCleanupRegistry().register });
    const injecting = schedule.inject();
    const healing = schedule.heal();
    finishInject();
    await Promise.all([injecting, healing]);
    expect(steps).toEqual(['inject done', 'heal']);
  });
});
