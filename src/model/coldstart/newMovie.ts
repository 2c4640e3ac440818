/**
 * A movie nobody has rated yet: "whom would you recommend it to?"
 *
 * Its starting parameters φ (factors, and bias where the kind has one) come from a ridge regression of
 * the trained movies' φ on their metadata (genres, year bins; features.ts), fitted once per model on the
 * movies with enough training ratings to have a φ worth learning from, λ chosen by 5-fold
 * cross-validation over those movies on the RMSE of their ratings predicted from the metadata alone.
 * As its first ratings arrive it is folded in the way a new user is (interpret/foldin.ts, on the
 * transposed model): the MAP φ under a Gaussian prior centred on the metadata prediction, with the
 * trained movies' spread around their own predictions as its covariance.
 */
import { ModelError } from '../errors.js';
import { foldIn, gaussianPrior, type FoldInOptions, type FoldInResult, type GaussianPrior } from '../interpret/foldin.js';
import { moviePca, pcaProject, type PcaOptions } from '../interpret/pca.js';
import { topK } from '../interpret/rank.js';
import { similarMovies, type SimilarMovie } from '../interpret/similar.js';
import { scoreItems, scoreUsers, sigmoidRange, trainedItem, trainedUser, transposedWeights, withItems } from '../models/forward.js';
import { kindOf } from '../models/index.js';
import type { ModelWeights, Vocab } from '../types.js';
import { movieFeatures, movieRow, type MovieFeatures, type MovieMeta } from './features.js';
import { groupRows, groupSizes, type Groups, type RatingRows } from './groups.js';
import { chooseLambda, fitRidge, predictRidge, residualCovariance, type LambdaChoice, type RidgeData, type RidgeFit } from './ridge.js';

export interface MetadataModelOptions {
  /** Movies with fewer training ratings have a φ that is mostly its random start: they are left out of the fit. */
  minRatings: number;
  folds: number;
  seed: number;
  /** False: the intercept alone, the mean trained movie — the same fit without metadata (the benchmark's ablation). */
  metadata: boolean;
}

export const METADATA_MODEL_DEFAULTS: MetadataModelOptions = { minRatings: 20, folds: 5, seed: 19, metadata: true };

/**
 * How strongly a new movie's first ratings move it (fold-in's λ), tuned on the new-movie benchmark's
 * validation movies (evaluate/newMovies.ts; RMSE after 1 / 3 / 10 ratings): λ 0.05 0.958 / 0.939 / 0.904,
 * 0.1 0.950 / 0.927 / 0.890, 0.2 0.948 / 0.921 / 0.882, 0.3 0.952 / 0.921 / 0.880, 1 0.971 / 0.939 / 0.892,
 * 3 0.987 / 0.966 / 0.923.
 */
export const NEW_MOVIE_FOLD_IN: Partial<FoldInOptions> = { l2: 0.3 };

export interface MetadataModel {
  features: MovieFeatures;
  fit: RidgeFit;
  lambda: LambdaChoice;
  /** Trained movies it was fitted on. */
  movies: number;
  /** Cross-validated RMSE of those movies' training ratings from metadata alone, at the chosen λ. */
  cvRmse: number;
  /** The trained movies' spread around their metadata prediction: a new movie's prior covariance. */
  covariance: Float64Array;
}

/**
 * The metadata model of a trained model: `train` are its training ratings (whose counts decide which
 * movies are learned from and whose ratings score a λ) — all of its rows, or `rows` of them (a dataset's
 * columns and its split's train rows: nothing copied). Deterministic given options.seed.
 */
