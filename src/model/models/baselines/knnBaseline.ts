/**
 * Surprise's KNNBaseline (Koren 2010, eq. 3): the baseline plus what the k most similar neighbours
 * the user rated say about it,
 *   r̂_ui = b_ui + Σ_{j∈N^k_i(u)} s_ij · (r_uj − b_uj) / Σ_{j∈N^k_i(u)} s_ij
 * N^k_i(u): of the items u rated, the k most similar to i, only positive similarities counted (fewer
 * than min_k of those → the baseline alone). Item-based with shrunk Pearson-baseline similarity by
 * default (the classic strong setting); user-based and MSD (Surprise's `KNNBaseline()` defaults, what
 * its README's benchmark ran) are options. Baselines are BaselineOnly's ALS fit.
 *
 * A new user (fold-in) needs nothing refitted: item-based, their ratings are the neighbours directly
 * (their bias by BaselineOnly's user step); user-based, their similarity row to the trained users is
 * one similarityRow call.
 * Cost: fit = similarities (see similarity.ts); predict O(n_u) item-based, O(|U_i|) user-based;
 * scoring every item for one user O(items · n_u).
 */
import { ModelError } from '../../errors.js';
import { BASELINE_DEFAULTS, fitBaselineOnly, foldInUserBias, type BaselineOptions, type BiasModel } from './baselineOnly.js';
import type { RatedItems, RatingMatrix } from './ratings.js';
import { checkIndex, checkRated, userRatings } from './ratings.js';
import {
  computeSimilarities,
  kthLargest,
  similarityRow,
  SimilarityScratch,
  type SimilarityName,
  type Similarities,
  type SimilaritySides,
} from './similarity.js';

export interface KnnOptions {
  k: number;
  minK: number;
  similarity: SimilarityName;
  /** false: item-item neighbours (default); true: user-user. */
  userBased: boolean;
  shrinkage: number;
  minSupport: number;
  baseline: BaselineOptions;
  /** Neighbours kept per row; absent = all when the dense matrix fits (similarity.ts DENSE_MAX). */
  stored?: number;
}

export const KNN_DEFAULTS: KnnOptions = {
  k: 40,
  minK: 1,
  similarity: 'pearson_baseline',
  userBased: false,
  shrinkage: 100,
  minSupport: 1,
  baseline: BASELINE_DEFAULTS,
};

export interface KnnModel {
  options: KnnOptions;
  biases: BiasModel;
  matrix: RatingMatrix;
  /** What the similarities were computed from: a user-based new user's row needs it (absent when rebuilt from a snapshot). */
  sides?: SimilaritySides;
  sims: Similarities;
}

/** A user as the kNN sees them: bias, ratings, and (user-based) their similarity row. */
export interface KnnUser {
  /** The trained user's index, or -1 for a folded-in one. */
  index: number;
  bias: number;
  items: Int32Array;
  ratings: Float32Array;
  /** User-based, new user: similarities to every trained user. */
  simRow?: Float32Array;
}

export function fitKnnBaseline(
  m: RatingMatrix,
  options: Partial<KnnOptions> = {},
  onProgress?: (fraction: number) => void,
  biases?: BiasModel,
): KnnModel {
  const o: KnnOptions = { ...KNN_DEFAULTS, ...options, baseline: { ...KNN_DEFAULTS.baseline, ...options.baseline } };
  if (!(Number.isInteger(o.k) && o.k >= 1)) throw new ModelError(`k must be a whole number ≥ 1, got ${o.k}`);
  if (!(Number.isInteger(o.minK) && o.minK >= 0)) throw new ModelError(`min_k must be a whole number ≥ 0, got ${o.minK}`);
  const b = biases ?? fitBaselineOnly(m, o.baseline);
  // the value each rating brings to a similarity: its baseline residual (pearson_baseline) or itself (msd)
  const value = (u: number, i: number, r: number) => (o.similarity === 'pearson_baseline' ? r - b.mean - b.userBias[u] - b.itemBias[i] : r);
  const userAt = expand(m.userStart, m.nRatings);
  const itemAt = expand(m.itemStart, m.nRatings);
  const byUser = Float32Array.from(m.userItems, (i, k) => value(userAt[k], i, m.userRatings[k]));
  const byItem = Float32Array.from(m.itemUsers, (u, k) => value(u, itemAt[k], m.itemRatings[k]));
  const sides: SimilaritySides = o.userBased
    ? { nRows: m.nUsers, rowStart: m.userStart, rowCols: m.userItems, rowValues: byUser, colStart: m.itemStart, colRows: m.itemUsers, colValues: byItem }
    : { nRows: m.nItems, rowStart: m.itemStart, rowCols: m.itemUsers, rowValues: byItem, colStart: m.userStart, colRows: m.userItems, colValues: byUser };
  const sims = computeSimilarities(sides, { name: o.similarity, shrinkage: o.shrinkage, minSupport: o.minSupport }, o.stored, onProgress);
  return { options: o, biases: b, matrix: m, sides, sims };
}

