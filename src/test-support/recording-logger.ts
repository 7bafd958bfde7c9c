import type { Logger } from '../logger.ts';

/** A logger that keeps every warning as { message, ...fields } and drops the rest. */
export function recordingLogger(): Logger & { warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return {
    warnings,
    debug: () => {},
    info: () => {},
    error: () => {},
    warn: (message, fields) => warnings.push({ message, ...fields }),
  };
}
