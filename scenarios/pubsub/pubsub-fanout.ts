import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { MIN_TRIALS } from '../../bench/core/claim.ts';
import { settleAll } from './bench-clients.ts';
import { BenchPublisher } from './paced-publisher.ts';
import type { PublishRun } from './paced-publisher.ts';
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
import { trialOrder } from './trial-order.ts';

const SCENARIO_ID = 'pubsub-fanout';
const CLAIM_ID = 'pubsub.fanout';
const CHANNEL = 'bench.fanout';

export interface PubsubFanoutParams {
  readonly subscriberCounts: readonly number[];
  /** Rounds; each visits every subscriber count once, in a shuffled order. Raised so that counts x rounds >= 6. */
  readonly rounds: number;
  /** Paced phase per visit: the delivery latency and the claim. */
  readonly roundDurationMs: number;
  readonly ratePerSec: number;
  readonly payloadBytes: number;
  /** Burst phase: this many publishes as fast as `burstWindow` pipelined publishes allow: publisher throughput. */
  readonly burstCount: number;
  readonly burstWindow: number;
  /** Per visit, on its fresh connections: this many events delivered to every subscriber, not recorded. */
  readonly warmupEvents: number;
}

export const DEFAULT_PUBSUB_FANOUT_PARAMS: PubsubFanoutParams = {
  subscriberCounts: [1, 10, 50, 100],
  rounds: 2,
  roundDurationMs: 1_000,
  ratePerSec: 500,
  payloadBytes: 256,
  burstCount: 2_000,
  burstWindow: 64,
  warmupEvents: 50,
};

export const QUICK_PUBSUB_FANOUT_PARAMS: PubsubFanoutParams = {
  ...DEFAULT_PUBSUB_FANOUT_PARAMS,
  subscriberCounts: [1, 10, 50],
  roundDurationMs: 200,
  burstCount: 500,
  warmupEvents: 20,
};

export const PUBSUB_FANOUT_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 1,
    max: 50,
    description:
      'rounds; each visits every subscriber count once on fresh connections (one trial per visit), raised so that there are at least 6 trials',
  },
  roundDurationMs: { kind: 'integer', min: 100, max: 60_000, description: 'paced publishing per visit' },
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
  burstCount: {
    kind: 'integer',
    min: 100,
    max: 100_000,
    description: 'publishes in the throughput burst of each visit',
  },
};

/** Quick or full defaults with the user's --set values; rounds raised to give at least MIN_TRIALS visits. */
export function resolveFanoutParams(
  quick: boolean,
  overrides: Readonly<Record<string, number | string>>,
): PubsubFanoutParams {
  const { maxSubscribers, ...rest } = overrides;
  const base = {
    ...(quick ? QUICK_PUBSUB_FANOUT_PARAMS : DEFAULT_PUBSUB_FANOUT_PARAMS),
    ...rest,
  } as PubsubFanoutParams;
  const subscriberCounts =
    typeof maxSubscribers === 'number'
      ? [
          ...new Set([
            ...DEFAULT_PUBSUB_FANOUT_PARAMS.subscriberCounts.filter((n) => n < maxSubscribers),
            maxSubscribers,
          ]),
        ]
      : base.subscriberCounts;
  const rounds = Math.max(base.rounds, Math.ceil(MIN_TRIALS / subscriberCounts.length));
  return { ...base, subscriberCounts, rounds };
}

/** One visit of one subscriber count: a trial of its own. */
interface Visit {
  readonly subscribers: number;
  readonly deliveredPct: number;
  readonly publishReplyMismatch: number;
  readonly burstPublishesPerSec: number;
  readonly burstDeliveredPct: number;
}

/**
 * One trial: a fresh publisher and `subscribers` fresh subscriber connections on a channel of their
 * own, warm-up events delivered to all, then the paced phase (recorded, the claim) and a burst.
 */
