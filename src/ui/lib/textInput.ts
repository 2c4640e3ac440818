/** Line editing shared by every text box: printable characters append, Backspace/Delete remove. */
import type { Key } from 'ink';
import { isPrintableChar } from '../../data/terminalText.js';

/** The edited value, or null when the key is not an editing key (so the caller may use it). */
export function editText(value: string, input: string, key: Key, accept: (ch: string) => boolean = () => true): string | null {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.tab || key.return || key.escape) return null;
  if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return null;
  if (input.length === 0) return null;
  // A paste, or keys that arrive together (key repeat, a busy moment), come as one string: apply them
  // in order; DEL / BS each erase one character (Ink only names a lone backspace), the rest are typed
  // if the field accepts them.
  let out = value;
  let changed = false;
  for (const ch of input) {
    if (ch === '\x7f' || ch === '\b') out = out.slice(0, -1);
    else if (ch >= ' ' && isPrintableChar(ch) && accept(ch)) out += ch; // a paste may carry C1 or bidi controls
    else continue;
    changed = true;
  }
  return changed ? out : null;
}
