import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { PUBSUB_FAULT_GROUPS, PUBSUB_FAULTS } from './pubsub-faults.ts';
import { settleAll } from './bench-clients.ts';
import type { RecorderSet } from '../../bench/measure/recorder-set.ts';
import type { FaultCount, PubsubFault, PubsubFaultParams, SlowSubscriberCount } from './pubsub-faults.ts';
import { trialOrder } from './trial-order.ts';
import {
  claimIn,
  environmentConditions,
  figure,
  percent,
  requireManaged,
  scenarioParams,
} from '../../bench/run/scenario-kit.ts';
import { NS_PER_MS } from '../../bench/core/units.ts';
import type { ManagedRedis } from '../../bench/targets/managed-redis.ts';
import { PUBSUB_CLAIMS } from './claims.ts';
import type { ScenarioValue } from '../../bench/core/run-summary.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import type { TunableSpec } from '../../bench/core/tunables.ts';

const SCENARIO_ID = 'pubsub-loss';
const PERSISTENCE = 'pubsub.no-persistence';
const NO_ACK = 'pubsub.no-ack';
const FIRE_AND_FORGET = 'pubsub.fire-and-forget';

/** Small on purpose: a stalled subscriber must reach it in well under a second of bursting. */
export const SLOW_SUBSCRIBER_LIMIT = 'pubsub 512kb 0 0';

export interface PubsubLossParams extends PubsubFaultParams {
  /** Trials behind the claims; each runs subscriber offline, killed and slow once, in a shuffled order. */
  readonly trials: number;
  /** Trials (the first ones) that also kill Redis: figures only, behind no claim. */
  readonly redisKilledTrials: number;
}

export const DEFAULT_PUBSUB_LOSS_PARAMS: PubsubLossParams = {
  trials: 6,
  redisKilledTrials: 2,
  ratePerSec: 1_000,
  payloadBytes: 256,
  settleEvents: 100,
  faultMs: 500,
  slowPayloadBytes: 1_024,
  slowMaxMs: 15_000,
  slowNormalCount: 2_000,
};

export const QUICK_PUBSUB_LOSS_PARAMS: PubsubLossParams = {
  ...DEFAULT_PUBSUB_LOSS_PARAMS,
  redisKilledTrials: 1,
  settleEvents: 25,
  faultMs: 100,
  slowNormalCount: 500,
  slowMaxMs: 8_000,
};

export const PUBSUB_LOSS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: {
    kind: 'integer',
    min: 3,
    max: 30,
    description:
      'trials (6 or more for a verdict); each runs subscriber offline, killed and slow once, in a shuffled order, on fresh connections',
  },
  redisKilledTrials: {
    kind: 'integer',
    min: 0,
    max: 30,
    description: 'the first trials that also kill and restart Redis (figures only, behind no claim)',
  },
  ratePerSec: { kind: 'integer', min: 10, max: 20_000, description: 'steady publishing rate around the faults' },
  payloadBytes: { kind: 'integer', min: 48, max: 65_536, description: 'event size in the steady phases' },
  settleEvents: {
    kind: 'integer',
    min: 1,
    max: 100_000,
    description:
      'steady publishing before each fault until the subscriber has received this many events, and after it until it has received this many more',
  },
  faultMs: {
    kind: 'integer',
    min: 100,
    max: 120_000,
    description: 'how long the subscriber is offline / dead and Redis is down (the N seconds offline)',
  },
  slowPayloadBytes: { kind: 'integer', min: 48, max: 65_536, description: 'event size in the slow-subscriber burst' },
};

function sum(
  counts: readonly FaultCount[],
  key:
    | 'published'
    | 'lost'
    | 'lostSilently'
    | 'lostNoSubscriber'
    | 'publishFailed'
    | 'windowPublished'
    | 'windowLost'
    | 'duplicates',
): number {
  return counts.reduce((total, c) => total + c[key], 0);
}

/** What the trials leave behind: every fault's counts, the trials behind each claim, publish round trips. */
interface LossTrials {
  readonly byFault: Map<PubsubFault, FaultCount[]>;
  readonly persistence: number[];
  readonly noAck: number[];
  readonly fireAndForget: number[];
  /** Per trial, the median PUBLISH round trip (ms) while the subscriber reads and while it is stalled. */
  readonly rtt: { readonly reading: number[]; readonly stalled: number[] };
}

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const managed = requireManaged(
    context,
    SCENARIO_ID,
    'kills and restarts Redis and relies on a small client-output-buffer-limit for pubsub set on the instance the harness starts',
  );
  const params: PubsubLossParams = scenarioParams(context, DEFAULT_PUBSUB_LOSS_PARAMS, QUICK_PUBSUB_LOSS_PARAMS);
  const trials = await runTrials(context, params, managed);
  return lossOutcome(context, params, trials);
}

