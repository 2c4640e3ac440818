/**
 * The one reader of numbers people type (CLI flags, `--rate "Title=4"`, the app's form). JavaScript's
 * Number() takes "0x10" as 16, "0b11" as 3, " 7 " as 7, "" as 0 and "Infinity" as a number; none of
 * those is what someone means by a flag value. Here a number is written in decimal:
 *
 * - integer: optional minus sign, digits ("16", "-1"); no fraction, no exponent ("1e1" is refused).
 * - stars:   optional sign, digits, optional fraction ("4", "3.5", ".5" is refused); no exponent.
 * - decimal: optional sign, digits with an optional fraction, optional exponent ("5e-3", "0.1").
 *
 * Never: surrounding or inner spaces, hex / octal / binary prefixes, underscores, Infinity, NaN, or a
 * value that overflows to Infinity ("1e400").
 */
export type NumberKind = 'integer' | 'stars' | 'decimal';

export type ParsedNumber = { ok: true; value: number } | { ok: false; problem: string };

const GRAMMAR: Record<NumberKind, RegExp> = {
  integer: /^-?\d+$/,
  stars: /^[+-]?\d+(\.\d+)?$/,
  decimal: /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/,
};

const WANTED: Record<NumberKind, string> = {
  integer: 'must be a whole number in decimal digits',
  stars: 'must be a number like 4 or 3.5',
  decimal: 'must be a number in decimal, like 0.1 or 5e-3',
};

export function parseNumberText(text: string, kind: NumberKind): ParsedNumber {
  if (typeof text !== 'string' || !GRAMMAR[kind].test(text)) return { ok: false, problem: WANTED[kind] };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, problem: `${WANTED[kind]} of a size a number can hold` };
  if (kind === 'integer' && !Number.isSafeInteger(value)) return { ok: false, problem: `${WANTED[kind]} below 2^53` };
  return { ok: true, value };
}
