import { claimIn, scenarioParams } from '../../bench/run/scenario-kit.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../bench/run/scenario.ts';
import { COMPRESSION_CLAIMS } from './claims.ts';
import { buildCompressionDataset } from './compression-dataset.ts';
import { COMPRESSION_TUNABLES, DEFAULT_COMPRESSION_PARAMS, QUICK_COMPRESSION_PARAMS } from './compression-params.ts';
import type { CompressionParams } from './compression-params.ts';
import { SCENARIO_ID, measureCells } from './compression-rounds.ts';
import { closeRoute, openRoute } from './compression-route.ts';
import { CLAIM_ID, compressionOutcome } from './compression-summary.ts';

async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { params: runParams, admin } = context;
  const params: CompressionParams = scenarioParams(context, DEFAULT_COMPRESSION_PARAMS, QUICK_COMPRESSION_PARAMS);
  const claim = claimIn(COMPRESSION_CLAIMS, CLAIM_ID);
  const dataset = buildCompressionDataset(
    Math.max(params.samples, params.rounds),
    runParams.seed,
    params.largeJsonKb * 1_000,
  );
  const written = new Set<string>();
  const route = await openRoute(context, params);
  let measurement;
  try {
    measurement = await measureCells(context, params, dataset, route, written);
  } finally {
    await closeRoute(route);
    // Best effort: the keys carry a TTL if Redis is gone; the run's own error matters more.
    if (written.size > 0) await admin.unlink(...written).catch(() => 0);
  }
  return compressionOutcome({ context, claim, params, dataset, route, measurement });
}

export const compression: Scenario = {
  id: SCENARIO_ID,
  description:
    'Feature-value codecs (JSON dict/array, gzip, brotli, float64, float32): bytes, Redis memory, encode/decode cost, GET+decode direct and over a bandwidth-limited link, and the break-even bandwidth.',
  claims: [CLAIM_ID],
  tunables: COMPRESSION_TUNABLES,
  run,
};
