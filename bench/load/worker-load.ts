import type { GeneratorLoadProbeOptions } from '../measure/generator-load-probe.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import { runResolvedClosedLoop } from './closed-loop.ts';
import { resolveClosedLoopOptions } from './closed-loop-options.ts';
import type { LoadOperation } from './load-operation.ts';
import type { LoadResult } from './load-result.ts';
import { runResolvedOpenLoop } from './open-loop.ts';
import { resolveOpenLoopOptions } from './open-loop-options.ts';
import type { ResolvedWorkerLoad, WorkerLoad } from './worker-protocol.ts';

/** The boundary for a load of either kind: its defaults filled in and its options checked, once. */
export function resolveWorkerLoad(load: WorkerLoad): ResolvedWorkerLoad {
  return load.kind === 'open-loop'
    ? { kind: 'open-loop', options: resolveOpenLoopOptions(load.options) }
    : { kind: 'closed-loop', options: resolveClosedLoopOptions(load.options) };
}

/** Runs a resolved load of either kind in this thread; `probe` as runOpenLoop's. */
export function runWorkerLoad(
  load: ResolvedWorkerLoad,
  operation: LoadOperation,
  recorders: RecorderSet,
  signal?: AbortSignal,
  probe?: GeneratorLoadProbeOptions,
): Promise<LoadResult> {
  return load.kind === 'open-loop'
    ? runResolvedOpenLoop(load.options, operation, recorders, signal, probe)
    : runResolvedClosedLoop(load.options, operation, recorders, signal, probe);
}
