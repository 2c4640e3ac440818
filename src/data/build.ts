/**
 * Turns what a reader parsed (raw ids as integer codes, one row per rating line) into a Dataset:
 * dense indices sorted by original id, duplicate pairs resolved, per-user/item statistics, hash.
 */
import { createHash } from 'node:crypto';
import type { Dataset, DatasetFormat, UnratedItem, UserInfo } from './types.js';
import { DataError } from './types.js';
import { yearFromTitle } from './text.js';

export interface ItemMeta {
  title: string;
  genres: string[];
}

export interface RawDataset {
  name: string;
  format: DatasetFormat;
  source: string;
  /** The ratings file, for messages. */
  ratingsFile: string;
  cols: { users: Int32Array; items: Int32Array; ratings: Float32Array; timestamps: Float64Array; n: number };
  /** Code -> original id, when ids were interned as strings (generic files); else the code is the id. */
  userNames?: string[];
  itemNames?: string[];
  /** By item code. */
  itemMeta: Map<number, ItemMeta>;
  /** Items of the titles file that no rating names, when the reader could not key them by code (generic files). */
  unratedItems?: { id: string; meta: ItemMeta }[];
  /** The items file, for the "no title" warning; absent when there is none. */
  itemsFile?: string;
  genreNames: string[];
  /** By user code. */
  userInfo?: Map<number, UserInfo>;
  warnings: string[];
}

export function buildDataset(raw: RawDataset): Dataset {
  const { cols, warnings } = raw;
  if (cols.n === 0) throw new DataError(`${raw.ratingsFile} has no ratings`);
  const userCodes = densify(cols.users, raw.userNames);
  const itemCodes = densify(cols.items, raw.itemNames);
  const nUsers = userCodes.length;
  const nItems = itemCodes.length;
  const userIds = userCodes.map((c) => (raw.userNames ? raw.userNames[c] : String(c)));
  const itemIds = itemCodes.map((c) => (raw.itemNames ? raw.itemNames[c] : String(c)));
  const { rows, dropped } = withoutDuplicates(raw, nUsers, nItems, userIds, itemIds);
  const stats = ratingStats(rows, nUsers, nItems);
  const meta = itemMetadata(raw, itemCodes, itemIds);
  let userInfo: (UserInfo | null)[] | undefined;
  if (raw.userInfo && raw.userInfo.size > 0) {
    const infoMap = raw.userInfo;
    userInfo = userCodes.map((c) => infoMap.get(c) ?? null);
  }
  return {
    name: raw.name,
    format: raw.format,
    source: raw.source,
    nRatings: rows.n,
    nUsers,
    nItems,
    users: rows.users,
    items: rows.items,
    ratings: rows.ratings,
    timestamps: rows.timestamps,
    userIds,
    itemIds,
    userIndex: new Map(userIds.map((id, k) => [id, k])),
    itemIndex: new Map(itemIds.map((id, k) => [id, k])),
    ...meta,
    genreNames: raw.genreNames,
    ...stats,
    hash: ratingsHash(rows, userIds, itemIds),
    warnings,
    duplicatesDropped: dropped,
    ...(userInfo ? { userInfo } : {}),
  };
}

type Rows = RawDataset['cols'];

/** The rows with every duplicate (user, item) pair but its last rating removed (a warning names the first). */
function withoutDuplicates(raw: RawDataset, nUsers: number, nItems: number, userIds: string[], itemIds: string[]): { rows: Rows; dropped: number } {
  const { cols } = raw;
  const dup = findDuplicates(cols.users, cols.items, cols.n, nUsers, nItems);
  if (dup.count === 0) return { rows: cols, dropped: 0 };
  const { users, items, ratings, timestamps } = cols;
  let w = 0;
  for (let r = 0; r < cols.n; r++) {
    if (dup.drop[r]) continue;
    users[w] = users[r];
    items[w] = items[r];
    ratings[w] = ratings[r];
    timestamps[w] = timestamps[r];
    w++;
  }
  raw.warnings.push(
    `${raw.ratingsFile}: ${dup.count} duplicate (user, item) rating${dup.count === 1 ? '' : 's'} ` +
      `(first: user ${userIds[dup.firstUser]}, item ${itemIds[dup.firstItem]}); kept the last rating of each pair`,
  );
  return { rows: { users: users.slice(0, w), items: items.slice(0, w), ratings: ratings.slice(0, w), timestamps: timestamps.slice(0, w), n: w }, dropped: dup.count };
}

