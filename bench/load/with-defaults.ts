/**
 * `{ ...defaults, ...given }` over the keys of `defaults`, except that a key given as undefined
 * keeps its default: callers write `maxOperations: cap ?? undefined`, and a plain spread would let
 * that undefined through. Keys the defaults do not name are dropped, so only known settings
 * travel on (to worker threads, by structured clone).
 */
export function withDefaults<T extends object>(defaults: T, given: Partial<T>): T {
  const resolved = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = given[key];
    if (value !== undefined) resolved[key] = value as T[keyof T];
  }
  return resolved;
}
