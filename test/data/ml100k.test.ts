import { beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../helpers/data.js';
import { crosstab, DataError, loadDataset, makeSplit, type Dataset } from '../../src/data/index.js';
import { ml100kFixture } from './fixtures.js';

let ds: Dataset;
beforeAll(async () => {
  ds = await loadDataset(testDataDir());
});

describe('MovieLens 100K (real data)', () => {
  it('has the published counts and columnar arrays', () => {
    expect(ds.format).toBe('ml-100k');
    expect(ds.name).toBe('ml-100k');
    expect([ds.nRatings, ds.nUsers, ds.nItems]).toEqual([100000, 943, 1682]);
    expect(ds.users).toBeInstanceOf(Int32Array);
    expect(ds.ratings).toBeInstanceOf(Float32Array);
    expect(ds.users.length).toBe(100000);
    expect(ds.timestamps[0]).toBe(881250949);
    expect(ds.warnings).toEqual([]);
    expect(ds.duplicatesDropped).toBe(0);
  });

  it('maps ids both ways, sorted numerically', () => {
    expect(ds.userIds[0]).toBe('1');
    expect(ds.userIds[942]).toBe('943');
    expect(ds.itemIndex.get('1682')).toBe(1681);
    // first line of u.data: 196 242 3
    expect(ds.userIds[ds.users[0]]).toBe('196');
    expect(ds.itemIds[ds.items[0]]).toBe('242');
    expect(ds.ratings[0]).toBe(3);
  });

  it('decodes u.item as latin-1', () => {
    expect(ds.titles[ds.itemIndex.get('543')!]).toBe('Misérables, Les (1995)');
    expect(ds.titles.some((t) => t.includes('\uFFFD'))).toBe(false);
  });

  it('parses years, genres and per-item statistics', () => {
    const sw = ds.itemIndex.get('50')!;
    expect(ds.titles[sw]).toBe('Star Wars (1977)');
    expect(ds.years[sw]).toBe(1977);
    expect(ds.genres[sw]).toEqual(['Action', 'Adventure', 'Romance', 'Sci-Fi', 'War']);
    expect(ds.genreNames).toHaveLength(19);
    expect(ds.itemCount[sw]).toBe(583);
    expect(ds.itemMean[sw]).toBeCloseTo(4.3585, 3);
    expect(ds.years[ds.itemIndex.get('267')!]).toBeNull(); // "unknown"
    let total = 0;
    for (const c of ds.userCount) total += c;
    expect(total).toBe(100000);
  });

  it('reports scale, histogram, user info and a stable hash', async () => {
    expect(ds.scale).toEqual({ min: 1, max: 5, step: 1 });
    expect(ds.histogram).toEqual([
      { rating: 1, count: 6110 },
      { rating: 2, count: 11370 },
      { rating: 3, count: 27145 },
      { rating: 4, count: 34174 },
      { rating: 5, count: 21201 },
    ]);
    expect(ds.userInfo?.[0]).toEqual({ age: 24, gender: 'M', occupation: 'technician', zip: '85711' });
    expect(ds.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await loadDataset(testDataDir())).hash).toBe(ds.hash);
  });

  it('reports load progress up to 1', async () => {
    const seen: number[] = [];
    await loadDataset(testDataDir(), { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, k) => f >= 0 && f <= 1 && (k === 0 || f >= seen[k - 1]))).toBe(true);
  });
});

describe('splits', () => {
  it('u1 matches the canonical files: 80000 / 20000', () => {
    const s = makeSplit(ds, 'u1');
    expect(s.train.length).toBe(80000);
    expect(s.valid.length).toBe(20000);
    const all = new Set([...s.train, ...s.valid]);
    expect(all.size).toBe(100000);
    // u1.test starts with "1 6 5 887431973"
    const first = s.valid[0];
    expect(s.valid.some((r) => ds.userIds[ds.users[r]] === '1' && ds.itemIds[ds.items[r]] === '6')).toBe(true);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(s.description).toContain('u1');
  });

  it('ua holds out 10 ratings per user', () => {
    const s = makeSplit(ds, 'ua');
    expect([s.train.length, s.valid.length]).toEqual([90570, 9430]);
    expect(s.coldUserRows).toBe(0);
  });

  it('random split is seeded: same seed same rows, other seed other rows', () => {
    const a = makeSplit(ds, 'random', { seed: 7 });
    const b = makeSplit(ds, 'random', { seed: 7 });
    const c = makeSplit(ds, 'random', { seed: 8 });
    expect(a.valid.length).toBe(20000);
    expect(a.train.length).toBe(80000);
    expect(Buffer.from(a.valid.buffer).equals(Buffer.from(b.valid.buffer))).toBe(true);
    expect(Buffer.from(a.valid.buffer).equals(Buffer.from(c.valid.buffer))).toBe(false);
    const both = new Uint8Array(ds.nRatings);
    for (const r of a.train) both[r]++;
    for (const r of a.valid) both[r]++;
    expect(both.every((x) => x === 1)).toBe(true);
    expect(makeSplit(ds, 'random', { validPct: 0.1 }).valid.length).toBe(10000);
  });

  it('counts cold-start rows instead of hiding them', () => {
    const s = makeSplit(ds, 'random', { validPct: 0.9, seed: 1 });
    expect(s.coldItemRows).toBeGreaterThan(0);
    expect(s.description).toMatch(/cold start/);
  });

  it('refuses unknown names, uN without the files, bad options and tiny data', async () => {
    expect(() => makeSplit(ds, 'u9')).toThrow(/unknown split "u9": use random, u1..u5, ua, ub, time, cv5/);
    expect(() => makeSplit(ds, 'random', { validPct: 1.5 })).toThrow(DataError);
    const small = await loadDataset(ml100kFixture());
    expect(() => makeSplit(small, 'u1')).toThrow(/split u1 needs u1.base and u1.test/);
    const one = await loadDataset(ml100kFixture({ 'u.data': '1\t1\t5\t0\n' }));
    expect(() => makeSplit(one, 'random')).toThrow(/too small to split: 1 rating/);
  });

  it('refuses split files that do not match u.data', async () => {
    const dir = ml100kFixture({ 'u1.base': '1\t1\t5\t881250949\n', 'u1.test': '9\t9\t5\t0\n' });
    const small = await loadDataset(dir);
    expect(() => makeSplit(small, 'u1')).toThrow(/u1\.test line 1: user 9 is not in u\.data: "9\\t9\\t5\\t0"/);
  });
});

describe('crosstab', () => {
  it('is most active users × most rated movies with blanks', () => {
    const ct = crosstab(ds, 15, 15);
    expect(ct.users).toHaveLength(15);
    expect(ct.movies).toHaveLength(15);
    expect(ct.cells).toHaveLength(15);
    expect(ct.cells.every((row) => row.length === 15)).toBe(true);
    expect(ct.users[0]).toBe('405'); // 737 ratings, the most active user
    expect(ct.movies[0]).toBe('Star Wars (1977)');
    const flat = ct.cells.flat();
    expect(flat.some((c) => c === null)).toBe(true);
    expect(flat.filter((c): c is number => c !== null).every((c) => c >= 1 && c <= 5)).toBe(true);
    const small = crosstab(ds, 3, 4);
    expect([small.users.length, small.movies.length, small.cells[0].length]).toEqual([3, 4, 4]);
  });
});
