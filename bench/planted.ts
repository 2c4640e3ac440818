/**
 * Ratings with a known answer, shared by the bench and the tests: planted low-rank user and movie
 * factors plus biases plus Gaussian noise, rounded to half stars and clipped to 0.5..5 like MovieLens.
 * Because the generating model is known, so is the best RMSE any model can reach on it (the noise
 * floor, rounding and clipping included): a trainer that is fast but wrong cannot hide behind a plausible
 * number. The same draws come out in memory (tests: a Dataset) or as a MovieLens-latest CSV folder
 * (the bench's ML-25M / ML-32M-sized sets).
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { buildDataset, type ItemMeta } from '../src/data/build.js';
import { mulberry32 } from '../src/data/split.js';
import type { Dataset } from '../src/data/types.js';

export interface PlantedSpec {
  users: number;
  /** Movies in the catalogue (movies.csv); about ratedShare of them get ratings. */
  movies: number;
  /** Ratings wanted; every user rates at least minPerUser and at most maxPerUser movies. */
  ratings: number;
  rank: number;
  /** Standard deviation of the planted dot product u·m (each factor is drawn to give it). */
  dotSd: number;
  userBiasSd: number;
  movieBiasSd: number;
  mean: number;
  /** Standard deviation of the Gaussian noise added before rounding to half stars. */
  noiseSd: number;
  seed: number;
  ratedShare: number;
  minPerUser: number;
  maxPerUser: number;
}

const BASE = { rank: 4, dotSd: 0.6, userBiasSd: 0.35, movieBiasSd: 0.45, mean: 3.5, noiseSd: 0.75, ratedShare: 0.946, minPerUser: 20, maxPerUser: 5000 };

/** ML-25M's shape (162,541 users, 62,423 movies of which ~59k rated, 25,000,095 ratings). */
export const PLANTED_25M: PlantedSpec = { ...BASE, users: 162_541, movies: 62_423, ratings: 25_000_095, seed: 25 };
/** ML-32M's shape (200,948 users, 87,585 movies, 32,000,204 ratings). */
export const PLANTED_32M: PlantedSpec = { ...BASE, users: 200_948, movies: 87_585, ratings: 32_000_204, seed: 32 };
/** Small enough for a test (a second or so to train), the same generator. */
export const PLANTED_SMALL: PlantedSpec = { ...BASE, users: 1500, movies: 600, ratings: 150_000, seed: 7, maxPerUser: 500 };

/** The planted truth: r = clip(round2(mean + b_u + b_m + P[u]·Q[m] + noise)). Users 0-based, movies 0-based (id = index + 1). */
export interface PlantedModel {
  spec: PlantedSpec;
  P: Float32Array;
  Q: Float32Array;
  userBias: Float32Array;
  movieBias: Float32Array;
}

export function plantModel(spec: PlantedSpec): PlantedModel {
  const rand = mulberry32(spec.seed * 7919 + 1);
  const normal = gaussian(rand);
  // each factor ~ N(0, f²) makes Var(P[u]·Q[m]) = rank·f⁴
  const f = Math.pow((spec.dotSd * spec.dotSd) / spec.rank, 0.25);
  const P = Float32Array.from({ length: spec.users * spec.rank }, () => f * normal());
  const Q = Float32Array.from({ length: spec.movies * spec.rank }, () => f * normal());
  const userBias = Float32Array.from({ length: spec.users }, () => spec.userBiasSd * normal());
  const movieBias = Float32Array.from({ length: spec.movies }, () => spec.movieBiasSd * normal());
  return { spec, P, Q, userBias, movieBias };
}

/** The noise-free score of (user, movie), before noise, rounding and clipping. */
export function signal(m: PlantedModel, user: number, movie: number): number {
  const k = m.spec.rank;
  let s = m.spec.mean + m.userBias[user] + m.movieBias[movie];
  for (let j = 0; j < k; j++) s += m.P[user * k + j] * m.Q[movie * k + j];
  return s;
}

/** Half stars 0.5..5: the rating a score s plus noise e becomes. */
export const toHalfStars = (x: number) => Math.min(5, Math.max(0.5, Math.round(x * 2) / 2));

