/**
 * At 80×24 every text fits, wraps or scrolls: a tour of the panes in the states a person meets, and in
 * none of them does a line end in the '…' of a cut (Ink's truncate-end, or ours). The explanations
 * under the tabs end their sentence (a third line would be cut off by the two-line box).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FakeServices } from './fakeServices.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

function cutLines(frame: string): string[] {
  return frame.split('\n').filter((l) => /…\s*$/.test(l));
}

function expectWhole(frame: string, where: string) {
  expect(cutLines(frame), `${where}:\n${frame}`).toEqual([]);
  const explain = frame.split('\n').slice(1, 3).join(' ').trim();
  if (!/Keys — Esc/.test(frame)) expect(explain, `${where}: the explanation ends its sentence`).toMatch(/[.)]$/);
}

describe('at 80×24 nothing is cut mid-word', () => {
  it('Train: idle, a finished run with its save offer, lr-find, the wd 0 comparison, an edit with an error', async () => {
    const services = new FakeServices({ autoTrain: true });
    app = await renderApp({ services, columns: 80, rows: 24 });
    for (let i = 0; i < 16; i++) {
      expectWhole(await app.waitFor('fake-20'), `Train idle, field ${i}`);
      await app.press(KEYS.down); // every field's help
    }
    await app.press(KEYS.enter);
    expectWhole(await app.waitFor('save snapshot as:'), 'Train after a run');
    await app.press(KEYS.escape);
    await app.waitFor((f) => !f.includes('save snapshot as:'));
    await app.press('f');
    expectWhole(await app.waitFor('note: measured on ML-100K'), 'lr-find');
    await app.press(KEYS.escape, 'w');
    await app.waitFor('replace it?');
    await app.press('y');
    expectWhole(await app.waitFor('valid loss per epoch'), 'wd 0 comparison');
  });

  it('Rate: results, the prompt, recommendations with their reason, the full explanation, the clear question', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, columns: 80, rows: 24, pane: 'rate' });
    expectWhole(await app.waitFor('rate some'), 'Rate empty');
    await app.type('star wars');
    await app.press(KEYS.down, KEYS.enter);
    expectWhole(await app.waitFor('press 1–5 to rate'), 'Rate prompt');
    await app.press('5');
    await app.press(KEYS.right);
    expectWhole(await app.waitFor('because you rated'), 'Rate because');
    await app.press('e');
    expectWhole(await app.waitFor('Why '), 'Rate why');
    await app.press('c');
    expectWhole(await app.waitFor('Clear all'), 'Rate clear question');
  });

  it('Search, the card, Bias, one-hot, PCA, Snapshots and their comparison, Data, help', async () => {
    const services = new FakeServices().withModel().withTunedSnapshots();
    app = await renderApp({ services, columns: 80, rows: 24, pane: 'search' });
    await app.type('godfather');
    expectWhole(await app.waitFor('match'), 'Search');
    await app.press(KEYS.enter);
    expectWhole(await app.waitFor('Most similar'), 'card');
    await app.press(KEYS.escape, '4');
    expectWhole(await app.waitFor('movies by bias'), 'Bias');
    await app.press('o');
    expectWhole(await app.waitFor('Netflix Prize'), 'one-hot');
    await app.press(KEYS.escape, '5');
    expectWhole(await app.waitFor('→ PC1'), 'PCA');
    await app.press('6');
    expectWhole(await app.waitFor('Snapshots (5)'), 'Snapshots');
    await app.press(' ', KEYS.down, ' ', KEYS.down, ' ', 'c');
    expectWhole(await app.waitFor('valid loss per epoch'), 'compare');
    await app.press(KEYS.escape, '7');
    expectWhole(await app.waitFor('ratings histogram'), 'Data');
    await app.press(KEYS.escape, '8');
    expectWhole(await app.waitFor('r runs the leaderboard'), 'Board');
    await app.press('9');
    expectWhole(await app.waitFor('rounds'), 'Loop');
    await app.press('?');
    expectWhole(await app.waitFor('Keys — Esc'), 'help');
  });
});
