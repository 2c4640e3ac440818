/**
 * CollabNN for one batch: the embedding lookups and their row scatter-add run on the flat parameters
 * (see dotKernel.ts for why); the dense layers run as tfjs ops (matMul is where tfjs' wasm/node kernels
 * shine) and their gradients come back into the flat gradient for the shared AdamW step.
 */
import * as tf from '../tf.js';
import type { TouchedRanges } from './optimizer.js';
import type { FlatParams } from './params.js';
import type { RatingColumns } from './dotKernel.js';

export interface NnLayout {
  du: number;
  di: number;
  userOff: number;
  itemOff: number;
  /** Parameter names of the dense layers, in order: layers.0.kernel, layers.0.bias, … */
  layerNames: { kernel: string; bias: string; shape: [number, number] }[];
  /** The dense layers' parameters are contiguous: every step touches all of them. */
  denseOff: number;
  denseSize: number;
}

export function nnLayout(p: FlatParams, nLayers: number): NnLayout {
  const uf = p.views.get('user_factors')!;
  const mf = p.views.get('item_factors')!;
  const layerNames = [];
  for (let l = 0; l < nLayers; l++) {
    const kv = p.views.get(`layers.${l}.kernel`)!;
    layerNames.push({ kernel: `layers.${l}.kernel`, bias: `layers.${l}.bias`, shape: [kv.shape[0], kv.shape[1]] as [number, number] });
  }
  const first = p.views.get('layers.0.kernel')!;
  const last = p.views.get(`layers.${nLayers - 1}.bias`)!;
  return { du: uf.shape[1], di: mf.shape[1], userOff: uf.offset, itemOff: mf.offset, layerNames, denseOff: first.offset, denseSize: last.offset + last.size - first.offset };
}

/** Forward of the dense stack: ReLU between layers, sigmoid_range at the end. */
export function mlpForward(x: tf.Tensor2D, layers: { kernel: tf.Tensor2D; bias: tf.Tensor1D }[], lo: number, hi: number): tf.Tensor1D {
  let h: tf.Tensor2D = x;
  layers.forEach((l, i) => {
    h = tf.add(tf.matMul(h, l.kernel), l.bias) as tf.Tensor2D;
    if (i < layers.length - 1) h = tf.relu(h);
  });
  return tf.add(tf.mul(tf.sigmoid(tf.reshape(h, [-1])), hi - lo), lo) as tf.Tensor1D;
}

export function nnBatch(
  p: FlatParams,
  L: NnLayout,
  data: RatingColumns,
  order: Int32Array,
  start: number,
  end: number,
  lo: number,
  hi: number,
  scratch: { x?: Float32Array; y?: Float32Array },
  touched: TouchedRanges,
): number {
  const n = end - start;
  const d = L.du + L.di;
  if (!scratch.x || scratch.x.length !== n * d) scratch.x = new Float32Array(n * d);
  if (!scratch.y || scratch.y.length !== n) scratch.y = new Float32Array(n);
  const x = scratch.x;
  const y = scratch.y;
  const w = p.w;
  for (let r = 0; r < n; r++) {
    const row = order[start + r];
    x.set(w.subarray(L.userOff + data.users[row] * L.du, L.userOff + (data.users[row] + 1) * L.du), r * d);
    x.set(w.subarray(L.itemOff + data.items[row] * L.di, L.itemOff + (data.items[row] + 1) * L.di), r * d + L.du);
    y[r] = data.ratings[row];
  }
  let loss = 0;
  tf.tidy(() => {
    const xT = tf.tensor2d(x, [n, d]);
    const yT = tf.tensor1d(y);
    const weights: tf.Tensor[] = [];
    for (const l of L.layerNames) {
      weights.push(tf.tensor2d(p.weight(l.kernel), l.shape), tf.tensor1d(p.weight(l.bias)));
    }
    const f = (...args: tf.Tensor[]) => {
      const [xi, ...ws] = args;
      const layers = [];
      for (let i = 0; i < ws.length; i += 2) layers.push({ kernel: ws[i] as tf.Tensor2D, bias: ws[i + 1] as tf.Tensor1D });
      return tf.losses.meanSquaredError(yT, mlpForward(xi as tf.Tensor2D, layers, lo, hi)) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)([xT, ...weights]);
    loss = value.dataSync()[0];
    const dx = grads[0].dataSync() as Float32Array;
    const g = p.g;
    for (let r = 0; r < n; r++) {
      const row = order[start + r];
      const ub = L.userOff + data.users[row] * L.du;
      const ib = L.itemOff + data.items[row] * L.di;
      const o = r * d;
      for (let j = 0; j < L.du; j++) g[ub + j] += dx[o + j];
      for (let j = 0; j < L.di; j++) g[ib + j] += dx[o + L.du + j];
      touched.push(ub, L.du);
      touched.push(ib, L.di);
    }
    L.layerNames.forEach((l, i) => {
      p.grad(l.kernel).set(grads[1 + 2 * i].dataSync() as Float32Array);
      p.grad(l.bias).set(grads[2 + 2 * i].dataSync() as Float32Array);
    });
    touched.push(L.denseOff, L.denseSize);
  });
  return loss;
}