export function fitMetadataModel(w: ModelWeights, vocab: Pick<Vocab, 'genres' | 'years'>, train: RatingRows, options: Partial<MetadataModelOptions> & { rows?: Int32Array } = {}): MetadataModel {
  const o = { ...METADATA_MODEL_DEFAULTS, ...options };
  const wT = transposedWeights(w);
  const features: MovieFeatures = o.metadata ? movieFeatures(vocab) : { genres: [], years: [], names: ['(intercept)'] };
  const byItem = groupRows(train.items, w.nItems, options.rows);
  const counts = groupSizes(byItem);
  const movies: number[] = [];
  for (let i = 0; i < w.nItems; i++) if (counts[i] >= o.minRatings) movies.push(i);
  if (movies.length < 2 * o.folds) throw new ModelError(`the metadata model needs at least ${2 * o.folds} movies with ${o.minRatings}+ training ratings; this model has ${movies.length}`);
  const p = features.names.length;
  const D = kindOf(wT).userSize(wT);
  const X = new Float64Array(movies.length * p);
  const Y = new Float64Array(movies.length * D);
  movies.forEach((i, r) => {
    movieRow(features, o.metadata ? { year: vocab.years[i] ?? null, genres: vocab.genres[i] ?? [] } : { year: null, genres: [] }, X.subarray(r * p, (r + 1) * p));
    Y.set(trainedItem(w, i), r * D);
  });
  const data: RidgeData = { n: movies.length, p, D, X, Y };
  const loss = ratingLoss(wT, train, byItem, movies);
  const lambda = chooseLambda(data, movies.map((_, r) => r), loss, { folds: o.folds, seed: o.seed });
  const all = movies.map((_, r) => r);
  const fit = fitRidge(data, lambda.lambda, all);
  const cvMse = lambda.curve.find((c) => c.lambda === lambda.lambda)!.loss;
  return { features, fit, lambda, movies: movies.length, cvRmse: Math.sqrt(cvMse), covariance: residualCovariance(data, fit, all) };
}

/**
 * A λ is scored on at most this many training ratings in all: each movie's every ⌈n / cap⌉-th rating,
 * cap the largest that keeps the sum within it. A movie's error is an average, and a few dozen ratings pin
 * it down. ML-100K's 80 K training ratings are all read; at ML-25M size 2 M of 20 M are (each λ's 5 folds
 * cost a second instead of minutes).
 */
export const LOSS_RATINGS = 2_000_000;

