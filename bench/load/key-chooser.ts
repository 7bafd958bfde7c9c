/**
 * Picks the item of the next operation. Stateful and seeded: give each worker its own chooser
 * (and its own `SeededRandom.forKey(seed, workerId)`) so that runs replay exactly.
 */
export interface KeyChooser {
  /** An item index in [0, itemCount). */
  next(): number;
}
