import { describe, expect, it } from 'vitest';
import { ConfigError, InfraError } from '../../bench/errors.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { faultPlan } from './chaos.ts';
import { CHAOS_FAULT_IDS, CHAOS_FAULTS, checkFaultAllowed, commandFault } from './chaos-faults.ts';
import { DEFAULT_CHAOS_PARAMS, QUICK_CHAOS_PARAMS } from './chaos-params.ts';

const someManaged = {} as ManagedRedis;

describe('checkFaultAllowed (chaos safety)', () => {
  it('refuses process and data faults on a Redis rpb did not start, naming --fault-cmd', () => {
    for (const id of ['kill', 'pause', 'absent', 'full-noeviction', 'flushall'] as const) {
      let error: unknown;
      try {
        checkFaultAllowed(CHAOS_FAULTS[id], null, undefined, `chaos-${id}`);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(id);
      expect((error as ConfigError).hint).toMatch(/--fault-cmd/);
    }
  });

  it('allows them on the managed Redis, or with an explicit --fault-cmd', () => {
    expect(() => checkFaultAllowed(CHAOS_FAULTS.kill, someManaged, undefined, 'chaos-kill')).not.toThrow();
    expect(() => checkFaultAllowed(CHAOS_FAULTS.kill, null, 'docker kill redis', 'chaos-kill')).not.toThrow();
  });

  it('allows proxy faults anywhere: they act on the harness proxy only', () => {
    for (const id of ['blackhole', 'latency', 'reset'] as const)
      expect(() => checkFaultAllowed(CHAOS_FAULTS[id], null, undefined, `chaos-${id}`)).not.toThrow();
  });

  it('has a spec for every fault id, each with a safe and a naive variant', () => {
    for (const id of CHAOS_FAULT_IDS) {
      expect(CHAOS_FAULTS[id].id).toBe(id);
      expect(CHAOS_FAULTS[id].variants).toEqual(expect.arrayContaining(['safe', 'naive']));
    }
  });
});

describe('commandFault (--fault-cmd)', () => {
  it('runs the command through the shell on inject; heal is a no-op', async () => {
    const fault = commandFault('exit 0');
    await expect(fault.inject()).resolves.toBeUndefined();
    await expect(fault.heal()).resolves.toBeUndefined();
  });

  it('a failing command is an InfraError with its stderr', async () => {
    await expect(commandFault('echo nope >&2; exit 3').inject()).rejects.toSatisfy(
      (e: unknown) => e instanceof InfraError && /exit 3.*nope/.test((e as Error).message),
    );
  });

  it('a hanging command is killed at its timeout', async () => {
    await expect(commandFault('sleep 30', 200).inject()).rejects.toThrow(/SIGKILL/);
  });
});

describe('faultPlan (windows per fault and client)', () => {
  it('--quick: kill and blackhole, six windows for each judged client, the other clients skipped', () => {
    expect(faultPlan(QUICK_CHAOS_PARAMS, null)).toEqual([
      { id: 'kill', windows: { safe: 6, naive: 6 } },
      { id: 'blackhole', windows: { safe: 6, naive: 6 } },
    ]);
  });

  it('claims (--set fault=claims): every judged fault, six windows for each judged client', () => {
    expect(faultPlan({ ...QUICK_CHAOS_PARAMS, fault: 'claims' }, null)).toEqual([
      { id: 'kill', windows: { safe: 6, naive: 6 } },
      { id: 'absent', windows: { safe: 6, naive: 6 } },
      { id: 'blackhole', windows: { safe: 6, naive: 6 } },
      { id: 'full-lru', windows: { safe: 6, naive: 6 } },
    ]);
  });

  it('default: every fault; the judged clients of the judged faults get `trials`, the rest `otherFaultTrials`', () => {
    const plan = faultPlan(DEFAULT_CHAOS_PARAMS, null);
    expect(plan.map((f) => f.id)).toEqual([...CHAOS_FAULT_IDS]);
    expect(plan.find((f) => f.id === 'blackhole')!.windows).toEqual({ safe: 6, 'safe-no-reset': 1, naive: 6 });
    expect(plan.find((f) => f.id === 'flushall')!.windows).toEqual({ safe: 1, 'safe-no-sf': 1, naive: 1 });
    expect(plan.find((f) => f.id === 'full-lru')!.windows).toEqual({ safe: 6, naive: 6 });
  });

  it('a fault run alone (chaos-<fault> or --set fault=<id>) gets `trials` windows for every client', () => {
    expect(faultPlan(DEFAULT_CHAOS_PARAMS, 'flushall')).toEqual([
      { id: 'flushall', windows: { safe: 6, 'safe-no-sf': 6, naive: 6 } },
    ]);
    expect(faultPlan({ ...DEFAULT_CHAOS_PARAMS, fault: 'pause', trials: 2 }, null)).toEqual([
      { id: 'pause', windows: { safe: 2, naive: 2 } },
    ]);
  });
});
