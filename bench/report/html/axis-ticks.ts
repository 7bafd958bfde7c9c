import type { PlotScale } from './plot-scale.ts';

export interface AxisTick {
  readonly value: number;
  readonly label: string;
}

/** A short tick label: three significant digits, no trailing zeros. */
export function formatTickValue(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (value === 0) return '0';
  const rounded = Number(value.toPrecision(3));
  return Math.abs(rounded) >= 1e6 || Math.abs(rounded) < 1e-4 ? rounded.toExponential(0) : String(rounded);
}

/**
 * About `target` ticks at 1, 2 or 5 times a power of ten (Heckbert, "Nice numbers for graph labels",
 * Graphics Gems 1990).
 */
export function linearTicks(min: number, max: number, target = 5): AxisTick[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const rough = (max - min) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(rough));
  const ratio = rough / power;
  const step = (ratio < 1.5 ? 1 : ratio < 3 ? 2 : ratio < 7 ? 5 : 10) * power;
  const ticks: AxisTick[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    const value = Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12));
    ticks.push({ value, label: formatTickValue(value) });
  }
  return ticks;
}

/** Decades; with fewer than three decades in range, also 2x and 5x each decade. */
export function logTicks(min: number, max: number): AxisTick[] {
  if (!(min > 0) || !(max > min) || !Number.isFinite(max)) return [];
  const first = Math.floor(Math.log10(min));
  const last = Math.ceil(Math.log10(max));
  const multiples = last - first < 3 ? [1, 2, 5] : [1];
  const ticks: AxisTick[] = [];
  for (let e = first; e <= last; e++) {
    for (const m of multiples) {
      const value = Number((m * 10 ** e).toPrecision(12));
      if (value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9)) ticks.push({ value, label: formatTickValue(value) });
    }
  }
  return ticks;
}

export function scaleTicks(scale: PlotScale, target = 5): AxisTick[] {
  return scale.kind === 'log' ? logTicks(scale.min, scale.max) : linearTicks(scale.min, scale.max, target);
}
