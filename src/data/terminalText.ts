/**
 * Text from files (titles, genres, ids, snapshot vocabularies, dataset names, lines quoted in errors)
 * on its way to a terminal. A terminal obeys the control characters in what it prints: an OSC
 * sequence in a movie title can retitle the window, CSI sequences move the cursor and erase lines,
 * bidi overrides make text read backwards. Every such character is shown as a visible escape instead
 * ("\u001b]0;PWNED\u0007"), JSON style, so the text stays readable and nothing is hidden or obeyed.
 * JSON output keeps the data itself (see jsonForTerminal).
 */

/**
 * C0 controls, DEL, C1 controls (U+0085 NEL and U+009B CSI among them: some terminals obey them as
 * bytes), the bidi embeddings, overrides, isolates and marks, and the line / paragraph separators.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const UNSAFE_KEEPING_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const ANY_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
/** What JSON.stringify leaves unescaped of the above (it escapes U+0000–U+001F itself). */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const SHORT: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(ch: string): string {
  return SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One line of terminal-safe text: every control, bidi and separator character as a visible escape. */
export function terminalSafe(text: string): string {
  return ANY_UNSAFE.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/**
 * The same for a block of text the program laid out itself (tables, several lines): newlines and
 * TABs stay, everything else is escaped. Our own layout keeps its lines; a file's string cannot
 * move the cursor, erase, recolour or retitle anything.
 */
export function terminalSafeBlock(text: string): string {
  return ANY_UNSAFE.test(text) ? text.replace(UNSAFE_KEEPING_LINES, escapeChar) : text;
}

/** True for a character a text field may take from the keyboard or a paste (no controls, no bidi tricks). */
export function isPrintableChar(ch: string): boolean {
  return !ANY_UNSAFE.test(ch);
}

/**
 * JSON.stringify escapes U+0000–U+001F but writes DEL, the C1 controls, bidi controls and U+2028/9
 * as they are. Inside a JSON document they can only sit in strings, so escaping them there keeps the
 * document valid and the data identical once parsed.
 */
export function jsonForTerminal(json: string): string {
  return json.replace(JSON_UNSAFE, escapeChar);
}

/** A string from a file quoted in a one-line message: terminal-safe and at most `max` characters. */
export function quoted(text: string, max = 80): string {
  const safe = terminalSafe(text);
  return safe.length > max ? safe.slice(0, max - 1) + '…' : safe;
}
