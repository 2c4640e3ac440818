/**
 * Train/test splits of a dataset: seeded random (fastai's valid_pct), ML-100K's canonical u1..u5 / ua / ub
 * files, a global timeline cut, 5-fold cross-validation, or any two rating files a user brings.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { matchRatingFile, RowLookup } from './splitFiles.js';
import type { Dataset, Split, SplitName } from './types.js';
import { DataError } from './types.js';

export interface SplitOptions {
  /** Fraction of ratings held out: the random split's validation share, the time split's newest share. */
  validPct?: number;
  seed?: number;
  /** The 'files' split: two rating files in the dataset's own format. */
  files?: SplitFiles;
}

export interface SplitFiles {
  train: string;
  test: string;
}

export const SPLIT_DEFAULTS = { validPct: 0.2, seed: 42 } as const;
/** Every single split makeSplit builds. */
export const SPLIT_NAMES: readonly SplitName[] = [
  'random', 'u1', 'u2', 'u3', 'u4', 'u5', 'ua', 'ub', 'time', 'fold1', 'fold2', 'fold3', 'fold4', 'fold5', 'files',
];
/** What --split takes: a single split, or 'cv5' — five of them (makeSplits). */
export type Protocol = SplitName | 'cv5';
export const FOLDS = 5;

/** mulberry32: tiny, fast, good enough to shuffle rows reproducibly (not for crypto). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeSplit(ds: Dataset, name: string, opts: SplitOptions = {}): Split {
  if (name === 'cv5') {
    throw new DataError(`split cv5 is ${FOLDS} train/test splits, not one: train on one fold (${cv5Names(ds).join(', ')})`);
  }
  if (!(SPLIT_NAMES as readonly string[]).includes(name)) {
    throw new DataError(`unknown split "${name}": use random, u1..u5, ua, ub, time, cv5 (one fold: fold1..fold5) or files`);
  }
  if (ds.nRatings < 2 || ds.nUsers === 0 || ds.nItems === 0) {
    throw new DataError(`${ds.name} is too small to split: ${ds.nRatings} rating(s), ${ds.nUsers} user(s), ${ds.nItems} item(s)`);
  }
  const split = name as SplitName;
  if (split === 'random') return randomSplit(ds, opts);
  if (split === 'time') return timeSplit(ds, opts);
  if (split === 'files') return filesSplit(ds, opts.files);
  if (split.startsWith('fold')) return foldSplit(ds, Number(split.slice(4)), opts);
  return canonicalSplit(ds, split);
}

/**
 * The splits of a protocol, in order: cv5 gives five (ML-100K's u1..u5 where the files are there, the
 * folds every rating is tested in exactly once; seeded folds elsewhere), anything else gives one.
 * A cv5 result is each metric's mean ± sd over the five (evaluate/folds.ts), like Surprise's cross_validate.
 */
export function makeSplits(ds: Dataset, protocol: string, opts: SplitOptions = {}): Split[] {
  if (protocol !== 'cv5') return [makeSplit(ds, protocol, opts)];
  return cv5Names(ds).map((name) => makeSplit(ds, name, opts));
}

/** The five splits cv5 means for this dataset. */
export function cv5Names(ds: Dataset): SplitName[] {
  const canonical: SplitName[] = ['u1', 'u2', 'u3', 'u4', 'u5'];
  return canonical.every((n) => hasCanonicalFiles(ds, n)) ? canonical : ['fold1', 'fold2', 'fold3', 'fold4', 'fold5'];
}

/** "TRAIN,TEST" as --split-files takes it. */
export function parseSplitFiles(value: string): SplitFiles {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 2 || parts.some((p) => p === '')) {
    throw new DataError(`--split-files takes two rating files as TRAIN,TEST, got "${value}"`);
  }
  for (const p of parts) if (!existsSync(p)) throw new DataError(`--split-files: no such file: ${p}`);
  return { train: parts[0], test: parts[1] };
}

