/**
 * fastai's CollabNN: [user embedding ‖ movie embedding] → dense layers with ReLU between → one unit →
 * sigmoid_range. The forward on plain arrays (no tfjs: scoring every movie for one user is far below
 * tfjs's per-op overhead, and fold-in must answer within milliseconds).
 */
import { ModelError } from '../errors.js';
import type { DenseWeights, NnWeights } from '../types.js';
import { FACTOR_SHOWS, SGD_TRAINER_KEYS, appendRows, embeddingParams, embeddingWeights, swapFactors } from './dot.js';
import type { ModelKindSpec, ModelShape, ParamDecl } from './kind.js';

/** fastai's get_emb_sz rule: the embedding size for a vocabulary of n. */
export function embSize(n: number): number {
  return Math.min(600, Math.round(1.6 * Math.pow(n, 0.56)));
}

/** Input and output sizes of each dense layer: [user ‖ item] → hidden… → 1. */
export function layerSizes(s: Pick<ModelShape, 'userDim' | 'itemDim' | 'hidden'>): number[] {
  return [s.userDim + s.itemDim, ...s.hidden, 1];
}

export const nn: ModelKindSpec<NnWeights> = {
  kind: 'nn',
  className: 'CollabNN',
  output: 'sigmoid-range',
  shows: { ...FACTOR_SHOWS, popularityInFactors: true },
  lrFind: { note: "measured on ML-100K, the valley trains nn about as well as the recipe's 5e-3 (RMSE 0.927 vs 0.926; u1 0.941 vs 0.942)", trainsWorse: false },
  // both embeddings feed the net
  stepCost: (s) => s.userDim + s.itemDim,
  optionKeys: ['userEmb', 'itemEmb', 'layers'],
  threaded: false,
  trainerKeys: SGD_TRAINER_KEYS,
  label: (s) => `${s.userDim}+${s.itemDim} [${s.hidden.join(',')}]`,
  slug: (o) => o.layers.join('-'),
  // embedding sizes follow fastai's rule unless given
  shapeFor: (o, nUsers, nItems) => ({ kind: 'nn', nUsers, nItems, userDim: o.userEmb || embSize(nUsers), itemDim: o.itemEmb || embSize(nItems), hidden: [...o.layers], sizes: {} }),
  shapeProblem: (s) => (s.userDim < 1 || s.itemDim < 1 ? 'has no embeddings' : s.hidden.length ? null : 'has no hidden layers'),
  shape: (w) => ({ kind: 'nn', nUsers: w.nUsers, nItems: w.nItems, userDim: w.userDim, itemDim: w.itemDim, hidden: w.layers.slice(0, -1).map((l) => l.outDim), sizes: {} }),
  params: (s) => {
    const decl: ParamDecl[] = embeddingParams(s);
    const sizes = layerSizes(s);
    // dense layers like PyTorch's nn.Linear default: uniform(±1/sqrt(fan_in))
    for (let l = 0; l + 1 < sizes.length; l++) {
      const init = { uniformFanIn: sizes[l] };
      decl.push({ name: `layers.${l}.kernel`, shape: [sizes[l], sizes[l + 1]], init }, { name: `layers.${l}.bias`, shape: [sizes[l + 1]], init });
    }
    return decl;
  },
  fromArrays: (s, yRange, get) => {
    const sizes = layerSizes(s);
    return {
      kind: 'nn',
      ...embeddingWeights(s, yRange, get),
      layers: sizes.slice(1).map((outDim, l) => ({ inDim: sizes[l], outDim, kernel: get(`layers.${l}.kernel`), bias: get(`layers.${l}.bias`) })),
    };
  },
  arrays: (w) => {
    const m = new Map([['user_factors', w.userFactors], ['item_factors', w.itemFactors]]);
    w.layers.forEach((l, i) => m.set(`layers.${i}.kernel`, l.kernel).set(`layers.${i}.bias`, l.bias));
    return m;
  },
  userSize: (w) => w.userDim,
  trainedUser: (w, u) => Float64Array.from(w.userFactors.subarray(u * w.userDim, (u + 1) * w.userDim)),
  logits: nnLogits,
  userParts: (w, theta) => ({ factors: Array.from(theta).slice(0, w.userDim), bias: null }),
  userVectors: (w) => ({ dim: w.userDim, values: w.userFactors }),
  itemVectors: (w) => ({ dim: w.itemDim, values: w.itemFactors }),
  biases: () => null,
  // the first layer reads [movie ‖ user] instead: its kernel's two row blocks trade places
  transposed: (w) => {
    const [l1, ...rest] = nnLayers(w);
    const kernel = new Float32Array(l1.kernel.length);
    kernel.set(l1.kernel.subarray(w.userDim * l1.outDim), 0);
    kernel.set(l1.kernel.subarray(0, w.userDim * l1.outDim), w.itemDim * l1.outDim);
    return { ...swapFactors(w), layers: [{ ...l1, kernel }, ...rest] };
  },
  withItems: (w, items) => ({ ...w, nItems: w.nItems + items.length, itemFactors: appendRows(w.itemFactors, w.itemDim, items) }),
};

