/**
 * Every statement of the design document (shared/seed/000_7260ed843e7d3e82.txt) that says something
 * about how the system behaves or performs, in the document's order, with the claims that give it a
 * verdict. A statement with a measurable meaning and no claim carries `noClaim`: why it has none
 * (`rpb list` prints these, and there should be none). Statements read as not measurable (a tool
 * choice, a configuration line whose effect is Redis's own behaviour, an example output) carry
 * `notMeasurable` with the reading. `scenarios/document-statements.test.ts` checks that every claim of
 * the registry answers at least one statement and that every id named here is a claim.
 */
export interface DocumentStatement {
  /** The section heading of the document the statement sits under. */
  readonly section: string;
  /** The document's words. */
  readonly quote: string;
  /** The claims that give it a verdict (empty when noClaim or notMeasurable says why). */
  readonly claims: readonly string[];
  /** A measurable statement without a claim: the reason. */
  readonly noClaim?: string;
  /** Not a measurable statement: how it is read. */
  readonly notMeasurable?: string;
}

const CRASH = ['degradation.redis-crash', 'degradation.redis-crash.document-client'];
const SLOWDOWN = ['degradation.crash-slowdown', 'degradation.crash-slowdown.document-client'];
const NOT_INSTALLED = ['degradation.redis-not-installed', 'degradation.redis-not-installed.document-client'];
const CONNECTION_FAILS = ['degradation.connection-fails', 'degradation.connection-fails.document-client'];
const LOG_WARNING = [
  'degradation.log-warning',
  'degradation.log-warning.document-client',
  'degradation.log-warning-rate',
  'degradation.log-warning-rate.document-client',
];
const CACHE_FULL = [
  'degradation.cache-full-hit-rate',
  'degradation.cache-full-new-keys-cached',
  'degradation.cache-full-under-load',
  'degradation.cache-full-under-load.document-client',
];
const MIX = [
  'cache.mix-no-cache',
  'cache.mix-with-cache',
  'cache.mix-improvement',
  'cache.mix-additive-model',
  'http.mix-no-cache',
  'http.mix-with-cache',
  'http.mix-improvement',
];
const FAILOVER = [
  'production.auto-failover-cluster',
  'production.auto-failover-cluster.redis-defaults',
  'production.auto-failover-sentinel',
  'production.auto-failover-sentinel.redis-defaults',
];
const REDIS_CONF_READING =
  "a line of the recommended redis.conf whose effect is Redis's own documented behaviour, not a property of the system under test";