/** The largest per-movie cap c with Σ min(n, c) ≤ budget (at least 1). */
export function perMovieCap(counts: readonly number[], budget: number): number {
  let lo = 1;
  let hi = counts.reduce((m, n) => Math.max(m, n), 1);
  const total = (c: number) => counts.reduce((s, n) => s + Math.min(n, c), 0);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (total(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Squared error of the training ratings of the held-out movies (fit positions → movies) predicted from their predicted φ. */
function ratingLoss(wT: ModelWeights, train: RatingRows, byItem: Groups, movies: readonly number[]) {
  const kind = kindOf(wT);
  // each movie's (sampled) raters and their ratings, gathered once for every λ and fold
  const cap = perMovieCap(movies.map((i) => byItem.start[i + 1] - byItem.start[i]), LOSS_RATINGS);
  const step = (n: number) => Math.max(1, Math.ceil(n / cap));
  const start = new Int32Array(movies.length + 1);
  movies.forEach((i, k) => {
    const n = byItem.start[i + 1] - byItem.start[i];
    start[k + 1] = start[k] + Math.ceil(n / step(n));
  });
  const users = new Int32Array(start[movies.length]);
  const ratings = new Float32Array(users.length);
  movies.forEach((i, k) => {
    const a = byItem.start[i];
    const every = step(byItem.start[i + 1] - a);
    for (let j = 0, at = start[k]; at < start[k + 1]; j += every, at++) {
      const row = byItem.rows[a + j];
      users[at] = train.users[row];
      ratings[at] = train.ratings[row];
    }
  });
  const z = new Float64Array(Math.min(cap, users.length));
  return (rows: readonly number[], predicted: Float64Array) => {
    const D = kind.userSize(wT);
    let sum = 0;
    let count = 0;
    rows.forEach((r, k) => {
      const a = start[r];
      const n = start[r + 1] - a;
      kind.logits(wT, predicted.subarray(k * D, (k + 1) * D), users.subarray(a, a + n), z.subarray(0, n));
      for (let j = 0; j < n; j++) {
        const e = sigmoidRange(z[j], wT.yRange) - ratings[a + j];
        sum += e * e;
      }
      count += n;
    });
    return { sum, count };
  };
}

/** A new movie's starting φ: what its metadata predicts. */
export function metadataPhi(m: MetadataModel, meta: Pick<MovieMeta, 'year' | 'genres'>): Float64Array {
  return predictRidge(m.fit, movieRow(m.features, meta));
}

/** The prior a new movie's fold-in starts from: its metadata prediction, spread like the trained movies around theirs. */
export function metadataPrior(m: MetadataModel, meta: Pick<MovieMeta, 'year' | 'genres'>): GaussianPrior {
  return gaussianPrior(metadataPhi(m, meta), m.covariance);
}

/** One rating of the new movie, by a trained user (dense index). */
export interface MovieRating {
  user: number;
  rating: number;
}

/** The new movie's φ from its metadata and its first ratings (none: the metadata prediction itself). */
export function foldInMovie(w: ModelWeights, m: MetadataModel, meta: Pick<MovieMeta, 'year' | 'genres'>, ratings: readonly MovieRating[], options: Partial<FoldInOptions> = {}): FoldInResult {
  const prior = metadataPrior(m, meta);
  return foldIn(transposedWeights(w), ratings.map((r) => ({ item: r.user, rating: r.rating })), { ...NEW_MOVIE_FOLD_IN, ...options, prior });
}

/** A user the new movie would suit: their predicted rating, where it would land in their list, and films they loved. */
export interface Audience {
  user: number;
  userId: string;
  predicted: number;
  /** Its place among the movies they have not rated, by predicted stars (1 = it would top their list). */
  rank: number;
  favourites: { title: string; rating: number }[];
}

/**
 * The users with the highest predicted rating of a movie with parameters φ (users who already rated it
 * left out). `train` holds the training ratings — all of its rows, or `rows` of them (a dataset's columns
 * and its split's train rows: nothing copied).
 */
export function whomToRecommend(
  w: ModelWeights,
  vocab: Pick<Vocab, 'userIds' | 'titles' | 'itemCount'>,
  phi: ArrayLike<number>,
  train: RatingRows,
  options: { top?: number; skip?: ReadonlySet<number>; favourites?: number; rows?: Int32Array } = {},
): Audience[] {
  const top = options.top ?? 10;
  const predicted = scoreUsers(w, phi);
  const users = topK(predicted, top, (u) => options.skip?.has(u) ?? false);
  // the chosen users' rows, in one pass (not an index of every user's)
  const slot = new Map(users.map((u, k) => [u, k]));
  const theirs: number[][] = users.map(() => []);
  const n = options.rows ? options.rows.length : train.users.length;
  for (let k = 0; k < n; k++) {
    const r = options.rows ? options.rows[k] : k;
    const at = slot.get(train.users[r]);
    if (at !== undefined) theirs[at].push(r);
  }
  const scores = new Float32Array(w.nItems);
  return users.map((u, k) => {
    const rows = theirs[k];
    scoreItems(w, trainedUser(w, u), scores);
    const rated = new Set(rows.map((r) => train.items[r]));
    let rank = 1;
    for (let i = 0; i < w.nItems; i++) if (!rated.has(i) && scores[i] > predicted[u]) rank++;
    const favourites = rows
      .sort((a, b) => train.ratings[b] - train.ratings[a] || (vocab.itemCount[train.items[b]] ?? 0) - (vocab.itemCount[train.items[a]] ?? 0) || a - b)
      .slice(0, options.favourites ?? 3)
      .map((r) => ({ title: vocab.titles[train.items[r]] ?? '', rating: train.ratings[r] }));
    return { user: u, userId: vocab.userIds[u] ?? String(u), predicted: predicted[u], rank, favourites };
  });
}

/** The mean predicted rating of a movie with parameters φ over every trained user. */
export function meanPredicted(w: ModelWeights, phi: ArrayLike<number>): number {
  const s = scoreUsers(w, phi);
  let sum = 0;
  for (let u = 0; u < s.length; u++) sum += s[u];
  return s.length ? sum / s.length : NaN;
}

/** φ read back as factors and bias (null when the kind has none). */
export function movieParts(w: ModelWeights, phi: ArrayLike<number>): { factors: number[]; bias: number | null } {
  const wT = transposedWeights(w);
  return kindOf(wT).userParts(wT, phi);
}

/** Where φ lands on the PCA map of the movie factors (the same projection `pca` and the PCA pane draw). */
export function mapCoordinates(w: ModelWeights, vocab: Vocab, phi: ArrayLike<number>, options: Partial<PcaOptions> = {}): number[] {
  return pcaProject(moviePca(w, vocab, options), movieParts(w, phi).factors);
}

/** The trained movies nearest to φ by cosine of their factors. */
export function nearestMovies(w: ModelWeights, vocab: Vocab, phi: ArrayLike<number>, title: string, top = 5): SimilarMovie[] {
  const extended = withItems(w, [phi]);
  const v: Vocab = { ...vocab, titles: [...vocab.titles, title], itemCount: [...vocab.itemCount, 0] };
  return similarMovies(extended, v, w.nItems, { top });
}

/** Predicted ratings of (user, movie φ) pairs: the benchmark's and the app's "what would they give it". */
export function predictForUsers(w: ModelWeights, phi: ArrayLike<number>, users: ArrayLike<number>): Float64Array {
  const wT = transposedWeights(w);
  const z = new Float64Array(users.length);
  kindOf(wT).logits(wT, phi, users, z);
  return z.map((x) => sigmoidRange(x, w.yRange));
}

/** After each arriving rating: what the model now thinks of the new movie. */
export interface NewMovieStep {
  /** Ratings folded in so far. */
  ratings: number;
  bias: number | null;
  /** Its predicted rating, averaged over every trained user. */
  meanPredicted: number;
  /** The rating that just arrived, and what the model predicted for that user before it did. */
  arrived: { user: number; userId: string; rating: number; predictedBefore: number } | null;
}

export interface NewMovieReport {
  movie: MovieMeta;
  /** The metadata features the movie has ("Horror", "1998", …). */
  features: string[];
  metadataModel: { movies: number; lambda: number; cvRmse: number };
  /** 0, 1, … n ratings folded in. */
  steps: NewMovieStep[];
  /** Whom to recommend it to, after every rating so far (its raters left out). */
  whom: Audience[];
  /** Where it lands on the PCA map of the movie factors (null for a kind without factors). */
  map: { coords: number[]; explained: number[] } | null;
  nearest: SimilarMovie[];
}

/** Everything `add-movie` and the app's add-movie view show, from the metadata model and the ratings so far. */
export function newMovieReport(
  w: ModelWeights,
  vocab: Vocab,
  train: RatingRows,
  m: MetadataModel,
  meta: MovieMeta,
  ratings: readonly MovieRating[],
  options: { top?: number; pca?: Partial<PcaOptions>; rows?: Int32Array } = {},
): NewMovieReport {
  const row = movieRow(m.features, meta);
  const steps: NewMovieStep[] = [];
  let phi = foldInMovie(w, m, meta, []).theta;
  const stepOf = (k: number, arrived: NewMovieStep['arrived']): NewMovieStep => ({ ratings: k, bias: movieParts(w, phi).bias, meanPredicted: meanPredicted(w, phi), arrived });
  steps.push(stepOf(0, null));
  for (let k = 1; k <= ratings.length; k++) {
    const r = ratings[k - 1];
    const before = predictForUsers(w, phi, [r.user])[0];
    phi = foldInMovie(w, m, meta, ratings.slice(0, k)).theta;
    steps.push(stepOf(k, { user: r.user, userId: vocab.userIds[r.user] ?? String(r.user), rating: r.rating, predictedBefore: before }));
  }
  let map: NewMovieReport['map'] = null;
  if (kindOf(w).shows.factors) {
    const pca = moviePca(w, vocab, options.pca);
    map = { coords: pcaProject(pca, movieParts(w, phi).factors), explained: pca.explainedVariance };
  }
  return {
    movie: meta,
    features: m.features.names.filter((_, k) => k > 0 && row[k] !== 0),
    metadataModel: { movies: m.movies, lambda: m.fit.lambda, cvRmse: m.cvRmse },
    steps,
    whom: whomToRecommend(w, vocab, phi, train, { top: options.top ?? 10, skip: new Set(ratings.map((r) => r.user)), rows: options.rows }),
    map,
    nearest: kindOf(w).shows.factors ? nearestMovies(w, vocab, phi, meta.title) : [],
  };
}
