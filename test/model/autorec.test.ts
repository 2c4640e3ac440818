import { loose } from '../helpers/weights.js';
/** I-AutoRec exported as a dotbias model: exactness of the export, a planted sanity check, u1. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import { blendDotbias, trainAutoRec } from '../../src/model/train/solvers/autorec.js';
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

describe('solver autorec (the accurate preset) on MovieLens 100K u1', () => {
  // wd 6 and the blend weight 0.6 were chosen on a 5% hold-out of u1.base (never u1.test). Measured
  // (2-core EPYC, alone): AutoRec alone 0.9004, the blend 0.8898 in ~36 s with per-epoch validation.
  it('trains best + I-AutoRec as one explorable dotbias model reaching u1 RMSE <= 0.895', async () => {
    const ds = await loadDataset(testDataDir());
    const u1 = makeSplit(ds, 'u1');
    const events: TrainEvent[] = [];
    const t0 = performance.now();
    const r = await trainModel(ds, u1, { split: 'u1', ...PRESETS.accurate.options }, { onEvent: (e) => events.push(e) });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`accurate: u1 RMSE ${r.epochs.at(-1)!.validRmse.toFixed(4)} in ${seconds.toFixed(1)} s`);
    expect(r.reason).toBe('completed');
    expect(r.weights).toMatchObject({ kind: 'dotbias', userDim: 550, itemDim: 550 });
    expect(r.epochs).toHaveLength(45);
    expect(r.epochs.at(-1)!.validRmse).toBeLessThanOrEqual(0.895);
    // the reported number is the exported model's own
    const valid = selectRows(ds, u1.valid);
    expect(regressionMetrics(predictRows(r.weights, valid), valid.ratings).rmse).toBeCloseTo(r.epochs.at(-1)!.validRmse, 10);
    // one stream: one start covering both stages, 45 epoch rows, batches numbered within their epoch, one done
    const start = events.find((e) => e.type === 'start');
    expect(start).toMatchObject({ epochs: 45, batchesPerEpoch: 27 });
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(45);
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
    for (const e of events) if (e.type === 'batch') expect(e.batch).toBeLessThan(e.batchesPerEpoch);
    // and a new user folds into the 550-factor blend as well as into the small models (the fold-in quality bar)
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
    expect(r.epochs.length).toBeLessThan(41);
    expect(loose(r.weights).userDim).toBe(550);
    expect(Number.isFinite(regressionMetrics(predictRows(r.weights, selectRows(ds, u1.valid)), selectRows(ds, u1.valid).ratings).rmse)).toBe(true);
  });
});
