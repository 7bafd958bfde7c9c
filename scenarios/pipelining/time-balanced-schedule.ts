/**
 * Picks which cell of a grid (here: batch size x added round trip) a phase visits next, so that
 * every cell gets about the same share of the phase's time: 50 sequential GETs at 2 ms per round
 * trip cost a thousand times one GET on loopback, and equal visit counts would leave the cheap
 * cells with a handful of samples. The rules, in order:
 *   1. a cell not yet visited in this phase goes first (cell order): its cost becomes known;
 *   2. when the visits still owed (each cell is owed its minimum of visits) would take the time
 *      that is left, at each cell's mean cost so far, the first cell owing visits goes next;
 *   3. otherwise the cell with the least time spent so far (the lowest index on a tie): a deficit
 *      round-robin on time.
 * Pure: the caller measures each visit and says how much of the phase is left.
 */
export class TimeBalancedSchedule {
  readonly cellCount: number;
  #minVisits: number[];
  #visits: number[];
  #spentNs: number[];

  constructor(cellCount: number) {
    if (!Number.isSafeInteger(cellCount) || cellCount < 1)
      throw new RangeError(`cell count must be a positive integer, got ${cellCount}`);
    this.cellCount = cellCount;
    this.#minVisits = new Array<number>(cellCount).fill(0);
    this.#visits = new Array<number>(cellCount).fill(0);
    this.#spentNs = new Array<number>(cellCount).fill(0);
  }

  /** Starts a phase (warm-up or a round): counts go back to zero; every cell is owed minVisits (or its own). */
  startPhase(minVisits: number | readonly number[]): void {
    const mins = typeof minVisits === 'number' ? new Array<number>(this.cellCount).fill(minVisits) : [...minVisits];
    if (mins.length !== this.cellCount || !mins.every((v) => Number.isSafeInteger(v) && v >= 0))
      throw new RangeError(
        `minimum visits must be an integer >= 0, or one per cell (${this.cellCount}), got ${String(minVisits)}`,
      );
    this.#minVisits = mins;
    this.#visits.fill(0);
    this.#spentNs.fill(0);
  }

  /** True while some cell has had fewer visits than its minimum in this phase. */
  owing(): boolean {
    return this.#visits.some((visits, cell) => visits < this.#minVisits[cell]);
  }

  /** Time the owed visits would take, in ns, at each cell's mean cost so far. */
  owedNs(): number {
    let total = 0;
    for (let cell = 0; cell < this.cellCount; cell += 1) {
      const visits = this.#visits[cell];
      const min = this.#minVisits[cell];
      if (visits > 0 && visits < min) total += (min - visits) * (this.#spentNs[cell] / visits);
    }
    return total;
  }

  /** The cell to visit next, given the time left in the phase (0 or less once it is over). */
  next(remainingNs: number): number {
    const unvisited = this.#visits.indexOf(0);
    if (unvisited !== -1) return unvisited;
    const owing = this.#visits.findIndex((v, cell) => v < this.#minVisits[cell]);
    if (owing !== -1 && this.owedNs() >= remainingNs) return owing;
    let best = 0;
    for (let cell = 1; cell < this.cellCount; cell += 1) if (this.#spentNs[cell] < this.#spentNs[best]) best = cell;
    return best;
  }

  /** A visit of `cell` took `elapsedNs`. */
  record(cell: number, elapsedNs: number): void {
    if (!Number.isInteger(cell) || cell < 0 || cell >= this.cellCount)
      throw new RangeError(`cell ${cell} is outside 0..${this.cellCount - 1}`);
    this.#visits[cell] += 1;
    this.#spentNs[cell] += Math.max(0, elapsedNs);
  }

  /** Visits per cell in the current phase. */
  visits(): readonly number[] {
    return [...this.#visits];
  }
}
