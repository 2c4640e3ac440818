/**
 * Helpers every subcommand shares: where data lives, the one way text reaches the terminal, JSON
 * output, readable errors. Command output goes through out() / info() (never process.stdout.write):
 * titles, ids and names come from files, and a file must not be able to drive the terminal.
 */
import { Command, Option } from 'commander';
import { jsonForTerminal, terminalSafe, terminalSafeBlock } from '../data/terminalText.js';
import { parseNumberText, type NumberKind } from '../data/numbers.js';

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

/** Prints one JSON document on stdout: the data as it is, every control character escaped JSON's way. */
export function printJson(value: unknown): void {
  process.stdout.write(jsonForTerminal(JSON.stringify(value, null, 2)) + '\n');
}

/** A command's output on stdout (one or more lines): control characters from the data shown as escapes. */
export function out(text: string): void {
  const safe = terminalSafeBlock(text);
  process.stdout.write(safe.endsWith('\n') ? safe : safe + '\n');
}

/** SGR colour codes, the only escape sequences outStyled lets through. */
const SGR = /(\x1b\[[0-9;]*m)/;

/**
 * out() for text the program coloured itself (the compare chart): SGR colour codes pass, anything
 * else is escaped as out() does. The data in it must already be terminal-safe (formatTable cells
 * are), so a colour code can only be one the program wrote.
 */
export function outStyled(text: string): void {
  out(text.split(SGR).map((part, i) => (i % 2 === 1 ? part : terminalSafeBlock(part))).join(''));
}

/** Messages and progress go to stderr so stdout stays clean for --json. */
export function info(message: string): void {
  process.stderr.write(terminalSafeBlock(message) + '\n');
}

/** The one line a refusal prints: `factorlens: MESSAGE`, the message made one terminal-safe line. */
export function errorLine(message: string): string {
  return `factorlens: ${terminalSafe(message)}\n`;
}

/** Where snapshots are when --snapshots is not given (src/data/places.ts decides). */
export const SNAPSHOTS_HELP = 'snapshots folder (default: $FACTORLENS_SNAPSHOTS, else snapshots/ of a source checkout, else $XDG_DATA_HOME/factorlens/snapshots)';

export function dataOption(): Option {
  return new Option('--data <dir>', 'dataset directory (default: $FACTORLENS_DATA, else the download cache)');
}

export function jsonOption(): Option {
  return new Option('--json', 'print one JSON document on stdout');
}

/**
 * A flag's number, read by the one parser (src/data/numbers.ts): decimal digits only — no hex, octal or
 * binary prefixes, no surrounding spaces, no empty value, no Infinity / NaN. Whole-number flags take
 * digits alone (no exponent: "1e1" is refused); other numbers may have a fraction and an exponent (5e-3).
 */
export function parseNumberArg(name: string, kind: NumberKind, value: string): number {
  const r = parseNumberText(value, kind);
  if (!r.ok) throw new UsageError(`${name} ${r.problem}, got "${terminalSafe(value).slice(0, 40)}"`);
  return r.value;
}

export function parseIntArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const r = parseNumberText(value, 'integer');
    if (!r.ok || r.value < min || r.value > max) {
      const how = r.ok ? '' : ' in decimal digits';
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}${how}, got "${terminalSafe(value).slice(0, 40)}"`);
    }
    return r.value;
  };
}

export function parseFloatArg(name: string) {
  return (value: string): number => parseNumberArg(name, 'decimal', value);
}

/** A subcommand module adds itself to the program. */
export type Register = (program: Command) => void;
