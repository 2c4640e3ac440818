/** Adding a movie nobody has rated, from the Search pane: the form, whom to recommend it to, its map point, a rating arriving. */
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FakeServices } from './fakeServices.js';
import { formKey, newMovieForm } from '../../src/ui/panes/search/newMovie/newMovieForm.js';
import type { Key } from 'ink';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

const CTRL_N = '\x0e';
const none: Key = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false } as Key;

describe('the add-movie form', () => {
  it('takes digits only for the year, ticks genres, and refuses a rating without a user or with stars off the scale', () => {
    let f = newMovieForm('Night Terrors');
    f = { ...f, field: 'year' };
    const edit = (input: string, key: Partial<Key> = {}) => {
      const a = formKey(f, input, { ...none, ...key }, ['Horror', 'Drama']);
      if (a?.type === 'edit' || a?.type === 'invalid' || a?.type === 'submit') f = a.form;
      return a;
    };
    edit('19x98');
    expect(f.year).toBe('1998');
    edit('', { downArrow: true });
    edit(' ');
    edit('', { rightArrow: true });
    edit(' ');
    edit(' ');
    expect(f.genres).toEqual(['Horror']);
    edit('', { downArrow: true });
    edit('', { downArrow: true });
    edit('9');
    expect(edit('', { return: true })).toMatchObject({ type: 'invalid', problem: 'whose rating? type a user id of the dataset' });
    expect(f.field).toBe('user');
    edit('13');
    expect(edit('', { return: true })).toMatchObject({ type: 'invalid', problem: 'stars from 1 to 5' });
    f = { ...f, stars: '4' };
    const ok = edit('', { return: true });
    expect(ok).toMatchObject({ type: 'submit', movie: { title: 'Night Terrors', year: 1998, genres: ['Horror'], ratings: [{ userId: '13', rating: 4 }] } });
    // the rating joins the form's list, the fields empty for the next one
    expect(f).toMatchObject({ user: '', stars: '', ratings: [{ userId: '13', rating: 4 }] });
  });
});

describe('Search → Ctrl+N: a new movie', () => {
  it('adds it, shows whom to recommend it to and its point on the map; a rating arriving moves it; Esc goes back', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'search', columns: 100, rows: 30 });
    await app.waitFor('Ctrl+N a new movie');
    await app.type('night terrors');
    await app.press(CTRL_N);
    await app.waitFor(/title\s+night terrors/);
    await app.press(KEYS.down);
    await app.type('1998');
    await app.press(KEYS.down);
    await app.waitFor('←/→ space');
    const steps = services.genres().indexOf('Horror');
    await app.press(...Array.from({ length: steps }, () => KEYS.right), ' ');
    await app.waitFor('✓Horror');
    await app.press(KEYS.enter);
    await app.waitFor('whom to recommend it to');
    expect(services.addMovieCalls.at(-1)).toEqual({ title: 'night terrors', year: 1998, genres: ['Horror'], ratings: [] });
    let f = app.frame();
    expect(f).toMatch(/user 907\s+★4\.30 #300/);
    expect(f).toMatch(/map PC1 0\.34 PC2 -0\.03/);
    expect(f).toContain('not kept: save the model as a');
    expect(f).toContain('snapshot to keep it');
    // a rating arrives from user 907
    await app.press(KEYS.down);
    await app.type('907');
    await app.press(KEYS.down);
    await app.type('5');
    await app.press(KEYS.enter);
    f = await app.waitFor('user 907 gave 5');
    expect(services.addMovieCalls.at(-1)!.ratings).toEqual([{ userId: '907', rating: 5 }]);
    expect(f).not.toMatch(/user 907\s+★/);
    expect(f).toContain('1 rating(s) so far');
    await app.press(KEYS.escape);
    await app.waitFor('Ctrl+N a new movie');
    // the search finds it among the catalogue's titles, marked; Enter shows its report again, its rating kept
    await app.press(KEYS.escape);
    await app.type('night terr');
    await app.waitFor(/› night terrors · added/);
    await app.press(KEYS.enter);
    f = await app.waitFor('1 rating(s) so far');
    expect(f).toMatch(/year\s+1998/);
    expect(services.addMovieCalls.at(-1)).toEqual({ title: 'night terrors', year: 1998, genres: ['Horror'], ratings: [{ userId: '907', rating: 5 }] });
    expect(services.added[0].ratings).toHaveLength(1);
  });

  it('an error from the model is shown and the rating is not counted', async () => {
    const services = new FakeServices().withModel();
    services.addMovie = async () => {
      throw new Error('no user with id "99999" in this model');
    };
    app = await renderApp({ services, pane: 'search' });
    await app.waitFor('Ctrl+N');
    await app.press(CTRL_N);
    await app.type('X');
    await app.press(KEYS.down, KEYS.down, KEYS.down);
    await app.type('99999');
    await app.press(KEYS.down);
    await app.type('4');
    await app.press(KEYS.enter);
    const f = await app.waitFor('no user with id "99999"');
    expect(f).toContain('none yet');
  });
});
