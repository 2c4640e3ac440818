/** A fresh model's parameters plus the batch step for its kind: what the trainer and lr-find share. */
import type { Rng } from './random.js';
import { dotBatch, dotLayout, type RatingColumns } from './dotKernel.js';
import { initParams, type ModelShape } from './layout.js';
import { NnKernel, nnScratchFloats } from './nnKernel.js';
import type { TouchedRanges } from './optimizer.js';
import type { FlatParams, StorageFactory } from './params.js';

export interface BatchRunner {
  params: FlatParams;
  /** Forward + backward of rows order[start..end) into params.g; returns the batch MSE. */
  run(start: number, end: number): number;
  /** Predictions for whole columns with the current weights (validation). */
  predict(c: { users: Int32Array; items: Int32Array }): Float32Array;
}

export function createRunner(
  shape: ModelShape,
  rng: Rng,
  maxBatch: number,
  data: RatingColumns,
  order: Int32Array,
  yRange: [number, number],
  touched: TouchedRanges,
  storage?: StorageFactory,
): BatchRunner {
  const [lo, hi] = yRange;
  const chunk = Math.max(maxBatch, 1024);
  if (shape.kind === 'nn') {
    const params = initParams(shape, rng, nnScratchFloats(shape.userDim, shape.itemDim, shape.layers, chunk), storage);
    const nn = new NnKernel(params, chunk);
    return {
      params,
      run: (s, e) => nn.batch(data, order, s, e, lo, hi, touched),
      predict: (c) => nn.predict(c, lo, hi, new Float32Array(c.users.length)),
    };
  }
  const params = initParams(shape, rng, 0, storage);
  const L = dotLayout(params, shape.kind === 'dotbias');
  return {
    params,
    run: (s, e) => dotBatch(params, L, data, order, s, e, lo, hi, touched),
    predict: (c) => predictDot(params, L, c, lo, hi),
  };
}

function predictDot(p: FlatParams, L: ReturnType<typeof dotLayout>, c: { users: Int32Array; items: Int32Array }, lo: number, hi: number): Float32Array {
  const out = new Float32Array(c.users.length);
  const { w } = p;
  const { k, userOff, itemOff, userBiasOff, itemBiasOff } = L;
  for (let r = 0; r < out.length; r++) {
    const u = c.users[r];
    const it = c.items[r];
    let z = 0;
    for (let j = 0; j < k; j++) z += w[userOff + u * k + j] * w[itemOff + it * k + j];
    if (userBiasOff >= 0) z += w[userBiasOff + u] + w[itemBiasOff + it];
    out[r] = lo + (hi - lo) / (1 + Math.exp(-z));
  }
  return out;
}