function nnLayers(w: NnWeights): DenseWeights[] {
  const layers = w.layers;
  if (!layers || layers.length < 2) throw new ModelError('nn model has no hidden layers in its weights');
  if (layers[0].inDim !== w.userDim + w.itemDim) {
    throw new ModelError(`nn first layer expects ${layers[0].inDim} inputs, embeddings give ${w.userDim + w.itemDim}`);
  }
  return layers;
}

interface ItemHalf {
  /** itemEmb · W1[userDim:] + b1 for every item: the user-independent half of layer 1. */
  pre: Float32Array;
  /** Scratch activations, one per layer. */
  acts: Float64Array[];
  /** Scratch gradients for the backward pass, one per layer's input. */
  grads: Float64Array[];
}

// Keyed on the weights object: a retrained or reloaded model is a new object (weights are never edited
// in place once built), so the cache can never serve a stale half, and it is collected with the weights.
const itemHalves = new WeakMap<NnWeights, ItemHalf>();

function itemHalf(w: NnWeights): ItemHalf {
  let c = itemHalves.get(w);
  if (c) return c;
  const layers = nnLayers(w);
  const l1 = layers[0];
  const h = l1.outDim;
  const pre = new Float32Array(w.nItems * h);
  for (let i = 0; i < w.nItems; i++) {
    const row = pre.subarray(i * h, (i + 1) * h);
    row.set(l1.bias);
    const off = i * w.itemDim;
    for (let k = 0; k < w.itemDim; k++) {
      const x = w.itemFactors[off + k];
      const kOff = (w.userDim + k) * h;
      for (let o = 0; o < h; o++) row[o] += x * l1.kernel[kOff + o];
    }
  }
  c = { pre, acts: layers.map((l) => new Float64Array(l.outDim)), grads: layers.map((l) => new Float64Array(l.inDim)) };
  itemHalves.set(w, c);
  return c;
}

/** θ · W1[:userDim] (the bias lives in the item half). */
function userHalf(l1: DenseWeights, theta: ArrayLike<number>, userDim: number): Float64Array {
  const h = l1.outDim;
  const out = new Float64Array(h);
  for (let k = 0; k < userDim; k++) {
    const x = theta[k];
    if (x === 0) continue;
    const kOff = k * h;
    for (let o = 0; o < h; o++) out[o] += x * l1.kernel[kOff + o];
  }
  return out;
}

/** Layers 2..L on top of the first layer's pre-activation; returns the output logit and fills acts. */
function tail(layers: DenseWeights[], user: Float64Array, pre: Float32Array, itemOff: number, acts: Float64Array[]): number {
  const a1 = acts[0];
  const h = layers[0].outDim;
  for (let o = 0; o < h; o++) {
    const v = user[o] + pre[itemOff + o];
    a1[o] = v > 0 ? v : 0;
  }
  for (let l = 1; l < layers.length; l++) {
    const { inDim, outDim, kernel, bias } = layers[l];
    const prev = acts[l - 1];
    const cur = acts[l];
    for (let o = 0; o < outDim; o++) cur[o] = bias[o];
    for (let i = 0; i < inDim; i++) {
      const x = prev[i];
      if (x === 0) continue; // ReLU makes many inputs exactly zero
      const iOff = i * outDim;
      for (let o = 0; o < outDim; o++) cur[o] += x * kernel[iOff + o];
    }
    if (l < layers.length - 1) for (let o = 0; o < outDim; o++) if (cur[o] < 0) cur[o] = 0;
  }
  return acts[layers.length - 1][0];
}

const ONE = Float64Array.of(1);

function nnLogits(w: NnWeights, theta: ArrayLike<number>, items: ArrayLike<number>, out: Float32Array | Float64Array, jacobian?: Float64Array): void {
  const layers = nnLayers(w);
  const c = itemHalf(w);
  const h = layers[0].outDim;
  const user = userHalf(layers[0], theta, w.userDim);
  const { acts, grads } = c;
  const k1 = layers[0].kernel;
  for (let j = 0; j < items.length; j++) {
    out[j] = tail(layers, user, c.pre, items[j] * h, acts);
    if (!jacobian) continue;
    // backward: g = dz/d(activation of layer l-1), through the ReLU masks down to layer 1
    let g: Float64Array = ONE;
    for (let l = layers.length - 1; l >= 1; l--) {
      const { inDim, outDim, kernel } = layers[l];
      const prev = acts[l - 1];
      const gPrev = grads[l];
      for (let i = 0; i < inDim; i++) {
        if (prev[i] <= 0) {
          gPrev[i] = 0; // ReLU gate of layer l-1
          continue;
        }
        let s = 0;
        const iOff = i * outDim;
        for (let o = 0; o < outDim; o++) s += kernel[iOff + o] * g[o];
        gPrev[i] = s;
      }
      g = gPrev;
    }
    const row = j * w.userDim;
    for (let k = 0; k < w.userDim; k++) {
      let s = 0;
      const kOff = k * h;
      for (let o = 0; o < h; o++) s += k1[kOff + o] * g[o];
      jacobian[row + k] = s;
    }
  }
}
