import type { SourceLocation } from './types.js';

/**
 * A mistake in the user's input (file, parameters, options). The CLI prints its message alone and
 * exits non-zero; anything else escaping to the CLI is a bug and keeps its stack trace.
 */
export class UserError extends Error {
  readonly location: SourceLocation | undefined;
  constructor(message: string, location?: SourceLocation) {
    super(location ? `${location.file}:${location.line}:${location.column}: ${message}` : message);
    this.name = 'UserError';
    this.location = location;
  }
}

/** A configured resource limit (qubit cap, term budget) would be exceeded. */
export class ResourceLimitError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceLimitError';
  }
}

/**
 * A command-line usage mistake (a missing or contradictory option) rather than bad input data:
 * the CLI exits 2 for these, 1 for every other UserError.
 */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
