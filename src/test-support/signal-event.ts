import type { SignalEvent } from '../events/event-schemas.ts';
import { utcNow } from '../events/event-schemas.ts';

/** A valid signals.generated event stamped now; num_signals = n tells events apart. */
export const signalEvent = (n: number): SignalEvent => ({
  event_type: 'signals.generated',
  timestamp: utcNow(),
  strategy_id: 'alpha_baseline',
  symbols: ['AAPL'],
  num_signals: n,
  as_of_date: '2025-01-17',
});
