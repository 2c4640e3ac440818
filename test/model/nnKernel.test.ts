/** The fused nn kernel's hand-written backprop against tfjs's autodiff of the same model. */
import { describe, expect, it } from 'vitest';
import * as tf from '../../src/model/runtime/tf.js';
import { initParams } from '../../src/model/engine/layout.js';
import { mlpForward } from '../helpers/tfjsModel.js';
import { NnKernel, nnScratchFloats } from '../../src/model/engine/nnKernel.js';
import { TouchedRanges } from '../../src/model/engine/optimizer.js';
import { mulberry32 } from '../../src/model/engine/random.js';

describe('NnKernel', () => {
  for (const hidden of [[7], [9, 5]]) {
    it(`gradients match tfjs autodiff (hidden ${hidden.join(',')})`, () => {
      const shape = { kind: 'nn' as const, nUsers: 6, nItems: 5, userDim: 3, itemDim: 4, hidden, sizes: {} };
      const p = initParams(shape, mulberry32(3), nnScratchFloats(3, 4, hidden, 16));
      for (let i = 0; i < p.size; i++) p.w[i] *= 30; // larger than init so the ReLUs and sigmoid do something
      const data = { users: Int32Array.from([0, 1, 2, 3, 1, 5, 0]), items: Int32Array.from([0, 4, 2, 2, 1, 3, 0]), ratings: Float32Array.from([1, 5, 3, 4, 2, 5, 1]) };
      const order = Int32Array.from([0, 1, 2, 3, 4, 5, 6]);
      const k = new NnKernel(p, 16);
      const loss = k.batch(data, order, 0, 7, 0, 5.5, new TouchedRanges());

      const sizes = [7, ...hidden, 1];
      const vars = [...p.views.keys()].map((name) => tf.tensor(p.weight(name), p.views.get(name)!.shape));
      const f = (...ts: tf.Tensor[]) => {
        const [uf, mf, ...dense] = ts;
        const x = tf.concat([tf.gather(uf, tf.tensor1d(data.users, 'int32')), tf.gather(mf, tf.tensor1d(data.items, 'int32'))], 1) as tf.Tensor2D;
        const layers = sizes.slice(1).map((_, l) => ({ kernel: dense[2 * l] as tf.Tensor2D, bias: dense[2 * l + 1] as tf.Tensor1D }));
        return tf.losses.meanSquaredError(tf.tensor1d(data.ratings), mlpForward(x, layers, 0, 5.5)) as tf.Scalar;
      };
      const { value, grads } = tf.valueAndGrads(f)(vars);
      expect(loss).toBeCloseTo(value.dataSync()[0], 4);
      [...p.views.keys()].forEach((name, i) => {
        const ours = p.grad(name);
        const theirs = grads[i].dataSync();
        for (let j = 0; j < ours.length; j++) expect(Math.abs(ours[j] - theirs[j])).toBeLessThan(1e-4 * (1 + Math.abs(theirs[j])));
      });
      tf.dispose([...vars, value, ...grads]);
    });
  }
});
