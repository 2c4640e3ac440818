/** MovieLens latest / 20M / 25M / 32M: ratings.csv and movies.csv with headers, quoted titles, half stars. */
import path from 'node:path';
import { DataError } from '../types.js';
import type { ItemMeta, RawDataset } from '../build.js';
import { readTitleFile, parseCsvLine, textLineError, textLines } from '../text.js';
import { readRatingsThenMovies } from './ratingLines.js';
import { splitGenres } from './ml1m.js';

export const RATINGS_CSV_HEADER = /^userId,movieId,rating,timestamp\s*$/i;

export function readMlCsv(dir: string, onProgress?: (f: number) => void): Promise<RawDataset> {
  return readRatingsThenMovies({
    dir,
    format: 'ml-csv',
    ratings: { file: path.join(dir, 'ratings.csv'), sep: ',', sepName: 'comma', header: RATINGS_CSV_HEADER, headerText: 'userId,movieId,rating,timestamp' },
    moviesFile: path.join(dir, 'movies.csv'),
    readMovies: readMoviesCsv,
    ratingsShare: 0.97,
    onProgress,
  });
}

async function readMoviesCsv(file: string, genreNames: string[], warnings: string[]): Promise<Map<number, ItemMeta>> {
  const lines = textLines(await readTitleFile(file, 'utf8', warnings));
  if (lines.length === 0) throw new DataError(`${file} is empty`);
  if (!/^movieId,title,genres\s*$/i.test(lines[0].replace(/^\uFEFF/, ''))) {
    throw textLineError(file, 1, 'expected the header "movieId,title,genres"', lines[0]);
  }
  const seen = new Set<string>();
  const meta = new Map<number, ItemMeta>();
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k];
    if (line === '') continue;
    const f = parseCsvLine(line);
    if (!f) throw textLineError(file, k + 1, 'unterminated quoted field', line);
    if (f.length !== 3) {
      throw textLineError(file, k + 1, `expected 3 comma-separated fields (movieId, title, genres), got ${f.length}`, line);
    }
    if (!/^\d+$/.test(f[0])) throw textLineError(file, k + 1, `movie id "${f[0]}" is not a whole number`, line);
    meta.set(Number(f[0]), { title: f[1].trim(), genres: splitGenres(f[2], genreNames, seen) });
  }
  if (meta.size === 0) throw new DataError(`${file} has no movies (only a header line)`);
  return meta;
}
