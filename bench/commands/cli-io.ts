import type { ExitCodeValue } from '../errors.ts';
import type { ProgressEvent } from '../run/progress-reporter.ts';

/**
 * What the command wiring may do with the terminal. bench/cli.ts implements it: it stays the one
 * place that prints results and picks exit codes.
 */
export interface CliIo {
  /** A result on stdout, once the status line is gone. */
  readonly output: (text: string) => void;
  /** A progress message on stderr. */
  readonly progress: (message: string) => void;
  readonly progressEvent: (event: ProgressEvent) => void;
  /** A run's table on stdout, its first error on stderr, and the exit code that follows from them. */
  readonly report: (result: { output: string; error: Error | null }) => void;
  readonly setExitCode: (code: ExitCodeValue) => void;
  /** The command as typed, for reports; a Redis URL in it is shown without its password. */
  readonly commandLine: () => string;
}
