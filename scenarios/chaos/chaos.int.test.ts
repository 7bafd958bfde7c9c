import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { runFaultSchedule } from '../../bench/faults/fault-schedule.ts';
import { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { CHAOS_FAULT_SCENARIOS } from './chaos.ts';

const tmpPath = useTempDir('rpb-chaos-');

const TINY = { preMs: '400', faultMs: '600', postMs: '1500', rateOpsPerSecond: '100', requestCapMs: '1500' };

describe('chaos-kill end to end', () => {
  it('kills and restarts the managed Redis under load: the safe client never fails, the naive one waits, every process is gone after', async () => {
    const kill = CHAOS_FAULT_SCENARIOS.find((s) => s.id === 'chaos-kill')!;
    const { scenario, ports } = watchTargetPorts(kill);
    const { summary, failures } = await runScenarioForTest({
      scenario,
      claims: CLAIMS,
      params: { outDir: tmpPath('kill'), overrides: TINY },
    });
    expect(failures).toEqual([]);
    const report = summary.scenarios[0]!;
    expect(report.status).toBe('ok');
    const v = (name: string) => report.values[name]?.value;
    expect(v('kill.safe.failed')).toBe(0);
    expect(v('kill.safe.capped')).toBe(0);
    expect(v('kill.safe.wrong')).toBe(0);
    // The safe client noticed the crash and used the cache again after the restart.
    expect(v('kill.safe.detectMs')).not.toBeNull();
    expect(v('kill.safe.firstHitAfterHealMs')).not.toBeNull();
    // The naive client (offline queue, no timeout) waited through the outage instead of falling back.
    expect(v('kill.naive.windowMaxMs')).toBeGreaterThan(v('kill.safe.windowMaxMs')!);
    expect(report.metrics['kill.safe'].summary.count).toBeGreaterThan(0);
    expect(report.events?.map((e) => e.label)).toEqual(['kill (safe)', 'kill (naive)']);
    expect(Object.keys(report.series ?? {})).toContain('kill.safe hit rate');
    // The claim is judged on the safe client's share of completed requests: our own requirement is
    // that it completes every one (the verdict itself is the measurement's to decide).
    const verdict = report.verdicts.find((x) => x.claimId === 'degradation.redis-crash');
    expect(verdict?.trials).toBeGreaterThan(0);
    expect(report.trials['degradation.redis-crash']?.every((share) => share === 100)).toBe(true);
    // The same claim judged on the document's code as written (the naive run): judged on trials of its
    // own; its outcome is the measurement's to decide, so none is asserted here.
    const documentClient = report.verdicts.find((x) => x.claimId === 'degradation.redis-crash.document-client');
    expect(documentClient?.trials).toBeGreaterThan(0);
    expect(documentClient?.conditions).toMatch(/document's code as written/);
    expect(report.trials['degradation.redis-crash.document-client']?.length).toBeGreaterThan(0);
    // The other faults did not run: their claims, on both clients, are left to "not measured".
    expect(report.verdicts.map((x) => x.claimId).sort()).toEqual([
      'degradation.redis-crash',
      'degradation.redis-crash.document-client',
    ]);
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0]!)).toBe(false);
  }, 60_000);
});

describe('a scenario that throws mid-fault', () => {
  it('still resumes the paused redis-server before the error propagates', async () => {
    const managed = await ManagedRedis.start();
    const client = new Redis({ ...managed.connectOptions(), lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      const pause = { label: 'pause', inject: () => managed.pause(), heal: () => managed.resume() };
      await expect(
        runFaultSchedule(pause, { injectAtMs: 0, healAtMs: 30_000 }, async (schedule) => {
          while (schedule.state !== 'injected') await new Promise((r) => setTimeout(r, 10));
          expect(managed.state).toBe('paused');
          throw new Error('scenario bug mid-fault');
        }),
      ).rejects.toThrow('scenario bug mid-fault');
      expect(managed.state).toBe('running');
      await client.connect();
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
      await managed.stop();
    }
  }, 30_000);
});
