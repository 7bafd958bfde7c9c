/** Time unit constants: histograms hold integer nanoseconds, reports speak ms or µs. Declared once here. */
export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;
export const MS_PER_S = 1_000;
