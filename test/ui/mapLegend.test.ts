/** The Map pane's legend: every glyph on the plot is explained, or the line says how many are not. */
import { describe, expect, it } from 'vitest';
import { legendItems } from '../../src/ui/panes/map/MapPane.js';
import { GROUP_GLYPHS } from '../../src/ui/lib/scatter.js';

const genres = ['Drama', 'Comedy', 'Romance', 'Action', 'Thriller', 'Sci-Fi', 'Adventure', 'Crime', 'Horror', 'War'].map((group, i) => ({ group, count: 200 - i * 10 }));

describe('the map legend', () => {
  it('lists every group with its count when the line holds them', () => {
    expect(legendItems(genres.slice(0, 3), 80)).toEqual(['o Drama 200', 'x Comedy 190', '+ Romance 180']);
  });

  it('drops the counts before it drops a group, then says how many it could not show', () => {
    const short = legendItems(genres, 105);
    expect(short).toHaveLength(genres.length);
    expect(short.every((t) => !/\d/.test(t))).toBe(true);
    const narrow = legendItems(genres, 60);
    expect(narrow.at(-1)).toMatch(/^\+\d+ more$/);
    const shown = narrow.length - 1;
    expect(Number(/\d+/.exec(narrow.at(-1)!)![0])).toBe(genres.length - shown);
    expect(narrow.slice(0, shown).map((t) => t[0])).toEqual(GROUP_GLYPHS.slice(0, shown));
    expect(narrow.reduce((n, t) => n + t.length + 2, 0)).toBeLessThanOrEqual(60);
  });
});
