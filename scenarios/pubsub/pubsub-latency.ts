import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { ConfigError } from '../../bench/errors.ts';
import { BenchPublisher, inFlightLimit } from './paced-publisher.ts';
import { PubsubListener } from './pubsub-listener.ts';
import { claimById, environmentConditions, figure, percentileMs, waitFor } from './scenario-support.ts';
import { benchNowNs } from './bench-message.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome, ScenarioValue } from '../../bench/core/scenario.ts';
import type { TunableSpec, TunableValue } from '../../bench/core/tunables.ts';
import { sleepMs } from '../../bench/load/precise-wait.ts';
import { EventPublisher } from '../../src/events/event-publisher.ts';
import type { SignalEvent } from '../../src/events/event-schemas.ts';
import { utcNow } from '../../src/events/event-schemas.ts';
import { EventSubscriber } from '../../src/events/event-subscriber.ts';
import { benchClient } from './bench-clients.ts';

const SCENARIO_ID = 'pubsub-latency';
const CLAIM_ID = 'pubsub.latency';
const CHANNEL = 'bench.latency';

export interface PubsubLatencyParams {
  readonly rounds: number;
  /** Paced publishing per cell (rate x payload) and round. */
  readonly cellDurationMs: number;
  readonly warmupDurationMs: number;
  readonly rates: readonly number[];
  readonly payloadBytes: readonly number[];
  /** The cell the claim is judged on: the document's case, a small event at a modest rate. */
  readonly referenceRate: number;
  readonly referencePayloadBytes: number;
  /** Rate of the system-under-test path (EventPublisher -> EventSubscriber with validation); 0: skip. */
  readonly signalEventRate: number;
}

export const DEFAULT_PUBSUB_LATENCY_PARAMS: PubsubLatencyParams = {
  rounds: 5,
  cellDurationMs: 2_000,
  warmupDurationMs: 1_000,
  rates: [1_000, 10_000, 30_000],
  payloadBytes: [256, 4_096, 65_536],
  referenceRate: 1_000,
  referencePayloadBytes: 256,
  signalEventRate: 1_000,
};

export const QUICK_PUBSUB_LATENCY_PARAMS: PubsubLatencyParams = {
  ...DEFAULT_PUBSUB_LATENCY_PARAMS,
  rounds: 3,
  cellDurationMs: 700,
  warmupDurationMs: 300,
  rates: [1_000, 10_000],
  payloadBytes: [256, 4_096],
};

/** A whole run longer than this is refused: a typo (cellDurationMs=600000) must not hold the machine for hours. */
const MAX_RUN_MS = 20 * 60_000;

export const PUBSUB_LATENCY_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 3,
    max: 50,
    description: 'rounds (trials behind the verdict); each round visits every rate x payload cell',
  },
  cellDurationMs: { kind: 'integer', min: 100, max: 60_000, description: 'paced publishing per cell and round' },
  warmupDurationMs: { kind: 'integer', min: 0, max: 60_000, description: 'warm-up, not recorded' },
  signalEventRate: {
    kind: 'integer',
    min: 0,
    max: 10_000,
    description: 'SignalEvents/s through EventPublisher -> EventSubscriber (the system under test); 0 skips that cell',
  },
};

/** Quick or full defaults with the user's --set values; a run that would exceed MAX_RUN_MS is a ConfigError. */
export function resolvePubsubLatencyParams(
  quick: boolean,
  overrides: Readonly<Record<string, TunableValue>>,
): PubsubLatencyParams {
  const params = {
    ...(quick ? QUICK_PUBSUB_LATENCY_PARAMS : DEFAULT_PUBSUB_LATENCY_PARAMS),
    ...overrides,
  } as PubsubLatencyParams;
  const cells = params.rates.length * params.payloadBytes.length + (params.signalEventRate > 0 ? 1 : 0);
  const runMs = params.warmupDurationMs + params.rounds * cells * params.cellDurationMs;
  if (runMs > MAX_RUN_MS) {
    throw new ConfigError(
      `${SCENARIO_ID}: rounds=${params.rounds} x ${cells} cells x cellDurationMs=${params.cellDurationMs} would publish for ${Math.round(runMs / 60_000)} min, more than the ${MAX_RUN_MS / 60_000} min limit`,
      {
        hint: `lower --set rounds or --set cellDurationMs (e.g. --set cellDurationMs=2000)`,
      },
    );
  }
  return params;
}

