/** MovieLens 100K: u.data (TAB), u.item (pipe, latin-1, 19 genre flags), u.genre, u.user. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { UserInfo } from '../types.js';
import { DataError } from '../types.js';
import type { ItemMeta, RawDataset } from '../build.js';
import { readTitleFile, textLineError, textLines } from '../text.js';
import { readNumericRatings, WHOLE_STARS } from './ratingLines.js';

/** u.genre as GroupLens ships it, for folders that lack the file. */
export const ML100K_GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

export async function readMl100k(dir: string, onProgress?: (f: number) => void): Promise<RawDataset> {
  const warnings: string[] = [];
  const dataFile = path.join(dir, 'u.data');
  const cols = await readNumericRatings({
    file: dataFile,
    sep: '\t',
    sepName: 'TAB',
    header: null,
    scale: WHOLE_STARS,
    onProgress: onProgress && ((f) => onProgress(f * 0.9)),
  });
  const genreNames = await readGenres(path.join(dir, 'u.genre'), warnings);
  const itemsFile = path.join(dir, 'u.item');
  const itemMeta = await readItems(itemsFile, genreNames, warnings);
  const userFile = path.join(dir, 'u.user');
  const userInfo = existsSync(userFile) ? await readUsers(userFile, warnings) : undefined;
  onProgress?.(1);
  return {
    name: path.basename(path.resolve(dir)),
    format: 'ml-100k',
    source: dir,
    ratingsFile: dataFile,
    cols: cols.trim(),
    itemMeta,
    itemsFile,
    genreNames,
    userInfo,
    warnings,
  };
}

async function readGenres(file: string, warnings: string[]): Promise<string[]> {
  if (!existsSync(file)) return ML100K_GENRES.slice();
  const lines = textLines(await readTitleFile(file, 'latin1', warnings));
  const names: string[] = [];
  lines.forEach((line, k) => {
    if (line.trim() === '') return;
    const [name, idx] = line.split('|');
    if (name === undefined || idx === undefined || Number(idx) !== names.length) {
      throw textLineError(file, k + 1, `expected "name|${names.length}"`, line);
    }
    names.push(name);
  });
  if (names.length === 0) throw new DataError(`${file} lists no genres`);
  return names;
}

async function readItems(file: string, genreNames: string[], warnings: string[]): Promise<Map<number, ItemMeta>> {
  const lines = textLines(await readTitleFile(file, 'latin1', warnings));
  const expected = 5 + genreNames.length;
  const meta = new Map<number, ItemMeta>();
  lines.forEach((line, k) => {
    if (line === '') return;
    const f = line.split('|');
    if (f.length !== expected) {
      throw textLineError(
        file,
        k + 1,
        `expected ${expected} |-separated fields (id, title, release date, video date, IMDb URL, ${genreNames.length} genre flags), got ${f.length}`,
        line,
      );
    }
    if (!/^\d+$/.test(f[0])) throw textLineError(file, k + 1, `item id "${f[0]}" is not a whole number`, line);
    const genres: string[] = [];
    for (let g = 0; g < genreNames.length; g++) {
      const flag = f[5 + g];
      if (flag === '1') genres.push(genreNames[g]);
      else if (flag !== '0') throw textLineError(file, k + 1, `genre flag ${g + 1} is "${flag}", expected 0 or 1`, line);
    }
    meta.set(Number(f[0]), { title: f[1].trim(), genres });
  });
  if (meta.size === 0) throw new DataError(`${file} has no items`);
  return meta;
}

async function readUsers(file: string, warnings: string[]): Promise<Map<number, UserInfo>> {
  const lines = textLines(await readTitleFile(file, 'latin1', warnings));
  const info = new Map<number, UserInfo>();
  lines.forEach((line, k) => {
    if (line === '') return;
    const f = line.split('|');
    if (f.length !== 5 || !/^\d+$/.test(f[0]) || !/^\d+$/.test(f[1])) {
      throw textLineError(file, k + 1, 'expected "user id|age|gender|occupation|zip code"', line);
    }
    info.set(Number(f[0]), { age: Number(f[1]), gender: f[2], occupation: f[3], zip: f[4] });
  });
  return info;
}
