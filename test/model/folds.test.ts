import { describe, expect, it } from 'vitest';
import { aggregateFolds, meanSd } from '../../src/model/evaluate/folds.js';

describe('cv5 aggregation', () => {
  it('mean ± population sd, like Surprise (numpy std)', () => {
    // 0.93, 0.94, 0.95: mean 0.94, sd √((0.01² + 0 + 0.01²)/3) = 0.008165
    const r = meanSd([0.93, 0.94, 0.95]);
    expect(r.mean).toBeCloseTo(0.94, 12);
    expect(r.sd).toBeCloseTo(Math.sqrt(0.0002 / 3), 12);
  });

  it('aggregates each metric; a metric the model lacks stays null', () => {
    const folds = [
      { rmse: 1, ndcg: 0.2 },
      { rmse: 3, ndcg: 0.4 },
    ];
    expect(aggregateFolds(folds)).toEqual({ rmse: { mean: 2, sd: 1 }, ndcg: { mean: expect.closeTo(0.3, 12), sd: expect.closeTo(0.1, 12) } });
    expect(aggregateFolds([{ rmse: null }, { rmse: null }])).toEqual({ rmse: null });
    expect(() => aggregateFolds([{ rmse: 1 }, { rmse: null }])).toThrow(/rmse is missing from 1 fold/);
  });
});
