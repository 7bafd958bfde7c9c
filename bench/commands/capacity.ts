import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { resolveCapacityInput } from '../analysis/capacity-input.ts';
import type { CapacityInput } from '../analysis/capacity-input.ts';
import { planCapacity } from '../analysis/capacity-plan.ts';
import { ttlCeilingHitRatio } from '../analysis/ttl-ceiling.ts';
import type { MeasuredKeyCost, NodeThroughput } from '../analysis/capacity-plan.ts';
import { buildPredictor } from '../analysis/miss-ratio-curve.ts';
import type { PredictionMethod } from '../analysis/miss-ratio-curve.ts';
import { ConfigError } from '../errors.ts';
import { probeThroughput } from '../load/node-throughput-probe.ts';
import { renderCapacityHtml, renderCapacityMarkdown } from '../report/capacity-report.ts';
import type { CapacityAnswer } from '../report/capacity-report.ts';
import { writeReportFiles } from '../report/file-sink.ts';
import { waitUntilReady } from '../run/signal-system.ts';
import { ManagedRedis } from '../targets/managed-redis.ts';
import { featurePayloads } from '../workload/feature-payloads.ts';
import { measureMemoryPerKey, sizeClassWarning } from '../workload/memory-per-key.ts';
import { DEFAULT_SIGNAL_WORKLOAD, generateSignalTrace, hottestShares } from '../workload/signal-workload.ts';
import type { SignalTrace } from '../workload/signal-workload.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';

/**
 * Beyond this many accesses SHARDS replaces the exact method, when the key space is large enough to
 * sample (>= 2,000 sampled keys at rate 0.01).
 */
const EXACT_LIMIT = 2_000_000;
const SHARDS_MIN_KEYS = 200_000;
const FILL_KEYS = 20_000;
const KNEE_GET = 'knee-ops-per-second.GET';
const KNEE_SET = 'knee-ops-per-second.SET';

/** The command's own option names (everything else is a workload setting). */
const COMMAND_OPTIONS = new Set(['config', 'fromRun', 'out', 'json']);

