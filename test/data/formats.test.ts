import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { detectLayout, loadDataset } from '../../src/data/index.js';
import { cleanupFixtures, fixtureDir, latin1 } from './fixtures.js';

afterAll(cleanupFixtures);

describe('MovieLens 1M (:: separators)', () => {
  const ratings = ['1::1193::5::978300760', '1::661::3::978302109', '2::1193::4::978298413', '3::3408::4::978300275'].join('\n') + '\n';
  const movies = latin1(
    ['1193::One Flew Over the Cuckoo\'s Nest (1975)::Drama', '661::James and the Giant Peach (1996)::Animation|Children\'s|Musical', '3408::Erin Brockovich (2000)::Drama', '9999::Café au Lait (1993)::Comedy'].join('\n') + '\n',
  );

  it('reads ratings, titles (latin-1), genres and years', async () => {
    const ds = await loadDataset(fixtureDir({ 'ratings.dat': ratings, 'movies.dat': movies }, 'ml-1m'));
    expect(ds.format).toBe('ml-1m');
    expect([ds.nRatings, ds.nUsers, ds.nItems]).toEqual([4, 3, 3]);
    expect(ds.itemIds).toEqual(['661', '1193', '3408']);
    const peach = ds.itemIndex.get('661')!;
    expect(ds.genres[peach]).toEqual(['Animation', "Children's", 'Musical']);
    expect(ds.years[ds.itemIndex.get('3408')!]).toBe(2000);
    expect(ds.genreNames).toEqual(['Drama', 'Animation', "Children's", 'Musical', 'Comedy']);
    expect(ds.itemCount[ds.itemIndex.get('1193')!]).toBe(2);
    expect(ds.itemMean[ds.itemIndex.get('1193')!]).toBe(4.5);
    expect(ds.timestamps[0]).toBe(978300760);
  });

  it('reads UTF-8 movies.dat (ML-10M) too', async () => {
    const ds = await loadDataset(
      fixtureDir({ 'ratings.dat': '1::9999::3.5::1\n', 'movies.dat': '9999::Café au Lait (1993)::Comedy\n' }),
    );
    expect(ds.titles[0]).toBe('Café au Lait (1993)');
    expect(ds.scale.min).toBe(3.5);
  });
});

describe('MovieLens latest CSV', () => {
  const ratings = 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n2,1,0.5,964982224\n2,6,5.0,964983815\n3,6,2.5,964982931\n';
  const movies =
    'movieId,title,genres\n' +
    '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n' +
    '3,"Grumpier Old Men, The (1995)",Comedy|Romance\n' +
    '6,"Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb, ""Uncut"" (1964)",Comedy|War\n' +
    '7,Unrated Movie (2001),(no genres listed)\n';

  it('reads quoted titles with commas and doubled quotes, and half stars', async () => {
    const ds = await loadDataset(fixtureDir({ 'ratings.csv': ratings, 'movies.csv': movies }, 'ml-latest-small'));
    expect(ds.format).toBe('ml-csv');
    expect(ds.name).toBe('ml-latest-small');
    expect([ds.nRatings, ds.nUsers, ds.nItems]).toEqual([5, 3, 3]);
    expect(ds.titles[ds.itemIndex.get('3')!]).toBe('Grumpier Old Men, The (1995)');
    expect(ds.titles[ds.itemIndex.get('6')!]).toBe('Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb, "Uncut" (1964)');
    expect(ds.years[ds.itemIndex.get('6')!]).toBe(1964);
    expect(ds.genres[ds.itemIndex.get('3')!]).toEqual(['Comedy', 'Romance']);
    expect(ds.scale).toEqual({ min: 0.5, max: 5, step: 0.5 });
    expect(ds.histogram.map((h) => h.rating)).toEqual([0.5, 2.5, 4, 4.5, 5]);
    expect(ds.itemMean[ds.itemIndex.get('1')!]).toBeCloseTo(2.25, 6);
  });

  it('accepts CRLF line ends and a UTF-8 BOM', async () => {
    const ds = await loadDataset(
      fixtureDir({ 'ratings.csv': '\uFEFF' + ratings.replace(/\n/g, '\r\n'), 'movies.csv': '\uFEFF' + movies.replace(/\n/g, '\r\n') }),
    );
    expect(ds.nRatings).toBe(5);
    expect(ds.titles[ds.itemIndex.get('1')!]).toBe('Toy Story (1995)');
  });

  it('warns about rated movies missing from movies.csv', async () => {
    const ds = await loadDataset(fixtureDir({ 'ratings.csv': ratings + '3,42,3.0,1\n', 'movies.csv': movies }));
    expect(ds.titles[ds.itemIndex.get('42')!]).toBe('');
    expect(ds.warnings.join('\n')).toMatch(/1 rated item is missing from .*movies\.csv \(first: id 42\)/);
  });
});

