import { judgeClaim } from '../../bench/analysis/verdict.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import { NS_PER_S } from '../../bench/core/units.ts';
import { claimIn, environmentConditions, figure, percentileMs, waitFor } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { PUBSUB_CLAIMS } from './claims.ts';
import { inFlightLimit } from './paced-publisher.ts';
import { PUBSUB_LATENCY_TUNABLES, resolvePubsubLatencyParams, SCENARIO_ID } from './pubsub-latency-params.ts';
import type { LatencyCell, PubsubLatencyParams } from './pubsub-latency-params.ts';
import { CHANNEL, openRig, runSignalEventCell, SIGNAL_EVENT_METRIC } from './pubsub-latency-rig.ts';
import type { LatencyRig, Recording } from './pubsub-latency-rig.ts';
import { trialOrder } from './trial-order.ts';

const CLAIM_ID = 'pubsub.latency';

const cellMetric = (rate: number, bytes: number): string => `delivery.rate-${rate}.bytes-${bytes}`;

/** What a round visits: a paced cell of the bench publisher, or the SignalEvent cell of the system under test. */
type Variant = LatencyCell | 'signal-event';

/** What the rounds leave behind: per cell (metric name) totals over the measured rounds. */
interface CellTotals {
  readonly published: Map<string, number>;
  readonly lost: Map<string, number>;
  readonly publishNs: Map<string, number>;
  roundsDone: number;
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params = resolvePubsubLatencyParams(context.params.quick, context.overrides);
  const totals = await measureRounds(context, params);
  return latencyOutcome(context, params, totals);
}

/** A warm-up over every cell (not recorded), then `rounds` measured rounds, one trial each. */
async function measureRounds(context: ScenarioContext, params: PubsubLatencyParams): Promise<CellTotals> {
  const { recorders, progress, signal } = context;
  const recording: Recording = { measuring: false, current: null };
  const totals: CellTotals = { published: new Map(), lost: new Map(), publishNs: new Map(), roundsDone: 0 };
  const variants: Variant[] = [...params.cells, ...(params.signalEventRate > 0 ? ['signal-event' as const] : [])];
  progress(
    `warm-up ${params.warmupDurationMs} ms, then ${params.rounds} rounds, each on fresh connections: ${params.roundWarmupEvents} warm-up events, then ${variants.length} cells x ${params.cellDurationMs} ms in a shuffled order (${params.cells.map((c) => `${c.rate}/s x ${c.bytes} B`).join(', ')}${params.signalEventRate > 0 ? `, SignalEvents ${params.signalEventRate}/s` : ''})`,
  );
  if (params.warmupDurationMs > 0)
    await withRig(context, recording, (rig) =>
      visitAll(context, params, variants, rig, recording, totals, params.warmupDurationMs / variants.length),
    );
  recorders.resetAll();
  for (let round = 0; round < params.rounds && !signal.aborted; round++) {
    await measureRound(context, params, variants, round, recording, totals);
    if (signal.aborted) break;
    recorders.markTrial();
    totals.roundsDone += 1;
    progress(`round ${round + 1}/${params.rounds} done`);
  }
  return totals;
}

/**
 * One trial: fresh clients, warm-up events at the reference cell (not recorded), then every variant
 * in this round's shuffled order, recorded.
 */
async function measureRound(
  context: ScenarioContext,
  params: PubsubLatencyParams,
  variants: readonly Variant[],
  round: number,
  recording: Recording,
  totals: CellTotals,
): Promise<void> {
  const reference = { rate: params.referenceRate, bytes: params.referencePayloadBytes };
  const warmupMs = (params.roundWarmupEvents * 1_000) / params.referenceRate;
  await withRig(context, recording, async (rig) => {
    await visitCell(context, reference, rig, recording, totals, warmupMs);
    recording.measuring = true;
    try {
      const order = trialOrder(variants, context.params.seed, SCENARIO_ID, round);
      await visitAll(context, params, order, rig, recording, totals, params.cellDurationMs);
    } finally {
      recording.measuring = false;
    }
  });
}

/** Opens fresh clients (bench publisher and listener, EventPublisher and EventSubscriber), uses them, closes them. */
async function withRig(
  context: ScenarioContext,
  recording: Recording,
  use: (rig: LatencyRig) => Promise<void>,
): Promise<void> {
  const rig = await openRig(context, recording);
  try {
    await rig.start();
    await use(rig);
  } finally {
    rig.close();
  }
}

/** Every variant in the given order, each for durationMs. */
async function visitAll(
  context: ScenarioContext,
  params: PubsubLatencyParams,
  variants: readonly Variant[],
  rig: LatencyRig,
  recording: Recording,
  totals: CellTotals,
  durationMs: number,
): Promise<void> {
  for (const variant of variants) {
    if (context.signal.aborted) return;
    if (variant === 'signal-event') await visitSignalEventCell(context, params, rig, durationMs);
    else await visitCell(context, variant, rig, recording, totals, durationMs);
    context.recorders.cutIfDue();
  }
}

