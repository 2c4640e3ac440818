/**
 * The baselines as model kinds: each trained by its solver in the loop's shape and read back through
 * the kind (logits, output, θ, fold-in, neighbours) gives the hand-computed numbers and its core's
 * numbers; every kind survives a snapshot with identical predictions; the trainer runs them with
 * progress, no validation loss for the rank-only ones, and stops on cancel.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadDataset, makeSplit } from '../../src/data/index.js';
import { foldIn } from '../../src/model/interpret/foldin.js';
import { recommend } from '../../src/model/interpret/recommend.js';
import { similarMovies } from '../../src/model/interpret/similar.js';
import { biasRanking } from '../../src/model/interpret/bias.js';
import { moviePca } from '../../src/model/interpret/pca.js';
import { predictRows, scoreItems, trainedUser } from '../../src/model/models/forward.js';
import { kindOf, MODEL_KINDS, modelKind } from '../../src/model/models/index.js';
import { fitEase, scoreEase } from '../../src/model/models/baselines/ease.js';
import { fitIals, ialsFoldIn, scoreIals } from '../../src/model/models/baselines/ials.js';
import { fitKnnBaseline, knnFoldIn, knnTrainedUser, predictKnn } from '../../src/model/models/baselines/knnBaseline.js';
import { resolveOptions } from '../../src/model/train/defaults.js';
import { solverFor } from '../../src/model/train/solvers/index.js';
import { trainModel } from '../../src/model/train/train.js';
import { loadSnapshot, saveSnapshot } from '../../src/model/snapshot/index.js';
import type { ModelKind, ModelWeights, TrainOptions, TrainEvent } from '../../src/model/types.js';
import { cols, matrix } from './baselines/helpers.js';
import { FACTOR_KINDS, makeResult } from './snapshotFixtures.js';
import { cleanupFixtures, fixtureDir } from '../data/fixtures.js';

type Row = [number, number, number];

/** A kind fitted on triples by its own solver, stepped as the training loop steps it. */
function fit(kind: ModelKind, rows: Row[], nUsers: number, nItems: number, partial: Partial<TrainOptions> = {}): ModelWeights {
  const opts = resolveOptions({ model: kind, ...partial });
  const entry = solverFor(kind);
  const solver = entry.make(opts, nUsers, nItems, cols(rows), () => 0.5, [1, 5]);
  for (let e = 0; e < entry.epochs(opts); e++) {
    solver.beginEpoch();
    for (let s = 0; s < solver.steps; s++) expect(Number.isFinite(solver.step(s, { lr: 0, beta1: 0.9 }))).toBe(true);
    solver.keep();
  }
  return solver.weights();
}

const at = (w: ModelWeights, u: number, i: number) => predictRows(w, { users: Int32Array.of(u), items: Int32Array.of(i) })[0];

//        i0  i1  i2  i3
//   u0    5   4   1   4
//   u1    4   5   2   —
//   u2    1   2   5   2
//   u3    —   4   2   5
const TABLE: Row[] = [
  [0, 0, 5], [0, 1, 4], [0, 2, 1], [0, 3, 4],
  [1, 0, 4], [1, 1, 5], [1, 2, 2],
  [2, 0, 1], [2, 1, 2], [2, 2, 5], [2, 3, 2],
  [3, 1, 4], [3, 2, 2], [3, 3, 5],
];

describe('the kinds declare what they are', () => {
  it('every kind has an output, and RMSE means something exactly when it predicts ratings', () => {
    for (const k of MODEL_KINDS) {
      const kind = modelKind(k);
      expect(['sigmoid-range', 'rating', 'rank']).toContain(kind.output);
      expect(kind.shows.ratings).toBe(kind.output !== 'rank');
      // a kind without a fold-in of its own is solved by Gauss-Newton through sigmoid_range
      if (!kind.foldIn) expect(kind.output).toBe('sigmoid-range');
      if (kind.shows.neighbours) expect(kind.neighbours).toBeDefined();
    }
  });
});

