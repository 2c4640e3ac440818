/**
 * Numbers mean what they say: flags and `--rate` stars in decimal only (src/data/numbers.ts), a
 * y_range that suits the data, repeated flags documented; ids past 2^31 in MovieLens formats; movies
 * listed without ratings found by search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadDataset } from '../../src/data/index.js';
import { Session } from '../../src/model/runtime/session.js';
import { parseField } from '../../src/ui/panes/train/trainFields.js';
import { expectRefusal, expectUserError, ml100kFolder, removeTemps, runCli, semaphore, tempDir, tree, writeFolder, type Run } from './helpers.js';

const limited = semaphore(3);
const started = new Map<string, Promise<Run>>();
const cli = (id: string, args: string[]) => started.set(id, limited(() => runCli(args, { FACTORLENS_SNAPSHOTS: snaps, XDG_STATE_HOME: path.join(root, 'state') })));
const result = (id: string) => started.get(id)!;

let root: string;
let small: string;
let snaps: string;
let latest: string; // ML CSV, half stars, two movies nobody rated
let generic: string; // user,item,rating with an items.csv that lists an unrated item

const badFlags: [string, string[], RegExp][] = [
  ['factors-hex', ['--factors', '0x10'], /--factors must be a whole number from 1 to 1024 in decimal digits, got "0x10"/],
  ['factors-exp', ['--factors', '1e1'], /--factors must be a whole number from 1 to 1024 in decimal digits, got "1e1"/],
  ['factors-empty', ['--factors', ''], /--factors must be a whole number .* got ""/],
  ['factors-space', ['--factors', ' 16'], /--factors must be a whole number .* got " 16"/],
  ['epochs-fraction', ['--epochs', '1.5'], /--epochs must be a whole number/],
  ['bs-binary', ['--bs', '0b1000000'], /--bs must be a whole number .* in decimal digits/],
  ['seed-hex', ['--seed', '0xff'], /--seed must be a whole number/],
  ['lr-hex', ['--lr', '0x10'], /--lr must be a number in decimal, like 0\.1 or 5e-3, got "0x10"/],
  ['lr-infinity', ['--lr', 'Infinity'], /--lr must be a number in decimal/],
  ['lr-overflow', ['--lr', '1e400'], /--lr must be a number in decimal, like 0\.1 or 5e-3 of a size a number can hold/],
  ['wd-space', ['--wd', '0.1 '], /--wd must be a number in decimal/],
  ['layers-hex', ['--model', 'nn', '--layers', '0x10'], /--layers must be comma-separated positive whole numbers/],
  ['y-range-hex', ['--y-range', '0,0x5'], /--y-range must be two decimal numbers low,high/],
  ['y-range-huge', ['--y-range', '0,1e308'], /y_range 0,1e\+308 is more than 100× wider than the ratings \(the ratings run 1\.\.5\)/],
  ['y-range-beside', ['--y-range', '10,20'], /y_range 10,20 lies outside the ratings \(the ratings run 1\.\.5\)/],
  ['y-range-nan', ['--y-range', 'NaN,5'], /--y-range must be two decimal numbers/],
];

beforeAll(() => {
  root = tempDir();
  snaps = path.join(root, 'snaps');
  small = ml100kFolder(root, 'small');
  for (const [id, flags] of badFlags) cli(id, ['train', '--data', small, ...flags, '--save', 'x']);
  cli('rate-hex', ['recommend', '--data', small, '--rate', 'Movie 3 (1992)=0x4']);
  cli('rate-exp', ['recommend', '--data', small, '--rate', 'Movie 3 (1992)=4e0']);
  cli('rate-infinity', ['recommend', '--data', small, '--rate', 'Movie 3 (1992)=Infinity']);
  cli('top-hex', ['search', 'movie', '--data', small, '--top', '0x5']);
  cli('y-range-narrow', ['train', '--data', small, '--epochs', '1', '--y-range', '2,3', '--json']);
  cli('repeated', ['train', '--data', small, '--epochs', '3', '--epochs', '1', '--json']);
  cli('help-train', ['train', '--help']);
  cli('help-top', ['--help']);

  const ratings = ['userId,movieId,rating,timestamp'];
  for (let u = 1; u <= 12; u++) for (let i = 1; i <= 8; i++) if ((u + i) % 3) ratings.push(`${u},${i},${0.5 + ((u * i) % 10) / 2},0`);
  const movies = ['movieId,title,genres', ...Array.from({ length: 8 }, (_, k) => `${k + 1},Rated Film ${k + 1} (200${k}),Drama`)];
  movies.push('9,Nobody Rated This One (2001),Drama', '10,"Unseen, The (2003)",Comedy');
  latest = writeFolder(root, 'latest', { 'ratings.csv': ratings.join('\n') + '\n', 'movies.csv': movies.join('\n') + '\n' });
  cli('search-unrated', ['search', 'nobody rated this one', '--data', latest]);
  cli('search-unrated-json', ['search', 'unseen', '--data', latest, '--json']);
  cli('info-unrated', ['data', 'info', '--data', latest]);
  generic = writeFolder(root, 'generic', { 'ratings.csv': 'user,item,rating\na,x,4\nb,x,3\na,y,5\n', 'items.csv': 'item,title\nx,Ex Film (1990)\ny,Why Film (1991)\nz,Zed Never Rated (1992)\n' });
  cli('search-unrated-generic', ['search', 'zed never rated', '--data', generic]);

  const big = (field: 'user' | 'item') =>
    writeFolder(root, `big-${field}`, {
      'ratings.csv': `userId,movieId,rating,timestamp\n1,1,4,0\n${field === 'user' ? '2147483648,1' : '1,2147483648'},4,0\n`,
      'movies.csv': 'movieId,title,genres\n1,A (1990),Drama\n2147483648,B (1991),Drama\n',
    });
  cli('big-user', ['data', 'info', '--data', big('user')]);
  cli('big-item', ['data', 'info', '--data', big('item')]);
});

afterAll(async () => {
  await Promise.allSettled(started.values());
  removeTemps();
});

describe('flags take decimal numbers only, refused before anything is trained or saved', () => {
  for (const [id, , pattern] of badFlags) {
    it(id, async () => {
      const r = await result(id);
      expectRefusal(r, [pattern]);
      expect(r.stderr).not.toMatch(/^training/m);
      expect(tree(snaps)).toEqual([]);
    });
  }

  it('--rate stars: 0x4, 4e0 and Infinity are refused, saying the stars are the problem', async () => {
    expectRefusal(await result('rate-hex'), [/--rate expects "TITLE=STARS".*\(the stars must be a number like 4 or 3\.5\), got "Movie 3 \(1992\)=0x4"/]);
    expectRefusal(await result('rate-exp'), [/the stars must be a number like 4 or 3\.5/]);
    expectRefusal(await result('rate-infinity'), [/the stars must be a number like 4 or 3\.5/]);
  });

  it('every command\'s counts too (search --top 0x5)', async () => {
    expectRefusal(await result('top-hex'), [/--top must be a whole number from 1 to 1000 in decimal digits, got "0x5"/]);
  });

  it('--y-range 2,3 on 1..5 stars trains, with a warning that it cannot reach the extremes', async () => {
    const r = await result('y-range-narrow');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: y_range 2,3 cannot reach ratings below 2 or above 3 \(the ratings run 1\.\.5\): predictions stay inside it; e\.g\. 0,5\.5/);
    expect(JSON.parse(r.stdout).options.yRange).toEqual([2, 3]);
  });

  it('a repeated flag takes its last value, and --help says so', async () => {
    const r = await result('repeated');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).options.epochs).toBe(1);
    for (const id of ['help-train', 'help-top']) {
      const h = await result(id);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(/A flag given twice takes its last value \(--rate is the exception: each one adds a rating\)/);
      expect(h.stdout).toMatch(/Numbers are decimal: 16, 0\.5, 5e-3 \(whole-number flags take digits only; no 0x10, no spaces\)/);
    }
  });

  it('the app\'s form reads numbers with the same parser', () => {
    expect(() => parseField('factors', '1e1')).toThrow(/factors must be a whole number in decimal digits/);
    expect(() => parseField('lr', '0x10')).toThrow(/lr must be a number in decimal/);
    expect(() => parseField('yRange', '0,Infinity')).toThrow(/y_range must be numbers/);
    expect(parseField('lr', '5e-3')).toEqual({ lr: 0.005 });
  });
});

describe('numbers in files', () => {
  it('a generic ratings file: "0x4" is not a rating of 4 (the same number reader), "4e0" still is', async () => {
    const dir = writeFolder(tempDir(), 'hex', { 'ratings.csv': 'user,item,rating\na,x,4\nb,x,0x4\n' });
    await expectUserError(() => loadDataset(dir), [/ratings\.csv line 3: rating "0x4" is not a number/]);
    const exp = writeFolder(tempDir(), 'exp', { 'ratings.csv': 'user,item,rating\na,x,4\nb,x,4e0\n' });
    expect(Array.from((await loadDataset(exp)).ratings)).toEqual([4, 4]);
  });
});

describe('ids beyond 2^31 in the MovieLens CSV format', () => {
  it('a user id or an item id past 2147483647: "out of range", not "not a whole number"', async () => {
    expectRefusal(await result('big-user'), [/ratings\.csv line 3: user id 2147483648 is out of range: this format's ids go up to 2147483647 \(a generic user,item,rating file takes any id\)/]);
    expectRefusal(await result('big-item'), [/ratings\.csv line 3: item id 2147483648 is out of range/]);
  });

  it('still "not a whole number" for letters', async () => {
    const dir = writeFolder(tempDir(), 'letters', { 'ratings.csv': 'userId,movieId,rating,timestamp\nu1,1,4,0\n', 'movies.csv': 'movieId,title,genres\n1,A (1990),Drama\n' });
    await expectUserError(() => loadDataset(dir), [/user id "u1" is not a whole number/]);
  });
});

describe('movies listed without ratings', () => {
  it('search finds one and says it has no ratings (so no learned factors), not a poor match among the rated', async () => {
    const r = await result('search-unrated');
    expect(r.code, r.stderr).toBe(0);
    const first = r.stdout.split('\n')[2];
    expect(first).toMatch(/^\s*1\s+\d+%\s+9\s+none\s+—\s+Nobody Rated This One \(2001\)$/);
    expect(r.stderr).toMatch(/1 of these has no ratings in latest: no model learns factors for it, so it cannot be rated, compared or recommended/);
  });

  it('the app\'s search (Search and Rate panes) finds one too, marked unrated, beside the rated titles', async () => {
    const session = new Session({ dataDir: latest, stateDir: tempDir() });
    expect((await session.datasetStatus()).state).toBe('ready');
    const hits = session.searchTitles('nobody rated this one', 5);
    expect(hits[0]).toMatchObject({ title: 'Nobody Rated This One (2001)', rated: false, close: true });
    expect(hits[0].index).toBeLessThan(0);
    expect(session.searchTitles('rated film 3', 5)[0]).toMatchObject({ title: 'Rated Film 3 (2002)', index: 2 });
    expect(session.searchTitles('rated film 3', 5)[0].rated).toBeUndefined();
    await session.close();
  });

  it('--json marks it: rated false, no index, no mean', async () => {
    const j = JSON.parse((await result('search-unrated-json')).stdout);
    expect(j.hits[0]).toMatchObject({ index: null, id: '10', title: 'Unseen, The (2003)', ratings: 0, mean: null, rated: false });
  });

  it('data info counts them; the generic format keeps them too', async () => {
    expect((await result('info-unrated')).stdout).toMatch(/items\s+8; 2 more listed without ratings/);
    const g = await result('search-unrated-generic');
    expect(g.stdout).toMatch(/1\s+\d+%\s+z\s+none\s+—\s+Zed Never Rated \(1992\)/);
    const ds = await loadDataset(latest);
    expect(ds.unrated?.map((u) => u.title)).toEqual(['Nobody Rated This One (2001)', 'Unseen, The (2003)']);
    expect(ds.nItems).toBe(8); // not in the model's vocabulary: no index, no factors
  });
});
