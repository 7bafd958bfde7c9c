/**
 * The second process: reads {spec, rounds, redisUrl} as JSON on stdin, builds the same market from
 * the spec, and writes on stdout the SHA-256 of every symbol-date's vector as it computes it and as
 * it reads it from the cache (null: not a hit). Nothing else goes to stdout.
 */
import { FeatureCache } from '../../src/cache/feature-cache.ts';
import { jsonCodec } from '../../src/cache/json-codec.ts';
import { createRedisClient } from '../../src/redis/client-factory.ts';
import { SpecMarket } from './correctness-market.ts';
import type { SecondProcessInput, SecondProcessOutput } from './second-process.ts';
import { vectorHash } from './vector-bits.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const input = JSON.parse(await readStdin()) as SecondProcessInput;
  const market = new SpecMarket(input.spec);
  const client = createRedisClient(input.redisUrl, {
    connectionName: 'rpb-second-process',
    commandTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
    enableOfflineQueue: true,
  });
  client.on('error', () => {});
  const cache = new FeatureCache({ client, codec: jsonCodec });
  const output: SecondProcessOutput = { pid: process.pid, computed: {}, cached: {} };
  try {
    for (const { date, symbols } of input.rounds) {
      for (const symbol of symbols) {
        const id = `${symbol}@${date}`;
        output.computed[id] = vectorHash(market.computed(symbol, date));
        const hit = await cache.get(symbol, date);
        output.cached[id] = hit === null ? null : vectorHash(hit);
      }
    }
  } finally {
    client.disconnect();
  }
  process.stdout.write(JSON.stringify(output));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
