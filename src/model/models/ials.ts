/**
 * iALS (Hu, Koren & Volinsky 2008, baselines/ials.ts) on the implicit "rated it" signal: score x_u · y_i.
 * Rank only. θ = x_u; a new user's is the exact least-squares solve of their normal equations with the
 * item factors fixed. Its item factors are movie vectors like any factor model's (PCA, similar movies).
 */
import type { IalsWeights } from '../types.js';
import type { ModelKindSpec } from './kind.js';
import { factorLogits } from './dot.js';
import { NO_SHOWS, ZEROS, noHiddenLayers, plainShape } from './baselines/kept.js';
import { IALS_DEFAULTS, gramPlusReg, ialsFoldIn, type IalsModel } from './baselines/ials.js';

const grams = new WeakMap<IalsWeights, Float64Array>();

function core(w: IalsWeights): IalsModel {
  return {
    nUsers: w.nUsers,
    nItems: w.nItems,
    factors: w.userDim,
    userFactors: w.userFactors,
    itemFactors: w.itemFactors,
    options: { ...IALS_DEFAULTS, factors: w.userDim, reg: w.reg, alpha: w.alpha },
  };
}

export const ials: ModelKindSpec<IalsWeights> = {
  kind: 'ials',
  className: 'iALS',
  output: 'rank',
  shows: { ...NO_SHOWS, ranking: true, factors: true },
  optionKeys: ['ials'],
  threaded: false,
  trainerKeys: [],
  label: (s) => `${s.userDim}f`,
  slug: (o) => (o.ials ? `${o.ials.factors}f` : ''),
  shapeFor: (o, nUsers, nItems) => plainShape('ials', nUsers, nItems, {}, o.ials?.factors ?? IALS_DEFAULTS.factors),
  shapeProblem: (s) => noHiddenLayers(s) ?? (s.userDim >= 1 && s.userDim === s.itemDim ? null : 'needs as many user as item factors (at least 1)'),
  shape: (w) => plainShape('ials', w.nUsers, w.nItems, {}, w.userDim),
  params: (s) => [
    { name: 'settings', shape: [2], init: ZEROS },
    { name: 'user_factors', shape: [s.nUsers, s.userDim], init: ZEROS },
    { name: 'item_factors', shape: [s.nItems, s.itemDim], init: ZEROS },
  ],
  fromArrays: (s, yRange, get) => {
    const [reg, alpha] = get('settings');
    return {
      kind: 'ials',
      nUsers: s.nUsers,
      nItems: s.nItems,
      yRange: [yRange[0], yRange[1]],
      userDim: s.userDim,
      itemDim: s.itemDim,
      userFactors: get('user_factors'),
      itemFactors: get('item_factors'),
      reg,
      alpha,
    };
  },
  arrays: (w) =>
    new Map([
      ['settings', Float32Array.of(w.reg, w.alpha)],
      ['user_factors', w.userFactors],
      ['item_factors', w.itemFactors],
    ]),
  userSize: (w) => w.userDim,
  trainedUser: (w, u) => Float64Array.from(w.userFactors.subarray(u * w.userDim, (u + 1) * w.userDim)),
  logits: (w, theta, items, out) => factorLogits(w.userDim, w.itemFactors, null, theta, items, out),
  foldIn: (w, ratings) => {
    let g = grams.get(w);
    if (!g) grams.set(w, (g = gramPlusReg(w.itemFactors, w.nItems, w.userDim, w.reg)));
    const rated = { items: Int32Array.from(ratings, (r) => r.item), ratings: Float32Array.from(ratings, (r) => r.rating) };
    return Float64Array.from(ialsFoldIn(core(w), rated, g));
  },
  userParts: (_w, theta) => ({ factors: Array.from(theta), bias: null }),
  userVectors: (w) => ({ dim: w.userDim, values: w.userFactors }),
  itemVectors: (w) => ({ dim: w.itemDim, values: w.itemFactors }),
  biases: () => null,
};