/** Per user and item: counts and means; the rating histogram and the scale it implies. */
function ratingStats(rows: Rows, nUsers: number, nItems: number): Pick<Dataset, 'itemCount' | 'itemMean' | 'userCount' | 'userMean' | 'histogram' | 'scale'> {
  const { users, items, ratings, n } = rows;
  const userCount = new Int32Array(nUsers);
  const itemCount = new Int32Array(nItems);
  const userSum = new Float64Array(nUsers);
  const itemSum = new Float64Array(nItems);
  // ratings take few distinct values (10 half stars): a short linear scan beats a Map per row
  const vals = new Float64Array(32);
  const cnts = new Float64Array(32);
  let nv = 0;
  const hist = new Map<number, number>();
  for (let r = 0; r < n; r++) {
    const u = users[r];
    const i = items[r];
    const v = ratings[r];
    userCount[u]++;
    itemCount[i]++;
    userSum[u] += v;
    itemSum[i] += v;
    let k = 0;
    while (k < nv && vals[k] !== v) k++;
    if (k < nv) cnts[k]++;
    else if (nv < 32) {
      vals[nv] = v;
      cnts[nv++] = 1;
    } else hist.set(v, (hist.get(v) ?? 0) + 1);
  }
  for (let k = 0; k < nv; k++) hist.set(vals[k], cnts[k]);
  const userMean = new Float32Array(nUsers);
  const itemMean = new Float32Array(nItems);
  for (let u = 0; u < nUsers; u++) userMean[u] = userCount[u] ? userSum[u] / userCount[u] : 0;
  for (let i = 0; i < nItems; i++) itemMean[i] = itemCount[i] ? itemSum[i] / itemCount[i] : 0;
  const histogram = [...hist.entries()].sort((a, b) => a[0] - b[0]).map(([rating, count]) => ({ rating, count }));
  const values = histogram.map((h) => h.rating);
  let step = 0;
  for (let k = 1; k < values.length; k++) {
    const d = values[k] - values[k - 1];
    if (step === 0 || d < step) step = d;
  }
  // float32 values like 0.1 make ugly steps; round to 6 digits
  step = Math.round(step * 1e6) / 1e6;
  return { itemCount, itemMean, userCount, userMean, histogram, scale: { min: values[0], max: values[values.length - 1], step } };
}

/** Titles, years and genres by dense item index; the movies listed without ratings; a warning for untitled ones. */
function itemMetadata(raw: RawDataset, itemCodes: number[], itemIds: string[]): Pick<Dataset, 'titles' | 'years' | 'genres' | 'unrated'> {
  const nItems = itemCodes.length;
  const titles: string[] = new Array(nItems);
  const years: (number | null)[] = new Array(nItems);
  const genres: string[][] = new Array(nItems);
  let untitled = 0;
  let firstUntitled = '';
  for (let i = 0; i < nItems; i++) {
    const meta = raw.itemMeta.get(itemCodes[i]);
    if (!meta) {
      if (untitled++ === 0) firstUntitled = itemIds[i];
    }
    titles[i] = meta?.title ?? '';
    years[i] = meta ? yearFromTitle(meta.title) : null;
    genres[i] = meta?.genres ?? [];
  }
  // movies the titles file lists but no one rated: no index, no factors, but search should find them
  const ratedCodes = new Set(itemCodes);
  const unrated: UnratedItem[] = [];
  if (!raw.itemNames) {
    for (const [code, meta] of raw.itemMeta) {
      if (!ratedCodes.has(code)) unrated.push({ id: String(code), title: meta.title, year: yearFromTitle(meta.title), genres: meta.genres });
    }
  }
  for (const u of raw.unratedItems ?? []) unrated.push({ id: u.id, title: u.meta.title, year: yearFromTitle(u.meta.title), genres: u.meta.genres });
  if (untitled > 0 && raw.itemsFile) {
    raw.warnings.push(
      `${untitled} rated item${untitled === 1 ? ' is' : 's are'} missing from ${raw.itemsFile} (first: id ${firstUntitled}); ` +
        `their titles are blank`,
    );
  }
  return { titles, years, genres, unrated };
}

