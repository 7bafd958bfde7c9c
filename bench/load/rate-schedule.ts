import { MS_PER_S, NS_PER_MS, NS_PER_S } from '../core/units.ts';

/** One step of a stepped arrival rate. */
export interface RateStage {
  readonly rateOpsPerSecond: number;
  readonly durationMs: number;
}

interface PlacedStage {
  readonly rateOpsPerSecond: number;
  readonly intervalNs: number;
  readonly startNs: number;
  readonly durationNs: number;
  /** Index of the stage's first operation. */
  readonly firstOp: number;
  /** Operations the stage sends; the last stage never ends, so its count is Infinity. */
  readonly count: number;
}

/**
 * When each operation of an open-loop run is meant to be sent, as wrk2 does it: op j of a stage
 * is due at stageStart + j / rate, whatever happened to the earlier ones. Offsets are ns from the
 * run's start. The last stage's rate holds for as long as the run lasts.
 */
export class RateSchedule {
  private readonly stages: readonly PlacedStage[];
  private cursor = 0;

  constructor(stages: readonly RateStage[]) {
    if (stages.length === 0) throw new Error('a rate schedule needs at least one stage');
    const placed: PlacedStage[] = [];
    let startNs = 0;
    let firstOp = 0;
    stages.forEach((stage, index) => {
      const last = index === stages.length - 1;
      const durationNs = stage.durationMs * NS_PER_MS;
      // Ops at offsets 0, 1/rate, ... strictly before the stage's end.
      const count = last ? Infinity : Math.ceil((stage.durationMs * stage.rateOpsPerSecond) / MS_PER_S);
      placed.push({
        rateOpsPerSecond: stage.rateOpsPerSecond,
        intervalNs: NS_PER_S / stage.rateOpsPerSecond,
        startNs,
        durationNs,
        firstOp,
        count,
      });
      startNs += durationNs;
      firstOp += count;
    });
    this.stages = placed;
  }

  /** Intended send offset of operation `op` (0-based), ns from the start. Fastest for increasing op. */
  intendedOffsetNs(op: number): number {
    if (op < this.stages[this.cursor].firstOp) this.cursor = 0;
    while (op >= this.stages[this.cursor].firstOp + this.stages[this.cursor].count) this.cursor++;
    const stage = this.stages[this.cursor];
    return stage.startNs + (op - stage.firstOp) * stage.intervalNs;
  }

  /** How many operations are due strictly before offsetNs. */
  countBefore(offsetNs: number): number {
    let total = 0;
    for (const stage of this.stages) {
      if (offsetNs <= stage.startNs) break;
      total += Math.min(stage.count, Math.ceil(((offsetNs - stage.startNs) * stage.rateOpsPerSecond) / NS_PER_S));
    }
    return total;
  }

  /** The time-weighted mean rate over [0, offsetNs): the target an achieved rate is compared with. */
  meanRateOpsPerSecond(offsetNs: number): number {
    if (offsetNs <= 0) return this.stages[0].rateOpsPerSecond;
    let ops = 0;
    for (const stage of this.stages) {
      if (offsetNs <= stage.startNs) break;
      const spanNs = Math.min(offsetNs - stage.startNs, stage.count === Infinity ? Infinity : stage.durationNs);
      ops += (spanNs * stage.rateOpsPerSecond) / NS_PER_S;
    }
    return (ops * NS_PER_S) / offsetNs;
  }
}
