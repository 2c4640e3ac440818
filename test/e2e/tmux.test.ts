/**
 * Issue #6's end-to-end scenario in a real terminal (tmux, 100×30) on real ML-100K: train, watch the
 * chart and the epoch table, rate Star Wars, get recommendations, save, restart, load, same list.
 * Needs the built app (`npm test` builds first) and tmux (.ci/run installs it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testDataDir } from '../helpers/data.js';
import { startApp, tempSnapshotsDir, tmuxAvailable, type TmuxApp } from './tmux.js';

const running: TmuxApp[] = [];
const snapshots = tempSnapshotsDir();
afterAll(() => {
  for (const app of running) app.kill();
  snapshots.remove();
  state.remove();
});

// one state folder for both launches: the restart finds the profile the first one wrote
const state = tempSnapshotsDir();

function launch(): TmuxApp {
  const app = startApp({ dataDir: testDataDir(), snapshotsDir: snapshots.dir, columns: 100, rows: 30, env: { XDG_STATE_HOME: state.dir } });
  running.push(app);
  return app;
}

// the list's head while it is being computed carries a spinner frame: a settled list has none
const SETTLED = /Recommended for you · (?:pick × like|by stars)(?! [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏])[\s\S]*\s1\. \S/;

/** What `factorlens recommend` makes of the saved snapshot and one rating: the list both launches must show. */
async function cliRecommendations(snapshot: string, rate: string, top: number): Promise<string[]> {
  const args = [path.resolve('dist/app/factorlens.js'), 'recommend', '--data', testDataDir(), '--snapshots', snapshots.dir, '--snapshot', snapshot, '--rate', rate, '--top', String(top), '--json'];
  const { stdout } = await promisify(execFile)(process.execPath, args, { env: { ...process.env, XDG_STATE_HOME: state.dir } });
  const out = JSON.parse(stdout) as { recommendations: { title: string; predicted: number }[] };
  return out.recommendations.map((r) => line(r.title, r.predicted.toFixed(2)));
}

/** A list entry as compared: the title's first 24 characters (the pane truncates long ones with …) and the stars. */
function line(title: string, stars: string): string {
  return `${title.slice(0, 24)} ${stars}`;
}

/** The recommendation lines of the Rate pane ("  1. Title   4.62"), in order. */
function recommendations(screen: string): string[] {
  return [...screen.matchAll(/\s(\d{1,2})\. (.+?)\s+(\d\.\d\d)(?: \?)?\s*$/gm)].map((m) => line(m[2].trim(), m[3]));
}

describe('the app in a real terminal', () => {
  it('is built and tmux is there', () => {
    expect(existsSync('dist/app/factorlens.js'), 'run `npm run build` first').toBe(true);
    expect(tmuxAvailable(), 'tmux is missing: apt-get install -y tmux').toBe(true);
  });

  it('trains, recommends after a rating, saves, and gives the same recommendations after a restart', async () => {
    const app = launch();
    // first full frame on the alternate screen, dataset loaded
    await app.waitFor(/1 Train.*7 Data/, 30_000);
    await app.waitFor(/ml-100k/, 20_000);

    // a quick model: 2 epochs at a large batch size
    app.send('Down'); // factors
    app.send('Down'); // epochs
    app.send('2', { literal: true });
    for (let i = 0; i < 3; i++) app.send('Down'); // lr, wd, batch size
    app.send('1024', { literal: true });
    await app.waitFor(/batch size\s+1024/);
    app.send('Enter'); // applies the edit and starts
    await app.waitFor(/train loss \(smoothed\)/, 30_000);
    const done = await app.waitFor(/Done in .* valid RMSE \d\.\d{4}/, 120_000);
    expect(done).toMatch(/epoch\s+train_loss\s+valid_loss\s+rmse\s+mae\s+time/);
    expect(done).toMatch(/^\s*1\s+\d\.\d{6}\s+\d\.\d{6}\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\d:\d\d/m);

    // the save offer comes up; give it a name
    await app.waitFor(/save snapshot as:/);
    app.send('C-u');
    app.send('e2e-quick', { literal: true });
    app.send('Enter');
    await app.waitFor(/snapshot e2e-quick/, 20_000);

    // Rate: search, rate Star Wars 5, recommendations follow
    app.send('Tab');
    await app.waitFor(/find:/);
    app.send('star wars', { literal: true });
    await app.waitFor(/Star Wars \(1977\)/);
    app.send('Down');
    await app.waitFor(/› Star Wars \(1977\)/);
    app.send('Enter'); // rate it: the prompt takes the stars
    await app.waitFor(/press 1–5 to rate/);
    app.send('5', { literal: true });
    await app.waitFor(/Your ratings \(1\)/);
    const rated = await app.waitForStable(SETTLED, 20_000);
    const before = recommendations(rated);
    expect(before.length).toBeGreaterThanOrEqual(5);
    // the saved snapshot, read by the CLI, gives the same list: what was saved is the model in use
    const saved = await cliRecommendations('e2e-quick', 'Star Wars (1977)=5', before.length);
    expect(before, `the app's list before the quit differs from the saved snapshot's; screen:\n${rated}`).toEqual(saved);

    // quit (the model is saved, so no question) and start again
    app.send('q', { literal: true }); // the results list has the keys: q is not typed, it quits
    await app.waitFor(/\[exit 0\]/, 30_000);
    app.kill();

    const again = launch();
    await again.waitFor(/ml-100k/, 20_000);
    again.send('6', { literal: true });
    await again.waitFor(/e2e-quick/, 30_000);
    again.send('Enter');
    await again.waitFor(/snapshot e2e-quick/, 20_000);
    again.send('2', { literal: true });
    await again.waitFor(/find:/);
    // the profile kept the rating: it is back without rating again
    await again.waitFor(/Your ratings \(1\)/);
    const reloaded = await again.waitForStable(SETTLED, 20_000);
    const after = recommendations(reloaded);
    expect(after, `the app's list after the restart differs from the saved snapshot's; screen:\n${reloaded}`).toEqual(saved);
    expect(after).toEqual(before);
  }, 300_000);
});
