/** Ranking a sample of users: the sample's arithmetic, the yielding variant, and the size at which a model is sampled. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import type { Dataset, Split } from '../../src/data/types.js';
import { RANKING_SAMPLE_USERS, rankedRows, rankingFromScorer, rankingMetrics, rankingMetricsAsync, rankingUserCap, weightsScorer } from '../../src/model/evaluate/ranking.js';
import { selectRows } from '../../src/model/evaluate/metrics.js';
import type { DotBiasWeights } from '../../src/model/types.js';
import { testDataDir } from '../helpers/data.js';

let ds: Dataset;
let u1: Split;
let w: DotBiasWeights;

/** Seeded small factors with an item bias that follows popularity, so the lists are not random. */
function weightsFor(d: Dataset): DotBiasWeights {
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
  const dim = 8;
  return {
    kind: 'dotbias',
    nUsers: d.nUsers,
    nItems: d.nItems,
    yRange: [0, 5.5],
    userDim: dim,
    itemDim: dim,
    userFactors: Float32Array.from({ length: d.nUsers * dim }, rand),
    itemFactors: Float32Array.from({ length: d.nItems * dim }, rand),
    userBias: Float32Array.from({ length: d.nUsers }, rand),
    itemBias: Float32Array.from(d.itemCount, (c) => Math.log1p(c) / 3),
  };
}

beforeAll(async () => {
  ds = await loadDataset(testDataDir());
  u1 = makeSplit(ds, 'u1');
  w = weightsFor(ds);
});

describe('ranking on a sample of users', () => {
  it('without a cap everyone is ranked, and the yielding variant gives the very same numbers', async () => {
    const all = rankingMetrics(w, ds, u1);
    expect(all.userStride).toBe(1);
    expect(all.users).toBeGreaterThan(400);
    const { seconds: _a, ...sync } = all;
    const { seconds: _b, ...async } = await rankingMetricsAsync(w, ds, u1);
    expect(async).toEqual(sync);
  });

  it('maxUsers ranks every ⌈users / max⌉-th user: fewer users, the same kind of numbers', () => {
    const all = rankingMetrics(w, ds, u1);
    const some = rankingMetrics(w, ds, u1, { maxUsers: 100 });
    expect(some.userStride).toBe(Math.ceil(ds.nUsers / 100));
    expect(some.listUsers).toBeLessThanOrEqual(100);
    expect(some.users).toBeLessThan(all.users);
    expect(some.users).toBeGreaterThan(0);
    // a sample of a tenth of the users lands near everyone's average
    expect(Math.abs(some.ndcg - all.ndcg)).toBeLessThan(0.1);
    expect(rankingMetrics(w, ds, u1, { maxUsers: ds.nUsers }).userStride).toBe(1);
    expect(() => rankingMetrics(w, ds, u1, { maxUsers: 0 })).toThrow(/max users must be a whole number/);
  });

  it('a sampled ranking reads only the ranked users\' rows, and gives what ranking every row with the cap gives', async () => {
    const cap = { maxUsers: 100, intervals: {} };
    const stride = Math.ceil(ds.nUsers / 100);
    const rows = rankedRows(ds, u1, cap.maxUsers);
    // only the sampled users' rows are copied …
    expect(rows.train.users.every((u) => u % stride === 0)).toBe(true);
    expect(rows.test.users.every((u) => u % stride === 0)).toBe(true);
    expect(rows.train.users.length).toBeLessThan(u1.train.length / 5);
    // … but popularity (coverage's and lift's denominator) is still counted over every training rating
    expect(rows.popularity.reduce((a, b) => a + b, 0)).toBe(u1.train.length);
    const { seconds: _a, ...full } = rankingFromScorer(weightsScorer(w), ds.nUsers, ds.nItems, selectRows(ds, u1.train), selectRows(ds, u1.valid), cap);
    const { seconds: _b, ...sampled } = rankingMetrics(w, ds, u1, cap);
    const { seconds: _c, ...yielding } = await rankingMetricsAsync(w, ds, u1, cap);
    expect(sampled).toEqual(full);
    expect(yielding).toEqual(full);
  });

  it('a model is sampled only when ranking everyone would cost over ~2·10^9 multiply-adds', () => {
    expect(rankingUserCap(943, 1682, 50)).toBeUndefined(); // ML-100K
    expect(rankingUserCap(6040, 3706, 50)).toBeUndefined(); // ML-1M: 1.1·10^9
    expect(rankingUserCap(162541, 59047, 50)).toBe(RANKING_SAMPLE_USERS); // ML-25M
  });
});
