/** The taste questionnaire in the Rate pane: answers before any rating shape the list; ratings then refine it from there. */
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FakeServices } from './fakeServices.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

describe('Rate pane: the questionnaire', () => {
  it('answers before any rating start the list; a rating refines it; the answers stay', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'rate', columns: 100, rows: 30 });
    await app.waitFor('Your taste — before any rating');
    expect(app.frame()).toMatch(/·Action\s+·Sci-Fi/);
    // ↓ from the empty search box into the questions; → to Sci-Fi, + likes it; Horror − dislikes
    await app.press(KEYS.down, KEYS.right, '+');
    await app.waitFor('+Sci-Fi');
    await app.waitFor(() => services.answersCalls.length > 0);
    expect(services.answersCalls.at(-1)!.slice(0, 2)).toEqual(['neutral', 'like']);
    await app.waitFor('(from your answers: rate to refine)');
    let f = app.frame();
    // the liked genre's films lead the list
    expect(f).toMatch(/1\. (Star Wars|Return of the Jedi|Empire|Twelve Monkeys|Contact|Independence)/);
    await app.press(KEYS.right, KEYS.right, KEYS.right, '-');
    await app.waitFor('−Horror');
    expect(services.answersCalls.at(-1)![4]).toBe('dislike');
    // s ranks the answers' list by stars instead of pick × like, and back
    expect(services.answersRankings.at(-1)).toBe('pick-like');
    await app.press(KEYS.enter);
    await app.press('s');
    await app.waitFor(() => services.answersRankings.at(-1) === 'stars');
    await app.press('s');
    await app.waitFor(() => services.answersRankings.at(-1) === 'pick-like');
    // back to the search box, rate a movie: the answers stay the starting point
    await app.press('/');
    await app.type('fargo');
    await app.press(KEYS.down, KEYS.enter);
    await app.waitFor('rate Fargo');
    await app.press('4');
    f = await app.waitFor('Your ratings (1)');
    await app.waitFor('your taste: likes Sci-Fi; dislikes Horror (t)');
    await app.waitFor(() => services.recommendCalls.at(-1)?.length === 1);
    expect(services.answersCalls.at(-1)![1]).toBe('like');
    // t opens the questions again; space clears an answer
    await app.press('t');
    await app.waitFor('(+ like, − dislike');
    await app.press(' ');
    await app.waitFor('·Horror');
  });

  it('without answers the list is the plain one', async () => {
    const services = new FakeServices().withModel();
    app = await renderApp({ services, pane: 'rate' });
    await app.waitFor("(the average taste's picks: rate some)");
    expect(services.answersCalls).toEqual([]);
  });
});

describe('Rate pane: while the questions load', () => {
  it('asks for the recommendations once, not on every render (a questionnaire slow to arrive, as on large data)', async () => {
    const services = new FakeServices().withModel();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const questionnaire = services.questionnaire.bind(services);
    services.questionnaire = async () => {
      await gate;
      return questionnaire();
    };
    app = await renderApp({ services, pane: 'rate' });
    await app.waitFor("(the average taste's picks: rate some)");
    await new Promise((r) => setTimeout(r, 300));
    // one list for the empty profile (a render loop asked thousands of times in this wait)
    expect(services.recommendCalls.length).toBeLessThanOrEqual(2);
    release();
    await app.waitFor('Your taste — before any rating');
    expect(services.recommendCalls.length).toBeLessThanOrEqual(3);
  });
});
