/**
 * The leaderboard: every model on the same split through the one trainer, cv5 as mean ± sd over five
 * folds, the users without training ratings in a block of their own, and the cache — a reopened board
 * is read back, and a row is recomputed when the data, the split or the model's options change.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadDataset } from '../../src/data/index.js';
import { readRow, rowKey, writeRow } from '../../src/model/leaderboard/cache.js';
import { runLeaderboard, type LeaderboardEvent } from '../../src/model/leaderboard/run.js';
import { resolveOptions } from '../../src/model/train/defaults.js';
import { barFractions, sortByMetric } from '../../src/model/leaderboard/metrics.js';
import { cleanupFixtures, fixtureDir, tmpRoot } from '../data/fixtures.js';

afterAll(cleanupFixtures);

/**
 * 40 users in two taste groups × 30 movies (some better liked by everyone), timestamps rising; `late`
 * users rate only after everyone else (cold on a time split).
 */
function ratingsCsv(change = false, late = 0): string {
  const lines = ['user,item,rating,timestamp'];
  let t = 1000;
  for (let u = 0; u < 40 + late; u++) {
    for (let i = 0; i < 30; i++) {
      if ((u * 7 + i * 11) % 3 === 0) continue;
      const likes = (u < 20) === (i < 15);
      const quality = i % 3 === 0 ? 1 : i % 3 === 1 ? -1 : 0;
      const r = Math.min(5, Math.max(1, (likes ? 4 + ((u + i) % 2) : 1 + ((u + i) % 3)) + quality));
      lines.push(`u${u},m${i},${r},${u >= 40 ? 10_000_000 + t++ : t++}`);
    }
  }
  if (change) lines[1] = lines[1].replace(/,\d,/, ',3,');
  return lines.join('\n') + '\n';
}

const dataset = async (change = false, late = 0) => loadDataset(fixtureDir({ 'ratings.csv': ratingsCsv(change, late) }));

describe('a leaderboard run', () => {
  it('one row per model in order, RMSE only where the kind predicts ratings, ranking only where it ranks', async () => {
    const ds = await dataset();
    const events: LeaderboardEvent[] = [];
    const rows = await runLeaderboard(ds, { protocol: 'random', models: ['mean', 'baseline', 'popularity', 'ease'], cache: 'off' }, { onEvent: (e) => events.push(e) });
    expect(rows.map((r) => r.model)).toEqual(['mean', 'baseline', 'popularity', 'ease']);
    expect(events[0]).toMatchObject({ type: 'start', models: ['mean', 'baseline', 'popularity', 'ease'], folds: ['random'] });
    expect(events.filter((e) => e.type === 'row').map((e) => (e as { row: { model: string } }).row.model)).toEqual(['mean', 'baseline', 'popularity', 'ease']);
    expect(events.at(-1)).toMatchObject({ type: 'done', cancelled: false });
    const [mean, baseline, popularity, ease] = rows;
    expect(mean.metrics.rmse!.mean).toBeGreaterThan(baseline.metrics.rmse!.mean);
    expect(mean.metrics.ndcg10).toBeNull();
    expect(popularity.metrics.rmse).toBeNull();
    expect(ease.metrics.ndcg10!.mean).toBeGreaterThan(0);
    expect(baseline.metrics.seconds!.mean).toBeGreaterThanOrEqual(0);
    // a single split: sd 0
    expect(baseline.metrics.rmse!.sd).toBe(0);
    // the session keeps the trained model of a row computed now
    expect(events.some((e) => e.type === 'row' && e.result?.weights.kind === 'ease')).toBe(true);
  });

  it('cv5: five folds, each metric mean ± sd over them', async () => {
    const ds = await dataset();
    const [row] = await runLeaderboard(ds, { protocol: 'cv5', models: ['baseline'], cache: 'off' });
    expect(row.splits).toEqual(['fold1', 'fold2', 'fold3', 'fold4', 'fold5']);
    expect(row.folds).toHaveLength(5);
    const rmses = row.folds.map((f) => f.warm.rmse!);
    const mean = rmses.reduce((a, b) => a + b, 0) / 5;
    expect(row.metrics.rmse!.mean).toBeCloseTo(mean, 12);
    expect(row.metrics.rmse!.sd).toBeCloseTo(Math.sqrt(rmses.reduce((a, b) => a + (b - mean) ** 2, 0) / 5), 12);
    expect(row.metrics.rmse!.sd).toBeGreaterThan(0);
  });

  it('on a time split the users with no training rating get their own block, folded in from their first ratings', async () => {
    const ds = await dataset(false, 12);
    const [row] = await runLeaderboard(ds, { protocol: 'time', models: ['baseline'], cache: 'off' });
    expect(row.coldUsers).toBeGreaterThan(0);
    expect(row.cold!.rmse!.mean).toBeGreaterThan(0);
    expect(row.warmRatings + row.coldRatings + 5 * row.coldUsers).toBeLessThanOrEqual(ds.nRatings);
    const [random] = await runLeaderboard(ds, { protocol: 'random', models: ['baseline'], cache: 'off' });
    expect(random.cold).toBeNull();
  });
});

