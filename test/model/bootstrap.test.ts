/** Bootstrap intervals from resampling users: what they cover, that users (not ratings) are the unit, and the paired comparisons. */
import { describe, expect, it } from 'vitest';
import {
  errorsByUser,
  meanInterval,
  pairedDifferenceInterval,
  pairedRatioInterval,
  pairedRmseDifference,
  regressionIntervals,
  resampleUsers,
} from '../../src/model/evaluate/bootstrap.js';
import { regressionMetrics } from '../../src/model/evaluate/metrics.js';
import { rankingFromScorer } from '../../src/model/evaluate/ranking.js';
import { mulberry32 } from '../../src/data/index.js';

function normals(n: number, seed: number, mean = 0, sd = 1): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(Math.max(1e-12, r()))) * Math.cos(2 * Math.PI * r()));
}

describe('resampling users', () => {
  it('the interval of a mean is about ±1.96 standard errors wide, and contains the mean', () => {
    const x = normals(400, 3, 0.4, 0.2);
    const iv = meanInterval(x, { rounds: 2000 });
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1));
    expect(iv.value).toBeCloseTo(mean, 12);
    expect(iv.low).toBeLessThan(mean);
    expect(iv.high).toBeGreaterThan(mean);
    const half = 1.96 * (sd / Math.sqrt(x.length));
    expect((iv.high - iv.low) / 2).toBeGreaterThan(0.85 * half);
    expect((iv.high - iv.low) / 2).toBeLessThan(1.15 * half);
  });

  it('a constant collapses to a point; the same seed gives the same interval, another seed another', () => {
    expect(meanInterval([0.5, 0.5, 0.5, 0.5])).toEqual({ value: 0.5, low: 0.5, high: 0.5 });
    const x = normals(100, 9);
    expect(meanInterval(x, { seed: 1 })).toEqual(meanInterval(x, { seed: 1 }));
    expect(meanInterval(x, { seed: 1 }).low).not.toBe(meanInterval(x, { seed: 2 }).low);
  });

  it('RMSE is resampled by user: one user holding every error makes the interval reach 0 (by rating it would not)', () => {
    // 10 users × 100 ratings; user 0 is off by 2 stars on each, the rest are exact
    const users: number[] = [];
    const pred: number[] = [];
    const target: number[] = [];
    for (let u = 0; u < 10; u++) for (let k = 0; k < 100; k++) {
      users.push(u);
      target.push(3);
      pred.push(u === 0 ? 5 : 3);
    }
    const e = errorsByUser(pred, target, users, 10);
    const iv = regressionIntervals(e, { rounds: 2000 });
    expect(iv.rmse.value).toBeCloseTo(regressionMetrics(Float32Array.from(pred), Float32Array.from(target)).rmse, 6);
    // a resample misses user 0 with probability 0.9^10 ≈ 0.35
    expect(iv.rmse.low).toBe(0);
    expect(iv.rmse.high).toBeGreaterThan(1);
  });

  it('users without a held-out rating are not part of the sample', () => {
    const e = errorsByUser([4, 4], [3, 5], [1, 3], 5);
    expect(Array.from(e.count)).toEqual([1, 1]);
  });

  it('paired: two models whose separate intervals overlap still differ when one is better for nearly every user', () => {
    const b = normals(200, 4, 0.4, 0.15);
    const noise = normals(200, 5, 0, 0.01);
    const a = b.map((x, k) => x + 0.02 + noise[k]);
    const ia = meanInterval(a);
    const ib = meanInterval(b);
    expect(ia.low).toBeLessThan(ib.high); // the separate intervals overlap
    const d = pairedDifferenceInterval(a, b);
    expect(d.low).toBeGreaterThan(0);
    const r = pairedRatioInterval(a, b);
    expect(r.low).toBeGreaterThan(1);
    expect(r.value).toBeCloseTo(ia.value / ib.value, 12);
  });

  it('paired RMSE: the same users resampled for both models; a model better on every user differs from 0', () => {
    const users: number[] = [];
    const target: number[] = [];
    const pa: number[] = [];
    const pb: number[] = [];
    const noise = normals(300, 11, 0, 1);
    for (let u = 0; u < 60; u++) for (let k = 0; k < 5; k++) {
      const r = u * 5 + k;
      users.push(u);
      target.push(3);
      pa.push(3 + 0.9 * noise[r]);
      pb.push(3 + noise[r]);
    }
    const a = errorsByUser(pa, target, users, 60);
    const b = errorsByUser(pb, target, users, 60);
    const d = pairedRmseDifference(a, b);
    expect(d.value).toBeCloseTo(regressionIntervals(a).rmse.value - regressionIntervals(b).rmse.value, 10);
    expect(d.high).toBeLessThan(0);
    expect(() => pairedRmseDifference(a, errorsByUser([3], [3], [7], 60))).toThrow(/different users/);
  });

  it('the statistic sees every resample as n user positions drawn with replacement', () => {
    const sizes: number[] = [];
    let repeats = 0;
    resampleUsers(20, (u) => {
      sizes.push(u.length);
      if (new Set(u).size < u.length) repeats++;
      return 0;
    }, { rounds: 50 });
    expect(sizes.every((n) => n === 20)).toBe(true);
    expect(repeats).toBeGreaterThan(40);
  });
});

describe('ranking metrics with intervals', () => {
  it('each interval holds its metric; popularity comes from resampling the list users, coverage has none', () => {
    // 30 users, 12 movies; each user trained on movie u % 12 and holds out two liked movies
    const nU = 30;
    const nI = 12;
    const train = { users: Int32Array.from({ length: nU }, (_, u) => u), items: Int32Array.from({ length: nU }, (_, u) => u % nI), ratings: new Float32Array(nU).fill(3) };
    const tu: number[] = [];
    const ti: number[] = [];
    for (let u = 0; u < nU; u++) tu.push(u, u), ti.push((u + 1) % nI, (u * 7 + 3) % nI);
    const test = { users: Int32Array.from(tu), items: Int32Array.from(ti), ratings: new Float32Array(tu.length).fill(5) };
    // each user's scores: a per-user permutation so lists differ
    const score = (u: number, out: Float32Array) => {
      for (let i = 0; i < nI; i++) out[i] = ((i * 5 + u * 3) % nI) / nI;
    };
    const r = rankingFromScorer(score, nU, nI, train, test, { k: 3, intervals: { rounds: 500 } });
    const iv = r.intervals!;
    for (const [key, x] of [['precision', r.precision], ['recall', r.recall], ['ndcg', r.ndcg], ['meanPopularity', r.meanPopularity]] as const) {
      expect(iv[key].value, key).toBeCloseTo(x, 10);
      expect(iv[key].low, key).toBeLessThanOrEqual(x + 1e-12);
      expect(iv[key].high, key).toBeGreaterThanOrEqual(x - 1e-12);
    }
    expect(iv.ndcg.high - iv.ndcg.low).toBeGreaterThan(0);
    expect('coverage' in iv).toBe(false);
    // the per-user values behind them, for pairing two models on the same split
    expect(r.perUser!.users.length).toBe(r.users);
    expect(r.perUser!.ndcg.reduce((a, b) => a + b, 0) / r.users).toBeCloseTo(r.ndcg, 12);
    expect(rankingFromScorer(score, nU, nI, train, test, { k: 3 }).intervals).toBeUndefined();
  });
});
