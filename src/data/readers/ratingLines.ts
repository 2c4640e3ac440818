/** The hot loop shared by the MovieLens rating readers: numeric ids, a declared rating scale. */
import { stat } from 'node:fs/promises';
import { forEachLine, lineError, lineText, parseDecimal, parseUint, RatingColumns, splitFields, truncate } from '../bytes.js';
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
  /** Average bytes per line, to size the arrays once (untouched capacity costs no RSS). */
  bytesPerLine: number;
}

const FIELDS = 'user, item, rating, timestamp';

export async function readNumericRatings(spec: NumericRatingSpec): Promise<RatingColumns> {
  const { file, scale } = spec;
  const size = (await stat(file)).size;
  if (size === 0) throw new DataError(`${file} is empty`);
  const cols = new RatingColumns(size / spec.bytesPerLine + 16);
  const sep = spec.sep.charCodeAt(0);
  const sep2 = spec.sep.length > 1 ? spec.sep.charCodeAt(1) : -1;
  const starts = new Int32Array(6);
  const ends = new Int32Array(6);
  const steps = 1 / scale.step;

  await forEachLine(
    file,
    (buf, start, end, lineNo) => {
      if (lineNo === 1 && spec.header) {
        const text = buf.toString('utf8', start, end).replace(/^\uFEFF/, '');
        if (!spec.header.test(text)) {
          throw lineError(file, 1, `expected the header "${spec.headerText}"`, text);
        }
        return;
      }
      if (start === end) return; // blank lines (e.g. a trailing one) carry nothing
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
  if (!(user <= 0x7fffffff)) return lineError(file, lineNo, `user id "${field(0)}" is not a whole number`, text);
  if (!(item <= 0x7fffffff)) return lineError(file, lineNo, `item id "${field(1)}" is not a whole number`, text);
  if (Number.isNaN(rating)) return lineError(file, lineNo, `rating "${field(2)}" is not a number`, text);
  if (!(rating >= scale.min && rating <= scale.max) || !Number.isInteger(rating / scale.step)) {
    return lineError(file, lineNo, `rating ${field(2)} is outside the scale ${scale.label}`, text);
  }
  if (!(ts >= 0)) return lineError(file, lineNo, `timestamp "${field(3)}" is not a whole number`, text);
  return lineError(file, lineNo, 'cannot parse', text);
}
