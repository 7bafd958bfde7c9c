import { batchMetricName } from './pipelining-figures.ts';
import { elapsedNs, nowNs } from '../../bench/measure/clock.ts';
import { BATCH_FETCH_MODES, fetchBatch } from './batch-fetch.ts';
import type { BatchFeatureValues } from '../../bench/load/batch-feature-values.ts';
import type { RttRoute } from './rtt-routes.ts';

/** One batch size at one added round trip. */
export interface PipeliningCell {
  readonly addedRttMs: number;
  readonly batch: number;
}

export interface BatchLatencySink {
  latency(metric: string, ns: number): void;
}

/**
 * A visit of one cell fetches its batch once in each of the four modes, back to back, so the four
 * figures share the machine's state; the first mode rotates from one visit of the cell to the
 * next, so none is always the one that runs after a pause. Only the fetch is timed; checking
 * every returned value against what was stored comes after.
 */
export class PipeliningProbe {
  readonly cells: readonly PipeliningCell[];
  readonly #routes: ReadonlyMap<number, RttRoute>;
  readonly #values: BatchFeatureValues;
  readonly #visits: number[];

  constructor(routes: readonly RttRoute[], batchSizes: readonly number[], values: BatchFeatureValues) {
    const largest = Math.max(...batchSizes);
    if (largest > values.keys.length)
      throw new RangeError(`batch size ${largest} needs ${largest} stored keys, only ${values.keys.length} given`);
    this.#routes = new Map(routes.map((route) => [route.addedRttMs, route]));
    this.#values = values;
    this.cells = routes.flatMap((route) => batchSizes.map((batch) => ({ addedRttMs: route.addedRttMs, batch })));
    this.#visits = new Array<number>(this.cells.length).fill(0);
  }

  /** Fetches cell `index`'s batch in every mode; stops between modes when `signal` is aborted. */
  async visit(index: number, sink: BatchLatencySink, signal: AbortSignal): Promise<void> {
    const cell = this.cells[index];
    const route = this.#routes.get(cell.addedRttMs);
    if (route === undefined) throw new RangeError(`no route for an added round trip of ${cell.addedRttMs} ms`);
    const keys = this.#values.keys.slice(0, cell.batch);
    const first = this.#visits[index]++ % BATCH_FETCH_MODES.length;
    for (let step = 0; step < BATCH_FETCH_MODES.length && !signal.aborted; step += 1) {
      const mode = BATCH_FETCH_MODES[(first + step) % BATCH_FETCH_MODES.length];
      const start = nowNs();
      const fetched = await fetchBatch(mode, route.clients, keys);
      const ns = elapsedNs(start);
      this.#check(fetched, mode, cell);
      sink.latency(batchMetricName(mode, cell.batch, cell.addedRttMs), ns);
    }
  }

  #check(fetched: readonly (Buffer | null)[], mode: string, cell: PipeliningCell): void {
    const where = `${mode} fetch of ${cell.batch} keys (+${cell.addedRttMs} ms round trip)`;
    if (fetched.length !== cell.batch) throw new Error(`${where} returned ${fetched.length} values`);
    const wrong = fetched.findIndex((value, i) => value === null || !value.equals(this.#values.values[i]));
    if (wrong === -1) return;
    throw new Error(
      `${where} returned ${fetched[wrong] === null ? 'no value' : 'a different value'} at ${this.#values.keys[wrong]}: the stored keys were changed, deleted or evicted during the run`,
    );
  }
}