/** Which row each position of a CSR's arrays belongs to. */
function expand(start: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let x = 0; x + 1 < start.length; x++) out.fill(x, start[x], start[x + 1]);
  return out;
}

export function knnTrainedUser(model: KnnModel, user: number): KnnUser {
  checkIndex(user, model.matrix.nUsers, 'user');
  const r = userRatings(model.matrix, user);
  return { index: user, bias: model.biases.userBias[user], items: r.items, ratings: r.ratings };
}

/** A new user from their ratings alone (nothing refitted). */
export function knnFoldIn(model: KnnModel, rated: RatedItems): KnnUser {
  checkRated(rated, model.matrix.nItems);
  const bias = foldInUserBias(model.biases, rated);
  const user: KnnUser = { index: -1, bias, items: Int32Array.from(rated.items), ratings: Float32Array.from(rated.ratings) };
  if (model.options.userBased) {
    const b = model.biases;
    const values =
      model.options.similarity === 'pearson_baseline'
        ? Float64Array.from(rated.items, (i, k) => rated.ratings[k] - b.mean - bias - b.itemBias[i])
        : Float64Array.from(rated.ratings);
    if (!model.sides) throw new ModelError('a user-based kNN rebuilt without its similarity inputs cannot fold in a new user');
    user.simRow = new Float32Array(model.matrix.nUsers);
    const o = model.options;
    similarityRow(model.sides, rated.items, values, -1, { name: o.similarity, shrinkage: o.shrinkage, minSupport: o.minSupport }, new SimilarityScratch(model.matrix.nUsers), user.simRow);
  }
  return user;
}

// One prediction's positive neighbours, gathered (similarity, residual) then combined; grown on demand.
let nbSims = new Float64Array(256);
let nbResiduals = new Float64Array(256);
let nbSelect = new Float64Array(256);

function reserve(n: number): void {
  if (nbSims.length >= n) return;
  const len = Math.max(n, nbSims.length * 2);
  nbSims = new Float64Array(len);
  nbResiduals = new Float64Array(len);
  nbSelect = new Float64Array(len);
}

/**
 * Σ s·res / Σ s over the k largest of the n gathered similarities (ties at the k-th in gather order, like
 * Surprise's heapq.nlargest), or 0 when fewer than minK.
 */
function neighbourOffset(n: number, k: number, minK: number): number {
  if (n < minK || n === 0) return 0;
  const sims = nbSims;
  const res = nbResiduals;
  let num = 0;
  let den = 0;
  if (n <= k) {
    for (let t = 0; t < n; t++) {
      num += sims[t] * res[t];
      den += sims[t];
    }
    return num / den;
  }
  const sel = nbSelect.subarray(0, n);
  sel.set(sims.subarray(0, n));
  const threshold = kthLargest(sel, k);
  let above = 0;
  for (let t = 0; t < n; t++) if (sims[t] > threshold) above++;
  let ties = k - above;
  for (let t = 0; t < n; t++) {
    const s = sims[t];
    if (s > threshold || (s === threshold && ties-- > 0)) {
      num += s * res[t];
      den += s;
    }
  }
  return num / den;
}

/** The user's residuals r_uj − b_uj, in the order of user.items. */
function residuals(model: KnnModel, user: KnnUser): Float64Array {
  const b = model.biases;
  return Float64Array.from(user.items, (j, k) => user.ratings[k] - b.mean - user.bias - b.itemBias[j]);
}

/** r̂_ui for one item. */
export function predictKnn(model: KnnModel, user: KnnUser, item: number): number {
  checkIndex(item, model.matrix.nItems, 'item');
  return model.options.userBased ? predictUserBased(model, user, item) : predictItemBased(model, user, residuals(model, user), item);
}

