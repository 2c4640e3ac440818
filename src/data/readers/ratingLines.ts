/** The hot loop shared by the MovieLens rating readers: numeric ids, a declared rating scale. */
import path from 'node:path';
import type { ItemMeta, RawDataset } from '../build.js';
import { binaryLineError, statDataFile, forEachLine, lineError, lineText, openDataFile, parseDecimal, parseUint, RatingColumns, splitFields, truncate } from '../bytes.js';
import { DataError } from '../types.js';

/** The scale a format declares; ratings outside it are refused rather than clipped. */
export interface DeclaredScale {
  min: number;
  max: number;
  step: number;
  label: string;
}

export const WHOLE_STARS: DeclaredScale = { min: 1, max: 5, step: 1, label: '1..5 in whole stars' };
export const HALF_STARS: DeclaredScale = { min: 0.5, max: 5, step: 0.5, label: '0.5..5 in half stars' };

export interface NumericRatingSpec {
  file: string;
  /** Separator bytes: "\t", "::" or ",". */
  sep: string;
  sepName: string;
  /** A header line that must match, or null when there is none. */
  header: RegExp | null;
  headerText?: string;
  scale: DeclaredScale;
  onProgress?: (fraction: number) => void;
}

const FIELDS = 'user, item, rating, timestamp';
/** Ids are kept in Int32Arrays: 2^31 - 1 is the largest a MovieLens-format file may use. */
const MAX_ID = 0x7fffffff;

export async function readNumericRatings(spec: NumericRatingSpec): Promise<RatingColumns> {
  const { file, scale } = spec;
  const size = (await statDataFile(file)).size;
  if (size === 0) throw new DataError(`${file} is empty`);
  // counting lines first (memchr-fast) sizes the columns exactly: no 1.5x growth, no trimming copy; a
  // line holds at least "1\t1\t1\t0" (7 bytes and a newline), which bounds what blank lines could ask for
  const cols = new RatingColumns(Math.min((await countLines(file)) + 1, Math.ceil(size / 8) + 16));
  const sep = spec.sep.charCodeAt(0);
  const sep2 = spec.sep.length > 1 ? spec.sep.charCodeAt(1) : -1;
  const starts = new Int32Array(6);
  const ends = new Int32Array(6);
  const steps = 1 / scale.step;
  const out = new Float64Array(4);

  await forEachLine(
    file,
    (buf, start, end, lineNo) => {
      if (lineNo === 1 && spec.header) {
        const text = buf.toString('utf8', start, end).replace(/^\uFEFF/, '');
        if (!spec.header.test(text)) {
          throw binaryLineError(file, 1, buf, start, end) ?? lineError(file, 1, `expected the header "${spec.headerText}"`, text);
        }
        return;
      }
      if (start === end) return; // blank lines (e.g. a trailing one) carry nothing
      if (fastLine(buf, start, end, sep, sep2, out)) {
        const rating = out[2];
        if (rating >= scale.min && rating <= scale.max && Number.isInteger(rating * steps)) {
          cols.push(out[0], out[1], rating, out[3]);
          return;
        }
      }
      // the slow path re-parses with full checks, to say exactly what is wrong
      const binary = binaryLineError(file, lineNo, buf, start, end);
      if (binary) throw binary;
      const nf = splitFields(buf, start, end, sep, sep2, starts, ends);
      if (nf !== 4) {
        const hint = nf === 1 ? ' (wrong separator?)' : nf < 4 ? ' (truncated line?)' : '';
        const what = `expected 4 ${spec.sepName}-separated fields (${FIELDS}), got ${nf}${hint}`;
        throw lineError(file, lineNo, what, lineText(buf, start, end));
      }
      const user = parseUint(buf, starts[0], ends[0]);
      const item = parseUint(buf, starts[1], ends[1]);
      const rating = parseDecimal(buf, starts[2], ends[2]);
      const ts = parseUint(buf, starts[3], ends[3]);
      // one branch for the happy path; work out which field is bad only on failure
      if (
        !(user <= 0x7fffffff && item <= 0x7fffffff && ts >= 0) ||
        !(rating >= scale.min && rating <= scale.max && Number.isInteger(rating * steps))
      ) {
        throw explain(file, lineNo, buf, start, end, starts, ends, user, item, rating, ts, scale);
      }
      cols.push(user, item, rating, ts);
    },
    { onProgress: spec.onProgress },
  );
  if (cols.length === 0) throw new DataError(`${file} has no ratings${spec.header ? ' (only a header line)' : ''}`);
  return cols;
}

