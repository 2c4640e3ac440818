/**
 * 95 % intervals by resampling USERS with replacement (the chapter's other "bootstrapping"): a metric
 * is recomputed on B samples of the users, each of n users drawn with replacement, and the interval is
 * the 2.5th and 97.5th percentile of those values. Users, not ratings, are what a recommender is
 * measured over — a heavy rater's ratings stand or fall together — so they are what is resampled.
 *
 * One core (resampleUsers) and the statistics every report needs from per-user parts: a mean of a
 * per-user value (NDCG@10, P@10, R@10), a ratio of sums (RMSE = √(Σ squared error / Σ ratings)), and
 * for two models measured on the same users the paired ratio or difference — whether they really
 * differ is whether that interval excludes 1 (or 0), which two separate intervals cannot tell.
 * Deterministic given the seed.
 */
import { mulberry32 } from '../engine/random.js';
import { ModelError } from '../errors.js';

export interface BootstrapOptions {
  /** Resamples drawn (B). */
  rounds: number;
  seed: number;
  /** Central coverage of the interval (0.95: the 2.5th to 97.5th percentile). */
  level: number;
}

export const BOOTSTRAP_DEFAULTS: BootstrapOptions = { rounds: 1000, seed: 19, level: 0.95 };

/** A metric and its bootstrap interval. */
export interface Interval {
  value: number;
  low: number;
  high: number;
}

/**
 * The core: `statistic` on the full sample (0..n−1) and on `rounds` resamples of n user positions drawn
 * with replacement; the percentile interval of the resampled values (NaNs, e.g. a resample with no
 * ratings, are dropped).
 */
export function resampleUsers(n: number, statistic: (users: Int32Array) => number, options: Partial<BootstrapOptions> = {}): Interval {
  const o = { ...BOOTSTRAP_DEFAULTS, ...options };
  if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new ModelError(`bootstrap rounds must be a whole number of at least 1, got ${o.rounds}`);
  if (!(o.level > 0 && o.level < 1)) throw new ModelError(`bootstrap level must be between 0 and 1, got ${o.level}`);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const value = statistic(all);
  if (n === 0) return { value, low: NaN, high: NaN };
  const rand = mulberry32(o.seed);
  const pick = new Int32Array(n);
  const values: number[] = [];
  for (let b = 0; b < o.rounds; b++) {
    for (let k = 0; k < n; k++) pick[k] = Math.floor(rand() * n);
    const v = statistic(pick);
    if (!Number.isNaN(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  return { value, low: quantile(values, (1 - o.level) / 2), high: quantile(values, 1 - (1 - o.level) / 2) };
}

/** Linear interpolation between order statistics (numpy's default percentile). */
function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
}

/** The mean of a per-user value (NDCG@10, precision, recall) with its interval. */
export function meanInterval(perUser: ArrayLike<number>, options: Partial<BootstrapOptions> = {}): Interval {
  return resampleUsers(perUser.length, (users) => {
    let s = 0;
    for (let k = 0; k < users.length; k++) s += perUser[users[k]];
    return users.length ? s / users.length : NaN;
  }, options);
}

/** Σ num / Σ den over the resampled users (then `map`, e.g. √ for RMSE from squared errors and counts). */
export function ratioOfSumsInterval(
  num: ArrayLike<number>,
  den: ArrayLike<number>,
  options: Partial<BootstrapOptions> = {},
  map: (x: number) => number = (x) => x,
): Interval {
  if (num.length !== den.length) throw new ModelError(`ratioOfSumsInterval: ${num.length} numerators but ${den.length} denominators`);
  return resampleUsers(num.length, (users) => {
    let a = 0;
    let b = 0;
    for (let k = 0; k < users.length; k++) {
      a += num[users[k]];
      b += den[users[k]];
    }
    return b > 0 ? map(a / b) : NaN;
  }, options);
}

/** Per-user sums of a set of predictions: squared and absolute errors, and counts, by user. */
export interface UserErrors {
  /** The users (dense indices) with a held-out rating, ascending; the arrays below follow them. */
  users: Int32Array;
  sse: Float64Array;
  sae: Float64Array;
  count: Float64Array;
}

/** Groups prediction errors by user (users are dense indices below nUsers); users without a row get zeros and are kept out. */
export function errorsByUser(pred: ArrayLike<number>, target: ArrayLike<number>, users: ArrayLike<number>, nUsers: number): UserErrors {
  const sse = new Float64Array(nUsers);
  const sae = new Float64Array(nUsers);
  const count = new Float64Array(nUsers);
  for (let r = 0; r < pred.length; r++) {
    const e = pred[r] - target[r];
    const u = users[r];
    sse[u] += e * e;
    sae[u] += Math.abs(e);
    count[u]++;
  }
  // only users with rows are drawn: a user who rated nothing in the test set is not part of the sample
  const keep: number[] = [];
  for (let u = 0; u < nUsers; u++) if (count[u] > 0) keep.push(u);
  return { users: Int32Array.from(keep), sse: Float64Array.from(keep, (u) => sse[u]), sae: Float64Array.from(keep, (u) => sae[u]), count: Float64Array.from(keep, (u) => count[u]) };
}

/** RMSE and MAE with intervals from resampling the users who have a held-out rating. */
export function regressionIntervals(e: UserErrors, options: Partial<BootstrapOptions> = {}): { rmse: Interval; mae: Interval } {
  return { rmse: ratioOfSumsInterval(e.sse, e.count, options, Math.sqrt), mae: ratioOfSumsInterval(e.sae, e.count, options) };
}

/**
 * Two models on the same users: mean(a) / mean(b) with the interval of the ratio over resamples of the
 * pairs (1 outside the interval: they really differ).
 */
export function pairedRatioInterval(a: ArrayLike<number>, b: ArrayLike<number>, options: Partial<BootstrapOptions> = {}): Interval {
  return ratioOfSumsInterval(a, b, options);
}

/**
 * Two models' RMSE on the same held-out ratings: RMSE(a) − RMSE(b) with the interval of the difference
 * over resamples of the users (0 outside it: they really differ). errorsByUser of each model's predictions.
 */
export function pairedRmseDifference(a: UserErrors, b: UserErrors, options: Partial<BootstrapOptions> = {}): Interval {
  if (a.users.length !== b.users.length || a.users.some((u, k) => u !== b.users[k])) throw new ModelError('pairedRmseDifference: the two models were measured on different users');
  return resampleUsers(a.users.length, (users) => {
    let sa = 0;
    let sb = 0;
    let n = 0;
    for (let k = 0; k < users.length; k++) {
      sa += a.sse[users[k]];
      sb += b.sse[users[k]];
      n += a.count[users[k]];
    }
    return n > 0 ? Math.sqrt(sa / n) - Math.sqrt(sb / n) : NaN;
  }, options);
}

/** Two models on the same users: mean(a − b) with its interval (0 outside it: they really differ). */
export function pairedDifferenceInterval(a: ArrayLike<number>, b: ArrayLike<number>, options: Partial<BootstrapOptions> = {}): Interval {
  if (a.length !== b.length) throw new ModelError(`pairedDifferenceInterval: ${a.length} values against ${b.length}`);
  return meanInterval(Float64Array.from(a, (x, k) => x - b[k]), options);
}
