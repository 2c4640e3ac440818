/**
 * Cold start both ways on planted data: the transposed model (a movie's φ is a user θ of it), ridge with
 * λ chosen by cross-validation, the metadata model recovering planted movie factors and the new movie's
 * fold-in converging on its ratings, the questionnaire's answers and the taste model's direction.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/data/index.js';
import { answersByName, answersFromRatings, answerRow, movieFeatures, movieRow, questionsFor, yearBins, type Question } from '../../src/model/coldstart/features.js';
import { fitMetadataModel, foldInMovie, metadataPhi, perMovieCap, predictForUsers } from '../../src/model/coldstart/newMovie.js';
import { answerPopularity, fitTasteModel, fitTasteModelOnRows, tasteTheta } from '../../src/model/coldstart/questionnaire.js';
import { chooseLambda, fitRidge, predictRidge, type RidgeData } from '../../src/model/coldstart/ridge.js';
import { foldIn, gaussianPrior } from '../../src/model/interpret/foldin.js';
import { scoreItems, scoreUsers, sigmoidRange, trainedItem, trainedUser, withItems } from '../../src/model/models/forward.js';
import type { DotBiasWeights, ModelWeights, Vocab } from '../../src/model/types.js';
import { normals, syntheticModel } from './interpretSynthetic.js';

describe('the transposed model', () => {
  it.each(['dot', 'dotbias', 'nn'] as const)('%s: a movie φ scored over users is that movie\'s column; an appended φ predicts like the movie it copies', (kind) => {
    const w = syntheticModel({ kind, nUsers: 30, nItems: 25, seed: 3 });
    const byUser = Array.from({ length: w.nUsers }, (_, u) => scoreItems(w, trainedUser(w, u)));
    for (const i of [0, 7, 24]) {
      const col = scoreUsers(w, trainedItem(w, i));
      for (let u = 0; u < w.nUsers; u++) expect(col[u]).toBeCloseTo(byUser[u][i], 5);
    }
    const extended = withItems(w, [trainedItem(w, 7)]);
    expect(extended.nItems).toBe(26);
    for (const u of [0, 13, 29]) {
      const s = scoreItems(extended, trainedUser(extended, u));
      expect(s[25]).toBeCloseTo(byUser[u][7], 5);
      expect(s[3]).toBeCloseTo(byUser[u][3], 6);
    }
  });
});

describe('a prior of one\'s own', () => {
  it('no ratings: the prior mean; ratings pull away from it, less so with a tighter prior', () => {
    const w = syntheticModel({ kind: 'dotbias', nUsers: 50, nItems: 40, seed: 5 }) as DotBiasWeights;
    const D = w.userDim + 1;
    const mean = Float64Array.from({ length: D }, (_, k) => (k === D - 1 ? 1 : 0.3));
    const eye = (s: number) => Float64Array.from({ length: D * D }, (_, k) => (k % (D + 1) === 0 ? s : 0));
    expect(Array.from(foldIn(w, [], { prior: gaussianPrior(mean, eye(0.1)) }).theta)).toEqual(Array.from(mean));
    const ratings = [{ item: 0, rating: 1 }, { item: 1, rating: 1 }, { item: 2, rating: 1 }];
    const loose = foldIn(w, ratings, { prior: gaussianPrior(mean, eye(1)) }).theta;
    const tight = foldIn(w, ratings, { prior: gaussianPrior(mean, eye(0.001)) }).theta;
    const dist = (t: Float64Array) => Math.hypot(...Array.from(t, (x, k) => x - mean[k]));
    expect(dist(loose)).toBeGreaterThan(dist(tight) * 3);
    expect(() => foldIn(w, [], { prior: gaussianPrior([0, 0], eye(1).subarray(0, 4)) })).toThrow(/has 2 parameters/);
  });
});

describe('ridge regression', () => {
  function planted(n: number, noise: number, seed: number): RidgeData {
    const rnd = normals(seed);
    const p = 6;
    const D = 2;
    const beta = [0.5, 1, -1, 0.5, 0, 2, -0.5, 1, 0, 0, 1, -1];
    const X = new Float64Array(n * p);
    const Y = new Float64Array(n * D);
    for (let r = 0; r < n; r++) {
      X[r * p] = 1;
      for (let a = 1; a < p; a++) X[r * p + a] = rnd();
      for (let j = 0; j < D; j++) {
        let y = noise * rnd();
        for (let a = 0; a < p; a++) y += X[r * p + a] * beta[a * D + j];
        Y[r * D + j] = y;
      }
    }
    return { n, p, D, X, Y };
  }
  const sqLoss = (d: RidgeData) => (rows: readonly number[], pred: Float64Array) => {
    let sum = 0;
    rows.forEach((r, k) => {
      for (let j = 0; j < d.D; j++) sum += (pred[k * d.D + j] - d.Y[r * d.D + j]) ** 2;
    });
    return { sum, count: rows.length * d.D };
  };

  it('recovers planted coefficients; the intercept is not shrunk', () => {
    const d = planted(400, 0.01, 1);
    const fit = fitRidge(d, 0.01);
    expect(fit.coef[0]).toBeCloseTo(0.5, 2);
    expect(fit.coef[5 * 2 + 1]).toBeCloseTo(-1, 2);
    // a huge λ shrinks every slope to ~0 but leaves the intercept at the mean of y
    const flat = fitRidge(d, 1e9);
    expect(Math.abs(flat.coef[2])).toBeLessThan(1e-3);
    const meanY = Array.from({ length: d.n }, (_, r) => d.Y[r * 2]).reduce((a, b) => a + b, 0) / d.n;
    expect(flat.coef[0]).toBeCloseTo(meanY, 3);
    expect(Array.from(predictRidge(fit, [1, 0, 0, 0, 0, 0]))).toEqual([fit.coef[0], fit.coef[1]]);
  });

  it('cross-validation picks a small λ for clean data and a larger one for few noisy rows', () => {
    const clean = planted(300, 0.05, 2);
    const noisy = planted(12, 4, 3);
    const rows = (d: RidgeData) => Array.from({ length: d.n }, (_, r) => r);
    const a = chooseLambda(clean, rows(clean), sqLoss(clean));
    const b = chooseLambda(noisy, rows(noisy), sqLoss(noisy), { folds: 4 });
    expect(a.lambda).toBeLessThanOrEqual(0.3);
    expect(b.lambda).toBeGreaterThan(a.lambda * 10);
    expect(a.curve.length).toBeGreaterThan(5);
  });
});

/** A dotbias model whose movies' factors and biases are a planted linear function of their genres and era, and ratings drawn from it. */
function plantedCatalogue(seed = 7) {
  const rnd = normals(seed);
  const rand = mulberry32(seed);
  const nUsers = 300;
  const nItems = 240;
  const d = 3;
  const genreNames = ['Action', 'Drama', 'Horror'];
  const genres: string[][] = [];
  const years: (number | null)[] = [];
  for (let i = 0; i < nItems; i++) {
    const g = genreNames.filter(() => rand() < 0.4);
    genres.push(g.length ? g : [genreNames[i % 3]]);
    years.push(1950 + Math.floor(rand() * 49));
  }
  // φ = B·[genre one-hots, old?] + small noise; bias the last column
  const B = [
    [0.8, 0, 0, 0.3],
    [0, 0.8, 0, -0.2],
    [0, 0, 0.9, -0.4],
  ];
  const old = (i: number) => ((years[i] ?? 2000) < 1980 ? 1 : 0);
  const itemFactors = new Float32Array(nItems * d);
  const itemBias = new Float32Array(nItems);
  for (let i = 0; i < nItems; i++) {
    const x: number[] = genreNames.map((g) => (genres[i].includes(g) ? 1 : 0));
    for (let k = 0; k < d; k++) itemFactors[i * d + k] = x.reduce((s, v, a) => s + v * B[a][k], 0) + 0.3 * old(i) * (k === 0 ? 1 : 0) + 0.05 * rnd();
    itemBias[i] = 0.2 + x.reduce((s, v, a) => s + v * B[a][3], 0) + 0.05 * rnd();
  }
  const w: DotBiasWeights = {
    kind: 'dotbias',
    nUsers,
    nItems,
    userDim: d,
    itemDim: d,
    yRange: [0, 5.5],
    userFactors: Float32Array.from({ length: nUsers * d }, () => 0.7 * rnd()),
    itemFactors,
    userBias: Float32Array.from({ length: nUsers }, () => 0.2 * rnd()),
    itemBias,
  };
  const vocab: Vocab = {
    userIds: Array.from({ length: nUsers }, (_, u) => String(u + 1)),
    itemIds: Array.from({ length: nItems }, (_, i) => String(i + 1)),
    titles: Array.from({ length: nItems }, (_, i) => `Movie ${i}`),
    years,
    genres,
    itemCount: [],
    itemMean: [],
    userCount: [],
    userMean: [],
  };
  // each user rates ~60 movies, favouring those they would like (people pick what they like)
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const s = scoreItems(w, trainedUser(w, u));
    for (let i = 0; i < nItems; i++) {
      if (rand() < 0.1 + 0.3 * Math.max(0, (s[i] - 2.5) / 3)) {
        users.push(u);
        items.push(i);
        ratings.push(Math.min(5, Math.max(1, s[i] + 0.3 * rnd())));
      }
    }
  }
  vocab.itemCount = Array.from({ length: nItems }, (_, i) => items.filter((x) => x === i).length);
  return { w: w as ModelWeights, vocab, train: { users: Int32Array.from(users), items: Int32Array.from(items), ratings: Float32Array.from(ratings) } };
}