/** One cell: paced publishing, then a wait for the deliveries; counted when the round is measuring. */
async function visitCell(
  context: ScenarioContext,
  { rate, bytes }: LatencyCell,
  rig: LatencyRig,
  recording: Recording,
  totals: CellTotals,
  durationMs: number,
): Promise<void> {
  const { signal } = context;
  const { publisher, listener } = rig;
  const add = (map: Map<string, number>, name: string, n: number): void => {
    map.set(name, (map.get(name) ?? 0) + n);
  };
  const name = cellMetric(rate, bytes);
  recording.current = name;
  const before = listener.tracker.received;
  const result = await publisher.paced({ ratePerSec: rate, durationMs, payloadBytes: bytes, signal });
  const expected = result.endSeq - result.firstSeq - result.failed;
  await waitFor(() => listener.tracker.received - before >= expected, 3_000, signal);
  if (recording.measuring) {
    add(totals.published, name, result.endSeq - result.firstSeq);
    add(totals.publishNs, name, result.elapsedNs);
    add(totals.lost, name, result.endSeq - result.firstSeq - (listener.tracker.received - before));
  }
  recording.current = null;
}

/** SignalEvents through EventPublisher -> EventSubscriber, then a wait for the last of them. */
async function visitSignalEventCell(
  context: ScenarioContext,
  params: PubsubLatencyParams,
  rig: LatencyRig,
  durationMs: number,
): Promise<void> {
  await runSignalEventCell(context, rig.sutPublisher, rig.sentAt, params.signalEventRate, durationMs, rig.nextId);
  await waitFor(() => rig.sentAt.size === 0, 3_000, context.signal);
  rig.sentAt.clear();
}

function latencyOutcome(context: ScenarioContext, params: PubsubLatencyParams, totals: CellTotals): ScenarioOutcome {
  const { cells } = params;
  const { recorders } = context;
  const reference = cellMetric(params.referenceRate, params.referencePayloadBytes);
  const trial = recorders
    .metric(reference)
    .trialHistograms()
    .slice(0, totals.roundsDone)
    .map((h) => percentileMs(h, 99));
  const { values, behind } = cellValues(context, params, totals);
  const conditions = [
    environmentConditions(context),
    `reference cell ${params.referenceRate} events/s, ${params.referencePayloadBytes} B, ${params.cellDurationMs} ms per round, 1 subscriber`,
    `one trial per round: fresh publisher and subscriber connections, ${params.roundWarmupEvents} warm-up events (not recorded), then every cell in a seeded shuffled order`,
    'delay = receive hrtime - send hrtime carried in the payload; publisher and subscriber share one Node process and event loop (one clock, no skew; the delay includes this process getting to the message)',
  ].join('; ');
  return {
    values,
    trials: { [CLAIM_ID]: trial },
    verdicts: [judgeClaim(claimIn(PUBSUB_CLAIMS, CLAIM_ID), trial, conditions)],
    parameters: { ...params, channel: CHANNEL, roundsDone: totals.roundsDone },
    notes: [
      'sends due within one timer tick (~1 ms) go back to back; each message carries its own send time, so the delay is per message and not coordinated-omission corrected (a pub/sub publisher does not wait for receivers)',
      `metrics ${cells.map((c) => cellMetric(c.rate, c.bytes)).join(', ')}${params.signalEventRate > 0 ? `, ${SIGNAL_EVENT_METRIC} (the system under test, including JSON and zod validation on both sides)` : ''}`,
      ...behind.map((line) => `WARNING ${line}`),
    ],
  };
}

/** Per cell: p50, p99, lost and the rate achieved; `behind` names the cells whose publisher fell behind. */
function cellValues(
  context: ScenarioContext,
  params: PubsubLatencyParams,
  totals: CellTotals,
): { values: Record<string, ScenarioValue>; behind: string[] } {
  const values: Record<string, ScenarioValue> = {};
  const behind: string[] = [];
  for (const { rate, bytes } of params.cells) {
    const name = cellMetric(rate, bytes);
    const total = context.recorders.metric(name).total();
    const published = totals.published.get(name) ?? 0;
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
      totals.lost.get(name) ?? 0,
      'count',
      `events not received (of ${published} published)`,
    );
    const elapsedNs = totals.publishNs.get(name) ?? 0;
    const achieved = elapsedNs > 0 ? (published * NS_PER_S) / elapsedNs : null;
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
    const total = context.recorders.metric(SIGNAL_EVENT_METRIC).total();
    values['signal-event.p50-ms'] = figure(
      percentileMs(total, 50),
      'ms',
      `p50 SignalEvent publish (EventPublisher, zod-validated) to handler (EventSubscriber, validated), ${params.signalEventRate}/s`,
    );
    values['signal-event.p99-ms'] = figure(percentileMs(total, 99), 'ms', 'p99 of the same');
  }
  return { values, behind };
}

export const pubsubLatency: Scenario = {
  id: SCENARIO_ID,
  description:
    'Pub/sub publish-to-receive delay at several rates and payload sizes, 1 subscriber (HDR per cell); plus SignalEvents through EventPublisher -> EventSubscriber.',
  claims: [CLAIM_ID],
  tunables: PUBSUB_LATENCY_TUNABLES,
  run,
};
