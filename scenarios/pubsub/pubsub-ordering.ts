import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { settleAll } from './bench-clients.ts';
import { BenchPublisher } from './paced-publisher.ts';
import { PubsubListener } from './pubsub-listener.ts';
import { SendTimeInversions } from './send-time-inversions.ts';
import {
  claimIn,
  environmentConditions,
  figure,
  percent,
  scenarioParams,
  waitFor,
} from '../../bench/run/scenario-kit.ts';
import { PUBSUB_CLAIMS } from './claims.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

const SCENARIO_ID = 'pubsub-ordering';
const CLAIM_ID = 'pubsub.no-ordering';

export interface PubsubOrderingParams {
  readonly rounds: number;
  /** Events per publisher connection and round, sent as fast as a window of pipelined PUBLISHes allows. */
  readonly eventsPerPublisher: number;
  readonly publishers: number;
  readonly subscribers: number;
  readonly window: number;
  readonly payloadBytes: number;
}

export const DEFAULT_PUBSUB_ORDERING_PARAMS: PubsubOrderingParams = {
  rounds: 6,
  eventsPerPublisher: 6_000,
  publishers: 4,
  subscribers: 3,
  window: 64,
  payloadBytes: 128,
};
export const QUICK_PUBSUB_ORDERING_PARAMS: PubsubOrderingParams = {
  ...DEFAULT_PUBSUB_ORDERING_PARAMS,
  eventsPerPublisher: 1_000,
};

export const PUBSUB_ORDERING_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  rounds: {
    kind: 'integer',
    min: 3,
    max: 50,
    description:
      'rounds (trials; 6 or more for a verdict); each runs 1 publisher connection and several, on fresh connections, in alternating order',
  },
  eventsPerPublisher: {
    kind: 'integer',
    min: 100,
    max: 1_000_000,
    description: 'events per publisher connection and round',
  },
  publishers: {
    kind: 'integer',
    min: 2,
    max: 32,
    description: 'publisher connections publishing at once in the second phase',
  },
  subscribers: { kind: 'integer', min: 1, max: 50, description: 'subscribers checking the order' },
};

interface Phase {
  received: number;
  reordered: number;
  duplicates: number;
  lost: number;
  /**
   * Arrivals earlier than an already received event that was sent later by another publisher
   * (send-time inversions).
   */
  crossPublisherInversions: number;
}

