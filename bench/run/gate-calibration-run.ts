import { SeededRandom } from '../../src/market/seeded-random.ts';
import { pinHarnessAndRedis } from '../measure/cpu-pinning.ts';
import type { CpuPinning } from '../measure/cpu-pinning.ts';
import { GateProbeTarget } from './gate-probe.ts';
import type { ProbeOptions, ProbeRun, ProbeVariant } from './gate-probe.ts';

export interface CalibrationRunRequest {
  /** Every variant of a block; each block runs each once, in a shuffled order. */
  readonly variants: readonly ProbeVariant[];
  readonly blocks: number;
  /** Rounds per block: every variant runs this many times, interleaved with the others. */
  readonly runsPerSide: number;
  readonly probe: ProbeOptions;
  readonly seed: number;
  /** Pin redis-server and the harness to separate CPUs for the whole calibration (--pin-cpus). */
  readonly pinCpus?: boolean;
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
  /** Called after every finished block, so a partial calibration is kept if the run stops. */
  readonly onBlock: (block: { order: string[]; runs: Record<string, ProbeRun[]> }, index: number) => Promise<void>;
  /** Starts the redis-server and its data (default GateProbeTarget.start); tests reach the target so. */
  readonly startTarget?: (seed: number) => Promise<GateProbeTarget>;
}

/**
 * Runs the blocks of a calibration against one redis-server of its own (started here, stopped on
 * every path): each block is `runsPerSide` rounds, each round every variant once as a run of its own
 * (new connection, warm-up, its trials) in a freshly shuffled order, so drift falls on every variant alike.
 */
export async function runCalibrationBlocks(
  request: CalibrationRunRequest,
): Promise<{ blocks: number; stopped: boolean }> {
  const target = await (request.startTarget ?? GateProbeTarget.start)(request.seed);
  const startedMs = Date.now();
  let done = 0;
  let pinning: CpuPinning | null = null;
  try {
    if (request.pinCpus === true) {
      pinning = await pinHarnessAndRedis(target.serverPid);
      request.progress(`CPU pinning: ${pinning.description}`);
    }
    for (let i = 0; i < request.blocks && !request.signal.aborted; i += 1) {
      const random = SeededRandom.forKey(request.seed, `block-${i}`);
      const order = Array.from({ length: request.runsPerSide }, () => random.shuffled(request.variants)).flat();
      const runs: Record<string, ProbeRun[]> = Object.fromEntries(request.variants.map((v) => [v.name, []]));
      await target.refresh();
      for (const variant of order) {
        if (request.signal.aborted) break;
        runs[variant.name].push(await target.run(variant, request.probe, request.signal));
      }
      if (request.signal.aborted) break;
      await request.onBlock({ order: order.map((v) => v.name), runs }, i);
      done += 1;
      if (done % 10 === 0 || done === request.blocks) {
        const perBlockMs = (Date.now() - startedMs) / done;
        const etaS = Math.round((perBlockMs * (request.blocks - done)) / 1000);
        request.progress(`block ${done}/${request.blocks} (${(perBlockMs / 1000).toFixed(1)} s each, ETA ${etaS} s)`);
      }
    }
  } finally {
    await pinning?.restore();
    await target.stop();
  }
  return { blocks: done, stopped: request.signal.aborted };
}