const cellMetric = (rate: number, bytes: number): string => `delivery.rate-${rate}.bytes-${bytes}`;
const SIGNAL_EVENT_METRIC = 'delivery.signal-event';

async function runSignalEventCell(
  context: ScenarioContext,
  publisher: EventPublisher,
  sentAt: Map<number, number>,
  rate: number,
  durationMs: number,
  nextId: { n: number },
): Promise<void> {
  const gapNs = 1e9 / rate;
  const total = Math.round((rate * durationMs) / 1000);
  const startNs = benchNowNs();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total && !context.signal.aborted; i++) {
    const waitMs = (startNs + i * gapNs - benchNowNs()) / 1e6;
    if (waitMs > 0) await sleepMs(waitMs, context.signal);
    const id = nextId.n++;
    const event: SignalEvent = {
      event_type: 'signals.generated',
      timestamp: utcNow(),
      strategy_id: 'bench',
      symbols: ['AAPL'],
      num_signals: id,
      as_of_date: '2025-01-17',
    };
    sentAt.set(id, benchNowNs());
    pending.push(publisher.publish(event));
  }
  await Promise.all(pending);
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params = resolvePubsubLatencyParams(context.params.quick, context.overrides);
  const claim = claimById(CLAIM_ID);
  const { recorders, progress, signal } = context;
  const cells = params.rates.flatMap((rate) => params.payloadBytes.map((bytes) => ({ rate, bytes })));
  let measuring = false;
  let current: string | null = null;
  const sinkRecorder = (delayNs: number): void => {
    if (measuring && current !== null) recorders.metric(current).recordNs(delayNs);
  };
  const publisher = await BenchPublisher.open(context.redisUrl, 0, CHANNEL, { commandTimeoutMs: 5_000 });
  const listener = await PubsubListener.open(
    context.redisUrl,
    { name: 'rpb-bench-listener', channels: [CHANNEL], reconnect: true },
    sinkRecorder,
  ).catch((error: unknown) => {
    publisher.close();
    throw error;
  });
  // The system under test: EventPublisher on its own connection, EventSubscriber validating each event.
  const sutClient = benchClient(context.redisUrl, {
    name: 'rpb-event-publisher',
    offlineQueue: true,
    reconnectDelayMs: 50,
    commandTimeoutMs: 5_000,
  });
  const sentAt = new Map<number, number>();
  const sutPublisher = new EventPublisher(sutClient);
  const sutSubscriber = new EventSubscriber(context.redisUrl, {
    channels: ['signals.generated'],
    onEvent: (event) => {
      const now = benchNowNs();
      if (event.event_type !== 'signals.generated') return;
      const sent = sentAt.get(event.num_signals);
      sentAt.delete(event.num_signals);
      if (sent !== undefined && measuring) recorders.metric(SIGNAL_EVENT_METRIC).recordNs(now - sent);
    },
  });
  const published = new Map<string, number>();
  const lost = new Map<string, number>();
  const publishNs = new Map<string, number>();
  const nextId = { n: 0 };
  let roundsDone = 0;
  try {
    await sutClient.connect();
    await sutSubscriber.start();
    const visit = async (durationMs: number): Promise<void> => {
      for (const { rate, bytes } of cells) {
        if (signal.aborted) return;
        const name = cellMetric(rate, bytes);
        current = name;
        const before = listener.tracker.received;
        const result = await publisher.paced({ ratePerSec: rate, durationMs, payloadBytes: bytes, signal });
        const expected = result.endSeq - result.firstSeq - result.failed;
        await waitFor(() => listener.tracker.received - before >= expected, 3_000, signal);
        if (measuring) {
          published.set(name, (published.get(name) ?? 0) + (result.endSeq - result.firstSeq));
          publishNs.set(name, (publishNs.get(name) ?? 0) + result.elapsedNs);
          lost.set(
            name,
            (lost.get(name) ?? 0) + (result.endSeq - result.firstSeq) - (listener.tracker.received - before),
          );
        }
        current = null;
        recorders.cutIfDue();
      }
      if (params.signalEventRate > 0 && !signal.aborted) {
        await runSignalEventCell(context, sutPublisher, sentAt, params.signalEventRate, durationMs, nextId);
        await waitFor(() => sentAt.size === 0, 3_000, signal);
        sentAt.clear();
      }
    };
    progress(
      `warm-up ${params.warmupDurationMs} ms, then ${params.rounds} rounds of ${cells.length} cells x ${params.cellDurationMs} ms (rates ${params.rates.join(', ')}/s; payloads ${params.payloadBytes.join(', ')} B)`,
    );
    await visit(Math.max(50, params.warmupDurationMs / (cells.length + 1)));
    recorders.resetAll();
    measuring = true;
    for (let round = 0; round < params.rounds && !signal.aborted; round++) {
      await visit(params.cellDurationMs);
      if (signal.aborted) break;
      recorders.markTrial();
      roundsDone += 1;
      progress(`round ${round + 1}/${params.rounds} done`);
    }
  } finally {
    measuring = false;
    listener.close();
    publisher.close();
    sutSubscriber.close();
    sutClient.disconnect();
  }

  const reference = cellMetric(params.referenceRate, params.referencePayloadBytes);
  const trial = recorders
    .metric(reference)
    .trialHistograms()
    .slice(0, roundsDone)
    .map((h) => percentileMs(h, 99));
  const values: Record<string, ScenarioValue> = {};
  const behind: string[] = [];
  for (const { rate, bytes } of cells) {
    const name = cellMetric(rate, bytes);
    const total = recorders.metric(name).total();
    values[`${name}.p50-ms`] = figure(
      percentileMs(total, 50),
      'ms',
      `p50 publish-to-receive, ${rate} events/s, ${bytes} B`,
    );
    values[`${name}.p99-ms`] = figure(
      percentileMs(total, 99),
      'ms',
      `p99 publish-to-receive, ${rate} events/s, ${bytes} B`,
    );
    values[`${name}.lost`] = figure(
      lost.get(name) ?? 0,
      'count',
      `events not received (of ${published.get(name) ?? 0} published)`,
    );
    const elapsedNs = publishNs.get(name) ?? 0;
    const achieved = elapsedNs > 0 ? ((published.get(name) ?? 0) * 1e9) / elapsedNs : null;
    values[`${name}.achieved-per-second`] = figure(
      achieved,
      'events/s',
      `events published per second (target ${rate}); sends wait when ${inFlightLimit(bytes)} publishes (at most 32 MB) are unanswered`,
    );
    if (achieved !== null && achieved < rate * 0.99)
      behind.push(
        `${name}: ${Math.round(achieved)} of ${rate} events/s (${Math.round((achieved / rate) * 100)}%): the publisher fell behind, bounded by ${inFlightLimit(bytes)} publishes in flight; its delays are those of the rate achieved`,
      );
  }
  if (params.signalEventRate > 0) {
    const total = recorders.metric(SIGNAL_EVENT_METRIC).total();
    values['signal-event.p50-ms'] = figure(
      percentileMs(total, 50),
      'ms',
      `p50 SignalEvent publish (EventPublisher, zod-validated) to handler (EventSubscriber, validated), ${params.signalEventRate}/s`,
    );
    values['signal-event.p99-ms'] = figure(percentileMs(total, 99), 'ms', 'p99 of the same');
  }
  const conditions = [
    environmentConditions(context),
    `reference cell ${params.referenceRate} events/s, ${params.referencePayloadBytes} B, 1 subscriber`,
    'delay = receive hrtime - send hrtime carried in the payload; publisher and subscriber share one Node process and event loop (one clock, no skew; the delay includes this process getting to the message)',
  ].join('; ');
  return {
    values,
    trials: { [CLAIM_ID]: trial },
    verdicts: [judgeClaim(claim, trial, conditions)],
    parameters: { ...params, channel: CHANNEL, roundsDone },
    notes: [
      'sends due within one timer tick (~1 ms) go back to back; each message carries its own send time, so the delay is per message and not coordinated-omission corrected (a pub/sub publisher does not wait for receivers)',
      `metrics ${cells.map((c) => cellMetric(c.rate, c.bytes)).join(', ')}${params.signalEventRate > 0 ? `, ${SIGNAL_EVENT_METRIC} (the system under test, including JSON and zod validation on both sides)` : ''}`,
      ...behind.map((line) => `WARNING ${line}`),
    ],
  };
}

export const pubsubLatency: Scenario = {
  id: SCENARIO_ID,
  description:
    'Pub/sub publish-to-receive delay at several rates and payload sizes, 1 subscriber (HDR per cell); plus SignalEvents through EventPublisher -> EventSubscriber.',
  claims: [CLAIM_ID],
  tunables: PUBSUB_LATENCY_TUNABLES,
  run,
};
