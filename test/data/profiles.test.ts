/** Profiles on disk and where factorlens keeps things (XDG folders, the checkout's own snapshots/). */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProfileStore, matchToCatalogue, rowInCatalogue, validateProfileName } from '../../src/data/profiles.js';
import { dataRoot, defaultSnapshotsDir, packageRoot, runsFromCheckout, stateRoot } from '../../src/data/places.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'factorlens-profiles-'));
const saved = { ...process.env };
afterEach(() => {
  for (const k of ['XDG_STATE_HOME', 'XDG_DATA_HOME', 'HOME']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('ProfileStore', () => {
  it('writes a profile and reads it back; a profile not written yet is empty', async () => {
    const store = new ProfileStore(tmp());
    expect((await store.read('alice')).profile).toMatchObject({ name: 'alice', ratings: [], model: null, updatedAt: null });
    await store.write({ name: 'alice', ratings: [{ item: '50', title: 'Star Wars (1977)', rating: 5 }, { item: '1', title: 'Toy Story (1995)', rating: 3.5 }], model: { snapshot: 'best' }, dataset: { name: 'ml-100k', hash: 'abc' }, updatedAt: null });
    const back = (await store.read('alice')).profile;
    expect(back.ratings).toEqual([{ item: '50', title: 'Star Wars (1977)', rating: 5 }, { item: '1', title: 'Toy Story (1995)', rating: 3.5 }]);
    expect(back.model).toEqual({ snapshot: 'best' });
    expect(back.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await store.write({ ...back, name: 'bob', ratings: [], model: { kept: true } });
    expect(await store.list()).toEqual(['alice', 'bob']);
    expect((await store.read('bob')).profile.model).toEqual({ kept: true });
  });

  it('coalesces a burst of writes: the newest is what is on disk, and no temporary file is left', async () => {
    const root = tmp();
    const store = new ProfileStore(root);
    const writes = Array.from({ length: 20 }, (_, i) => store.write({ name: 'p', ratings: [{ item: String(i), title: `movie ${i}`, rating: 1 + (i % 5) }], model: null, dataset: null, updatedAt: null }));
    await Promise.all(writes);
    expect((await store.read('p')).profile.ratings).toEqual([{ item: '19', title: 'movie 19', rating: 5 }]);
    expect(readdirSync(path.join(root, 'profiles'))).toEqual(['p.json']);
  });

  it('moves a damaged file aside and says where, instead of failing or overwriting it', async () => {
    const root = tmp();
    const store = new ProfileStore(root);
    mkdirSync(path.join(root, 'profiles'), { recursive: true });
    writeFileSync(path.join(root, 'profiles', 'x.json'), '{"format": "factorlens-profile", "version": 1, "ratings": [');
    const r = await store.read('x');
    expect(r.profile.ratings).toEqual([]);
    expect(r.problem).toMatch(/profile "x" could not be read .* moved to .*x\.json\.damaged-\d+/);
    const aside = readdirSync(path.join(root, 'profiles')).find((n) => n.startsWith('x.json.damaged-'))!;
    expect(readFileSync(path.join(root, 'profiles', aside), 'utf8')).toContain('"ratings": [');
  });

  it('refuses names that are not plain file names', () => {
    for (const bad of ['', '../x', 'a/b', '.hidden', 'x'.repeat(65), 'a b']) expect(() => validateProfileName(bad)).toThrow(/profile name/);
    expect(validateProfileName('alice-2.b_c')).toBe('alice-2.b_c');
  });
});

describe('where things live', () => {
  it('profiles in $XDG_STATE_HOME/factorlens, else ~/.local/state/factorlens; snapshots of an installed tool in $XDG_DATA_HOME/factorlens/snapshots', () => {
    process.env.XDG_STATE_HOME = '/x/state';
    process.env.XDG_DATA_HOME = '/x/data';
    expect(stateRoot()).toBe('/x/state/factorlens');
    expect(dataRoot()).toBe('/x/data/factorlens');
    delete process.env.XDG_STATE_HOME;
    delete process.env.XDG_DATA_HOME;
    process.env.HOME = '/home/someone';
    expect(stateRoot()).toBe('/home/someone/.local/state/factorlens');
    expect(dataRoot()).toBe('/home/someone/.local/share/factorlens');
    process.env.XDG_STATE_HOME = 'relative/path'; // the spec says to ignore relative ones
    expect(stateRoot()).toBe('/home/someone/.local/state/factorlens');
  });

  it('a source checkout (.git or src/ in the package folder) keeps its own snapshots/; an installed package does not', () => {
    process.env.XDG_DATA_HOME = '/x/data';
    const installed = tmp(); // what npm install -g leaves: package.json and dist/ only
    mkdirSync(path.join(installed, 'dist'));
    expect(runsFromCheckout(installed)).toBe(false);
    expect(defaultSnapshotsDir(installed)).toBe('/x/data/factorlens/snapshots');
    const checkout = tmp();
    mkdirSync(path.join(checkout, 'src'));
    expect(runsFromCheckout(checkout)).toBe(true);
    expect(defaultSnapshotsDir(checkout)).toBe(path.join(checkout, 'snapshots'));
    // this very checkout
    expect(packageRoot()).toBe(path.resolve('.'));
    expect(defaultSnapshotsDir()).toBe(path.resolve('snapshots'));
  });
});

describe('matching a profile to a catalogue', () => {
  const catalogue = { itemIds: ['50', '100', '1'], titles: ['Star Wars (1977)', 'Fargo (1996)', 'Toy Story (1995)'] };

  it('finds each rated movie at its row by item id and title', () => {
    const { matched, elsewhere } = matchToCatalogue(catalogue, [
      { item: '1', title: 'Toy Story (1995)', rating: 4 },
      { item: '50', title: 'Star Wars (1977)', rating: 5 },
    ]);
    expect(matched.map((r) => r.index)).toEqual([2, 0]);
    expect(elsewhere).toEqual([]);
  });

  it("keeps apart another dataset's movie under an id this catalogue uses for a different film, and an id it lacks", () => {
    const heat = { item: '50', title: 'Heat (1995)', rating: 2 };
    const gone = { item: '7', title: 'Twelve Monkeys (1995)', rating: 3 };
    const { matched, elsewhere } = matchToCatalogue(catalogue, [heat, gone]);
    expect(matched).toEqual([]);
    expect(elsewhere).toEqual([heat, gone]);
    expect(rowInCatalogue(catalogue, { item: '100', title: 'Fargo (1996)' })).toBe(1);
    expect(rowInCatalogue(catalogue, { item: '100', title: 'Fargo' })).toBeNull();
  });
});
