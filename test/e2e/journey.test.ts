/**
 * A person's whole journey in a real terminal, at 80×24 and at 120×40, on real ML-100K: train → rate
 * five movies → switch panes by number from Rate → search and open a card → bias → PCA → save → quit
 * → relaunch (the same model and ratings are back) → load another snapshot (the form shows its
 * hyperparameters). Every step waits for what the screen must show (never a fixed sleep), with room
 * for a loaded machine. Needs the built app and tmux.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDataDir } from '../helpers/data.js';
import { startApp, type TmuxApp } from './tmux.js';

const running: TmuxApp[] = [];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'factorlens-journey-'));
const prepared = path.join(scratch, 'prepared');

afterAll(() => {
  for (const app of running) app.kill();
  rmSync(scratch, { recursive: true, force: true });
});

// "another snapshot" for the end of the journey: the best preset on u1, shortened so it trains fast
beforeAll(() => {
  const r = spawnSync(process.execPath, ['dist/app/factorlens.js', 'train', '--preset', 'best', '--split', 'u1', '--epochs', '2', '--bs', '1024', '--save', 'tuned'], {
    encoding: 'utf8',
    env: { ...process.env, FACTORLENS_DATA: testDataDir(), FACTORLENS_SNAPSHOTS: prepared, NO_COLOR: '1' },
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
}, 180_000);

/** The tmux key names the app sees as keys; anything else is typed literally. */
const NAMED = new Set(['Enter', 'Escape', 'Tab', 'BTab', 'Down', 'Up', 'Left', 'Right', 'C-u', 'C-c']);

function journeyAt(columns: number, rows: number) {
  const home = path.join(scratch, `${columns}x${rows}`);
  const snapshotsDir = path.join(home, 'snapshots');
  cpSync(prepared, snapshotsDir, { recursive: true });
  const env = { XDG_STATE_HOME: path.join(home, 'state'), XDG_DATA_HOME: path.join(home, 'data') };
  const launch = () => {
    const app = startApp({ dataDir: testDataDir(), snapshotsDir, columns, rows, env });
    running.push(app);
    return app;
  };
  /** Sends one key (or a literal text), then waits for the screen to show `then`. */
  const step = async (app: TmuxApp, key: string, then: RegExp, timeoutMs = 30_000) => {
    app.send(key, { literal: !NAMED.has(key) });
    return app.waitFor(then, timeoutMs);
  };
  return { launch, step };
}

for (const [columns, rows] of [
  [80, 24],
  [120, 40],
] as const) {
  describe(`the journey at ${columns}×${rows}`, () => {
    it('train, rate five, panes by number, search and card, bias, PCA, save, quit, relaunch, load another', async () => {
      const { launch, step } = journeyAt(columns, rows);
      const app = launch();
      await app.waitFor(/1 Train.*7 Data/, 60_000);
      await app.waitFor(/ml-100k \(100,000\)/, 60_000);

      // train a quick model: epochs 2, batch size 1024 (one Enter applies the typed value and trains)
      await step(app, 'Down', /› factors/);
      await step(app, 'Down', /› epochs/);
      await step(app, '2', /epochs\s+2\b/);
      await step(app, 'Down', /› lr/);
      await step(app, 'Down', /› wd/);
      await step(app, 'Down', /› batch size/);
      await step(app, '1024', /batch size\s+1024/);
      app.send('Enter');
      const done = await app.waitFor(/Done in .*valid RMSE \d\.\d{4}/, 180_000);
      expect(done).toMatch(/epoch\s+train_loss\s+valid_loss/);
      await app.waitFor(/save snapshot as: dotbias-50f-2ep/);
      app.send('Escape');
      await app.waitForGone(/save snapshot as:/);
      expect(app.capture()).toMatch(/dotbias 50f 2ep wd 0\.1 \(unsaved\)/);

      // Rate five movies: type, ↓, Enter, stars
      await step(app, 'Tab', /find:/);
      const rate = async (query: string, title: RegExp, stars: string, count: number) => {
        await step(app, query, title);
        await step(app, 'Down', new RegExp(`› ${title.source}`));
        await step(app, 'Enter', /press 1–5 to rate/);
        await step(app, stars, new RegExp(`Your ratings \\(${count}\\)`));
        if (count < 5) await step(app, '/', /find:\s*(type a title|$)/m);
      };
      await rate('star wars', /Star Wars \(1977\)/, '5', 1);
      await rate('fargo', /Fargo \(1996\)/, '4', 2);
      await rate('toy story', /Toy Story \(1995\)/, '3', 3);
      await rate('titanic', /Titanic \(1997\)/, '2', 4);
      await rate('godfather', /Godfather, The \(1972\)/, '5', 5);
      const rated = await app.waitFor(/Your ratings \(5\) · profile default/);
      expect(rated).toContain('★★★★★ Star Wars (1977)');
      expect(rated).toContain('★★☆☆☆ Titanic (1997)');

      // switch panes by number from Rate: 3 is Search, not "rate it 3"
      const search = await step(app, '3', /search:/);
      expect(search).not.toContain('Your ratings');
      await step(app, 'empire', /Empire Strikes Back, The \(1980\)/);
      const card = await step(app, 'Enter', /Most similar \(cosine of the movie factors\)/);
      expect(card).toMatch(/year 1980/);
      // back to the list, then panes by number again
      await step(app, 'Escape', /› Empire Strikes Back/);
      await step(app, '4', /Top \d+ movies by bias/);
      const pca = await step(app, '5', /→ PC1\s+− \S/, 60_000);
      expect(pca).toMatch(/↑ PC2\s+− \S/);
      expect(pca).toMatch(/◉ \S/);

      // save, then quit: nothing to ask, the model is saved
      await step(app, '6', /Snapshots \(\d+\)/);
      await step(app, 's', /save snapshot as: dotbias-50f-2ep/);
      await step(app, 'C-u', /save snapshot as:\s*$/m);
      await step(app, 'journey', /save snapshot as: journey/);
      await step(app, 'Enter', /saved snapshot "journey"|snapshot journey/);
      app.send('q', { literal: true });
      await app.waitFor(/\[exit 0\]/, 30_000);
      app.kill();

      // relaunch: the same model (its snapshot) and the five ratings are back
      const again = launch();
      const back = await again.waitFor(/reopened snapshot "journey" · 5 ratings \(profile default\)|snapshot journey/, 60_000);
      await again.waitFor(/dotbias 50f 2ep wd 0\.1/, 30_000);
      expect(back).not.toMatch(/no model/);
      const ratings = await step(again, '2', /Your ratings \(5\) · profile default/);
      for (const t of ['Star Wars (1977)', 'Fargo (1996)', 'Toy Story (1995)', 'Titanic (1997)', 'Godfather, The (1972)']) expect(ratings).toContain(t);
      expect(ratings).toContain('★★★☆☆ Toy Story (1995)');

      // load another snapshot: the form shows its hyperparameters
      await step(again, 'Escape', /› ?1\. \S/); // Esc in the empty search box moves to the recommendations: digits switch panes there
      await step(again, '6', /tuned/);
      await step(again, 'Down', /› *tuned/);
      await step(again, 'Enter', /loaded snapshot "tuned"/);
      const form = await step(again, '1', /lr\s+0\.004\s/);
      expect(form).toMatch(/wd\s+0\.12\s/);
      expect(form).toMatch(/split\s+u1\s/);
      expect(form).toMatch(/epochs\s+2\s/);
      expect(form).toMatch(/batch size\s+1024/);
      again.send('q', { literal: true });
      await again.waitFor(/\[exit 0\]/, 30_000);
    }, 480_000);
  });
}
