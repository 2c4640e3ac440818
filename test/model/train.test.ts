import { loose } from '../helpers/weights.js';
/** The trainer on the real MovieLens 100K u1 split: the training quality bars. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../src/model/runtime/tf.js';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import type { Dataset, Split } from '../../src/data/types.js';
import { CollabModel } from '../helpers/tfjsModel.js';
import { predictRows } from '../../src/model/models/forward.js';
import { trainModel } from '../../src/model/train/train.js';
import type { TrainResult } from '../../src/model/types.js';
import { testDataDir } from '../helpers/data.js';

let ds: Dataset;
let u1: Split;
const runs = new Map<string, TrainResult>();

async function run(key: string, opts: Parameters<typeof trainModel>[2]): Promise<TrainResult> {
  if (!runs.has(key)) runs.set(key, await trainModel(ds, u1, { split: 'u1', ...opts }));
  return runs.get(key)!;
}

beforeAll(async () => {
  ds = await loadDataset(testDataDir());
  u1 = makeSplit(ds, 'u1');
});

const final = (r: TrainResult) => r.epochs.at(-1)!;
const best = (r: TrainResult) => Math.min(...r.epochs.map((e) => e.validLoss));

describe('seeds recipe on u1', () => {
  it('dotbias (50 factors, 5 epochs, lr 5e-3, wd 0.1, bs 64) reaches valid RMSE <= 0.925', async () => {
    const r = await run('dotbias', {});
    expect(r.reason).toBe('completed');
    expect(r.epochs).toHaveLength(5);
    expect(final(r).validRmse).toBeLessThanOrEqual(0.925);
    expect(final(r).validRmse).toBeGreaterThan(0.85); // a number this good on 5 epochs would mean a leak
  });

  it('weight decay matters: wd 0 overfits, wd 0.1 stays within 0.01 of its best', async () => {
    const wd0 = await run('wd0', { wd: 0 });
    const wd01 = await run('dotbias', {});
    expect(final(wd0).validLoss).toBeGreaterThan(best(wd0) + 0.01);
    const trains = wd0.epochs.map((e) => e.trainLoss);
    for (let i = 1; i < trains.length; i++) expect(trains[i]).toBeLessThan(trains[i - 1]);
    expect(final(wd01).validLoss - best(wd01)).toBeLessThanOrEqual(0.01);
  });

  it('dot (no biases) reaches valid RMSE <= 0.94', async () => {
    expect(final(await run('dot', { model: 'dot' })).validRmse).toBeLessThanOrEqual(0.94);
  });

  it('nn with defaults (fastai embedding sizes, one hidden layer of 100) reaches valid RMSE <= 0.95', async () => {
    const r = await run('nn', { model: 'nn' });
    expect(loose(r.weights).userDim).toBe(74); // fastai's get_emb_sz(943 users) = round(1.6 * 943^0.56)
    expect(loose(r.weights).itemDim).toBe(102);
    expect(final(r).validRmse).toBeLessThanOrEqual(0.95);
    // the engine's nn validation forward agrees with the tfjs model's
    const model = CollabModel.fromWeights(r.weights);
    const users = u1.valid.slice(0, 2000).map((row) => ds.users[row]);
    const items = u1.valid.slice(0, 2000).map((row) => ds.items[row]);
    const p = model.predict(users, items);
    model.dispose();
    const fused = predictRows(r.weights, { users, items });
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - fused[i])).toBeLessThan(1e-4);
  });
});

describe('trainer behaviour', () => {
  it('same seed gives the same numbers', async () => {
    const a = await trainModel(ds, u1, { epochs: 1, bs: 1024, lr: 0.02 });
    const b = await trainModel(ds, u1, { epochs: 1, bs: 1024, lr: 0.02 });
    expect(a.epochs[0].validLoss).toBe(b.epochs[0].validLoss);
    expect(Array.from(loose(a.weights).itemFactors.subarray(0, 50))).toEqual(Array.from(loose(b.weights).itemFactors.subarray(0, 50)));
    const c = await trainModel(ds, u1, { epochs: 1, bs: 1024, lr: 0.02, seed: 7 });
    expect(c.epochs[0].validLoss).not.toBe(a.epochs[0].validLoss);
  });

  it('predictions always lie inside y_range, and the tfjs forward matches the training kernel', async () => {
    const r = await run('dotbias', {});
    const model = CollabModel.fromWeights(r.weights);
    const users = new Int32Array(ds.nUsers * 3).map((_, i) => i % ds.nUsers);
    const items = new Int32Array(ds.nUsers * 3).map((_, i) => (i * 7919) % ds.nItems);
    const p = model.predict(users, items);
    model.dispose();
    const fused = predictRows(r.weights, { users, items });
    for (let i = 0; i < p.length; i++) {
      expect(p[i]).toBeGreaterThan(0);
      expect(p[i]).toBeLessThan(5.5);
      expect(Math.abs(p[i] - fused[i])).toBeLessThan(1e-5);
    }
  });

  it('keeps tf.memory().numTensors flat across epochs and runs', async () => {
    await trainModel(ds, u1, { epochs: 1, bs: 2048, lr: 0.02 });
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await trainModel(ds, u1, { epochs: 3, bs: 2048, lr: 0.02 }, { onEvent: (e) => e.type === 'epoch' && counts.push(tf.memory().numTensors) });
    expect(tf.memory().numTensors).toBe(before);
    expect(new Set(counts).size).toBe(1);
    const nnBefore = tf.memory().numTensors;
    await trainModel(ds, u1, { model: 'nn', epochs: 1, bs: 4096, lr: 0.01 });
    expect(tf.memory().numTensors).toBe(nnBefore);
  });

  it('stops within one batch of an abort and keeps the weights trained so far', async () => {
    const controller = new AbortController();
    let batches = 0;
    let afterAbort = 0;
    const r = await trainModel(ds, u1, { epochs: 3 }, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type !== 'batch') return;
        batches++;
        if (controller.signal.aborted) afterAbort++;
        if (e.epoch === 1 && e.batch === 10) controller.abort();
      },
    });
    expect(r.reason).toBe('cancelled');
    expect(afterAbort).toBe(0);
    expect(r.epochs).toHaveLength(1);
    expect(batches).toBe(1250 + 11);
    expect(Math.abs(loose(r.weights).itemFactors[0])).toBeGreaterThan(0);
  });

  it('detects divergence ("lr too high") and keeps the last good weights', async () => {
    const r = await trainModel(ds, u1, { epochs: 2, lr: 10, wd: 0 });
    expect(r.reason).toBe('diverged');
    expect(r.message).toMatch(/too high/);
    for (const x of loose(r.weights).itemFactors) expect(Number.isFinite(x)).toBe(true);
  });

  it('refuses invalid hyperparameters with a message naming the value and range', async () => {
    await expect(trainModel(ds, u1, { factors: 0 })).rejects.toThrow(/factors must be a whole number from 1 to 1024, got 0/);
    await expect(trainModel(ds, u1, { lr: -1 })).rejects.toThrow(/lr must be .* got -1/);
    await expect(trainModel(ds, u1, { epochs: 0 })).rejects.toThrow(/epochs .* got 0/);
    await expect(trainModel(ds, u1, { yRange: [5, 1] })).rejects.toThrow(/low < high/);
    await expect(trainModel(ds, u1, { model: 'svd' as never })).rejects.toThrow(/unknown model "svd"/);
  });
});
