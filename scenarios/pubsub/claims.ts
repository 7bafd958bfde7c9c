import type { RegisteredClaim } from '../../bench/core/claim.ts';

/**
 * The document's claims that the pub/sub and streams scenarios measure, in the document's order.
 * scenarios/claims.ts assembles every folder's list into CLAIMS.
 */
export const PUBSUB_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'pubsub.latency',
    pattern: 'pub-sub',
    scenario: 'pubsub-latency',
    quote: 'Low Latency: Sub-millisecond delivery within localhost',
    claimed: 1,
    thresholdSource: 'document',
    unit: 'ms',
    rule: { kind: 'at-most' },
    better: 'lower',
    measuredAs:
      'per round (a trial: fresh publisher and subscriber connections, 50 warm-up events not recorded, then every rate x payload cell in a seeded shuffled order): p99 publish-to-receive delay at 1 000 events/s, 256-byte payload, 1 subscriber, loopback; send hrtime in the payload, publisher and subscriber in one Node process (one clock)',
  },
  {
    id: 'pubsub.fanout',
    pattern: 'pub-sub',
    scenario: 'pubsub-fanout',
    quote: 'Fan-Out: All active subscribers receive the event',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      'per visit of a subscriber count (a trial: a fresh publisher and fresh subscriber connections on a channel of their own, warm-up events delivered to all first; each round visits every count in a seeded shuffled order, at least 6 visits): distinct events received / (events published × subscribers), paced publishing, every subscriber connected and reading',
  },
  {
    id: 'pubsub.fire-and-forget',
    pattern: 'pub-sub',
    scenario: 'pubsub-loss',
    quote: 'Fire-and-Forget: Events are delivered immediately, no persistence',
    claimed: 2,
    thresholdSource: 'harness',
    thresholdReason:
      '"fire-and-forget" gives no figure; the harness reads it as "the publisher does not wait for its subscribers": a PUBLISH round trip while the subscriber stalls at most twice the one while it reads (a ratio below 1 is no failure)',
    unit: 'x',
    rule: { kind: 'at-most' },
    better: 'lower',
    measuredAs:
      'per trial (the slow-subscriber fault of that trial, on a fresh publisher and subscriber connection and a channel of its own, run alone): p50 PUBLISH round trip while the only subscriber has stopped reading (Redis buffers for it) / p50 in the same burst while it reads',
  },
  {
    id: 'pubsub.no-persistence',
    pattern: 'pub-sub',
    scenario: 'pubsub-loss',
    quote: 'No Persistence: Events not stored (missed if subscriber offline)',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'lower',
    measuredAs:
      'per trial (the subscriber-offline fault of that trial, on fresh publisher and subscriber connections and a channel of its own): share of the events published while the only subscriber was disconnected that it never received, not even after it subscribed again',
  },
  {
    id: 'pubsub.no-ordering',
    pattern: 'pub-sub',
    scenario: 'pubsub-ordering',
    quote: 'No Ordering: Multiple events may arrive out of order',
    claimed: 0,
    thresholdSource: 'document',
    unit: 'count',
    rule: { kind: 'observed' },
    better: 'lower',
    measuredAs:
      "per round (a trial: fresh subscriber and publisher connections and a fresh channel for each phase, the one-publisher and several-publisher phases in alternating order), with several publisher connections on one channel: send-time inversions across publishers, i.e. events that reached a subscriber after an event sent later on another publisher connection (the events of several publishers arrive in an order other than the one they were sent in); 'may arrive out of order' is judged yes/no: observed in at least one round. The order within one publisher connection is reported beside it (one-publisher.reordered, several-publishers.reordered), not judged: Redis and TCP keep it by design",
  },
  {
    id: 'pubsub.no-ack',
    pattern: 'pub-sub',
    scenario: 'pubsub-loss',
    quote: 'No Acknowledgment: No confirmation of receipt',
    claimed: 0,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'observed' },
    better: 'lower',
    measuredAs:
      "per trial (its slow subscriber cut at its client-output-buffer-limit and its killed subscriber, each on fresh connections and a channel of its own): events PUBLISH counted as delivered (reply >= 1) that the subscriber never received, % of events published; 'no confirmation of receipt' is judged yes/no: such a silent loss, with no error and no signal to the publisher, is observed in at least one trial",
  },
  {
    id: 'streams.persistence',
    pattern: 'pub-sub',
    scenario: 'streams-vs-pubsub',
    quote: 'Use Redis Streams for persistence',
    claimed: 0,
    thresholdSource: 'harness',
    thresholdReason:
      'the document names persistence as the goal of Streams without a figure; the harness reads it as no event lost (0%) under the four faults it injects',
    unit: '%',
    rule: { kind: 'at-most' },
    better: 'lower',
    measuredAs:
      "per trial (the four faults once each, every fault on a stream, producer and consumers of its own; Redis killed after an AOF rewrite, so each restart loads only that trial's stream): events never processed, % of events produced, over the faults consumer offline, consumer killed (XAUTOCLAIM takeover), slow consumer and Redis killed (appendonly yes, producer retries failed XADDs)",
  },
  {
    id: 'streams.replay',
    pattern: 'pub-sub',
    scenario: 'streams-vs-pubsub',
    quote: 'Implement event replay from timestamp',
    claimed: 100,
    thresholdSource: 'harness',
    thresholdReason:
      'the document names replay from a timestamp as a future enhancement without a figure; the harness reads it as every event appended since that time being returned (100%)',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      'per trial (the consumer-offline fault of that trial, on a stream and connections of its own): events appended while a consumer was offline that XRANGE from the time it went offline returns, % of those events',
  },
  {
    id: 'streams.consumer-group-scaling',
    pattern: 'pub-sub',
    scenario: 'streams-vs-pubsub',
    quote: 'Add consumer groups for scalability',
    claimed: 2,
    thresholdSource: 'harness',
    thresholdReason:
      'the document names consumer groups for scalability as a future enhancement without a figure; a group hands each entry to one of its consumers, so with waiting-bound work 4 consumers approach 4x the rate of one; the harness asks for at least half of that ideal (2x), below which adding consumers would not be worth it',
    unit: 'x',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      "per trial: time one consumer takes to drain a backlog / time a group of 4 consumers (one process, a connection each) takes to drain the same backlog on a stream of its own; each consumer waits a fixed time per entry, standing for the downstream call the document's subscriber makes (trigger_orchestration); a trial in which an entry is lost or handed to two consumers fails",
  },
];
