import { loose } from '../helpers/weights.js';
/** Issue #8 on the model layer: lr-find, compare, ranking, projector files, one-hot, presets. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import type { Dataset, Split } from '../../src/data/types.js';
import * as tf from '../../src/model/runtime/tf.js';
import { compareRuns, overfitVerdict } from '../../src/model/evaluate/compare.js';
import { lrFind, suggestLr } from '../../src/model/train/lrFind.js';
import { oneHotVsLookup, scaleCosts } from '../../src/model/interpret/onehot.js';
import { PRESETS, presetOptions } from '../../src/model/train/presets.js';
import { projectorFiles, sanitizeCell, writeProjectorFiles } from '../../src/model/interpret/projector.js';
import { rankingFromColumns, rankingMetrics } from '../../src/model/evaluate/ranking.js';
import { trainModel } from '../../src/model/train/train.js';
import type { EpochRow, ModelWeights, TrainResult, Vocab } from '../../src/model/types.js';
import { testDataDir } from '../helpers/data.js';

let ds: Dataset;
let u1: Split;
let recipe: TrainResult;
let tmp: string;

beforeAll(async () => {
  ds = await loadDataset(testDataDir());
  u1 = makeSplit(ds, 'u1');
  recipe = await trainModel(ds, u1, { split: 'u1' });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'factorlens-tools-'));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('lr-find', () => {
  it('dotbias on ML-100K: the smoothed loss falls, then explodes; the valley lies in 1e-4..1e-1', async () => {
    const r = await lrFind(ds, u1, { split: 'u1' });
    expect(r.lrs.length).toBe(r.losses.length);
    expect(r.lrs[0]).toBeCloseTo(1e-7, 12);
    for (let i = 1; i < r.lrs.length; i++) expect(r.lrs[i]).toBeGreaterThan(r.lrs[i - 1]);
    const warm = r.losses[Math.floor(r.losses.length / 10)];
    const iMin = r.losses.indexOf(r.minLoss);
    expect(r.minLoss).toBeLessThan(0.95 * warm); // falls
    expect(Math.max(...r.losses.slice(iMin))).toBeGreaterThan(2 * r.minLoss); // then explodes
    expect(r.lrs[iMin]).toBeGreaterThan(1e-3);
    expect(r.suggestions.valley).toBeGreaterThanOrEqual(1e-4);
    expect(r.suggestions.valley).toBeLessThanOrEqual(1e-1);
    expect(r.suggestions.steep).toBeGreaterThanOrEqual(1e-4);
    expect(r.suggestions.steep).toBeLessThanOrEqual(1e-1);
  });

  it('stops as soon as the smoothed loss passes 4× its minimum', async () => {
    const r = await lrFind(ds, u1, { split: 'u1' }, { startLr: 1e-3, endLr: 1000, numIt: 300 });
    expect(r.stop).toBe('exploded');
    expect(r.lrs.length).toBeLessThan(300);
    expect(r.losses.at(-1)!).toBeGreaterThan(4 * r.minLoss);
  });

  it('suggestions on a planted curve: flat, a descent over 1e-3..1e-2, then a blow-up', () => {
    const lrs = Array.from({ length: 100 }, (_, i) => 1e-6 * Math.pow(1e7, i / 100));
    const losses = lrs.map((lr) => (lr < 1e-3 ? 2 : lr < 1e-2 ? 2 - Math.log10(lr / 1e-3) : lr < 0.1 ? 1 : 1 + 10 * Math.log10(lr / 0.1)));
    const { suggestions } = suggestLr(lrs, losses);
    expect(suggestions.steep).toBeGreaterThan(1e-3);
    expect(suggestions.steep).toBeLessThan(1e-2);
    expect(suggestions.valley).toBeGreaterThan(1e-3);
    expect(suggestions.valley).toBeLessThan(1e-1);
  });
});

const row = (epoch: number, trainLoss: number, validLoss: number): EpochRow => ({ epoch, trainLoss, validLoss, validRmse: Math.sqrt(validLoss), validMae: 0, seconds: 1 });

describe('compare', () => {
  it('finds the overfitting of a wd 0 run and not of the recipe (wd 0.1), on real u1 runs', async () => {
    const wd0 = await trainModel(ds, u1, { split: 'u1', wd: 0 });
    const c = compareRuns([
      { name: 'recipe', options: recipe.options, epochs: recipe.epochs },
      { name: 'wd0', options: wd0.options, epochs: wd0.epochs },
    ]);
    expect(c.overfitting).toEqual(['wd0']);
    expect(c.runs[0].verdict).toBe('ok');
    const wdRow = c.params.find((p) => p.key === 'wd')!;
    expect(wdRow).toMatchObject({ differs: true, values: ['0.1', '0'] });
    expect(c.params.filter((p) => p.differs).map((p) => p.key)).toEqual(['wd']);
    expect(c.runs[1].finalValidLoss).toBeGreaterThan(c.runs[1].bestValidLoss + 0.01);
  });

  it('a rise in valid loss without falling train loss is not called overfitting', () => {
    expect(overfitVerdict([row(0, 1, 0.9), row(1, 0.8, 0.85), row(2, 0.7, 0.9)]).verdict).toBe('overfitting');
    expect(overfitVerdict([row(0, 1, 0.9), row(1, 0.8, 0.85), row(2, 0.85, 0.9)]).verdict).toBe('ok');
    expect(overfitVerdict([row(0, 1, 0.9), row(1, 0.8, 0.85), row(2, 0.7, 0.855)]).verdict).toBe('ok');
    expect(overfitVerdict([row(0, 1, 0.9)]).verdict).toBe('too-short');
    expect(() => compareRuns([{ name: 'a', options: recipe.options, epochs: recipe.epochs }])).toThrow(/at least 2/);
  });
  it('judges only the epochs that were validated (an averaged ensemble validates its last), and a diverged run still as diverged', () => {
    // two members of 3 epochs each: the table is 6 rows, the first five without a validation pass
    const ensemble = [0, 1, 2, 3, 4, 5].map((e) => row(e, 0.9 - e * 0.05, e === 5 ? 0.83 : NaN));
    expect(overfitVerdict(ensemble)).toEqual({ verdict: 'too-short', reason: 'validation measured at epoch 5 only: nothing to compare', bestEpoch: 5 });
    // validated every other epoch: the numbers are the epochs', not the positions among the validated
    const sparse = [row(0, 1, NaN), row(1, 0.8, 0.85), row(2, 0.7, NaN), row(3, 0.6, 0.9)];
    expect(overfitVerdict(sparse)).toMatchObject({ verdict: 'overfitting', bestEpoch: 1 });
    expect(overfitVerdict(sparse).reason).toMatch(/\(epoch 1\) to 0\.9000/);
    const c = compareRuns([
      { name: 'recipe', options: recipe.options, epochs: recipe.epochs },
      { name: 'ensemble', options: recipe.options, epochs: ensemble },
      { name: 'diverged', options: recipe.options, epochs: [row(0, 1, 0.9), row(1, NaN, NaN)] },
    ]);
    expect(c.runs[1].validLoss).toEqual([0.83]);
    expect(c.runs[1].bestValidLoss).toBe(0.83);
    expect(c.runs[2].validLoss).toHaveLength(2);
    expect(c.runs[2].validLoss.every(Number.isFinite)).toBe(false);
  });
});

/** Two users, five items, one factor: user 0 ranks items 0>1>2>3>4, user 1 the reverse. */
function tinyModel(): ModelWeights {
  return {
    kind: 'dotbias', nUsers: 2, nItems: 5, userDim: 1, itemDim: 1, yRange: [0, 5.5],
    userFactors: Float32Array.of(1, -1), itemFactors: Float32Array.of(5, 4, 3, 2, 1),
    userBias: new Float32Array(2), itemBias: new Float32Array(5),
  };
}
const cols = (rows: [number, number, number][]) => ({
  users: Int32Array.from(rows.map((r) => r[0])),
  items: Int32Array.from(rows.map((r) => r[1])),
  ratings: Float32Array.from(rows.map((r) => r[2])),
});

