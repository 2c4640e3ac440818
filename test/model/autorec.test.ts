import { loose } from '../helpers/weights.js';
/** I-AutoRec and U-AutoRec exported as dotbias models, stacked exactly: exactness of the export, planted sanity checks, u1. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import { blendDotbias, stackDotbias, trainAutoRec, transposeColumns, transposeDotbias } from '../../src/model/train/solvers/autorec.js';
import { fitStack } from '../../src/model/train/stack.js';
import { predictRows } from '../../src/model/models/forward.js';
import { scoreItems, trainedUser } from '../../src/model/models/forward.js';
import { naiveDotBias } from '../helpers/weights.js';
import { type Columns, regressionMetrics, selectRows } from '../../src/model/evaluate/metrics.js';
import { PRESETS } from '../../src/model/train/presets.js';
import { mulberry32 } from '../../src/model/engine/random.js';
import { trainModel } from '../../src/model/train/train.js';
import type { TrainEvent } from '../../src/model/types.js';
import { testDataDir } from '../helpers/data.js';
import { foldInGap } from '../helpers/foldin.js';

/** Ratings of planted 2-factor users/items; every user rates ~60% of items; items ≥ nItems−2 are never rated. */
function planted(nUsers: number, nItems: number, seed = 3) {
  const rng = mulberry32(seed);
  const U = Array.from({ length: nUsers }, () => [rng() * 2 - 1, rng() * 2 - 1]);
  const M = Array.from({ length: nItems }, () => [rng() * 2 - 1, rng() * 2 - 1]);
  const truth = (u: number, i: number) => 1 + 4 / (1 + Math.exp(-3 * (U[u][0] * M[i][0] + U[u][1] * M[i][1])));
  const train = { users: [] as number[], items: [] as number[], ratings: [] as number[] };
  const valid = { users: [] as number[], items: [] as number[], ratings: [] as number[] };
  for (let u = 0; u < nUsers; u++)
    for (let i = 0; i < nItems - 2; i++) {
      if (rng() >= 0.6) continue;
      const to = rng() < 0.2 ? valid : train;
      to.users.push(u), to.items.push(i), to.ratings.push(truth(u, i));
    }
  const cols = (c: typeof train): Columns => ({ users: Int32Array.from(c.users), items: Int32Array.from(c.items), ratings: Float32Array.from(c.ratings) });
  return { train: cols(train), valid: cols(valid) };
}

describe('I-AutoRec', () => {
  const nUsers = 150;
  const nItems = 60;
  const { train, valid } = planted(nUsers, nItems);
  let r: Awaited<ReturnType<typeof trainAutoRec>>;
  beforeAll(async () => {
    r = await trainAutoRec(nUsers, nItems, train, { hidden: 16, epochs: 150, lr: 1e-2, wd: 0.5, bs: 8, yRange: [1, 5], seed: 1 }, valid);
  });

  it('learns planted low-rank ratings: held-out RMSE far below predicting the mean', () => {
    const mean = train.ratings.reduce((a, x) => a + x, 0) / train.ratings.length;
    const blind = Math.sqrt(valid.ratings.reduce((a, x) => a + (x - mean) ** 2, 0) / valid.ratings.length);
    expect(r.epochs).toHaveLength(150);
    expect(r.epochs.at(-1)!.validRmse).toBeLessThan(0.5 * blind);
  });

  it('exports as dotbias weights whose engine and forward predictions are the AutoRec predictions', () => {
    const w = r.weights;
    expect(w).toMatchObject({ kind: 'dotbias', nUsers, nItems, userDim: 16, itemDim: 16, yRange: [1, 5] });
    const own = naiveDotBias(w, valid.users, valid.items);
    expect(regressionMetrics(own, valid.ratings).rmse).toBeCloseTo(r.epochs.at(-1)!.validRmse, 6);
    const forward = predictRows(w, valid);
    for (let k = 0; k < own.length; k++) expect(forward[k]).toBeCloseTo(own[k], 5);
    // fold-in / scoring path: a user's parameter vector scores every item as the model does
    const all = scoreItems(w, trainedUser(w, 7));
    const items = Int32Array.from({ length: nItems }, (_, i) => i);
    const direct = naiveDotBias(w, new Int32Array(nItems).fill(7), items);
    for (let i = 0; i < nItems; i++) expect(all[i]).toBeCloseTo(direct[i], 5);
    // unrated items all get the same code σ(b1), strictly inside (0, 1)
    const code = (i: number) => Array.from(w.itemFactors.subarray(i * 16, (i + 1) * 16));
    expect(code(nItems - 1)).toEqual(code(nItems - 2));
    expect(code(nItems - 1).every((x) => x > 0 && x < 1)).toBe(true);
    expect(Array.from(w.itemBias!).every((x) => x === 0)).toBe(true);
  });

  it('blends two dotbias models in logit space exactly', async () => {
    const other = (await trainAutoRec(nUsers, nItems, train, { hidden: 8, epochs: 20, lr: 1e-2, bs: 8, yRange: [1, 5], seed: 2 })).weights;
    const b = blendDotbias(r.weights, other, 0.7);
    expect(b.userDim).toBe(24);
    const logit = (p: number) => Math.log((p - 1) / (5 - p));
    const pa = naiveDotBias(r.weights, valid.users, valid.items);
    const pb = naiveDotBias(other, valid.users, valid.items);
    const pm = predictRows(b, valid);
    for (let k = 0; k < pm.length; k++) expect(logit(pm[k])).toBeCloseTo(0.7 * logit(pa[k]) + 0.3 * logit(pb[k]), 3);
    expect(() => blendDotbias(r.weights, other, 1.5)).toThrow(/weight/);
  });
});