async function phase(
  context: ScenarioContext,
  params: PubsubOrderingParams,
  publisherCount: number,
  round: number,
): Promise<Phase> {
  const channel = `bench.ordering.${round}.${publisherCount}`;
  const listeners: PubsubListener[] = [];
  const publishers: BenchPublisher[] = [];
  const watches: SendTimeInversions[] = [];
  try {
    const metric = context.recorders.metric(
      publisherCount === 1 ? 'delivery.one-publisher' : 'delivery.several-publishers',
    );
    const opened = Array.from({ length: params.subscribers }, (_, i) => {
      // Per subscriber: an event sent before the latest one it already has is a send-time inversion.
      const watch = new SendTimeInversions();
      watches.push(watch);
      const sink = (delayNs: number, _publisher: number, _seq: number, sentNs: number): void => {
        metric.recordNs(delayNs);
        watch.observe(sentNs);
      };
      return PubsubListener.open(
        context.target.url,
        { name: `rpb-order-sub-${i}`, channels: [channel], reconnect: false },
        sink,
      ).then((l) => listeners.push(l));
    });
    opened.push(
      ...Array.from({ length: publisherCount }, (_, p) =>
        BenchPublisher.open(context.target.url, p, channel, { commandTimeoutMs: 10_000 }).then((pub) =>
          publishers.push(pub),
        ),
      ),
    );
    await settleAll(opened);
    await Promise.all(
      publishers.map((pub) =>
        pub.burst({
          count: params.eventsPerPublisher,
          window: params.window,
          payloadBytes: params.payloadBytes,
          maxDurationMs: 60_000,
          signal: context.signal,
        }),
      ),
    );
    const expected = publishers.reduce((sum, pub) => sum + pub.nextSeq, 0) * params.subscribers;
    const received = (): number => listeners.reduce((sum, l) => sum + l.tracker.received, 0);
    await waitFor(() => received() >= expected, 10_000, context.signal);
    return {
      received: received(),
      reordered: listeners.reduce((sum, l) => sum + l.tracker.reordered, 0),
      duplicates: listeners.reduce((sum, l) => sum + l.tracker.duplicates, 0),
      lost: expected - received(),
      crossPublisherInversions: watches.reduce((sum, w) => sum + w.count, 0),
    };
  } finally {
    for (const l of listeners) l.close();
    for (const p of publishers) p.close();
  }
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const params: PubsubOrderingParams = scenarioParams(
    context,
    DEFAULT_PUBSUB_ORDERING_PARAMS,
    QUICK_PUBSUB_ORDERING_PARAMS,
  );
  const claim = claimIn(PUBSUB_CLAIMS, CLAIM_ID);
  const trial: number[] = [];
  const totals = {
    single: { received: 0, reordered: 0, lost: 0, duplicates: 0, inversions: 0 },
    multi: { received: 0, reordered: 0, lost: 0, duplicates: 0, inversions: 0 },
  };
  context.progress(
    `${params.rounds} rounds: 1 publisher connection, then ${params.publishers}; ${params.eventsPerPublisher} events each, ${params.subscribers} subscribers`,
  );
  for (let round = 0; round < params.rounds && !context.signal.aborted; round++) {
    // Fresh connections and channel per phase; the phase that runs first alternates from round to round.
    const singleFirst = round % 2 === 0;
    const first = await phase(context, params, singleFirst ? 1 : params.publishers, round);
    const second = await phase(context, params, singleFirst ? params.publishers : 1, round);
    const [single, multi] = singleFirst ? [first, second] : [second, first];
    for (const [key, p] of [
      ['single', single],
      ['multi', multi],
    ] as const) {
      totals[key].received += p.received;
      totals[key].reordered += p.reordered;
      totals[key].lost += p.lost;
      totals[key].duplicates += p.duplicates;
      totals[key].inversions += p.crossPublisherInversions;
    }
    // The claim is about events of several publishers: judged on the inversions across them.
    trial.push(multi.crossPublisherInversions);
    context.recorders.markTrial();
    context.progress(
      `round ${round + 1}/${params.rounds}: reordered ${single.reordered + multi.reordered} of ${single.received + multi.received}; send-time inversions across publishers ${multi.crossPublisherInversions}`,
    );
  }
  const conditions = `${environmentConditions(context)}; per round ${params.eventsPerPublisher} events per publisher connection, bursts with ${params.window} PUBLISHes in flight per connection, ${params.subscribers} subscribers, ${params.publishers} publisher connections on one channel (and 1, for the per-publisher order beside it); one trial per round, each phase on fresh connections and a fresh channel, the two phases in alternating order`;
  return {
    values: {
      'one-publisher.reordered': figure(
        totals.single.reordered,
        'count',
        `events out of sequence at a subscriber, 1 publisher connection (of ${totals.single.received} received)`,
      ),
      'one-publisher.lost': figure(totals.single.lost, 'count', 'events not received'),
      'several-publishers.reordered': figure(
        totals.multi.reordered,
        'count',
        `events out of their publisher's sequence, ${params.publishers} connections (of ${totals.multi.received} received)`,
      ),
      'several-publishers.lost': figure(totals.multi.lost, 'count', 'events not received'),
      'several-publishers.send-time-inversions': figure(
        totals.multi.inversions,
        'count',
        'arrivals sent earlier than an event the same subscriber already had from another publisher: no global order across connections',
      ),
      'several-publishers.send-time-inversions-pct': figure(
        percent(totals.multi.inversions, totals.multi.received),
        '%',
        'the same, % of events received',
      ),
      duplicates: figure(totals.single.duplicates + totals.multi.duplicates, 'count', 'events received twice'),
    },
    trials: { [CLAIM_ID]: trial },
    verdicts: [judgeClaim(claim, trial, conditions)],
    parameters: { ...params },
    notes: [
      'why: Redis executes the commands of one connection in order, appends each PUBLISH to every subscriber output buffer in that order, and TCP keeps the order to the subscriber; so the events of one publisher connection arrive in publishing order at every subscriber',
      'several publisher connections: each keeps its own order, but their events interleave as Redis happens to read the connections; an event sent later on one connection can arrive before an event sent earlier on another (the send-time inversions): the only "out of order" there is',
      'delivery.one-publisher / delivery.several-publishers: publish-to-receive delay in these bursts (queueing behind the burst included), for reference',
      'what can still reorder in practice: a publisher that spreads events over a connection pool, retries a failed publish, or a subscriber that handles messages concurrently',
    ],
  };
}

export const pubsubOrdering: Scenario = {
  id: SCENARIO_ID,
  description:
    'Pub/sub ordering: per-publisher sequence numbers checked at every subscriber, one publisher connection and several.',
  claims: [CLAIM_ID],
  tunables: PUBSUB_ORDERING_TUNABLES,
  run,
};
