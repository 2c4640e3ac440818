import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FAKE_CATALOGUE, FakeServices } from './fakeServices.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

/** In the Rate pane's search box: type `query`, wait for `title`, ↓ to it, Enter, give it `stars`. */
async function rateFound(a: RenderedApp, query: string, title: string, stars: string): Promise<void> {
  await a.type(query);
  await a.waitFor(title);
  await a.press(KEYS.down, KEYS.enter, stars);
}

describe('Rate pane', () => {
  it('says what is missing: no model, no ratings, no matching titles', async () => {
    app = await renderApp({ pane: 'rate' });
    await app.waitFor('No model yet — train one in the Train pane (1)');
    expect(app.frame()).toContain('No ratings yet');
    await app.type('zzzz');
    await app.waitFor('No titles match "zzzz".');
  });

  it('search → Enter → 5 rates; recommendations follow, with the because line and its numbers; u undoes, c clears after asking', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'rate' });
    await app.waitFor('(the average taste\'s picks: rate some)');
    await app.type('star wars');
    await app.waitFor('Star Wars (1977)');
    await app.press(KEYS.down);
    await app.waitFor(/› Star Wars \(1977\)/);
    await app.press(KEYS.enter);
    await app.waitFor('rate Star Wars (1977):');
    expect(app.frame()).toContain('press 1–5 to rate · Esc cancels');
    await app.press('5');
    const f = await app.waitFor('Your ratings (1)');
    expect(f).toContain('★★★★★ Star Wars (1977)');
    expect(f).not.toContain('rate Star Wars (1977):');
    await app.waitFor((x) => services.recommendCalls.at(-1)?.length === 1 && x.includes('Return of the Jedi'));
    expect(services.recommendCalls.at(-1)).toEqual([{ index: 0, rating: 5 }]);
    // Star Wars itself is not recommended once rated
    expect(app.frame()).not.toMatch(/\d+\. Star Wars \(1977\)/);
    await app.press(KEYS.right);
    // the numbers recommend --explain prints, not just a title
    await app.waitFor(/because you rated Star Wars \(1977\): you 5,\s+expected 3\.8, cosine 0\.43 \(e: why\)/);
    await app.press('e');
    await app.waitFor('Why Empire Strikes Back, The (1980)');
    expect(app.frame()).toMatch(/↑ Star Wars \(1977\): you 5, expected 3\.8, cosine\s+0\.43/);
    await app.press('e');
    await app.waitFor((x) => !x.includes('Why Empire'));
    await app.press('u');
    await app.waitFor('Your ratings (0)');
    await app.press(KEYS.left, KEYS.enter, '4');
    await app.waitFor('★★★★☆ Star Wars (1977)');
    await app.press('c');
    await app.waitFor('Clear all 1 ratings of profile default? (u undoes it) [y/n]');
    await app.press('n');
    await app.waitFor((x) => !x.includes('Clear all'));
    expect(app.frame()).toContain('Your ratings (1)');
    await app.press('c', 'y');
    await app.waitFor('Your ratings (0)');
  });

  it('loading a model of another dataset moves your ratings to its rows by movie, sets aside one it lacks, and never rates the movie at the old row', async () => {
    const services = new FakeServices().withModel();
    await services.saveSnapshot('other', { force: false });
    // "another dataset": the same films in the opposite order, and no Fargo
    const rows = FAKE_CATALOGUE.itemIds.map((item, i) => ({ item, title: FAKE_CATALOGUE.titles[i] })).filter((r) => r.title !== 'Fargo (1996)').reverse();
    const saved = services.snapshots.get('other')!;
    saved.info = { ...saved.info, catalogue: { itemIds: rows.map((r) => r.item), titles: rows.map((r) => r.title) } };
    app = await renderApp({ services, pane: 'rate' });
    await rateFound(app, 'star wars', 'Star Wars (1977)', '5');
    await app.waitFor('Your ratings (1)');
    await app.press('/');
    await rateFound(app, 'fargo', 'Fargo (1996)', '4');
    await app.waitFor('Your ratings (2)');
    const edits = services.savedRatings.length;
    await app.press('6');
    await app.waitFor(/› ?\*?other/);
    await app.press(KEYS.enter);
    await app.waitFor('loaded snapshot "other" · 1 rating set aside (not in this model)');
    await app.press('2');
    const f = await app.waitFor('Your ratings (1)');
    expect(f).toContain('★★★★★ Star Wars (1977)');
    expect(f).not.toContain('★★★★☆ Fargo (1996)');
    const starWars = rows.findIndex((r) => r.title === 'Star Wars (1977)');
    await app.waitFor(() => services.recommendCalls.at(-1)?.[0]?.index === starWars);
    expect(services.recommendCalls.at(-1)).toEqual([{ index: starWars, rating: 5 }]);
    // matching is not a change: the profile still holds both, Fargo included
    expect(services.savedRatings.length).toBe(edits);
    expect(services.savedRatings.at(-1)?.map((r) => r.title)).toEqual(['Star Wars (1977)', 'Fargo (1996)']);
  });

  it('a model that only ranks says its list is by score, not stars, and offers no pick × like switch', async () => {
    const services = new FakeServices().withModel('ials');
    app = await renderApp({ services, pane: 'rate' });
    const f = await app.waitFor('Recommended for you · by score');
    expect(f).toContain('scores, not ★');
    expect(f).not.toContain('predicted ★');
    expect(f).not.toContain('s pick × like');
  });

  it('a digit in the lists switches panes and rates nothing; only the prompt Enter opened takes stars', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'rate' });
    await app.type('star wars');
    await app.waitFor('Star Wars (1977)');
    await app.press(KEYS.down, KEYS.enter, '5');
    await app.waitFor('Your ratings (1)');
    await app.press('3'); // "go to Search", not "rate Star Wars 3"
    await app.waitFor('search:');
    // Search's box types digits; Esc in the empty box leaves it, and then 2 goes back
    await app.press(KEYS.escape, '2');
    await app.waitFor('Your ratings (1)');
    expect(app.frame()).toContain('★★★★★ Star Wars (1977)');
    expect(services.savedRatings.at(-1)).toEqual([{ item: '1', title: 'Star Wars (1977)', rating: 5 }]);
    // in the recommendations too
    await app.press(KEYS.right, '4');
    await app.waitFor(/Top \d+ movies by bias/);
    await app.press('2');
    await app.waitFor('Your ratings (1)');
    expect(app.frame()).toContain('★★★★★ Star Wars (1977)');
    // Esc in the prompt rates nothing
    await app.press(KEYS.enter);
    await app.waitFor('press 1–5 to rate');
    await app.press(KEYS.escape);
    await app.waitFor((x) => !x.includes('press 1–5 to rate'));
    expect(app.frame()).toContain('Your ratings (1)');
  });

  it('/ and Esc start a new search from an empty box, never the old query', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'rate' });
    await app.type('star wars');
    await app.waitFor('Star Wars (1977)');
    await app.press(KEYS.down, KEYS.enter, '5');
    await app.waitFor('Your ratings (1)');
    await app.press('/');
    await app.type('empire');
    await app.waitFor('find: empire');
    expect(app.frame()).not.toContain('star warsempire');
    await app.press(KEYS.down, KEYS.escape);
    await app.waitFor((x) => /find: (?!empire)/.test(x));
    await app.type('fargo');
    await app.waitFor('find: fargo');
  });

  it('rates in half stars when the data has them', async () => {
    const services = new FakeServices({ scale: { min: 0.5, max: 5, step: 0.5 } }).withModel();
    app = await renderApp({ services, pane: 'rate' });
    await app.type('fargo');
    await app.waitFor('Fargo (1996)');
    await app.press(KEYS.down, KEYS.enter);
    await app.waitFor('type 0.5–5 (4 or 4.5), Enter rates');
    await app.type('4.5');
    await app.press(KEYS.enter);
    await app.waitFor('★★★★½ Fargo (1996)');
    expect(services.savedRatings.at(-1)).toEqual([{ item: '3', title: 'Fargo (1996)', rating: 4.5 }]);
    await app.press(KEYS.enter, '7', KEYS.enter);
    await app.waitFor('7 is not a rating here: 0.5 to 5 in steps of 0.5');
    await app.press(KEYS.backspace, KEYS.left);
    await app.waitFor(/rate Fargo \(1996\) \(now 4\.5★\): 4 ★★★★☆/);
    await app.press(KEYS.enter);
    await app.waitFor('★★★★☆ Fargo (1996)');
  });

  it('says whose ratings these are, and brings back the profile\'s ratings', async () => {
    const services = new FakeServices().withModel();
    services.profile = { name: 'alice', ratings: [{ index: 2, rating: 4 }, { index: 16, rating: 2 }], model: null, notes: [] };
    app = await renderApp({ services, pane: 'rate' });
    const f = await app.waitFor('Your ratings (2) · profile alice');
    expect(f).toContain('★★☆☆☆ Titanic (1997)');
    expect(f).toContain('★★★★☆ Fargo (1996)');
    expect(services.savedRatings).toEqual([]); // reading it back is not a change
  });

  it('marks low-evidence recommendations', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'rate' });
    const f = await app.waitFor(/Casablanca \(1942\)\s+4\.46 \?/);
    expect(f).toMatch(/Star Wars \(1977\)\s+4\.36\s*$/m);
  });
});

