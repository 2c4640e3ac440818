/** Which reader fits a path: decided from file names (and the ratings.csv header), never guessed silently. */
import { closeSync, constants, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { describeFsError, errCode } from './fsErrors.js';
import path from 'node:path';
import type { DatasetFormat } from './types.js';
import { DataError } from './types.js';
import { RATINGS_CSV_HEADER } from './readers/mlcsv.js';

export interface Layout {
  format: DatasetFormat;
  /** The folder (or, for a generic file, the file itself). */
  source: string;
  ratingsFile: string;
  itemsFile?: string;
}

const GENERIC_RATINGS = ['ratings.csv', 'ratings.tsv', 'ratings.txt'];
const GENERIC_ITEMS = ['items.csv', 'items.tsv', 'titles.csv', 'titles.tsv', 'movies.csv', 'movies.tsv'];

export const EXPECTED_LAYOUTS =
  'u.data + u.item (MovieLens 100K), ratings.dat + movies.dat (MovieLens 1M/10M), ' +
  'ratings.csv + movies.csv (MovieLens latest/20M/25M/32M), or ratings.csv/ratings.tsv with user,item,rating[,timestamp] ' +
  '(plus an optional items.csv of item,title)';

export function detectLayout(target: string): Layout {
  let st;
  try {
    st = statSync(target);
  } catch (err) {
    // ENOENT in the old words; a symlink loop, a permission or a file in the path said as what it is
    if (errCode(err) === 'ENOENT') throw new DataError(`no such file or directory: ${target}`);
    throw new DataError(describeFsError(err, `cannot read ${target}`));
  }
  if (st.isFile()) return { format: 'generic', source: target, ratingsFile: target };
  if (!st.isDirectory()) throw new DataError(`${target} is neither a file nor a directory`);

  let names: string[];
  try {
    names = readdirSync(target);
  } catch (err) {
    throw new DataError(describeFsError(err, `cannot list ${target}`));
  }
  const has = (f: string) => names.includes(f);
  const at = (f: string) => path.join(target, f);
  if (has('u.data')) {
    if (!has('u.item')) throw new DataError(`${target} has u.data but no u.item: a MovieLens 100K folder needs both`);
    return { format: 'ml-100k', source: target, ratingsFile: at('u.data'), itemsFile: at('u.item') };
  }
  if (has('ratings.dat')) {
    if (!has('movies.dat')) throw new DataError(`${target} has ratings.dat but no movies.dat: a MovieLens 1M/10M folder needs both`);
    return { format: 'ml-1m', source: target, ratingsFile: at('ratings.dat'), itemsFile: at('movies.dat') };
  }
  if (has('ratings.csv') && has('movies.csv') && RATINGS_CSV_HEADER.test(firstLine(at('ratings.csv')))) {
    return { format: 'ml-csv', source: target, ratingsFile: at('ratings.csv'), itemsFile: at('movies.csv') };
  }
  let ratings = GENERIC_RATINGS.find(has);
  if (!ratings) {
    // a lone CSV/TSV that is not a titles file is taken as the ratings
    const candidates = names.filter((f) => /\.(csv|tsv)$/i.test(f) && !GENERIC_ITEMS.includes(f));
    if (candidates.length === 1) ratings = candidates[0];
  }
  if (ratings) {
    const items = GENERIC_ITEMS.find(has);
    return { format: 'generic', source: target, ratingsFile: at(ratings), ...(items ? { itemsFile: at(items) } : {}) };
  }

  const found = names.length === 0 ? 'the folder is empty' : `found: ${names.slice(0, 6).map((f) => (f.length > 24 ? f.slice(0, 23) + '…' : f)).join(', ')}${names.length > 6 ? ', …' : ''}`;
  const sub = names.find((f) => /^ml-/.test(f) && statSync(at(f), { throwIfNoEntry: false })?.isDirectory());
  const hint = sub ? ` (did you mean --data ${at(sub)}?)` : '';
  throw new DataError(`${target} does not look like a ratings dataset${hint}: expected ${EXPECTED_LAYOUTS}; ${found}`);
}

function firstLine(file: string): string {
  // a FIFO or a device named ratings.csv must not block detection: non-blocking, regular files only
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st?.isFile()) return '';
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new DataError(describeFsError(err, `cannot read ${file}`));
  }
  try {
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, n).replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  } finally {
    closeSync(fd);
  }
}
