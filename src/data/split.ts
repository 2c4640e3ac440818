/** Train/validation splits: seeded random (fastai's valid_pct) or ML-100K's canonical u1..u5 / ua / ub files. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { lineError, lineText, parseUint, readDataFileSync, refuseBinaryHead, refusingBinary, splitFields } from './bytes.js';

/** ML-100K's split files are under 2 MB each. */
const MAX_SPLIT_FILE_BYTES = 64 << 20;
import type { Dataset, Split, SplitName } from './types.js';
import { DataError } from './types.js';

export interface SplitOptions {
  /** Fraction of ratings for validation (random split only). */
  validPct?: number;
  seed?: number;
}

export const SPLIT_DEFAULTS = { validPct: 0.2, seed: 42 } as const;
export const SPLIT_NAMES: readonly SplitName[] = ['random', 'u1', 'u2', 'u3', 'u4', 'u5', 'ua', 'ub'];

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
  if (!(SPLIT_NAMES as readonly string[]).includes(name)) {
    throw new DataError(`unknown split "${name}": use random, u1..u5, ua or ub`);
  }
  if (ds.nRatings < 2 || ds.nUsers === 0 || ds.nItems === 0) {
    throw new DataError(`${ds.name} is too small to split: ${ds.nRatings} rating(s), ${ds.nUsers} user(s), ${ds.nItems} item(s)`);
  }
  return name === 'random' ? randomSplit(ds, opts) : canonicalSplit(ds, name as SplitName);
}

function randomSplit(ds: Dataset, opts: SplitOptions): Split {
  const validPct = opts.validPct ?? SPLIT_DEFAULTS.validPct;
  const seed = opts.seed ?? SPLIT_DEFAULTS.seed;
  if (!(validPct > 0 && validPct < 1)) throw new DataError(`valid_pct must be between 0 and 1 (exclusive), got ${validPct}`);
  if (!Number.isInteger(seed)) throw new DataError(`seed must be a whole number, got ${seed}`);
  const n = ds.nRatings;
  const nValid = Math.min(n - 1, Math.max(1, Math.round(n * validPct)));
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  const rand = mulberry32(seed);
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    const t = order[k];
    order[k] = order[j];
    order[j] = t;
  }
  // sorted rows read the columns in order (cache friendly); the trainer shuffles per epoch anyway
  const valid = order.slice(0, nValid).sort();
  const train = order.slice(nValid).sort();
  return finish(ds, 'random', train, valid, `random ${pct(n - nValid, n)}/${pct(nValid, n)} split (seed ${seed})`);
}

function canonicalSplit(ds: Dataset, name: SplitName): Split {
  const base = path.join(ds.source, `${name}.base`);
  const test = path.join(ds.source, `${name}.test`);
  if (ds.format !== 'ml-100k' || !existsSync(base) || !existsSync(test)) {
    throw new DataError(
      `split ${name} needs ${name}.base and ${name}.test beside u.data (only MovieLens 100K ships them); ` +
        `${ds.source} has none: use the random split instead`,
    );
  }
  // the canonical files are not read as datasets: each line is matched onto a u.data row
  const rowOf = new Map<number, number>();
  for (let r = 0; r < ds.nRatings; r++) rowOf.set(ds.users[r] * ds.nItems + ds.items[r], r);
  const used = new Uint8Array(ds.nRatings);
  const train = matchRows(ds, base, rowOf, used);
  const valid = matchRows(ds, test, rowOf, used);
  const desc = `MovieLens 100K canonical split ${name} (${name}.base / ${name}.test)`;
  return finish(ds, name, train.sort(), valid.sort(), desc);
}

function matchRows(ds: Dataset, file: string, rowOf: Map<number, number>, used: Uint8Array): Int32Array {
  const rows: number[] = [];
  const starts = new Int32Array(6);
  const ends = new Int32Array(6);
  readLinesSync(file, refusingBinary(file, (buf, start, end, lineNo) => {
    if (start === end) return;
    const nf = splitFields(buf, start, end, 9, -1, starts, ends);
    if (nf !== 4) throw lineError(file, lineNo, `expected 4 TAB-separated fields (user, item, rating, timestamp), got ${nf}`, lineText(buf, start, end));
    const u = ds.userIndex.get(String(parseUint(buf, starts[0], ends[0])));
    const i = ds.itemIndex.get(String(parseUint(buf, starts[1], ends[1])));
    const row = u === undefined || i === undefined ? undefined : rowOf.get(u * ds.nItems + i);
    if (row === undefined) throw lineError(file, lineNo, 'this rating is not in u.data', lineText(buf, start, end));
    if (used[row]) throw lineError(file, lineNo, 'this rating appears twice in the split files', lineText(buf, start, end));
    used[row] = 1;
    rows.push(row);
  }));
  if (rows.length === 0) throw new DataError(`${file} is empty`);
  return Int32Array.from(rows);
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
    train,
    valid,
    coldUserRows,
    coldItemRows,
    description: `${what}: ${train.length} train, ${valid.length} valid; ${cold}`,
  };
}

function pct(k: number, n: number): number {
  return Math.round((100 * k) / n);
}

/** The split files are small (≤ 2 MB): read them whole, synchronously, so makeSplit stays sync. */
function readLinesSync(file: string, onLine: (buf: Buffer, start: number, end: number, lineNo: number) => void): void {
  // bounded, and a binary file refused from its first bytes (a 2 GB sparse u1.test is not read whole)
  const buf = readDataFileSync(file, 'a split file', MAX_SPLIT_FILE_BYTES, (head) => refuseBinaryHead(file, head));
  let start = 0;
  let lineNo = 0;
  while (start < buf.length) {
    let nl = buf.indexOf(10, start);
    if (nl < 0) nl = buf.length;
    lineNo++;
    onLine(buf, start, nl > start && buf[nl - 1] === 13 ? nl - 1 : nl, lineNo);
    start = nl + 1;
  }
}

