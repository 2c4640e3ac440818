/**
 * The tfjs model: its weights are tf.Variables, its forward is tfjs ops (gather = one-hot × matrix
 * done by indexing). Used for validation, evaluation and anything that wants tensors.
 */
import * as tf from '../../src/model/runtime/tf.js';
import { namedArrays } from '../../src/model/engine/layout.js';
import type { ModelKind, ModelWeights } from '../../src/model/types.js';

/** Forward of the dense stack in tfjs: ReLU between layers, sigmoid_range at the end. */
export function mlpForward(x: tf.Tensor2D, layers: { kernel: tf.Tensor2D; bias: tf.Tensor1D }[], lo: number, hi: number): tf.Tensor1D {
  let h: tf.Tensor2D = x;
  layers.forEach((l, i) => {
    h = tf.add(tf.matMul(h, l.kernel), l.bias) as tf.Tensor2D;
    if (i < layers.length - 1) h = tf.relu(h);
  });
  return tf.add(tf.mul(tf.sigmoid(tf.reshape(h, [-1])), hi - lo), lo) as tf.Tensor1D;
}

export class CollabModel {
  readonly kind: ModelKind;
  readonly yRange: [number, number];
  private readonly vars: Map<string, tf.Variable>;
  private readonly meta: Omit<ModelWeights, 'userFactors' | 'itemFactors' | 'userBias' | 'itemBias' | 'layers'>;

  private constructor(w: ModelWeights) {
    this.kind = w.kind;
    this.yRange = [w.yRange[0], w.yRange[1]];
    this.meta = { kind: w.kind, nUsers: w.nUsers, nItems: w.nItems, userDim: w.userDim, itemDim: w.itemDim, yRange: this.yRange };
    this.vars = new Map();
    for (const [name, values, shape] of namedArrays(w)) {
      this.vars.set(name, tf.tidy(() => tf.variable(tf.tensor(values, shape), false, undefined, 'float32')));
    }
  }

  static fromWeights(w: ModelWeights): CollabModel {
    return new CollabModel(w);
  }

  /** Overwrites the variables in place (same shapes). */
  assign(w: ModelWeights): void {
    for (const [name, values, shape] of namedArrays(w)) {
      const v = this.vars.get(name);
      if (!v) throw new Error(`model has no variable ${name}`);
      tf.tidy(() => v.assign(tf.tensor(values, shape)));
    }
  }

  private v(name: string): tf.Variable {
    return this.vars.get(name)!;
  }

  /** Predicted ratings for (user, item) index pairs, in chunks to bound memory. */
  predict(users: Int32Array, items: Int32Array, chunk = 16384): Float32Array {
    const out = new Float32Array(users.length);
    for (let s = 0; s < users.length; s += chunk) {
      const e = Math.min(users.length, s + chunk);
      const part = tf.tidy(() => this.forward(tf.tensor1d(users.subarray(s, e), 'int32'), tf.tensor1d(items.subarray(s, e), 'int32')));
      out.set(part.dataSync() as Float32Array, s);
      part.dispose();
    }
    return out;
  }

  forward(u: tf.Tensor1D, m: tf.Tensor1D): tf.Tensor1D {
    const [lo, hi] = this.yRange;
    const uf = tf.gather(this.v('user_factors'), u);
    const mf = tf.gather(this.v('item_factors'), m);
    if (this.kind === 'nn') {
      const layers = [];
      for (let l = 0; this.vars.has(`layers.${l}.kernel`); l++) {
        layers.push({ kernel: this.v(`layers.${l}.kernel`) as unknown as tf.Tensor2D, bias: this.v(`layers.${l}.bias`) as unknown as tf.Tensor1D });
      }
      return mlpForward(tf.concat([uf, mf], 1) as tf.Tensor2D, layers, lo, hi);
    }
    let z = tf.sum(tf.mul(uf, mf), 1);
    if (this.kind === 'dotbias') z = tf.add(z, tf.add(tf.gather(this.v('user_bias'), u), tf.gather(this.v('item_bias'), m)));
    return tf.add(tf.mul(tf.sigmoid(z), hi - lo), lo) as tf.Tensor1D;
  }

  /** A copy of every weight as plain arrays. */
  toWeights(): ModelWeights {
    const get = (name: string) => this.v(name).dataSync().slice() as Float32Array;
    const w: ModelWeights = { ...this.meta, yRange: [...this.yRange], userFactors: get('user_factors'), itemFactors: get('item_factors') };
    if (this.kind === 'dotbias') {
      w.userBias = get('user_bias');
      w.itemBias = get('item_bias');
    }
    if (this.kind === 'nn') {
      w.layers = [];
      for (let l = 0; this.vars.has(`layers.${l}.kernel`); l++) {
        const [inDim, outDim] = this.v(`layers.${l}.kernel`).shape;
        w.layers.push({ inDim, outDim, kernel: get(`layers.${l}.kernel`), bias: get(`layers.${l}.bias`) });
      }
    }
    return w;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
