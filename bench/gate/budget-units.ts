import type { BudgetUnit } from './budget-ast.ts';

/** What a quantity measures; only quantities of the same dimension compare. */
export type Dimension = 'time' | 'size' | 'ratio' | 'percent' | 'count' | 'other';

interface UnitInfo {
  readonly unit: BudgetUnit;
  readonly dimension: Dimension;
  /** Multiplier to the dimension's base unit (ns, bytes, x, %). */
  readonly factor: number;
}

const UNITS: readonly UnitInfo[] = [
  { unit: 'ns', dimension: 'time', factor: 1 },
  { unit: 'us', dimension: 'time', factor: 1e3 },
  { unit: 'ms', dimension: 'time', factor: 1e6 },
  { unit: 's', dimension: 'time', factor: 1e9 },
  { unit: 'x', dimension: 'ratio', factor: 1 },
  { unit: '%', dimension: 'percent', factor: 1 },
  { unit: 'bytes', dimension: 'size', factor: 1 },
  // SI prefixes as in most size tools; KiB and MiB for the binary ones.
  { unit: 'KB', dimension: 'size', factor: 1e3 },
  { unit: 'MB', dimension: 'size', factor: 1e6 },
  { unit: 'KiB', dimension: 'size', factor: 1024 },
  { unit: 'MiB', dimension: 'size', factor: 1024 * 1024 },
];

/** Spellings accepted in a budget file, mapped to the unit they mean. */
const SPELLINGS: Readonly<Record<string, BudgetUnit>> = {
  ns: 'ns',
  us: 'us',
  µs: 'us', // U+00B5 micro sign
  μs: 'us', // U+03BC Greek mu
  ms: 'ms',
  s: 's',
  x: 'x',
  '%': '%',
  bytes: 'bytes',
  B: 'bytes',
  KB: 'KB',
  kB: 'KB',
  MB: 'MB',
  KiB: 'KiB',
  MiB: 'MiB',
};

export const UNIT_SPELLINGS_TEXT = 'ns, us (µs), ms, s, x, %, bytes (B), KB, MB, KiB, MiB';

export function parseUnit(text: string): BudgetUnit | undefined {
  return Object.hasOwn(SPELLINGS, text) ? SPELLINGS[text] : undefined;
}

export function unitInfo(unit: BudgetUnit): UnitInfo {
  return UNITS.find((u) => u.unit === unit) as UnitInfo;
}

/** A measured figure in the unit the report stores it in. */
export interface Quantity {
  readonly value: number;
  readonly dimension: Dimension;
  /** Multiplier from `unit` to the dimension's base unit. */
  readonly factor: number;
  /** The stored unit, as the report names it (ns, ms, bytes, count, ...). */
  readonly unit: string;
}

/** Reads a report's unit string (a ScenarioValue or claim unit) as a dimension. */
export function quantityOf(value: number, reportUnit: string): Quantity {
  const known = parseUnit(reportUnit);
  if (known !== undefined) {
    const info = unitInfo(known);
    return { value, dimension: info.dimension, factor: info.factor, unit: reportUnit };
  }
  if (reportUnit === 'count' || reportUnit === '') return { value, dimension: 'count', factor: 1, unit: reportUnit };
  return { value, dimension: 'other', factor: 1, unit: reportUnit };
}

export type Conversion =
  | { readonly ok: true; readonly value: number; readonly unit: string }
  | { readonly ok: false; readonly problem: string };

const DIMENSION_WORD: Readonly<Record<Dimension, string>> = {
  time: 'a latency',
  size: 'a size',
  ratio: 'a ratio',
  percent: 'a percentage',
  count: 'a count',
  other: 'a figure',
};

/**
 * Converts a measured quantity to the budget's unit. A bare number is read in the quantity's own
 * unit, except for latencies, where "5" could mean ns or ms and a unit is required.
 */
export function convertToBudgetUnit(quantity: Quantity, unit: BudgetUnit | null): Conversion {
  const what = `${DIMENSION_WORD[quantity.dimension]} (stored in ${quantity.unit || 'no unit'})`;
  if (unit === null) {
    if (quantity.dimension === 'time')
      return { ok: false, problem: `${what} needs a unit in the budget: ns, us, ms or s` };
    return { ok: true, value: quantity.value, unit: quantity.unit };
  }
  const info = unitInfo(unit);
  if (info.dimension !== quantity.dimension) {
    return { ok: false, problem: `unit ${unit} does not fit ${what}; ${suggestUnits(quantity.dimension)}` };
  }
  return { ok: true, value: (quantity.value * quantity.factor) / info.factor, unit };
}

function suggestUnits(dimension: Dimension): string {
  const units = UNITS.filter((u) => u.dimension === dimension).map((u) => u.unit);
  if (dimension === 'count' || dimension === 'other') return 'use a bare number';
  return dimension === 'time' ? `use ${units.join(', ')}` : `use ${units.join(', ')} or a bare number`;
}
