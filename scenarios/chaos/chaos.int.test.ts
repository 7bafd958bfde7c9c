import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../claims.ts';
import { runFaultSchedule } from '../../bench/faults/fault-schedule.ts';
import { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { isListening } from '../../bench/test-support/run-cli.ts';
import { runScenarioForTest, useTempDir, watchTargetPorts } from '../../bench/test-support/scenario-test-run.ts';
import { CHAOS_FAULT_SCENARIOS } from './chaos.ts';

const tmpPath = useTempDir('rpb-chaos-');

// After the heal, longer than the safe client's reconnection backoff (500 ms at most): it uses the cache again.
const TINY = {
  trials: '6',
  preMs: '100',
  faultMs: '250',
  postMs: '600',
  rateOpsPerSecond: '100',
  requestCapMs: '1000',
};

describe('chaos-kill end to end', () => {
  it('six kill windows per client under load, one trial each: the safe client never throws, the naive one waits, every process is gone after', async () => {
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
    // The fallback catches every cache error, and no cached answer is wrong.
    expect(v('kill.safe.failed')).toBe(0);
    expect(v('kill.safe.wrong')).toBe(0);
    // The safe client noticed the crash and used the cache again after the restart.
    expect(v('kill.safe.detectMs')).not.toBeNull();
    expect(v('kill.safe.firstHitAfterHealMs')).not.toBeNull();
    // The naive client (offline queue, no timeout) waited through the outage instead of falling back.
    expect(v('kill.naive.windowMaxMs')).toBeGreaterThan(v('kill.safe.windowMaxMs')!);
    // Its warnings went through the rate-limited logger into the in-memory sink, not stdout.
    expect(v('kill.safe.warningLines')).toBeGreaterThan(0);
    expect(report.metrics['kill.safe'].summary.count).toBeGreaterThan(0);
    // One report event per window, the clients alternating ABBA.
    expect(report.events?.map((e) => e.label).slice(0, 4)).toEqual([
      'kill (safe) #1',
      'kill (naive) #1',
      'kill (naive) #2',
      'kill (safe) #2',
    ]);
    expect(report.events).toHaveLength(12);
    expect(Object.keys(report.series ?? {})).toContain('kill.safe hit rate');
    // Failed requests per second, per bucket: on the run's axis and laid over on the inject, they add
    // up to the client's failed + capped requests over its windows.
    const bucketSec = Number(report.parameters.bucketMs) / 1000;
    for (const client of ['safe', 'naive']) {
      const total = (v(`kill.${client}.failed`) ?? 0) + (v(`kill.${client}.capped`) ?? 0);
      const sum = (name: string) => (report.series?.[name]?.y ?? []).reduce((a, b) => a + b, 0);
      expect(report.series?.[`kill.${client} errors`]?.y.length, client).toBeGreaterThan(0);
      expect(sum(`kill.${client} errors`) * bucketSec, client).toBeCloseTo(total, 6);
      expect(sum(`kill.${client} errors from inject`) * bucketSec * 6, client).toBeCloseTo(total, 6);
      expect(report.series?.[`kill.${client} latency p99 from inject`]?.y.length, client).toBeGreaterThan(0);
      expect(v(`kill.${client}.healAfterInjectMs`), client).toBeGreaterThan(0);
    }
    // Every claim of the kill fault is judged on one figure per window, on both clients; the outcomes
    // are the measurement's to decide, so none is asserted here.
    const judged = [
      'degradation.redis-crash',
      'degradation.crash-slowdown',
      'degradation.log-warning',
      'degradation.log-warning-rate',
    ].flatMap((id) => [id, `${id}.document-client`]);
    expect(report.verdicts.map((x) => x.claimId).sort()).toEqual([...judged].sort());
    for (const id of judged) expect(report.trials[id], id).toHaveLength(6);
    const documentClient = report.verdicts.find((x) => x.claimId === 'degradation.redis-crash.document-client');
    expect(documentClient?.conditions).toMatch(/document's code as written/);
    expect(documentClient?.conditions).toMatch(/trials = fault windows, one injection each \(6 x "SIGKILL/);
    expect(ports).toHaveLength(1);
    expect(await isListening(ports[0]!)).toBe(false);
  }, 90_000);
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