function checkFraction(validPct: number): void {
  if (!(validPct > 0 && validPct < 1)) throw new DataError(`valid_pct must be between 0 and 1 (exclusive), got ${validPct}`);
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new DataError(`seed must be a whole number, got ${seed}`);
}

/** Row indices 0..n-1 in the seeded order the random split and the folds share. */
function shuffledRows(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  const rand = mulberry32(seed);
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    const t = order[k];
    order[k] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * The rows order[from..to) and all the others, each ascending (sorted rows read the columns in order,
 * cache friendly; the trainer shuffles per epoch anyway): one pass over a mark per row, not a sort.
 */
function partition(order: Int32Array, from: number, to: number): { inside: Int32Array; outside: Int32Array } {
  const n = order.length;
  const mark = new Uint8Array(n);
  for (let k = from; k < to; k++) mark[order[k]] = 1;
  const inside = sharedRows(to - from);
  const outside = sharedRows(n - (to - from));
  for (let r = 0, a = 0, b = 0; r < n; r++) {
    if (mark[r]) inside[a++] = r;
    else outside[b++] = r;
  }
  return { inside, outside };
}

/**
 * Row lists live in shared memory: a worker handed a split (the trainer's, the fits after it) reads
 * the same rows instead of a copy or a split of its own (at ML-25M size 100 MB and seconds).
 */
function sharedRows(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * n));
}

function shared(rows: Int32Array): Int32Array {
  if (rows.buffer instanceof SharedArrayBuffer) return rows;
  const out = sharedRows(rows.length);
  out.set(rows);
  return out;
}

function randomSplit(ds: Dataset, opts: SplitOptions): Split {
  const validPct = opts.validPct ?? SPLIT_DEFAULTS.validPct;
  const seed = opts.seed ?? SPLIT_DEFAULTS.seed;
  checkFraction(validPct);
  checkSeed(seed);
  const n = ds.nRatings;
  const nValid = Math.min(n - 1, Math.max(1, Math.round(n * validPct)));
  const { inside: valid, outside: train } = partition(shuffledRows(n, seed), 0, nValid);
  return finish(ds, 'random', train, valid, `random ${pct(n - nValid, n)}/${pct(nValid, n)} split (seed ${seed})`);
}

/** Fold k (1-based) of a seeded 5-fold partition: the k-th fifth of the shuffled rows is the test set. */
function foldSplit(ds: Dataset, k: number, opts: SplitOptions): Split {
  const seed = opts.seed ?? SPLIT_DEFAULTS.seed;
  checkSeed(seed);
  const n = ds.nRatings;
  if (n < FOLDS) throw new DataError(`${ds.name} is too small for ${FOLDS} folds: ${n} rating(s)`);
  const { inside: valid, outside: train } = partition(shuffledRows(n, seed), Math.floor(((k - 1) * n) / FOLDS), Math.floor((k * n) / FOLDS));
  return finish(ds, `fold${k}` as SplitName, train, valid, `fold ${k} of ${FOLDS} (seed ${seed})`);
}

/**
 * The global timeline cut: the newest validPct of ratings (by timestamp) are the test set, so the model
 * is asked about the future, as in deployment. Ratings sharing the cut's timestamp are ordered by
 * (user, item) index, so the split never depends on file order; no test rating is older than a training one.
 */