async function visit(
  context: ScenarioContext,
  params: PubsubFanoutParams,
  subscribers: number,
  round: number,
): Promise<Visit> {
  const { recorders, signal } = context;
  const metric = recorders.metric(`delivery.subscribers-${subscribers}`);
  const channel = `${CHANNEL}.${round}.${subscribers}`;
  let measuring = false;
  const sink = (delayNs: number): void => {
    if (measuring) metric.recordNs(delayNs);
  };
  const listeners: PubsubListener[] = [];
  const pub = await BenchPublisher.open(context.target.url, 0, channel, { commandTimeoutMs: 10_000 });
  try {
    await settleAll(
      Array.from({ length: subscribers }, (_, i) =>
        PubsubListener.open(
          context.target.url,
          { name: `rpb-bench-sub-${i}`, channels: [channel], reconnect: false },
          sink,
        ).then((l) => listeners.push(l)),
      ),
    );
    const delivered = (run: PublishRun): number => {
      let count = 0;
      for (const l of listeners)
        for (let seq = run.firstSeq; seq < run.endSeq; seq++) if (l.tracker.has(0, seq)) count += 1;
      return count;
    };
    const receivedTotal = (): number => listeners.reduce((sum, l) => sum + l.tracker.received, 0);
    const untilDelivered = (run: PublishRun, timeoutMs: number): Promise<boolean> =>
      waitFor(() => receivedTotal() >= run.endSeq * subscribers, timeoutMs, signal);
    const burst = { window: params.burstWindow, payloadBytes: params.payloadBytes, maxDurationMs: 30_000, signal };
    await untilDelivered(await pub.burst({ ...burst, count: params.warmupEvents }), 3_000);
    measuring = true;
    const paced = await pub.paced({
      ratePerSec: params.ratePerSec,
      durationMs: params.roundDurationMs,
      payloadBytes: params.payloadBytes,
      signal,
    });
    await untilDelivered(paced, 5_000);
    measuring = false;
    let publishReplyMismatch = 0;
    for (let seq = paced.firstSeq; seq < paced.endSeq; seq++)
      if (pub.reply(seq) !== subscribers) publishReplyMismatch += 1;
    const flood = await pub.burst({ ...burst, count: params.burstCount });
    await untilDelivered(flood, 10_000);
    return {
      subscribers,
      deliveredPct: percent(delivered(paced), (paced.endSeq - paced.firstSeq) * subscribers),
      publishReplyMismatch,
      burstPublishesPerSec: ((flood.endSeq - flood.firstSeq) * NS_PER_S) / flood.elapsedNs,
      burstDeliveredPct: percent(delivered(flood), (flood.endSeq - flood.firstSeq) * subscribers),
    };
  } finally {
    for (const l of listeners) l.close();
    pub.close();
  }
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params = resolveFanoutParams(context.params.quick, context.overrides);
  const claim = claimIn(PUBSUB_CLAIMS, CLAIM_ID);
  const visits: Visit[] = [];
  context.progress(
    `${params.rounds} rounds over subscriber counts ${params.subscriberCounts.join(', ')} in a shuffled order; per visit fresh connections, ${params.warmupEvents} warm-up events, ${params.roundDurationMs} ms at ${params.ratePerSec} events/s and a burst of ${params.burstCount}`,
  );
  context.recorders.resetAll();
  for (let round = 0; round < params.rounds && !context.signal.aborted; round++) {
    for (const subscribers of trialOrder(params.subscriberCounts, context.params.seed, SCENARIO_ID, round)) {
      if (context.signal.aborted) break;
      visits.push(await visit(context, params, subscribers, round));
      context.recorders.cutIfDue();
    }
    context.recorders.markTrial();
    context.progress(`round ${round + 1}/${params.rounds} done`);
  }
  const trial = visits.map((v) => v.deliveredPct);
  const conditions = [
    environmentConditions(context),
    `subscriber counts ${params.subscriberCounts.join(', ')} (one connection each, all in the harness process), ${params.ratePerSec} events/s of ${params.payloadBytes} B for ${params.roundDurationMs} ms`,
    `one trial per visit of a subscriber count: fresh publisher and subscriber connections on a channel of their own, ${params.warmupEvents} warm-up events; ${params.rounds} rounds, the counts in a seeded shuffled order in each`,
  ].join('; ');
  return {
    values: fanoutValues(context, params, visits),
    trials: { [CLAIM_ID]: trial },
    verdicts: [judgeClaim(claim, trial, conditions)],
    parameters: { ...params, channel: `${CHANNEL}.<round>.<subscribers>` },
    notes: [
      'subscribers are separate ioredis connections in the harness process: Redis writes each event to every socket in turn, so the per-count latency includes the fan-out loop in Redis and this process reading N sockets',
      'publisher throughput is measured in a burst after each paced phase; deliveries in the burst are counted but not in the latency histograms',
    ],
  };
}

/** Per subscriber count: latency percentiles, the lowest delivered shares, the burst rates. */
function fanoutValues(
  context: ScenarioContext,
  params: PubsubFanoutParams,
  visits: readonly Visit[],
): Record<string, ScenarioValue> {
  const values: Record<string, ScenarioValue> = {};
  for (const n of params.subscriberCounts) {
    const of = visits.filter((v) => v.subscribers === n);
    if (of.length === 0) continue;
    const total = context.recorders.metric(`delivery.subscribers-${n}`).total();
    const burstRate = medianOf(of.map((v) => v.burstPublishesPerSec));
    values[`subscribers-${n}.p50-ms`] = figure(
      percentileMs(total, 50),
      'ms',
      `p50 publish-to-receive over all ${n} subscribers, ${params.ratePerSec} events/s`,
    );
    values[`subscribers-${n}.p99-ms`] = figure(percentileMs(total, 99), 'ms', 'p99 of the same');
    values[`subscribers-${n}.delivered-pct`] = figure(
      Math.min(...of.map((v) => v.deliveredPct)),
      '%',
      'lowest per-visit share of (event, subscriber) deliveries, paced phase',
    );
    values[`subscribers-${n}.burst-publishes-per-s`] = figure(
      burstRate,
      'events/s',
      `median over visits of the publisher's burst rate (${params.burstWindow} pipelined PUBLISHes in flight, one connection)`,
    );
    values[`subscribers-${n}.burst-deliveries-per-s`] = figure(
      burstRate * n,
      'deliveries/s',
      'the same times the subscriber count: messages Redis wrote out',
    );
    values[`subscribers-${n}.burst-delivered-pct`] = figure(
      Math.min(...of.map((v) => v.burstDeliveredPct)),
      '%',
      'lowest per-visit delivered share in the burst',
    );
    values[`subscribers-${n}.publish-reply-mismatch`] = figure(
      of.reduce((sum, v) => sum + v.publishReplyMismatch, 0),
      'count',
      'paced PUBLISHes whose reply (receivers) differed from the subscriber count',
    );
  }
  return values;
}

export const pubsubFanout: Scenario = {
  id: SCENARIO_ID,
  description:
    'Pub/sub fan-out to 1, 10, 50, 100 subscribers, each visit on fresh connections: delivery latency per subscriber count, share delivered, publisher throughput.',
  claims: [CLAIM_ID],
  tunables: PUBSUB_FANOUT_TUNABLES,
  run,
};
