// What a failed command tells the user: one line on stderr and an exit code.
// 2 for usage (the command line is wrong), 1 for data and model files, 130 for
// an interrupt (the shell's convention for SIGINT).

import { InputError, SimdnetError } from '../errors.js';

export class CliError extends Error {
  override name = 'CliError';

  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

export class UsageError extends CliError {
  override name = 'UsageError';

  constructor(message: string) {
    super(message, 2);
  }
}

export class DataError extends CliError {
  override name = 'DataError';

  constructor(message: string) {
    super(message, 1);
  }
}

export class Interrupted extends CliError {
  override name = 'Interrupted';

  constructor(message: string) {
    super(message, 130);
  }
}

const FILE_REASONS = new Map([
  ['ENOENT', 'no such file'],
  ['EISDIR', 'is a directory, not a file'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'permission denied'],
  ['ENOTDIR', 'a part of the path is not a directory'],
  ['EMFILE', 'too many open files'],
]);

/** A file-system failure as a DataError that names the file and says why in words. */
export function fileError(what: string, path: string, e: unknown): DataError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const reason = (code && FILE_REASONS.get(code)) ?? (e as Error)?.message ?? String(e);
  return new DataError(`cannot ${what} ${JSON.stringify(path)}: ${reason}`);
}

/** The message and exit code of any failure; only unexpected errors offer a stack, and only on request. */
export function failureOf(e: unknown): { message: string; exitCode: number } {
  if (e instanceof CliError) return { message: e.message, exitCode: e.exitCode };
  if (e instanceof SimdnetError) return { message: e.message, exitCode: 1 };
  const error = e instanceof Error ? e : new Error(String(e));
  if (process.env.SIMDNET_DEBUG) return { message: error.stack ?? error.message, exitCode: 1 };
  return { message: `internal error: ${error.message} (set SIMDNET_DEBUG=1 to see where)`, exitCode: 1 };
}

/** Run `fn`; an InputError from the library about the file's values becomes a DataError naming the file. */
export function aboutFile<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw new DataError(`${path}: ${e.message}`);
    throw e;
  }
}