describe('global mean', () => {
  const w = fit('mean', [[0, 0, 5], [0, 1, 3], [1, 0, 4]], 2, 2);

  it('predicts μ = 4 for everyone, a new user too; ranks nothing', () => {
    expect([...scoreItems(w, trainedUser(w, 1))]).toEqual([4, 4]);
    expect([...scoreItems(w, foldIn(w, [{ item: 0, rating: 1 }]).theta)]).toEqual([4, 4]);
    expect(() => recommend(w, vocab(2, 2), [])).toThrow(/not available for this model/);
    expect(() => similarMovies(w, vocab(2, 2), 0)).toThrow(/not available for this model/);
  });
});

describe('BaselineOnly as a kind', () => {
  // the hand example of baselines/simple.test.ts: μ = 4, reg 1, one epoch → b_i0 = 1/3, b_i1 = −1/2, b_u0 = 1/18, b_u1 = −1/6
  const w = fit('baseline', [[0, 0, 5], [0, 1, 3], [1, 0, 4]], 2, 2, { baseline: { regU: 1, regI: 1, epochs: 1 } });

  it('r̂ = μ + b_u + b_i by hand, through the kind', () => {
    const b = kindOf(w).biases(w)!;
    expect(b.item[0]).toBeCloseTo(1 / 3, 6);
    expect(b.item[1]).toBeCloseTo(-1 / 2, 6);
    expect(b.user[0]).toBeCloseTo(1 / 18, 6);
    expect(at(w, 1, 1)).toBeCloseTo(10 / 3, 5);
    expect(kindOf(w).userParts(w, trainedUser(w, 1))).toEqual({ factors: [], bias: b.user[1] });
  });

  it('folds a new user in with the ALS user step: 5★ on i0 → b_u = 1/3, r̂(i1) = 4 + 1/3 − 1/2', () => {
    const theta = foldIn(w, [{ item: 0, rating: 5 }]).theta;
    expect(theta[0]).toBeCloseTo(1 / 3, 6);
    expect(scoreItems(w, theta)[1]).toBeCloseTo(23 / 6, 5);
    // a 1–5 scale includes its ends (sigmoid_range's bounds are open)
    expect(() => foldIn(w, [{ item: 0, rating: 5.5 }])).toThrow(/outside the model's range 1..5/);
  });

  it('its predictions are ratings clipped to the scale', () => {
    const hi = fit('baseline', [[0, 0, 5], [0, 1, 5], [1, 0, 5], [1, 1, 5]], 2, 2, { baseline: { regU: 0, regI: 0, epochs: 3 } });
    const theta = Float64Array.of(3); // a user far above everyone
    expect([...scoreItems(hi, theta)]).toEqual([5, 5]);
  });

  it('shows its biases in the Bias pane', () => {
    const r = biasRanking(w, vocab(2, 2), { top: 1 });
    expect(r.top[0].index).toBe(0);
    expect(() => moviePca(w, vocab(2, 2))).toThrow(/no movie factor vectors: PCA is not available for this model/);
  });
});

describe('popularity as a kind', () => {
  it('scores by training count, the same for trained and new users (rank only: no clipping)', () => {
    const w = fit('popularity', [[0, 2, 5], [1, 2, 1], [2, 2, 3], [0, 0, 4], [1, 0, 4]], 3, 4);
    expect([...scoreItems(w, trainedUser(w, 0))]).toEqual([2, 0, 3, 0]);
    expect([...scoreItems(w, foldIn(w, [{ item: 1, rating: 5 }]).theta)]).toEqual([2, 0, 3, 0]);
    const recs = recommend(w, vocab(3, 4), [{ item: 2, rating: 5 }], { top: 2 });
    expect(recs.ranking).toBe('score');
    expect(recs.recommendations.map((r) => r.index)).toEqual([0, 1]);
  });
});

describe('item-kNN as a kind', () => {
  const w = fit('itemknn', TABLE, 4, 4, { knn: { k: 40, minK: 1, similarity: 'pearson_baseline', shrinkage: 1, minSupport: 1 } });
  const core = fitKnnBaseline(matrix(TABLE, 4, 4), { shrinkage: 1 });

  it("gives its core's predictions for every user and movie", () => {
    for (let u = 0; u < 4; u++) for (let i = 0; i < 4; i++) expect(at(w, u, i)).toBeCloseTo(Math.min(5, Math.max(1, predictKnn(core, knnTrainedUser(core, u), i))), 5);
  });

  it("folds a new user in from their ratings alone, as its core does", () => {
    const rated = [{ item: 0, rating: 5 }, { item: 2, rating: 1 }];
    const ours = scoreItems(w, foldIn(w, rated).theta);
    const theirs = knnFoldIn(core, { items: Int32Array.of(0, 2), ratings: Float32Array.of(5, 1) });
    for (let i = 0; i < 4; i++) expect(ours[i]).toBeCloseTo(Math.min(5, Math.max(1, predictKnn(core, theirs, i))), 5);
  });

  it('its similar movies are its own neighbours, not factor cosine', () => {
    const row = kindOf(w).neighbours!.row(w, 3);
    for (let i = 0; i < 4; i++) expect(row[i]).toBeCloseTo(core.sims.row(3)[i], 6);
    const list = similarMovies(w, vocab(4, 4), 3, { top: 2, minRatings: 0 });
    expect(list.map((m) => m.index)).toEqual([1, 0]);
  });
});

describe('EASE^R as a kind', () => {
  const w = fit('ease', TABLE, 4, 4, { ease: { lambda: 2 } });
  const core = fitEase(matrix(TABLE, 4, 4), { lambda: 2 });

  it("scores a trained user and a new one by their rated movies, as its core does", () => {
    const m = matrix(TABLE, 4, 4);
    for (let u = 0; u < 4; u++) {
      const theirs = scoreEase(core, m.userItems.subarray(m.userStart[u], m.userStart[u + 1]));
      const ours = scoreItems(w, trainedUser(w, u));
      for (let i = 0; i < 4; i++) expect(ours[i]).toBeCloseTo(theirs[i], 5);
    }
    const fresh = scoreItems(w, foldIn(w, [{ item: 1, rating: 2 }]).theta);
    const theirs = scoreEase(core, Int32Array.of(1));
    for (let i = 0; i < 4; i++) expect(fresh[i]).toBeCloseTo(theirs[i], 5);
  });
});

describe('iALS as a kind', () => {
  const settings = { factors: 2, reg: 1, alpha: 5, epochs: 4, cgSteps: 3 };
  const w = fit('ials', TABLE, 4, 4, { ials: settings, seed: 7 });
  const core = fitIals(matrix(TABLE, 4, 4), { ...settings, seed: 7 });

  it('trains the same factors as its core, scores x·y, folds in exactly', () => {
    for (let u = 0; u < 4; u++) {
      const theirs = scoreIals(core, core.userFactors.subarray(u * 2, u * 2 + 2));
      const ours = scoreItems(w, trainedUser(w, u));
      for (let i = 0; i < 4; i++) expect(ours[i]).toBeCloseTo(theirs[i], 5);
    }
    const x = ialsFoldIn(core, { items: Int32Array.of(0, 3), ratings: Float32Array.of(4, 4) });
    const theta = foldIn(w, [{ item: 0, rating: 4 }, { item: 3, rating: 4 }]).theta;
    expect(theta[0]).toBeCloseTo(x[0], 5);
    expect(theta[1]).toBeCloseTo(x[1], 5);
    expect(moviePca(w, vocab(4, 4), { movies: 4, components: 1 }).movies).toHaveLength(4);
  });
});

describe('snapshots of every kind', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(MODEL_KINDS.filter((k) => !FACTOR_KINDS.includes(k)))('%s: save → load gives identical predictions, trained and folded-in users alike', async (kind) => {
    dir ||= await mkdtemp(path.join(os.tmpdir(), 'factorlens-kinds-'));
    const result = makeResult(kind, { nUsers: 9, nItems: 6, seed: 3 });
    await saveSnapshot(kind, result, { dir });
    const back = await loadSnapshot(kind, { dir });
    expect(back.weights.kind).toBe(kind);
    expect(back.options).toEqual(result.options);
    const users = Int32Array.from({ length: 54 }, (_, r) => r % 9);
    const items = Int32Array.from({ length: 54 }, (_, r) => Math.floor(r / 9));
    expect([...predictRows(back.weights, { users, items })]).toEqual([...predictRows(result.weights, { users, items })]);
    const rated = [{ item: 1, rating: 5 }, { item: 4, rating: 2 }];
    expect([...scoreItems(back.weights, foldIn(back.weights, rated).theta)]).toEqual([...scoreItems(result.weights, foldIn(result.weights, rated).theta)]);
  });
});

