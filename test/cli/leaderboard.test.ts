/** `factorlens leaderboard` and the protocols on the CLI, end to end on the real ML-100K. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../helpers/data.js';

let tmp: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, FACTORLENS_DATA: testDataDir(), XDG_CACHE_HOME: path.join(tmp, 'cache'), NO_COLOR: '1' },
    timeout: 300_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const json = (...args: string[]) => {
  const r = cli(...args, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'factorlens-board-'));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('factorlens leaderboard', () => {
  it('--json: one row per model with the issue\'s fields; RMSE null for a rank-only model; the second run comes from the cache', () => {
    const first = json('leaderboard', '--split', 'u1', '--models', 'mean,baseline,popularity', '--sort', 'rmse');
    expect(first.protocol).toBe('u1');
    expect(first.rows.map((r: { model: string }) => r.model)).toEqual(['baseline', 'mean', 'popularity']);
    for (const r of first.rows) for (const k of ['model', 'rmse', 'mae', 'p10', 'recall20', 'ndcg10', 'coverage', 'seconds']) expect(r).toHaveProperty(k);
    const [baseline, mean, popularity] = first.rows;
    expect(baseline.rmse).toBeCloseTo(0.9599, 3); // BaselineOnly on u1 (bench/baselines.ts: 0.9599)
    expect(mean.ndcg10).toBeNull();
    expect(popularity.rmse).toBeNull();
    expect(popularity.ndcg10).toBeCloseTo(0.2451, 3);
    expect(first.rows.every((r: { cached: boolean }) => !r.cached)).toBe(true);
    // each metric's 95 % interval from resampling users brackets it, and is narrow enough to tell rows apart
    const inside = (x: number, [lo, hi]: [number, number], widest: number) => {
      expect(lo).toBeLessThan(x);
      expect(hi).toBeGreaterThan(x);
      expect(hi - lo).toBeLessThan(widest);
    };
    inside(baseline.rmse, baseline.intervals.rmse, 0.05);
    inside(popularity.ndcg10, popularity.intervals.ndcg10, 0.08);
    expect(popularity.intervals.rmse).toBeUndefined();
    expect(mean.intervals.ndcg10).toBeUndefined();
    // BaselineOnly's RMSE lead over the global mean is real: the intervals are far apart
    expect(baseline.intervals.rmse[1]).toBeLessThan(mean.intervals.rmse[0]);
    const again = json('leaderboard', '--split', 'u1', '--models', 'mean,baseline,popularity');
    expect(again.rows.every((r: { cached: boolean }) => r.cached)).toBe(true);
    // --refresh recomputes
    expect(json('leaderboard', '--split', 'u1', '--models', 'mean', '--refresh').rows[0].cached).toBe(false);
  });

  it('the text table: the sorted column as bars, cached rows marked', () => {
    const r = cli('leaderboard', '--split', 'u1', '--models', 'mean,baseline,popularity');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/·popularity[^\n]*0\.2451[^\n]*█/);
    expect(r.out).toContain('sorted by NDCG@10');
    expect(r.out).toMatch(/95 % intervals \(resampling users[^\n]*\n[^\n]*\n[─ ]+\n\s*popularity\s+—\s+0\.2451 \[0\.\d{4}–0\.\d{4}\]/);
  });

  it('--split cv5: each metric {mean, sd} over u1..u5; BaselineOnly within 0.005 of Surprise\'s 0.944', () => {
    const r = json('leaderboard', '--split', 'cv5', '--models', 'baseline');
    expect(r.splits).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    const rmse = r.rows[0].rmse;
    expect(rmse).toEqual({ mean: expect.any(Number), sd: expect.any(Number) });
    expect(Math.abs(rmse.mean - 0.944)).toBeLessThan(0.005);
    expect(rmse.sd).toBeGreaterThan(0);
  });

  it('--split time adds the users who joined after the cut, folded in from their first ratings', () => {
    const r = json('leaderboard', '--split', 'time', '--models', 'baseline,popularity');
    expect(r.cold.users).toBeGreaterThan(100);
    expect(r.cold.rows.map((x: { model: string }) => x.model).sort()).toEqual(['baseline', 'popularity']);
  });

  it('refuses unknown models and columns in one line', () => {
    const a = cli('leaderboard', '--models', 'svd');
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/unknown leaderboard model svd: choose from mean, baseline/);
    expect(cli('leaderboard', '--sort', 'speed').err).toMatch(/--sort takes model, rmse/);
  });
});

describe('the protocols on the other commands', () => {
  it('train --split cv5: one model per fold, RMSE mean ± sd; --save is refused', () => {
    const r = json('train', '--split', 'cv5', '--model', 'baseline');
    expect(r.folds.map((f: { split: string }) => f.split)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(Math.abs(r.rmse.mean - 0.944)).toBeLessThan(0.005);
    expect(cli('train', '--split', 'cv5', '--save', 'x').err).toMatch(/cv5 trains five models/);
  });

  it('--split-files trains on a published split: u1.base / u1.test give u1\'s numbers', () => {
    const dir = testDataDir();
    const r = json('train', '--model', 'baseline', '--split-files', `${path.join(dir, 'u1.base')},${path.join(dir, 'u1.test')}`);
    expect(r.finalValidRmse).toBeCloseTo(0.9599, 3);
    expect(cli('train', '--split', 'u2', '--split-files', 'a,b').err).toMatch(/--split-files is a split of its own/);
  });

  it('a rank-only model trains with — for its validation columns', () => {
    const r = cli('train', '--model', 'popularity', '--split', 'u1');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^0\s+0\.000000\s+—\s+—\s+—/m);
  });
});