describe('U-AutoRec', () => {
  const nUsers = 60;
  const nItems = 150;
  // users and items of the planted set swapped: 60 users each rating ~60 % of 150 items
  const p = planted(nItems, nUsers, 5);
  const train = transposeColumns(p.train);
  const valid = transposeColumns(p.valid);
  let r: Awaited<ReturnType<typeof trainAutoRec>>;
  beforeAll(async () => {
    r = await trainAutoRec(nUsers, nItems, train, { hidden: 16, epochs: 150, lr: 1e-2, wd: 0.5, bs: 8, yRange: [1, 5], seed: 1 }, valid, {}, true);
  });

  it('learns planted low-rank ratings from each user’s ratings vector', () => {
    const mean = train.ratings.reduce((a, x) => a + x, 0) / train.ratings.length;
    const blind = Math.sqrt(valid.ratings.reduce((a, x) => a + (x - mean) ** 2, 0) / valid.ratings.length);
    expect(r.epochs.at(-1)!.validRmse).toBeLessThan(0.5 * blind);
  });

  it('is a dot product of the user’s code and the item’s decoder row: users carry σ codes, items the decoder and its bias', () => {
    const w = r.weights;
    expect(w).toMatchObject({ kind: 'dotbias', nUsers, nItems, userDim: 16, itemDim: 16, yRange: [1, 5] });
    // the user side is the encoder's output σ(·): strictly inside (0, 1); no user bias, an item bias per item
    expect(Array.from(w.userFactors).every((x) => x > 0 && x < 1)).toBe(true);
    expect(Array.from(w.userBias!).every((x) => x === 0)).toBe(true);
    expect(Array.from(w.itemBias!).some((x) => x !== 0)).toBe(true);
    // the engine's forward, a naive dot product and the loop's validation agree
    const own = naiveDotBias(w, valid.users, valid.items);
    expect(regressionMetrics(own, valid.ratings).rmse).toBeCloseTo(r.epochs.at(-1)!.validRmse, 6);
    const forward = predictRows(w, valid);
    for (let k = 0; k < own.length; k++) expect(forward[k]).toBeCloseTo(own[k], 5);
  });

  it('is the I-AutoRec of the transposed ratings, read the other way round', async () => {
    const opts = { hidden: 8, epochs: 5, lr: 1e-2, wd: 0.5, bs: 8, yRange: [1, 5] as [number, number], seed: 4 };
    const u = (await trainAutoRec(nUsers, nItems, train, opts, undefined, {}, true)).weights;
    const i = transposeDotbias((await trainAutoRec(nItems, nUsers, transposeColumns(train), opts)).weights);
    expect(Array.from(predictRows(u, valid))).toEqual(Array.from(predictRows(i, valid)));
    // and it differs from the I-AutoRec of the same ratings (another network, not a relabelling)
    const items = (await trainAutoRec(nUsers, nItems, train, opts)).weights;
    const a = predictRows(u, valid);
    const b = predictRows(items, valid);
    expect(a.some((x, k) => Math.abs(x - b[k]) > 1e-3)).toBe(true);
  });
});