function explain(
  file: string,
  lineNo: number,
  buf: Buffer,
  start: number,
  end: number,
  starts: Int32Array,
  ends: Int32Array,
  user: number,
  item: number,
  rating: number,
  ts: number,
  scale: DeclaredScale,
): DataError {
  const field = (k: number) => truncate(buf.toString('utf8', starts[k], Math.min(ends[k], starts[k] + 200)), 30);
  const text = lineText(buf, start, end);
  // digits that are too many for an id are a different problem from letters: say which
  const digitsOnly = (k: number) => /^ *\d+ *$/.test(buf.toString('latin1', starts[k], Math.min(ends[k], starts[k] + 200)));
  const badId = (what: string, k: number) =>
    digitsOnly(k)
      ? lineError(file, lineNo, `${what} id ${field(k).trim()} is out of range: this format's ids go up to ${MAX_ID} (a generic user,item,rating file takes any id)`, text)
      : lineError(file, lineNo, `${what} id "${field(k)}" is not a whole number`, text);
  if (!(user <= MAX_ID)) return badId('user', 0);
  if (!(item <= MAX_ID)) return badId('item', 1);
  if (Number.isNaN(rating)) return lineError(file, lineNo, `rating "${field(2)}" is not a number`, text);
  if (!(rating >= scale.min && rating <= scale.max) || !Number.isInteger(rating / scale.step)) {
    return lineError(file, lineNo, `rating ${field(2)} is outside the scale ${scale.label}`, text);
  }
  if (!(ts >= 0)) return lineError(file, lineNo, `timestamp "${field(3)}" is not a whole number`, text);
  return lineError(file, lineNo, 'cannot parse', text);
}

/**
 * The common case in one pass over the bytes: "digits SEP digits SEP digits[.digits] SEP digits".
 * Returns false on anything else (spaces, signs, missing fields), leaving the checks to the slow path.
 */
function fastLine(buf: Buffer, start: number, end: number, sep: number, sep2: number, out: Float64Array): boolean {
  let i = start;
  for (let f = 0; f < 4; f++) {
    let v = 0;
    const s = i;
    let d = 0;
    while (i < end && (d = buf[i] - 48) >= 0 && d <= 9) {
      v = v * 10 + d;
      i++;
    }
    if (i === s || i - s > 12) return false;
    if (f === 2 && i < end && buf[i] === 46) {
      // decimals of the rating ("3.5", "4.0")
      i++;
      let scale = 1;
      let frac = 0;
      const fs = i;
      while (i < end && (d = buf[i] - 48) >= 0 && d <= 9) {
        frac = frac * 10 + d;
        scale *= 10;
        i++;
      }
      if (i === fs || i - fs > 6) return false;
      v += frac / scale;
    }
    out[f] = v;
    if (f < 3) {
      if (i >= end || buf[i] !== sep) return false;
      i++;
      if (sep2 >= 0) {
        if (i >= end || buf[i] !== sep2) return false;
        i++;
      }
    }
  }
  return i === end && out[0] <= 0x7fffffff && out[1] <= 0x7fffffff;
}

/**
 * Newline count (plus one for a last line without a newline), reading in 4 MiB chunks. Stops at the
 * first NUL: the file is binary there, the parser will say so at that line, and a sparse 2 GB file
 * is not read to its end first.
 */
async function countLines(file: string): Promise<number> {
  const { fh } = await openDataFile(file);
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    let lines = 0;
    let last = 10;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      const view = bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
      if (view.indexOf(0) >= 0) return lines + 1;
      for (let p = view.indexOf(10); p >= 0; p = view.indexOf(10, p + 1)) lines++;
      last = view[bytesRead - 1];
    }
    return last === 10 ? lines : lines + 1;
  } finally {
    await fh.close();
  }
}

/**
 * The layout ML-1M/10M and the ML CSV releases share: a ratings file in half stars, then a movies file
 * with titles and genres, read by the format's own `readMovies`.
 */
export async function readRatingsThenMovies(o: {
  dir: string;
  format: RawDataset['format'];
  ratings: Omit<NumericRatingSpec, 'scale' | 'onProgress'>;
  moviesFile: string;
  readMovies: (file: string, genreNames: string[], warnings: string[]) => Promise<Map<number, ItemMeta>>;
  /** The share of the progress bar the ratings take (the movies file is the rest). */
  ratingsShare: number;
  onProgress?: (f: number) => void;
}): Promise<RawDataset> {
  const { onProgress } = o;
  const warnings: string[] = [];
  const cols = await readNumericRatings({ ...o.ratings, scale: HALF_STARS, onProgress: onProgress && ((f) => onProgress(f * o.ratingsShare)) });
  const genreNames: string[] = [];
  const itemMeta = await o.readMovies(o.moviesFile, genreNames, warnings);
  onProgress?.(1);
  return {
    name: path.basename(path.resolve(o.dir)),
    format: o.format,
    source: o.dir,
    ratingsFile: o.ratings.file,
    cols: cols.trim(),
    itemMeta,
    itemsFile: o.moviesFile,
    genreNames,
    warnings,
  };
}