describe('ranking metrics', () => {
  // train: u0 rated item 0; u1 rated items 1, 3, 4. test: u0 → item 2 (5★), item 4 (4★), item 1 (2★); u1 → item 0 (3★).
  const train = cols([[0, 0, 3], [1, 1, 3], [1, 3, 3], [1, 4, 3]]);
  const test = cols([[0, 2, 5], [0, 4, 4], [0, 1, 2], [1, 0, 3]]);

  it('precision, recall and NDCG@2 on a hand-built case', () => {
    // u0's top 2 without item 0: [1, 2]; relevant {2, 4}: one hit at rank 2. u1 has nothing relevant.
    const r = rankingFromColumns(tinyModel(), train, test, { k: 2 });
    expect(r.users).toBe(1);
    expect(r.precision).toBeCloseTo(0.5, 10);
    expect(r.recall).toBeCloseTo(0.5, 10);
    const dcg = 1 / Math.log2(3);
    expect(r.ndcg).toBeCloseTo(dcg / (1 + dcg), 10);
  });

  it('coverage and popularity of the top-k lists', () => {
    // lists: u0 [1, 2], u1 [2, 0] → items {0, 1, 2} of 5; train counts 1, 1, 0, 1, 1.
    const r = rankingFromColumns(tinyModel(), train, test, { k: 2 });
    expect(r.listUsers).toBe(2);
    expect(r.itemsRecommended).toBe(3);
    expect(r.coverage).toBeCloseTo(0.6, 10);
    expect(r.meanPopularity).toBeCloseTo(0.5, 10); // (1 + 0 + 0 + 1) / 4 slots
    expect(r.catalogueMeanPopularity).toBeCloseTo(0.8, 10);
    expect(r.mostRecommended[0]).toEqual({ index: 2, lists: 2 });
  });

  it("the seeds' recipe on u1: better than chance, and its lists lean to popular movies", () => {
    const r = rankingMetrics(recipe.weights, ds, u1);
    expect(r.users).toBeGreaterThan(400);
    expect(r.precision).toBeGreaterThan(0.1);
    expect(r.ndcg).toBeGreaterThan(0.1);
    expect(r.precision).toBeLessThan(1);
    expect(r.popularityLift).toBeGreaterThan(1.5);
    expect(r.coverage).toBeLessThan(0.5);
    expect(r.seconds).toBeGreaterThan(0); // timed, not bounded: speed is the bench's
  });
});