describe('the metadata model', () => {
  const { w, vocab, train } = plantedCatalogue();
  const m = fitMetadataModel(w, vocab, train, { minRatings: 5 });

  it('recovers what a genre and an era mean: a new horror movie starts near the planted horror factors', () => {
    const phi = metadataPhi(m, { year: 1990, genres: ['Horror'] });
    // planted: factors [0, 0, 0.9], bias 0.2 − 0.4
    expect(phi[2]).toBeCloseTo(0.9, 1);
    expect(Math.abs(phi[0])).toBeLessThan(0.1);
    expect(phi[3]).toBeCloseTo(-0.2, 1);
    const oldAction = metadataPhi(m, { year: 1960, genres: ['Action'] });
    expect(oldAction[0]).toBeCloseTo(1.1, 1);
    expect(m.cvRmse).toBeLessThan(0.6);
    expect(m.lambda.curve.some((c) => c.loss > m.lambda.curve.find((x) => x.lambda === m.lambda.lambda)!.loss)).toBe(true);
  });

  it('without metadata it is the mean trained movie, and predicts worse', () => {
    const none = fitMetadataModel(w, vocab, train, { minRatings: 5, metadata: false });
    expect(none.features.names).toEqual(['(intercept)']);
    expect(none.cvRmse).toBeGreaterThan(m.cvRmse + 0.1);
  });

  it('fold-in: no ratings is the metadata prediction; many ratings move it to the movie they came from', () => {
    const meta = { year: 1990, genres: ['Horror'] };
    expect(Array.from(foldInMovie(w, m, meta, []).theta)).toEqual(Array.from(metadataPhi(m, meta)));
    // a horror movie that is secretly a drama: its ratings come from the drama factors
    const truth = Float64Array.from([0, 0.8, 0, 0.4]);
    const raters = Array.from({ length: 120 }, (_, k) => k * 2);
    const truthRatings = predictForUsers(w, truth, raters);
    const ratings = raters.map((user, k) => ({ user, rating: truthRatings[k] }));
    const after = foldInMovie(w, m, meta, ratings).theta;
    const others = Array.from({ length: 100 }, (_, k) => k * 2 + 1);
    const err = (phi: ArrayLike<number>) => {
      const p = predictForUsers(w, phi, others);
      const t = predictForUsers(w, truth, others);
      return Math.sqrt(p.reduce((s, x, k) => s + (x - t[k]) ** 2, 0) / p.length);
    };
    // the prior is sure of itself here (planted movies sit 0.05 from their genres' factors): each rating moves it some
    const few = foldInMovie(w, m, meta, ratings.slice(0, 10)).theta;
    expect(err(metadataPhi(m, meta))).toBeGreaterThan(0.3);
    expect(err(few)).toBeLessThan(err(metadataPhi(m, meta)));
    expect(err(after)).toBeLessThan(err(few));
    // with a weak prior the ratings decide
    expect(err(foldInMovie(w, m, meta, ratings, { l2: 1e-4 }).theta)).toBeLessThan(0.05);
  });

  it('refuses a genre the model never saw', () => {
    expect(() => metadataPhi(m, { year: 1990, genres: ['Western'] })).toThrow(/unknown genre "Western"/);
  });
});

