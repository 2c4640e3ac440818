/**
 * The trained models' forward pass on plain typed arrays, for interpretation and fold-in.
 * No tfjs here on purpose: scoring every movie for one user is ~100k flops, far below tfjs's
 * per-op overhead, and fold-in must answer within 50 ms.
 */
import { ModelError } from '../errors.js';
import type { DenseWeights, ModelWeights } from '../types.js';

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** fastai's sigmoid_range: squashes a logit into (low, high). */
export function sigmoidRange(x: number, yRange: readonly [number, number]): number {
  return yRange[0] + (yRange[1] - yRange[0]) * sigmoid(x);
}

/** Number of per-user parameters fold-in solves for: the factor vector, plus the bias for dotbias. */
export function userParamCount(w: ModelWeights): number {
  return w.userDim + (hasBias(w) ? 1 : 0);
}

export function hasBias(w: ModelWeights): boolean {
  return w.kind === 'dotbias' && w.userBias !== undefined && w.itemBias !== undefined;
}

/** A trained user's parameters as one vector [factors..., bias?] (the layout fold-in uses). */
export function userParams(w: ModelWeights, user: number): Float64Array {
  checkIndex(user, w.nUsers, 'user');
  const theta = new Float64Array(userParamCount(w));
  const off = user * w.userDim;
  for (let k = 0; k < w.userDim; k++) theta[k] = w.userFactors[off + k];
  if (hasBias(w)) theta[w.userDim] = w.userBias![user];
  return theta;
}

export function predict(w: ModelWeights, user: number, item: number): number {
  checkIndex(user, w.nUsers, 'user');
  checkIndex(item, w.nItems, 'item');
  return sigmoidRange(trainedLogit(w, user, item), w.yRange);
}

export function predictBatch(w: ModelWeights, users: Int32Array, items: Int32Array, out?: Float32Array): Float32Array {
  if (users.length !== items.length) throw new ModelError(`predictBatch: ${users.length} users but ${items.length} items`);
  const res = out ?? new Float32Array(users.length);
  for (let r = 0; r < users.length; r++) {
    checkIndex(users[r], w.nUsers, 'user');
    checkIndex(items[r], w.nItems, 'item');
    res[r] = sigmoidRange(trainedLogit(w, users[r], items[r]), w.yRange);
  }
  return res;
}

/** Predicted rating of every item for a user given as a parameter vector (see userParams). */
export function scoreAllItems(w: ModelWeights, theta: ArrayLike<number>, out?: Float32Array): Float32Array {
  const res = out ?? new Float32Array(w.nItems);
  if (w.kind === 'nn') {
    scoreAllNn(w, theta, res);
    return res;
  }
  const d = w.userDim;
  const f = w.itemFactors;
  const ub = hasBias(w) ? theta[d] : 0;
  for (let i = 0; i < w.nItems; i++) {
    let z = ub + (hasBias(w) ? w.itemBias![i] : 0);
    const off = i * d;
    for (let k = 0; k < d; k++) z += theta[k] * f[off + k];
    res[i] = sigmoidRange(z, w.yRange);
  }
  return res;
}

/**
 * Logits of several items for one user θ, and optionally their Jacobian rows d logit/dθ
 * (row-major [items.length, θ.length]). Fold-in's Gauss-Newton solver needs exactly these; the
 * user half of the nn's first layer is computed once per θ, not once per item.
 */
export function userLogits(
  w: ModelWeights,
  theta: ArrayLike<number>,
  items: ArrayLike<number>,
  logits: Float64Array,
  jacobian?: Float64Array,
): void {
  if (w.kind === 'nn') {
    nnUserLogits(w, theta, items, logits, jacobian);
    return;
  }
  const d = w.userDim;
  const D = userParamCount(w);
  const bias = hasBias(w);
  for (let j = 0; j < items.length; j++) {
    const item = items[j];
    const off = item * d;
    let z = bias ? theta[d] + w.itemBias![item] : 0;
    for (let k = 0; k < d; k++) z += theta[k] * w.itemFactors[off + k];
    logits[j] = z;
    if (!jacobian) continue;
    const row = j * D;
    for (let k = 0; k < d; k++) jacobian[row + k] = w.itemFactors[off + k];
    if (bias) jacobian[row + d] = 1;
  }
}

// ---------------------------------------------------------------------------------------------
// nn internals

function nnLayers(w: ModelWeights): DenseWeights[] {
  const layers = w.layers;
  if (!layers || layers.length < 2) throw new ModelError('nn model has no hidden layers in its weights');
  const first = layers[0];
  if (first.inDim !== w.userDim + w.itemDim) {
    throw new ModelError(`nn first layer expects ${first.inDim} inputs, embeddings give ${w.userDim + w.itemDim}`);
  }
  return layers;
}

