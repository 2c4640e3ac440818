/** Seed averaging: the average of dotbias models is one exact dotbias model, and members train from consecutive seeds. */
import { describe, expect, it } from 'vitest';
import { predictRows } from '../../src/model/models/forward.js';
import { averageDotbias } from '../../src/model/train/ensemble.js';
import { trainModel } from '../../src/model/train/train.js';
import { syntheticModel } from './interpretSynthetic.js';
import type { Dataset, Split } from '../../src/data/types.js';
import { mulberry32 } from '../../src/model/engine/random.js';

const logit = (p: number) => Math.log(p / 5.5 / (1 - p / 5.5));

describe('members', () => {
  it('averageDotbias predicts the mean of the members in logit space, exactly, as one dotbias model', () => {
    const ms = [1, 2, 3].map((seed) => syntheticModel({ seed, nUsers: 30, nItems: 20 }));
    const avg = averageDotbias(ms);
    expect(avg.kind).toBe('dotbias');
    expect(avg.userDim).toBe(12);
    const users = Int32Array.from({ length: 600 }, (_, i) => i % 30);
    const items = Int32Array.from({ length: 600 }, (_, i) => Math.floor(i / 30));
    const each = ms.map((m) => predictRows(m, { users, items }));
    const got = predictRows(avg, { users, items });
    for (let i = 0; i < got.length; i++) {
      const z = each.reduce((a, p) => a + logit(p[i]), 0) / 3;
      expect(got[i]).toBeCloseTo(5.5 / (1 + Math.exp(-z)), 4);
    }
    expect(() => averageDotbias([syntheticModel({ kind: 'nn' })])).toThrow(/cannot be averaged/);
  });

  it('trainModel with members 2 trains seeds s and s + 1 and hands on their average', async () => {
    const rng = mulberry32(3);
    const n = 3000;
    const users = Int32Array.from({ length: n }, () => Math.floor(rng() * 50));
    const items = Int32Array.from({ length: n }, () => Math.floor(rng() * 40));
    const ratings = Float32Array.from({ length: n }, (_, i) => 1 + ((users[i] + items[i]) % 5));
    const ds = { name: 't', nRatings: n, nUsers: 50, nItems: 40, users, items, ratings, scale: { min: 1, max: 5, step: 1 }, userIds: [], itemIds: [], titles: [], years: [], genres: [], itemCount: new Int32Array(40), itemMean: new Float32Array(40), userCount: new Int32Array(50), userMean: new Float32Array(50), hash: 't' } as unknown as Dataset;
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    const split = { name: 'random', train: idx.filter((i) => i % 5), valid: idx.filter((i) => i % 5 === 0), coldUserRows: 0, coldItemRows: 0, description: '' } as Split;
    const o = { factors: 4, epochs: 2, bs: 64, lr: 0.01, seed: 7 };
    const both = await trainModel(ds, split, { ...o, members: 2 });
    const a = await trainModel(ds, split, { ...o, seed: 7 });
    const b = await trainModel(ds, split, { ...o, seed: 8 });
    expect(both.options.members).toBe(2);
    expect(both.epochs).toHaveLength(4);
    const cols = { users: split.valid.map((r) => users[r]), items: split.valid.map((r) => items[r]) };
    expect(Array.from(predictRows(both.weights, cols))).toEqual(Array.from(predictRows(averageDotbias([a.weights, b.weights]), cols)));
    await expect(trainModel(ds, split, { ...o, model: 'nn', members: 2 })).rejects.toThrow(/members average dotbias models/);
  });
});
