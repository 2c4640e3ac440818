/**
 * Any CSV/TSV of user,item,rating[,timestamp] (header optional), with an optional items file of
 * item,title[,genres]. Ids are kept as strings, so "u42" works as well as 42.
 */
import path from 'node:path';
import { statDataFile, forEachLine, Interner, refusingBinary, lineError, lineText, parseDecimal, parseUint, RatingColumns, splitFields, truncate } from '../bytes.js';
import { DataError } from '../types.js';
import { parseNumberText } from '../numbers.js';
import type { ItemMeta, RawDataset } from '../build.js';
import { readTitleFile, parseCsvLine, textLineError, textLines } from '../text.js';
import { splitGenres } from './ml1m.js';

const SEPARATORS: [number, string][] = [
  [9, 'TAB'],
  [44, 'comma'],
  [59, 'semicolon'],
  [124, '|'],
];

export async function readGeneric(ratingsFile: string, itemsFile: string | undefined, onProgress?: (f: number) => void): Promise<RawDataset> {
  const warnings: string[] = [];
  const size = (await statDataFile(ratingsFile)).size;
  if (size === 0) throw new DataError(`${ratingsFile} is empty`);
  // a guess from the size, capped: a 2 GB file of zeros must not reserve gigabytes before it is refused
  const cols = new RatingColumns(Math.min(size / 20 + 16, 1 << 22));
  const userIds = new Interner();
  const itemIds = new Interner();
  let sep = -1;
  let sepName = '';
  let seenFirst = false;
  const starts = new Int32Array(6);
  const ends = new Int32Array(6);
  const str = (buf: Buffer, s: number, e: number) => unquote(buf.toString('utf8', s, e).trim());
  const shown = (s: string) => truncate(s, 30);

  await forEachLine(
    ratingsFile,
    refusingBinary(ratingsFile, (buf, start, end, lineNo) => {
      if (start === end) return;
      if (!seenFirst) {
        seenFirst = true;
        for (const [byte, name] of SEPARATORS) {
          if (buf.indexOf(byte, start) >= 0 && buf.indexOf(byte, start) < end) {
            sep = byte;
            sepName = name;
            break;
          }
        }
        if (sep < 0) {
          throw lineError(ratingsFile, lineNo, 'expected user,item,rating[,timestamp] separated by commas or TABs', lineText(buf, start, end));
        }
        const nf = splitFields(buf, start, end, sep, -1, starts, ends);
        if (nf >= 3 && Number.isNaN(parseDecimal(buf, starts[2], ends[2])) && !parseNumberText(str(buf, starts[2], ends[2]), 'decimal').ok) {
          return; // a header line such as "user,item,rating"
        }
      }
      const nf = splitFields(buf, start, end, sep, -1, starts, ends);
      if (nf < 3 || nf > 4) {
        throw lineError(
          ratingsFile,
          lineNo,
          `expected 3 or 4 ${sepName}-separated fields (user, item, rating[, timestamp]), got ${nf}`,
          lineText(buf, start, end),
        );
      }
      const user = str(buf, starts[0], ends[0]);
      const item = str(buf, starts[1], ends[1]);
      if (user === '') throw lineError(ratingsFile, lineNo, 'empty user id', lineText(buf, start, end));
      if (item === '') throw lineError(ratingsFile, lineNo, 'empty item id', lineText(buf, start, end));
      let rating = parseDecimal(buf, starts[2], ends[2]);
      if (Number.isNaN(rating)) {
        // beyond plain decimals only an exponent ("4e0"): the one number reader, so "0x4" is not 4
        const text = str(buf, starts[2], ends[2]);
        const parsed = parseNumberText(text, 'decimal');
        rating = parsed.ok ? parsed.value : NaN;
        if (!Number.isFinite(rating)) {
          throw lineError(ratingsFile, lineNo, `rating "${shown(text)}" is not a number`, lineText(buf, start, end));
        }
      }
      let ts = 0;
      if (nf === 4 && ends[3] > starts[3]) {
        ts = parseUint(buf, starts[3], ends[3]);
        if (Number.isNaN(ts)) {
          // ISO dates are common in hand-made files; accept anything Date understands
          const text = str(buf, starts[3], ends[3]);
          const ms = Date.parse(text);
          if (Number.isNaN(ms)) throw lineError(ratingsFile, lineNo, `timestamp "${shown(text)}" is not a number or a date`, lineText(buf, start, end));
          ts = Math.floor(ms / 1000);
        }
      }
      cols.push(userIds.code(user), itemIds.code(item), rating, ts);
    }),
    { onProgress: onProgress && ((f) => onProgress(f * 0.95)) },
  );
  if (cols.length === 0) throw new DataError(`${ratingsFile} has no ratings`);

  const genreNames: string[] = [];
  const itemMeta = new Map<number, ItemMeta>();
  const unratedItems: { id: string; meta: ItemMeta }[] = [];
  if (itemsFile) await readGenericItems(itemsFile, itemIds, itemMeta, unratedItems, genreNames, warnings);
  onProgress?.(1);
  return {
    name: path.basename(path.resolve(path.dirname(ratingsFile))),
    format: 'generic',
    source: ratingsFile,
    ratingsFile,
    cols: cols.trim(),
    userNames: userIds.names,
    itemNames: itemIds.names,
    itemMeta,
    unratedItems,
    itemsFile,
    genreNames,
    warnings,
  };
}

const ITEM_HEADER = /^(item|items|itemid|item_id|movie|movieid|movie_id|id)$/i;

async function readGenericItems(
  file: string,
  itemIds: Interner,
  meta: Map<number, ItemMeta>,
  unrated: { id: string; meta: ItemMeta }[],
  genreNames: string[],
  warnings: string[],
): Promise<void> {
  const lines = textLines(await readTitleFile(file, 'utf8', warnings));
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new DataError(`${file} is empty`);
  const sep = lines[first].includes('\t') ? '\t' : ',';
  const seen = new Set<string>();
  for (let k = first; k < lines.length; k++) {
    const line = lines[k];
    if (line.trim() === '') continue;
    const f = sep === '\t' ? line.split('\t') : parseCsvLine(line, sep);
    if (!f) throw textLineError(file, k + 1, 'unterminated quoted field', line);
    if (k === first && ITEM_HEADER.test(f[0].trim())) continue;
    if (f.length < 2 || f.length > 3) {
      throw textLineError(file, k + 1, `expected 2 or 3 fields (item, title[, genres]), got ${f.length}`, line);
    }
    const id = f[0].trim();
    if (id === '') throw textLineError(file, k + 1, 'empty item id', line);
    // only items that were rated get a code; unrated ones are kept apart, for search
    const code = itemIds.get(id);
    const m = { title: f[1].trim(), genres: f.length === 3 ? splitGenres(f[2], genreNames, seen) : [] };
    if (code === undefined) unrated.push({ id, meta: m });
    else meta.set(code, m);
  }
}

/** A CSV field without its surrounding quotes ("" inside becomes "). */
export function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}
