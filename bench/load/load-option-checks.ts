import { ConfigError } from '../errors.ts';

/** Collects every bad load option, so the user fixes them all at once. */
export class LoadOptionProblems {
  private readonly problems: string[] = [];

  positive(name: string, value: number, unit: string): void {
    if (!(Number.isFinite(value) && value > 0))
      this.problems.push(`${name} must be a positive number of ${unit}, got ${value}`);
  }

  nonNegative(name: string, value: number, unit: string): void {
    if (!(Number.isFinite(value) && value >= 0))
      this.problems.push(`${name} must be zero or a positive number of ${unit}, got ${value}`);
  }

  positiveInteger(name: string, value: number, allowInfinity = false): void {
    const ok = (Number.isSafeInteger(value) && value > 0) || (allowInfinity && value === Infinity);
    if (!ok)
      this.problems.push(`${name} must be a positive integer${allowInfinity ? ' (or Infinity)' : ''}, got ${value}`);
  }

  fraction(name: string, value: number): void {
    if (!(value >= 0 && value < 1)) this.problems.push(`${name} must be a fraction in [0, 1), got ${value}`);
  }

  metricName(name: string, value: string): void {
    if (!/^[\w.:-]+$/.test(value))
      this.problems.push(
        `${name} must be non-empty letters, digits, '.', '_', ':' or '-', got ${JSON.stringify(value)}`,
      );
  }

  add(problem: string): void {
    this.problems.push(problem);
  }

  throwIfAny(component: string): void {
    if (this.problems.length === 0) return;
    throw new ConfigError(`invalid ${component} options: ${this.problems.join('; ')}`, {
      hint: `fix the ${component} options of the scenario or command line`,
      problems: [...this.problems],
    });
  }
}
