/**
 * The validation forward pass of the training engine. tfjs's wasm Gather of 20k embedding rows takes
 * ~150 ms (longer than a training epoch here), so the embedding lookups run on the typed arrays: dot
 * and dotbias with the same arithmetic as dotKernel.ts, nn through the same fused kernel it trains
 * with. A test checks both against the tfjs model's own forward.
 */
import type { ModelWeights } from '../types.js';
import { paramsFromWeights } from './layout.js';
import { NnKernel, nnScratchFloats } from './nnKernel.js';

export interface RowColumns {
  users: Int32Array;
  items: Int32Array;
}

export function predictRows(w: ModelWeights, c: RowColumns, chunk = 8192): Float32Array {
  const out = new Float32Array(c.users.length);
  if (w.kind === 'nn') {
    predictNn(w, c, chunk, out);
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

function predictNn(w: ModelWeights, c: RowColumns, chunk: number, out: Float32Array): void {
  const hidden = w.layers!.slice(0, -1).map((l) => l.outDim);
  const p = paramsFromWeights(w, nnScratchFloats(w.userDim, w.itemDim, hidden, chunk));
  new NnKernel(p, chunk).predict(c, w.yRange[0], w.yRange[1], out);
}
