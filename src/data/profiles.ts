/**
 * Profiles: a person's own ratings, kept between runs, and which model they last had open.
 *
 * A profile is data in the same sense as u.data is: ratings of movies by the dataset's item ids (not
 * by a model's row numbers, which another model may order differently), with the titles beside them
 * so a profile still reads without the dataset. It lives in src/data because it is plain files and
 * plain values — no tensors, no screen — and both the app's session and the CLI's `recommend
 * --profile` read it.
 *
 * One JSON file per profile in $XDG_STATE_HOME/factorlens/profiles/NAME.json, written atomically
 * (a temporary file beside it, fsync, rename, fsync of the folder): a crash or a kill leaves the
 * previous version or the new one, never half a file. Two apps on one profile: the last write wins.
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { DataError } from './types.js';
import { stateRoot } from './places.js';

export const DEFAULT_PROFILE = 'default';
export const PROFILE_FORMAT = 'factorlens-profile';
export const PROFILE_VERSION = 1;

export interface ProfileRating {
  /** The dataset's item id (u.data's movie id), as text. */
  item: string;
  title: string;
  rating: number;
}

/** The movies a model (or a dataset) has, by row: what a profile's ratings are matched against. */
export interface Catalogue {
  itemIds: readonly string[];
  titles: readonly string[];
}

const rowsOf = new WeakMap<readonly string[], Map<string, number>>();

/**
 * The catalogue's row of a rated movie: its item id, with the same title (ids are a dataset's own, so
 * another dataset's movie 50 is not this one's); null when this catalogue does not have that movie.
 */
export function rowInCatalogue(c: Catalogue, r: { item: string; title: string }): number | null {
  let rows = rowsOf.get(c.itemIds);
  if (!rows) rowsOf.set(c.itemIds, (rows = new Map(c.itemIds.map((id, i) => [id, i]))));
  const row = rows.get(r.item);
  return row !== undefined && c.titles[row] === r.title ? row : null;
}

/** Ratings split into those the catalogue has (with their rows) and the rest (kept as they are). */
export function matchToCatalogue<R extends { item: string; title: string }>(c: Catalogue, ratings: readonly R[]): { matched: (R & { index: number })[]; elsewhere: R[] } {
  const matched: (R & { index: number })[] = [];
  const elsewhere: R[] = [];
  for (const r of ratings) {
    const index = rowInCatalogue(c, r);
    if (index === null) elsewhere.push(r);
    else matched.push({ ...r, index });
  }
  return { matched, elsewhere };
}

/** The model the person had open: a named snapshot, or the copy kept for a model no snapshot holds. */
export type LastModel = { snapshot: string } | { kept: true } | null;

export interface Profile {
  name: string;
  ratings: ProfileRating[];
  model: LastModel;
  /** The dataset the item ids belong to, when known. */
  dataset: { name: string; hash: string } | null;
  updatedAt: string | null;
}

const NAME_CHARS = /^[A-Za-z0-9._-]{1,64}$/;

/** Profile names are file names: 1–64 of A-Z a-z 0-9 . _ -, not starting with a dot. */
export function validateProfileName(name: string): string {
  if (!NAME_CHARS.test(name) || name.startsWith('.')) {
    throw new DataError(`profile name ${JSON.stringify(name)} is not allowed: use 1 to 64 characters of A-Z a-z 0-9 . _ -, not starting with a dot`);
  }
  return name;
}

export function emptyProfile(name: string): Profile {
  return { name, ratings: [], model: null, dataset: null, updatedAt: null };
}

export interface ReadProfile {
  profile: Profile;
  /** Set when a file was there but could not be used; it was moved aside (named in the message). */
  problem?: string;
}

