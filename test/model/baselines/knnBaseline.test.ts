import { describe, expect, it } from 'vitest';
import type { BiasModel } from '../../../src/model/models/baselines/baselineOnly.js';
import { fitBaselineOnly } from '../../../src/model/models/baselines/baselineOnly.js';
import {
  fitKnnBaseline,
  knnFoldIn,
  knnSimilarItems,
  knnTrainedUser,
  predictKnn,
  predictKnnRows,
  scoreKnn,
} from '../../../src/model/models/baselines/knnBaseline.js';
import { userRatings } from '../../../src/model/models/baselines/ratings.js';
import { computeSimilarities, kthLargest } from '../../../src/model/models/baselines/similarity.js';
import { matrix, rated } from './helpers.js';

//        i0  i1  i2  i3
//   u0    5   4   1   4
//   u1    4   5   2   —
//   u2    1   2   5   2
//   u3    —   4   2   5
const m = matrix(
  [
    [0, 0, 5], [0, 1, 4], [0, 2, 1], [0, 3, 4],
    [1, 0, 4], [1, 1, 5], [1, 2, 2],
    [2, 0, 1], [2, 1, 2], [2, 2, 5], [2, 3, 2],
    [3, 1, 4], [3, 2, 2], [3, 3, 5],
  ],
  4,
  4,
);
/** Baselines fixed at μ = 3 and zero biases, so the residuals d = r − 3 can be read off the table. */
const flat: BiasModel = {
  nUsers: 4,
  nItems: 4,
  mean: 3,
  userBias: new Float64Array(4),
  itemBias: new Float64Array(4),
  options: { regU: 1, regI: 1, epochs: 0 },
};

describe('KNNBaseline, item-based, pearson_baseline', () => {
  // i3's raters u0, u2, u3 have d = 1, −1, 2.
  //   i0 (common u0, u2: d = 2, −2):  ρ = (2 + 2) / √(2 · 8) = 1,          n = 2 → × (2−1)/(2−1+1) = 1/2  → 0.5
  //   i1 (common u0, u2, u3: 1, −1, 1): ρ = (1 + 1 + 2) / √(6 · 3) = 0.9428, n = 3 → × 2/3         → 0.6285
  //   i2 (common u0, u2, u3: −2, 2, −1): ρ = −6 / √(6 · 9) < 0 → never a neighbour
  const knn = fitKnnBaseline(m, { shrinkage: 1 }, undefined, flat);
  const s30 = 0.5;
  const s31 = (4 / Math.sqrt(18)) * (2 / 3);

  it('shrunk Pearson-baseline similarities by hand', () => {
    const row3 = knn.sims.row(3);
    expect(row3[0]).toBeCloseTo(s30, 6);
    expect(row3[1]).toBeCloseTo(s31, 6);
    expect(row3[2]).toBeCloseTo((-6 / Math.sqrt(54)) * (2 / 3), 6);
    expect(row3[3]).toBe(0); // not its own neighbour
    expect(knn.sims.row(0)[3]).toBeCloseTo(s30, 6); // symmetric
  });

  it('r̂(u1, i3) = b + Σ s·(r − b) / Σ s over the positive neighbours u1 rated', () => {
    // u1's residuals: i0 → 1, i1 → 2 (i2 has negative similarity): 3 + (0.5·1 + 0.6285·2) / (0.5 + 0.6285) = 4.5570
    const expected = 3 + (s30 * 1 + s31 * 2) / (s30 + s31);
    expect(expected).toBeCloseTo(4.557, 3);
    expect(predictKnn(knn, knnTrainedUser(knn, 1), 3)).toBeCloseTo(expected, 5);
    expect(predictKnnRows(knn, Int32Array.of(1), Int32Array.of(3))[0]).toBeCloseTo(expected, 5);
    expect(scoreKnn(knn, knnTrainedUser(knn, 1))[3]).toBeCloseTo(expected, 5);
  });

  it('k = 1 keeps only the nearest (i1: 3 + 2 = 5); min_k = 3 falls back to the baseline (3)', () => {
    expect(predictKnn(fitKnnBaseline(m, { shrinkage: 1, k: 1 }, undefined, flat), knnTrainedUser(knn, 1), 3)).toBeCloseTo(5, 5);
    expect(predictKnn(fitKnnBaseline(m, { shrinkage: 1, minK: 3 }, undefined, flat), knnTrainedUser(knn, 1), 3)).toBeCloseTo(3, 5);
  });

  it('folds a new user in from their ratings alone', () => {
    // 4★ i0, 5★ i1: b_u = ((4−3) + (5−3)) / (reg_u 1 + 2) = 1; residuals 4−4 = 0, 5−4 = 1
    // r̂(i3) = 3 + 1 + (0.5·0 + 0.6285·1) / (0.5 + 0.6285) = 4.5569
    const user = knnFoldIn(knn, rated([[0, 4], [1, 5]]));
    expect(user.bias).toBeCloseTo(1, 12);
    expect(predictKnn(knn, user, 3)).toBeCloseTo(4 + s31 / (s30 + s31), 5);
  });

  it("lists an item's most similar items, positive ones only", () => {
    const similar = knnSimilarItems(knn, 3, 5);
    expect(similar.map((s) => s.item)).toEqual([1, 0]);
    expect(similar[0].similarity).toBeCloseTo(s31, 6);
    expect(() => knnSimilarItems(fitKnnBaseline(m, { userBased: true }), 3, 5)).toThrow(/user-based kNN has no item similarities/);
  });

  it('fits BaselineOnly by ALS when no baselines are given', () => {
    const own = fitKnnBaseline(m, { shrinkage: 1 });
    const als = fitBaselineOnly(m);
    expect([...own.biases.itemBias]).toEqual([...als.itemBias]);
    expect(predictKnn(own, knnTrainedUser(own, 1), 3)).toBeCloseTo(predictKnn(fitKnnBaseline(m, { shrinkage: 1 }, undefined, als), knnTrainedUser(own, 1), 3), 12);
  });
});