async function readWorkloadFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read the workload file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { hint: 'give --config a readable JSON or YAML file' },
    );
  }
  let parsed: unknown;
  try {
    parsed = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `the workload file ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      { hint: 'fix the syntax, e.g. `symbols: 3000` per line in YAML' },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(
      `the workload file ${file} must hold one object of settings, e.g. {"symbols": 3000, "peakRps": 20000}`,
    );
  return parsed as Record<string, unknown>;
}

/** Knee figures of a command-latency run folder (or its summary.json). */
export async function throughputFromRun(dirOrFile: string): Promise<NodeThroughput> {
  const file = dirOrFile.endsWith('.json') ? dirOrFile : path.join(dirOrFile, 'summary.json');
  let summary: { scenarios?: { id: string; values?: Record<string, { value: number | null }> }[] };
  try {
    summary = JSON.parse(await readFile(file, 'utf8')) as typeof summary;
  } catch (error) {
    throw new ConfigError(`--from-run: cannot read ${file}: ${(error as Error).message}`, {
      hint: 'give the folder of a finished `rpb run command-latency` run',
    });
  }
  const find = (name: string): { value: number; scenario: string } | null => {
    for (const scenario of summary.scenarios ?? []) {
      const v = scenario.values?.[name]?.value;
      if (typeof v === 'number' && v > 0) return { value: v, scenario: scenario.id };
    }
    return null;
  };
  const get = find(KNEE_GET);
  if (get === null) {
    const present = (summary.scenarios ?? []).some((scenario) => scenario.values?.[KNEE_GET] !== undefined);
    throw new ConfigError(
      present
        ? `--from-run: ${file} has ${KNEE_GET} = null: no rate of that run stayed within its latency budget`
        : `--from-run: ${file} has no value ${KNEE_GET}`,
      {
        hint: present
          ? 'rerun command-latency with lower rates or a larger budget, or drop --from-run'
          : 'run `rpb run command-latency` first, or drop --from-run to use the short built-in measurement',
      },
    );
  }
  const set = find(KNEE_SET);
  return {
    getOpsPerSecond: get.value,
    setOpsPerSecond: set?.value ?? get.value,
    source: `knee of the ${get.scenario} run in ${path.dirname(file)}${set === null ? ` (no ${KNEE_SET}: SET taken as GET)` : ''}`,
    p99Ms: null,
  };
}

function traceFor(input: CapacityInput): {
  trace: SignalTrace;
  warmup: number;
  method: PredictionMethod;
  description: string;
  notes: string[];
} {
  const keySpace = input.symbols * input.datesHot;
  const reads = input.peakRps * input.readFraction;
  const notes: string[] = [];
  // Steady state: one TTL to warm up, one to count; without a TTL, enough requests to reach every key many times.
  const wanted = input.ttlSeconds > 0 ? Math.ceil(2 * reads * input.ttlSeconds) : Math.max(1_000_000, 20 * keySpace);
  const large = keySpace >= SHARDS_MIN_KEYS;
  const accesses = Math.max(1_000, Math.min(wanted, input.maxAccesses));
  if (accesses < wanted) {
    notes.push(
      `the trace is capped at ${accesses.toLocaleString('en-US')} requests (${(accesses / reads).toFixed(0)} s of peak reads) where two TTL windows would take ${wanted.toLocaleString('en-US')}: ${input.ttlSeconds > 0 && accesses / reads < 2 * input.ttlSeconds ? 'TTL expiries are under-counted, so the curve is an upper bound' : 'the curve is a shorter-run estimate'} (raise --max-accesses for a longer trace)`,
    );
  }
  const trace = generateSignalTrace({
    ...DEFAULT_SIGNAL_WORKLOAD,
    symbols: input.symbols,
    dates: input.datesHot,
    symbolTheta: input.symbolTheta,
    dateTheta: input.dateTheta,
    requestsPerSecond: reads,
    accesses,
    seed: input.seed,
  });
  const useShards = large && accesses > EXACT_LIMIT;
  const rate = Math.min(1, Math.max(0.01, 20_000 / keySpace));
  const method: PredictionMethod = useShards ? { kind: 'shards', rate } : { kind: 'exact' };
  const warmup = Math.floor(accesses / 2);
  const description = `predicted from a seeded trace of the workload: ${accesses.toLocaleString('en-US')} reads at ${Math.round(reads)}/s (zipfian ${input.symbolTheta} over symbols, "latest" ${input.dateTheta} over dates), the first half as warm-up; ${useShards ? `SHARDS sampling at rate ${rate} (Waldspurger et al. 2015)` : 'exact LRU stack distances (Mattson 1970)'}, TTL-aware (${input.ttlSeconds > 0 ? `${input.ttlSeconds} s` : 'no TTL'}); maxmemory = used_memory of an empty Redis + keys x measured bytes per key`;
  return { trace, warmup, method, description, notes };
}

async function measureOnManagedRedis(
  input: CapacityInput,
  trace: SignalTrace,
  needThroughput: boolean,
  progress: (m: string) => void,
): Promise<{ cost: MeasuredKeyCost; throughput: NodeThroughput | null }> {
  const { payloads } = featurePayloads(input.codec, 16, input.seed);
  const payload = (i: number): Buffer => payloads[i % payloads.length];
  progress('starting a managed redis-server to measure bytes per key');
  const redis = await ManagedRedis.start({ configOverrides: { maxmemory: '0', 'maxmemory-policy': input.policy } });
  const client = createRedisClient(redis.url, {
    connectionName: 'rpb-capacity',
    commandTimeoutMs: 10_000,
    connectTimeoutMs: 10_000,
  });
  client.on('error', () => {});
  try {
    await waitUntilReady(client, 10_000);
    const keyName = (i: number): string => trace.keyName(i % trace.keySpace);
    const memory = await measureMemoryPerKey(
      client,
      Math.min(trace.keySpace, FILL_KEYS),
      keyName,
      payload,
      input.ttlSeconds > 0 ? input.ttlSeconds * 1000 : null,
    );
    let keyBytes = 0;
    for (let i = 0; i < 100; i++) keyBytes += keyName(i).length;
    const cost: MeasuredKeyCost = {
      usedMemoryPerKey: memory.usedMemoryPerKey,
      memoryUsagePerKey: memory.memoryUsagePerKey,
      meanValueBytes: memory.meanValueBytes,
      baselineUsedMemory: memory.baselineUsedMemory,
      valueSlotBytes: memory.valueSlotBytes,
      sizeClassWarning: sizeClassWarning(memory),
      keyBytes: keyBytes / 100,
    };
    if (!needThroughput) return { cost, throughput: null };
    progress('short built-in throughput measurement (GET and SET, 1, 4, 16 and 64 in flight, ~1 s each)');
    const keys = Math.min(trace.keySpace, 1_000);
    for (let i = 0; i < keys; i++) await client.set(keyName(i), payload(i));
    const levels = { concurrencies: [1, 4, 16, 64], levelMs: 1_000, maxOps: 200_000, budgetMs: input.latencyBudgetMs };
    const get = await probeThroughput((i) => client.getBuffer(keyName(i % keys)), levels);
    const set = await probeThroughput((i) => client.set(keyName(i % keys), payload(i)), levels);
    await client.flushall();
    const best = (r: typeof get): number => r.best?.opsPerSecond ?? Math.min(...r.levels.map((l) => l.opsPerSecond));
    const describe = (r: typeof get): string =>
      r.levels
        .map((l) => `${l.concurrency} in flight: ${Math.round(l.opsPerSecond)}/s p99 ${l.p99Ms.toFixed(2)} ms`)
        .join(', ');
    return {
      cost,
      throughput: {
        getOpsPerSecond: best(get),
        setOpsPerSecond: best(set),
        source: `short built-in measurement on a managed loopback Redis from one Node client (a lower bound of a node; for the knee give --from-run with a command-latency run): GET ${describe(get)}; SET ${describe(set)}`,
        p99Ms: get.best?.p99Ms ?? null,
      },
    };
  } finally {
    client.disconnect();
    await redis.stop();
  }
}

/** `rpb capacity`: returns the text to print (Markdown, or JSON with --json) and writes the report files. */
export async function runCapacityCommand(
  options: Readonly<Record<string, unknown>>,
  progress: (message: string) => void,
): Promise<string> {
  const fromFile = typeof options.config === 'string' ? await readWorkloadFile(options.config) : {};
  const fromOptions = Object.fromEntries(Object.entries(options).filter(([k]) => !COMMAND_OPTIONS.has(k)));
  const input = resolveCapacityInput(fromFile, fromOptions);
  if (typeof options.fromRun === 'string') {
    await stat(options.fromRun).catch(() => {
      throw new ConfigError(`--from-run ${options.fromRun}: no such file or folder`, {
        hint: 'give the folder of a finished command-latency run',
      });
    });
  }
  const fromRun = typeof options.fromRun === 'string' ? await throughputFromRun(options.fromRun) : null;
  progress('generating the workload trace');
  const { trace, warmup, method, description, notes } = traceFor(input);
  const { cost, throughput } = await measureOnManagedRedis(input, trace, fromRun === null, progress);
  progress('computing the hit-rate curve');
  const predictor = buildPredictor(trace, {
    ttlMs: input.ttlSeconds > 0 ? input.ttlSeconds * 1000 : Number.POSITIVE_INFINITY,
    warmupAccesses: warmup,
    method,
  });
  const node = fromRun ?? throughput!;
  const ceiling = ttlCeilingHitRatio(
    input.symbols,
    input.symbolTheta,
    input.datesHot,
    input.dateTheta,
    input.peakRps * input.readFraction,
    input.ttlSeconds,
  );
  const plan = planCapacity(
    input,
    cost,
    predictor,
    node,
    hottestShares({
      ...DEFAULT_SIGNAL_WORKLOAD,
      symbols: input.symbols,
      dates: input.datesHot,
      symbolTheta: input.symbolTheta,
      dateTheta: input.dateTheta,
    }),
    ceiling,
  );
  const answer: CapacityAnswer = {
    schema: 'rpb.capacity/v1',
    input,
    keyCost: cost,
    throughput: node,
    plan,
    method: description,
    notes: [
      ...notes,
      `ops/s per node: ${node.source}`,
      'the hit-rate curve is exact LRU; Redis approximates LRU by sampling (maxmemory-samples) with a 1 s clock: `rpb run hit-rate-curve` measures the gap on a real Redis',
      'writes (1 - read share) are SETs of fresh features; they are counted for throughput, network and replication, not replayed in the hit-rate trace',
    ],
  };
  const out =
    typeof options.out === 'string'
      ? options.out
      : `reports/capacity-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const markdown = renderCapacityMarkdown(answer);
  const written = await writeReportFiles(out, [
    { relativePath: 'capacity.md', content: markdown },
    { relativePath: 'capacity.html', content: renderCapacityHtml(answer) },
    { relativePath: 'capacity.json', content: `${JSON.stringify(answer, null, 2)}\n` },
  ]);
  return options.json === true ? JSON.stringify(answer, null, 2) : `${markdown}\nreport: ${written.join(', ')}`;
}
