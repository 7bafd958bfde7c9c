import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { BenchPublisher } from './paced-publisher.ts';
import { PubsubListener } from './pubsub-listener.ts';
import {
  claimIn,
  environmentConditions,
  figure,
  percent,
  percentileMs,
  waitFor,
} from '../../bench/run/scenario-kit.ts';
import { PUBSUB_CLAIMS } from './claims.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';
import { NS_PER_S } from '../../bench/core/units.ts';

const SCENARIO_ID = 'pubsub-fanout';
const CLAIM_ID = 'pubsub.fanout';
const CHANNEL = 'bench.fanout';

export interface PubsubFanoutParams {
  readonly subscriberCounts: readonly number[];
  readonly rounds: number;
  /** Paced phase per subscriber count and round: the delivery latency and the claim. */
  readonly roundDurationMs: number;
  readonly ratePerSec: number;
  readonly payloadBytes: number;
  /** Burst phase: this many publishes as fast as `burstWindow` pipelined publishes allow: publisher throughput. */
  readonly burstCount: number;
  readonly burstWindow: number;
  readonly warmupDurationMs: number;
}

export const DEFAULT_PUBSUB_FANOUT_PARAMS: PubsubFanoutParams = {
  subscriberCounts: [1, 10, 50, 100],
  rounds: 5,
  roundDurationMs: 2_000,
  ratePerSec: 500,
  payloadBytes: 256,
  burstCount: 5_000,
  burstWindow: 64,
  warmupDurationMs: 500,
};

export const QUICK_PUBSUB_FANOUT_PARAMS: PubsubFanoutParams = {
  ...DEFAULT_PUBSUB_FANOUT_PARAMS,
  subscriberCounts: [1, 10, 50],
  rounds: 3,
  roundDurationMs: 600,
  burstCount: 1_000,
  warmupDurationMs: 200,
};

export const PUBSUB_FANOUT_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: { kind: 'integer', min: 3, max: 50, description: 'rounds per subscriber count (trials behind the verdict)' },
  roundDurationMs: { kind: 'integer', min: 100, max: 60_000, description: 'paced publishing per round' },
  ratePerSec: {
    kind: 'integer',
    min: 1,
    max: 5_000,
    description: 'paced publishing rate (every subscriber receives each event: deliveries/s = rate x subscribers)',
  },
  payloadBytes: { kind: 'integer', min: 48, max: 65_536, description: 'event size in bytes' },
  maxSubscribers: {
    kind: 'integer',
    min: 1,
    max: 200,
    description: 'largest subscriber count: the series 1, 10, 50, 100 is cut there (and the value itself added)',
  },
  burstCount: { kind: 'integer', min: 100, max: 100_000, description: 'publishes in the throughput burst' },
};

export function resolveFanoutParams(
  quick: boolean,
  overrides: Readonly<Record<string, number | string>>,
): PubsubFanoutParams {
  const { maxSubscribers, ...rest } = overrides;
  const base = {
    ...(quick ? QUICK_PUBSUB_FANOUT_PARAMS : DEFAULT_PUBSUB_FANOUT_PARAMS),
    ...rest,
  } as PubsubFanoutParams;
  if (typeof maxSubscribers !== 'number') return base;
  const counts = [
    ...new Set([...DEFAULT_PUBSUB_FANOUT_PARAMS.subscriberCounts.filter((n) => n < maxSubscribers), maxSubscribers]),
  ];
  return { ...base, subscriberCounts: counts };
}

interface CountResult {
  readonly subscribers: number;
  readonly deliveredPct: number[];
  publishReplyMismatch: number;
  readonly burstPublishesPerSec: number[];
  readonly burstDeliveredPct: number[];
}