function parseProfile(name: string, text: string): Profile {
  const raw = JSON.parse(text) as Record<string, unknown>;
  if (raw.format !== PROFILE_FORMAT) throw new Error(`it is not a factorlens profile (format ${JSON.stringify(raw.format)})`);
  if (typeof raw.version !== 'number' || raw.version > PROFILE_VERSION) throw new Error(`it was written by a newer factorlens (version ${String(raw.version)})`);
  if (!Array.isArray(raw.ratings)) throw new Error('its ratings are not a list');
  const ratings: ProfileRating[] = [];
  for (const r of raw.ratings as Record<string, unknown>[]) {
    if (typeof r?.item !== 'string' || typeof r.rating !== 'number' || !Number.isFinite(r.rating)) throw new Error('a rating has no item id or no number');
    ratings.push({ item: r.item, title: typeof r.title === 'string' ? r.title : r.item, rating: r.rating });
  }
  const m = raw.model as Record<string, unknown> | null | undefined;
  const model: LastModel = m && typeof m.snapshot === 'string' ? { snapshot: m.snapshot } : m && m.kept === true ? { kept: true } : null;
  const d = raw.dataset as Record<string, unknown> | null | undefined;
  const dataset = d && typeof d.name === 'string' && typeof d.hash === 'string' ? { name: d.name, hash: d.hash } : null;
  return { name, ratings, model, dataset, updatedAt: typeof raw.updatedAt === 'string' ? raw.updatedAt : null };
}

function serialize(p: Profile): string {
  const doc = { format: PROFILE_FORMAT, version: PROFILE_VERSION, name: p.name, updatedAt: p.updatedAt, dataset: p.dataset, model: p.model, ratings: p.ratings };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Writes `text` to `file` so that it is either the old content or the new, even across a crash. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fh = await fsp.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  // the rename is durable once the folder is synced (not possible on every platform: best effort)
  const d = await fsp.open(dir, 'r').catch(() => null);
  await d?.sync().catch(() => undefined);
  await d?.close().catch(() => undefined);
}

export class ProfileStore {
  readonly dir: string;
  private queue = new Map<string, { pending: Profile | null; running: Promise<void> | null; waiters: (() => void)[] }>();

  /** `root`: the state folder (default $XDG_STATE_HOME/factorlens); profiles go in its profiles/. */
  constructor(root: string = stateRoot()) {
    this.dir = path.join(root, 'profiles');
  }

  file(name: string): string {
    return path.join(this.dir, `${validateProfileName(name)}.json`);
  }

  /** The profile, or an empty one when it does not exist yet. A damaged file is moved aside, never lost. */
  async read(name: string): Promise<ReadProfile> {
    const file = this.file(name);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profile: emptyProfile(name) };
      throw new DataError(`cannot read profile "${name}" (${file}): ${(err as Error).message}`);
    }
    try {
      return { profile: parseProfile(name, text) };
    } catch (err) {
      const aside = `${file}.damaged-${Date.now()}`;
      await fsp.rename(file, aside).catch(() => undefined);
      return { profile: emptyProfile(name), problem: `profile "${name}" could not be read (${(err as Error).message}); it was moved to ${aside} and this profile starts empty` };
    }
  }

  /**
   * Saves the profile. Writes of one profile are serialised and coalesced: when several arrive while
   * one is being written, only the newest is written next. Resolves once this version (or a newer one) is on disk.
   */
  write(profile: Profile): Promise<void> {
    validateProfileName(profile.name);
    let q = this.queue.get(profile.name);
    if (!q) this.queue.set(profile.name, (q = { pending: null, running: null, waiters: [] }));
    const slot = q;
    slot.pending = { ...profile, updatedAt: new Date().toISOString() };
    const done = new Promise<void>((resolve) => slot.waiters.push(resolve));
    if (!slot.running) slot.running = this.drain(profile.name, slot);
    return Promise.all([done, slot.running]).then(() => undefined);
  }

  private async drain(name: string, slot: { pending: Profile | null; running: Promise<void> | null; waiters: (() => void)[] }): Promise<void> {
    let failure: unknown = null;
    try {
      while (slot.pending) {
        const next = slot.pending;
        const waiters = slot.waiters;
        slot.pending = null;
        slot.waiters = [];
        try {
          await writeFileAtomic(this.file(name), serialize(next));
          failure = null;
        } catch (err) {
          failure = err;
        }
        for (const w of waiters) w();
      }
    } finally {
      slot.running = null;
    }
    if (failure) throw new DataError(`cannot save profile "${name}" in ${this.dir}: ${(failure as Error).message}`);
  }

  /** The names of the profiles there are, sorted. */
  async list(): Promise<string[]> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter((n) => NAME_CHARS.test(n))
      .sort();
  }
}