describe('Search pane', () => {
  it('at 80 columns, while the box takes every key (? too), the last line says how to leave it, not "? all keys"', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'search', columns: 80, rows: 24 });
    await app.waitFor('Type to search');
    const typingLine = app.frame().trimEnd().split('\n').at(-2)!;
    expect(typingLine).toContain('Tab next pane');
    expect(typingLine).not.toContain('?');
    const hintLine = (f: string) => f.trimEnd().split('\n').at(-2)!;
    // out of the box (the results list) ? opens the keys again, and the line says so
    await app.type('star');
    await app.press(KEYS.down);
    await app.waitFor((f) => hintLine(f).endsWith('? all keys'));
    // Tab leaves from inside a box as well; the Rate pane's box says the same
    await app.press(KEYS.tab);
    await app.waitFor((f) => !f.includes('search: star'));
    await app.press('2');
    const rate = await app.waitFor('find:');
    expect(hintLine(rate)).toContain('Tab next pane');
    expect(hintLine(rate)).not.toContain('?');
  });

  it('finds a movie nobody rated, marks it, and says why it has no card (Rate: why it cannot be rated)', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'search' });
    await app.waitFor('Type to search');
    await app.type('unseen');
    await app.waitFor(/Unseen, The \(2003\) · no ratings/);
    await app.press(KEYS.down, KEYS.enter);
    await app.waitFor(/Unseen, The \(2003\) has no ratings: no model learns factors for it, so it has no card/);
    expect(app.frame()).not.toContain('Most similar');
    await app.press('2');
    await app.waitFor('find:');
    await app.type('unseen');
    await app.waitFor(/Unseen, The \(2003\) · no ratings/);
    await app.press(KEYS.enter);
    await app.waitFor(/has no ratings: no model learns factors for it, so rating it would change nothing/);
    expect(app.frame()).not.toContain('press 1–5 to rate');
  });

  it('updates per keystroke, says when nothing matches, and opens a movie card', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'search' });
    await app.waitFor('Type to search');
    await app.type('fa');
    await app.waitFor('Fargo (1996)');
    await app.type('rgo');
    await app.waitFor(/› Fargo \(1996\)/);
    await app.press(KEYS.enter);
    const card = await app.waitFor('Most similar');
    expect(card).toContain('year 1996 · Crime, Drama');
    expect(card).toMatch(/508 ratings · mean 4\.16/);
    await app.waitFor(/learned bias 0\.660\s+your predicted rating 4\.16/);
    await app.waitFor('Godfather, The (1972)');
    await app.press(KEYS.escape); // back to the list (digits switch panes there), / for a new search
    await app.waitFor(/search: fargo\n[\s\S]*› Fargo \(1996\)/);
    await app.press('/');
    await app.type('qqq');
    await app.waitFor('No titles match "qqq".');
  });

  it('labels the match column, lists in its order, and says when no title is close', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'search' });
    await app.type('of the');
    const f = await app.waitFor('Return of the Jedi (1983)');
    expect(f).toMatch(/^\s+title\s+match$/m);
    const matches = [...f.matchAll(/\s(\d\.\d\d)$/gm)].map((m) => Number(m[1]));
    expect(matches.length).toBeGreaterThan(1);
    expect(matches).toEqual([...matches].sort((a, b) => b - a));
    await app.press(KEYS.escape);
    await app.type('star zzzz');
    await app.waitFor('No title is close to "star zzzz"; the nearest:');
  });

  it('the card of a movie you rated shows your rating first', async () => {
    const services = new FakeServices().withModel();
    services.profile = { name: 'default', ratings: [{ index: 2, rating: 5 }], model: null, notes: [] };
    app = await renderApp({ services, pane: 'search' });
    await app.type('fargo');
    await app.waitFor('Fargo (1996)');
    await app.press(KEYS.enter);
    const card = await app.waitFor('the model fits');
    expect(card).toMatch(/you rated it 5★ ★★★★★ · the model fits \d\.\d\d for you/);
    expect(card).not.toContain('your predicted rating');
  });

  it('digits are typed in the box; in the results list they switch panes', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'search' });
    await app.type('godfather 2');
    await app.waitFor('search: godfather 2');
    await app.press(KEYS.down);
    await app.waitFor(/› Godfather, The \(1972\)/);
    await app.press('4');
    await app.waitFor(/Top \d+ movies by bias/);
  });

  it('shows the card without model facts when there is no model', async () => {
    app = await renderApp({ pane: 'search' });
    await app.waitFor('Type to search');
    await app.type('toy');
    await app.waitFor('Toy Story');
    await app.press(KEYS.enter);
    const f = await app.waitFor('No model yet');
    expect(f).toContain('Animation, Comedy');
    expect(f).not.toContain('your predicted rating');
  });
});

