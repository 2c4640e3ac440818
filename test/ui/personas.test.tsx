/**
 * The personas in the app: a fan's ratings in their profile, the Rate pane's list — the same ten films,
 * in the same order, as `factorlens recommend` gives for those ratings — with ≥ 7 of them in the
 * persona's genres, none twice, none rated.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, makeSplit, ProfileStore } from '../../src/data/index.js';
import type { Dataset } from '../../src/data/types.js';
import { pickModelFor } from '../../src/model/interpret/pickAndLike.js';
import { Session } from '../../src/model/runtime/session.js';
import { saveSnapshot } from '../../src/model/snapshot/index.js';
import { trainModel } from '../../src/model/train/train.js';
import { testDataDir } from '../helpers/data.js';
import { PERSONAS, personaVerdict } from '../helpers/personas.js';
import type { FakeServices } from './fakeServices.js';
import { renderApp } from './renderApp.js';

let tmp: string;
let ds: Dataset;
const snaps = () => path.join(tmp, 'snapshots');
const state = () => path.join(tmp, 'xdg', 'factorlens');

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'factorlens-personas-'));
  ds = await loadDataset(testDataDir());
  const split = makeSplit(ds, 'random', { validPct: 0.2, seed: 42 });
  const run = await trainModel(ds, split, {});
  await saveSnapshot('recipe', { ...run, pick: pickModelFor(ds, split) }, { dir: snaps() });
  const store = new ProfileStore(state());
  for (const [k, p] of PERSONAS.entries()) {
    const ratings = p.ratings.map(([title, rating]) => ({ item: ds.itemIds[ds.titles.indexOf(title)], title, rating }));
    await store.write({ name: `persona${k}`, ratings, model: { snapshot: 'recipe' }, dataset: { name: ds.name, hash: ds.hash }, updatedAt: null });
  }
}, 180_000);

afterAll(() => rm(tmp, { recursive: true, force: true }));

/** The CLI's list for a profile's ratings (pick × like, as the app shows it). */
function cliList(profile: string): { title: string; genres: string[] }[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'recommend', '--snapshot', 'recipe', '--profile', profile, '--top', '10', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, FACTORLENS_DATA: testDataDir(), FACTORLENS_SNAPSHOTS: snaps(), XDG_STATE_HOME: path.join(tmp, 'xdg'), NO_COLOR: '1' },
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { recommendations: { title: string; genres: string[] }[] }).recommendations;
}

describe('personas in the Rate pane', () => {
  it.each(PERSONAS.map((p, k) => [p.name, k] as const))('%s: the pane lists what the CLI lists, and a fan recognises it', async (_, k) => {
    const p = PERSONAS[k];
    const services = new Session({ dataDir: testDataDir(), snapshotsDir: snaps(), stateDir: state(), profile: `persona${k}` });
    const app = await renderApp({ services: services as unknown as FakeServices, columns: 120, rows: 40, pane: 'rate' });
    try {
      const frame = await app.waitFor(/Recommended for you · pick × like[\s\S]*\s10\. /, 60_000);
      const shown = [...frame.matchAll(/^.*?\s(\d{1,2})\. (.+?)\s{2,}\d\.\d\d/gm)].map((m) => m[2].trim()).slice(0, 10);
      const cli = cliList(`persona${k}`);
      // the pane may shorten a long title to its column: each shown title is the CLI's, or its start
      expect(shown).toHaveLength(10);
      shown.forEach((t, i) => expect(cli[i].title.startsWith(t.replace(/…$/, '').trimEnd()), `${i + 1}. ${t} vs ${cli[i].title}`).toBe(true));
      const v = personaVerdict(p, cli);
      expect(v.inGenre, cli.map((x) => x.title).join('; ')).toBeGreaterThanOrEqual(7);
      expect(v.distinct).toBe(10);
      expect(v.rated).toBe(0);
    } finally {
      app.unmount();
      await services.close();
    }
  }, 120_000);
});
