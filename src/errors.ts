/**
 * Errors of the system under test. src/ never imports bench/: the harness maps these to its own
 * errors at the boundary. Each carries a machine-readable code so callers (HTTP routes, the
 * harness) can tell bad input from a broken dependency without parsing messages.
 */
export type SignalInputErrorCode =
  'invalid-symbol' | 'unknown-symbol' | 'invalid-date' | 'date-out-of-range' | 'insufficient-history';

/** The request cannot be answered as asked: the caller must change the symbol or the date. */
export class SignalInputError extends Error {
  readonly code: SignalInputErrorCode;

  constructor(code: SignalInputErrorCode, message: string) {
    super(message);
    this.name = 'SignalInputError';
    this.code = code;
  }
}

/** A file the system reads (Parquet data, model file) is missing or malformed. */
export class DataFileError extends Error {
  readonly path: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(`${message} (${path})`, options);
    this.name = 'DataFileError';
    this.path = path;
  }
}