/** sha256 over the ratings as loaded: the dataset's identity in snapshots. */
function ratingsHash(rows: Rows, userIds: string[], itemIds: string[]): string {
  const { users, items, ratings, n } = rows;
  const hash = createHash('sha256');
  hash.update(`factorlens-ratings-v1 ${n} ${userIds.length} ${itemIds.length}\n`);
  hash.update(userIds.join('\n') + '\n');
  hash.update(itemIds.join('\n') + '\n');
  hash.update(new Uint8Array(users.buffer, users.byteOffset, n * 4));
  hash.update(new Uint8Array(items.buffer, items.byteOffset, n * 4));
  hash.update(new Uint8Array(ratings.buffer, ratings.byteOffset, n * 4));
  return hash.digest('hex');
}

/**
 * Rewrites `codes` in place as dense indices 0..k-1 ordered by original id (numerically when the
 * ids are numbers), so indices do not depend on row order. Returns dense index -> code.
 */
export function densify(codes: Int32Array, names?: string[]): number[] {
  const n = codes.length;
  let max = -1;
  for (let r = 0; r < n; r++) if (codes[r] > max) max = codes[r];
  if (max < 0) return [];
  if (max < 1 << 25) {
    const table = new Int32Array(max + 1);
    for (let r = 0; r < n; r++) table[codes[r]] = 1;
    const distinct: number[] = [];
    for (let c = 0; c <= max; c++) if (table[c]) distinct.push(c);
    if (names) distinct.sort(nameOrder(names));
    for (let k = 0; k < distinct.length; k++) table[distinct[k]] = k;
    for (let r = 0; r < n; r++) codes[r] = table[codes[r]];
    return distinct;
  }
  // huge numeric ids: a Map costs more per lookup but no giant table
  const seen = new Map<number, number>();
  for (let r = 0; r < n; r++) seen.set(codes[r], 0);
  const distinct = [...seen.keys()].sort((a, b) => a - b);
  if (names) distinct.sort(nameOrder(names));
  distinct.forEach((c, k) => seen.set(c, k));
  for (let r = 0; r < n; r++) codes[r] = seen.get(codes[r])!;
  return distinct;
}

function nameOrder(names: string[]): (a: number, b: number) => number {
  const numeric = names.every((s) => /^\d{1,15}$/.test(s));
  if (numeric) return (a, b) => Number(names[a]) - Number(names[b]);
  return (a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0);
}

/**
 * Marks every rating of a (user, item) pair except the last one in file order. Buckets rows by
 * user (stable counting sort), then walks each bucket with a per-item stamp: O(n), no hashing.
 */
function findDuplicates(
  users: Int32Array,
  items: Int32Array,
  n: number,
  nUsers: number,
  nItems: number,
): { count: number; drop: Uint8Array; firstUser: number; firstItem: number } {
  const start = new Int32Array(nUsers + 1);
  for (let r = 0; r < n; r++) start[users[r] + 1]++;
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const fill = start.slice(0, nUsers);
  const order = new Int32Array(n);
  for (let r = 0; r < n; r++) order[fill[users[r]]++] = r;
  const stamp = new Int32Array(nItems).fill(-1);
  const lastRow = new Int32Array(nItems);
  let count = 0;
  let drop: Uint8Array | null = null;
  let firstRow = -1;
  for (let u = 0; u < nUsers; u++) {
    for (let k = start[u]; k < start[u + 1]; k++) {
      const r = order[k];
      const i = items[r];
      if (stamp[i] === u) {
        drop ??= new Uint8Array(n);
        drop[lastRow[i]] = 1;
        if (firstRow < 0 || lastRow[i] < firstRow) firstRow = lastRow[i];
        count++;
      }
      stamp[i] = u;
      lastRow[i] = r;
    }
  }
  return {
    count,
    drop: drop ?? new Uint8Array(0),
    firstUser: firstRow >= 0 ? users[firstRow] : 0,
    firstItem: firstRow >= 0 ? items[firstRow] : 0,
  };
}
