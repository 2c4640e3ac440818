/**
 * MovieLens 1M / 10M: ratings.dat and movies.dat with "::" separators, genres "A|B|C".
 * The scale is half stars because ML-10M (same format) has them; ML-1M's whole stars fit inside.
 */
import path from 'node:path';
import { DataError } from '../types.js';
import type { ItemMeta, RawDataset } from '../build.js';
import { readTitleFile, textLineError, textLines } from '../text.js';
import { readRatingsThenMovies } from './ratingLines.js';

export function readMl1m(dir: string, onProgress?: (f: number) => void): Promise<RawDataset> {
  return readRatingsThenMovies({
    dir,
    format: 'ml-1m',
    ratings: { file: path.join(dir, 'ratings.dat'), sep: '::', sepName: '"::"', header: null },
    moviesFile: path.join(dir, 'movies.dat'),
    readMovies,
    ratingsShare: 0.95,
    onProgress,
  });
}

async function readMovies(file: string, genreNames: string[], warnings: string[]): Promise<Map<number, ItemMeta>> {
  // ML-1M's movies.dat is latin-1, ML-10M's is UTF-8: decodeTitleFile tells them apart
  const lines = textLines(await readTitleFile(file, 'latin1', warnings));
  const seen = new Set<string>();
  const meta = new Map<number, ItemMeta>();
  lines.forEach((line, k) => {
    if (line === '') return;
    const f = line.split('::');
    if (f.length !== 3) {
      throw textLineError(file, k + 1, `expected 3 "::"-separated fields (id, title, genres), got ${f.length}`, line);
    }
    if (!/^\d+$/.test(f[0])) throw textLineError(file, k + 1, `item id "${f[0]}" is not a whole number`, line);
    meta.set(Number(f[0]), { title: f[1].trim(), genres: splitGenres(f[2], genreNames, seen) });
  });
  if (meta.size === 0) throw new DataError(`${file} has no movies`);
  return meta;
}

/** "A|B" -> ["A", "B"], "(no genres listed)" -> []; collects genre names in first-seen order. */
export function splitGenres(field: string, genreNames: string[], seen: Set<string>): string[] {
  const trimmed = field.trim();
  if (trimmed === '' || trimmed === '(no genres listed)') return [];
  const genres = trimmed.split('|');
  for (const g of genres) {
    if (!seen.has(g)) {
      seen.add(g);
      genreNames.push(g);
    }
  }
  return genres;
}
