/** fastai's DotProduct: r̂ = sigmoid_range(u · m). */
import type { DotWeights } from '../types.js';
import type { ModelKindSpec, ModelShape, ParamDecl } from './kind.js';

/**
 * The factorised forward, shared with dotbias: z = θ[0..d) · M[i] (+ θ[d] + b_i when there are biases).
 * Its Jacobian row for item i is [M[i], 1?].
 */
export function factorLogits(
  d: number,
  itemFactors: Float32Array,
  itemBias: Float32Array | null,
  theta: ArrayLike<number>,
  items: ArrayLike<number>,
  out: Float32Array | Float64Array,
  jacobian?: Float64Array,
): void {
  const ub = itemBias ? theta[d] : 0;
  const D = itemBias ? d + 1 : d;
  for (let j = 0; j < items.length; j++) {
    const item = items[j];
    const off = item * d;
    let z = itemBias ? ub + itemBias[item] : 0;
    for (let k = 0; k < d; k++) z += theta[k] * itemFactors[off + k];
    out[j] = z;
    if (!jacobian) continue;
    const row = j * D;
    for (let k = 0; k < d; k++) jacobian[row + k] = itemFactors[off + k];
    if (itemBias) jacobian[row + d] = 1;
  }
}

/** dot and dotbias have no dense layers and at least one factor (sizes are checked against the weights file itself). */
export function factorShapeProblem(s: ModelShape): string | null {
  if (s.userDim < 1 || s.itemDim < 1) return 'has no factors';
  return s.hidden.length ? 'has dense layers' : null;
}

/** The trainer's options the SGD kinds are fitted with (the closed-form baselines use none of them). */
export const SGD_TRAINER_KEYS = ['epochs', 'lr', 'wd', 'bs', 'schedule', 'backend', 'yRange'] as const;

/** What every factor kind shows besides its biases. */
export const FACTOR_SHOWS = { ratings: true, ranking: true, biases: false, factors: true, neighbours: false, popularityInFactors: false } as const;

/** Embeddings start like the seeds' create_params: normal(0, 0.01). */
export const EMBEDDING_INIT = { normal: 0.01 } as const;

/** The two embedding tables every factor kind starts with. */
export function embeddingParams(s: ModelShape): ParamDecl[] {
  return [
    { name: 'user_factors', shape: [s.nUsers, s.userDim], init: EMBEDDING_INIT },
    { name: 'item_factors', shape: [s.nItems, s.itemDim], init: EMBEDDING_INIT },
  ];
}

/** The fields every factor kind's weights share, read from the named arrays. */
export function embeddingWeights(s: ModelShape, yRange: [number, number], get: (name: string) => Float32Array) {
  return {
    nUsers: s.nUsers,
    nItems: s.nItems,
    userDim: s.userDim,
    itemDim: s.itemDim,
    yRange: [yRange[0], yRange[1]] as [number, number],
    userFactors: get('user_factors'),
    itemFactors: get('item_factors'),
  };
}

/** A factor table [n, dim] with rows appended. */
export function appendRows(table: Float32Array, dim: number, rows: readonly ArrayLike<number>[], from = 0): Float32Array {
  const out = new Float32Array(table.length + rows.length * dim);
  out.set(table);
  rows.forEach((r, k) => {
    for (let j = 0; j < dim; j++) out[table.length + k * dim + j] = r[from + j];
  });
  return out;
}

/** Users and movies swapped: the factor tables trade places (shared, not copied). */
export function swapFactors<T extends { nUsers: number; nItems: number; userDim: number; itemDim: number; userFactors: Float32Array; itemFactors: Float32Array }>(w: T): T {
  return { ...w, nUsers: w.nItems, nItems: w.nUsers, userDim: w.itemDim, itemDim: w.userDim, userFactors: w.itemFactors, itemFactors: w.userFactors };
}

export const dot: ModelKindSpec<DotWeights> = {
  kind: 'dot',
  className: 'DotProduct',
  output: 'sigmoid-range',
  shows: FACTOR_SHOWS,
  lrFind: { note: "measured on ML-100K, the valley trains dot worse than the recipe's 5e-3 (u1 RMSE 0.938 vs 0.926; on the random split it picked 2.3e-4: 1.107)", trainsWorse: true },
  optionKeys: ['factors'],
  threaded: true,
  trainerKeys: SGD_TRAINER_KEYS,
  label: (s) => `${s.userDim}f`,
  slug: (o) => `${o.factors}f`,
  shapeFor: (o, nUsers, nItems) => ({ kind: 'dot', nUsers, nItems, userDim: o.factors, itemDim: o.factors, hidden: [], sizes: {} }),
  shapeProblem: factorShapeProblem,
  shape: (w) => ({ kind: 'dot', nUsers: w.nUsers, nItems: w.nItems, userDim: w.userDim, itemDim: w.itemDim, hidden: [], sizes: {} }),
  params: embeddingParams,
  fromArrays: (s, yRange, get) => ({ kind: 'dot', ...embeddingWeights(s, yRange, get) }),
  arrays: (w) => new Map([['user_factors', w.userFactors], ['item_factors', w.itemFactors]]),
  userSize: (w) => w.userDim,
  trainedUser: (w, u) => Float64Array.from(w.userFactors.subarray(u * w.userDim, (u + 1) * w.userDim)),
  logits: (w, theta, items, out, jacobian) => factorLogits(w.userDim, w.itemFactors, null, theta, items, out, jacobian),
  userParts: (w, theta) => ({ factors: Array.from(theta).slice(0, w.userDim), bias: null }),
  userVectors: (w) => ({ dim: w.userDim, values: w.userFactors }),
  itemVectors: (w) => ({ dim: w.itemDim, values: w.itemFactors }),
  biases: () => null,
  transposed: swapFactors,
  withItems: (w, items) => ({ ...w, nItems: w.nItems + items.length, itemFactors: appendRows(w.itemFactors, w.itemDim, items) }),
};
