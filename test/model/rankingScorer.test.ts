import { describe, expect, it } from 'vitest';
import { rankingFromScorer, type ItemScorer } from '../../src/model/evaluate/ranking.js';
import { cols } from './baselines/helpers.js';

describe('ranking any scorer', () => {
  // 5 items; u0 prefers low indices (score −i), u1 high ones (score i).
  const scorer: ItemScorer = (u, out) => {
    for (let i = 0; i < out.length; i++) out[i] = u === 0 ? -i : i;
  };
  // train: u0 rated item 0; u1 items 1, 3, 4. test: u0 → item 2 (5★), item 4 (4★), item 1 (2★); u1 → item 0 (3★).
  const train = cols([[0, 0, 3], [1, 1, 3], [1, 3, 3], [1, 4, 3]]);
  const test = cols([[0, 2, 5], [0, 4, 4], [0, 1, 2], [1, 0, 3]]);

  it('P@1, Recall@2 and NDCG@1 from one list, training items excluded', () => {
    // u0's list without item 0: [1, 2, 3, 4]; relevant (≥ 4) {2, 4}. Top 1 = [1]: no hit → P@1 = 0, NDCG@1 = 0;
    // top 2 = [1, 2]: one of two relevant → Recall@2 = 1/2. u1 has nothing relevant: not averaged.
    const r = rankingFromScorer(scorer, 2, 5, train, test, { k: 1, recallK: 2 });
    expect([r.users, r.k, r.recallK]).toEqual([1, 1, 2]);
    expect(r.precision).toBe(0);
    expect(r.ndcg).toBe(0);
    expect(r.recall).toBeCloseTo(0.5, 12);
    // the catalogue statistics are over the top-1 lists: u0 [1], u1 [2]
    expect(r.itemsRecommended).toBe(2);
    expect(r.coverage).toBeCloseTo(2 / 5, 12);
  });

  it('k = 3: the hit at rank 2 counts for P, R and NDCG', () => {
    // top 3 = [1, 2, 3]: hit at rank 2 → P = 1/3, R = 1/2, NDCG = (1/log2 3) / (1 + 1/log2 3)
    const r = rankingFromScorer(scorer, 2, 5, train, test, { k: 3 });
    expect(r.precision).toBeCloseTo(1 / 3, 12);
    expect(r.recall).toBeCloseTo(0.5, 12);
    const d = 1 / Math.log2(3);
    expect(r.ndcg).toBeCloseTo(d / (1 + d), 12);
    expect(() => rankingFromScorer(scorer, 2, 5, train, test, { k: 3, recallK: 0 })).toThrow(/recall k must be a whole number/);
  });
});