/**
 * Each trial runs the faults behind the claims once (subscriber offline and killed side by side,
 * then the slow subscriber alone, or the other way round: a seeded shuffle), each on fresh connections
 * and a channel of its own; the first `redisKilledTrials` trials also kill Redis, at a shuffled place.
 */
async function runTrials(
  context: ScenarioContext,
  params: PubsubLossParams,
  managed: ManagedRedis,
): Promise<LossTrials> {
  const { signal, progress, recorders } = context;
  const trials: LossTrials = {
    byFault: new Map(),
    persistence: [],
    noAck: [],
    fireAndForget: [],
    rtt: { reading: [], stalled: [] },
  };
  progress(
    `${params.trials} trials of: subscriber offline ${params.faultMs} ms and subscriber killed (side by side), slow subscriber (limit "${SLOW_SUBSCRIBER_LIMIT}"), in a shuffled order; Redis killed for ${params.faultMs} ms in the first ${params.redisKilledTrials}; ${params.ratePerSec} events/s`,
  );
  for (let trial = 0; trial < params.trials && !signal.aborted; trial++) {
    const ctx = { url: context.target.url, signal, managed, trial };
    const groups = PUBSUB_FAULT_GROUPS.filter((g) => trial < params.redisKilledTrials || !g.includes('redis-killed'));
    const counts = new Map<PubsubFault, FaultCount>();
    for (const group of trialOrder(groups, context.params.seed, SCENARIO_ID, trial)) {
      if (signal.aborted) break;
      for (const count of await settleAll(group.map((fault) => PUBSUB_FAULTS[fault](ctx, params)))) {
        counts.set(count.fault, count);
        trials.byFault.set(count.fault, [...(trials.byFault.get(count.fault) ?? []), count]);
      }
    }
    const offline = counts.get('subscriber-offline');
    const killed = counts.get('subscriber-killed');
    const slow = counts.get('slow-subscriber') as SlowSubscriberCount | undefined;
    if (offline === undefined || killed === undefined || slow === undefined) break;
    recordTrial(trials, recorders, offline, killed, slow);
    const down = counts.get('redis-killed');
    progress(
      `trial ${trial + 1}/${params.trials}: lost offline ${offline.windowLost}/${offline.windowPublished}, killed ${killed.lost}, slow ${slow.lost} (dropped: ${slow.extra.dropped === 1 ? 'yes' : 'no'})${down === undefined ? '' : `, redis killed ${down.lost}`}`,
    );
  }
  return trials;
}

/** One trial's figure for each claim, and its PUBLISH round trips into the histograms. */
function recordTrial(
  trials: LossTrials,
  recorders: RecorderSet,
  offline: FaultCount,
  killed: FaultCount,
  slow: SlowSubscriberCount,
): void {
  trials.persistence.push(percent(offline.windowLost, offline.windowPublished));
  trials.noAck.push(percent(slow.lostSilently + killed.lostSilently, slow.published + killed.published));
  const reading = slow.rttReadingNs.length > 0 ? medianOf(slow.rttReadingNs) : Number.NaN;
  const stalled = slow.rttStalledNs.length > 0 ? medianOf(slow.rttStalledNs) : Number.NaN;
  trials.fireAndForget.push(stalled / reading);
  for (const ns of slow.rttReadingNs) recorders.metric('publish-rtt.subscriber-reading').recordNs(ns);
  for (const ns of slow.rttStalledNs) recorders.metric('publish-rtt.subscriber-stalled').recordNs(ns);
  trials.rtt.reading.push(reading / NS_PER_MS);
  trials.rtt.stalled.push(stalled / NS_PER_MS);
  recorders.markTrial();
}