describe('KNNBaseline, user-based, msd (Surprise\'s KNNBaseline() defaults)', () => {
  // u1 against the raters of i3 (u0, u2, u3), over the items they share with u1:
  //   u0: differences −1, 1, 1 → msd 1   → 1/(1+1) = 0.5
  //   u2: 3, 3, −3            → msd 9   → 0.1
  //   u3: 1, 0 (i1, i2)       → msd 0.5 → 2/3
  // their residuals on i3: 1, −1, 2 → r̂ = 3 + (0.5 − 0.1 + 4/3) / (0.5 + 0.1 + 2/3) = 3 + 26/19
  const knn = fitKnnBaseline(m, { userBased: true, similarity: 'msd' }, undefined, flat);

  it('r̂(u1, i3) by hand', () => {
    expect(knn.sims.row(1)[0]).toBeCloseTo(0.5, 6);
    expect(knn.sims.row(1)[2]).toBeCloseTo(0.1, 6);
    expect(knn.sims.row(1)[3]).toBeCloseTo(2 / 3, 6);
    expect(predictKnn(knn, knnTrainedUser(knn, 1), 3)).toBeCloseTo(3 + 26 / 19, 5);
    expect(scoreKnn(knn, knnTrainedUser(knn, 1))[3]).toBeCloseTo(3 + 26 / 19, 5);
  });

  it('a new user with u1\'s ratings gets u1\'s similarity row and prediction', () => {
    const user = knnFoldIn(knn, userRatings(m, 1));
    expect(user.bias).toBeCloseTo(0.5, 12); // ((4−3) + (5−3) + (2−3)) / (reg_u 1 + 3) with these flat biases
    const trained = knnTrainedUser(knn, 1);
    const row = knn.sims.row(1);
    for (const v of [0, 2, 3]) expect(user.simRow![v]).toBeCloseTo(row[v], 6);
    expect(user.simRow![1]).toBe(1); // identical ratings: msd 0
    // the folded bias differs (flat biases were not fitted), so compare the neighbour part: r̂ − bias
    expect(predictKnn(knn, user, 3) - user.bias).toBeCloseTo(predictKnn(knn, trained, 3) - trained.bias, 5);
  });
});

describe('similarity storage', () => {
  it('top-M rows keep the M largest positive neighbours; M = all equals dense', () => {
    const rows: [number, number, number][] = [];
    for (let u = 0; u < 40; u++) for (let i = 0; i < 25; i++) if ((u * 5 + i * 7) % 4 !== 0) rows.push([u, i, 1 + ((u * i + u) % 5)]);
    const mm = matrix(rows, 40, 25);
    const dense = fitKnnBaseline(mm, { shrinkage: 10 });
    const all = fitKnnBaseline(mm, { shrinkage: 10, stored: 25 });
    const top3 = fitKnnBaseline(mm, { shrinkage: 10, stored: 3 });
    expect(dense.sims.stored).toBeNull();
    for (let i = 0; i < 25; i++) {
      const d = dense.sims.row(i).slice();
      const a = all.sims.row(i);
      for (let j = 0; j < 25; j++) expect(a[j]).toBeCloseTo(Math.max(0, d[j]), 6);
      const t = top3.sims.row(i);
      const kept = [...t].filter((v) => v > 0).sort((x, y) => y - x);
      const best = [...d].filter((v) => v > 0).sort((x, y) => y - x).slice(0, 3);
      expect(kept.map((v) => v.toFixed(5))).toEqual(best.map((v) => v.toFixed(5)));
    }
    // with every neighbour kept, predictions are the dense ones
    const u = knnTrainedUser(dense, 7);
    expect(scoreKnn(all, u)[3]).toBeCloseTo(scoreKnn(dense, u)[3], 5);
  });

  it('kthLargest', () => {
    expect(kthLargest(Float64Array.of(3, 1, 4, 1, 5, 9, 2, 6), 3)).toBe(5);
    expect(kthLargest(Float64Array.of(2, 2, 2), 2)).toBe(2);
    expect(kthLargest(Float64Array.of(7), 1)).toBe(7);
  });

  it('refuses a bad neighbour count', () => {
    expect(() => computeSimilarities(fitKnnBaseline(m).sides!, { name: 'msd', shrinkage: 0, minSupport: 1 }, 0)).toThrow(/whole number ≥ 1/);
  });
});