async function measureCount(
  context: ScenarioContext,
  params: PubsubFanoutParams,
  subscribers: number,
  publisherId: number,
): Promise<CountResult> {
  const { recorders, signal } = context;
  const metric = `delivery.subscribers-${subscribers}`;
  let measuring = false;
  const sink = (delayNs: number): void => {
    if (measuring) recorders.metric(metric).recordNs(delayNs);
  };
  const listeners: PubsubListener[] = [];
  const publisher = await BenchPublisher.open(context.target.url, publisherId, CHANNEL, { commandTimeoutMs: 10_000 });
  const result: CountResult = {
    subscribers,
    deliveredPct: [],
    publishReplyMismatch: 0,
    burstPublishesPerSec: [],
    burstDeliveredPct: [],
  };
  try {
    for (let i = 0; i < subscribers; i++)
      listeners.push(
        await PubsubListener.open(
          context.target.url,
          { name: `rpb-bench-sub-${i}`, channels: [CHANNEL], reconnect: false },
          sink,
        ),
      );
    const receivedTotal = (): number => listeners.reduce((sum, l) => sum + l.tracker.received, 0);
    const delivered = (firstSeq: number, endSeq: number): number => {
      let count = 0;
      for (const l of listeners)
        for (let seq = firstSeq; seq < endSeq; seq++) if (l.tracker.has(publisherId, seq)) count += 1;
      return count;
    };
    // Warm-up: connections and code paths, not recorded.
    const warm = await publisher.paced({
      ratePerSec: params.ratePerSec,
      durationMs: params.warmupDurationMs,
      payloadBytes: params.payloadBytes,
      signal,
    });
    await waitFor(() => receivedTotal() >= (warm.endSeq - warm.firstSeq) * subscribers, 3_000, signal);
    for (let round = 0; round < params.rounds && !signal.aborted; round++) {
      measuring = true;
      const paced = await publisher.paced({
        ratePerSec: params.ratePerSec,
        durationMs: params.roundDurationMs,
        payloadBytes: params.payloadBytes,
        signal,
      });
      const expected = (paced.endSeq - paced.firstSeq) * subscribers;
      await waitFor(() => delivered(paced.firstSeq, paced.endSeq) >= expected, 5_000, signal);
      measuring = false;
      result.deliveredPct.push(percent(delivered(paced.firstSeq, paced.endSeq), expected));
      for (let seq = paced.firstSeq; seq < paced.endSeq; seq++)
        if (publisher.reply(seq) !== subscribers) result.publishReplyMismatch += 1;
      const burst = await publisher.burst({
        count: params.burstCount,
        window: params.burstWindow,
        payloadBytes: params.payloadBytes,
        maxDurationMs: 30_000,
        signal,
      });
      result.burstPublishesPerSec.push(((burst.endSeq - burst.firstSeq) * NS_PER_S) / burst.elapsedNs);
      const burstExpected = (burst.endSeq - burst.firstSeq) * subscribers;
      await waitFor(() => delivered(burst.firstSeq, burst.endSeq) >= burstExpected, 10_000, signal);
      result.burstDeliveredPct.push(percent(delivered(burst.firstSeq, burst.endSeq), burstExpected));
      recorders.cutIfDue();
    }
  } finally {
    for (const l of listeners) l.close();
    publisher.close();
  }
  return result;
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params = resolveFanoutParams(context.params.quick, context.overrides);
  const claim = claimIn(PUBSUB_CLAIMS, CLAIM_ID);
  const results: CountResult[] = [];
  context.progress(
    `subscriber counts ${params.subscriberCounts.join(', ')}; per count ${params.rounds} rounds of ${params.roundDurationMs} ms at ${params.ratePerSec} events/s + a burst of ${params.burstCount}`,
  );
  context.recorders.resetAll();
  for (const [i, subscribers] of params.subscriberCounts.entries()) {
    if (context.signal.aborted) break;
    results.push(await measureCount(context, params, subscribers, i));
    context.progress(`${subscribers} subscribers done`);
  }
  context.recorders.markTrial();
  const trial = results.flatMap((r) => r.deliveredPct);
  const values: Record<string, ScenarioValue> = {};
  for (const r of results) {
    const total = context.recorders.metric(`delivery.subscribers-${r.subscribers}`).total();
    const median = (xs: number[]): number =>
      xs.length === 0 ? Number.NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    values[`subscribers-${r.subscribers}.p50-ms`] = figure(
      percentileMs(total, 50),
      'ms',
      `p50 publish-to-receive over all ${r.subscribers} subscribers, ${params.ratePerSec} events/s`,
    );
    values[`subscribers-${r.subscribers}.p99-ms`] = figure(percentileMs(total, 99), 'ms', 'p99 of the same');
    values[`subscribers-${r.subscribers}.delivered-pct`] = figure(
      Math.min(...r.deliveredPct),
      '%',
      'lowest per-round share of (event, subscriber) deliveries, paced phase',
    );
    values[`subscribers-${r.subscribers}.burst-publishes-per-s`] = figure(
      median(r.burstPublishesPerSec),
      'events/s',
      `median over rounds of the publisher's burst rate (${params.burstWindow} pipelined PUBLISHes in flight, one connection)`,
    );
    values[`subscribers-${r.subscribers}.burst-deliveries-per-s`] = figure(
      median(r.burstPublishesPerSec) * r.subscribers,
      'deliveries/s',
      'the same times the subscriber count: messages Redis wrote out',
    );
    values[`subscribers-${r.subscribers}.burst-delivered-pct`] = figure(
      Math.min(...r.burstDeliveredPct),
      '%',
      'lowest per-round delivered share in the burst',
    );
    values[`subscribers-${r.subscribers}.publish-reply-mismatch`] = figure(
      r.publishReplyMismatch,
      'count',
      'paced PUBLISHes whose reply (receivers) differed from the subscriber count',
    );
  }
  const conditions = [
    environmentConditions(context),
    `subscriber counts ${params.subscriberCounts.join(', ')} (one connection each, all in the harness process), ${params.ratePerSec} events/s of ${params.payloadBytes} B; one trial per (count, round)`,
  ].join('; ');
  return {
    values,
    trials: { [CLAIM_ID]: trial },
    verdicts: [judgeClaim(claim, trial, conditions)],
    parameters: { ...params, channel: CHANNEL },
    notes: [
      'subscribers are separate ioredis connections in the harness process: Redis writes each event to every socket in turn, so the per-count latency includes the fan-out loop in Redis and this process reading N sockets',
      'publisher throughput is measured in a burst after each paced round; deliveries in the burst are counted but not in the latency histograms',
    ],
  };
}

export const pubsubFanout: Scenario = {
  id: SCENARIO_ID,
  description:
    'Pub/sub fan-out to 1, 10, 50, 100 subscribers: delivery latency per subscriber count, share delivered, publisher throughput.',
  claims: [CLAIM_ID],
  tunables: PUBSUB_FANOUT_TUNABLES,
  run,
};
