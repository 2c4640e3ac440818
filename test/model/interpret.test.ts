/** The interpretation API on tiny synthetic models with planted structure (fast, no tfjs). */
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/model/errors.js';
import { predictRows, scoreItems, trainedUser } from '../../src/model/models/forward.js';
import { loose } from '../helpers/weights.js';

const predict = (w: ModelWeights, u: number, i: number) => predictRows(w, { users: Int32Array.of(u), items: Int32Array.of(i) })[0];
import {
  averageTasteScores,
  averageUser,
  biasRanking,
  foldIn,
  foldInObjective,
  itemCosine,
  moviePca,
  recommend,
  similarMovies,
  timeRecommend,
} from '../../src/model/interpret/index.js';
import type { ModelWeights } from '../../src/model/types.js';
import { naiveNnPredict, normals, syntheticModel, syntheticVocab } from './interpretSynthetic.js';
// Jacobi rotations: an independent check on ml-pca's SVD
import { jacobiEigen } from '../../src/model/interpret/eigen.js';


describe('forward pass', () => {
  it('predictRows and scoreItems agree and stay inside y_range (dotbias)', () => {
    const w = syntheticModel({ kind: 'dotbias' });
    const users = Int32Array.from([0, 5, 7, 199]);
    const items = Int32Array.from([3, 0, 119, 50]);
    const batch = predictRows(w, { users, items });
    users.forEach((u, r) => {
      expect(batch[r]).toBeCloseTo(predict(w, u, items[r]), 5);
      expect(scoreItems(w, trainedUser(w, u))[items[r]]).toBeCloseTo(batch[r], 5);
    });
    const extreme = new Float64Array(loose(w).userDim + 1).fill(1e3);
    for (const s of scoreItems(w, extreme)) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(5.5);
    }
  });

  it('nn: the cached split first layer equals the obvious concat → dense forward pass', () => {
    const w = syntheticModel({ kind: 'nn', nUsers: 30, nItems: 40 });
    for (const [u, i] of [[0, 0], [3, 17], [29, 39]]) {
      const naive = naiveNnPredict(w, loose(w).userFactors.subarray(u * loose(w).userDim), i);
      expect(predict(w, u, i)).toBeCloseTo(naive, 5);
      expect(scoreItems(w, trainedUser(w, u))[i]).toBeCloseTo(naive, 5);
    }
  });

  it('refuses out-of-range indices with a ModelError', () => {
    const w = syntheticModel();
    expect(() => predict(w, 200, 0)).toThrow(ModelError);
    expect(() => predict(w, 0, -1)).toThrow(/item index -1/);
  });
});

describe('bias ranking', () => {
  const w = syntheticModel({ kind: 'dotbias', nItems: 6, nUsers: 4 });
  loose(w).itemBias = Float32Array.from([0.1, -0.5, 0.9, 0.3, -0.2, 0.0]);
  loose(w).userBias = Float32Array.from([0.2, -1, 0.5, 0]);
  const vocab = syntheticVocab(4, 6, [50, 40, 30, 20, 10, 5]);

  it('orders movies by learned bias, both ends, with counts and means', () => {
    const r = biasRanking(w, vocab, { top: 2 });
    expect(r.top.map((e) => e.index)).toEqual([2, 3]);
    expect(r.bottom.map((e) => e.index)).toEqual([1, 4]);
    expect(r.top[0]).toMatchObject({ name: 'Movie 2 (1990)', nRatings: 30, meanRating: 3 });
    expect(r.top[0].bias).toBeCloseTo(0.9, 6);
  });

  it('ranks users too, and honours minRatings', () => {
    expect(biasRanking(w, vocab, { kind: 'user', top: 1 }).top[0]).toMatchObject({ index: 2, name: 'user 3' });
    expect(biasRanking(w, vocab, { top: 1, minRatings: 35 }).top[0].index).toBe(0);
  });

  it('explains that dot and nn models have no bias terms', () => {
    expect(() => biasRanking(syntheticModel({ kind: 'dot' }), vocab)).toThrow(/model dot has no bias terms; train dotbias/);
    expect(() => biasRanking(syntheticModel({ kind: 'nn' }), vocab)).toThrow(ModelError);
  });
});

