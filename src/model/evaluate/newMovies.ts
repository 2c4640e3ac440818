/**
 * The new-movie benchmark: movies the model never saw a rating of, predicted from their metadata, then
 * from their first ratings as they arrive.
 *
 * - Eligible movies have ≥ 50 ratings; they are shuffled with a seed and cut into groups. The first
 *   groups are VALIDATION movies (for tuning the fold-in strength), the next REPORT movies (what is
 *   reported). Each group gets its own model, trained on every rating except the group's movies' — so
 *   their factors are never learned — and its own metadata model, fitted on that model's trained movies
 *   (the group's have no training ratings, so they are not among them).
 * - Each held-out movie's ratings in time order: the first `reveal` are folded in (0: metadata alone);
 *   the scored rows are the same for every reveal count — every rating after the largest reveal.
 * - Methods on the same rows: the training ratings' global mean; the movie's own mean rating over all its
 *   ratings (an ORACLE: it reads the very ratings it is scored on, a floor no cold start can reach); the
 *   mean of its revealed ratings; the model folded in from the average trained movie (the same ridge with
 *   its intercept alone: what the model does without metadata); and folded in from the metadata
 *   prediction (what add-movie does).
 * - RMSE with a 95 % interval from resampling the held-out movies (the unit here is the movie).
 */
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../../data/index.js';
import type { Dataset, Split } from '../../data/types.js';
import { fitMetadataModel, foldInMovie, NEW_MOVIE_FOLD_IN, predictForUsers, type MetadataModel } from '../coldstart/newMovie.js';
import { ModelError } from '../errors.js';
import { trainModel } from '../train/train.js';
import type { ModelWeights, TrainOptions } from '../types.js';
import { ratioOfSumsInterval, type Interval } from './bootstrap.js';
import { selectRows } from './metrics.js';

export interface NewMovieOptions {
  seed: number;
  minRatings: number;
  groupSize: number;
  validationGroups: number;
  reportGroups: number;
  role: 'validation' | 'report';
  reveal: number[];
  /** Fold-in strength λ for the new movie (NEW_MOVIE_FOLD_IN's by default). */
  l2: number;
}

export const NEW_MOVIE_DEFAULTS: NewMovieOptions = {
  seed: 19,
  minRatings: 50,
  groupSize: 60,
  validationGroups: 1,
  reportGroups: 2,
  role: 'report',
  reveal: [0, 1, 3, 10],
  l2: NEW_MOVIE_FOLD_IN.l2 ?? 1,
};

export type NewMovieMethod = 'global mean' | 'item mean (oracle)' | 'mean of revealed' | 'average movie' | 'metadata';
export const NEW_MOVIE_METHODS: NewMovieMethod[] = ['global mean', 'item mean (oracle)', 'mean of revealed', 'average movie', 'metadata'];

export interface NewMovieScore {
  method: NewMovieMethod;
  rmse: Interval;
  rows: number;
}

export interface NewMovieCell {
  reveal: number;
  rows: NewMovieScore[];
}

export interface NewMovieBenchReport {
  options: NewMovieOptions;
  model: TrainOptions['model'];
  movies: number;
  /** Rows scored (the same for every reveal count). */
  scoredRows: number;
  /** The metadata models' own numbers, one per group. */
  metadataModels: { movies: number; lambda: number; cvRmse: number }[];
  cells: NewMovieCell[];
  seconds: number;
}

interface HeldOutMovie {
  item: number;
  year: number | null;
  genres: string[];
  /** Its ratings by time (ties: file order): trained users' dense indices in the group's dataset. */
  rows: { user: number; rating: number }[];
}

interface Group {
  weights: ModelWeights;
  meta: MetadataModel;
  /** The same fit with the intercept alone: the mean trained movie and the spread around it. */
  noMeta: MetadataModel;
  movies: HeldOutMovie[];
  globalMean: number;
}

function eligibleGroups(ds: Dataset, o: NewMovieOptions): number[][] {
  const eligible: number[] = [];
  for (let i = 0; i < ds.nItems; i++) if (ds.itemCount[i] >= o.minRatings) eligible.push(i);
  const rand = mulberry32(o.seed);
  for (let k = eligible.length - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    [eligible[k], eligible[j]] = [eligible[j], eligible[k]];
  }
  const n = o.validationGroups + o.reportGroups;
  if (eligible.length < n * o.groupSize) throw new ModelError(`the new-movie benchmark needs ${n * o.groupSize} movies with ≥ ${o.minRatings} ratings; this dataset has ${eligible.length}`);
  const all = Array.from({ length: n }, (_, g) => eligible.slice(g * o.groupSize, (g + 1) * o.groupSize));
  return o.role === 'validation' ? all.slice(0, o.validationGroups) : all.slice(o.validationGroups);
}

/** Every rating except those of `movies`; a 5 % sample of them stands in as validation (the trainer reports it only). */
function withoutMoviesSplit(ds: Dataset, movies: ReadonlySet<number>, seed: number): Split {
  const rand = mulberry32(seed);
  const train: number[] = [];
  const valid: number[] = [];
  for (let r = 0; r < ds.nRatings; r++) {
    if (movies.has(ds.items[r])) continue;
    train.push(r);
    if (rand() < 0.05) valid.push(r);
  }
  return { name: 'random', train: Int32Array.from(train), valid: Int32Array.from(valid), coldUserRows: 0, coldItemRows: 0, description: `every rating except those of ${movies.size} held-out movies` };
}

