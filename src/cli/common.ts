/** Helpers every subcommand shares: where data lives, JSON output, readable errors. */
import { Command, Option } from 'commander';

/** Errors whose message is meant for the user as-is (no stack trace). */
const USER_ERRORS = new Set(['DataError', 'ModelError', 'SnapshotError', 'UsageError', 'DownloadError', 'CommanderError']);

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function isUserError(err: unknown): err is Error {
  return err instanceof Error && USER_ERRORS.has(err.name);
}

/** Prints one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Messages and progress go to stderr so stdout stays clean for --json. */
/** One line of a command's output on stdout. */
export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

export function info(message: string): void {
  process.stderr.write(message + '\n');
}

/** Where snapshots are when --snapshots is not given (src/data/places.ts decides). */
export const SNAPSHOTS_HELP = 'snapshots folder (default: $FACTORLENS_SNAPSHOTS, else snapshots/ of a source checkout, else $XDG_DATA_HOME/factorlens/snapshots)';

export function dataOption(): Option {
  return new Option('--data <dir>', 'dataset directory (default: $FACTORLENS_DATA, else the download cache)');
}

export function jsonOption(): Option {
  return new Option('--json', 'print one JSON document on stdout');
}

export function parseIntArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

export function parseFloatArg(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} must be a number, got "${value}"`);
    return n;
  };
}

/** A subcommand module adds itself to the program. */
export type Register = (program: Command) => void;
