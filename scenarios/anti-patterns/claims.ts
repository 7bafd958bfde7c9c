import type { RegisteredClaim } from '../../bench/core/claim.ts';

/**
 * The document's anti-patterns 1, 3 and 4 (and the publish count of its pub/sub example), each bad
 * variant measured beside the document's good one in the same trial. scenarios/claims.ts assembles
 * every folder's list into CLAIMS.
 */
export const ANTI_PATTERNS_CLAIMS: readonly RegisteredClaim[] = [
  {
    id: 'pubsub.publish-count',
    pattern: 'pub-sub',
    scenario: 'anti-patterns',
    quote: 'num_subscribers = publisher.publish_signal_event(event)',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      "per trial (0, 1 and 3 subscribers of signals.generated in a rotating order, 3 valid SignalEvents each, published through src's EventPublisher.publishSignalEvent): share of publishes whose returned count equals the number of subscribers listening and which every one of them received",
  },
  {
    id: 'antipattern.mutable-data-stale',
    pattern: 'cache-aside',
    scenario: 'anti-patterns',
    quote: 'Price changes every millisecond, cache becomes stale immediately',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'lower',
    measuredAs:
      'per trial (the bad and the good variant back to back, their order alternating): a writer moves the AAPL price every few ms; a reader reads current_price:AAPL cache-aside (GET, on a miss the live price is SET with EX 3600) at a fixed pace; "stale immediately" read as: every read after the price first moves past the cached value returns a superseded price. Figure: stale reads / reads after that first move, in %',
  },
  {
    id: 'antipattern.immutable-data-fresh',
    pattern: 'cache-aside',
    scenario: 'anti-patterns',
    quote: 'DO cache immutable/deterministic data',
    claimed: 0,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-most' },
    better: 'lower',
    measuredAs:
      'per trial (beside the mutable-price variant, same writer ticking, same pace and read count): reads of features:AAPL:{date} through src FeatureCache (cache-aside, EX 3600) whose vector differs from the one computed from the market data at the time of the read, in % of reads',
  },
  {
    id: 'antipattern.silent-exceptions',
    pattern: 'degradation',
    scenario: 'anti-patterns',
    quote: 'Errors are invisible, debugging is impossible',
    claimed: 0,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-most' },
    better: 'higher',
    measuredAs:
      'per trial (the same fault for both handlers, their order alternating: the connection to Redis reset and every reconnect refused with an RST by the fault proxy): cache SETs through src FeatureCache wrapped in the bad handler (catch everything, do nothing); failed SETs that left a trace in the log (a line, or a count of suppressed lines), in % of the SETs that failed',
  },
  {
    id: 'antipattern.logged-exceptions',
    pattern: 'degradation',
    scenario: 'anti-patterns',
    quote: 'logger.warning(f"Cache SET failed for {symbol}: {e}")',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      "per trial (beside the bad handler, same fault, same SETs): the document's good handler (catch Redis errors, log a warning naming the symbol and the error, continue) through the service's rate-limited logger (src/logger.ts: one line per kind per second, the rest counted as suppressed); failed SETs accounted for in the log (lines + suppressed counts once the logger is closed), in % of the SETs that failed",
  },
  {
    id: 'antipattern.pubsub-critical',
    pattern: 'pub-sub',
    scenario: 'anti-patterns',
    quote: 'What if no subscribers? Order not executed!',
    claimed: 0,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-most' },
    better: 'higher',
    measuredAs:
      "per trial (beside the HTTP path, their order alternating): orders PUBLISHed on execute_order while no execution service subscribes; orders the execution service's ledger holds afterwards, in % of orders published (PUBLISH's reply, the receivers, is recorded beside)",
  },
  {
    id: 'antipattern.http-confirms',
    pattern: 'pub-sub',
    scenario: 'anti-patterns',
    quote: 'Guaranteed delivery, response confirms success',
    claimed: 100,
    thresholdSource: 'document',
    unit: '%',
    rule: { kind: 'at-least' },
    better: 'higher',
    measuredAs:
      "per trial (the same orders as the pub/sub variant): orders POSTed to the execution service's /api/v1/orders (loopback HTTP, keep-alive) answered 201 with the order's id and found in its ledger, in % of orders sent",
  },
];