/**
 * Mean and variance of the rating given its score: the noise is N(0, sd²) and the rating is its
 * rounding to half stars, clipped. The mean is the best possible prediction; the variance is what
 * even that prediction gets wrong.
 */
export function ratingMoments(s: number, sd: number): { mean: number; variance: number } {
  let e1 = 0;
  let e2 = 0;
  let below = 0; // P(s + e < edge) for the previous edge
  for (let k = 1; k <= 10; k++) {
    const value = k / 2;
    const edge = k === 10 ? Infinity : value + 0.25;
    const cdf = edge === Infinity ? 1 : normalCdf((edge - s) / sd);
    const p = cdf - below;
    below = cdf;
    e1 += p * value;
    e2 += p * value * value;
  }
  return { mean: e1, variance: Math.max(0, e2 - e1 * e1) };
}

export interface NoiseFloor {
  /** sqrt(mean over the rows of Var(rating | score)): the best RMSE any model can expect. */
  rmse: number;
  /** RMSE of the best possible prediction E[rating | score] on these rows' actual ratings (≈ rmse). */
  oracleRmse: number;
  rows: number;
}

/** The noise floor of some rows of a dataset drawn from `m` (ids are read from the dataset's vocabulary). */
export function noiseFloor(m: PlantedModel, ds: Pick<Dataset, 'users' | 'items' | 'ratings' | 'userIds' | 'itemIds'>, rows: Int32Array): NoiseFloor {
  const userOf = Int32Array.from(ds.userIds, (id) => Number(id) - 1);
  const movieOf = Int32Array.from(ds.itemIds, (id) => Number(id) - 1);
  let v = 0;
  let se = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    const mo = ratingMoments(signal(m, userOf[ds.users[r]], movieOf[ds.items[r]]), m.spec.noiseSd);
    v += mo.variance;
    se += (mo.mean - ds.ratings[r]) ** 2;
  }
  return { rmse: Math.sqrt(v / rows.length), oracleRmse: Math.sqrt(se / rows.length), rows: rows.length };
}

/** Solves M·θ = v (d×d, symmetric positive definite; M and v are overwritten) into out[at..at+d) by Gaussian elimination. */
function solveInto(M: Float64Array, v: Float64Array, d: number, out: Float64Array, at: number): void {
  for (let c = 0; c < d; c++) {
    for (let r = c + 1; r < d; r++) {
      const f = M[r * d + c] / M[c * d + c];
      for (let j = c; j < d; j++) M[r * d + j] -= f * M[c * d + j];
      v[r] -= f * v[c];
    }
  }
  for (let c = d - 1; c >= 0; c--) {
    let acc = v[c];
    for (let j = c + 1; j < d; j++) acc -= M[c * d + j] * out[at + j];
    out[at + c] = acc / M[c * d + c];
  }
}

/**
 * How close any model can come on these rows when it estimates only the users: each user's factors and
 * bias fitted to its training ratings by Bayesian ridge regression (the planted prior) with the movies'
 * true factors and biases given, then judged like a model (RMSE of E[rating | fitted score]). The gap
 * between this and the noise floor is what estimating a user from its few ratings costs at the very
 * least — a trainer that learns the movies too cannot beat it on average.
 */
