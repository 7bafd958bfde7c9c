import { medianOf } from './median-interval.ts';

/**
 * The improvement of `after` over `before` in %, as the median over pairs timed back to back of
 * (before - after) / before: noise that slows both halves of a pair cancels, where a ratio of two
 * medians would carry each one's own. Pairs with a `before` of 0 or less are left out; NaN without a pair.
 */
export function medianPairedGainPercent(pairs: readonly { readonly before: number; readonly after: number }[]): number {
  const gains = pairs.filter((p) => p.before > 0).map((p) => (100 * (p.before - p.after)) / p.before);
  return gains.length === 0 ? Number.NaN : medianOf(gains);
}
