/** The commands command-latency measures (GET, SET, MGET of one feature vector) and their metric names. */
import { COMMAND_OPERATION_DEFAULTS } from '../../bench/load/command-operation.ts';
import type { CommandName, CommandOperationSpec } from '../../bench/load/command-operation.ts';
import type { CommandLatencyParams } from './command-latency-params.ts';

export interface CommandPlan {
  readonly label: string;
  readonly spec: CommandOperationSpec;
}

export function rateText(rate: number): string {
  return Number.isInteger(rate) ? String(rate) : rate.toFixed(3).replace(/\.?0+$/, '');
}

/** `GET:2000-ops-s`; the load engine's metric names allow letters, digits, '.', '_', ':' and '-' only. */
export function rateMetricName(label: string, rate: number): string {
  return `${label}:${rateText(rate)}-ops-s`;
}

export function commandPlans(params: CommandLatencyParams, valueBase64: string, seed: number): CommandPlan[] {
  const spec = (command: CommandName): CommandOperationSpec => ({
    ...COMMAND_OPERATION_DEFAULTS,
    command,
    keyCount: params.keyCount,
    valueBase64,
    ttlSeconds: params.ttlSeconds,
    mgetSize: params.mgetSize,
    keyDistribution: params.keyDistribution,
    seed,
  });
  return [
    { label: 'GET', spec: spec('GET') },
    { label: 'SET', spec: spec('SET') },
    { label: `MGET${params.mgetSize}`, spec: spec('MGET') },
  ];
}