export function usersOnlyOracleRmse(m: PlantedModel, ds: Pick<Dataset, 'users' | 'items' | 'ratings' | 'userIds' | 'itemIds' | 'nUsers'>, train: Int32Array, valid: Int32Array): number {
  const { spec } = m;
  const k = spec.rank;
  const d = k + 1;
  const movieOf = Int32Array.from(ds.itemIds, (id) => Number(id) - 1);
  const factorVar = Math.sqrt((spec.dotSd * spec.dotSd) / spec.rank);
  const noiseVar = spec.noiseSd * spec.noiseSd + 1 / 48; // the Gaussian noise and half-star rounding
  const A = new Float64Array(ds.nUsers * d * d);
  const b = new Float64Array(ds.nUsers * d);
  const x = new Float64Array(d);
  for (let t = 0; t < train.length; t++) {
    const r = train[t];
    const u = ds.users[r];
    const mo = movieOf[ds.items[r]];
    for (let j = 0; j < k; j++) x[j] = m.Q[mo * k + j];
    x[k] = 1;
    const y = ds.ratings[r] - spec.mean - m.movieBias[mo];
    for (let i = 0; i < d; i++) {
      b[u * d + i] += x[i] * y;
      for (let j = 0; j < d; j++) A[u * d * d + i * d + j] += x[i] * x[j];
    }
  }
  const theta = new Float64Array(ds.nUsers * d);
  const M = new Float64Array(d * d);
  const v = new Float64Array(d);
  for (let u = 0; u < ds.nUsers; u++) {
    for (let i = 0; i < d; i++) {
      v[i] = b[u * d + i];
      for (let j = 0; j < d; j++) M[i * d + j] = A[u * d * d + i * d + j] + (i === j ? noiseVar / (i < k ? factorVar : spec.userBiasSd * spec.userBiasSd) : 0);
    }
    solveInto(M, v, d, theta, u * d);
  }
  let se = 0;
  for (let t = 0; t < valid.length; t++) {
    const r = valid[t];
    const u = ds.users[r];
    const mo = movieOf[ds.items[r]];
    let score = spec.mean + m.movieBias[mo] + theta[u * d + k];
    for (let j = 0; j < k; j++) score += theta[u * d + j] * m.Q[mo * k + j];
    se += (ratingMoments(score, spec.noiseSd).mean - ds.ratings[r]) ** 2;
  }
  return Math.sqrt(se / valid.length);
}

/**
 * The best a trainer that knows the answer's form can do: the MAP estimate of the planted model itself
 * (its rank, its priors, both sides estimated) by alternating ridge solves from a small random start,
 * judged like the oracles. Unlike usersOnlyOracleRmse it pays for estimating the movies too, so it is
 * what "as good as possible on these rows" means in practice: a trainer that does not know the rank
 * or the priors should not expect to beat it.
 */
export function plantedMapRmse(m: PlantedModel, ds: Pick<Dataset, 'users' | 'items' | 'ratings' | 'nUsers' | 'nItems'>, train: Int32Array, valid: Int32Array, iterations = 6): number {
  const { spec } = m;
  const k = spec.rank;
  const d = k + 1;
  const factorVar = Math.sqrt((spec.dotSd * spec.dotSd) / spec.rank);
  const noiseVar = spec.noiseSd * spec.noiseSd + 1 / 48;
  // each side's rows of train, grouped (CSR): the other side's index and the rating
  const grouped = (own: Int32Array, other: Int32Array, n: number) => {
    const start = new Int32Array(n + 1);
    for (let t = 0; t < train.length; t++) start[own[train[t]] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const next = start.slice(0, n);
    const index = new Int32Array(train.length);
    const rating = new Float32Array(train.length);
    for (let t = 0; t < train.length; t++) {
      const p = next[own[train[t]]]++;
      index[p] = other[train[t]];
      rating[p] = ds.ratings[train[t]];
    }
    return { start, index, rating };
  };
  const byUser = grouped(ds.users, ds.items, ds.nUsers);
  const byMovie = grouped(ds.items, ds.users, ds.nItems);
  const rand = mulberry32(spec.seed + 101);
  // [factors…, bias] per row
  const U = Float64Array.from({ length: ds.nUsers * d }, () => (rand() - 0.5) * 0.2);
  const V = Float64Array.from({ length: ds.nItems * d }, () => (rand() - 0.5) * 0.2);
  const M = new Float64Array(d * d);
  const v = new Float64Array(d);
  const x = new Float64Array(d);
  const solve = (A: Float64Array, g: ReturnType<typeof grouped>, B: Float64Array, biasSd: number) => {
    for (let a = 0; a + 1 < g.start.length; a++) {
      M.fill(0);
      v.fill(0);
      for (let p = g.start[a]; p < g.start[a + 1]; p++) {
        const o = g.index[p];
        for (let j = 0; j < k; j++) x[j] = B[o * d + j];
        x[k] = 1;
        const y = g.rating[p] - spec.mean - B[o * d + k];
        for (let i = 0; i < d; i++) {
          v[i] += x[i] * y;
          for (let j = 0; j <= i; j++) M[i * d + j] += x[i] * x[j];
        }
      }
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < i; j++) M[j * d + i] = M[i * d + j];
        M[i * d + i] += noiseVar / (i < k ? factorVar : biasSd * biasSd);
      }
      solveInto(M, v, d, A, a * d);
    }
  };
  for (let it = 0; it < iterations; it++) {
    solve(V, byMovie, U, spec.movieBiasSd);
    solve(U, byUser, V, spec.userBiasSd);
  }
  let se = 0;
  for (let t = 0; t < valid.length; t++) {
    const r = valid[t];
    const u = ds.users[r];
    const i = ds.items[r];
    let score = spec.mean + U[u * d + k] + V[i * d + k];
    for (let j = 0; j < k; j++) score += U[u * d + j] * V[i * d + j];
    se += (ratingMoments(score, spec.noiseSd).mean - ds.ratings[r]) ** 2;
  }
  return Math.sqrt(se / valid.length);
}

