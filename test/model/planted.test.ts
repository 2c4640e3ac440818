/** Tiny synthetic data with planted factors: the model must recover them (fast). */
import { describe, expect, it } from 'vitest';
import type { Dataset, Split } from '../../src/data/types.js';
import { predictRows } from '../../src/model/models/forward.js';
import { mulberry32 } from '../../src/model/engine/random.js';
import { trainModel } from '../../src/model/train/train.js';

/** Ratings from planted 2-factor users/items plus biases, every user rates 60% of items. */
function planted(nUsers: number, nItems: number, seed = 1) {
  const rng = mulberry32(seed);
  const U = Array.from({ length: nUsers }, () => [rng() * 2 - 1, rng() * 2 - 1]);
  const M = Array.from({ length: nItems }, () => [rng() * 2 - 1, rng() * 2 - 1]);
  const ub = Array.from({ length: nUsers }, () => (rng() - 0.5) * 0.6);
  const mb = Array.from({ length: nItems }, () => (rng() - 0.5) * 0.6);
  const truth = (u: number, i: number) => 1 + 4 / (1 + Math.exp(-(1.5 * (U[u][0] * M[i][0] + U[u][1] * M[i][1]) * 2 + ub[u] + mb[i])));
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  for (let u = 0; u < nUsers; u++) for (let i = 0; i < nItems; i++) if (rng() < 0.6) (users.push(u), items.push(i), ratings.push(truth(u, i)));
  const n = ratings.length;
  const ds = {
    name: 'planted', nRatings: n, nUsers, nItems, users: Int32Array.from(users), items: Int32Array.from(items), ratings: Float32Array.from(ratings),
    scale: { min: 1, max: 5, step: 0.001 }, userIds: [], itemIds: [], titles: Array.from({ length: nItems }, (_, i) => `m${i}`), years: [], genres: [],
    itemCount: new Int32Array(nItems), itemMean: new Float32Array(nItems), userCount: new Int32Array(nUsers), userMean: new Float32Array(nUsers), hash: 'p',
  } as unknown as Dataset;
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const split = { name: 'random', train: idx.filter((i) => i % 5 !== 0), valid: idx.filter((i) => i % 5 === 0), coldUserRows: 0, coldItemRows: 0, description: '' } as Split;
  return { ds, split, truth };
}

describe('planted factors', () => {
  it('dotbias recovers a planted low-rank model (valid RMSE far below the spread of the ratings)', async () => {
    const { ds, split, truth } = planted(120, 80);
    const r = await trainModel(ds, split, { factors: 4, epochs: 30, lr: 0.03, wd: 0.01, bs: 128, yRange: [1, 5] });
    const spread = Math.sqrt(ds.ratings.reduce((a, x) => a + (x - 3) ** 2, 0) / ds.nRatings);
    expect(r.epochs.at(-1)!.validRmse).toBeLessThan(0.25 * spread);
    // and the learned model reproduces the planted one on pairs nobody rated in training
    let se = 0;
    const pred = predictRows(r.weights, { users: split.valid.map((row) => ds.users[row]), items: split.valid.map((row) => ds.items[row]) });
    split.valid.forEach((row, k) => (se += (pred[k] - truth(ds.users[row], ds.items[row])) ** 2));
    expect(Math.sqrt(se / split.valid.length)).toBeLessThan(0.25 * spread);
  });

  it('loss goes down for every variant', async () => {
    const { ds, split } = planted(60, 40, 3);
    for (const model of ['dot', 'dotbias', 'nn'] as const) {
      const r = await trainModel(ds, split, { model, epochs: 4, lr: 0.02, bs: 64, yRange: [1, 5], layers: [16], userEmb: 8, itemEmb: 8 });
      expect(r.epochs.at(-1)!.trainLoss).toBeLessThan(r.epochs[0].trainLoss);
    }
  });
});
