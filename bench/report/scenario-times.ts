import type { ScenarioReport } from '../core/run-summary.ts';
import { MS_PER_S } from '../core/units.ts';

type TimedScenario = Pick<ScenarioReport, 'id' | 'status' | 'durationMs' | 'error'>;

function seconds(ms: number): string {
  const s = ms / MS_PER_S;
  return s >= 100 ? `${s.toFixed(0)} s` : `${s.toFixed(1)} s`;
}

/**
 * Where the run's time went: one line per scenario (status, wall time, share of the total), slowest
 * first, then the total. Plain text for the terminal; the same durations are in summary.json.
 */
export function formatScenarioTimes(scenarios: readonly TimedScenario[]): string[] {
  const total = scenarios.reduce((sum, s) => sum + s.durationMs, 0);
  const idWidth = Math.max(8, ...scenarios.map((s) => s.id.length));
  const statusWidth = Math.max(...scenarios.map((s) => s.status.length), 6);
  const lines = [...scenarios]
    .sort((a, b) => b.durationMs - a.durationMs)
    .map((s) => {
      const share = total > 0 ? `${Math.round((100 * s.durationMs) / total)}%` : '-';
      const error = s.error ? ` (${s.error.message})` : '';
      return `  ${s.id.padEnd(idWidth)}  ${s.status.padEnd(statusWidth)}  ${seconds(s.durationMs).padStart(8)}  ${share.padStart(4)}${error}`;
    });
  return [...lines, `  ${'total'.padEnd(idWidth)}  ${''.padEnd(statusWidth)}  ${seconds(total).padStart(8)}`];
}
