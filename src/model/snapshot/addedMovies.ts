/**
 * Movies a person added to a snapshot's catalogue (`add-movie`, the app's add-movie form): kept in
 * `added-movies.json` inside the snapshot's folder, never in the dataset's files. Only what the person
 * gave is stored — title, year, genres and the ratings that arrived, by user id — and the movie's
 * factors are derived from them each time (the metadata model, then fold-in), so the file means the same
 * for any model saved under that name. Written atomically (a temporary file beside the snapshot folders,
 * fsync, rename); not part of the sealed manifest, so adding a movie never makes the model's own files
 * look edited, but one of the snapshot's files (ownership.ts), removed with it.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { SnapshotError } from './errors.js';
import { errCode, fsStep, fsyncDir, writeFileSynced } from './fsSafe.js';
import { snapshotsDir, validateSnapshotName } from './names.js';

export const ADDED_MOVIES_FILE = 'added-movies.json';
const FORMAT = 'factorlens-added-movies';
const VERSION = 1;

export interface AddedMovie {
  title: string;
  year: number | null;
  genres: string[];
  /** Ratings of it by the model's users (their dataset ids), in the order they arrived. */
  ratings: { userId: string; rating: number }[];
  addedAt: string;
}

interface AddedMoviesFile {
  format: typeof FORMAT;
  formatVersion: number;
  movies: AddedMovie[];
}

function fileOf(name: string, dir: string): string {
  validateSnapshotName(name);
  return path.join(dir, name, ADDED_MOVIES_FILE);
}

/** The snapshot's added movies ([] when none were added). */
export async function readAddedMovies(name: string, dir: string = snapshotsDir()): Promise<AddedMovie[]> {
  const file = fileOf(name, dir);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if (errCode(err) === 'ENOENT') return [];
    throw new SnapshotError(`cannot read the movies added to snapshot "${name}" (${file}): ${(err as Error).message}`);
  }
  return parseAddedMovies(text, file);
}

export function parseAddedMovies(text: string, where: string): AddedMovie[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SnapshotError(`${where} is not valid JSON (edited or truncated?): remove it to start the added movies afresh`);
  }
  const f = raw as Partial<AddedMoviesFile>;
  if (f?.format !== FORMAT) throw new SnapshotError(`${where} is not a factorlens added-movies file`);
  if (f.formatVersion !== VERSION) throw new SnapshotError(`${where} has format version ${String(f.formatVersion)}; this factorlens reads version ${VERSION}`);
  if (!Array.isArray(f.movies)) throw new SnapshotError(`${where} has no movies list`);
  return f.movies.map((m, k) => {
    const bad = (what: string) => new SnapshotError(`${where}: movie ${k + 1} ${what}`);
    if (typeof m?.title !== 'string' || !m.title.trim()) throw bad('has no title');
    if (m.year !== null && !Number.isInteger(m.year)) throw bad(`has year ${String(m.year)}, not a whole number or null`);
    if (!Array.isArray(m.genres) || m.genres.some((g) => typeof g !== 'string')) throw bad('has genres that are not a list of names');
    if (!Array.isArray(m.ratings) || m.ratings.some((r) => typeof r?.userId !== 'string' || !Number.isFinite(r?.rating))) throw bad('has ratings that are not {userId, rating} pairs');
    return { title: m.title, year: m.year, genres: [...m.genres], ratings: m.ratings.map((r) => ({ userId: r.userId, rating: r.rating })), addedAt: typeof m.addedAt === 'string' ? m.addedAt : '' };
  });
}

/** Replaces the snapshot's added movies (atomically; the snapshot must exist). */
export async function writeAddedMovies(name: string, movies: readonly AddedMovie[], dir: string = snapshotsDir()): Promise<void> {
  const file = fileOf(name, dir);
  const folder = path.dirname(file);
  try {
    await fsp.access(path.join(folder, 'manifest.json'));
  } catch {
    throw new SnapshotError(`no snapshot named "${name}" in ${dir} to keep the movie with`);
  }
  const body: AddedMoviesFile = { format: FORMAT, formatVersion: VERSION, movies: [...movies] };
  // written beside the snapshot folders, not in one: a snapshot folder holds only its own files (ownership.ts)
  const tmp = path.join(dir, `.${name}.added-movies-${process.pid}-${Date.now()}`);
  await fsStep('saving the added movies: writing', tmp, () => writeFileSynced(tmp, JSON.stringify(body, null, 1) + '\n'));
  await fsStep('saving the added movies: moving into place', file, () => fsp.rename(tmp, file)).catch(async (err) => {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  });
  await fsyncDir(folder);
}

/** Adds a movie, or updates the one with the same title (case-insensitive): new metadata wins, ratings are appended (a user's later rating replaces theirs). */
export function mergeAddedMovie(movies: readonly AddedMovie[], next: Omit<AddedMovie, 'addedAt'> & { addedAt?: string }): { movies: AddedMovie[]; movie: AddedMovie; isNew: boolean } {
  const key = (t: string) => t.trim().toLowerCase();
  const at = movies.findIndex((m) => key(m.title) === key(next.title));
  if (at < 0) {
    const movie = { ...next, title: next.title.trim(), addedAt: next.addedAt ?? new Date().toISOString() };
    return { movies: [...movies, movie], movie, isNew: true };
  }
  const old = movies[at];
  const ratings = old.ratings.filter((r) => !next.ratings.some((n) => n.userId === r.userId)).concat(next.ratings);
  const movie = { ...old, year: next.year ?? old.year, genres: next.genres.length ? next.genres : old.genres, ratings };
  return { movies: movies.map((m, k) => (k === at ? movie : m)), movie, isNew: false };
}