describe('Bias pane', () => {
  it('shows top and bottom movies with counts and means; u toggles users; +/- change N', async () => {
    app = await renderApp({ services: new FakeServices().withModel(), pane: 'bias' });
    const f = await app.waitFor('Top 10 movies by bias');
    expect(f).toContain('Bottom 10 movies by bias');
    expect(f).toMatch(/Schindler's List \(1993\)\s+0\.970\s+298\s+4\.47/);
    expect(f).toMatch(/Children of the Corn.*-2\.180\s+19\s+1\.32/);
    expect(f).toContain('unliked even by people who like that kind of movie');
    await app.press('-', '-');
    await app.waitFor('Top 8 movies by bias');
    await app.press('+');
    await app.waitFor('Top 9 movies by bias');
    await app.press('u');
    const u = await app.waitFor('Top 9 users by bias');
    expect(u).toContain('user 1');
    expect(u).toContain('how generous a rater is');
  });

  it('at 80×24, + past the rows that fit says so instead of doing nothing', async () => {
    app = await renderApp({ services: new FakeServices().withModel(), pane: 'bias', columns: 80, rows: 24 });
    const f = await app.waitFor(/Top (\d+) movies by bias/);
    const n = Number(/Top (\d+) movies/.exec(f)![1]);
    await app.press('+');
    await app.waitFor(`${n} rows fit at this terminal size (100+ columns: side by side, more rows)`);
    expect(app.frame()).toContain(`Top ${n} movies by bias`);
  });

  it('has an empty state', async () => {
    app = await renderApp({ pane: 'bias' });
    await app.waitFor('No model yet');
  });
});

describe('Rate pane, watch together', () => {
  it('w asks for profiles, then shows average taste and least misery side by side with each person\'s stars; Esc goes back', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'rate', columns: 100, rows: 30 });
    await app.waitFor('find:');
    await app.press(KEYS.escape, KEYS.down);
    await app.press('w');
    await app.waitFor('watch together with (profiles, a, b):');
    await app.type('kim, sam');
    await app.press(KEYS.enter);
    const f = await app.waitFor('Least misery (lowest ★)');
    expect(f).toContain('Average taste (mean ★)');
    expect(f).toMatch(/all\s+you\s+kim\s+sam\s+all\s+you\s+kim\s+sam/);
    await app.press(KEYS.escape);
    await app.press(KEYS.escape);
    await app.waitFor((x) => !x.includes('watch together with'));
  });
});