describe('PCA of movie factors', () => {
  it('matches an independent Jacobi eigen-decomposition of the covariance', () => {
    const rnd = normals(7);
    const nItems = 80;
    const dim = 6;
    const w = syntheticModel({ nItems, dim });
    // anisotropic factors so the components are well separated
    for (let i = 0; i < nItems; i++) for (let k = 0; k < dim; k++) loose(w).itemFactors[i * dim + k] = rnd() * (dim - k) + (k === 0 ? 3 : 0);
    const counts = Array.from({ length: nItems }, (_, i) => (i * 37) % 101);
    const vocab = syntheticVocab(10, nItems, counts);
    const res = moviePca(w, vocab, { movies: 50, components: 3 });

    const chosen = Array.from({ length: nItems }, (_, i) => i).sort((a, b) => counts[b] - counts[a]).slice(0, 50);
    expect(new Set(res.movies.map((m) => m.index))).toEqual(new Set(chosen));
    const rows = chosen.map((i) => Array.from(loose(w).itemFactors.subarray(i * dim, (i + 1) * dim)));
    const mean = Array.from({ length: dim }, (_, k) => rows.reduce((s, r) => s + r[k], 0) / rows.length);
    const cov = Array.from({ length: dim }, (_, a) =>
      Array.from({ length: dim }, (_, b) => rows.reduce((s, r) => s + (r[a] - mean[a]) * (r[b] - mean[b]), 0) / (rows.length - 1)),
    );
    const { values, vectors } = jacobiEigen(cov);
    const total = values.reduce((s, x) => s + x, 0);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(res.explainedVariance[c] - values[c] / total)).toBeLessThan(1e-3);
      const dot = res.components[c].reduce((s, x, k) => s + x * vectors[c][k], 0);
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-6);
    }
    // coordinates are the centred vectors projected on the components
    const m0 = res.movies[0];
    const r0 = Array.from(loose(w).itemFactors.subarray(m0.index * dim, (m0.index + 1) * dim));
    const proj = res.components[1].reduce((s, x, k) => s + x * (r0[k] - mean[k]), 0);
    expect(m0.coords[1]).toBeCloseTo(proj, 6);
  });

  it('wide factors (the accurate preset has 550) take the covariance route and agree with a full SVD', async () => {
    const { PCA } = await import('ml-pca');
    const rnd = normals(3);
    const nItems = 400;
    const dim = 120; // above the SVD cut-off
    const w = syntheticModel({ nItems, dim });
    // a spread of scales so the leading components are separated, plus noise in every direction
    for (let i = 0; i < nItems; i++) for (let k = 0; k < dim; k++) loose(w).itemFactors[i * dim + k] = rnd() * (k < 6 ? 8 - k : 0.3);
    const vocab = syntheticVocab(10, nItems, Array.from({ length: nItems }, () => 50));
    const res = moviePca(w, vocab, { movies: nItems, components: 4 });
    const rows = res.movies.map((m) => Array.from(loose(w).itemFactors.subarray(m.index * dim, (m.index + 1) * dim)));
    const ref = new PCA(rows, { method: 'SVD', center: true, scale: false });
    const refRatios = ref.getExplainedVariance();
    const refVectors = ref.getEigenvectors();
    for (let c = 0; c < 4; c++) {
      expect(res.explainedVariance[c]).toBeCloseTo(refRatios[c], 8);
      const dot = res.components[c].reduce((s, x, k) => s + x * refVectors.get(k, c), 0);
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-6);
    }
  });

  it('refuses more components than factors', () => {
    const w = syntheticModel({ dim: 4 });
    expect(() => moviePca(w, syntheticVocab(200, 120), { components: 5 })).toThrow(/components must be .* 1 to 4/);
  });
});

