/**
 * Rating files matched onto a dataset's rows: ML-100K's canonical u1..u5 / ua / ub files and any pair a
 * user brings with --split-files. A line names a (user, item) the dataset already holds; the file is not
 * read as a second dataset, so ids, dense indices and ratings stay the dataset's own.
 */
import path from 'node:path';
import { countingOrder } from './countingOrder.js';
import { binaryLineError, forEachLineSync, lineError, lineText, parseDecimal, parseUint, refusingBinary, splitFields, truncate } from './bytes.js';
import { unquote } from './readers/generic.js';
import type { Dataset } from './types.js';
import { DataError } from './types.js';

/**
 * The row of each (user, item): per user its items sorted, found by binary search. Typed arrays, not a
 * Map keyed by pair: V8's Map stops at 2^24 entries and ML-25M has 25M ratings.
 */
export class RowLookup {
  private readonly start: Int32Array;
  private readonly items: Int32Array;
  private readonly rows: Int32Array;

  constructor(ds: Dataset) {
    const n = ds.nRatings;
    // counting sort by item, then a stable one by user: each user's items come out ascending
    const byItem = countingOrder(ds.items, ds.nItems, null);
    const byUser = countingOrder(ds.users, ds.nUsers, byItem.order);
    this.start = byUser.start;
    this.rows = byUser.order;
    this.items = new Int32Array(n);
    for (let k = 0; k < n; k++) this.items[k] = ds.items[this.rows[k]];
  }

  /** The dataset row rating `item` by `user`, or -1. */
  find(user: number, item: number): number {
    let lo = this.start[user];
    let hi = this.start[user + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.items[mid];
      if (v === item) return this.rows[mid];
      if (v < item) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}


/** The ratings file of a dataset by name, for messages ("this rating is not in u.data"). */
export function ratingsFileName(ds: Dataset): string {
  switch (ds.format) {
    case 'ml-100k':
      return 'u.data';
    case 'ml-1m':
      return 'ratings.dat';
    case 'ml-csv':
      return 'ratings.csv';
    case 'generic':
      return path.basename(ds.source);
  }
}

interface LineFormat {
  sep: number;
  /** Second byte of "::", else -1. */
  sep2: number;
  name: string;
  /** MovieLens ids are numbers ("007" is 7); generic ids are strings. */
  numericIds: boolean;
}

const GENERIC_SEPARATORS: [number, string][] = [
  [9, 'TAB'],
  [44, 'comma'],
  [59, 'semicolon'],
  [124, '|'],
];

function lineFormat(ds: Dataset, file: string, lineNo: number, buf: Buffer, start: number, end: number): LineFormat {
  switch (ds.format) {
    case 'ml-100k':
      return { sep: 9, sep2: -1, name: 'TAB', numericIds: true };
    case 'ml-1m':
      return { sep: 58, sep2: 58, name: '"::"', numericIds: true };
    case 'ml-csv':
      return { sep: 44, sep2: -1, name: 'comma', numericIds: true };
    case 'generic': {
      for (const [byte, name] of GENERIC_SEPARATORS) {
        const at = buf.indexOf(byte, start);
        if (at >= 0 && at < end) return { sep: byte, sep2: -1, name, numericIds: false };
      }
      throw lineError(file, lineNo, 'expected user,item,rating[,timestamp] separated by commas or TABs', lineText(buf, start, end));
    }
  }
}

/**
 * The dataset rows `file` lists, sorted. `used` marks rows already taken (by the other file of the pair),
 * so a rating cannot be both trained on and tested. A first line whose rating is not a number is a
 * header; a line whose (user, item) the dataset lacks, or rates differently, is refused by line number.
 */
export function matchRatingFile(ds: Dataset, file: string, lookup: RowLookup, used: Uint8Array): Int32Array {
  const where = ratingsFileName(ds);
  const starts = new Int32Array(6);
  const ends = new Int32Array(6);
  let fmt: LineFormat | null = null;
  let rows = new Int32Array(1024);
  let n = 0;
  const field = (buf: Buffer, k: number) => unquote(buf.toString('utf8', starts[k], ends[k]).trim());
  const id = (buf: Buffer, k: number, what: string, text: string, lineNo: number): string => {
    if (!fmt!.numericIds) return field(buf, k);
    const v = parseUint(buf, starts[k], ends[k]);
    if (Number.isNaN(v)) throw lineError(file, lineNo, `${what} id "${truncate(field(buf, k), 30)}" is not a whole number`, text);
    return String(v);
  };

  forEachLineSync(
    file,
    refusingBinary(file, (buf, start, end, lineNo) => {
      if (start === end) return;
      const first = fmt === null;
      fmt ??= lineFormat(ds, file, lineNo, buf, start, end);
      const text = lineText(buf, start, end);
      const nf = splitFields(buf, start, end, fmt.sep, fmt.sep2, starts, ends);
      if (nf < 3 || nf > 4) {
        const hint = nf === 1 ? ' (wrong separator?)' : '';
        throw lineError(file, lineNo, `expected 3 or 4 ${fmt.name}-separated fields (user, item, rating[, timestamp]), got ${nf}${hint}`, text);
      }
      let rating = parseDecimal(buf, starts[2], ends[2]);
      if (Number.isNaN(rating)) rating = Number(field(buf, 2) || NaN);
      if (Number.isNaN(rating)) {
        // a header line such as "userId,movieId,rating,timestamp" (unless the "header" is binary)
        if (first && !binaryLineError(file, lineNo, buf, start, end)) return;
        throw lineError(file, lineNo, `rating "${truncate(field(buf, 2), 30)}" is not a number`, text);
      }
      const userId = id(buf, 0, 'user', text, lineNo);
      const itemId = id(buf, 1, 'item', text, lineNo);
      const u = ds.userIndex.get(userId);
      if (u === undefined) throw lineError(file, lineNo, `user ${truncate(userId, 30)} is not in ${where}`, text);
      const i = ds.itemIndex.get(itemId);
      if (i === undefined) throw lineError(file, lineNo, `item ${truncate(itemId, 30)} is not in ${where}`, text);
      const row = lookup.find(u, i);
      if (row < 0) throw lineError(file, lineNo, `user ${truncate(userId, 30)} never rated item ${truncate(itemId, 30)} in ${where}`, text);
      if (Math.abs(ds.ratings[row] - rating) > 1e-6) {
        throw lineError(file, lineNo, `rating ${rating} here, but ${ds.ratings[row]} for this user and item in ${where}`, text);
      }
      if (used[row]) throw lineError(file, lineNo, 'this rating appears twice in the split files', text);
      used[row] = 1;
      if (n === rows.length) {
        const grown = new Int32Array(rows.length * 2);
        grown.set(rows);
        rows = grown;
      }
      rows[n++] = row;
    }),
  );
  if (n === 0) throw new DataError(`${file} holds no ratings`);
  return rows.slice(0, n).sort();
}