/** 40 users in two taste groups × 30 movies, with timestamps: enough for every kind to learn something. */
async function syntheticDataset() {
  const lines = ['user,item,rating,timestamp'];
  let t = 1000;
  for (let u = 0; u < 40; u++) {
    for (let i = 0; i < 30; i++) {
      if ((u * 7 + i * 11) % 3 === 0) continue;
      const likes = (u < 20) === (i < 15);
      lines.push(`u${u},m${i},${likes ? 4 + ((u + i) % 2) : 1 + ((u + i) % 3)},${t++}`);
    }
  }
  return loadDataset(fixtureDir({ 'ratings.csv': lines.join('\n') + '\n' }));
}

describe('the trainer runs the baselines', () => {
  afterAll(cleanupFixtures);

  it.each(['mean', 'baseline', 'popularity', 'itemknn', 'ease', 'ials'] as ModelKind[])('%s: progress events, epochs, RMSE only where it predicts ratings', async (kind) => {
    const ds = await syntheticDataset();
    const split = makeSplit(ds, 'random', { seed: 1 });
    const events: TrainEvent[] = [];
    const r = await trainModel(ds, split, { model: kind }, { onEvent: (e) => events.push(e) });
    expect(r.reason).toBe('completed');
    expect(events[0].type).toBe('start');
    expect(events.some((e) => e.type === 'batch')).toBe(true);
    const last = r.epochs.at(-1)!;
    if (modelKind(kind).shows.ratings) expect(last.validRmse).toBeLessThan(2);
    else expect(Number.isNaN(last.validRmse)).toBe(true);
    expect(r.weights.yRange).toEqual([1, 5]);
  });

  it('item-kNN and EASE stop on cancel within their steps, keeping the untrained model', async () => {
    const ds = await syntheticDataset();
    const split = makeSplit(ds, 'random', { seed: 1 });
    for (const kind of ['itemknn', 'ease'] as ModelKind[]) {
      const controller = new AbortController();
      let batches = 0;
      const r = await trainModel(ds, split, { model: kind }, {
        signal: controller.signal,
        yieldEveryMs: 0,
        onEvent: (e) => {
          if (e.type === 'batch' && ++batches === 2) controller.abort();
        },
      });
      expect(r.reason).toBe('cancelled');
      expect(r.epochs).toHaveLength(0);
    }
  });
});

function vocab(nUsers: number, nItems: number) {
  return {
    userIds: Array.from({ length: nUsers }, (_, i) => String(i)),
    itemIds: Array.from({ length: nItems }, (_, i) => String(i)),
    titles: Array.from({ length: nItems }, (_, i) => `Movie ${i}`),
    years: Array.from({ length: nItems }, () => null),
    genres: Array.from({ length: nItems }, () => []),
    itemCount: Array.from({ length: nItems }, () => 50),
    itemMean: Array.from({ length: nItems }, () => 3),
    userCount: Array.from({ length: nUsers }, () => 10),
    userMean: Array.from({ length: nUsers }, () => 3),
  };
}