export async function newMovieBenchmark(ds: Dataset, train: Partial<TrainOptions>, partial: Partial<NewMovieOptions> = {}, onProgress?: (what: string) => void): Promise<NewMovieBenchReport> {
  const o: NewMovieOptions = { ...NEW_MOVIE_DEFAULTS, ...partial };
  if (o.reveal.some((k) => !Number.isInteger(k) || k < 0)) throw new ModelError(`reveal counts must be whole numbers of 0 or more, got ${o.reveal.join(', ')}`);
  const t0 = performance.now();
  const groups: Group[] = [];
  let model: TrainOptions['model'] = 'dotbias';
  for (const [g, movies] of eligibleGroups(ds, o).entries()) {
    onProgress?.(`group ${g + 1}: training without the ratings of its ${movies.length} movies`);
    const held = new Set(movies);
    const split = withoutMoviesSplit(ds, held, o.seed + g);
    const r = await trainModel(ds, split, train);
    if (r.reason !== 'completed') throw new ModelError(`training for the new-movie benchmark stopped: ${r.message}`);
    model = r.options.model;
    const rows = selectRows(ds, split.train);
    onProgress?.(`group ${g + 1}: fitting the metadata model on its trained movies`);
    const meta = fitMetadataModel(r.weights, ds, rows, { seed: o.seed });
    const noMeta = fitMetadataModel(r.weights, ds, rows, { seed: o.seed, metadata: false });
    let sum = 0;
    for (let k = 0; k < rows.ratings.length; k++) sum += rows.ratings[k];
    groups.push({ weights: r.weights, meta, noMeta, movies: heldOutMovies(ds, movies), globalMean: sum / rows.ratings.length });
  }
  const maxReveal = Math.max(...o.reveal);
  const cells: NewMovieCell[] = o.reveal.map((k) => ({ reveal: k, rows: [] }));
  let scoredRows = 0;
  for (const [c, k] of o.reveal.entries()) {
    onProgress?.(`${k} rating(s) revealed`);
    for (const method of NEW_MOVIE_METHODS) {
      if (method === 'mean of revealed' && k === 0) continue;
      const sse: number[] = [];
      const count: number[] = [];
      for (const g of groups) {
        for (const m of g.movies) {
          const scored = m.rows.slice(maxReveal);
          const pred = predictMovie(g, m, method, m.rows.slice(0, k), scored, o);
          let s = 0;
          scored.forEach((x, j) => (s += (pred[j] - x.rating) ** 2));
          sse.push(s);
          count.push(scored.length);
        }
      }
      const rows = count.reduce((a, b) => a + b, 0);
      scoredRows = rows;
      cells[c].rows.push({ method, rmse: ratioOfSumsInterval(sse, count, { seed: o.seed }, Math.sqrt), rows });
    }
  }
  return {
    options: o,
    model,
    movies: groups.reduce((n, g) => n + g.movies.length, 0),
    scoredRows,
    metadataModels: groups.map((g) => ({ movies: g.meta.movies, lambda: g.meta.fit.lambda, cvRmse: g.meta.cvRmse })),
    cells,
    seconds: (performance.now() - t0) / 1000,
  };
}

function heldOutMovies(ds: Dataset, movies: number[]): HeldOutMovie[] {
  const at = new Map(movies.map((i, k) => [i, k]));
  const rows: { user: number; rating: number; ts: number; r: number }[][] = movies.map(() => []);
  for (let r = 0; r < ds.nRatings; r++) {
    const k = at.get(ds.items[r]);
    if (k !== undefined) rows[k].push({ user: ds.users[r], rating: ds.ratings[r], ts: ds.timestamps[r], r });
  }
  return rows.map((list, k) => ({ item: movies[k], year: ds.years[movies[k]], genres: ds.genres[movies[k]], rows: list.sort((a, b) => a.ts - b.ts || a.r - b.r).map(({ user, rating }) => ({ user, rating })) }));
}

/** One method's predictions for the scored rows of a held-out movie, knowing its metadata and `revealed`. */
function predictMovie(g: Group, m: HeldOutMovie, method: NewMovieMethod, revealed: HeldOutMovie['rows'], scored: HeldOutMovie['rows'], o: NewMovieOptions): Float64Array {
  const users = scored.map((x) => x.user);
  const constant = (v: number) => new Float64Array(scored.length).fill(v);
  switch (method) {
    case 'global mean':
      return constant(g.globalMean);
    case 'item mean (oracle)':
      return constant(m.rows.reduce((s, x) => s + x.rating, 0) / m.rows.length);
    case 'mean of revealed':
      return constant(revealed.reduce((s, x) => s + x.rating, 0) / revealed.length);
    case 'average movie':
      return predictForUsers(g.weights, foldInMovie(g.weights, g.noMeta, { year: null, genres: [] }, revealed, { l2: o.l2 }).theta, users);
    case 'metadata':
      return predictForUsers(g.weights, foldInMovie(g.weights, g.meta, m, revealed, { l2: o.l2 }).theta, users);
  }
}