describe('Map pane', () => {
  it('plots PCA, moves the cursor with its neighbours, switches to UMAP, takes typed axes and an isolate, cycles colour, zooms', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'pca' });
    const f = await app.waitFor('PC2 (20.0%)');
    expect(f).toContain('→ PC1 (30.0%)');
    expect(f).toMatch(/◉ Star Wars \(1977\) · keeps \d+\/\d+ of its nearest · 583 ratings/);
    await app.waitFor(/nearest \(° not near on the map\): \S.* 0\.80/);
    await app.press(KEYS.right);
    await app.waitFor((x) => !/◉ Star Wars \(1977\) ·/.test(x));
    await app.press('m');
    await app.waitFor('↑ UMAP 2');
    expect(services.mapRequests.at(-1)?.method).toBe('umap');
    await app.press('x');
    await app.waitFor('x axis (A..B):');
    // typed letters go to the field, not to the global keys (5 would switch panes)
    await app.type('Romance..Sci-Fi 5');
    await app.waitFor('x axis (A..B): Romance..Sci-Fi 5');
    await app.press(KEYS.enter);
    await app.waitFor('→ Romance → Sci-Fi 5');
    expect(services.mapRequests.at(-1)).toMatchObject({ x: 'Romance..Sci-Fi 5' });
    await app.press('i');
    await app.type('sci-fi');
    await app.press(KEYS.enter);
    await app.waitFor('only genre sci-fi: 6 of 6');
    await app.press('c');
    await app.waitFor('year: ');
    await app.press('+');
    await app.waitFor('zoom ×2');
    await app.press('0');
    await app.waitFor('zoom ×1');
  });

  it('marks you and your picks once you have rated', async () => {
    const services = new FakeServices().withModel();
    services.profile.ratings = [{ index: 0, rating: 5 }];
    app = await renderApp({ services, pane: 'pca' });
    await app.waitFor('★ you ♦ picks');
  });

  it('has an empty state', async () => {
    app = await renderApp({ pane: 'pca' });
    await app.waitFor('No model yet');
  });
});