function timeSplit(ds: Dataset, opts: SplitOptions): Split {
  const validPct = opts.validPct ?? SPLIT_DEFAULTS.validPct;
  checkFraction(validPct);
  const n = ds.nRatings;
  const ts = ds.timestamps;
  const sorted = Float64Array.from(ts).sort();
  if (sorted[0] === sorted[n - 1]) {
    throw new DataError(`${ds.name} has no timeline to cut: every rating has the timestamp ${sorted[0]}; use random or cv5`);
  }
  const nTest = Math.min(n - 1, Math.max(1, Math.round(n * validPct)));
  const nTrain = n - nTest;
  const cut = sorted[nTrain]; // the oldest test timestamp
  let older = 0;
  while (older < n && sorted[older] < cut) older++;
  const ties: number[] = [];
  const train = new Int32Array(nTrain);
  const valid = new Int32Array(nTest);
  let t = 0;
  let v = 0;
  for (let r = 0; r < n; r++) {
    if (ts[r] < cut) train[t++] = r;
    else if (ts[r] > cut) valid[v++] = r;
    else ties.push(r);
  }
  ties.sort((a, b) => ds.users[a] - ds.users[b] || ds.items[a] - ds.items[b]);
  const tiesInTrain = nTrain - older;
  for (let k = 0; k < ties.length; k++) {
    if (k < tiesInTrain) train[t++] = ties[k];
    else valid[v++] = ties[k];
  }
  train.sort();
  valid.sort();
  const when = Number.isFinite(cut) && cut > 1e8 ? ` (from ${new Date(cut * 1000).toISOString().slice(0, 10)})` : '';
  return finish(ds, 'time', train, valid, `time split: the newest ${pct(nTest, n)} % of ratings${when} are the test set`);
}

function hasCanonicalFiles(ds: Dataset, name: string): boolean {
  return ds.format === 'ml-100k' && existsSync(path.join(ds.source, `${name}.base`)) && existsSync(path.join(ds.source, `${name}.test`));
}

function canonicalSplit(ds: Dataset, name: SplitName): Split {
  if (!hasCanonicalFiles(ds, name)) {
    throw new DataError(
      `split ${name} needs ${name}.base and ${name}.test beside u.data (only MovieLens 100K ships them); ` +
        `${ds.source} has none: use the random split instead`,
    );
  }
  const lookup = new RowLookup(ds);
  const used = new Uint8Array(ds.nRatings);
  const train = matchRatingFile(ds, path.join(ds.source, `${name}.base`), lookup, used);
  const valid = matchRatingFile(ds, path.join(ds.source, `${name}.test`), lookup, used);
  return finish(ds, name, train, valid, `MovieLens 100K canonical split ${name} (${name}.base / ${name}.test)`);
}

/** Two rating files in the dataset's own format (a published split), matched onto its rows. */
function filesSplit(ds: Dataset, files: SplitFiles | undefined): Split {
  if (!files) throw new DataError('split files needs two rating files: --split-files TRAIN,TEST');
  const lookup = new RowLookup(ds);
  const used = new Uint8Array(ds.nRatings);
  const train = matchRatingFile(ds, files.train, lookup, used);
  const valid = matchRatingFile(ds, files.test, lookup, used);
  const unused = ds.nRatings - train.length - valid.length;
  const rest = unused > 0 ? `; ${unused} rating(s) of ${ds.name} are in neither` : '';
  return finish(ds, 'files', train, valid, `split files ${files.train} / ${files.test}${rest}`);
}

function finish(ds: Dataset, name: SplitName, train: Int32Array, valid: Int32Array, what: string): Split {
  const userInTrain = new Uint8Array(ds.nUsers);
  const itemInTrain = new Uint8Array(ds.nItems);
  for (let k = 0; k < train.length; k++) {
    userInTrain[ds.users[train[k]]] = 1;
    itemInTrain[ds.items[train[k]]] = 1;
  }
  let coldUserRows = 0;
  let coldItemRows = 0;
  for (let k = 0; k < valid.length; k++) {
    if (!userInTrain[ds.users[valid[k]]]) coldUserRows++;
    if (!itemInTrain[ds.items[valid[k]]]) coldItemRows++;
  }
  const cold =
    coldUserRows + coldItemRows === 0
      ? 'no cold-start rows'
      : `${coldUserRows} validation rating(s) by users and ${coldItemRows} of items absent from train (cold start)`;
  return {
    name,
    train: shared(train),
    valid: shared(valid),
    coldUserRows,
    coldItemRows,
    description: `${what}: ${train.length} train, ${valid.length} valid; ${cold}`,
  };
}

function pct(k: number, n: number): number {
  return Math.round((100 * k) / n);
}
