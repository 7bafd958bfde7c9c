import { expect } from 'vitest';
import { ConfigError, ExitCode } from '../errors.ts';

/** Runs `run`, expects it to throw a ConfigError (exit code 2) and returns it for more checks. */
export function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.config);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}
