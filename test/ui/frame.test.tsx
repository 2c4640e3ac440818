import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, KEYS, type RenderedApp } from './renderApp.js';
import { FakeServices } from './fakeServices.js';
import { HELP } from '../../src/ui/components/HelpOverlay.js';

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

const lines = (f: string) => f.split('\n');

describe('the frame', () => {
  it('shows tabs with hotkeys, the status bar and the Train pane first', async () => {
    app = await renderApp();
    const f = await app.waitFor('fake-20');
    expect(lines(f)[0]).toMatch(/1 Train\s+2 Rate\s+3 Search\s+4 Bias\s+5 Map\s+6 Snapshots\s+7 Data/);
    expect(f).toMatch(/data fake-20 \(8,169\) │ model no model │ idle │ snapshot — │ backend —/);
    expect(f).toContain('batch size');
  });

  it('is never taller than the terminal minus one line, at 80×24 and at 160×50', async () => {
    app = await renderApp({ services: new FakeServices().withModel(), columns: 80, rows: 24 });
    for (const pane of ['1', '2', '3', '4', '5', '6', '7']) {
      await app.press(KEYS.escape);
      if (pane === '2' || pane === '3') continue; // text panes keep digits; reached below with Tab
      await app.press(pane);
      const f = await app.waitFor((x) => x.includes("│ idle │"));
      expect(lines(f).length).toBeLessThanOrEqual(23);
      for (const l of lines(f)) expect([...l].length).toBeLessThanOrEqual(80);
    }
    app.resize(160, 50);
    const big = await app.waitFor((x) => lines(x).length > 30);
    expect(lines(big).length).toBeLessThanOrEqual(49);
  });

  it('switches panes with Tab, Shift-Tab and digits (not while typing)', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.tab);
    await app.waitFor('find:');
    await app.press('3'); // the Rate search box has the keys: 3 is typed, not a pane switch
    expect(app.frame()).toContain('find: 3');
    await app.press(KEYS.tab);
    await app.waitFor('search:');
    await app.press(KEYS.shiftTab, KEYS.shiftTab);
    await app.waitFor('batch size');
    await app.press(KEYS.up); // Train: focus the last field (backend), a choice: digits switch panes
    await app.press('4');
    await app.waitFor('No model yet');
    await app.press('7');
    await app.waitFor('crosstab');
  });

  it('opens and closes the help overlay', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press('?');
    const f = await app.waitFor('Keys — Esc or ? closes');
    expect(f).toContain('field · cycle a choice, preset');
    await app.press(KEYS.escape);
    await app.waitFor((x) => !x.includes('Keys — Esc') && x.includes('batch size'));
  });

  it('asks for 80×24 when smaller, and comes back when enlarged', async () => {
    app = await renderApp({ columns: 70, rows: 20 });
    await app.waitFor('enlarge the terminal to 80×24 (now 70×20)');
    expect(lines(app.frame()).length).toBe(1);
    app.resize(100, 30);
    await app.waitFor('batch size');
  });

  it('loses nothing while too small: what was typed and chosen is there when the terminal grows back', async () => {
    app = await renderApp({ pane: 'rate', columns: 100, rows: 30 });
    await app.type('zzzz');
    await app.waitFor('No titles match "zzzz".');
    app.resize(70, 20);
    await app.waitFor('enlarge the terminal to 80×24 (now 70×20)');
    await app.type('x'); // typed keys go nowhere meanwhile (only q, which quits)
    app.resize(100, 30);
    await app.waitFor('No titles match "zzzz".');
  });

  it('the help at 80×24 shows every key with its whole description', async () => {
    app = await renderApp({ columns: 80, rows: 24 });
    await app.waitFor('batch size');
    await app.press('?');
    const f = await app.waitFor('Keys — Esc or ? closes');
    for (const g of HELP) {
      expect(f).toContain(g.title);
      for (const [k, what, short] of g.keys) {
        expect(short.length).toBeLessThanOrEqual(21);
        expect(f.includes(`${k.padEnd(15)} ${what}`) || f.includes(`${k.padEnd(15)} ${short}`), `${k}: ${short}`).toBe(true);
      }
    }
  });

  it('quits at once with nothing to lose', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press('q');
    await app.waitForExit();
  });

  it('quits without asking when the unsaved model is kept for the next launch', async () => {
    app = await renderApp({ services: new FakeServices({ autoTrain: true }) });
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('save snapshot as:');
    await app.press(KEYS.escape);
    await app.waitFor((f) => !f.includes('save snapshot as:'));
    await app.press('q');
    await app.waitForExit();
  });

  it('asks before quitting when the trained model is unsaved and could not be kept; n keeps the app', async () => {
    app = await renderApp({ services: new FakeServices({ autoTrain: true, keep: false }) });
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('save snapshot as:');
    await app.press(KEYS.escape);
    await app.waitFor((f) => !f.includes('save snapshot as:'));
    await app.press('q');
    await app.waitFor('The trained model is not saved');
    await app.press('n');
    await app.waitFor((f) => f.includes('(unsaved)') && !f.includes('Quit and lose'));
    await app.press('q');
    await app.waitFor('Quit and lose it?');
    await app.press('y');
    await app.waitForExit();
  });

  it('while too small, a quit question shows (not hidden behind the "enlarge" line), and two Ctrl+C read at once quit', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('training (starting)');
    app.resize(60, 20);
    await app.waitFor('enlarge the terminal to 80×24 (now 60×20)');
    await app.press(KEYS.ctrlC);
    await app.waitFor(/A model is training; quitting stops it and loses it. Quit\?\s+\[y\/n\]/);
    await app.press('n');
    await app.waitFor((f) => !f.includes('Quit?'));
    await app.press(KEYS.ctrlC + KEYS.ctrlC); // one read, as when pressed quickly
    await app.waitForExit();
  });

  it('Ctrl+C asks while training', async () => {
    app = await renderApp();
    await app.waitFor('fake-20');
    await app.press(KEYS.enter);
    await app.waitFor('waiting for the first batches');
    await app.press(KEYS.ctrlC);
    await app.waitFor('A model is training');
  });

  it('offers the download when there is no dataset', async () => {
    app = await renderApp({ services: new FakeServices({ dataset: 'missing' }) });
    await app.waitFor('No MovieLens data found');
    expect(app.frame()).toContain('/tmp/factorlens-cache');
    await app.press(KEYS.enter);
    await app.waitFor('fake-20 (8,169)');
  });

  it('a --data / FACTORLENS_DATA that does not exist: the message, and what to do instead', async () => {
    const services = new FakeServices();
    services.datasetStatus = async () => {
      throw new Error('FACTORLENS_DATA /tmp/nowhere: no such file or directory');
    };
    app = await renderApp({ services, pane: 'data' });
    const f = await app.waitFor('FACTORLENS_DATA /tmp/nowhere: no such file or directory');
    expect(f).toContain('it needs a ratings dataset first');
    expect(f).toMatch(/leave both unset, and\s+the app offers to download/);
  });
});
