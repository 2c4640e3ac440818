import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { testDataDir } from '../helpers/data.js';
import { cv5Names, DataError, loadDataset, makeSplit, makeSplits, parseSplitFiles, type Dataset, type Split } from '../../src/data/index.js';
import { cleanupFixtures, fixtureDir, ml100kFixture, tmpRoot } from './fixtures.js';

let ds: Dataset;
beforeAll(async () => {
  ds = await loadDataset(testDataDir());
});
afterAll(cleanupFixtures);

/** Each row of the dataset counted once per split it is tested in (and train + test = all, disjoint). */
function testedCounts(d: Dataset, splits: Split[]): Uint8Array {
  const seen = new Uint8Array(d.nRatings);
  for (const s of splits) {
    const inSplit = new Uint8Array(d.nRatings);
    for (const r of s.train) inSplit[r]++;
    for (const r of s.valid) inSplit[r]++;
    expect(inSplit.every((c) => c === 1)).toBe(true);
    for (const r of s.valid) seen[r]++;
  }
  return seen;
}

const pairs = (d: Dataset, rows: Int32Array) => [...rows].map((r) => `${d.userIds[d.users[r]]}:${d.itemIds[d.items[r]]}`).sort();

describe('time split', () => {
  it('tests the newest 20 % of ML-100K: no test rating precedes any training rating', () => {
    const s = makeSplit(ds, 'time');
    expect([s.train.length, s.valid.length]).toEqual([80000, 20000]);
    let newestTrain = -Infinity;
    for (const r of s.train) newestTrain = Math.max(newestTrain, ds.timestamps[r]);
    let oldestTest = Infinity;
    for (const r of s.valid) oldestTest = Math.min(oldestTest, ds.timestamps[r]);
    expect(newestTrain).toBeLessThanOrEqual(oldestTest);
    expect(testedCounts(ds, [s]).reduce((a, b) => a + b, 0)).toBe(20000);
    // the future is full of people the past has not met: the split says so rather than hiding it
    expect(s.coldUserRows).toBeGreaterThan(0);
    expect(s.description).toMatch(/newest 20 % of ratings \(from 1998-/);
    expect(makeSplit(ds, 'time', { validPct: 0.1 }).valid.length).toBe(10000);
  });

  it('breaks ties at the cut by (user, item), whatever the file order', async () => {
    // 10 ratings; 20 % → 2 test rows; the cut timestamp 50 is shared by three ratings, one of which
    // (the smallest user, item) must stay in train: users 1..10 rate item 1 unless noted
    const lines = [
      '1,1,3,10', '2,1,3,20', '3,1,3,30', '4,1,3,40', '5,1,3,41', '6,1,3,42', '7,1,3,43',
      '9,1,4,50', '8,2,4,50', '8,1,4,50',
    ];
    const expectTest = ['8:2', '9:1']; // (8,1) < (8,2) < (9,1): (8,1) is the tie kept for training
    for (const order of [lines, [...lines].reverse()]) {
      const d = await loadDataset(fixtureDir({ 'ratings.csv': order.join('\n') + '\n' }));
      const s = makeSplit(d, 'time');
      expect(pairs(d, s.valid)).toEqual(expectTest);
      expect(pairs(d, s.train)).toContain('8:1');
    }
  });

  it('refuses data without a timeline', async () => {
    const d = await loadDataset(fixtureDir({ 'ratings.csv': 'a,x,3\nb,y,4\nc,x,5\n' }));
    expect(() => makeSplit(d, 'time')).toThrow(/has no timeline to cut: every rating has the timestamp 0; use random or cv5/);
  });
});

describe('cv5', () => {
  it('is u1..u5 on ML-100K: every rating is tested exactly once', () => {
    expect(cv5Names(ds)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    const folds = makeSplits(ds, 'cv5');
    expect(folds.map((f) => f.name)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(folds.every((f) => f.valid.length === 20000)).toBe(true);
    expect(testedCounts(ds, folds).every((c) => c === 1)).toBe(true);
  });

  it('is five seeded folds elsewhere that partition the data', async () => {
    const lines = Array.from({ length: 53 }, (_, k) => `u${k % 7},i${k % 11},${1 + (k % 5)},${k}`);
    const d = await loadDataset(fixtureDir({ 'ratings.csv': [...new Set(lines)].join('\n') + '\n' }));
    expect(cv5Names(d)).toEqual(['fold1', 'fold2', 'fold3', 'fold4', 'fold5']);
    const folds = makeSplits(d, 'cv5', { seed: 3 });
    expect(testedCounts(d, folds).every((c) => c === 1)).toBe(true);
    const sizes = folds.map((f) => f.valid.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    // one fold alone is the same fold (a snapshot trained on fold 3 can be re-evaluated on it)
    expect([...makeSplit(d, 'fold3', { seed: 3 }).valid]).toEqual([...folds[2].valid]);
    expect([...makeSplits(d, 'cv5', { seed: 4 })[0].valid]).not.toEqual([...folds[0].valid]);
  });

  it('is refused as a single split, with the folds named', () => {
    expect(() => makeSplit(ds, 'cv5')).toThrow(/split cv5 is 5 train\/test splits, not one: train on one fold \(u1, u2, u3, u4, u5\)/);
    expect(makeSplits(ds, 'u2').map((s) => s.name)).toEqual(['u2']);
  });
});

describe('split files', () => {
  it('matches ML-100K u1.base / u1.test onto the same rows as u1', () => {
    const files = parseSplitFiles(`${path.join(testDataDir(), 'u1.base')},${path.join(testDataDir(), 'u1.test')}`);
    const s = makeSplit(ds, 'files', { files });
    const u1 = makeSplit(ds, 'u1');
    expect(s.name).toBe('files');
    expect(Buffer.from(s.train.buffer).equals(Buffer.from(u1.train.buffer))).toBe(true);
    expect(Buffer.from(s.valid.buffer).equals(Buffer.from(u1.valid.buffer))).toBe(true);
  });

  it('reads a generic dataset\'s own format: header, quoted ids, 3 or 4 fields; says what is left out', async () => {
    const d = await loadDataset(fixtureDir({ 'ratings.csv': 'user,item,rating\nann,x1,4\nann,y,2\nbob,y,5\ncid,x1,1\n' }));
    const dir = tmpRoot();
    const train = path.join(dir, 'train.csv');
    const test = path.join(dir, 'test.csv');
    writeFileSync(train, 'user,item,rating,timestamp\nann,"x1",4,0\nbob,y,5,0\n');
    writeFileSync(test, 'ann,y,2\n');
    const s = makeSplit(d, 'files', { files: { train, test } });
    expect(pairs(d, s.train)).toEqual(['ann:x1', 'bob:y']);
    expect(pairs(d, s.valid)).toEqual(['ann:y']);
    expect(s.description).toMatch(/1 rating\(s\) of .* are in neither/);
  });

  it('reads ML-1M "::" files', async () => {
    const d = await loadDataset(
      fixtureDir({ 'ratings.dat': '1::10::5::1\n1::20::3::2\n2::10::4::3\n', 'movies.dat': '10::A (1990)::Drama\n20::B (1991)::Comedy\n' }, 'ml-1m'),
    );
    const dir = tmpRoot();
    writeFileSync(path.join(dir, 'a.dat'), '1::10::5::1\n2::10::4::3\n');
    writeFileSync(path.join(dir, 'b.dat'), '1::20::3::2\n');
    const s = makeSplit(d, 'files', { files: { train: path.join(dir, 'a.dat'), test: path.join(dir, 'b.dat') } });
    expect([s.train.length, s.valid.length]).toEqual([2, 1]);
  });

  it('refuses lines that are not the dataset\'s ratings, by file and line', async () => {
    const d = await loadDataset(ml100kFixture());
    const dir = tmpRoot();
    const good = path.join(dir, 'train');
    writeFileSync(good, '1\t1\t5\t881250949\n');
    const cases: [string, RegExp][] = [
      ['9\t1\t5\t0\n', /test line 1: user 9 is not in u\.data: "9\\t1\\t5\\t0"/],
      ['1\t9\t5\t0\n', /test line 1: item 9 is not in u\.data/],
      ['1\t3\t5\t0\n', /test line 1: user 1 never rated item 3 in u\.data/],
      ['1\t2\t4\t0\n', /test line 1: rating 4 here, but 3 for this user and item in u\.data/],
      ['1\t2\t3\t0\n1\t1\t5\t0\n', /test line 2: this rating appears twice in the split files/],
      ['1 2 3 0\n', /test line 1: expected 3 or 4 TAB-separated fields .*, got 1 \(wrong separator\?\)/],
      ['1\t2\t3\t0\nx\t2\t3\t0\n', /test line 2: user id "x" is not a whole number/],
      ['\n', /test holds no ratings/],
    ];
    for (const [content, message] of cases) {
      const test = path.join(dir, 'test');
      writeFileSync(test, content);
      expect(() => makeSplit(d, 'files', { files: { train: good, test } })).toThrow(message);
    }
    expect(() => makeSplit(d, 'files')).toThrow(/needs two rating files: --split-files TRAIN,TEST/);
    expect(() => parseSplitFiles('only-one')).toThrow(DataError);
    expect(() => parseSplitFiles(`${good},${path.join(dir, 'missing')}`)).toThrow(/no such file: .*missing/);
  });
});
