/**
 * The tfjs model: its weights are tf.Variables, its forward is tfjs ops (gather = one-hot × matrix
 * done by indexing). The tests' independent reference for the kernels and the plain-array forward.
 */
import * as tf from '../../src/model/runtime/tf.js';
import { kindOf } from '../../src/model/models/index.js';
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

/** The model's arrays with their names and shapes, as its kind declares them. */
function namedArrays(w: ModelWeights): [string, Float32Array, number[]][] {
  const kind = kindOf(w);
  const arrays = kind.arrays(w);
  return kind.params(kind.shape(w)).map((p) => [p.name, arrays.get(p.name)!, p.shape]);
}

export class CollabModel {
  readonly kind: ModelKind;
  readonly yRange: [number, number];
  private readonly vars: Map<string, tf.Variable>;
  private readonly source: ModelWeights;

  private constructor(w: ModelWeights) {
    this.kind = w.kind;
    this.yRange = [w.yRange[0], w.yRange[1]];
    this.source = w;
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
    const kind = kindOf(this.source);
    return kind.fromArrays(kind.shape(this.source), this.yRange, (name) => this.v(name).dataSync().slice() as Float32Array) as ModelWeights;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
