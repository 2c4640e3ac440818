/** The one sanitiser for terminal text, and JSON output that keeps the data. */
import { describe, expect, it } from 'vitest';
import { isPrintableChar, jsonForTerminal, quoted, terminalSafe, terminalSafeBlock } from '../../src/data/terminalText.js';

const OSC_TITLE = 'Evil \x1b]0;PWNED\x07 (1999)';

describe('terminalSafe', () => {
  it('shows every control, C1, bidi and separator character as a visible escape', () => {
    expect(terminalSafe(OSC_TITLE)).toBe('Evil \\u001b]0;PWNED\\u0007 (1999)');
    expect(terminalSafe('a\x1b[2J\x1b[Hb')).toBe('a\\u001b[2J\\u001b[Hb'); // erase screen, cursor home
    expect(terminalSafe('a\rb\nc\td\be\fz')).toBe('a\\rb\\nc\\td\\be\\fz');
    expect(terminalSafe('\x00\x7f')).toBe('\\u0000\\u007f');
    expect(terminalSafe('x\u009b2Jy\u0085z')).toBe('x\\u009b2Jy\\u0085z'); // C1 CSI and NEL
    expect(terminalSafe('abc\u202edcba')).toBe('abc\\u202edcba'); // right-to-left override
    for (const ch of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029']) {
      expect(terminalSafe(ch)).toMatch(/^\\u[0-9a-f]{4}$/);
    }
  });

  it('leaves ordinary text alone: accents, CJK, emoji, joiners', () => {
    for (const t of ['Misérables, Les (1995)', '七人の侍 (1954)', 'Amélie 🎬', 'family 👨‍👩‍👧', 'O\'Brien "quoted" \\ back']) {
      expect(terminalSafe(t)).toBe(t);
    }
  });

  it('the block form keeps newlines and TABs of a layout, and escapes the rest', () => {
    expect(terminalSafeBlock('a\tb\nc\x1b]0;x\x07\r\n')).toBe('a\tb\nc\\u001b]0;x\\u0007\\r\n');
  });

  it('is idempotent: escaped text holds no control character any more', () => {
    const once = terminalSafe(OSC_TITLE + '\u202e\u0085');
    expect(terminalSafe(once)).toBe(once);
    expect([...once].every(isPrintableChar)).toBe(true);
  });

  it('quoted() bounds what a message echoes', () => {
    expect(quoted('x'.repeat(100_000), 80)).toHaveLength(80);
    expect(quoted('x'.repeat(100_000), 80).endsWith('…')).toBe(true);
  });
});

describe('jsonForTerminal', () => {
  it('keeps the data exactly (JSON.parse gives it back) while no raw control character is printed', () => {
    const data = { title: OSC_TITLE + '\u009b31m\u202e\u2028\x7f', list: ['\u0085'] };
    const text = jsonForTerminal(JSON.stringify(data, null, 2));
    expect(JSON.parse(text)).toEqual(data);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029]/);
  });
});