interface NnCache {
  /** itemEmb · W1[userDim:] + b1 for every item: the user-independent half of layer 1. */
  itemPre: Float32Array;
  /** userEmb · W1[:userDim] for every trained user. */
  userPre: Float32Array;
  /** Scratch activations, one per layer (sized to the widest layer). */
  scratch: Float64Array[];
}

// Keyed on the weights object: a retrained or reloaded model is a new object, so the cache
// can never serve stale precomputations, and it is collected with the weights.
const nnCaches = new WeakMap<ModelWeights, NnCache>();

function nnCache(w: ModelWeights): NnCache {
  let c = nnCaches.get(w);
  if (c) return c;
  const layers = nnLayers(w);
  const l1 = layers[0];
  const h = l1.outDim;
  const itemPre = new Float32Array(w.nItems * h);
  for (let i = 0; i < w.nItems; i++) {
    const row = itemPre.subarray(i * h, (i + 1) * h);
    row.set(l1.bias);
    const off = i * w.itemDim;
    for (let k = 0; k < w.itemDim; k++) {
      const x = w.itemFactors[off + k];
      const kOff = (w.userDim + k) * h;
      for (let o = 0; o < h; o++) row[o] += x * l1.kernel[kOff + o];
    }
  }
  const userPre = new Float32Array(w.nUsers * h);
  for (let u = 0; u < w.nUsers; u++) {
    userHalf(l1, w.userFactors.subarray(u * w.userDim, (u + 1) * w.userDim), w.userDim, userPre.subarray(u * h, (u + 1) * h));
  }
  const scratch = layers.map((l) => new Float64Array(l.outDim));
  c = { itemPre, userPre, scratch };
  nnCaches.set(w, c);
  return c;
}

/** θ · W1[:userDim] (no bias: the bias lives in itemPre). */
function userHalf(l1: DenseWeights, theta: ArrayLike<number>, userDim: number, out: Float32Array | Float64Array): void {
  const h = l1.outDim;
  out.fill(0);
  for (let k = 0; k < userDim; k++) {
    const x = theta[k];
    if (x === 0) continue;
    const kOff = k * h;
    for (let o = 0; o < h; o++) out[o] += x * l1.kernel[kOff + o];
  }
}

/** Layers 2..L on top of the first layer's pre-activation; returns the output logit. Fills acts. */
function nnTail(layers: DenseWeights[], userPre: ArrayLike<number>, itemPre: Float32Array, itemOff: number, acts: Float64Array[]): number {
  const a1 = acts[0];
  const h = layers[0].outDim;
  for (let o = 0; o < h; o++) {
    const v = userPre[o] + itemPre[itemOff + o];
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

function scoreAllNn(w: ModelWeights, theta: ArrayLike<number>, out: Float32Array): void {
  const layers = nnLayers(w);
  const c = nnCache(w);
  const h = layers[0].outDim;
  const up = new Float64Array(h);
  userHalf(layers[0], theta, w.userDim, up);
  for (let i = 0; i < w.nItems; i++) out[i] = sigmoidRange(nnTail(layers, up, c.itemPre, i * h, c.scratch), w.yRange);
}

function nnUserLogits(w: ModelWeights, theta: ArrayLike<number>, items: ArrayLike<number>, logits: Float64Array, jacobian?: Float64Array): void {
  const layers = nnLayers(w);
  const c = nnCache(w);
  const h = layers[0].outDim;
  const up = new Float64Array(h);
  userHalf(layers[0], theta, w.userDim, up);
  const acts = c.scratch;
  const grads = layers.map((l) => new Float64Array(l.inDim));
  const k1 = layers[0].kernel;
  for (let j = 0; j < items.length; j++) {
    logits[j] = nnTail(layers, up, c.itemPre, items[j] * h, acts);
    if (!jacobian) continue;
    // Backward: g = dz/d(activation of layer l-1), through the ReLU masks down to layer 1.
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

const ONE = Float64Array.of(1);

function trainedLogit(w: ModelWeights, user: number, item: number): number {
  if (w.kind === 'nn') {
    const layers = nnLayers(w);
    const c = nnCache(w);
    const h = layers[0].outDim;
    return nnTail(layers, c.userPre.subarray(user * h, (user + 1) * h), c.itemPre, item * h, c.scratch);
  }
  const d = w.userDim;
  const uOff = user * d;
  const iOff = item * d;
  let z = hasBias(w) ? w.userBias![user] + w.itemBias![item] : 0;
  for (let k = 0; k < d; k++) z += w.userFactors[uOff + k] * w.itemFactors[iOff + k];
  return z;
}

function checkIndex(i: number, n: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new ModelError(`${what} index ${i} is outside 0..${n - 1}`);
}
