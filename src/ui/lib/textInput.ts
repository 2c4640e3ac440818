/** Line editing shared by every text box: printable characters append, Backspace/Delete remove. */
import type { Key } from 'ink';

/** The edited value, or null when the key is not an editing key (so the caller may use it). */
export function editText(value: string, input: string, key: Key, accept: (ch: string) => boolean = () => true): string | null {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.tab || key.return || key.escape) return null;
  if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return null;
  if (input.length === 0) return null;
  // A paste arrives as one string: keep the characters the field accepts.
  const kept = [...input].filter((ch) => ch >= ' ' && accept(ch)).join('');
  return kept.length === 0 ? null : value + kept;
}
