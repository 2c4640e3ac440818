/** fastai's DotProductBias (the default): r̂ = sigmoid_range(u · m + b_u + b_m). */
import type { DotBiasWeights } from '../types.js';
import { EMBEDDING_INIT, FACTOR_SHOWS, SGD_TRAINER_KEYS, appendRows, dot, factorLogits, factorShapeProblem, swapFactors } from './dot.js';
import type { ModelKindSpec } from './kind.js';

export const dotbias: ModelKindSpec<DotBiasWeights> = {
  kind: 'dotbias',
  className: 'DotProductBias',
  output: 'sigmoid-range',
  shows: { ...FACTOR_SHOWS, biases: true },
  lrFind: { note: "measured on ML-100K, the valley trains dotbias worse than the recipe's 5e-3 (RMSE 0.920 vs 0.904; u1 0.930 vs 0.916)", trainsWorse: true },
  optionKeys: ['factors'],
  threaded: true,
  // the autorec solver blends an I-AutoRec into a dotbias model; members (seeds averaged) are one exact dotbias model
  trainerKeys: [...SGD_TRAINER_KEYS, 'solver', 'members'],
  label: (s) => `${s.userDim}f`,
  slug: (o) => `${o.factors}f`,
  shapeFor: (o, nUsers, nItems) => ({ ...dot.shapeFor(o, nUsers, nItems), kind: 'dotbias' }),
  shapeProblem: factorShapeProblem,
  shape: (w) => ({ ...dot.shape({ ...w, kind: 'dot' }), kind: 'dotbias' }),
  params: (s) => [
    ...dot.params(s),
    { name: 'user_bias', shape: [s.nUsers], init: EMBEDDING_INIT },
    { name: 'item_bias', shape: [s.nItems], init: EMBEDDING_INIT },
  ],
  fromArrays: (s, yRange, get) => ({ ...dot.fromArrays(s, yRange, get), kind: 'dotbias', userBias: get('user_bias'), itemBias: get('item_bias') }),
  arrays: (w) => new Map([...dot.arrays({ ...w, kind: 'dot' }), ['user_bias', w.userBias], ['item_bias', w.itemBias]]),
  // θ = [factors..., bias]
  userSize: (w) => w.userDim + 1,
  trainedUser: (w, u) => {
    const theta = new Float64Array(w.userDim + 1);
    for (let k = 0; k < w.userDim; k++) theta[k] = w.userFactors[u * w.userDim + k];
    theta[w.userDim] = w.userBias[u];
    return theta;
  },
  logits: (w, theta, items, out, jacobian) => factorLogits(w.userDim, w.itemFactors, w.itemBias, theta, items, out, jacobian),
  userParts: (w, theta) => ({ factors: Array.from(theta).slice(0, w.userDim), bias: theta[w.userDim] }),
  userVectors: (w) => ({ dim: w.userDim, values: w.userFactors }),
  itemVectors: (w) => ({ dim: w.itemDim, values: w.itemFactors }),
  biases: (w) => ({ user: w.userBias, item: w.itemBias }),
  // φ = [factors..., bias], like θ
  transposed: (w) => ({ ...swapFactors(w), userBias: w.itemBias, itemBias: w.userBias }),
  withItems: (w, items) => ({
    ...w,
    nItems: w.nItems + items.length,
    itemFactors: appendRows(w.itemFactors, w.itemDim, items),
    itemBias: appendRows(w.itemBias, 1, items, w.itemDim),
  }),
};
