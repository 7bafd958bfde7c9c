/** The monitor-alerts scenario's parameters: defaults, the --quick set and what `--set` may change. */
import type { TunableSpec } from '../../bench/core/tunables.ts';

export interface MonitorAlertsParams {
  /** Rounds (trials): each drives Redis through every condition once and back. */
  readonly rounds: number;
  /** The monitor's check interval (`rpb monitor --watch`, here below its 0.5 s floor to keep rounds short). */
  readonly checkIntervalMs: number;
  /** Filler for the memory conditions: large enough that a client's buffers move the ratio by well under 1%. */
  readonly fillerMb: number;
  /** How long the signal service serves its load in the service condition (connected clients sampled meanwhile). */
  readonly serviceLoadMs: number;
  /** Keep-alive HTTP connections of that load, closed loop (as http-signals' throughput phases). */
  readonly serviceConnections: number;
  /** Symbols of the market data set the service reads (the http-signals --quick set, shared on disk). */
  readonly symbolCount: number;
}

/**
 * 7 rounds: a round takes about 3 s at a 100 ms check interval (13 conditions, a kill and restart, a
 * service start), and 7 keep the scenario near its 30 s share of the run; every round is a trial.
 */
export const DEFAULT_MONITOR_ALERTS_PARAMS: MonitorAlertsParams = {
  rounds: 7,
  checkIntervalMs: 100,
  fillerMb: 24,
  serviceLoadMs: 400,
  serviceConnections: 4,
  symbolCount: 60,
};

/** --quick: 6 rounds (the fewest that give a verdict) at a 50 ms check interval. */
export const QUICK_MONITOR_ALERTS_PARAMS: MonitorAlertsParams = {
  ...DEFAULT_MONITOR_ALERTS_PARAMS,
  rounds: 6,
  checkIntervalMs: 50,
  serviceLoadMs: 200,
};

export const MONITOR_ALERTS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: { kind: 'integer', min: 1, max: 100, description: 'rounds (trials): every condition once per round' },
  checkIntervalMs: {
    kind: 'integer',
    min: 20,
    max: 10_000,
    description: "the monitor's check interval; an alert must fire within one",
  },
  fillerMb: { kind: 'integer', min: 4, max: 256, description: 'MB of filler for the memory conditions' },
  serviceLoadMs: {
    kind: 'integer',
    min: 100,
    max: 60_000,
    description: 'length of the signal service load in the service condition',
  },
  serviceConnections: {
    kind: 'integer',
    min: 1,
    max: 64,
    description: 'keep-alive HTTP connections of the service load (closed loop)',
  },
};
