/** The one number parser for what people type: decimal only. */
import { describe, expect, it } from 'vitest';
import { parseNumberText, type NumberKind } from '../../src/data/numbers.js';

const ok = (text: string, kind: NumberKind) => parseNumberText(text, kind);

describe('parseNumberText', () => {
  it('reads decimal numbers of each kind', () => {
    expect(ok('16', 'integer')).toEqual({ ok: true, value: 16 });
    expect(ok('-1', 'integer')).toEqual({ ok: true, value: -1 });
    expect(ok('010', 'integer')).toEqual({ ok: true, value: 10 }); // decimal, not octal
    expect(ok('4', 'stars')).toEqual({ ok: true, value: 4 });
    expect(ok('3.5', 'stars')).toEqual({ ok: true, value: 3.5 });
    expect(ok('5e-3', 'decimal')).toEqual({ ok: true, value: 0.005 });
    expect(ok('.5', 'decimal')).toEqual({ ok: true, value: 0.5 });
    expect(ok('-0.1', 'decimal')).toEqual({ ok: true, value: -0.1 });
  });

  it('refuses what Number() would take but no one means', () => {
    const refused: [string, NumberKind][] = [
      ['0x10', 'integer'], ['0x4', 'stars'], ['0x10', 'decimal'], ['0b11', 'integer'], ['0o7', 'integer'],
      ['', 'integer'], ['', 'decimal'], [' 16', 'integer'], ['16 ', 'integer'], ['\t4', 'stars'], ['1 6', 'integer'],
      ['1e1', 'integer'], ['4e0', 'stars'], ['1.5', 'integer'], ['+5', 'integer'], ['1_000', 'integer'],
      ['Infinity', 'decimal'], ['-Infinity', 'decimal'], ['NaN', 'decimal'], ['1e400', 'decimal'], ['1e', 'decimal'], ['.', 'decimal'],
      ['99999999999999999999', 'integer'], ['４', 'integer'], // full-width digit
    ];
    for (const [text, kind] of refused) {
      const r = ok(text, kind);
      expect(r.ok, `${JSON.stringify(text)} as ${kind}`).toBe(false);
    }
  });
});
