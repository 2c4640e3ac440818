import { describe, expect, it } from 'vitest';
import { ratingMatrix, userRatings } from '../../../src/model/models/baselines/ratings.js';
import { fitGlobalMean, scoreGlobalMean } from '../../../src/model/models/baselines/globalMean.js';
import { fitPopularity, scorePopularity } from '../../../src/model/models/baselines/popularity.js';
import {
  fitBaselineOnly,
  foldInUserBias,
  predictBaseline,
  scoreBaseline,
  trainedUserBias,
} from '../../../src/model/models/baselines/baselineOnly.js';
import { cols, matrix, rated } from './helpers.js';

describe('rating matrix', () => {
  it('groups ratings both ways, each list sorted, whatever the input order', () => {
    const m = matrix([[1, 2, 5], [0, 1, 3], [1, 0, 4], [0, 2, 1], [1, 1, 2]], 3, 3);
    expect(m.mean).toBeCloseTo(3, 12);
    expect([...m.userStart]).toEqual([0, 2, 5, 5]); // user 2 has nothing
    expect([...m.userItems]).toEqual([1, 2, 0, 1, 2]);
    expect([...m.userRatings]).toEqual([3, 1, 4, 2, 5]);
    expect([...m.itemStart]).toEqual([0, 1, 3, 5]);
    expect([...m.itemUsers]).toEqual([1, 0, 1, 0, 1]);
    expect([...m.itemRatings]).toEqual([4, 3, 2, 1, 5]);
    expect([...userRatings(m, 1).items]).toEqual([0, 1, 2]);
  });

  it('refuses indices outside the catalogue', () => {
    expect(() => ratingMatrix(cols([[0, 3, 5]]), 1, 3)).toThrow(/item index 3 is outside 0..2/);
  });
});

describe('global mean', () => {
  it('predicts μ for everyone', () => {
    const g = fitGlobalMean(matrix([[0, 0, 5], [0, 1, 3], [1, 0, 4]], 2, 2));
    expect(g.mean).toBeCloseTo(4, 12);
    expect([...scoreGlobalMean(g)]).toEqual([4, 4]);
  });
});

describe('popularity', () => {
  it('scores items by their training count, the same list for a new user', () => {
    const p = fitPopularity(matrix([[0, 2, 5], [1, 2, 1], [2, 2, 3], [0, 0, 4], [1, 0, 4]], 3, 4));
    expect([...scorePopularity(p)]).toEqual([2, 0, 3, 0]);
  });
});

describe('BaselineOnly (ALS biases)', () => {
  // μ = (5 + 3 + 4) / 3 = 4; reg_u = reg_i = 1; one epoch, items first from b_u = 0:
  //   b_i0 = ((5−4) + (4−4)) / (1 + 2) = 1/3        b_i1 = (3−4) / (1 + 1) = −1/2
  //   b_u0 = ((5−4−1/3) + (3−4+1/2)) / (1 + 2) = (2/3 − 1/2)/3 = 1/18
  //   b_u1 = (4−4−1/3) / (1 + 1) = −1/6
  const m = matrix([[0, 0, 5], [0, 1, 3], [1, 0, 4]], 2, 2);
  const b = fitBaselineOnly(m, { regU: 1, regI: 1, epochs: 1 });

  it('one ALS epoch by hand', () => {
    expect(b.mean).toBeCloseTo(4, 12);
    expect(b.itemBias[0]).toBeCloseTo(1 / 3, 12);
    expect(b.itemBias[1]).toBeCloseTo(-1 / 2, 12);
    expect(trainedUserBias(b, 0)).toBeCloseTo(1 / 18, 12);
    expect(trainedUserBias(b, 1)).toBeCloseTo(-1 / 6, 12);
    // r̂(u1, i1) = 4 − 1/6 − 1/2 = 10/3
    expect(predictBaseline(b, b.userBias[1], 1)).toBeCloseTo(10 / 3, 12);
    expect(scoreBaseline(b, b.userBias[1])[1]).toBeCloseTo(10 / 3, 6);
  });

  it('folds a new user in with the same user step: 5★ on i0 → b_u = (5 − 4 − 1/3) / (1 + 1) = 1/3', () => {
    expect(foldInUserBias(b, rated([[0, 5]]))).toBeCloseTo(1 / 3, 12);
    expect(foldInUserBias(b, rated([]))).toBe(0);
    // a trained user's own ratings give back their bias: ALS ends on the user step
    expect(foldInUserBias(b, userRatings(m, 0))).toBeCloseTo(b.userBias[0], 12);
    expect(() => foldInUserBias(b, rated([[0, 5], [0, 4]]))).toThrow(/item 0 is rated twice/);
  });

  it("Surprise's defaults (reg_u 15, reg_i 10, 10 epochs) reach the ALS fixed point", () => {
    const rows: [number, number, number][] = [];
    for (let u = 0; u < 30; u++) for (let i = 0; i < 20; i++) if ((u * 7 + i * 3) % 5 < 3) rows.push([u, i, 1 + ((u + 2 * i) % 5)]);
    const mm = matrix(rows, 30, 20);
    const d = fitBaselineOnly(mm);
    expect(d.options).toEqual({ regU: 15, regI: 10, epochs: 10 });
    // the last step was the users': each b_u solves its equation exactly; each b_i nearly
    for (let i = 0; i < 20; i++) {
      let dev = 0;
      for (let p = mm.itemStart[i]; p < mm.itemStart[i + 1]; p++) dev += mm.itemRatings[p] - d.mean - d.userBias[mm.itemUsers[p]];
      expect(d.itemBias[i]).toBeCloseTo(dev / (10 + mm.itemStart[i + 1] - mm.itemStart[i]), 3);
    }
  });
});
