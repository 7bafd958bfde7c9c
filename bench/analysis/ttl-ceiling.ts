/**
 * The hit rate an unbounded cache reaches when the only misses are TTL expiries (and nothing is
 * ever evicted): a key requested as a Poisson stream of rate lambda is filled on a miss and then
 * hit until the TTL runs out, so a fill serves 1 + lambda x TTL requests on average and the key's
 * miss ratio is 1 / (1 + lambda x TTL). Summed over keys with their request shares (exact zipfian
 * over symbols times exact "latest" over dates). It needs no trace, so it covers any TTL, however
 * long the trace would have to be.
 */
export function ttlCeilingHitRatio(
  symbols: number,
  symbolTheta: number,
  dates: number,
  dateTheta: number,
  readsPerSecond: number,
  ttlSeconds: number,
): number {
  if (ttlSeconds <= 0) return 1;
  const shares = (n: number, theta: number): Float64Array => {
    const out = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += out[i] = 1 / (i + 1) ** theta;
    for (let i = 0; i < n; i++) out[i] /= sum;
    return out;
  };
  const symbolShares = shares(symbols, symbolTheta);
  const dateShares = shares(dates, dateTheta);
  const requestsPerTtl = readsPerSecond * ttlSeconds;
  let miss = 0;
  for (let i = 0; i < symbols; i++) {
    for (let j = 0; j < dates; j++) {
      const p = symbolShares[i] * dateShares[j];
      miss += p / (1 + p * requestsPerTtl);
    }
  }
  return 1 - miss;
}