describe('similar movies', () => {
  const w = {
    ...syntheticModel({ kind: 'dot', nItems: 5, nUsers: 2, dim: 2 }),
    itemFactors: Float32Array.from([1, 0, 1, 1, 0, 2, -1, 0, 3, 0.1]),
  };
  const vocab = syntheticVocab(2, 5, [50, 50, 50, 50, 3]);

  it('computes cosine similarity of factor vectors', () => {
    expect(itemCosine(w, 0, 1)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(itemCosine(w, 0, 2)).toBeCloseTo(0, 6);
    expect(itemCosine(w, 0, 3)).toBeCloseTo(-1, 6);
    expect(itemCosine(w, 0, 4)).toBeCloseTo(3 / Math.hypot(3, 0.1), 6);
  });

  it('ranks by similarity, skips itself and rarely rated movies', () => {
    expect(similarMovies(w, vocab, 0, { top: 3 }).map((s) => s.index)).toEqual([1, 2, 3]);
    expect(similarMovies(w, vocab, 0, { top: 2, minRatings: 0 }).map((s) => s.index)).toEqual([4, 1]);
  });

  it('a film listed twice (ML-100K has 18) is neither similar to itself nor shown twice', () => {
    // items 1 and 4 are one film under two ids; so are 2 and 3
    const twice = { ...vocab, titles: ['A (1990)', 'B (1991)', 'C (1992)', 'C (1992)', 'B (1991)'], itemCount: [50, 50, 50, 50, 50] };
    const w2 = { ...w, itemFactors: Float32Array.from([1, 0, 1, 1, 0, 2, 0, 2, 1, 1.01]) };
    expect(similarMovies(w2, twice, 1, { top: 4 }).map((s) => s.title)).toEqual(['A (1990)', 'C (1992)']);
    expect(similarMovies(w2, twice, 0, { top: 4 }).map((s) => s.title)).toEqual(['B (1991)', 'C (1992)']);
  });
});

describe('fold-in and recommendations', () => {
  it('recovers a planted user from their ratings (dotbias and dot)', () => {
    for (const kind of ['dotbias', 'dot'] as const) {
      const w = syntheticModel({ kind, nUsers: 300, nItems: 150, dim: 4, seed: 3 });
      const truth = trainedUser(w, 42);
      const all = scoreItems(w, truth);
      const ratings = Array.from({ length: 30 }, (_, j) => ({ item: j * 5, rating: all[j * 5] }));
      const { theta } = foldIn(w, ratings, { l2: 0.01 });
      const got = scoreItems(w, theta);
      let se = 0;
      let seMean = 0;
      const avg = scoreItems(w, averageUser(w));
      for (let i = 0; i < w.nItems; i++) {
        se += (got[i] - all[i]) ** 2;
        seMean += (avg[i] - all[i]) ** 2;
      }
      expect(Math.sqrt(se / w.nItems)).toBeLessThan(0.05);
      expect(Math.sqrt(se / w.nItems)).toBeLessThan(0.2 * Math.sqrt(seMean / w.nItems));
    }
  });

  it('nn: the fold-in gradient matches finite differences', () => {
    const w = syntheticModel({ kind: 'nn', nUsers: 50, nItems: 30, dim: 5, seed: 11 });
    const ratings = [0, 4, 9, 17, 25].map((item, j) => ({ item, rating: 1 + j }));
    const rnd = normals(5);
    const theta = Float64Array.from({ length: loose(w).userDim }, () => rnd() * 0.5);
    const { grad } = foldInObjective(w, ratings, theta, { l2: 0.5 });
    const h = 1e-5;
    for (let k = 0; k < theta.length; k++) {
      const plus = theta.slice();
      const minus = theta.slice();
      plus[k] += h;
      minus[k] -= h;
      const fd = (foldInObjective(w, ratings, plus, { l2: 0.5 }).loss - foldInObjective(w, ratings, minus, { l2: 0.5 }).loss) / (2 * h);
      expect(Math.abs(fd - grad[k])).toBeLessThan(1e-4 * (1 + Math.abs(fd)));
    }
  });

  it('nn: fold-in fits the ratings it was given better than the average user', () => {
    const w = syntheticModel({ kind: 'nn', nUsers: 100, nItems: 60, dim: 5, seed: 2 });
    const truth = trainedUser(w, 7);
    const all = scoreItems(w, truth);
    const ratings = Array.from({ length: 12 }, (_, j) => ({ item: j * 4, rating: all[j * 4] }));
    const fitted = scoreItems(w, foldIn(w, ratings, { l2: 0.05 }).theta);
    const avg = scoreItems(w, averageUser(w));
    const err = (s: Float32Array) => Math.sqrt(ratings.reduce((t, r) => t + (s[r.item] - r.rating) ** 2, 0) / ratings.length);
    expect(err(fitted)).toBeLessThan(0.5 * err(avg));
  });

  it('with zero ratings returns the average-taste user and their list', () => {
    const w = syntheticModel({ seed: 4 });
    const vocab = syntheticVocab(w.nUsers, w.nItems);
    const mean = new Float64Array(loose(w).userDim + 1);
    for (let u = 0; u < w.nUsers; u++) trainedUser(w, u).forEach((x, k) => (mean[k] += x / w.nUsers));
    const { theta } = foldIn(w, []);
    theta.forEach((x, k) => expect(x).toBeCloseTo(mean[k], 6));
    const rec = recommend(w, vocab, [], { top: 5 });
    const avg = scoreItems(w, mean);
    const best = Array.from(avg.keys()).sort((a, b) => avg[b] - avg[a]).slice(0, 5);
    expect(rec.recommendations.map((r) => r.index)).toEqual(best);
  });

  it('recommends unrated movies inside y_range, flags low evidence, and explains with positive pushes', () => {
    const w = syntheticModel({ seed: 9 });
    const vocab = syntheticVocab(w.nUsers, w.nItems);
    const ratings = [{ item: 0, rating: 5 }, { item: 1, rating: 1 }, { item: 2, rating: 4 }];
    const rec = recommend(w, vocab, ratings, { top: 8, lowEvidence: 50 });
    expect(rec.recommendations).toHaveLength(8);
    for (const r of rec.recommendations) {
      expect([0, 1, 2]).not.toContain(r.index);
      expect(r.predicted).toBeGreaterThan(0);
      expect(r.predicted).toBeLessThan(5.5);
      expect(r.lowEvidence).toBe(r.nRatings < 50);
      for (const why of r.reasons) expect(why.push).toBeGreaterThan(0);
      expect(r.reasons.map((x) => x.push)).toEqual([...r.reasons.map((x) => x.push)].sort((a, b) => b - a));
    }
    expect(rec.fitted.map((f) => f.index)).toEqual([0, 1, 2]);
    // γ = 0 chooses by predicted rating alone; γ > 0 chooses by r̂ + γ(r̂ − r̂_avg): every chosen movie
    // beats every movie left out on that score. Either way the list is shown by predicted rating.
    const plain = recommend(w, vocab, ratings, { top: 8, personal: 0 }).recommendations.map((r) => r.predicted);
    expect(plain).toEqual([...plain].sort((a, b) => b - a));
    expect(rec.recommendations.map((r) => r.predicted)).toEqual(rec.recommendations.map((r) => r.predicted).sort((a, b) => b - a));
    const avg = averageTasteScores(w);
    const all = recommend(w, vocab, ratings, { top: w.nItems - 3, personal: 0.5 }).recommendations;
    const lift = (r: { index: number; predicted: number }) => r.predicted + 0.5 * (r.predicted - avg[r.index]);
    const chosen = new Set(rec.recommendations.map((r) => r.index));
    const worstChosen = Math.min(...rec.recommendations.map(lift));
    for (const r of all) if (!chosen.has(r.index)) expect(lift(r)).toBeLessThanOrEqual(worstChosen + 1e-6);
  });

  it('never recommends a rated film back under its other id, nor one film twice', () => {
    const w = syntheticModel({ seed: 9 });
    const base = syntheticVocab(w.nUsers, w.nItems);
    // every film twice: ids 2k and 2k+1 share a title
    const vocab = { ...base, titles: base.titles.map((_, i) => `Film ${Math.floor(i / 2)} (1990)`) };
    const rec = recommend(w, vocab, [{ item: 0, rating: 5 }, { item: 3, rating: 1 }], { top: 30 });
    const titles = rec.recommendations.map((r) => r.title);
    expect(titles).toHaveLength(30);
    expect(new Set(titles).size).toBe(30);
    expect(titles).not.toContain('Film 0 (1990)');
    expect(titles).not.toContain('Film 1 (1990)');
  });

  it('refuses ratings outside the model range and duplicate movies', () => {
    const w = syntheticModel();
    expect(() => foldIn(w, [{ item: 0, rating: 6 }])).toThrow(/outside the model's range/);
    expect(() => foldIn(w, [{ item: 0, rating: 3 }, { item: 0, rating: 4 }])).toThrow(/rated twice/);
  });

  it('times a rating session (benchmark helper)', () => {
    const w = syntheticModel();
    const vocab = syntheticVocab(w.nUsers, w.nItems);
    const rep = timeRecommend(w, vocab, [{ item: 0, rating: 5 }, { item: 3, rating: 2 }], 2);
    expect(rep.samples).toBe(4);
    expect(rep.p95Ms).toBeGreaterThanOrEqual(rep.p50Ms);
  });
});
