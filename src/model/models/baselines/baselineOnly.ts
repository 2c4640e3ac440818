/**
 * Surprise's BaselineOnly: r̂_ui = b_ui = μ + b_u + b_i (Koren 2010, §2.1), the biases fitted by
 * alternating least squares with Surprise's defaults (reg_u 15, reg_i 10, 10 epochs). Each half-step is
 * the exact ridge solution for one side with the other fixed:
 *   b_i = Σ_{u∈U_i} (r_ui − μ − b_u) / (reg_i + |U_i|),   b_u = Σ_{i∈I_u} (r_ui − μ − b_i) / (reg_u + |I_u|)
 * items first, from b_u = 0, as Surprise (after MyMediaLite) does. An unknown user or item has bias 0.
 * Fit O(epochs · ratings) time, O(users + items) memory; predict O(1); fold-in O(ratings given).
 */
import type { RatedItems, RatingMatrix } from './ratings.js';
import { checkIndex, checkRated } from './ratings.js';

export interface BaselineOptions {
  regU: number;
  regI: number;
  epochs: number;
}

export const BASELINE_DEFAULTS: BaselineOptions = { regU: 15, regI: 10, epochs: 10 };

export interface BiasModel {
  nUsers: number;
  nItems: number;
  mean: number;
  userBias: Float64Array;
  itemBias: Float64Array;
  options: BaselineOptions;
}

export function fitBaselineOnly(m: RatingMatrix, options: Partial<BaselineOptions> = {}, onEpoch?: (epoch: number) => void): BiasModel {
  const o = { ...BASELINE_DEFAULTS, ...options };
  const bu = new Float64Array(m.nUsers);
  const bi = new Float64Array(m.nItems);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    alsEpoch(m, o, bu, bi);
    onEpoch?.(epoch + 1);
  }
  return { nUsers: m.nUsers, nItems: m.nItems, mean: m.mean, userBias: bu, itemBias: bi, options: o };
}

/** One ALS epoch in place: every item's bias with the users' fixed, then every user's. */
export function alsEpoch(m: RatingMatrix, o: BaselineOptions, bu: Float64Array, bi: Float64Array): void {
  const mu = m.mean;
  for (let i = 0; i < m.nItems; i++) {
    let dev = 0;
    const a = m.itemStart[i];
    const b = m.itemStart[i + 1];
    for (let k = a; k < b; k++) dev += m.itemRatings[k] - mu - bu[m.itemUsers[k]];
    bi[i] = dev / (o.regI + (b - a));
  }
  for (let u = 0; u < m.nUsers; u++) {
    let dev = 0;
    const a = m.userStart[u];
    const b = m.userStart[u + 1];
    for (let k = a; k < b; k++) dev += m.userRatings[k] - mu - bi[m.userItems[k]];
    bu[u] = dev / (o.regU + (b - a));
  }
}

/** Mean squared error of μ + b_u + b_i on the training ratings. */
export function baselineTrainMse(m: RatingMatrix, bu: ArrayLike<number>, bi: ArrayLike<number>): number {
  let se = 0;
  for (let u = 0; u < m.nUsers; u++) {
    for (let k = m.userStart[u]; k < m.userStart[u + 1]; k++) se += (m.userRatings[k] - m.mean - bu[u] - bi[m.userItems[k]]) ** 2;
  }
  return m.nRatings ? se / m.nRatings : 0;
}

/** A trained user's bias b_u. */
export function trainedUserBias(model: BiasModel, user: number): number {
  checkIndex(user, model.nUsers, 'user');
  return model.userBias[user];
}

/** A new user's bias: the same ALS user step on their ratings, the item biases fixed. */
export function foldInUserBias(model: BiasModel, rated: RatedItems): number {
  checkRated(rated, model.nItems);
  let dev = 0;
  for (let k = 0; k < rated.items.length; k++) dev += rated.ratings[k] - model.mean - model.itemBias[rated.items[k]];
  return dev / (model.options.regU + rated.items.length);
}

/** b_ui = μ + b_u + b_i for a user given by their bias. */
export function predictBaseline(model: BiasModel, userBias: number, item: number): number {
  return model.mean + userBias + model.itemBias[item];
}

/** b_ui for every item. */
export function scoreBaseline(model: BiasModel, userBias: number, out: Float32Array = new Float32Array(model.nItems)): Float32Array {
  const base = model.mean + userBias;
  for (let i = 0; i < model.nItems; i++) out[i] = base + model.itemBias[i];
  return out;
}