describe('generic CSV/TSV', () => {
  it('reads a headed CSV with string ids and an items file', async () => {
    const dir = fixtureDir({
      'ratings.csv': 'user,item,rating,timestamp\nalice,m1,4.5,1000\nbob,m1,3,1001\nbob,m2,-1,2020-01-02\ncarol,m3,10,\n',
      'items.csv': 'item,title\nm1,"Heat, The (1995)"\nm2,Plain Title\nm9,Unrated (2000)\n',
    });
    const ds = await loadDataset(dir);
    expect(ds.format).toBe('generic');
    expect([ds.nRatings, ds.nUsers, ds.nItems]).toEqual([4, 3, 3]);
    expect(ds.userIds).toEqual(['alice', 'bob', 'carol']);
    expect(ds.titles).toEqual(['Heat, The (1995)', 'Plain Title', '']);
    expect(ds.years).toEqual([1995, null, null]);
    expect(ds.scale.min).toBe(-1);
    expect(ds.scale.max).toBe(10);
    expect(ds.timestamps[2]).toBe(Date.parse('2020-01-02') / 1000);
    expect(ds.warnings.join()).toMatch(/missing from .*items\.csv/);
  });

  it('reads a headerless TSV without an items file, numeric ids sorted numerically', async () => {
    const dir = fixtureDir({ 'ratings.tsv': '10\t2\t3\n9\t100\t4\n10\t100\t5\n' });
    expect(detectLayout(dir)).toMatchObject({ format: 'generic', ratingsFile: path.join(dir, 'ratings.tsv') });
    const ds = await loadDataset(dir);
    expect(ds.userIds).toEqual(['9', '10']);
    expect(ds.itemIds).toEqual(['2', '100']);
    expect(ds.titles).toEqual(['', '']);
    expect(ds.warnings).toEqual([]);
  });

  it('loads a single file path directly', async () => {
    const dir = fixtureDir({ 'my-ratings.txt': '1,1,5\n1,2,4\n' });
    const ds = await loadDataset(path.join(dir, 'my-ratings.txt'));
    expect(ds.nRatings).toBe(2);
  });
});

describe('duplicates', () => {
  it('keeps the last rating of a repeated (user, item) pair, counts and warns', async () => {
    const dir = fixtureDir({ 'ratings.tsv': '1\t1\t1\n1\t2\t2\n1\t1\t5\n2\t1\t3\n1\t1\t4\n' });
    const ds = await loadDataset(dir);
    expect(ds.nRatings).toBe(3);
    expect(ds.duplicatesDropped).toBe(2);
    const row = [...ds.users.keys()].find((r) => ds.userIds[ds.users[r]] === '1' && ds.itemIds[ds.items[r]] === '1')!;
    expect(ds.ratings[row]).toBe(4);
    expect(ds.itemCount[ds.itemIndex.get('1')!]).toBe(2);
    expect(ds.warnings[0]).toMatch(/2 duplicate \(user, item\) ratings \(first: user 1, item 1\); kept the last rating of each pair/);
  });
});