describe('the metadata model\'s λ loss on large data', () => {
  it('reads each movie\'s ratings up to the largest cap that keeps the total within the budget (all of them when they fit)', () => {
    expect(perMovieCap([5, 100, 1000], 300)).toBe(195); // 5 + 100 + 195
    expect(perMovieCap([5, 100, 1000], 1105)).toBe(1000);
    expect(perMovieCap([5, 100, 1000], 2)).toBe(1);
  });
});

describe('movie features', () => {
  it('year bins: old decades pooled, the last five years one each, open at both ends', () => {
    // 92 movies: 2 % is 1.84, so the single 1930s movie pools with the single 1940s one
    const years = [1931, 1945, ...Array.from({ length: 30 }, (_, k) => 1950 + (k % 10)), ...Array.from({ length: 60 }, (_, k) => 1985 + (k % 14))];
    const bins = yearBins(years);
    expect(bins.map((b) => b.label)).toEqual(['1940s and before', '1950s', '1980s', '1990s', '1994', '1995', '1996', '1997', '1998']);
    expect(bins[3]).toEqual({ label: '1990s', from: 1990, to: 1993 });
    expect(bins[0].from).toBeNull();
    expect(bins.at(-1)!.to).toBeNull();
    const f = movieFeatures({ genres: [['Drama'], ['unknown']], years: [1994, 1998] });
    expect(f.genres).toEqual(['Drama']);
    const row = movieRow(f, { year: 2005, genres: ['Drama', 'unknown'] });
    // intercept, Drama, then a bin per year 1994..1998; 2005 counts as the newest
    expect(f.names).toEqual(['(intercept)', 'Drama', '1994', '1995', '1996', '1997', '1998']);
    expect(Array.from(row)).toEqual([1, 1, 0, 0, 0, 0, 1]);
  });
});

