/**
 * Surprise's BaselineOnly: r̂ = μ + b_u + b_i, clipped to the rating scale, the biases fitted by ALS
 * (baselines/baselineOnly.ts). θ = [b_u]; a new user's bias is the ALS user step on their ratings.
 */
import type { BaselineWeights } from '../types.js';
import type { ModelKindSpec } from './kind.js';
import { NO_SHOWS, ZEROS, noHiddenLayers, plainShape } from './baselines/kept.js';

/** b_u of ratings given item biases: Σ (r − μ − b_i) / (reg_u + n), the ALS user step. */
export function userBiasStep(mean: number, itemBias: ArrayLike<number>, regU: number, ratings: readonly { item: number; rating: number }[]): number {
  let dev = 0;
  for (const r of ratings) dev += r.rating - mean - itemBias[r.item];
  return dev / (regU + ratings.length);
}

export const baseline: ModelKindSpec<BaselineWeights> = {
  kind: 'baseline',
  className: 'BaselineOnly',
  output: 'rating',
  shows: { ...NO_SHOWS, ratings: true, ranking: true, biases: true },
  optionKeys: ['baseline'],
  threaded: false,
  trainerKeys: [],
  label: () => 'biases',
  slug: (o) => (o.baseline ? `reg${o.baseline.regU}-${o.baseline.regI}` : ''),
  shapeFor: (_o, nUsers, nItems) => plainShape('baseline', nUsers, nItems),
  shapeProblem: noHiddenLayers,
  shape: (w) => plainShape('baseline', w.nUsers, w.nItems),
  params: (s) => [
    { name: 'settings', shape: [1], init: ZEROS },
    { name: 'mean', shape: [1], init: ZEROS },
    { name: 'user_bias', shape: [s.nUsers], init: ZEROS },
    { name: 'item_bias', shape: [s.nItems], init: ZEROS },
  ],
  fromArrays: (s, yRange, get) => ({
    kind: 'baseline',
    nUsers: s.nUsers,
    nItems: s.nItems,
    yRange: [yRange[0], yRange[1]],
    regU: get('settings')[0],
    mean: get('mean')[0],
    userBias: get('user_bias'),
    itemBias: get('item_bias'),
  }),
  arrays: (w) =>
    new Map([
      ['settings', Float32Array.of(w.regU)],
      ['mean', Float32Array.of(w.mean)],
      ['user_bias', w.userBias],
      ['item_bias', w.itemBias],
    ]),
  // θ = [b_u]
  userSize: () => 1,
  trainedUser: (w, u) => Float64Array.of(w.userBias[u]),
  logits: (w, theta, items, out, jacobian) => {
    const base = w.mean + theta[0];
    for (let j = 0; j < items.length; j++) {
      out[j] = base + w.itemBias[items[j]];
      if (jacobian) jacobian[j] = 1;
    }
  },
  foldIn: (w, ratings) => Float64Array.of(userBiasStep(w.mean, w.itemBias, w.regU, ratings)),
  userParts: (_w, theta) => ({ factors: [], bias: theta[0] }),
  userVectors: () => null,
  itemVectors: () => null,
  biases: (w) => ({ user: w.userBias, item: w.itemBias }),
};