describe('the leaderboard cache', () => {
  it('reads a reopened board back; recomputes a row when data, split or options change', async () => {
    const dir = tmpRoot();
    const ds = await dataset();
    const run = (d = ds, extra: object = {}) => runLeaderboard(d, { protocol: 'random', models: ['mean', 'baseline'], cacheDir: dir, ...extra });
    const first = await run();
    expect(first.map((r) => r.cached)).toEqual([false, false]);
    const again = await run();
    expect(again.map((r) => r.cached)).toEqual([true, true]);
    expect(again.map((r) => r.metrics)).toEqual(first.map((r) => r.metrics));
    // other data: one rating changed
    const other = await dataset(true);
    expect(other.hash).not.toBe(ds.hash);
    expect((await run(other)).map((r) => r.cached)).toEqual([false, false]);
    // another split: seed, valid %
    expect((await run(ds, { seed: 7 })).map((r) => r.cached)).toEqual([false, false]);
    expect((await run(ds, { validPct: 0.3 })).map((r) => r.cached)).toEqual([false, false]);
    // and the original is still there
    expect((await run()).map((r) => r.cached)).toEqual([true, true]);
    // 'refresh' recomputes and overwrites; 'off' neither reads nor writes
    expect((await run(ds, { cache: 'refresh' })).map((r) => r.cached)).toEqual([false, false]);
    const files = readdirSync(dir).length;
    expect((await run(ds, { cache: 'off', seed: 9 })).map((r) => r.cached)).toEqual([false, false]);
    expect(readdirSync(dir).length).toBe(files);
    // nothing half-written is left behind
    expect(readdirSync(dir).every((f) => f.endsWith('.json') && !f.startsWith('.'))).toBe(true);
  });

  it("a row's key changes with the model's options, the split files' contents and factorlens's version", () => {
    const dir = tmpRoot();
    const train = path.join(dir, 'train.csv');
    const test = path.join(dir, 'test.csv');
    writeFileSync(train, 'a,x,3\n');
    writeFileSync(test, 'a,y,4\n');
    const parts = { datasetHash: 'ab', protocol: 'files', validPct: 0.2, seed: 42, splitFiles: { train, test }, options: resolveOptions({ model: 'itemknn' }), metrics: { k: 10 } };
    const key = rowKey(parts, '1.0.0');
    expect(rowKey(parts, '1.0.0')).toBe(key);
    expect(rowKey(parts, '1.0.1')).not.toBe(key);
    expect(rowKey({ ...parts, options: resolveOptions({ model: 'itemknn', knn: { k: 20 } as never }) }, '1.0.0')).not.toBe(key);
    expect(rowKey({ ...parts, metrics: { k: 20 } }, '1.0.0')).not.toBe(key);
    writeFileSync(test, 'a,y,5\n');
    expect(rowKey(parts, '1.0.0')).not.toBe(key);
  });

  it('a damaged or foreign cache file is a miss, never an error; writes are whole files', async () => {
    const dir = tmpRoot();
    expect(await writeRow('k1', { model: 'mean', rmse: NaN }, dir)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'k1.json'), 'utf8')).row).toEqual({ model: 'mean', rmse: null });
    expect(await readRow('k1', dir)).toEqual({ model: 'mean', rmse: null });
    writeFileSync(path.join(dir, 'k2.json'), '{"format":"factorlens-leader');
    expect(await readRow('k2', dir)).toBeNull();
    writeFileSync(path.join(dir, 'k3.json'), JSON.stringify({ format: 'factorlens-leaderboard-row', key: 'other', row: {} }));
    expect(await readRow('k3', dir)).toBeNull();
    expect(await readRow('absent', dir)).toBeNull();
    // a cache folder that cannot be made is not fatal either
    writeFileSync(path.join(dir, 'file'), '');
    expect(await writeRow('k4', {}, path.join(dir, 'file', 'sub'))).toBe(false);
  });
});

describe('sorting and bars', () => {
  const rows = [{ name: 'a', v: 0.95 }, { name: 'b', v: null }, { name: 'c', v: 0.9 }, { name: 'd', v: 1.1 }];
  it('best first whichever way the metric goes; rows without it last', () => {
    expect(sortByMetric(rows, 'rmse', (r) => r.v, (r) => r.name).map((r) => r.name)).toEqual(['c', 'a', 'd', 'b']);
    expect(sortByMetric(rows, 'ndcg10', (r) => r.v, (r) => r.name).map((r) => r.name)).toEqual(['d', 'a', 'c', 'b']);
    expect(sortByMetric(rows, 'model', (r) => r.v, (r) => r.name).map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('the longer bar is the better value', () => {
    const rmse = barFractions([0.9, 1.8, null], 'rmse');
    expect(rmse).toEqual([1, 0.5, null]);
    expect(barFractions([0.2, 0.4], 'ndcg10')).toEqual([0.5, 1]);
  });
});
