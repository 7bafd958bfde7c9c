import { describe, expect, it } from 'vitest';
import type { Logger } from '../logger.ts';
import { LinearModel } from '../signals/linear-model.ts';
import { SignalGenerator } from '../signals/signal-generator.ts';
import { emptySeries } from '../test-support/test-markets.ts';
import type { SignalEventSink } from '../signals/signal-generator.ts';
import { SignalEventSchema } from './event-schemas.ts';
import type { SignalEvent } from './event-schemas.ts';

const generator = (events: SignalEventSink | null, logger?: Logger) =>
  new SignalGenerator({
    model: new LinearModel({
      name: 'alpha_baseline',
      version: '1',
      featureNames: ['a'],
      weights: Float64Array.from([2]),
      bias: 0,
    }),
    market: {
      readSeries: async (symbol) => emptySeries(symbol),
    },
    featureCache: null,
    computeFeatures: () => Float64Array.from([0.25]),
    events,
    logger,
  });

describe('SignalGenerator publishes signals.generated', () => {
  it('publishes one valid SignalEvent per generation, after the signals are computed', async () => {
    const published: SignalEvent[] = [];
    const batch = await generator({ publishSignalEvent: async (e) => (published.push(e), 1) }).generate(
      ['AAPL', 'MSFT'],
      '2025-01-17',
    );
    expect(batch.signals.map((s) => s.score)).toEqual([0.5, 0.5]);
    expect(published).toHaveLength(1);
    expect(SignalEventSchema.parse(published[0])).toMatchObject({
      strategy_id: 'alpha_baseline',
      symbols: ['AAPL', 'MSFT'],
      num_signals: 2,
      as_of_date: '2025-01-17',
    });
  });

  it('returns the signals even when the event sink throws, and logs it', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, error: () => {}, warn: (m) => void warnings.push(m) };
    const batch = await generator(
      {
        publishSignalEvent: async () => {
          throw new Error('redis down');
        },
      },
      logger,
    ).generate(['AAPL'], '2025-01-17');
    expect(batch.signals).toHaveLength(1);
    expect(warnings.join('\n')).toContain('SignalEvent publish failed');
  });

  it('publishes nothing without a sink (the default)', async () => {
    const batch = await generator(null).generate(['AAPL'], '2025-01-17');
    expect(batch.signals).toHaveLength(1);
  });
});
