/**
 * The terminal is clean after any resize: the app runs from a shell in tmux, the window is resized
 * while it runs, and after it quits (q, or Ctrl+C while training) nothing of its frame is left on the
 * main screen or in the scrollback above the prompt. Before the fix, growing 80×24 → 120×40 and
 * quitting left "solver sgd" above the prompt.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDataDir } from '../helpers/data.js';
import { startApp, type TmuxApp } from './tmux.js';

const running: TmuxApp[] = [];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'factorlens-clean-'));
afterAll(() => {
  for (const app of running) app.kill();
  rmSync(scratch, { recursive: true, force: true });
});

/** Words only the app's frame has: any of them above or below the prompt means the frame leaked. */
const FRAME_WORDS = /solver\s+sgd|batch size|1 Train|Snapshots|train \(smoothed\)|epoch\s+train_loss|enlarge the terminal|┤/;

function launch(name: string): TmuxApp {
  const home = path.join(scratch, name);
  const app = startApp({
    dataDir: testDataDir(),
    snapshotsDir: path.join(home, 'snapshots'),
    columns: 80,
    rows: 24,
    shell: true,
    env: { XDG_STATE_HOME: path.join(home, 'state'), XDG_DATA_HOME: path.join(home, 'data') },
  });
  running.push(app);
  return app;
}

describe('the terminal after the app', () => {
  it('grow 80×24 → 120×40, then q: the scrollback and the screen hold only the shell', async () => {
    const app = launch('grow');
    await app.waitFor(/solver\s+sgd/, 60_000);
    await app.waitFor(/ml-100k \(100,000\)/, 60_000); // the status bar (the typed command line has "ml-100k" too)
    app.resize(120, 40);
    await app.waitFor(/\? help/); // the wide header: the app redrew at 120 columns
    app.send('q', { literal: true });
    await app.waitFor(/\[exit 0\]/, 30_000);
    const all = app.captureAll();
    expect(all).not.toMatch(FRAME_WORDS);
  });

  it('a 60×20 resize during training, then Ctrl+C twice: nothing of the chart is left', async () => {
    const app = launch('shrink');
    await app.waitFor(/ml-100k \(100,000\)/, 60_000); // the status bar (the typed command line has "ml-100k" too)
    // a run long enough to still be going: 30 epochs at the default batch size (it asks first: yes)
    app.send('Down');
    await app.waitFor(/› factors/);
    app.send('Down');
    await app.waitFor(/› epochs/);
    app.send('30', { literal: true });
    await app.waitFor(/epochs\s+30/);
    app.send('Enter');
    await app.waitFor(/epoch \d+\/30|training \d+%/, 60_000);
    app.resize(60, 20);
    await app.waitFor(/enlarge the terminal to 80×24 \(now 60×20\)/);
    app.send('C-c');
    await app.waitFor(/Quit\?\s+\[y\/n\]/); // the question shows even while the terminal is too small
    app.send('C-c'); // a second Ctrl+C means yes
    await app.waitFor(/\[exit 0\]/, 30_000);
    const all = app.captureAll();
    expect(all).not.toMatch(FRAME_WORDS);
  });
});