describe('Embedding Projector export', () => {
  it('vectors.tsv and metadata.tsv parse back: one line per movie, the header, the columns', async () => {
    const out = path.join(tmp, 'proj');
    const r = await writeProjectorFiles(out, recipe.weights, recipe.vocab);
    const vec = (await readFile(r.vectorsPath, 'utf8')).trimEnd().split('\n');
    const meta = (await readFile(r.metadataPath, 'utf8')).trimEnd().split('\n');
    expect(vec).toHaveLength(ds.nItems);
    expect(meta).toHaveLength(ds.nItems + 1);
    expect(meta[0]).toBe('title\tyear\tgenres\tratings\tbias');
    for (const line of vec) {
      const cells = line.split('\t');
      expect(cells).toHaveLength(50);
      expect(cells.every((c) => Number.isFinite(Number(c)))).toBe(true);
    }
    for (const line of meta) expect(line.split('\t')).toHaveLength(5);
    const star = meta.findIndex((l) => l.startsWith('Star Wars (1977)\t'));
    expect(star).toBeGreaterThan(0);
    expect(meta[star].split('\t')[3]).toBe(String(recipe.vocab.itemCount[star - 1]));
    expect(Number(vec[star - 1].split('\t')[0])).toBeCloseTo(loose(recipe.weights).itemFactors[(star - 1) * 50], 6);
  });

  it('tabs and newlines in titles cannot break a row', () => {
    expect(sanitizeCell('A\tB\nC\r\nD')).toBe('A B C D');
    const vocab: Vocab = { ...recipe.vocab, titles: recipe.vocab.titles.map((t, i) => (i === 0 ? 'Bad\ttitle\nhere' : t)) };
    const f = projectorFiles(recipe.weights, vocab);
    const meta = f.metadata.trimEnd().split('\n');
    expect(meta).toHaveLength(ds.nItems + 1);
    expect(meta[1].split('\t')[0]).toBe('Bad title here');
  });
});

describe('one-hot = lookup', () => {
  it('matMul(oneHot(u), U) equals gather(U, u) exactly, and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const r = await oneHotVsLookup(recipe.weights, 41, '42', { repeats: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.maxAbsDiff).toBe(0);
    expect(r.batchMaxAbsDiff).toBe(0);
    expect(r.oneHotNonZeros).toBe(1);
    expect(r.lookup).toEqual(Array.from(loose(recipe.weights).userFactors.subarray(41 * 50, 42 * 50)));
    expect(r.timing.gatherMs).toBeGreaterThan(0);
  });

  it('memory arithmetic at MovieLens 100K and Netflix scale', () => {
    const [ml, nf] = scaleCosts(64, 50);
    expect(ml.oneHotBytes).toBe(64 * (943 + 1682) * 4);
    expect(nf.oneHotBytes).toBe(64 * (480189 + 17770) * 4);
    expect(nf.lookupBytes).toBe(64 * 2 * 50 * 4);
  });
});

describe('presets', () => {
  it('recipe is the defaults; unknown names are refused', () => {
    expect(presetOptions('recipe')).toMatchObject({ model: 'dotbias', factors: 50, epochs: 5, lr: 5e-3, wd: 0.1, bs: 64 });
    expect(() => presetOptions('fastest')).toThrow(/unknown preset "fastest": choose one of recipe, best, accurate/);
  });

  it('best beats the recipe on u1 (it does not reach 0.895: only the blend does)', async () => {
    const t0 = performance.now();
    const r = await trainModel(ds, u1, { split: 'u1', ...PRESETS.best.options });
    expect((performance.now() - t0) / 1000).toBeLessThan(60);
    expect(r.epochs.at(-1)!.validRmse).toBeLessThanOrEqual(0.916);
    expect(r.epochs.at(-1)!.validRmse).toBeLessThan(recipe.epochs.at(-1)!.validRmse);
  });
});