function lossOutcome(context: ScenarioContext, params: PubsubLossParams, trials: LossTrials): ScenarioOutcome {
  const conditions = `${environmentConditions(context)}; ${params.ratePerSec} events/s of ${params.payloadBytes} B; subscriber offline / dead ${params.faultMs} ms, ${params.settleEvents} events received before and after; slow subscriber limit client-output-buffer-limit ${SLOW_SUBSCRIBER_LIMIT}; one trial = subscriber offline and subscriber killed side by side, and the slow subscriber alone, in a seeded shuffled order, each fault on fresh publisher and subscriber connections and a channel of its own`;
  const claim = (id: string) => claimIn(PUBSUB_CLAIMS, id);
  return {
    values: lossValues(trials),
    trials: { [PERSISTENCE]: trials.persistence, [NO_ACK]: trials.noAck, [FIRE_AND_FORGET]: trials.fireAndForget },
    verdicts: [
      judgeClaim(
        claim(PERSISTENCE),
        trials.persistence,
        `${conditions}; offline = QUIT, then a new subscription after ${params.faultMs} ms`,
      ),
      judgeClaim(claim(NO_ACK), trials.noAck, `${conditions}; slow-subscriber and subscriber-killed trials`),
      judgeClaim(
        claim(FIRE_AND_FORGET),
        trials.fireAndForget,
        `${conditions}; bursts of ${params.slowPayloadBytes} B events, 32 PUBLISHes in flight`,
      ),
    ],
    parameters: { ...params, slowSubscriberLimit: SLOW_SUBSCRIBER_LIMIT },
    notes: [
      'losses are counted by per-publisher sequence numbers; a lost event is classified by the PUBLISH reply the publisher got for it: >= 1 (queued for a subscriber: a silent loss), 0 (nobody subscribed), or an error (Redis down)',
      'subscriber killed: its socket is destroyed in this process (what the kernel does to a SIGKILLed process: unread data dropped, the connection closed), and a new subscriber connection starts after the fault time; a separate process would lose the same events',
      'slow subscriber: its socket stops being read; the kernel buffers fill first, then Redis drops the client at the limit and ioredis reconnects and resubscribes by itself',
      'fire-and-forget ratio: publisher and subscriber share this process, so while the subscriber reads, this process also parses its deliveries and PUBLISH replies wait behind them; a ratio below 1 (faster while stalled) is that effect, not Redis; the claim is that the stall does not slow the publisher (ratio not above ~1)',
      `Redis killed (in the first ${params.redisKilledTrials} trial(s), figures only): SIGKILL, restart on the same port after the fault time; the publisher fails fast while Redis is away (no offline queue) and both clients reconnect by themselves`,
      'subscriber offline and subscriber killed run side by side (separate connections and channels; both only count events); the slow subscriber runs alone, since its PUBLISH round trips are timed',
    ],
  };
}

/** Per fault the event counts over all trials, then the slow subscriber's drop and the publish round trips. */
function lossValues({ byFault, rtt }: LossTrials): Record<string, ScenarioValue> {
  const values: Record<string, ScenarioValue> = {};
  for (const [fault, counts] of byFault) {
    values[`${fault}.published`] = figure(
      sum(counts, 'published'),
      'count',
      'events published over the trials that ran it',
    );
    values[`${fault}.lost`] = figure(sum(counts, 'lost'), 'count', 'events never received (by sequence number)');
    values[`${fault}.lost-silently`] = figure(
      sum(counts, 'lostSilently'),
      'count',
      'lost although PUBLISH replied >= 1 (no sign for the publisher)',
    );
    values[`${fault}.lost-no-subscriber`] = figure(
      sum(counts, 'lostNoSubscriber'),
      'count',
      'lost with a PUBLISH reply of 0 (nobody subscribed then)',
    );
    values[`${fault}.publish-failed`] = figure(
      sum(counts, 'publishFailed'),
      'count',
      'PUBLISH failed (Redis down): the publisher knew',
    );
    values[`${fault}.window-lost-pct`] = figure(
      percent(sum(counts, 'windowLost'), sum(counts, 'windowPublished')),
      '%',
      'lost share of the events published during the fault window',
    );
    values[`${fault}.duplicates`] = figure(sum(counts, 'duplicates'), 'count', 'events received twice');
  }
  const slowCounts = byFault.get('slow-subscriber') ?? [];
  values['slow-subscriber.dropped-trials'] = figure(
    slowCounts.filter((c) => c.extra.dropped === 1).length,
    'count',
    `trials in which Redis dropped the stalled subscriber at "${SLOW_SUBSCRIBER_LIMIT}"`,
  );
  values['slow-subscriber.stalled-mb'] = figure(
    // Decimal megabytes of payload, not a time.
    slowCounts.length > 0 ? medianOf(slowCounts.map((c) => c.extra.stalledBytes ?? 0)) / 1e6 : null,
    'MB',
    'median bytes published to the stalled subscriber until Redis dropped it (kernel socket buffers + output buffer)',
  );
  values['publish-rtt.reading-p50-ms'] = figure(
    rtt.reading.length > 0 ? medianOf(rtt.reading) : null,
    'ms',
    'median over trials of the p50 PUBLISH round trip while the subscriber reads',
  );
  values['publish-rtt.stalled-p50-ms'] = figure(
    rtt.stalled.length > 0 ? medianOf(rtt.stalled) : null,
    'ms',
    'median over trials of the p50 PUBLISH round trip while it is stalled',
  );
  return values;
}

export const pubsubLoss: Scenario = {
  id: SCENARIO_ID,
  description:
    'Pub/sub under faults: subscriber offline, subscriber killed, slow subscriber cut at client-output-buffer-limit, Redis killed; events lost by sequence number.',
  claims: [PERSISTENCE, NO_ACK, FIRE_AND_FORGET],
  tunables: PUBSUB_LOSS_TUNABLES,
  redisConfig: { 'client-output-buffer-limit': SLOW_SUBSCRIBER_LIMIT },
  run,
};