describe('Snapshots pane', () => {
  it('is empty at first, saves the current model with s, loads with Enter, deletes with d after asking', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'snapshots' });
    await app.waitFor('No snapshots yet');
    await app.press('s');
    await app.waitFor('save snapshot as: dotbias-50f-2ep');
    await app.press(KEYS.backspace, KEYS.backspace, KEYS.backspace);
    await app.type('x/y');
    await app.waitFor('save snapshot as: dotbias-50f-x'); // '/' is not accepted in a name
    await app.press(KEYS.enter);
    const listed = await app.waitFor(/\*dotbias-50f-xy\s+dotbias\s+50f\s+2\s+0\.9300\s+random\s+fake-20/);
    expect(listed).toMatch(/name\s+model\s+size\s+ep\s+valid rmse\s+split\s+dataset/);
    // load it back (after the model in memory changes)
    services.withModel('dot');
    await app.press(KEYS.enter);
    // the model in memory is unsaved: loading asks first, and "n" keeps it
    await app.waitFor('The current model is not saved. Load "dotbias-50f-xy" and lose it? [y/n]');
    await app.press('n');
    await app.waitFor((x) => !x.includes('and lose it?'));
    expect(services.model?.kind).toBe('dot');
    await app.press(KEYS.enter);
    await app.waitFor('and lose it?');
    await app.press('y');
    await app.waitFor('loaded snapshot "dotbias-50f-xy"');
    expect(services.model?.kind).toBe('dotbias');
    await app.press('d');
    await app.waitFor('Delete snapshot "dotbias-50f-xy"? This cannot be undone. [y/n]');
    await app.press('n');
    await app.waitFor((x) => !x.includes('Delete snapshot'));
    await app.press('d');
    await app.waitFor('Delete snapshot');
    await app.press('y');
    await app.waitFor('No snapshots yet');
    await app.waitFor('(unsaved)');
  });

  it('loading redraws the training chart from the snapshot', async () => {
    const services = new FakeServices().withModel();
    await services.saveSnapshot('old', { force: false });
    services.model = null;
    app = await renderApp({ services, pane: 'snapshots' });
    await app.waitFor(/old\s+dotbias/);
    await app.press(KEYS.enter);
    await app.waitFor('snapshot old');
    await app.press(KEYS.shiftTab, KEYS.shiftTab, KEYS.shiftTab, KEYS.shiftTab, KEYS.shiftTab);
    const f = await app.waitFor('Loaded model · 2 epochs');
    expect(f).toContain('train loss (smoothed)');
    expect(f).toMatch(/1\s+0\.900000\s+0\.880000\s+0\.9300/);
  });

  it('says there is no model to save', async () => {
    app = await renderApp({ pane: 'snapshots' });
    await app.waitFor('No snapshots yet');
    await app.press('s');
    await app.waitFor('no model to save: train one first (1)');
  });
});

describe('Data pane', () => {
  it('shows the summary, the histogram and the crosstab with a movable column', async () => {
    app = await renderApp({ pane: 'data' });
    const f = await app.waitFor('column 1: Star Wars (1977) (583 ratings)');
    expect(f).toContain('8,169 ratings');
    expect(f).toContain('943 users · 20 movies');
    expect(f).toContain('ratings histogram');
    expect(f).toMatch(/user\s+1\s+2\s+3/);
    expect(f).toMatch(/400\s+·/);
    await app.press(KEYS.right);
    await app.waitFor('column 2: Contact (1997)');
  });
});