/**
 * Every rating, user by user (users in id order, each user's movies ascending, like GroupLens' files):
 * skewed activity (log-normal counts), skewed popularity (a power law over the rated movies).
 */
export function forEachPlantedRating(m: PlantedModel, emit: (user: number, movie: number, rating: number) => void): void {
  const { spec } = m;
  const rand = mulberry32(spec.seed);
  const normal = gaussian(rand);
  const perUser = activity(spec, normal);
  const rated = Math.max(1, Math.floor(spec.movies * spec.ratedShare));
  const stamp = new Int32Array(spec.movies).fill(-1);
  const mine = new Int32Array(spec.maxPerUser);
  for (let u = 0; u < spec.users; u++) {
    let n = 0;
    while (n < perUser[u]) {
      const movie = Math.floor(rated * Math.pow(rand(), 2.6)); // low ids are the blockbusters
      if (stamp[movie] === u) continue;
      stamp[movie] = u;
      mine[n++] = movie;
    }
    const list = mine.subarray(0, n).sort();
    for (let k = 0; k < n; k++) emit(u, list[k], toHalfStars(signal(m, u, list[k]) + spec.noiseSd * normal()));
  }
}

/** Ratings per user: log-normal, clamped to [minPerUser, maxPerUser], summing to spec.ratings exactly. */
function activity(spec: PlantedSpec, normal: () => number): Int32Array {
  const { users, ratings, minPerUser: lo, maxPerUser: hi } = spec;
  const rated = Math.floor(spec.movies * spec.ratedShare);
  const cap = Math.min(hi, rated);
  if (ratings < users * lo || ratings > users * cap) throw new Error(`cannot draw ${ratings} ratings from ${users} users rating ${lo}..${cap} movies each`);
  const w = Float64Array.from({ length: users }, () => Math.exp(4.2 + 1.1 * normal()));
  const sum = w.reduce((a, b) => a + b, 0);
  const per = new Int32Array(users);
  let assigned = 0;
  for (let u = 0; u < users; u++) assigned += per[u] = Math.max(lo, Math.min(cap, Math.floor((w[u] / sum) * (ratings - lo * users)) + lo));
  for (let u = 0; assigned !== ratings; u = (u + 1) % users) {
    const d = assigned < ratings ? 1 : -1;
    if (per[u] + d >= lo && per[u] + d <= cap) {
      per[u] += d;
      assigned += d;
    }
  }
  return per;
}

/** The planted ratings as a Dataset in memory (user ids 1..users, movie ids = index + 1, titles "Movie N"). */
export function plantedDataset(spec: PlantedSpec): { ds: Dataset; model: PlantedModel } {
  const model = plantModel(spec);
  const users = new Int32Array(spec.ratings);
  const items = new Int32Array(spec.ratings);
  const ratings = new Float32Array(spec.ratings);
  let n = 0;
  forEachPlantedRating(model, (u, mo, r) => {
    users[n] = u + 1;
    items[n] = mo + 1;
    ratings[n++] = r;
  });
  const itemMeta = new Map<number, ItemMeta>();
  for (let mo = 0; mo < spec.movies; mo++) itemMeta.set(mo + 1, { title: `Movie ${mo + 1} (${1950 + (mo % 60)})`, genres: [] });
  const ds = buildDataset({
    name: 'planted',
    format: 'ml-csv',
    source: 'planted',
    ratingsFile: 'planted',
    cols: { users, items, ratings, timestamps: new Float64Array(n), n },
    itemMeta,
    genreNames: [],
    warnings: [],
  });
  return { ds, model };
}

