/**
 * The validation forward pass of the training engine. tfjs's wasm Gather of 20k embedding rows takes
 * ~150 ms (longer than a training epoch here), so the embedding lookups run on the typed arrays: dot
 * and dotbias entirely (the same arithmetic as dotKernel.ts), nn up to its dense layers, which stay
 * tfjs ops. A test checks this against the tfjs model's own forward.
 */
import * as tf from '../tf.js';
import type { ModelWeights } from '../types.js';
import { mlpForward } from './nnKernel.js';

export interface RowColumns {
  users: Int32Array;
  items: Int32Array;
}

export function predictRows(w: ModelWeights, c: RowColumns, chunk = 8192): Float32Array {
  const out = new Float32Array(c.users.length);
  if (w.kind === 'nn') {
    for (let s = 0; s < out.length; s += chunk) predictNnChunk(w, c, s, Math.min(out.length, s + chunk), out);
    return out;
  }
  const k = w.userDim;
  const U = w.userFactors;
  const M = w.itemFactors;
  const ub = w.userBias;
  const mb = w.itemBias;
  const [lo, hi] = w.yRange;
  const span = hi - lo;
  for (let r = 0; r < out.length; r++) {
    const u = c.users[r];
    const it = c.items[r];
    const uo = u * k;
    const mo = it * k;
    let z = 0;
    for (let j = 0; j < k; j++) z += U[uo + j] * M[mo + j];
    if (ub && mb) z += ub[u] + mb[it];
    out[r] = lo + span / (1 + Math.exp(-z));
  }
  return out;
}

function predictNnChunk(w: ModelWeights, c: RowColumns, start: number, end: number, out: Float32Array): void {
  const n = end - start;
  const du = w.userDim;
  const di = w.itemDim;
  const d = du + di;
  const x = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const u = c.users[start + r];
    const it = c.items[start + r];
    x.set(w.userFactors.subarray(u * du, (u + 1) * du), r * d);
    x.set(w.itemFactors.subarray(it * di, (it + 1) * di), r * d + du);
  }
  const pred = tf.tidy(() => {
    const layers = w.layers!.map((l) => ({ kernel: tf.tensor2d(l.kernel, [l.inDim, l.outDim]), bias: tf.tensor1d(l.bias) }));
    return mlpForward(tf.tensor2d(x, [n, d]), layers, w.yRange[0], w.yRange[1]);
  });
  out.set(pred.dataSync() as Float32Array, start);
  pred.dispose();
}
