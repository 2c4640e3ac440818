import { describe, expect, it } from 'vitest';
import { fitIals, ialsFoldIn, ialsLoss, ialsTrainedUser, scoreIals, type IalsModel } from '../../../src/model/models/baselines/ials.js';
import { IALS_DEFAULTS } from '../../../src/model/models/baselines/ials.js';
import { matrix, rated } from './helpers.js';

describe('iALS', () => {
  it('folds a new user in with one exact least-squares solve (one factor, by hand)', () => {
    // item factors y = 1, 2, −1; λ = 0.5, α = 2; the new user rated i1 and i2:
    //   (Σ_all y² + λ + α Σ_rated y²) x = (1 + α) Σ_rated y  →  (6 + 0.5 + 2·5) x = 3·(2 − 1)  →  x = 3/16.5 = 2/11
    const model: IalsModel = {
      nUsers: 0,
      nItems: 3,
      factors: 1,
      userFactors: new Float32Array(0),
      itemFactors: Float32Array.of(1, 2, -1),
      options: { ...IALS_DEFAULTS, factors: 1, reg: 0.5, alpha: 2 },
    };
    const x = ialsFoldIn(model, rated([[1, 5], [2, 1]]));
    expect(x[0]).toBeCloseTo(2 / 11, 6);
    expect([...scoreIals(model, x)].map((v) => +v.toFixed(6))).toEqual([2 / 11, 4 / 11, -2 / 11].map((v) => +v.toFixed(6)));
  });

  // two tastes: users 0–9 rate items 0–5 (most of them), users 10–19 items 6–11
  const rows: [number, number, number][] = [];
  for (let u = 0; u < 20; u++) for (let i = 0; i < 12; i++) if ((u < 10) === (i < 6) && (u + i) % 4 !== 0) rows.push([u, i, 4]);
  const m = matrix(rows, 20, 12);

  it('every epoch lowers the objective (exact CG: as many steps as factors)', () => {
    let last = Infinity;
    for (let epochs = 1; epochs <= 4; epochs++) {
      const loss = ialsLoss(fitIals(m, { factors: 3, cgSteps: 3, epochs, reg: 0.1, alpha: 5 }), m);
      expect(loss).toBeLessThan(last);
      last = loss;
    }
  });

  it('recovers the two tastes: a user scores their group\'s unrated items above the other group\'s', () => {
    const model = fitIals(m, { factors: 4, epochs: 10, reg: 0.1, alpha: 5 });
    // user 0 did not rate item 0 ((0 + 0) % 4 == 0) nor item 4
    const s = scoreIals(model, ialsTrainedUser(model, 0));
    for (const other of [6, 7, 8, 9, 10, 11]) {
      expect(s[0]).toBeGreaterThan(s[other]);
      expect(s[4]).toBeGreaterThan(s[other]);
    }
    // a new user who rated two of the second group's items looks like that group
    const x = ialsFoldIn(model, rated([[6, 5], [7, 5]]));
    const t = scoreIals(model, x);
    expect(Math.min(t[8], t[9], t[10], t[11])).toBeGreaterThan(Math.max(...[0, 1, 2, 3, 4, 5].map((i) => t[i])));
  });

  it('is seeded: the same seed gives the same factors', () => {
    const a = fitIals(m, { factors: 3, epochs: 2, seed: 5 });
    const b = fitIals(m, { factors: 3, epochs: 2, seed: 5 });
    expect([...a.itemFactors]).toEqual([...b.itemFactors]);
  });
});
