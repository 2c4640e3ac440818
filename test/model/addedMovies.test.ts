/** Movies added to a snapshot: kept beside it (not in the sealed files), merged by title, refused when damaged, kept across a forced re-save. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADDED_MOVIES_FILE, mergeAddedMovie, readAddedMovies, writeAddedMovies, type AddedMovie } from '../../src/model/snapshot/addedMovies.js';
import { listSnapshots, loadSnapshot, removeSnapshot, saveSnapshot } from '../../src/model/snapshot/index.js';
import { readdir } from 'node:fs/promises';
import { makeResult } from './snapshotFixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'factorlens-added-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const movie = (title: string, ratings: AddedMovie['ratings'] = []): AddedMovie => ({ title, year: 1998, genres: ['Horror'], ratings, addedAt: '2024-01-01T00:00:00.000Z' });

describe('added movies', () => {
  it('round trip beside a snapshot, which still loads (its seal does not cover them)', async () => {
    await saveSnapshot('s', makeResult('dotbias'), { dir });
    expect(await readAddedMovies('s', dir)).toEqual([]);
    await writeAddedMovies('s', [movie('Night Terrors', [{ userId: '3', rating: 5 }])], dir);
    expect(await readAddedMovies('s', dir)).toEqual([movie('Night Terrors', [{ userId: '3', rating: 5 }])]);
    await expect(loadSnapshot('s', { dir })).resolves.toMatchObject({ name: 's' });
  });

  it('a forced re-save of the snapshot keeps them; there is no snapshot to keep them with before it is saved', async () => {
    await expect(writeAddedMovies('nope', [movie('X')], dir)).rejects.toThrow(/no snapshot named "nope"/);
    await saveSnapshot('s', makeResult('dotbias'), { dir });
    await writeAddedMovies('s', [movie('Night Terrors')], dir);
    await saveSnapshot('s', makeResult('dot', { seed: 2 }), { dir, force: true });
    expect((await readAddedMovies('s', dir)).map((m) => m.title)).toEqual(['Night Terrors']);
  });

  it('they are one of the snapshot\'s own files: removing the snapshot removes them, and no temporary file is left', async () => {
    await saveSnapshot('s', makeResult('dotbias'), { dir });
    await writeAddedMovies('s', [movie('Night Terrors')], dir);
    expect((await readdir(dir)).filter((e) => e.startsWith('.'))).toEqual([]);
    await removeSnapshot('s', dir);
    expect(await listSnapshots(dir)).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a damaged file is refused with what to do, not read as no movies', async () => {
    await saveSnapshot('s', makeResult('dotbias'), { dir });
    await writeFile(path.join(dir, 's', ADDED_MOVIES_FILE), '{"format": "factorlens-added-movies", "formatVersion": 1, "movies": [{"title": ""}]}');
    await expect(readAddedMovies('s', dir)).rejects.toThrow(/movie 1 has no title/);
    await writeFile(path.join(dir, 's', ADDED_MOVIES_FILE), '{ truncated');
    await expect(readAddedMovies('s', dir)).rejects.toThrow(/not valid JSON.*remove it/);
  });

  it('merging by title: new metadata wins, ratings append, a user\'s later rating replaces theirs', () => {
    const a = mergeAddedMovie([], { title: ' Night Terrors ', year: 1998, genres: ['Horror'], ratings: [{ userId: '1', rating: 2 }] });
    expect(a.isNew).toBe(true);
    expect(a.movie.title).toBe('Night Terrors');
    const b = mergeAddedMovie(a.movies, { title: 'night terrors', year: null, genres: [], ratings: [{ userId: '1', rating: 5 }, { userId: '2', rating: 4 }] });
    expect(b.isNew).toBe(false);
    expect(b.movies).toHaveLength(1);
    expect(b.movie).toMatchObject({ year: 1998, genres: ['Horror'], ratings: [{ userId: '1', rating: 5 }, { userId: '2', rating: 4 }] });
    const c = mergeAddedMovie(b.movies, { title: 'Night Terrors', year: 1999, genres: ['Thriller'], ratings: [] });
    expect(c.movie).toMatchObject({ year: 1999, genres: ['Thriller'] });
    expect(JSON.parse(JSON.stringify(c.movies))).toHaveLength(1);
  });

  it('the file holds only what the person gave (no factors: they are derived)', async () => {
    await saveSnapshot('s', makeResult('dotbias'), { dir });
    await writeAddedMovies('s', [movie('Night Terrors')], dir);
    const text = await readFile(path.join(dir, 's', ADDED_MOVIES_FILE), 'utf8');
    expect(Object.keys(JSON.parse(text).movies[0]).sort()).toEqual(['addedAt', 'genres', 'ratings', 'title', 'year']);
  });
});
