import { ConfigError } from '../errors.ts';
import { constantProblems } from '../load/key-distribution-spec.ts';

/** What a capacity planner knows about the service's peak. */
export interface CapacityInput {
  readonly symbols: number;
  /** Trading dates kept hot (requests reach back this many dates, newest most often). */
  readonly datesHot: number;
  readonly peakRps: number;
  /** Share of requests that are reads (cache-aside GETs); the rest are writes (SET of fresh features). */
  readonly readFraction: number;
  readonly targetHitRate: number;
  /** TTL of every cached value; 0 = no TTL. */
  readonly ttlSeconds: number;
  /** Replicas per shard. */
  readonly replicas: number;
  /** Extra capacity on top of the need, for memory and throughput (0.3 = 30%). */
  readonly headroom: number;
  readonly symbolTheta: number;
  readonly dateTheta: number;
  readonly policy: string;
  readonly codec: string;
  /** maxmemory one node may have. */
  readonly nodeMemoryMb: number;
  /** Latency budget of a command at the node's sustained rate (the document's P99 < 5 ms). */
  readonly latencyBudgetMs: number;
  /** Bound on the generated trace (larger traces are sampled with SHARDS). */
  readonly maxAccesses: number;
  readonly seed: number;
}

export const CAPACITY_DEFAULTS: CapacityInput = {
  symbols: 500,
  datesHot: 20,
  peakRps: 1_000,
  readFraction: 0.95,
  targetHitRate: 0.8,
  ttlSeconds: 3_600,
  replicas: 1,
  headroom: 0.3,
  symbolTheta: 0.99,
  dateTheta: 0.99,
  policy: 'volatile-lru',
  codec: 'json-array',
  nodeMemoryMb: 512,
  latencyBudgetMs: 5,
  maxAccesses: 10_000_000,
  seed: 42,
};

export const EVICTION_POLICIES = [
  'volatile-lru',
  'allkeys-lru',
  'volatile-lfu',
  'allkeys-lfu',
  'volatile-random',
  'allkeys-random',
  'volatile-ttl',
  'noeviction',
] as const;
const CODECS = ['json-array', 'json-object', 'json-array-gzip', 'json-object-gzip', 'json-array-brotli'];

/** Option name (kebab, as typed) for each field, so messages name what the user wrote. */
export const CAPACITY_OPTION_NAMES: Readonly<Record<keyof CapacityInput, string>> = {
  symbols: 'symbols',
  datesHot: 'dates-hot',
  peakRps: 'peak-rps',
  readFraction: 'read-fraction',
  targetHitRate: 'target-hit-rate',
  ttlSeconds: 'ttl-seconds',
  replicas: 'replicas',
  headroom: 'headroom',
  symbolTheta: 'symbol-theta',
  dateTheta: 'date-theta',
  policy: 'policy',
  codec: 'codec',
  nodeMemoryMb: 'node-memory-mb',
  latencyBudgetMs: 'latency-budget-ms',
  maxAccesses: 'max-accesses',
  seed: 'seed',
};

const NUMERIC: readonly (keyof CapacityInput)[] = [
  'symbols',
  'datesHot',
  'peakRps',
  'readFraction',
  'targetHitRate',
  'ttlSeconds',
  'replicas',
  'headroom',
  'symbolTheta',
  'dateTheta',
  'nodeMemoryMb',
  'latencyBudgetMs',
  'maxAccesses',
  'seed',
];

/** camelCase or kebab-case key of a file or option -> field name, or undefined. */
function fieldOf(key: string): keyof CapacityInput | undefined {
  const camel = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return camel in CAPACITY_DEFAULTS ? (camel as keyof CapacityInput) : undefined;
}

/**
 * Merges defaults, then a file's object, then command-line options (strings), and validates all of
 * it: one ConfigError listing every problem with the option to fix.
 */
