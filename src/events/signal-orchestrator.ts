import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { EventSubscriber } from './event-subscriber.ts';
import type { SignalEvent } from './event-schemas.ts';

export interface SignalOrchestratorOptions {
  /** trigger_orchestration(event) of the document. */
  readonly react: (event: SignalEvent) => void | Promise<void>;
  readonly logger?: Logger;
  readonly maxMessageBytes?: number;
}

/**
 * The document's T5 orchestrator: an optional subscriber on `signals.*` that reacts to each
 * SignalEvent. Other event types on matching channels (a future signals.* event) are ignored.
 */
export function createSignalOrchestrator(url: string, options: SignalOrchestratorOptions): EventSubscriber {
  const logger = options.logger ?? silentLogger;
  return new EventSubscriber(url, {
    patterns: ['signals.*'],
    connectionName: 'rpb-orchestrator',
    logger,
    maxMessageBytes: options.maxMessageBytes,
    onEvent: (event) => {
      if (event.event_type !== 'signals.generated') return;
      logger.info(`Received signals for ${event.symbols.length} symbols`, {
        strategy_id: event.strategy_id,
        as_of_date: event.as_of_date,
      });
      return options.react(event);
    },
  });
}
