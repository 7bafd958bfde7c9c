import { medianOf } from '../../bench/analysis/median-interval.ts';
import { judgeClaim } from '../../bench/analysis/verdict.ts';
import { redisKilled, slowSubscriber, subscriberKilled, subscriberOffline } from './pubsub-faults.ts';
import type { FaultCount, PubsubFault, PubsubFaultParams } from './pubsub-faults.ts';
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
  readonly trials: number;
}

export const DEFAULT_PUBSUB_LOSS_PARAMS: PubsubLossParams = {
  trials: 5,
  ratePerSec: 1_000,
  payloadBytes: 256,
  settleMs: 1_000,
  faultMs: 3_000,
  slowPayloadBytes: 1_024,
  slowMaxMs: 15_000,
  slowNormalCount: 5_000,
};

export const QUICK_PUBSUB_LOSS_PARAMS: PubsubLossParams = {
  ...DEFAULT_PUBSUB_LOSS_PARAMS,
  trials: 3,
  settleMs: 300,
  faultMs: 600,
  slowNormalCount: 2_000,
  slowMaxMs: 8_000,
};

export const PUBSUB_LOSS_TUNABLES: Readonly<Record<string, TunableSpec>> = {
  trials: { kind: 'integer', min: 3, max: 30, description: 'trials; each runs every fault once' },
  ratePerSec: { kind: 'integer', min: 10, max: 20_000, description: 'steady publishing rate around the faults' },
  payloadBytes: { kind: 'integer', min: 48, max: 65_536, description: 'event size in the steady phases' },
  settleMs: { kind: 'integer', min: 100, max: 60_000, description: 'steady publishing before and after each fault' },
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

/** Each trial runs every fault once, in turn: subscriber offline, killed, slow, then Redis killed. */
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
    `${params.trials} trials of: subscriber offline ${params.faultMs} ms, subscriber killed, slow subscriber (limit "${SLOW_SUBSCRIBER_LIMIT}"), Redis killed for ${params.faultMs} ms; ${params.ratePerSec} events/s`,
  );
  for (let trial = 0; trial < params.trials && !signal.aborted; trial++) {
    const ctx = { url: context.target.url, signal, managed, trial };
    const offline = await subscriberOffline(ctx, params);
    const killed = await subscriberKilled(ctx, params);
    const slow = await slowSubscriber(ctx, params);
    const down = await redisKilled(ctx, params);
    for (const count of [offline, killed, slow, down])
      trials.byFault.set(count.fault, [...(trials.byFault.get(count.fault) ?? []), count]);
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
    progress(
      `trial ${trial + 1}/${params.trials}: lost offline ${offline.windowLost}/${offline.windowPublished}, killed ${killed.lost}, slow ${slow.lost} (dropped: ${slow.extra.dropped === 1 ? 'yes' : 'no'}), redis killed ${down.lost}`,
    );
  }
  return trials;
}

function lossOutcome(context: ScenarioContext, params: PubsubLossParams, trials: LossTrials): ScenarioOutcome {
  const conditions = `${environmentConditions(context)}; ${params.ratePerSec} events/s of ${params.payloadBytes} B; subscriber offline / Redis down ${params.faultMs} ms; slow subscriber limit client-output-buffer-limit ${SLOW_SUBSCRIBER_LIMIT}`;
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
      'Redis killed: SIGKILL, restart on the same port after the fault time; the publisher fails fast while Redis is away (no offline queue) and both clients reconnect by themselves',
    ],
  };
}

/** Per fault the event counts over all trials, then the slow subscriber's drop and the publish round trips. */
function lossValues({ byFault, rtt }: LossTrials): Record<string, ScenarioValue> {
  const values: Record<string, ScenarioValue> = {};
  for (const [fault, counts] of byFault) {
    values[`${fault}.published`] = figure(sum(counts, 'published'), 'count', 'events published over all trials');
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
