/** The baselines on real MovieLens 100K u1: the numbers the bench reports, held as floors and ceilings. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, makeSplit, type Dataset, type Split } from '../../../src/data/index.js';
import { predictorMetrics, selectRows, type Columns } from '../../../src/model/evaluate/metrics.js';
import { rankingFromScorer } from '../../../src/model/evaluate/ranking.js';
import { fitBaselineOnly, foldInUserBias, predictBaseline, scoreBaseline } from '../../../src/model/models/baselines/baselineOnly.js';
import { easeFoldIn, easeTrainedUser, fitEase, scoreEase } from '../../../src/model/models/baselines/ease.js';
import { fitIals, ialsFoldIn, ialsTrainedUser, scoreIals } from '../../../src/model/models/baselines/ials.js';
import { fitKnnBaseline, knnFoldIn, knnTrainedUser, predictKnnRows, scoreKnn } from '../../../src/model/models/baselines/knnBaseline.js';
import { fitPopularity, scorePopularity } from '../../../src/model/models/baselines/popularity.js';
import { ratingMatrix, userRatings, type RatingMatrix } from '../../../src/model/models/baselines/ratings.js';
import { testDataDir } from '../../helpers/data.js';

let ds: Dataset;
let u1: Split;
let train: Columns;
let test: Columns;
let m: RatingMatrix;
beforeAll(async () => {
  ds = await loadDataset(testDataDir());
  u1 = makeSplit(ds, 'u1');
  train = selectRows(ds, u1.train);
  test = selectRows(ds, u1.valid);
  m = ratingMatrix(train, ds.nUsers, ds.nItems);
});

const RANK = { k: 10, recallK: 20 } as const;
const clip = [1, 5] as const;

describe('rating baselines on u1', () => {
  it('BaselineOnly: RMSE 0.960; a trained user folded in again gets their own bias', () => {
    const b = fitBaselineOnly(m);
    const r = predictorMetrics((us, is) => Float32Array.from(us, (u, k) => predictBaseline(b, b.userBias[u], is[k])), test, clip);
    expect(r.rmse).toBeGreaterThan(0.955);
    expect(r.rmse).toBeLessThan(0.965);
    for (const u of [0, 100, 500, 942]) expect(foldInUserBias(b, userRatings(m, u))).toBeCloseTo(b.userBias[u], 10);
  });

  it('KNNBaseline (item, pearson_baseline): RMSE below BaselineOnly\'s; fold-in of a trained user reproduces their scores', () => {
    const knn = fitKnnBaseline(m);
    const r = predictorMetrics((us, is) => predictKnnRows(knn, us, is), test, clip);
    expect(r.rmse).toBeLessThan(0.94);
    const u = 41;
    const trained = scoreKnn(knn, knnTrainedUser(knn, u));
    const folded = scoreKnn(knn, knnFoldIn(knn, userRatings(m, u)));
    for (let i = 0; i < ds.nItems; i += 97) expect(folded[i]).toBeCloseTo(trained[i], 4);
  });
});

describe('ranking baselines on u1 (full catalogue)', () => {
  let popularityNdcg: number;
  beforeAll(() => {
    const p = fitPopularity(m);
    popularityNdcg = rankingFromScorer((_u, out) => void scorePopularity(p, out), ds.nUsers, ds.nItems, train, test, RANK).ndcg;
  });

  it('popularity is a real bar: NDCG@10 ≈ 0.245, far above BaselineOnly\'s item-bias order', () => {
    expect(popularityNdcg).toBeGreaterThan(0.23);
    const b = fitBaselineOnly(m);
    expect(rankingFromScorer((u, out) => void scoreBaseline(b, b.userBias[u], out), ds.nUsers, ds.nItems, train, test, RANK).ndcg).toBeLessThan(popularityNdcg);
  });

  it('EASE^R clears popularity by far; a new user\'s scores are the sum of rows', () => {
    const e = fitEase(m);
    const r = rankingFromScorer((u, out) => void scoreEase(e, easeTrainedUser(m, u), out), ds.nUsers, ds.nItems, train, test, RANK);
    expect(r.ndcg).toBeGreaterThan(popularityNdcg + 0.1);
    expect(r.coverage).toBeGreaterThan(0.1);
    const u = 7;
    expect([...scoreEase(e, easeFoldIn(e, userRatings(m, u)))]).toEqual([...scoreEase(e, easeTrainedUser(m, u))]);
  });

  it('iALS clears popularity too; folding in a trained user\'s items lands near their trained vector\'s ranking', () => {
    const model = fitIals(m);
    const r = rankingFromScorer((u, out) => void scoreIals(model, ialsTrainedUser(model, u), out), ds.nUsers, ds.nItems, train, test, RANK);
    expect(r.ndcg).toBeGreaterThan(popularityNdcg + 0.1);
    const u = 12;
    const a = scoreIals(model, ialsTrainedUser(model, u));
    const b = scoreIals(model, ialsFoldIn(model, userRatings(m, u)));
    const top = (s: Float32Array) => [...s.keys()].sort((x, y) => s[y] - s[x]).slice(0, 20);
    const overlap = top(a).filter((i) => top(b).includes(i)).length;
    expect(overlap).toBeGreaterThanOrEqual(15);
  });
});