function predictItemBased(model: KnnModel, user: KnnUser, res: Float64Array, item: number): number {
  const items = user.items;
  const nu = items.length;
  reserve(nu);
  const sims = nbSims;
  const rs = nbResiduals;
  let c = 0;
  // a row of the dense matrix read in place (no view per prediction: this loop runs items × n_u times)
  const dense = model.sims.dense;
  const row = dense ?? model.sims.row(item);
  const base = dense ? item * model.sims.n : 0;
  for (let k = 0; k < nu; k++) {
    const s = row[base + items[k]];
    if (s > 0) {
      sims[c] = s;
      rs[c++] = res[k];
    }
  }
  return model.biases.mean + user.bias + model.biases.itemBias[item] + neighbourOffset(c, model.options.k, model.options.minK);
}

function predictUserBased(model: KnnModel, user: KnnUser, item: number): number {
  const b = model.biases;
  const m = model.matrix;
  const from = m.itemStart[item];
  const to = m.itemStart[item + 1];
  reserve(to - from);
  const sims = nbSims;
  const rs = nbResiduals;
  const dense = user.simRow ? null : model.sims.dense;
  const row = user.simRow ?? dense ?? model.sims.row(user.index);
  const base = dense ? user.index * model.sims.n : 0;
  const self = user.index;
  const bi = b.mean + b.itemBias[item];
  let c = 0;
  for (let p = from; p < to; p++) {
    const v = m.itemUsers[p];
    const s = row[base + v];
    if (s > 0 && v !== self) {
      sims[c] = s;
      rs[c++] = m.itemRatings[p] - bi - b.userBias[v];
    }
  }
  return bi + user.bias + neighbourOffset(c, model.options.k, model.options.minK);
}

/** r̂ of every item for one user (a recommendation list's scores). */
export function scoreKnn(model: KnnModel, user: KnnUser, out: Float32Array = new Float32Array(model.matrix.nItems)): Float32Array {
  if (model.options.userBased) {
    if (user.index >= 0 && model.sims.stored !== null) {
      // a sparse row lives in shared scratch: keep a copy while every item asks for it
      user = { ...user, simRow: model.sims.row(user.index).slice() };
    }
    for (let i = 0; i < out.length; i++) out[i] = predictUserBased(model, user, i);
    return out;
  }
  const res = residuals(model, user);
  for (let i = 0; i < out.length; i++) out[i] = predictItemBased(model, user, res, i);
  return out;
}

/** r̂ of some items for one user, the user's residuals prepared once. */
export function scoreKnnItems(model: KnnModel, user: KnnUser, items: ArrayLike<number>, out: Float32Array | Float64Array): void {
  const res = model.options.userBased ? null : residuals(model, user);
  for (let j = 0; j < items.length; j++) {
    const i = items[j];
    checkIndex(i, model.matrix.nItems, 'item');
    out[j] = res ? predictItemBased(model, user, res, i) : predictUserBased(model, user, i);
  }
}

/** r̂ for (user, item) rows of trained users (test ratings), each user's residuals prepared once. */
export function predictKnnRows(model: KnnModel, users: Int32Array, items: Int32Array, out: Float32Array = new Float32Array(users.length)): Float32Array {
  let last = -1;
  let user: KnnUser | null = null;
  let res: Float64Array = new Float64Array(0);
  for (let r = 0; r < users.length; r++) {
    if (users[r] !== last) {
      last = users[r];
      user = knnTrainedUser(model, last);
      if (!model.options.userBased) res = residuals(model, user);
    }
    checkIndex(items[r], model.matrix.nItems, 'item');
    out[r] = model.options.userBased ? predictUserBased(model, user!, items[r]) : predictItemBased(model, user!, res, items[r]);
  }
  return out;
}

/**
 * The movies most similar to `item` by the model's own similarity (item-based only: what the "similar
 * movies" list shows for this kind), most similar first, positive similarities only.
 */
export function knnSimilarItems(model: KnnModel, item: number, top: number): { item: number; similarity: number }[] {
  if (model.options.userBased) throw new ModelError('a user-based kNN has no item similarities');
  checkIndex(item, model.matrix.nItems, 'item');
  const row = model.sims.row(item);
  const found: { item: number; similarity: number }[] = [];
  for (let j = 0; j < row.length; j++) if (row[j] > 0) found.push({ item: j, similarity: row[j] });
  return found.sort((a, b) => b.similarity - a.similarity || a.item - b.item).slice(0, top);
}