describe('the questionnaire', () => {
  const questions: Question[] = [
    { name: 'Horror', kind: 'genre' },
    { name: 'Drama', kind: 'genre' },
    { name: 'before 1960', kind: 'era', from: null, to: 1959 },
  ];
  const vocab = { genres: [['Horror'], ['Horror'], ['Horror'], ['Drama'], ['Drama'], ['Drama'], ['Drama'], ['Comedy']], years: [1990, 1990, 1990, 1950, 1950, 1990, 1990, 1990] };

  it('reads answers the way it says: watched more than most and not rated low → like; rated low → dislike; avoided → dislike', () => {
    const base = [0.1, 0.5, 0.25];
    // horror: 3 of 4 ratings (share 0.75 vs 0.1), all 5★ → like; drama: 1 of 4, 2★ vs a 4.25 mean → (too few) neutral
    const fan = [{ item: 0, rating: 5 }, { item: 1, rating: 5 }, { item: 2, rating: 5 }, { item: 3, rating: 2 }];
    expect(answersFromRatings(questions, vocab, fan, base)).toEqual(['like', 'neutral', 'neutral']);
    // drama 4 times at 2★ against a mean pulled up by comedy at 5★ → dislike
    const critic = [{ item: 3, rating: 2 }, { item: 4, rating: 2 }, { item: 5, rating: 2 }, { item: 6, rating: 2 }, ...Array.from({ length: 8 }, () => ({ item: 7, rating: 5 }))];
    expect(answersFromRatings(questions, vocab, critic, base)[1]).toBe('dislike');
    // 20+ ratings, none of them horror (share 0 ≤ 0.34 × 0.1) → dislike
    const avoider = Array.from({ length: 24 }, (_, k) => ({ item: 3 + (k % 5), rating: 4 }));
    expect(answersFromRatings(questions, vocab, avoider, base)[0]).toBe('dislike');
    expect(Array.from(answerRow(['like', 'neutral', 'dislike']))).toEqual([1, 1, 0, 0, 0, 0, 1]);
  });

  it('answers by name are matched loosely and refused when unknown or contradictory', () => {
    expect(answersByName(questions, ['horror'], ['BEFORE 1960'])).toEqual(['like', 'neutral', 'dislike']);
    expect(() => answersByName(questions, ['Westerns'], [])).toThrow(/no question about "Westerns"/);
    expect(() => answersByName(questions, ['Horror'], ['horror'])).toThrow(/both liked and disliked/);
  });

  it('the taste model points a horror fan at horror and a drama fan at drama, in stars and in what they pick', () => {
    const { w, vocab: v, train } = plantedCatalogue(11);
    const tm = fitTasteModel(w, v, train, { minRatings: 10 });
    expect(tm.questions.map((q) => q.name)).toEqual(expect.arrayContaining(['Action', 'Drama', 'Horror']));
    const likes = (g: string) => answersByName(tm.questions, [g], []);
    const mean = (s: ArrayLike<number>, g: string) => {
      const idx = v.genres.flatMap((gs, i) => (gs.length === 1 && gs[0] === g ? [i] : []));
      return idx.reduce((a, i) => a + s[i], 0) / idx.length;
    };
    const horrorFan = scoreItems(w, tasteTheta(tm, likes('Horror')));
    const dramaFan = scoreItems(w, tasteTheta(tm, likes('Drama')));
    expect(mean(horrorFan, 'Horror') - mean(horrorFan, 'Drama')).toBeGreaterThan(mean(dramaFan, 'Horror') - mean(dramaFan, 'Drama') + 0.3);
    const pop = answerPopularity(tm, likes('Horror'));
    expect(mean(pop, 'Horror') / mean(tm.popularity, 'Horror')).toBeGreaterThan(mean(pop, 'Drama') / mean(tm.popularity, 'Drama'));
    expect(tm.cvRmse).toBeLessThan(tm.lambda.curve.at(-1)!.loss ** 0.5);
  });

  it('fits a seeded sample of the users when there are more than maxUsers, and still points the horror fan at horror', () => {
    const { w, vocab: v, train } = plantedCatalogue(11);
    const all = fitTasteModel(w, v, train, { minRatings: 10 });
    const some = fitTasteModel(w, v, train, { minRatings: 10, maxUsers: Math.floor(all.users / 2) });
    expect(some.users).toBe(Math.floor(all.users / 2));
    // the same sample each time
    expect(fitTasteModel(w, v, train, { minRatings: 10, maxUsers: Math.floor(all.users / 2) }).fit.coef).toEqual(some.fit.coef);
    const likes = (g: string) => answersByName(some.questions, [g], []);
    const idx = (g: string) => v.genres.flatMap((gs, i) => (gs.length === 1 && gs[0] === g ? [i] : []));
    const mean = (s: ArrayLike<number>, g: string) => idx(g).reduce((a, i) => a + s[i], 0) / idx(g).length;
    const horrorFan = scoreItems(w, tasteTheta(some, likes('Horror')));
    expect(mean(horrorFan, 'Horror')).toBeGreaterThan(mean(horrorFan, 'Drama'));
  });

  it('the fit from a dataset\'s train rows (only the fitted users\' rows copied) is the fit from the copied train columns', () => {
    const { w, vocab: v, train } = plantedCatalogue(11);
    // the columns with rows of another split between the train rows, and every other user's rows among them
    const n = train.users.length;
    const cols = { users: new Int32Array(2 * n), items: new Int32Array(2 * n), ratings: new Float32Array(2 * n) };
    const rows = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      cols.users[2 * k] = train.users[k];
      cols.items[2 * k] = train.items[k];
      cols.ratings[2 * k] = train.ratings[k];
      cols.users[2 * k + 1] = (train.users[k] + 1) % w.nUsers;
      cols.items[2 * k + 1] = (train.items[k] * 7) % w.nItems;
      cols.ratings[2 * k + 1] = 1;
      rows[k] = 2 * k;
    }
    for (const o of [{ minRatings: 10 }, { minRatings: 10, maxUsers: 40 }]) {
      const copied = fitTasteModel(w, v, train, o);
      const onRows = fitTasteModelOnRows(w, v, cols, rows, o);
      expect(onRows.users).toBe(copied.users);
      expect(Array.from(onRows.base)).toEqual(Array.from(copied.base));
      expect(Array.from(onRows.fit.coef)).toEqual(Array.from(copied.fit.coef));
      expect(Array.from(onRows.popularity)).toEqual(Array.from(copied.popularity));
      expect(onRows.cvRmse).toBe(copied.cvRmse);
    }
  });

  it('questions are the catalogue\'s genres and eras with enough movies', () => {
    const q = questionsFor({ genres: Array.from({ length: 30 }, (_, i) => (i < 12 ? ['Horror'] : ['Drama'])), years: Array.from({ length: 30 }, (_, i) => (i < 5 ? 1950 : 1995)) });
    expect(q.map((x) => x.name)).toEqual(['Horror', 'Drama', '1990s']);
  });
});

describe('sigmoid_range stays the rating scale', () => {
  it('predictForUsers gives ratings inside y_range', () => {
    const w = syntheticModel({ kind: 'dotbias', nUsers: 10, nItems: 5, seed: 9 }) as DotBiasWeights;
    const p = predictForUsers(w, [0.5, 0.5, 0.5, 0.5, 1], [0, 1, 2]);
    expect(Math.max(...p)).toBeLessThan(5.5);
    expect(Math.min(...p)).toBeGreaterThan(0);
    expect(p[1]).toBeCloseTo(sigmoidRange(1 + w.userBias[1] + 0.5 * Array.from(w.userFactors.subarray(4, 8)).reduce((a, b) => a + b, 0), w.yRange), 5);
  });
});
