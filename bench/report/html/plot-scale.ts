/** Maps a data value to a fraction 0..1 of an axis; values outside the domain are clamped. */
export interface PlotScale {
  readonly kind: 'linear' | 'log';
  readonly min: number;
  readonly max: number;
  map(value: number): number;
}

export function linearScale(min: number, max: number): PlotScale {
  const lo = Number.isFinite(min) ? min : 0;
  const hi = Number.isFinite(max) && max > lo ? max : lo + 1;
  return { kind: 'linear', min: lo, max: hi, map: (v) => clamp01((v - lo) / (hi - lo)) };
}

export function logScale(min: number, max: number): PlotScale {
  const lo = Number.isFinite(min) && min > 0 ? min : 1;
  const hi = Number.isFinite(max) && max > lo ? max : lo * 10;
  const span = Math.log10(hi) - Math.log10(lo);
  return { kind: 'log', min: lo, max: hi, map: (v) => (v > 0 ? clamp01((Math.log10(v) - Math.log10(lo)) / span) : 0) };
}

function clamp01(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
}

export interface AutoScaleOptions {
  /** A linear scale starts at zero (latencies, rates); a log scale never can. */
  readonly includeZero: boolean;
  /** Above this max/min ratio of the positive values the axis is logarithmic. */
  readonly logAboveRatio: number;
}

export const DEFAULT_AUTO_SCALE_OPTIONS: AutoScaleOptions = { includeZero: true, logAboveRatio: 30 };

/**
 * Linear when the values span less than `logAboveRatio`, so small differences stay visible;
 * logarithmic (whole decades) when they span more, so a 0.05 ms step and a 30 ms batch share an axis.
 */
export function autoScale(values: readonly number[], options: Partial<AutoScaleOptions> = {}): PlotScale {
  const { includeZero, logAboveRatio } = { ...DEFAULT_AUTO_SCALE_OPTIONS, ...options };
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return linearScale(0, 1);
  const positive = finite.filter((v) => v > 0);
  const max = Math.max(...finite);
  const min = Math.min(...finite);
  if (positive.length === finite.length && max / Math.min(...positive) > logAboveRatio) {
    return logScale(10 ** Math.floor(Math.log10(Math.min(...positive))), 10 ** Math.ceil(Math.log10(max)));
  }
  const lo = includeZero ? Math.min(0, min) : min;
  const hi = max > lo ? max + (max - lo) * 0.05 : lo + Math.max(1, Math.abs(lo));
  return linearScale(lo, hi);
}