export const DOCUMENT_STATEMENTS: readonly DocumentStatement[] = [
  {
    section: 'Overview',
    quote: 'the system works without Redis, but performs better with it',
    claims: [...NOT_INSTALLED, ...CONNECTION_FAILS, 'cache.speedup'],
  },
  { section: 'Cache-Aside Pattern', quote: 'HIT → Return cached features (5ms)', claims: ['cache.hit-latency'] },
  { section: 'Cache-Aside Pattern', quote: 'MISS → Generate features (50ms)', claims: ['cache.miss-latency'] },
  {
    section: 'Key Characteristics',
    quote: 'Same symbol + date = same features (always)',
    claims: ['cache.deterministic'],
  },
  { section: 'Key Characteristics', quote: 'Default: 1 hour (3600 seconds)', claims: ['cache.ttl-always-set'] },
  {
    section: 'Key Characteristics',
    quote: "TTL ensures stale data doesn't persist indefinitely",
    claims: ['cache.ttl-always-set'],
  },
  {
    section: 'Key Characteristics',
    quote: 'features:{symbol}:{date}',
    claims: [],
    notMeasurable:
      'a naming convention; the system under test writes exactly these keys (src/cache/feature-key.ts, with its unit test)',
  },
  {
    section: 'Performance Analysis',
    quote: 'Cache MISS | ~50ms | Parquet read (40ms) + computation (10ms)',
    claims: ['cache.miss-latency', 'cache.parquet-read', 'cache.compute'],
  },
  {
    section: 'Performance Analysis',
    quote: 'Cache HIT | ~5ms | Redis GET (0.2ms) + JSON parse (0.5ms) + overhead',
    claims: ['cache.hit-latency', 'cache.redis-get', 'cache.json-parse'],
  },
  { section: 'Performance Analysis', quote: 'Speedup | 10x | 50ms / 5ms = 10x faster', claims: ['cache.speedup'] },
  {
    section: 'Performance Analysis',
    quote: 'Real-World Example (5 symbols, 80% cache hit rate) … Improvement: (250ms - 70ms) / 250ms = 72% faster',
    claims: MIX,
  },
  {
    section: 'Cache Invalidation',
    quote: 'cache.invalidate("AAPL", "2025-01-17") … keys("features:AAPL:*") … flushdb()',
    claims: [],
    notMeasurable:
      'how-to code with no stated outcome; the invalidation scenario measures what each method removes and what KEYS costs other clients, as figures',
  },
  {
    section: 'Event Delivery Guarantees',
    quote: 'Fire-and-Forget: Events are delivered immediately, no persistence',
    claims: ['pubsub.fire-and-forget'],
  },
  {
    section: 'Event Delivery Guarantees',
    quote: 'Fan-Out: All active subscribers receive the event',
    claims: ['pubsub.fanout'],
  },
  {
    section: 'Event Delivery Guarantees',
    quote: 'Low Latency: Sub-millisecond delivery within localhost',
    claims: ['pubsub.latency'],
  },
  {
    section: 'Event Delivery Guarantees',
    quote: 'No Persistence: Events not stored (missed if subscriber offline)',
    claims: ['pubsub.no-persistence'],
  },
  {
    section: 'Event Delivery Guarantees',
    quote: 'No Ordering: Multiple events may arrive out of order',
    claims: ['pubsub.no-ordering'],
  },
  {
    section: 'Event Delivery Guarantees',
    quote: 'No Acknowledgment: No confirmation of receipt',
    claims: ['pubsub.no-ack'],
  },
  { section: 'Event Delivery Guarantees', quote: 'Use Redis Streams for persistence', claims: ['streams.persistence'] },
  { section: 'Event Delivery Guarantees', quote: 'Implement event replay from timestamp', claims: ['streams.replay'] },
  {
    section: 'Event Delivery Guarantees',
    quote: 'Add consumer groups for scalability',
    claims: ['streams.consumer-group-scaling'],
  },
  {
    section: 'Publish-Subscribe Pattern',
    quote: 'Published SignalEvent to {num_subscribers} subscribers',
    claims: ['pubsub.publish-count'],
  },
  {
    section: 'Degradation Scenarios',
    quote: 'Redis not installed | Services start without cache | No cache benefit',
    claims: NOT_INSTALLED,
  },
  {
    section: 'Degradation Scenarios',
    quote: 'Redis connection fails | Services continue, log warning | No cache benefit',
    claims: [...CONNECTION_FAILS, ...LOG_WARNING],
  },
  {
    section: 'Degradation Scenarios',
    quote: 'Redis crashes mid-request | Request completes, next requests work | Temporary slowdown',
    claims: [...CRASH, ...SLOWDOWN],
  },
  {
    section: 'Degradation Scenarios',
    quote: 'Cache full (eviction) | LRU eviction, new keys cached | Slight hit rate decrease',
    claims: CACHE_FULL,
  },
  {
    section: 'Health Check Implementation',
    quote: 'Health check including Redis status.',
    claims: ['monitoring.health-kill', 'monitoring.health-pause', 'monitoring.health-blackhole'],
  },
  {
    section: 'Monitoring Metrics',
    quote:
      'keyspace_hits:1000 … Hit rate = 1000 / (1000 + 200) = 83.3% … used_memory_human:256.00M … (integer) 500 … connected_clients:3',
    // Example output; its memory lines imply a size per key (256M for 500 keys) that can be checked.
    claims: ['monitoring.memory-example'],
  },
  {
    section: 'Monitoring Metrics',
    quote: 'redis-cli MONITOR # Live feed of all commands',
    claims: ['monitoring.monitor-cost'],
  },
  {
    section: 'Alerting Thresholds',
    quote: 'Cache hit rate < 50% (expected: 70-80%)',
    claims: ['monitoring.alert-hit-rate', 'monitoring.hit-rate'],
  },
  { section: 'Alerting Thresholds', quote: 'Used memory > 80% of max', claims: ['monitoring.alert-memory-80'] },
  {
    section: 'Alerting Thresholds',
    quote: 'Connected clients > 50 (expected: 5-10)',
    claims: ['monitoring.alert-clients', 'monitoring.expected-clients'],
  },
  { section: 'Alerting Thresholds', quote: 'Keyspace errors > 0', claims: ['monitoring.alert-keyspace-errors'] },
  {
    section: 'Alerting Thresholds',
    quote: 'Redis unreachable (health check fails)',
    claims: ['monitoring.alert-unreachable'],
  },
  { section: 'Alerting Thresholds', quote: 'Used memory > 95% of max', claims: ['monitoring.alert-memory-95'] },
  {
    section: 'Alerting Thresholds',
    quote: 'Eviction policy not set (risk of OOM)',
    claims: ['monitoring.alert-eviction-policy'],
  },
  {
    section: 'Anti-Pattern 1: Caching Mutable Data',
    quote: 'Price changes every millisecond, cache becomes stale immediately',
    claims: ['antipattern.mutable-data-stale', 'antipattern.immutable-data-fresh'],
  },
  {
    section: 'Anti-Pattern 2: No TTL on Cached Data',
    quote: 'Data persists forever, memory grows unbounded',
    claims: ['antipattern.no-ttl', 'antipattern.always-ttl'],
  },
  {
    section: 'Anti-Pattern 3: Catching All Exceptions Silently',
    quote: 'Errors are invisible, debugging is impossible',
    claims: ['antipattern.silent-exceptions', 'antipattern.logged-exceptions'],
  },
  {
    section: 'Anti-Pattern 4: Using Pub/Sub for Critical Commands',
    quote: 'What if no subscribers? Order not executed!',
    claims: ['antipattern.pubsub-critical', 'antipattern.http-confirms'],
  },
  {
    section: 'Anti-Pattern 5: Storing Large Objects',
    quote: 'Memory explosion, slow serialization/deserialization',
    claims: [
      'antipattern.large-object-memory',
      'antipattern.large-object-slow',
      'antipattern.large-object-head-of-line',
    ],
  },
  {
    section: 'Anti-Pattern 5: Storing Large Objects',
    quote: 'dict with 158 floats … ~5KB JSON string',
    claims: ['cache.value-size'],
  },
  {
    section: 'Optimization 1: Batch Operations',
    quote: 'Slow: 5 round trips to Redis … 5 × 1ms = 5ms … Fast: 1 round trip to Redis … 1ms total',
    claims: ['optimization.pipeline-5-gets', 'optimization.pipeline-sequential-5ms', 'optimization.pipeline-1ms'],
  },
  {
    section: 'Optimization 2: Compression',
    quote: 'Uncompressed: 50KB JSON … Compressed: 5KB (10x smaller)',
    claims: ['optimization.gzip-ratio'],
  },
  {
    section: 'Optimization 3: Connection Pooling',
    quote: 'Avoid connection overhead (~10ms per connection)',
    claims: ['optimization.connection-overhead', 'optimization.pool-end-to-end'],
  },
  {
    section: 'Optimization 3: Connection Pooling',
    quote: 'max_connections=10  # Reuse up to 10 connections',
    claims: ['monitoring.expected-clients'],
  },
  { section: 'Redis Configuration', quote: 'maxmemory 512mb', claims: ['production.maxmemory-fits'] },
  {
    section: 'Redis Configuration',
    quote: 'maxmemory-policy volatile-lru  # Evict keys with TTL using LRU',
    claims: ['degradation.cache-full-hit-rate', 'degradation.cache-full-new-keys-cached'],
  },
  {
    section: 'Redis Configuration',
    quote: 'save ""  # Disable RDB snapshots (cache is ephemeral) … appendonly no',
    claims: [],
    notMeasurable: `${REDIS_CONF_READING}; the chaos scenario restarts Redis under it and measures the empty cache's cost (crash-slowdown)`,
  },
  {
    section: 'Redis Configuration',
    quote: "tcp-backlog 511 … timeout 0  # Don't close idle connections … tcp-keepalive 300",
    claims: [],
    notMeasurable: REDIS_CONF_READING,
  },
  {
    section: 'Redis Configuration',
    quote: 'bind 127.0.0.1  # Only accept local connections … protected-mode yes … requirepass <strong-password>',
    claims: [],
    notMeasurable: `${REDIS_CONF_READING}: security settings, with no performance statement attached`,
  },
  { section: 'Deployment Architecture', quote: 'Auto-failover', claims: FAILOVER },
  {
    section: 'Deployment Architecture',
    quote: 'Auto-scaling',
    claims: [],
    notMeasurable:
      'a future production plan for the service cluster, with no figure and no mechanism in the document to measure',
  },
  { section: 'Monitoring in Production', quote: 'Cache hit rate (target: > 70%)', claims: ['monitoring.hit-rate'] },
  {
    section: 'Monitoring in Production',
    quote: 'Memory usage (alert at 80%)',
    claims: ['monitoring.alert-memory-80'],
  },
  {
    section: 'Monitoring in Production',
    quote: 'Connection count (alert at 50)',
    claims: ['monitoring.alert-clients'],
  },
  { section: 'Monitoring in Production', quote: 'Command latency (P99 < 5ms)', claims: ['monitoring.command-p99'] },
  {
    section: 'Monitoring in Production',
    quote: 'Evictions per second (should be near 0)',
    claims: ['production.evictions-near-zero'],
  },
  {
    section: 'Monitoring in Production',
    quote: 'Redis MONITOR for live debugging',
    claims: ['monitoring.monitor-cost'],
  },
  {
    section: 'Monitoring in Production',
    quote: 'Redis Slowlog for slow commands',
    claims: ['monitoring.slowlog-catches'],
  },
  {
    section: 'Monitoring in Production',
    quote: 'Prometheus + Grafana for dashboards … AlertManager for alerts',
    claims: [],
    notMeasurable:
      'tool choices; the service exports Prometheus metrics (docs/service.md) and `rpb monitor` evaluates the alert rules',
  },
  {
    section: 'Summary',
    quote: 'Cache-Aside | Feature caching | 10x faster (5ms vs 50ms) | Stale data (mitigated by TTL)',
    claims: ['cache.speedup', 'cache.hit-latency', 'cache.miss-latency'],
  },
  {
    section: 'Summary',
    quote: 'Graceful Degradation | Optional Redis | Service always works | Slower without cache',
    claims: [...NOT_INSTALLED, ...CONNECTION_FAILS, ...CRASH, ...SLOWDOWN],
  },
  {
    section: 'Summary',
    quote: 'Health Monitoring | Observability | Early problem detection',
    claims: [
      'monitoring.health-kill',
      'monitoring.health-pause',
      'monitoring.health-blackhole',
      'monitoring.alert-unreachable',
    ],
  },
  {
    section: 'Key Takeaways',
    quote: 'Always set TTL - Prevents unbounded memory growth',
    claims: ['antipattern.always-ttl', 'antipattern.no-ttl'],
  },
  {
    section: 'Key Takeaways',
    quote: "Log errors, don't fail - Graceful degradation on Redis errors",
    claims: [...LOG_WARNING, ...CONNECTION_FAILS],
  },
];

/** The measurable statements that have no claim yet, for `rpb list` (there should be none). */
export function statementsWithoutClaim(): readonly DocumentStatement[] {
  return DOCUMENT_STATEMENTS.filter((s) => s.notMeasurable === undefined && s.claims.length === 0);
}
