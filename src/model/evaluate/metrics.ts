/** Regression metrics over predictions, accumulated in float64. */
import type { Dataset, Split } from '../../data/types.js';
import { predictRows } from '../models/forward.js';
import type { ModelWeights } from '../types.js';
import { errorsByUser, regressionIntervals, type BootstrapOptions, type Interval } from './bootstrap.js';

export interface Metrics {
  mse: number;
  rmse: number;
  mae: number;
  n: number;
}

export function regressionMetrics(pred: Float32Array, target: Float32Array): Metrics {
  let se = 0;
  let ae = 0;
  for (let i = 0; i < pred.length; i++) {
    const e = pred[i] - target[i];
    se += e * e;
    ae += Math.abs(e);
  }
  const n = pred.length;
  const mse = n ? se / n : NaN;
  return { mse, rmse: Math.sqrt(mse), mae: n ? ae / n : NaN, n };
}

export interface Columns {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
}

/** The dataset's columns restricted to some rows (e.g. a split's validation rows). */
export function selectRows(ds: { users: ArrayLike<number>; items: ArrayLike<number>; ratings: ArrayLike<number> }, rows: Int32Array): Columns {
  const users = new Int32Array(rows.length);
  const items = new Int32Array(rows.length);
  const ratings = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    users[i] = ds.users[rows[i]];
    items[i] = ds.items[rows[i]];
    ratings[i] = ds.ratings[rows[i]];
  }
  return { users, items, ratings };
}

/**
 * Metrics of any rating predictor on columns; predictions are clipped to `clip` when given (Surprise
 * clips to the rating scale before it scores, so its RMSEs are comparable only that way).
 */
export function predictorMetrics(predict: (users: Int32Array, items: Int32Array) => Float32Array, c: Columns, clip?: readonly [number, number]): Metrics {
  const pred = predict(c.users, c.items);
  if (clip) for (let k = 0; k < pred.length; k++) pred[k] = Math.min(clip[1], Math.max(clip[0], pred[k]));
  return regressionMetrics(pred, c.ratings);
}

/** Metrics of plain weights on columns, through the engine's forward (what training reports). */
export function evaluateColumns(w: ModelWeights, c: Columns): Metrics {
  return regressionMetrics(predictRows(w, c), c.ratings);
}

/** Metrics of plain weights on a split's validation rows (eval command): the same numbers training reported. */
export function evaluateWeights(w: ModelWeights, ds: Dataset, split: Split): Metrics {
  return evaluateColumns(w, selectRows(ds, split.valid));
}

/** Metrics with 95 % intervals of RMSE and MAE from resampling the users who have a held-out rating. */
export interface MetricsWithIntervals extends Metrics {
  intervals: { rmse: Interval; mae: Interval; users: number };
}

export function withIntervals(pred: Float32Array, c: Columns, nUsers: number, options: Partial<BootstrapOptions> = {}): MetricsWithIntervals {
  const e = errorsByUser(pred, c.ratings, c.users, nUsers);
  return { ...regressionMetrics(pred, c.ratings), intervals: { ...regressionIntervals(e, options), users: e.count.length } };
}

/** evaluateWeights with the intervals. */
export function evaluateWeightsWithIntervals(w: ModelWeights, ds: Dataset, split: Split, options: Partial<BootstrapOptions> = {}): MetricsWithIntervals {
  const c = selectRows(ds, split.valid);
  return withIntervals(predictRows(w, c), c, ds.nUsers, options);
}