describe('stacking dotbias models', () => {
  /** A random dotbias model with `d` factors over 30 users and 40 items on [1, 5]. */
  const random = (d: number, seed: number) => {
    const rng = mulberry32(seed);
    const f = (n: number) => Float32Array.from({ length: n }, () => rng() - 0.5);
    return { kind: 'dotbias' as const, nUsers: 30, nItems: 40, userDim: d, itemDim: d, yRange: [1, 5] as [number, number], userFactors: f(30 * d), itemFactors: f(40 * d), userBias: f(30), itemBias: f(40) };
  };
  const models = [random(3, 1), random(5, 2), random(2, 3)];
  const rows = { users: Int32Array.from({ length: 400 }, (_, k) => k % 30), items: Int32Array.from({ length: 400 }, (_, k) => (k * 7) % 40) };
  const logit = (p: number) => Math.log((p - 1) / (5 - p));

  it('is one dotbias model whose logit is Σ w_k z_k + bias, negative weights too', () => {
    const w = [0.6, -0.35, 1.2];
    const s = stackDotbias(models, w, 0.15);
    expect(s).toMatchObject({ userDim: 10, itemDim: 10 });
    const z = models.map((m) => Array.from(predictRows(m, rows), logit));
    const got = predictRows(s, rows);
    for (let k = 0; k < got.length; k++) expect(logit(got[k])).toBeCloseTo(w[0] * z[0][k] + w[1] * z[1][k] + w[2] * z[2][k] + 0.15, 3);
    expect(() => stackDotbias(models, [1, 2], 0)).toThrow(/weights/);
  });

  it('fits the planted weights and bias back from the models’ logits and the ratings', () => {
    const z = models.map((m) => Float64Array.from(predictRows(m, rows), logit));
    const planted = [0.5, 0.3, -0.2];
    const rng = mulberry32(9);
    const y = Float32Array.from(rows.users, (_, k) => 1 + 4 / (1 + Math.exp(-(planted[0] * z[0][k] + planted[1] * z[1][k] + planted[2] * z[2][k] + 0.1))) + (rng() - 0.5) * 0.02);
    const fit = fitStack(z, y, [1, 5], 0);
    for (let k = 0; k < 3; k++) expect(fit.weights[k]).toBeCloseTo(planted[k], 1);
    expect(Math.abs(fit.weights[0] - 0.5)).toBeLessThan(0.03);
    expect(fit.bias).toBeCloseTo(0.1, 1);
    // never worse than the plain average it starts from
    const avg = Math.sqrt(y.reduce((a, t, k) => a + (1 + 4 / (1 + Math.exp(-(z[0][k] + z[1][k] + z[2][k]) / 3)) - t) ** 2, 0) / y.length);
    expect(fit.rmse).toBeLessThan(avg);
    expect(fit.rmse).toBeLessThan(0.01);
  });
});

describe('solver autorec (the accurate preset) on MovieLens 100K u1', () => {
  // the networks' settings and the stacking weights were chosen on a 10 % hold-out of u1.base (never u1.test).
  // Measured (2-core EPYC, lightly loaded): the stack 0.8843 in ~44 s with per-epoch validation (the earlier
  // I-AutoRec blend: 0.8898).
  it('trains best + I-AutoRec + U-AutoRec as one explorable dotbias model reaching u1 RMSE <= 0.886', async () => {
    const ds = await loadDataset(testDataDir());
    const u1 = makeSplit(ds, 'u1');
    const events: TrainEvent[] = [];
    const t0 = performance.now();
    const r = await trainModel(ds, u1, { split: 'u1', ...PRESETS.accurate.options }, { onEvent: (e) => events.push(e) });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`accurate: u1 RMSE ${r.epochs.at(-1)!.validRmse.toFixed(4)} in ${seconds.toFixed(1)} s`);
    expect(r.reason).toBe('completed');
    expect(r.weights).toMatchObject({ kind: 'dotbias', userDim: 1050, itemDim: 1050 });
    expect(r.epochs).toHaveLength(70);
    expect(r.epochs.at(-1)!.validRmse).toBeLessThanOrEqual(0.886);
    // the reported number is the exported model's own
    const valid = selectRows(ds, u1.valid);
    expect(regressionMetrics(predictRows(r.weights, valid), valid.ratings).rmse).toBeCloseTo(r.epochs.at(-1)!.validRmse, 10);
    // one stream: one start covering the three stages, 70 epoch rows, batches numbered within their epoch, one done
    const start = events.find((e) => e.type === 'start');
    expect(start).toMatchObject({ epochs: 70, batchesPerEpoch: 27 });
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(70);
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
    for (const e of events) if (e.type === 'batch') expect(e.batch).toBeLessThan(e.batchesPerEpoch);
    // and a new user folds into the 1050-factor stack as well as into the small models (the fold-in quality bar)
    const gap = foldInGap(ds, u1, r);
    console.log(`accurate fold-in: model ${gap.model.toFixed(4)}, folded ${gap.folded.toFixed(4)} over ${gap.n} ratings`);
    expect(gap.folded - gap.model).toBeLessThanOrEqual(0.12);
    // its speed is the bench's 'accurate' row (≤ 60 s), not this test's: on a loaded machine it takes minutes
  }, 600_000);

  it('stops within the AutoRec stage on abort and keeps an explorable blend', async () => {
    const ds = await loadDataset(testDataDir());
    const u1 = makeSplit(ds, 'u1');
    const controller = new AbortController();
    const r = await trainModel(ds, u1, { split: 'u1', ...PRESETS.accurate.options, epochs: 1, bs: 1024, lr: 0.02 }, {
      signal: controller.signal,
      onEvent: (e) => e.type === 'epoch' && e.row.epoch === 2 && controller.abort(),
    });
    expect(r.reason).toBe('cancelled');
    expect(r.epochs.length).toBeGreaterThanOrEqual(3);
    expect(r.epochs.length).toBeLessThan(26);
    // stopped in the I-AutoRec stage: the dotbias model and the I-AutoRec stacked (no U-AutoRec yet)
    expect(loose(r.weights).userDim).toBe(550);
    expect(Number.isFinite(regressionMetrics(predictRows(r.weights, selectRows(ds, u1.valid)), selectRows(ds, u1.valid).ratings).rmse)).toBe(true);
  });
});