const GENRES = ['Action', 'Adventure', 'Animation', 'Children', 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'IMAX', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];
const WORDS = ['Night', 'Love', 'Star', 'Dark', 'Last', 'City', 'Man', 'Woman', 'Story', 'Dead', 'Life', 'House', 'King', 'Girl', 'World', 'Time', 'Blood', 'Secret', 'Summer', 'War', 'Lost', 'Return', 'River', 'Dream', 'Fire', 'Ghost', 'Heart', 'Road', 'Moon', 'Island', 'Lambs', 'Silence', 'Empire', 'Shadow', 'Little', 'Great', 'Wild', 'Murder', 'Paris', 'Café', 'Misérables'];

/**
 * Writes the planted ratings as a MovieLens-latest folder: ratings.csv (grouped by user, half stars,
 * increasing timestamps) and movies.csv (quoted titles, genres), via temporary names. The folder can be
 * read back with loadDataset; its ids map back to the planted model (user id = u + 1, movie id = m + 1).
 */
export function writePlantedCsv(dir: string, spec: PlantedSpec): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const model = plantModel(spec);
  const tmp = path.join(dir, 'ratings.csv.tmp');
  const fd = openSync(tmp, 'w');
  const buf = Buffer.allocUnsafe(8 << 20);
  let pos = 0;
  const putInt = (v: number) => {
    if (v >= 10) putInt(Math.floor(v / 10));
    buf[pos++] = 48 + (v % 10);
  };
  pos += buf.write('userId,movieId,rating,timestamp\n', pos, 'latin1');
  const rand = mulberry32(spec.seed + 1);
  let ts = 789_652_009;
  forEachPlantedRating(model, (u, mo, r) => {
    ts += Math.floor(rand() * 60);
    putInt(u + 1);
    buf[pos++] = 44;
    putInt(mo + 1);
    buf[pos++] = 44;
    putInt(Math.floor(r));
    buf[pos++] = 46;
    buf[pos++] = r % 1 ? 53 : 48;
    buf[pos++] = 44;
    putInt(ts);
    buf[pos++] = 10;
    if (pos > buf.length - 256) {
      writeSync(fd, buf, 0, pos);
      pos = 0;
    }
  });
  writeSync(fd, buf, 0, pos);
  closeSync(fd);

  const titleRand = mulberry32(spec.seed + 2);
  const lines = ['movieId,title,genres'];
  for (let mo = 1; mo <= spec.movies; mo++) {
    const k = 1 + Math.floor(titleRand() * 3);
    let title = Array.from({ length: k }, () => WORDS[Math.floor(titleRand() * WORDS.length)]).join(' ');
    const v = titleRand();
    if (v < 0.08) title += ', The';
    else if (v < 0.1) title = `"${title}" Returns`;
    title += ` (${1920 + Math.floor(titleRand() * 100)})`;
    const quoted = /[",]/.test(title) ? `"${title.replace(/"/g, '""')}"` : title;
    const g =
      titleRand() < 0.02
        ? '(no genres listed)'
        : Array.from(new Set(Array.from({ length: 1 + Math.floor(titleRand() * 3) }, () => GENRES[Math.floor(titleRand() * GENRES.length)]))).join('|');
    lines.push(`${mo},${quoted},${g}`);
  }
  writeFileSync(path.join(dir, 'movies.csv'), lines.join('\n') + '\n');
  renameSync(tmp, path.join(dir, 'ratings.csv'));
}

function gaussian(rand: () => number): () => number {
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const s = spare;
      spare = NaN;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(rand() + 1e-12));
    const t = 2 * Math.PI * rand();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

/** Φ(x), from erfc with W. J. Cody's rational approximations' accuracy class (|error| < 1.2e-7). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfcc (Chebyshev fit), fractional error < 1.2e-7 everywhere
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