export function resolveCapacityInput(
  fromFile: Readonly<Record<string, unknown>>,
  fromOptions: Readonly<Record<string, unknown>>,
): CapacityInput {
  const problems: string[] = [];
  const merged: Record<string, unknown> = { ...CAPACITY_DEFAULTS };
  for (const [source, values] of [
    ['the workload file', fromFile],
    ['the command line', fromOptions],
  ] as const) {
    for (const [key, raw] of Object.entries(values)) {
      if (raw === undefined) continue;
      const field = fieldOf(key);
      if (field === undefined) {
        problems.push(
          `${source}: unknown setting ${JSON.stringify(key)}; known: ${Object.values(CAPACITY_OPTION_NAMES).join(', ')}`,
        );
        continue;
      }
      if (NUMERIC.includes(field)) {
        const value =
          typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
        if (!Number.isFinite(value))
          problems.push(`--${CAPACITY_OPTION_NAMES[field]} ${JSON.stringify(raw)}: expected a number`);
        else merged[field] = value;
      } else if (typeof raw !== 'string') {
        problems.push(`--${CAPACITY_OPTION_NAMES[field]}: expected text, got ${typeof raw}`);
      } else {
        merged[field] = raw;
      }
    }
  }
  const input = merged as unknown as CapacityInput;
  const name = (field: keyof CapacityInput): string => `--${CAPACITY_OPTION_NAMES[field]}`;
  const check = (field: keyof CapacityInput, ok: (v: number) => boolean, expected: string): void => {
    const value = input[field] as number;
    if (Number.isFinite(value) && !ok(value)) problems.push(`${name(field)} ${value}: expected ${expected}`);
  };
  const int = (v: number): boolean => Number.isSafeInteger(v);
  check('symbols', (v) => int(v) && v >= 1 && v <= 100_000, 'an integer from 1 to 100000');
  check('datesHot', (v) => int(v) && v >= 1 && v <= 2_520, 'an integer from 1 to 2520 (trading dates)');
  check('peakRps', (v) => v > 0 && v <= 10_000_000, 'requests per second above 0, at most 10000000');
  check('readFraction', (v) => v > 0 && v <= 1, 'a share in (0, 1], e.g. 0.95 for 95% reads');
  check('targetHitRate', (v) => v > 0 && v < 1, 'a share in (0, 1), e.g. 0.8 for 80% (not a percentage)');
  check('ttlSeconds', (v) => v >= 0 && v <= 30 * 86_400, 'seconds from 0 (no TTL) to 2592000');
  check('replicas', (v) => int(v) && v >= 0 && v <= 10, 'an integer from 0 to 10');
  check('headroom', (v) => v >= 0 && v <= 5, 'a share from 0 to 5, e.g. 0.3 for 30% spare');
  check('nodeMemoryMb', (v) => v >= 1 && v <= 4_194_304, 'megabytes from 1 to 4194304');
  check('latencyBudgetMs', (v) => v > 0 && v <= 10_000, 'milliseconds above 0, at most 10000');
  check('maxAccesses', (v) => int(v) && v >= 1_000 && v <= 50_000_000, 'an integer from 1000 to 50000000');
  check('seed', (v) => int(v), 'an integer');
  for (const field of ['symbolTheta', 'dateTheta'] as const) {
    if (Number.isFinite(input[field]))
      for (const p of constantProblems(input[field])) problems.push(`${name(field)}: ${p}`);
  }
  if (
    Number.isSafeInteger(input.symbols) &&
    Number.isSafeInteger(input.datesHot) &&
    input.symbols * input.datesHot > 20_000_000
  ) {
    problems.push(`--symbols x --dates-hot = ${input.symbols * input.datesHot} keys; at most 20000000`);
  }
  if (!(EVICTION_POLICIES as readonly string[]).includes(input.policy))
    problems.push(`--policy ${JSON.stringify(input.policy)}: expected one of ${EVICTION_POLICIES.join(', ')}`);
  if (!CODECS.includes(input.codec))
    problems.push(`--codec ${JSON.stringify(input.codec)}: expected one of ${CODECS.join(', ')}`);
  if (problems.length > 0) {
    throw new ConfigError(
      problems.length === 1
        ? `invalid capacity workload: ${problems[0]}`
        : `invalid capacity workload (${problems.length} problems)`,
      {
        problems,
        hint: 'see `rpb capacity --help`; a workload file takes the same names (camelCase or kebab-case) in JSON or YAML',
      },
    );
  }
  return input;
}
